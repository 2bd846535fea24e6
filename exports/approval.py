"""Board review and approval: send a version to the board, comments and decisions, the rule,
the frozen approved document, and the record that it went to the department.

The officer sends the newest draft version to the board (the consultation moves to "in review"
through ``consultations.consultation.move_consultation``). Board members comment on sections
and decide: approve, or request changes with a reason. Decisions are rows, never edited: a
member who decides again adds a row, and their newest row is their current decision.

When the approval rule in the settings holds (``approval_verdict``, a pure function of the
decisions), the version is approved and frozen: the .docx that says "Approved by the Board on
..." is written once, and its bytes and their SHA-256 are kept. Any later edit makes a new
version (``after_new_version``, called by ``exports.drafts``): the consultation goes back to
drafting and the board is told the new version will need approval again. A frozen document
whose bytes no longer match their hash is never handed out (``check_document``).

This module does not import ``exports.drafts``: that module calls ``after_new_version`` on
every save, and the one-way import keeps the two free of a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from consultations.access import require
from consultations.consultation import (
    STATUS_LABELS,
    Stage,
    get_consultation,
    move_consultation,
)
from consultations.dates import plain_date
from consultations.errors import LifecycleError, ValidationFailed, WorkbenchError
from consultations.mail.config import Postbox
from consultations.models import Role, User
from consultations.notifications import MAX_MESSAGE, active_people, notify
from consultations.settings import load_settings
from exports.approval_records import (
    audit,
    casts,
    contributing_partners,
    current_approval,
    current_row,
    in_review_or_refuse,
    newest_or_refuse,
    request_for,
)
from exports.approval_rule import APPROVE, CHANGES, DECISIONS, Verdict, approval_verdict
from exports.approved import _freeze, check_document
from exports.board_mail import mail_approval, mail_review_request
from exports.board_view import consultation_policy
from exports.draft_model import Draft
from exports.gate import check_can_leave
from exports.models import (
    ResponseSent,
    ReviewDecision,
    ReviewRequest,
    SectionComment,
    latest_version,
)

SEND_METHODS = (
    "Email to the department",
    "The department's online form",
    "Post",
    "Other",
)
# How each way of sending reads after "Sent on Friday 12 December 2026"; "Other" says nothing.
SENT_BY = {
    "Email to the department": " by email to the department",
    "The department's online form": " through the department's online form",
    "Post": " by post",
}


def sent_words(sent_on: date, method: str, reference: str = "") -> str:
    """Say when and how the response was sent, as a sentence: 'Sent on Friday 12 December 2026
    by email to the department, reference HO/42.'"""
    also = f", reference {reference}" if reference else ""
    return f"Sent on {plain_date(sent_on)}{SENT_BY.get(method, '')}{also}."


MAX_COMMENT = 5_000
MAX_NOTE = 500
MAX_REFERENCE = 200


# --- sending to the board ---------------------------------------------------------------------


def send_for_review(
    session: Session,
    actor: User,
    consultation_id: int,
    *,
    number: int,
    review_by: date,
    today: date,
    now: datetime,
    note: str = "",
    postbox: Postbox | None = None,
) -> ReviewRequest:
    """Send the newest version to the board, asking for decisions by ``review_by`` (and, with
    email set up, by email with the officer's note)."""
    require(actor, "draft.send")
    consultation = get_consultation(session, consultation_id, for_update=True)
    version = newest_or_refuse(session, consultation, number)
    if consultation.status in ("draft", "open"):
        raise LifecycleError(
            "Partners can still answer this consultation. Close it to partners on its "
            "'Details and stage' page before sending the draft to the board."
        )
    if request_for(session, version.id) is not None:
        raise LifecycleError(f"Version {number} has been sent to the board already.")
    check_can_leave(
        Draft.from_json(version.content),
        doing=f"Sending version {number} to the board",
        policy=consultation_policy(session, consultation_id),
    )
    problems = []
    if review_by < today:
        problems.append(f"the board's deadline, {plain_date(review_by)}, has passed")
    if review_by > consultation.closes_on:
        problems.append(
            f"the board's deadline falls after the government's closing date, "
            f"{plain_date(consultation.closes_on)}: choose an earlier date"
        )
    if len(note) > MAX_NOTE:
        problems.append(f"the note is {len(note):,} characters; the most is {MAX_NOTE}")
    if problems:
        raise ValidationFailed(problems, subject="Sending for review")
    if consultation.status == Stage.CLOSED:
        move_consultation(session, actor, consultation_id, Stage.DRAFTING, now=now)
    # The request is the record the move to review needs (consultations.consultation.TRANSITIONS).
    request = ReviewRequest(
        consultation_id=consultation_id,
        draft_version_id=version.id,
        sent_by_id=actor.id,
        sent_at=now,
        review_by=review_by,
        note=note.strip(),
    )
    session.add(request)
    session.flush()
    move_consultation(session, actor, consultation_id, Stage.IN_REVIEW, now=now)
    audit(
        session,
        actor,
        "review.requested",
        request,
        consultation_id,
        now,
        number=number,
        review_by=review_by.isoformat(),
    )
    notify(
        session,
        active_people(session, "board"),
        "review",
        with_note(
            f"Version {number} of the response to '{consultation.title}' is awaiting your "
            f"review. Please decide by {plain_date(review_by)}.",
            request.note,
            by=actor.name,
        ),
        consultation_id=consultation_id,
        version_number=number,
        now=now,
    )
    mail_review_request(
        session,
        postbox,
        consultation,
        number=number,
        review_by=review_by,
        note=request.note,
        actor=actor,
        now=now,
    )
    return request


