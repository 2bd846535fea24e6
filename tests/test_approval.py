"""Board review and approval on a real database: sending, comments, decisions, the rule,
freezing and its hash, a new version after approval, sending to the department, refusals."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from datetime import timedelta

import docx
import pytest
from sqlalchemy import func, select, update

from consultations.consultation import move_consultation
from consultations.dates import plain_date
from consultations.db import read_scope, session_scope
from consultations.errors import AccessDenied, LifecycleError, ValidationFailed, WorkbenchError
from consultations.models import AuditEvent, Consultation, Notification, User
from consultations.notifications import mark_read, notifications_for, unread_count
from exports.approval import (
    add_comment,
    after_new_version,
    mark_addressed,
    record_decision,
    record_sent,
    send_for_review,
)
from exports.approval_rule import APPROVE, CHANGES, Cast, approval_verdict, current_decisions
from exports.approved import (
    FrozenDocumentChanged,
    approved_document,
    report_changed_document,
    sections_using_my_answers,
)
from exports.board_view import evidence_behind, readable_version
from exports.draft_model import Block
from exports.drafts import draft_of, latest, save_section
from exports.models import Approval, ReviewDecision
from exports.review_overview import awaiting_review, last_reviewed, review_overview
from tests.board_world import REVIEW_BY, Board, build_board, send
from tests.conftest import CLOSES_ON, NOW, add_person, later
from tests.tagging_world import (
    TODAY,
)

# --- the rule, as a table of cases --------------------------------------------------------------


def cast(*rows: tuple[str, str]) -> list[Cast]:
    """Decision rows in order; a member whose name starts 'Chair' is the chair."""
    ids = {}
    return [
        Cast(ids.setdefault(name, len(ids) + 1), name, name.startswith("Chair"), decision, n)
        for n, (name, decision) in enumerate(rows, start=1)
    ]


RULE_CASES = [
    # rule, needed, decisions in order, holds, explanation
    ("chair", 1, [], False, "Not approved yet: the chair has not approved."),
    ("chair", 1, [("Chair Doherty", APPROVE)], True, "Approved: the chair has approved"),
    ("chair", 1, [("Kerr", APPROVE), ("Nair", APPROVE)], False, "the chair has not approved"),
    (
        "chair",
        1,
        [("Chair Doherty", APPROVE), ("Kerr", CHANGES)],
        False,
        "Not approved yet: Kerr has asked for changes.",
    ),
    (
        "chair",
        1,
        [("Kerr", CHANGES), ("Chair Doherty", APPROVE), ("Kerr", APPROVE)],
        True,
        "Approved",
    ),
    (
        "chair",
        1,
        [("Chair Doherty", APPROVE), ("Chair Doherty", CHANGES)],
        False,
        "the chair has not approved; Chair Doherty has asked for changes",
    ),
    ("chair", 1, [("Chair Doherty", CHANGES), ("Chair Doherty", APPROVE)], True, "Approved"),
    ("count", 2, [("Kerr", APPROVE)], False, "Not approved yet: 1 of the 2 approvals needed."),
    ("count", 2, [("Kerr", APPROVE), ("Nair", APPROVE)], True, "2 of the 2 approvals needed"),
    ("count", 2, [("Kerr", APPROVE), ("Kerr", APPROVE)], False, "1 of the 2 approvals needed"),
    (
        "count",
        2,
        [("Kerr", APPROVE), ("Nair", APPROVE), ("Chair Doherty", CHANGES)],
        False,
        "Chair Doherty has asked for changes",
    ),
    (
        "count",
        2,
        [("Kerr", CHANGES), ("Nair", CHANGES)],
        False,
        "0 of the 2 approvals needed; Kerr and Nair have asked for changes.",
    ),
    ("count", 1, [("Nair", APPROVE)], True, "1 of the 1 approvals needed"),
    ("count", 3, [("Kerr", APPROVE), ("Nair", APPROVE), ("Chair Doherty", APPROVE)], True, ""),
]


@pytest.mark.parametrize(("rule", "needed", "rows", "holds", "explanation"), RULE_CASES)
def test_approval_verdict_follows_the_rule_in_settings(rule, needed, rows, holds, explanation):
    verdict = approval_verdict(cast(*rows), rule=rule, needed=needed)
    assert verdict.holds is holds
    assert explanation in verdict.explanation


def test_a_members_later_decision_replaces_the_earlier_as_current():
    rows = cast(("Kerr", CHANGES), ("Nair", APPROVE), ("Kerr", APPROVE))
    current = current_decisions(reversed(rows))
    assert [(c.member, c.decision) for c in current] == [("Nair", APPROVE), ("Kerr", APPROVE)]


def test_an_unknown_rule_is_refused_by_name():
    with pytest.raises(ValueError, match=r"'most' is not an approval rule: chair, count\."):
        approval_verdict([], rule="most")


# --- a consultation with answers, a draft and a board -----------------------------------------


@pytest.fixture
def board(engine, monkeypatch):
    monkeypatch.delenv("WORKBENCH_APPROVAL_RULE", raising=False)
    return build_board(engine)


def as_(session, person_id):
    return session.get(User, person_id)


def decide(b: Board, who: int, decision: str, comment: str = "", *, number: int = 1, hours=3):
    with session_scope(b.engine) as session:
        return record_decision(
            session,
            as_(session, who),
            b.cid,
            number=number,
            decision=decision,
            comment=comment,
            now=later(hours=hours),
        )


def edit(b: Board, text: str = "Fund advice services.", *, hours=4):
    with session_scope(b.engine) as session:
        newest = latest(session, b.cid)
        section = draft_of(newest).section("recommendations")
        return save_section(
            session,
            as_(session, b.officer),
            b.cid,
            replace(section, blocks=[Block("paragraph", text)]),
            seen=newest.number,
            now=later(hours=hours),
        ).number


def status(b: Board) -> str:
    with read_scope(b.engine) as session:
        return session.get(Consultation, b.cid).status


def actions(b: Board) -> list[str]:
    with read_scope(b.engine) as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def kinds_for(b: Board, person_id: int) -> list[str]:
    with read_scope(b.engine) as session:
        return [n.kind for n in notifications_for(session, as_(session, person_id))]


# --- sending for review ----------------------------------------------------------------------


def test_sending_the_latest_version_puts_it_in_review_and_tells_the_board(board):
    request = send(board)

    assert request.review_by == REVIEW_BY
    assert status(board) == "in_review"
    assert "review.requested" in actions(board)
    for member in (board.chair, board.member, board.other):
        assert kinds_for(board, member) == ["review"]
    assert kinds_for(board, board.officer) == []
    with read_scope(board.engine) as session:
        waiting = awaiting_review(session, as_(session, board.member))
        message = notifications_for(session, as_(session, board.chair))[0].message
    assert [(w.number, w.review_by, w.your_decision) for w in waiting] == [(1, REVIEW_BY, "")]
    assert "Version 1 of the response to 'Family migration: a consultation'" in message
    assert f"Please decide by {plain_date(REVIEW_BY)}." in message


def test_only_the_latest_version_can_be_sent(board):
    edit(board)
    with pytest.raises(LifecycleError, match="Version 1 is not the latest version of the draft"):
        send(board, 1)
    assert status(board) == "closed"


def test_a_deadline_in_the_past_or_after_the_closing_date_is_refused(board):
    with pytest.raises(ValidationFailed, match="has passed"):
        send(board, review_by=TODAY - timedelta(days=1))
    with pytest.raises(ValidationFailed, match="after the government's closing date"):
        send(board, review_by=CLOSES_ON + timedelta(days=1))
    assert status(board) == "closed"


def test_an_open_consultation_cannot_be_sent_to_the_board(board):
    with session_scope(board.engine) as session:
        move_consultation(session, as_(session, board.officer), board.cid, "open", now=NOW)
    with pytest.raises(LifecycleError, match="Partners can still answer"):
        send(board)


@pytest.mark.parametrize("role", ["partner", "board"])
def test_only_officers_send_a_draft_for_review(board, role):
    who = board.partners[0] if role == "partner" else board.chair
    with (
        pytest.raises(AccessDenied, match="Only policy officers"),
        session_scope(board.engine) as session,
    ):
        send_for_review(
            session,
            as_(session, who),
            board.cid,
            number=1,
            review_by=REVIEW_BY,
            today=TODAY,
            now=NOW,
        )


# --- comments and decisions ------------------------------------------------------------------


def test_a_request_for_changes_needs_a_reason_and_tells_the_officers(board):
    send(board)
    with pytest.raises(WorkbenchError, match="needs a reason"):
        decide(board, board.member, CHANGES, "  ")
    decide(board, board.member, CHANGES, "Say more about Newry.")

    assert kinds_for(board, board.officer) == ["changes"]
    assert status(board) == "in_review"


def test_the_same_member_deciding_twice_replaces_the_first_and_keeps_both(board):
    send(board)
    decide(board, board.member, CHANGES, "Too long.", hours=3)
    decide(board, board.member, APPROVE, hours=4)

    with read_scope(board.engine) as session:
        rows = session.scalars(select(ReviewDecision).order_by(ReviewDecision.id)).all()
        overview = review_overview(session, as_(session, board.officer), board.cid)
    assert [r.decision for r in rows] == [CHANGES, APPROVE]
    assert [(d.decision, d.current) for d in overview.decisions] == [
        (APPROVE, True),
        (CHANGES, False),
    ]
    assert overview.verdict.changes == ()
    events = [a for a in actions(board) if a == "review.decided"]
    assert len(events) == 2
    with read_scope(board.engine) as session:
        second = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "review.decided").order_by(AuditEvent.id)
        ).all()[1]
    assert second.detail["replaces"] == rows[0].id


def test_comments_are_kept_per_section_and_the_officer_marks_them_addressed(board):
    send(board)
    with session_scope(board.engine) as session:
        comment = add_comment(
            session,
            as_(session, board.member),
            board.cid,
            number=1,
            section_key="summary",
            text="<b>Lead</b> with the regional point.",
            now=later(hours=3),
        )
    decide(board, board.member, CHANGES, "See my comment on the summary.")
    two = edit(board)
    with session_scope(board.engine) as session:
        mark_addressed(
            session, as_(session, board.officer), comment.id, note="Moved up.", now=later(hours=5)
        )
    with read_scope(board.engine) as session:
        shown = review_overview(session, as_(session, board.officer), board.cid).comments[0]
        reviewed = last_reviewed(session, as_(session, board.member), board.cid)
    assert (shown.number, shown.section_key, shown.text) == (
        1,
        "summary",
        "<b>Lead</b> with the regional point.",
    )
    assert (shown.addressed_by, shown.addressed_in, shown.addressed_note) == (
        "Test Officer",
        two,
        "Moved up.",
    )
    assert reviewed == 1
    with (
        pytest.raises(WorkbenchError, match="marked this comment addressed on"),
        session_scope(board.engine) as session,
    ):
        mark_addressed(session, as_(session, board.officer), comment.id, now=later(hours=6))
    assert "review.comment_addressed" in actions(board)


def test_a_board_member_cannot_mark_a_comment_addressed(board):
    send(board)
    with session_scope(board.engine) as session:
        comment = add_comment(
            session,
            as_(session, board.member),
            board.cid,
            number=1,
            section_key="summary",
            text="Shorter.",
            now=later(hours=3),
        )
    with (
        pytest.raises(AccessDenied, match="Only policy officers"),
        session_scope(board.engine) as session,
    ):
        mark_addressed(session, as_(session, board.member), comment.id, now=later(hours=4))


def test_a_board_member_cannot_edit_the_draft(board):
    send(board)
    with (
        pytest.raises(AccessDenied, match="Only policy officers can do this"),
        session_scope(board.engine) as session,
    ):
        newest = latest(session, board.cid)
        section = draft_of(newest).section("recommendations")
        save_section(
            session,
            as_(session, board.chair),
            board.cid,
            replace(section, blocks=[Block("paragraph", "The chair's own words.")]),
            seen=1,
            now=later(hours=3),
        )
    with read_scope(board.engine) as session:
        assert latest(session, board.cid).number == 1


@pytest.mark.parametrize("role", ["officer", "partner"])
def test_only_board_members_decide_or_comment(board, role):
    send(board)
    who = board.officer if role == "officer" else board.partners[0]
    with pytest.raises(AccessDenied, match="Only board members can do this"):
        decide(board, who, APPROVE)
    with (
        pytest.raises(AccessDenied, match="Only board members can do this"),
        session_scope(board.engine) as session,
    ):
        add_comment(
            session,
            as_(session, who),
            board.cid,
            number=1,
            section_key="summary",
            text="Hm",
            now=NOW,
        )


def test_a_version_not_in_review_cannot_be_decided_on(board):
    with pytest.raises(LifecycleError, match="Version 1 is not with the board for review"):
        decide(board, board.chair, APPROVE)


def test_a_version_that_is_not_the_latest_cannot_be_approved(board):
    send(board)
    edit(board)
    with pytest.raises(LifecycleError, match="Version 1 is not the latest version"):
        decide(board, board.chair, APPROVE, number=1)
    with pytest.raises(LifecycleError, match="Version 2 is not with the board for review"):
        decide(board, board.chair, APPROVE, number=2)
    assert status(board) == "drafting"


# --- approval, frozen ------------------------------------------------------------------------


def approve(b: Board, number: int = 1, hours=5):
    return decide(b, b.chair, APPROVE, number=number, hours=hours)


def test_the_chairs_approval_freezes_the_version_with_its_hash(board):
    send(board)
    decide(board, board.member, APPROVE)
    result = approve(board)

    assert result.verdict.holds and result.approval_id is not None
    assert status(board) == "approved"
    with read_scope(board.engine) as session:
        stored = session.get(Approval, result.approval_id)
        document, sha = stored.document, stored.sha256
        downloaded = approved_document(session, as_(session, board.partners[0]), board.cid)
    assert sha == hashlib.sha256(document).hexdigest()
    assert downloaded.document == document and downloaded.sha256 == sha
    assert downloaded.file_name == "family-migration-a-consultation-approved-v1.docx"
    opened = docx.Document(io.BytesIO(document))
    approved_on = f"Approved by the Board on {plain_date(TODAY)}"
    assert approved_on in [p.text for p in opened.paragraphs]
    assert opened.sections[0].footer.paragraphs[0].text.startswith(approved_on)
    event = next(a for a in actions(board) if a == "draft.approved")
    assert event
    for person in (board.officer, board.member, board.other):
        assert "approved" in kinds_for(board, person)


def test_under_the_count_rule_two_approvals_are_needed(board, monkeypatch):
    monkeypatch.setenv("WORKBENCH_APPROVAL_RULE", "count")
    monkeypatch.setenv("WORKBENCH_APPROVALS_NEEDED", "2")
    send(board)
    first = approve(board, hours=3)
    assert not first.verdict.holds and status(board) == "in_review"
    second = decide(board, board.other, APPROVE, hours=4)
    assert second.verdict.holds and status(board) == "approved"


def test_an_open_request_for_changes_holds_back_the_chairs_approval(board):
    send(board)
    decide(board, board.member, CHANGES, "Not yet.", hours=3)
    held = approve(board, hours=4)
    assert not held.verdict.holds
    assert held.verdict.explanation == "Not approved yet: David Kerr has asked for changes."
    released = decide(board, board.member, APPROVE, hours=5)
    assert released.verdict.holds and status(board) == "approved"


def test_an_edit_after_approval_makes_a_version_that_needs_approval_again(board):
    send(board)
    approve(board)
    mark_all_read(board, board.member)

    two = edit(board, hours=6)

    assert two == 2 and status(board) == "drafting"
    assert kinds_for(board, board.member)[0] == "reapproval"
    with (
        read_scope(board.engine) as session,
        pytest.raises(AccessDenied, match="has not been approved by the board yet"),
    ):
        approved_document(session, as_(session, board.partners[0]), board.cid)
    send(board, 2, now=later(hours=7))
    with pytest.raises(LifecycleError, match="Version 1 is not the latest"):
        approve(board, 1, hours=8)
    approve(board, 2, hours=8)
    assert status(board) == "approved"
    with read_scope(board.engine) as session:
        assert approved_document(session, as_(session, board.officer), board.cid).number == 2


def mark_all_read(b: Board, person_id: int) -> None:
    with session_scope(b.engine) as session:
        mark_read(session, as_(session, person_id), now=later(hours=5))


def test_an_edit_during_review_withdraws_the_version_and_tells_the_board(board):
    send(board)
    edit(board)
    assert status(board) == "drafting"
    assert kinds_for(board, board.other) == ["withdrawn", "review"]


def test_changed_bytes_of_a_frozen_version_are_reported_and_never_handed_out(board):
    send(board)
    result = approve(board)
    with session_scope(board.engine) as session:
        session.execute(
            update(Approval)
            .where(Approval.id == result.approval_id)
            .values(document=b"PK tampered")
        )
    with (
        read_scope(board.engine) as session,
        pytest.raises(
            FrozenDocumentChanged,
            match="The approved document has changed since it was approved: the file stored for "
            "version 1 has SHA-256",
        ),
    ):
        approved_document(session, as_(session, board.officer), board.cid)
    with (
        pytest.raises(FrozenDocumentChanged, match="Do not send it"),
        session_scope(board.engine) as session,
    ):
        record_sent(
            session,
            as_(session, board.officer),
            board.cid,
            sent_on=TODAY,
            method="Email to the department",
            today=TODAY,
            now=later(hours=6),
        )
    assert status(board) == "approved"


def test_changing_both_the_bytes_and_the_stored_hash_is_caught_by_the_audit_record(board):
    send(board)
    result = approve(board)
    forged = b"PK forged"
    with session_scope(board.engine) as session:
        session.execute(
            update(Approval)
            .where(Approval.id == result.approval_id)
            .values(document=forged, sha256=hashlib.sha256(forged).hexdigest())
        )
    with read_scope(board.engine) as session, pytest.raises(FrozenDocumentChanged):
        approved_document(session, as_(session, board.officer), board.cid)


def tamper(b: Board, approval_id: int, document: bytes) -> None:
    with session_scope(b.engine) as session:
        session.execute(
            update(Approval).where(Approval.id == approval_id).values(document=document)
        )


def meet_changed_document(b: Board, person_id: int, hours: int) -> bool:
    """The person opens the approved document; return whether their visit reported the change."""
    with read_scope(b.engine) as session, pytest.raises(FrozenDocumentChanged) as caught:
        approved_document(session, as_(session, person_id), b.cid)
    with session_scope(b.engine) as session:
        return report_changed_document(
            session, as_(session, person_id), caught.value, now=later(hours=hours)
        )


def changed_events(b: Board) -> list[tuple[str, dict]]:
    with read_scope(b.engine) as session:
        return [
            (event.actor_label, event.detail)
            for event in session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "document.changed")
                .order_by(AuditEvent.id)
            )
        ]


def test_a_changed_approved_document_is_audited_and_told_to_the_officers_once_per_change(board):
    send(board)
    result = approve(board)
    approved = hashlib.sha256(approval_document(board, result.approval_id)).hexdigest()
    with session_scope(board.engine) as session:
        second_officer = add_person(session, "officer", email="second.officer@example.org").id
    tamper(board, result.approval_id, b"PK tampered")

    assert meet_changed_document(board, board.partners[0], hours=6) is True
    # Everyone else who meets the same bytes is refused too, without a second alarm.
    assert meet_changed_document(board, board.officer, hours=7) is False
    assert meet_changed_document(board, board.chair, hours=8) is False
    found = hashlib.sha256(b"PK tampered").hexdigest()
    events = changed_events(board)
    assert len(events) == 1
    label, detail = events[0]
    assert detail == {"number": 1, "found": found, "approved": approved}
    with read_scope(board.engine) as session:
        assert label == as_(session, board.partners[0]).email
    for officer in (board.officer, second_officer):
        told_kinds = kinds_for(board, officer)  # newest first
        assert (told_kinds[0], told_kinds.count("changed")) == ("changed", 1)
    with read_scope(board.engine) as session:
        told = notifications_for(session, as_(session, board.officer))[0]
    assert "no longer matches the SHA-256" in told.message
    assert (told.consultation_id, told.version_number) == (board.cid, 1)
    assert "changed" not in kinds_for(board, board.chair)
    assert "changed" not in kinds_for(board, board.partners[0])

    # Bytes changed again are a new change: reported again.
    tamper(board, result.approval_id, b"PK tampered twice")
    assert meet_changed_document(board, board.member, hours=9) is True
    assert [detail["found"] for _, detail in changed_events(board)] == [
        found,
        hashlib.sha256(b"PK tampered twice").hexdigest(),
    ]


def approval_document(b: Board, approval_id: int) -> bytes:
    with read_scope(b.engine) as session:
        return session.get(Approval, approval_id).document


# --- sending to the department ----------------------------------------------------------------


def test_recording_the_response_as_sent_tells_everyone_who_contributed(board):
    send(board)
    approve(board)
    with session_scope(board.engine) as session:
        record_sent(
            session,
            as_(session, board.officer),
            board.cid,
            sent_on=TODAY,
            method="Email to the department",
            reference="HO-FM-1/0042",
            today=TODAY,
            now=later(hours=6),
        )
    assert status(board) == "sent"
    with read_scope(board.engine) as session:
        overview = review_overview(session, as_(session, board.officer), board.cid)
    assert (overview.sent_on, overview.sent_method, overview.sent_reference) == (
        TODAY,
        "Email to the department",
        "HO-FM-1/0042",
    )
    assert "response.sent" in actions(board)
    for partner in board.partners:
        assert kinds_for(board, partner) == ["sent"]
    with pytest.raises(LifecycleError, match="has been sent, so its draft cannot change"):
        edit(board, hours=7)


def test_a_response_cannot_be_sent_before_approval_or_dated_wrongly(board):
    send(board)

    def record(**changes):
        values = {"sent_on": TODAY, "method": "Post", "today": TODAY, "now": later(hours=6)}
        values.update(changes)
        with session_scope(board.engine) as session:
            record_sent(session, as_(session, board.officer), board.cid, **values)

    with pytest.raises(LifecycleError, match="Only an approved response can be sent"):
        record()
    approve(board)
    with pytest.raises(ValidationFailed, match="3 problems") as refused:
        record(sent_on=TODAY + timedelta(days=1), method="Pigeon", reference="x" * 201)
    assert "is in the future" in str(refused.value)
    assert "'Pigeon' is not one of" in str(refused.value)
    with pytest.raises(ValidationFailed, match="before the board approved it"):
        record(sent_on=TODAY - timedelta(days=1))
    assert status(board) == "approved"


# --- reading: partners, board and the evidence behind a point ----------------------------------


def test_a_partner_cannot_open_a_draft_before_approval(board):
    with read_scope(board.engine) as session:
        partner = as_(session, board.partners[0])
        with pytest.raises(AccessDenied, match="Partners can read the response once the board"):
            readable_version(session, partner, board.cid, 1)
        with pytest.raises(AccessDenied, match="has not been approved by the board yet"):
            approved_document(session, partner, board.cid)
    send(board)
    approve(board)
    with read_scope(board.engine) as session:
        assert readable_version(session, as_(session, board.partners[0]), board.cid, 1).number == 1


def test_the_board_reads_only_versions_sent_to_it(board):
    with (
        read_scope(board.engine) as session,
        pytest.raises(AccessDenied, match="Version 1 has not been sent to the board"),
    ):
        readable_version(session, as_(session, board.member), board.cid, 1)
    send(board)
    with read_scope(board.engine) as session:
        assert readable_version(session, as_(session, board.member), board.cid, 1).number == 1


def test_the_evidence_behind_a_point_respects_each_partners_consent(board):
    send(board)
    with read_scope(board.engine) as session:
        draft = draft_of(latest(session, board.cid))
        cited = sorted({i for s in draft.sections for i in s.answer_ids()})
        shown = evidence_behind(session, as_(session, board.member), board.cid, 1, cited)
    by_text = {a.text.split()[0]: a for a in shown}
    assert by_text["Families"].who == "Partner organisation 1"
    # Three voluntary and community partners: the unnamed ones are numbered, with the sector.
    assert by_text["The"].who.startswith("Partner ")
    assert by_text["The"].sector == "voluntary and community"
    assert "Partner organisation 2" not in by_text["The"].text
    assert "[a voluntary and community sector partner] sees this every week" in (
        by_text["The"].text
    )
    assert by_text["ESOL"].who.startswith("Partner ")
    assert by_text["ESOL"].sector == "voluntary and community"
    # Each partner appears as in the draft's annex.
    (table,) = [b for b in draft.section("annex").blocks if b.kind == "table"]
    in_annex = dict(zip(table.answer_ids, (row[0] for row in table.rows[1:]), strict=True))
    assert {a.answer_id: a.who for a in shown} == {i: in_annex[i] for i in cited}


def test_evidence_not_cited_by_the_version_cannot_be_opened(board):
    send(board)
    with read_scope(board.engine) as session:
        with pytest.raises(AccessDenied, match="not behind any point of version 1"):
            evidence_behind(session, as_(session, board.member), board.cid, 1, [999_999])
        with pytest.raises(AccessDenied, match="Only board members and policy officers"):
            evidence_behind(session, as_(session, board.partners[0]), board.cid, 1, [])


def test_partners_see_which_sections_drew_on_their_answers(board):
    send(board)
    approve(board)
    with read_scope(board.engine) as session:
        uses = sections_using_my_answers(session, as_(session, board.partners[2]), board.cid)
    headings = [u.heading for u in uses]
    assert any(h.startswith("Question 2") or "Q2" in h for h in headings), headings
    assert all(u.answers >= 1 for u in uses)


# --- notifications ------------------------------------------------------------------------------


def test_notifications_count_unread_and_are_marked_read_by_their_owner_only(board):
    send(board)
    with session_scope(board.engine) as session:
        chair = as_(session, board.chair)
        assert unread_count(session, chair) == 1
        mine = notifications_for(session, chair)[0].id
        theirs = notifications_for(session, as_(session, board.member))[0].id
        assert mark_read(session, chair, [theirs], now=later(hours=3)) == 0
        assert mark_read(session, chair, [mine], now=later(hours=3)) == 1
        assert unread_count(session, chair) == 0
        assert unread_count(session, as_(session, board.member)) == 1
        assert notifications_for(session, chair, unread_only=True) == []
    with read_scope(board.engine) as session:
        assert session.scalar(select(func.count()).select_from(Notification)) == 3


def test_after_new_version_does_nothing_before_review(board):
    with session_scope(board.engine) as session:
        after_new_version(session, as_(session, board.officer), board.cid, 2, now=NOW)
    assert status(board) == "closed"
    assert kinds_for(board, board.member) == []
