"""Separation of duties: the board's stages (review, approved, sent) are reached only through the
workflows that record them, whoever asks and however; the "Details and stage" page offers an
officer only the moves an officer may make by hand."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from consultations.accounts import set_active
from consultations.consultation import STATUS_LABELS, hand_moves, move_consultation
from consultations.db import read_scope, session_scope
from consultations.errors import AccessDenied, LifecycleError, WorkbenchError
from consultations.models import AuditEvent, Consultation, Notification
from exports.approval import mark_request_addressed, record_sent
from exports.approval_rule import APPROVE, CHANGES, Cast, approval_verdict
from exports.models import Approval, ResponseSent, ReviewRequest
from exports.review_overview import review_overview
from tests.board_world import Board, build_board, send
from tests.conftest import add_person, later
from tests.test_approval import approve, as_, decide, edit, status
from tests.test_pages import texts

DETAILS = "consultations/pages/consultation_edit.py"
BOARD_MOVE_LABELS = (
    "Send to the board for review",
    "Record the board's approval",
    "Record as sent",
)


@pytest.fixture
def board(engine, monkeypatch) -> Board:
    monkeypatch.delenv("WORKBENCH_APPROVAL_RULE", raising=False)
    return build_board(engine)


def move(b: Board, who: int, to: str) -> None:
    with session_scope(b.engine) as session:
        move_consultation(session, as_(session, who), b.cid, to, now=later(hours=8))


def count(b: Board, model, **where) -> int:
    query = select(func.count()).select_from(model)
    for column, value in where.items():
        query = query.where(getattr(model, column) == value)
    with read_scope(b.engine) as session:
        return session.scalar(query)


def status_moves(b: Board) -> list[dict]:
    with read_scope(b.engine) as session:
        return list(
            session.scalars(
                select(AuditEvent.detail)
                .where(AuditEvent.action == "consultation.status")
                .order_by(AuditEvent.id)
            )
        )


def test_officer_cannot_approve_by_moving_the_stage(board):
    send(board)
    moves_before = status_moves(board)
    with pytest.raises(
        AccessDenied,
        match="Only board members can move a consultation from 'In board review' to 'Approved "
        "by the board', and only when the board members' decisions meet the approval rule",
    ):
        move(board, board.officer, "approved")
    assert status(board) == "in_review"
    assert count(board, Approval) == 0
    assert status_moves(board) == moves_before


def test_a_board_member_cannot_approve_by_moving_the_stage_either(board):
    send(board)
    with pytest.raises(
        LifecycleError,
        match="only when the board members' decisions meet the approval rule, and there is no "
        "approval by the board of the newest version yet",
    ):
        move(board, board.chair, "approved")
    assert status(board) == "in_review"
    # The rule itself still approves: the chair's decision, recorded as a decision.
    assert approve(board).approval_id is not None
    assert status(board) == "approved"


def test_officer_cannot_mark_sent_without_an_approved_document(board):
    send(board)
    # The state the old "Details and stage" page left behind: approved, with no approval row.
    with session_scope(board.engine) as session:
        session.execute(update(Consultation).values(status="approved"))
    with pytest.raises(LifecycleError, match="there is no record that the approved response"):
        move(board, board.officer, "sent")
    with (
        pytest.raises(LifecycleError, match="Only an approved response can be sent"),
        session_scope(board.engine) as session,
    ):
        record_sent(
            session,
            as_(session, board.officer),
            board.cid,
            sent_on=later().date(),
            method="Post",
            today=later().date(),
            now=later(hours=8),
        )
    assert status(board) == "approved"
    assert count(board, ResponseSent) == 0
    assert count(board, Notification, kind="sent") == 0


def test_an_approved_response_is_sent_only_by_recording_the_sending(board):
    send(board)
    decide(board, board.member, APPROVE)
    approve(board)
    with pytest.raises(LifecycleError, match="only when an officer records how the approved"):
        move(board, board.officer, "sent")
    assert status(board) == "approved"
    with session_scope(board.engine) as session:
        record_sent(
            session,
            as_(session, board.officer),
            board.cid,
            sent_on=later().date(),
            method="Post",
            today=later().date(),
            now=later(hours=8),
        )
    assert status(board) == "sent"
    assert status_moves(board)[-1] == {"from": "approved", "to": "sent"}


def test_officer_cannot_put_a_draft_in_review_without_sending_it(board):
    move(board, board.officer, "drafting")
    with pytest.raises(LifecycleError, match="only when an officer sends a version of the draft"):
        move(board, board.officer, "in_review")
    assert status(board) == "drafting"
    assert count(board, ReviewRequest) == 0
    assert count(board, Notification, kind="review") == 0


@pytest.mark.parametrize("stage", ["in_review", "approved"])
def test_the_board_stages_are_left_only_by_a_new_version_of_the_draft(board, stage):
    send(board)
    if stage == "approved":
        approve(board)
    with pytest.raises(LifecycleError, match="only when an officer saves a new version"):
        move(board, board.officer, "drafting")
    assert status(board) == stage
    edit(board, hours=6)
    assert status(board) == "drafting"


@pytest.mark.parametrize("who", ["partner", "board"])
def test_nobody_else_moves_a_stage_by_hand(board, who):
    person = board.partners[0] if who == "partner" else board.member
    with pytest.raises(AccessDenied, match="Only policy officers can do this"):
        move(board, person, "drafting")
    assert status(board) == "closed"


# --- the "Details and stage" page --------------------------------------------------------------


@pytest.mark.parametrize("stage", ["closed", "drafting", "in_review", "approved", "sent"])
def test_the_details_page_offers_an_officer_only_the_moves_made_by_hand(board, open_page, stage):
    with session_scope(board.engine) as session:
        session.execute(update(Consultation).values(status=stage))
    officer = as_officer(board)
    app = open_page(DETAILS, as_user=officer, query={"consultation": str(board.cid)})
    assert not app.exception
    labels = [b.label for b in app.button]
    for label in BOARD_MOVE_LABELS:
        assert label not in labels
    assert f"Stage: {STATUS_LABELS[stage]}" in texts(app).replace("*", "")
    moves = [b.key.removeprefix("move-") for b in app.button if (b.key or "").startswith("move-")]
    assert moves == [str(s) for s in hand_moves(stage)]
    if stage in ("drafting", "in_review", "approved"):
        assert "Board approval page" in texts(app)


def as_officer(b: Board):
    with read_scope(b.engine) as session:
        return as_(session, b.officer)


# --- a member who leaves the board with a request for changes open ------------------------------


FORMER_IDS = {"Kerr": 101, "Old Chair": 102}


def former(name: str, decision: str, order: int, *, addressed=False, chair=False) -> Cast:
    """A decision row of someone no longer on the board (ids apart from the chair's, 1)."""
    return Cast(FORMER_IDS[name], name, chair, decision, order, on_board=False, addressed=addressed)


@pytest.mark.parametrize(
    ("rows", "holds", "explanation"),
    [
        (
            [Cast(1, "Chair", True, APPROVE, 2), former("Kerr", CHANGES, 1)],
            False,
            "Not approved yet: Kerr, no longer on the board, asked for changes that an officer "
            "has not marked addressed yet.",
        ),
        (
            [Cast(1, "Chair", True, APPROVE, 2), former("Kerr", CHANGES, 1, addressed=True)],
            True,
            "Approved",
        ),
        # A former chair's approval no longer counts; a former member's approval neither.
        ([former("Old Chair", APPROVE, 1, chair=True)], False, "the chair has not approved"),
        (
            [former("Kerr", APPROVE, 1), former("Kerr", CHANGES, 2)],
            False,
            "the chair has not approved; Kerr, no longer on the board",
        ),
    ],
)
def test_a_former_members_request_holds_until_addressed_and_their_approval_no_longer_counts(
    rows, holds, explanation
):
    verdict = approval_verdict(rows, rule="chair")
    assert verdict.holds is holds
    assert explanation in verdict.explanation


def add_admin(b: Board) -> int:
    with session_scope(b.engine) as session:
        return add_person(session, "officer", is_admin=True, email="admin@smp.example.org").id


def leave_the_board(b: Board, who: int) -> None:
    with session_scope(b.engine) as session:
        set_active(session, as_(session, add_admin(b)), who, active=False, now=later(hours=3))


def overview(b: Board):
    with read_scope(b.engine) as session:
        return review_overview(session, as_(session, b.officer), b.cid)


def address(b: Board, decision_id: int, note: str = "Added the figures they asked for.", **kw):
    with session_scope(b.engine) as session:
        return mark_request_addressed(
            session,
            as_(session, kw.get("who", b.officer)),
            decision_id,
            note=note,
            now=later(hours=kw.get("hours", 4)),
        )


def test_deactivating_a_member_keeps_their_request_for_changes_holding_the_draft_back(board):
    send(board)
    decide(board, board.member, CHANGES, "Add the figures for Derry.", hours=2.5)
    leave_the_board(board, board.member)
    result = approve(board)
    assert not result.verdict.holds and result.approval_id is None
    assert "David Kerr, no longer on the board, asked for changes" in result.verdict.explanation
    assert status(board) == "in_review"
    [request] = [d for d in overview(board).decisions if d.member == "David Kerr"]
    assert (request.on_board, request.holds_back, request.comment) == (
        False,
        True,
        "Add the figures for Derry.",
    )


def test_an_officer_marks_a_former_members_request_addressed_and_the_chair_then_approves(board):
    send(board)
    decide(board, board.member, CHANGES, "Add the figures for Derry.", hours=2.5)
    leave_the_board(board, board.member)
    approve(board)
    [request] = [d for d in overview(board).decisions if d.holds_back]
    verdict = address(board, request.decision_id)
    # The rule holds now, but only a board member's decision approves: nothing is frozen yet.
    assert verdict.holds
    assert status(board) == "in_review"
    assert count(board, Approval) == 0
    with read_scope(board.engine) as session:
        [told] = session.scalars(
            select(Notification).where(
                Notification.person_id == board.chair, Notification.kind == "addressed"
            )
        )
        [event] = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "review.request_addressed")
        )
    assert "(no longer on the board) made on version 1" in told.message
    assert "How it was addressed: Added the figures they asked for." in told.message
    assert (event.actor_id, event.detail["member"]) == (board.officer, "David Kerr")
    [shown] = [d for d in overview(board).decisions if d.decision_id == request.decision_id]
    assert (shown.holds_back, shown.addressed_by) == (False, "Test Officer")
    assert approve(board, hours=6).approval_id is not None
    assert status(board) == "approved"


