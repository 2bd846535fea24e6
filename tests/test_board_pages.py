"""The board's pages, the officer's approval page, the approved response, notifications and the
audit trail, driven through AppTest on a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from consultations.dates import plain_date, uk_today
from consultations.db import read_scope, session_scope
from consultations.models import AuditEvent, Consultation, User
from evidence.models import Answer
from exports.approval import add_comment
from exports.approval_rule import APPROVE, CHANGES
from exports.drafts import draft_of, latest
from exports.models import Approval, ReviewDecision, ReviewRequest, SectionComment
from tests.board_world import REVIEW_BY, Board, build_board, build_in_review, send
from tests.conftest import CLOSES_ON, later
from tests.test_approval import decide, edit
from tests.test_pages import texts

HOME = "consultations/pages/home.py"
REVIEW = "exports/pages/board_review.py"
APPROVAL = "exports/pages/approval.py"
RESPONSE = "exports/pages/response.py"
NOTIFICATIONS = "consultations/pages/notifications.py"
AUDIT = "consultations/pages/audit.py"
MARKUP = "<script>alert('x')</script> **Bold** families with NRPF wait for months."


@pytest.fixture
def board(engine, monkeypatch) -> Board:
    monkeypatch.delenv("WORKBENCH_APPROVAL_RULE", raising=False)
    return build_board(engine)


@pytest.fixture
def in_review(engine, monkeypatch) -> Board:
    monkeypatch.delenv("WORKBENCH_APPROVAL_RULE", raising=False)
    return build_in_review(engine)


def person(b: Board, person_id: int) -> User:
    with read_scope(b.engine) as session:
        return session.get(User, person_id)


def open_as(open_page, b: Board, person_id: int, page: str):
    app = open_page(page, as_user=person(b, person_id), query={"consultation": str(b.cid)})
    assert not app.exception
    return app


def button(app, label):
    return next(b for b in app.button if b.label == label)


def downloads(app) -> list[str]:
    return [d.proto.label for d in app.get("download_button")]


def status(b: Board) -> str:
    with read_scope(b.engine) as session:
        return session.get(Consultation, b.cid).status


# --- the board member --------------------------------------------------------------------------


def test_board_home_lists_the_draft_awaiting_review_with_its_deadline_in_words(
    open_page, in_review
):
    app = open_as(open_page, in_review, in_review.member, HOME)
    page = texts(app)
    assert "Awaiting your review" in page
    assert "Family migration: a consultation, version 1" in page
    assert plain_date(REVIEW_BY) in page
    assert "Your decision:** not given yet" in page


def test_board_home_says_nothing_of_reviews_when_none_is_waiting(open_page, board):
    app = open_as(open_page, board, board.member, HOME)
    assert "Awaiting your review" not in texts(app)


def test_the_sidebar_counts_unread_notifications(open_page, in_review):
    app = open_as(open_page, in_review, in_review.member, HOME)
    links = [link.label for link in app.sidebar.get("page_link")]
    assert "Notifications (1 new)" in links


def test_review_page_shows_partner_text_as_text_and_the_evidence_behind_a_point(open_page, board):
    with session_scope(board.engine) as session:
        session.execute(update(Answer).values(text=MARKUP).where(Answer.text.like("Families%")))
    send(board)
    app = open_as(open_page, board, board.member, REVIEW)
    section = next(s for s in app.selectbox if s.label == "Section")
    section.set_value(next(k for k in _keys(board) if k.startswith("question-"))).run()
    toggle = next(t for t in app.toggle if "behind this" in t.label)
    toggle.set_value(True).run()

    assert not app.exception
    shown = [t.value for t in app.text]
    assert MARKUP in shown
    assert "<script>" not in " ".join(m.value for m in app.markdown)
    captions = " ".join(c.value for c in app.caption)
    assert "Partner organisation 1" in captions
    assert "Download version 1 (.docx)" in downloads(app)


def test_a_point_with_one_answer_behind_it_offers_to_show_the_answer(open_page, in_review):
    app = open_as(open_page, in_review, in_review.member, REVIEW)
    section = next(s for s in app.selectbox if s.label == "Section")
    section.set_value(next(k for k in _keys(in_review) if k.startswith("question-"))).run()
    labels = [t.label for t in app.toggle]
    assert "Show the answer behind this" in labels
    assert not any("Show the 1 " in label for label in labels)


def test_a_board_member_reads_the_whole_document_on_one_page(open_page, in_review):
    app = open_as(open_page, in_review, in_review.member, REVIEW)

    assert not app.exception
    with read_scope(in_review.engine) as session:
        draft = draft_of(latest(session, in_review.cid))
    headings = [h.value for h in app.header]
    for section in draft.sections[1:]:
        assert section.heading in headings
    shown = [t.value for t in app.text]
    recommendations = draft.section("recommendations").blocks[0].text
    assert recommendations in shown


def _keys(b: Board) -> list[str]:
    with read_scope(b.engine) as session:
        return [s.key for s in draft_of(latest(session, b.cid)).sections]


def test_board_member_comments_on_a_section_and_requests_changes(open_page, in_review):
    app = open_as(open_page, in_review, in_review.member, REVIEW)
    next(s for s in app.selectbox if s.label == "Section").set_value("summary").run()
    next(t for t in app.text_area if t.label.startswith("Your comment on")).input(
        "Lead with Northern Ireland."
    )
    button(app, "Save the comment").click().run()
    assert not app.exception
    assert "Your comment is saved." in texts(app)

    app.session_state[f"review-tab-{in_review.cid}"] = "Your decision"
    next(r for r in app.radio if r.label == "Your decision").set_value(CHANGES).run()
    button(app, "Record my decision").click().run()
    assert "needs a reason" in texts(app)
    # The message is on the tab the member acted on, which is still the one shown.
    assert app.session_state[f"review-tab-{in_review.cid}"] == "Your decision"
    next(t for t in app.text_area if t.label == "What should change (needed)").input(
        "See my comment."
    )
    button(app, "Record my decision").click().run()

    assert not app.exception
    with read_scope(in_review.engine) as session:
        comment = session.scalar(select(SectionComment))
        decision = session.scalar(select(ReviewDecision))
    assert (comment.section_key, comment.text) == ("summary", "Lead with Northern Ireland.")
    assert (decision.decision, decision.comment) == (CHANGES, "See my comment.")


def test_what_changed_after_a_comment_on_the_first_version_says_there_is_nothing_to_compare(
    open_page, in_review
):
    comment_on_summary(in_review, in_review.chair, "Shorter, please.", hours=3)
    app = open_as(open_page, in_review, in_review.chair, REVIEW)
    page = texts(app)
    assert "version 1 is the first you are reviewing" in page
    assert "This is the version you last reviewed" not in page


def test_an_approval_after_a_request_for_changes_is_recorded_without_the_old_reason(
    open_page, in_review
):
    app = open_as(open_page, in_review, in_review.member, REVIEW)
    next(r for r in app.radio if r.label == "Your decision").set_value(CHANGES).run()
    next(t for t in app.text_area if t.label == "What should change (needed)").input(
        "Give the base for the 62% figure."
    )
    button(app, "Record my decision").click().run()
    assert "Your request for changes is recorded" in texts(app)
    next(r for r in app.radio if r.label == "Your decision").set_value(APPROVE).run()
    box = next(t for t in app.text_area if t.label == "Comment with your approval (optional)")
    assert box.value == ""
    button(app, "Record my decision").click().run()
    assert not app.exception
    with read_scope(in_review.engine) as session:
        decisions = session.scalars(select(ReviewDecision).order_by(ReviewDecision.id)).all()
    assert [(d.decision, d.comment) for d in decisions] == [
        (CHANGES, "Give the base for the 62% figure."),
        (APPROVE, ""),
    ]
    captions = [c.value for c in app.caption]
    assert any(
        c.startswith("You asked for changes on ")
        and c.endswith(", since replaced by your later decision.")
        for c in captions
    )
    assert any(c.startswith("You approved it on ") and c.endswith(".") for c in captions)
    assert not any(c.startswith("Approve on") for c in captions)


def test_what_should_change_is_kept_when_the_member_looks_at_approve_and_comes_back(
    open_page, in_review
):
    app = open_as(open_page, in_review, in_review.member, REVIEW)
    decision = next(r for r in app.radio if r.label == "Your decision")
    decision.set_value(CHANGES).run()
    next(t for t in app.text_area if t.label == "What should change (needed)").input(
        "Give the base for the 62% figure."
    )
    next(r for r in app.radio if r.label == "Your decision").set_value(APPROVE).run()
    assert "Comment with your approval (optional)" in [t.label for t in app.text_area]
    next(r for r in app.radio if r.label == "Your decision").set_value(CHANGES).run()

    assert not app.exception
    box = next(t for t in app.text_area if t.label == "What should change (needed)")
    assert box.value == "Give the base for the 62% figure."
    button(app, "Record my decision").click().run()
    with read_scope(in_review.engine) as session:
        recorded = session.scalars(select(ReviewDecision)).one()
    assert (recorded.decision, recorded.comment) == (CHANGES, "Give the base for the 62% figure.")


def test_the_chairs_approval_on_the_page_approves_the_version(open_page, in_review):
    app = open_as(open_page, in_review, in_review.chair, REVIEW)
    next(r for r in app.radio if r.label == "Your decision").set_value(APPROVE)
    button(app, "Record my decision").click().run()
    assert not app.exception
    assert status(in_review) == "approved"
    assert "was approved on" in texts(app)


def test_a_member_sees_what_changed_since_the_version_they_reviewed(open_page, in_review):
    decide(in_review, in_review.member, CHANGES, "Add a recommendation.")
    edit(in_review, "Fund advice services in Newry.")
    send(in_review, 2, now=board_later(6))
    app = open_as(open_page, in_review, in_review.member, REVIEW)
    page = texts(app)
    assert "Since version 1, the one you last reviewed" in page
    assert "+ Fund advice services in Newry." in page


def board_later(hours: int):
    return later(hours=hours)


def comment_on_summary(b: Board, person_id: int, text: str, *, hours: int):
    """Record a board member's comment on version 1's summary, as the page's form does."""
    with session_scope(b.engine) as session:
        return add_comment(
            session,
            session.get(User, person_id),
            b.cid,
            number=1,
            section_key="summary",
            text=text,
            now=board_later(hours),
        )