def with_note(message: str, note: str, *, by: str) -> str:
    """The notification's message with the officer's note for the board, cut to fit (the whole
    note is on the board's home and review page)."""
    if not note:
        return message
    text = f"{message} Note from {by}: {note}"
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1].rstrip() + "…"


# --- the board's comments and decisions -------------------------------------------------------


@dataclass(frozen=True)
class DecisionResult:
    """What a decision led to: the rule's verdict, and the approval if it now holds."""

    decision_id: int
    verdict: Verdict
    approval_id: int | None


def add_comment(
    session: Session,
    actor: User,
    consultation_id: int,
    *,
    number: int,
    section_key: str,
    text: str,
    now: datetime,
) -> SectionComment:
    """Add a board member's comment on one section of the version in review."""
    require(actor, "draft.review")
    consultation = get_consultation(session, consultation_id, for_update=True)
    version = in_review_or_refuse(session, consultation, number)
    text = text.strip()
    if not text:
        raise WorkbenchError("The comment is empty. Write what should change, then save it.")
    if len(text) > MAX_COMMENT:
        raise WorkbenchError(
            f"The comment is {len(text):,} characters; the most is {MAX_COMMENT:,}."
        )
    try:
        section = Draft.from_json(version.content).section(section_key)
    except KeyError:
        raise WorkbenchError(f"Version {number} has no section '{section_key}'.") from None
    comment = SectionComment(
        consultation_id=consultation_id,
        draft_version_id=version.id,
        member_id=actor.id,
        section_key=section_key,
        section_heading=section.heading[:300],
        text=text,
        created_at=now,
    )
    session.add(comment)
    session.flush()
    audit(
        session,
        actor,
        "review.commented",
        comment,
        consultation_id,
        now,
        number=number,
        section=section_key,
    )
    return comment


def record_decision(
    session: Session,
    actor: User,
    consultation_id: int,
    *,
    number: int,
    decision: str,
    comment: str = "",
    now: datetime,
    postbox: Postbox | None = None,
) -> DecisionResult:
    """Record a board member's decision on the version in review; approve it if the rule holds.

    A member may decide again: the new row becomes their current decision and the earlier one
    stays in the history.
    """
    require(actor, "draft.review")
    # The row lock makes concurrent decisions take turns, so the rule is checked on all of them.
    consultation = get_consultation(session, consultation_id, for_update=True)
    version = in_review_or_refuse(session, consultation, number)
    if decision not in DECISIONS:
        raise WorkbenchError(f"'{decision}' is not a decision: approve, or request changes.")
    comment = comment.strip()
    if decision == APPROVE:
        check_can_leave(
            Draft.from_json(version.content),
            doing=f"Approving version {number}",
            policy=consultation_policy(session, consultation_id),
        )
    if decision == CHANGES and not comment:
        raise WorkbenchError(
            "Say what should change: a request for changes needs a reason the officer can act on."
        )
    if len(comment) > MAX_COMMENT:
        raise WorkbenchError(
            f"The reason is {len(comment):,} characters; the most is {MAX_COMMENT:,}."
        )
    earlier = current_row(session, version.id, actor.id)
    row = ReviewDecision(
        consultation_id=consultation_id,
        draft_version_id=version.id,
        member_id=actor.id,
        decision=decision,
        comment=comment,
        decided_at=now,
    )
    session.add(row)
    session.flush()
    audit(
        session,
        actor,
        "review.decided",
        row,
        consultation_id,
        now,
        number=number,
        decision=decision,
        replaces=earlier.id if earlier else None,
    )
    if decision == CHANGES:
        notify(
            session,
            active_people(session, "officer"),
            "changes",
            f"{actor.name} asked for changes to version {number} of the response to "
            f"'{consultation.title}': {comment}",
            consultation_id=consultation_id,
            version_number=number,
            now=now,
        )
    settings = load_settings()
    verdict = approval_verdict(
        casts(session, version.id), rule=settings.approval_rule, needed=settings.approvals_needed
    )
    approval = None
    if verdict.holds:
        approval = _freeze(session, actor, consultation, version, verdict, now=now)
        mail_approval(
            session,
            postbox,
            consultation,
            number=version.number,
            approved_on=approval.approved_on,
            actor=actor,
            now=now,
        )
    return DecisionResult(row.id, verdict, approval.id if approval else None)