def test_only_a_former_members_open_request_can_be_marked_addressed_and_with_a_note(board):
    send(board)
    decide(board, board.member, CHANGES, "Add the figures for Derry.", hours=2.5)
    decide(board, board.other, CHANGES, "Shorter summary, please.", hours=2.6)
    [kerr] = [d for d in overview(board).decisions if d.member == "David Kerr"]
    [nair] = [d for d in overview(board).decisions if d.member == "Priya Nair"]
    with pytest.raises(WorkbenchError, match="Priya Nair is on the board: they withdraw"):
        address(board, nair.decision_id)
    leave_the_board(board, board.member)
    with pytest.raises(WorkbenchError, match="Say how the request was addressed"):
        address(board, kerr.decision_id, note="  ")
    with pytest.raises(AccessDenied, match="Only policy officers"):
        address(board, kerr.decision_id, who=board.chair)
    address(board, kerr.decision_id)
    with pytest.raises(WorkbenchError, match=r"marked this request addressed on .* already"):
        address(board, kerr.decision_id, hours=5)


def test_the_approval_page_marks_a_former_member_and_lets_the_officer_address_the_request(
    board, open_page
):
    send(board)
    decide(board, board.member, CHANGES, "Add the figures for Derry.", hours=2.5)
    leave_the_board(board, board.member)
    officer = as_officer(board)
    app = open_page(
        "exports/pages/approval.py", as_user=officer, query={"consultation": str(board.cid)}
    )
    assert not app.exception
    assert "David Kerr (former member)" in app.dataframe[0].value["Member"].tolist()
    assert "no longer on the board" in texts(app)
    next(t for t in app.text_input if t.label == "How it was addressed").input(
        "Added the Derry figures to section 3."
    )
    next(b for b in app.button if b.label == "Mark the request addressed").click().run()
    assert not app.exception
    assert "Marked addressed. The board has been told." in texts(app)
    assert [d for d in overview(board).decisions if d.holds_back] == []