def test_a_board_member_cannot_open_the_officers_approval_page(open_page, board):
    app = open_as(open_page, board, board.member, APPROVAL)
    assert "Only policy officers can open this page" in texts(app)


# --- the officer -----------------------------------------------------------------------------


def test_officer_sends_the_draft_for_review_from_the_page(open_page, board):
    app = open_as(open_page, board, board.officer, APPROVAL)
    button(app, "Send version 1 for review").click().run()
    assert not app.exception
    assert status(board) == "in_review"
    assert "Version 1 is with the board" in texts(app)


def note_for_the_board(app):
    return next(a for a in app.text_area if a.label == "Note for the board (optional)")


def test_the_note_for_the_board_is_kept_after_a_refused_send_and_a_visit_elsewhere(
    open_page, board
):
    app = open_as(open_page, board, board.officer, APPROVAL)
    note_for_the_board(app).input("Section 3 has the new figures.")
    deadline = next(d for d in app.date_input if d.label == "The board's deadline")
    deadline.set_value(CLOSES_ON + timedelta(days=1))
    button(app, "Send version 1 for review").click().run()
    assert "after the government's closing date" in texts(app)
    assert status(board) == "closed"

    app.switch_page(HOME).run()
    app.switch_page(APPROVAL).run()
    assert not app.exception
    assert note_for_the_board(app).value == "Section 3 has the new figures."

    deadline = next(d for d in app.date_input if d.label == "The board's deadline")
    deadline.set_value(REVIEW_BY)
    button(app, "Send version 1 for review").click().run()
    assert status(board) == "in_review"
    with read_scope(board.engine) as session:
        assert session.scalars(select(ReviewRequest.note)).one() == "Section 3 has the new figures."