def mark_addressed(
    session: Session, actor: User, comment_id: int, *, note: str = "", now: datetime
) -> SectionComment:
    """Mark a board member's comment addressed, in the newest version, with an optional note."""
    require(actor, "draft.edit")
    comment = session.get(SectionComment, comment_id, with_for_update=True)
    if comment is None:
        raise WorkbenchError("That comment does not exist. Reload the page.")
    if comment.addressed_at is not None:
        who = comment.addressed_by.name if comment.addressed_by else "someone"
        raise WorkbenchError(
            f"{who} marked this comment addressed on {plain_date(comment.addressed_at)} already."
        )
    if len(note) > MAX_NOTE:
        raise WorkbenchError(f"The note is {len(note):,} characters; the most is {MAX_NOTE}.")
    newest = latest_version(session, comment.consultation_id)
    comment.addressed_at = now
    comment.addressed_by_id = actor.id
    comment.addressed_in_version = newest.number if newest else None
    comment.addressed_note = note.strip()
    session.flush()
    audit(
        session,
        actor,
        "review.comment_addressed",
        comment,
        comment.consultation_id,
        now,
        version=comment.addressed_in_version,
    )
    return comment


def mark_request_addressed(
    session: Session, actor: User, decision_id: int, *, note: str, now: datetime
) -> Verdict:
    """Mark a former board member's request for changes addressed, saying how; tell the board.

    A member who has left the board cannot decide again, so their open request would hold the
    version back for good; it is never dropped silently either. An officer says how it was
    addressed, the board is told, and the rule is read again. The version is still approved
    only by a board member's decision meeting the rule (the chair deciding again, by default).
    """
    require(actor, "draft.edit")
    row = session.get(ReviewDecision, decision_id)
    if row is None:
        raise WorkbenchError("That decision does not exist. Reload the page.")
    consultation = get_consultation(session, row.consultation_id, for_update=True)
    row = session.get(ReviewDecision, decision_id, with_for_update=True, populate_existing=True)
    number = row.draft_version.number
    version = in_review_or_refuse(session, consultation, number)
    member = row.member
    note = note.strip()
    if row.decision != CHANGES:
        raise WorkbenchError("Only a request for changes can be marked addressed.")
    if member.active and member.role == Role.BOARD:
        raise WorkbenchError(
            f"{member.name} is on the board: they withdraw their request by deciding again on "
            "the review page. Ask them to look at the new version."
        )
    if current_row(session, version.id, member.id).id != row.id:
        raise WorkbenchError("That request was replaced by a later decision of the same member.")
    if row.addressed_at is not None:
        who = row.addressed_by.name if row.addressed_by else "someone"
        raise WorkbenchError(
            f"{who} marked this request addressed on {plain_date(row.addressed_at)} already."
        )
    if not note:
        raise WorkbenchError(
            "Say how the request was addressed: the board reads it before deciding again."
        )
    if len(note) > MAX_NOTE:
        raise WorkbenchError(f"The note is {len(note):,} characters; the most is {MAX_NOTE}.")
    row.addressed_at, row.addressed_by_id, row.addressed_note = now, actor.id, note
    session.flush()
    audit(
        session,
        actor,
        "review.request_addressed",
        row,
        consultation.id,
        now,
        number=number,
        member=member.name,
        note=note,
    )
    settings = load_settings()
    verdict = approval_verdict(
        casts(session, version.id), rule=settings.approval_rule, needed=settings.approvals_needed
    )
    then = (
        "The decisions now meet the approval rule: a board member approves the version by "
        "deciding again on the review page."
        if verdict.holds
        else verdict.explanation
    )
    notify(
        session,
        active_people(session, Role.BOARD),
        "addressed",
        f"{actor.name} marked addressed the request for changes that {member.name} (no longer "
        f"on the board) made on version {number} of the response to '{consultation.title}'. "
        f"{then} How it was addressed: {note}",
        consultation_id=consultation.id,
        version_number=number,
        now=now,
    )
    return verdict


