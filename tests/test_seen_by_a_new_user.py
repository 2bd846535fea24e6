"""What a new user met trying every role (issue 12, "Seen by a new user"): the approved response
says it is approved, it can be recorded as sent where it is read, and a sent consultation no
longer counts days or says drafting has started."""

from __future__ import annotations

import pytest

from consultations.db import read_scope, session_scope
from consultations.models import Consultation
from exports.approval import APPROVE, SEND_METHODS, record_sent
from tests.board_world import build_board, send
from tests.conftest import later
from tests.tagging_world import TODAY
from tests.test_approval import as_, decide
from tests.test_board_pages import HOME, RESPONSE, open_as
from tests.test_pages import texts

ANSWER = "evidence/pages/answer.py"
TRACKER = "evidence/pages/tracker.py"


@pytest.fixture
def approved(engine, monkeypatch):
    monkeypatch.delenv("WORKBENCH_APPROVAL_RULE", raising=False)
    board = build_board(engine)
    send(board)
    decide(board, board.chair, APPROVE)
    return board


def status(board) -> str:
    with read_scope(board.engine) as session:
        return session.get(Consultation, board.cid).status


def sent(board) -> None:
    with session_scope(board.engine) as session:
        record_sent(
            session,
            as_(session, board.officer),
            board.cid,
            sent_on=TODAY,
            method=SEND_METHODS[0],
            today=TODAY,
            now=later(hours=5),
        )


def test_the_approved_responses_cover_in_the_app_says_approved_as_the_document_does(
    open_page, approved
):
    app = open_as(open_page, approved, approved.member, RESPONSE)
    cover = [element.value for element in app.text]
    assert any(line.startswith("Approved by the Board on ") for line in cover), cover
    assert not any("for board review" in line for line in cover)


def test_an_officer_records_the_sending_on_the_approved_response_page(open_page, approved):
    app = open_as(open_page, approved, approved.officer, RESPONSE)
    next(t for t in app.text_input if t.label.startswith("The department's reference")).input(
        "HO/42"
    )
    next(b for b in app.button if b.label == "Record as sent").click().run()
    assert not app.exception
    assert status(approved) == "sent"
    assert "Recorded as sent." in texts(app)
    assert "Record as sent" not in [b.label for b in app.button]


def test_the_board_sees_no_form_to_record_the_sending(open_page, approved):
    app = open_as(open_page, approved, approved.member, RESPONSE)
    assert "Record as sent" not in [b.label for b in app.button]


def test_a_sent_consultation_counts_no_days_and_does_not_say_drafting_has_started(
    open_page, approved
):
    sent(approved)
    for page in (HOME, TRACKER):
        shown = texts(open_as(open_page, approved, approved.officer, page))
        assert "days left" not in shown
        assert "(closed to partners)" in shown
    app = open_page(
        ANSWER,
        as_user=_person(approved, approved.officer),
        query={
            "consultation": str(approved.cid),
            "organisation": str(approved.world.organisations[0]),
        },
    )
    page = texts(app)
    assert "Drafting has started" not in page
    assert "days left" not in page
    assert "The response has been sent to the department" in page


def _person(board, person_id):
    with read_scope(board.engine) as session:
        return as_(session, person_id)