def test_a_decision_on_an_earlier_version_says_so_once_a_later_one_is_decided(open_page, in_review):
    decide(in_review, in_review.member, APPROVE)
    edit(in_review, "Fund advice services in Newry.")
    send(in_review, 2, now=board_later(6))
    decide(in_review, in_review.chair, APPROVE, number=2, hours=7)
    app = open_as(open_page, in_review, in_review.officer, APPROVAL)
    decisions = app.dataframe[0].value
    standing = dict(zip(decisions["Version"], decisions["Standing"], strict=True))
    assert standing == {2: "current", 1: "for an earlier version"}


def test_the_comments_count_says_how_many_wait_in_a_sentence(open_page, in_review):
    for text, hours in (("Shorter, please.", 3), ("Name the councils.", 4)):
        comment = comment_on_summary(in_review, in_review.member, text, hours=hours)
    app = open_as(open_page, in_review, in_review.officer, APPROVAL)
    assert "Two comments, none yet marked addressed." in texts(app)
    app.button(key=f"addressed-{comment.id}").click().run()
    assert "Two comments, one not yet marked addressed." in texts(app)


def test_officer_sees_comments_beside_sections_and_marks_them_addressed(open_page, in_review):
    comment = comment_on_summary(in_review, in_review.member, "**Shorter**, please.", hours=3)
    app = open_as(open_page, in_review, in_review.officer, APPROVAL)
    assert "**Shorter**, please." in [t.value for t in app.text]
    assert "One comment, not yet marked addressed." in texts(app)
    app.session_state[f"approval-tab-{in_review.cid}"] = "Board comments"
    app.text_input(key=f"note-{comment.id}").input("Cut to one page.")
    app.button(key=f"addressed-{comment.id}").click().run()
    assert not app.exception
    assert app.session_state[f"approval-tab-{in_review.cid}"] == "Board comments"
    assert "One comment, marked addressed." in texts(app)
    with read_scope(in_review.engine) as session:
        stored = session.get(SectionComment, comment.id)
    assert (stored.addressed_by_id, stored.addressed_note) == (
        in_review.officer,
        "Cut to one page.",
    )