def after_new_version(
    session: Session, actor: User, consultation_id: int, number: int, *, now: datetime
) -> None:
    """React to a new draft version: after approval or during review it needs the board again.

    ``exports.drafts`` calls this for every version it saves, in the same transaction. A
    response already sent cannot change.
    """
    # Shared, as partners' saves take it: an exclusive lock here waited behind their stream of
    # saves for tens of seconds (bench/load.py). Moving the stage below takes the exclusive one.
    consultation = get_consultation(session, consultation_id, for_share=True)
    was = consultation.status
    if was == "sent":
        raise LifecycleError(
            f"The response to '{consultation.title}' has been sent, so its draft cannot change. "
            "Earlier versions can still be read and downloaded."
        )
    if was not in ("in_review", "approved"):
        return
    move_consultation(session, actor, consultation_id, Stage.DRAFTING, now=now)
    if was == "approved":
        kind = "reapproval"
        message = (
            f"The approved response to '{consultation.title}' has been changed: version "
            f"{number} replaces version {number - 1} and needs the board's approval again. "
            "The officer will send it to you."
        )
    else:
        kind = "withdrawn"
        message = (
            f"Version {number - 1} of the response to '{consultation.title}' is no longer up "
            f"for review: the officer has made version {number}, which will come to you for "
            "review."
        )
    notify(
        session,
        active_people(session, "board"),
        kind,
        message,
        consultation_id=consultation_id,
        version_number=number,
        now=now,
    )


# --- sending to the department ----------------------------------------------------------------


def record_sent(
    session: Session,
    actor: User,
    consultation_id: int,
    *,
    sent_on: date | None,
    method: str,
    reference: str = "",
    note: str = "",
    today: date,
    now: datetime,
) -> ResponseSent:
    """Record that the approved response was sent: when, how, and the department's reference."""
    require(actor, "draft.send")
    consultation = get_consultation(session, consultation_id, for_update=True)
    approval = current_approval(session, consultation)
    if consultation.status == "sent":
        raise LifecycleError("This response has been recorded as sent already.")
    if approval is None:
        raise LifecycleError(
            "Only an approved response can be sent. The consultation is at "
            f"'{STATUS_LABELS[consultation.status]}'."
        )
    check_document(session, approval)
    check_can_leave(
        Draft.from_json(approval.draft_version.content),
        doing="Recording the response as sent",
        policy=consultation_policy(session, consultation_id),
    )
    problems = []
    if sent_on is None:
        problems.append("the date it was sent is missing")
    elif sent_on > today:
        problems.append(f"{plain_date(sent_on)} is in the future")
    elif sent_on < approval.approved_on:
        problems.append(
            f"{plain_date(sent_on)} is before the board approved it "
            f"({plain_date(approval.approved_on)})"
        )
    if method not in SEND_METHODS:
        problems.append(f"'{method}' is not one of: {', '.join(SEND_METHODS)}")
    if len(reference) > MAX_REFERENCE:
        problems.append(f"the reference is longer than {MAX_REFERENCE} characters")
    if len(note) > MAX_NOTE:
        problems.append(f"the note is longer than {MAX_NOTE} characters")
    if problems:
        raise ValidationFailed(problems, subject="The record of sending")
    assert sent_on is not None
    sent = ResponseSent(
        consultation_id=consultation_id,
        approval_id=approval.id,
        sent_on=sent_on,
        method=method,
        reference=reference.strip(),
        note=note.strip(),
        recorded_by_id=actor.id,
        recorded_at=now,
    )
    session.add(sent)
    session.flush()
    move_consultation(session, actor, consultation_id, Stage.SENT, now=now)
    audit(
        session,
        actor,
        "response.sent",
        sent,
        consultation_id,
        now,
        number=approval.draft_version.number,
        sent_on=sent_on.isoformat(),
        method=method,
        reference=sent.reference,
        sha256=approval.sha256,
    )
    notify(
        session,
        [
            *active_people(session, "officer"),
            *active_people(session, "board"),
            *contributing_partners(session, consultation_id),
        ],
        "sent",
        f"The partnership's response to '{consultation.title}' was sent to the "
        f"{consultation.department} on {plain_date(sent_on)}. You can read and download it.",
        consultation_id=consultation_id,
        version_number=approval.draft_version.number,
        now=now,
    )
    return sent
