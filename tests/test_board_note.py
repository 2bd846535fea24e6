"""The officer's note for the board, given when sending a version for review, reaches the board:
on their home, in their notification and on the review page, shown as text. And a board member's
home says which drafts await their decision and which they have decided on."""

from __future__ import annotations

import pytest

from consultations.db import session_scope
from consultations.notifications import MAX_MESSAGE
from exports.approval import APPROVE, send_for_review, with_note
from tests.board_world import REVIEW_BY, build_board
from tests.conftest import later
from tests.tagging_world import TODAY
from tests.test_approval import as_, decide
from tests.test_board_pages import HOME, NOTIFICATIONS, open_as
from tests.test_pages import texts

REVIEW = "exports/pages/board_review.py"
NOTE = "<b>Look at</b> **section 3** first: [the figures](https://evil.example) changed."


@pytest.fixture
def board(engine, monkeypatch):
    monkeypatch.delenv("WORKBENCH_APPROVAL_RULE", raising=False)
    return build_board(engine)


def send_with_note(board, note: str = NOTE) -> None:
    with session_scope(board.engine) as session:
        send_for_review(
            session,
            as_(session, board.officer),
            board.cid,
            number=1,
            review_by=REVIEW_BY,
            today=TODAY,
            now=later(hours=2),
            note=note,
        )


def shown_as_text(app) -> list[str]:
    return [element.value for element in app.text]


@pytest.mark.parametrize("page", [HOME, NOTIFICATIONS, REVIEW])
def test_the_officers_note_for_the_board_shows_as_text_where_the_board_looks(
    open_page, board, page
):
    send_with_note(board)
    app = open_as(open_page, board, board.member, page)
    assert any(NOTE in text for text in shown_as_text(app)), texts(app)
    # Never as markdown: no live link, no bold.
    assert all("evil.example" not in m.value for m in app.markdown)


def test_the_note_says_who_wrote_it_on_the_home_and_review_page(open_page, board):
    send_with_note(board)
    for page in (HOME, REVIEW):
        assert "Note from Test Officer" in texts(open_as(open_page, board, board.member, page))


def test_a_version_sent_without_a_note_shows_no_note(open_page, board):
    send_with_note(board, note="")
    assert "Note from" not in texts(open_as(open_page, board, board.member, HOME))


def test_a_long_note_is_cut_to_fit_the_notification_with_an_ellipsis():
    message = with_note("Version 2 is awaiting your review.", "x" * 500, by="Ann Officer")
    assert len(message) == MAX_MESSAGE
    assert message.startswith("Version 2 is awaiting your review. Note from Ann Officer: xxx")
    assert message.endswith("x…")
    assert with_note("Version 2.", "", by="Ann Officer") == "Version 2."


def test_a_board_member_who_approved_sees_the_draft_as_decided_not_awaiting_review(
    open_page, board
):
    send_with_note(board)
    decide(board, board.member, APPROVE)
    page = texts(open_as(open_page, board, board.member, HOME))
    assert "Awaiting your review" not in page
    assert "With the board: you have decided" in page
    assert "Your decision:** You approved it" in page