def test_officer_downloads_the_frozen_document_with_its_hash_and_records_it_sent(
    open_page, in_review
):
    decide(in_review, in_review.chair, APPROVE)
    app = open_as(open_page, in_review, in_review.officer, APPROVAL)
    with read_scope(in_review.engine) as session:
        sha = session.scalar(select(Approval.sha256))
    assert sha in [c.value for c in app.code]
    assert "Download the approved response (.docx)" in downloads(app)
    next(t for t in app.text_input if t.label.startswith("The department's reference")).input(
        "HO/42"
    )
    button(app, "Record as sent").click().run()
    assert not app.exception
    assert status(in_review) == "sent"
    sent = f"Sent on {plain_date(uk_today())} by email to the department, reference HO/42"
    assert sent in texts(app)


def test_changed_bytes_of_the_approved_document_are_reported_on_the_page(open_page, in_review):
    decide(in_review, in_review.chair, APPROVE)
    with session_scope(in_review.engine) as session:
        session.execute(update(Approval).values(document=b"changed"))
    # A partner meets it first, on the approved response; then the officer, on approval.
    for person_id, page in ((in_review.partners[0], RESPONSE), (in_review.officer, APPROVAL)):
        app = open_as(open_page, in_review, person_id, page)
        assert "The approved document has changed since it was approved" in texts(app)
        assert "Download the approved response (.docx)" not in downloads(app)
    with read_scope(in_review.engine) as session:
        reported = session.scalars(
            select(AuditEvent.actor_id).where(AuditEvent.action == "document.changed")
        ).all()
    assert reported == [in_review.partners[0]]
    told = open_as(open_page, in_review, in_review.officer, NOTIFICATIONS)
    assert any("no longer matches the SHA-256" in t.value for t in told.text)
    assert "See the approval and what was found" in [link.label for link in told.get("page_link")]


# --- partners --------------------------------------------------------------------------------


def test_record_as_sent_warns_about_board_comments_not_yet_addressed(open_page, in_review):
    comment_on_summary(in_review, in_review.member, "Lead with Belfast.", hours=3)
    decide(in_review, in_review.chair, APPROVE)
    app = open_as(open_page, in_review, in_review.officer, APPROVAL)
    assert "One board comment is not yet marked addressed" in texts(app)
    assert [b for b in app.button if b.label == "Record as sent"]


def test_a_partner_sees_no_response_before_approval(open_page, in_review):
    app = open_as(open_page, in_review, in_review.partners[0], RESPONSE)
    assert "has not been approved by the board yet" in texts(app)
    assert downloads(app) == []


def test_a_partner_downloads_the_approved_response_and_sees_where_their_answers_went(
    open_page, in_review
):
    decide(in_review, in_review.chair, APPROVE)
    app = open_as(open_page, in_review, in_review.partners[0], RESPONSE)
    assert "Download the approved response (.docx)" in downloads(app)
    page = texts(app)
    with read_scope(in_review.engine) as session:
        sha = session.scalar(select(Approval.sha256))
    assert "Document fingerprint (to check a copy is the approved one):" in page
    assert sha in [c.value for c in app.caption]  # the fingerprint itself, smaller
    assert "SHA-256" not in page
    assert "Where your answers were used" in page
    assert "one of your answers" in page  # a count in running text, in words
    assert "1 of your answers" not in page
    home = open_as(open_page, in_review, in_review.partners[0], "evidence/pages/partner_home.py")
    assert "Read and download the approved response" in [
        link.label for link in home.get("page_link")
    ]


# --- notifications ---------------------------------------------------------------------------


def test_notifications_page_lists_and_marks_read(open_page, in_review):
    app = open_as(open_page, in_review, in_review.member, NOTIFICATIONS)
    assert any("is awaiting your review" in t.value for t in app.text)
    button(app, "Mark all as read").click().run()
    assert not app.exception
    assert "All marked as read." in texts(app)
    links = [link.label for link in app.sidebar.get("page_link")]
    assert "Notifications" in links


# --- the audit trail -------------------------------------------------------------------------


def audit_table(app):
    return next(d.value for d in app.dataframe if "Who" in d.value.columns)


def test_audit_page_lists_every_event_and_filters_them(open_page, in_review):
    decide(in_review, in_review.member, CHANGES, "Not yet.")
    app = open_as(open_page, in_review, in_review.officer, AUDIT)
    everything = audit_table(app)
    decided = "Gave a board decision"
    assert {
        "Sent a version of the draft to the board",
        decided,
        "Assembled a draft from the evidence",
    } <= set(everything["What"])
    # Words, not codes or JSON, in every row.
    assert not any("." in what and " " not in what for what in everything["What"])
    assert not any(detail.startswith("{") for detail in everything["Details"])
    assert "decision: asked for changes" in " ".join(everything["Details"])

    kind = next(s for s in app.selectbox if s.label == "Kind of event")
    assert decided in kind.options  # the filter names kinds in words too
    kind.set_value("review.decided").run()
    assert list(audit_table(app)["What"]) == [decided]
    assert "1 event match" in texts(app)

    next(s for s in app.selectbox if s.label == "Kind of event").set_value(None).run()
    who = next(s for s in app.selectbox if s.label == "Person")
    who.set_value(in_review.member).run()
    assert set(audit_table(app)["What"]) == {decided}
    assert "Download these events (.csv)" in downloads(app)


def test_audit_page_filters_by_dates_and_refuses_a_backwards_range(open_page, in_review):
    app = open_as(open_page, in_review, in_review.officer, AUDIT)
    with read_scope(in_review.engine) as session:
        first = min(session.scalars(select(AuditEvent.at)))
    day = first.date()
    next(d for d in app.date_input if d.label == "From").set_value(day + timedelta(days=1)).run()
    assert audit_table(app).empty
    next(d for d in app.date_input if d.label == "To").set_value(day).run()
    assert "the 'from' date is after the 'to' date" in texts(app)


@pytest.mark.parametrize("role", ["partner", "board"])
def test_only_officers_open_the_audit_trail(open_page, board, role):
    who = board.partners[0] if role == "partner" else board.member
    app = open_as(open_page, board, who, AUDIT)
    assert "Only policy officers can open this page" in texts(app)
    assert not app.dataframe


def test_the_officer_is_told_what_saving_does_to_a_version_with_the_board(open_page, in_review):
    """A new user saved a typo fix on the approved version and only then found the board had
    to approve again: the draft page says so before any save, and points to the approved
    file, which alone says "Approved by the Board" on its cover."""
    draft_page = "exports/pages/draft.py"
    app = open_as(open_page, in_review, in_review.officer, draft_page)
    assert "is with the board for review. Saving any change makes a new version" in texts(app)

    chair = open_as(open_page, in_review, in_review.chair, REVIEW)
    next(r for r in chair.radio if r.label == "Your decision").set_value(APPROVE)
    button(chair, "Record my decision").click().run()
    assert status(in_review) == "approved"

    app = open_as(open_page, in_review, in_review.officer, draft_page)
    shown = texts(app)
    assert "is approved by the board. Saving any change makes a new version" in shown
    assert "is the response the board approved. The file to send" in shown
