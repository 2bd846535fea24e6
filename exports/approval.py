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

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.audit import record_event
from consultations.consultation import (
    STATUS_LABELS,
    Record,
    Stage,
    get_consultation,
    move_consultation,
    register_record_check,
)
from consultations.dates import plain_date, uk_time
from consultations.errors import AccessDenied, LifecycleError, ValidationFailed, WorkbenchError
from consultations.mail.config import Postbox
from consultations.models import AuditEvent, Consultation, Organisation, Question, Role, User
from consultations.notifications import MAX_MESSAGE, active_people, notify
from consultations.settings import load_settings
from consultations.words import agreeing
from evidence.models import Answer, Submission
from exports.assembly import sector_partner
from exports.board_mail import mail_approval, mail_review_request
from exports.draft_model import Draft
from exports.models import (
    Approval,
    DraftVersion,
    ResponseSent,
    ReviewDecision,
    ReviewRequest,
    SectionComment,
    latest_version,
    version_by_number,
)
from exports.word import status_line, write_docx

APPROVE, CHANGES = "approve", "changes"
DECISIONS = {APPROVE: "Approve", CHANGES: "Request changes"}
RULE_WORDS = {
    "chair": "the chair has approved and no member has an open request for changes",
    "count": "at least {needed} members have approved and no member has an open request for "
    "changes",
}
SEND_METHODS = (
    "Email to the department",
    "The department's online form",
    "Post",
    "Other",
)
MAX_COMMENT = 5_000
MAX_NOTE = 500
MAX_REFERENCE = 200
ANONYMOUS = "A partner who asked not to be named"


class FrozenDocumentChanged(WorkbenchError):
    """The stored approved document no longer matches the SHA-256 taken when it was approved."""

    def __init__(
        self, message: str, *, approval_id: int, consultation_id: int, found: str, approved: str
    ) -> None:
        super().__init__(message)
        self.approval_id = approval_id
        self.consultation_id = consultation_id
        self.found = found
        self.approved = approved


# --- the rule: a pure function of the decisions ----------------------------------------------


@dataclass(frozen=True)
class Cast:
    """One decision row as the rule sees it; ``order`` grows with time (the row's id).

    ``on_board`` is False for someone no longer on the board (their account deactivated):
    their approval no longer counts, but their request for changes holds the version back
    until an officer marks it ``addressed`` (``mark_request_addressed``): it is never dropped
    silently, and the board is told when it is addressed.
    """

    member_id: int
    member: str
    is_chair: bool
    decision: str
    order: int
    on_board: bool = True
    addressed: bool = False


@dataclass(frozen=True)
class Verdict:
    """Whether the rule holds, and why, in words a board member reads."""

    holds: bool
    explanation: str
    approvals: tuple[str, ...]
    changes: tuple[str, ...]
    # Requests for changes from former members that no officer has marked addressed yet.
    former_changes: tuple[str, ...] = ()


def current_decisions(cast: Iterable[Cast]) -> list[Cast]:
    """Each member's newest decision (a later one replaces an earlier), oldest first."""
    newest: dict[int, Cast] = {}
    for row in sorted(cast, key=lambda c: c.order):
        newest[row.member_id] = row
    return sorted(newest.values(), key=lambda c: c.order)


def approval_verdict(cast: Iterable[Cast], *, rule: str, needed: int = 1) -> Verdict:
    """Decide from the decision rows whether the board has approved, under ``rule``.

    "chair": the chair's current decision is to approve and nobody's is a request for changes.
    "count": at least ``needed`` current approvals and no current request for changes.
    """
    if rule not in RULE_WORDS:
        raise ValueError(f"'{rule}' is not an approval rule: {', '.join(RULE_WORDS)}.")
    current = current_decisions(cast)
    members = [c for c in current if c.on_board]
    approvals = tuple(c.member for c in members if c.decision == APPROVE)
    changes = tuple(c.member for c in members if c.decision == CHANGES)
    former = tuple(
        c.member for c in current if not c.on_board and c.decision == CHANGES and not c.addressed
    )
    wanting = []
    if rule == "chair" and not any(c.is_chair and c.decision == APPROVE for c in members):
        wanting.append("the chair has not approved")
    if rule == "count" and len(approvals) < needed:
        wanting.append(f"{len(approvals)} of the {needed} approvals needed")
    if changes:
        wanting.append(
            f"{_names(changes)} {agreeing(len(changes), 'has', 'have')} asked for changes"
        )
    if former:
        wanting.append(
            f"{_names(former)}, no longer on the board, asked for changes that an officer has "
            "not marked addressed yet"
        )
    if wanting:
        explanation = "Not approved yet: " + "; ".join(wanting) + "."
        return Verdict(False, explanation, approvals, changes, former)
    if rule == "chair":
        why = "the chair has approved and no member has asked for changes"
    else:
        why = f"{len(approvals)} of the {needed} approvals needed, and no request for changes"
    return Verdict(True, f"Approved: {why}.", approvals, changes)


def rule_in_words(rule: str, needed: int) -> str:
    """Say what the approval rule asks for."""
    return RULE_WORDS[rule].format(needed=needed)


def _names(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


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
    version = _newest_or_refuse(session, consultation, number)
    if consultation.status in ("draft", "open"):
        raise LifecycleError(
            "Partners can still answer this consultation. Close it to partners on its "
            "'Details and stage' page before sending the draft to the board."
        )
    if _request_for(session, version.id) is not None:
        raise LifecycleError(f"Version {number} has been sent to the board already.")
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
    _audit(
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
    version = _in_review_or_refuse(session, consultation, number)
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
    _audit(
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
    version = _in_review_or_refuse(session, consultation, number)
    if decision not in DECISIONS:
        raise WorkbenchError(f"'{decision}' is not a decision: approve, or request changes.")
    comment = comment.strip()
    if decision == CHANGES and not comment:
        raise WorkbenchError(
            "Say what should change: a request for changes needs a reason the officer can act on."
        )
    if len(comment) > MAX_COMMENT:
        raise WorkbenchError(
            f"The reason is {len(comment):,} characters; the most is {MAX_COMMENT:,}."
        )
    earlier = _current_row(session, version.id, actor.id)
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
    _audit(
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
        _casts(session, version.id), rule=settings.approval_rule, needed=settings.approvals_needed
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
    _audit(
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
    version = _in_review_or_refuse(session, consultation, number)
    member = row.member
    note = note.strip()
    if row.decision != CHANGES:
        raise WorkbenchError("Only a request for changes can be marked addressed.")
    if member.active and member.role == Role.BOARD:
        raise WorkbenchError(
            f"{member.name} is on the board: they withdraw their request by deciding again on "
            "the review page. Ask them to look at the new version."
        )
    if _current_row(session, version.id, member.id).id != row.id:
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
    _audit(
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
        _casts(session, version.id), rule=settings.approval_rule, needed=settings.approvals_needed
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


# --- approval, frozen -------------------------------------------------------------------------


def _freeze(
    session: Session,
    actor: User,
    consultation: Consultation,
    version: DraftVersion,
    verdict: Verdict,
    *,
    now: datetime,
) -> Approval:
    settings = load_settings()
    approved_on = uk_time(now).date()
    document = write_docx(Draft.from_json(version.content), approved_on=approved_on)
    approval = Approval(
        consultation_id=consultation.id,
        draft_version_id=version.id,
        approved_at=now,
        approved_on=approved_on,
        rule=rule_in_words(settings.approval_rule, settings.approvals_needed),
        document=document,
        sha256=hashlib.sha256(document).hexdigest(),
        size=len(document),
    )
    session.add(approval)
    session.flush()
    move_consultation(session, actor, consultation.id, Stage.APPROVED, now=now)
    _audit(
        session,
        actor,
        "draft.approved",
        approval,
        consultation.id,
        now,
        number=version.number,
        sha256=approval.sha256,
        size=approval.size,
        verdict=verdict.explanation,
    )
    notify(
        session,
        [*active_people(session, "officer"), *active_people(session, "board")],
        "approved",
        f"The board approved version {version.number} of the response to "
        f"'{consultation.title}' on {plain_date(approved_on)}.",
        consultation_id=consultation.id,
        version_number=version.number,
        now=now,
    )
    return approval


def check_document(session: Session, approval: Approval) -> None:
    """Refuse a frozen document whose bytes no longer match the SHA-256 taken at approval.

    The hash is checked against the approval's row and against the audit trail's record of the
    approval, so changing both the bytes and the row's hash is caught too.
    """
    actual = hashlib.sha256(approval.document).hexdigest()
    recorded = session.scalar(
        select(AuditEvent.detail).where(
            AuditEvent.action == "draft.approved", AuditEvent.object_id == approval.id
        )
    )
    audited = (recorded or {}).get("sha256", approval.sha256)
    if actual == approval.sha256 == audited:
        return
    raise FrozenDocumentChanged(
        "The approved document has changed since it was approved: the file stored for version "
        f"{approval.draft_version.number} has SHA-256 {actual}, but {audited} was recorded when "
        f"the board approved it on {plain_date(approval.approved_on)}. Do not send it. Ask your "
        "administrator to restore the database from a backup, or make a new version of the "
        "draft and send it to the board again.",
        approval_id=approval.id,
        consultation_id=approval.consultation_id,
        found=actual,
        approved=audited,
    )


def report_changed_document(
    session: Session, viewer: User, problem: FrozenDocumentChanged, *, now: datetime
) -> bool:
    """Put a changed approved document on the audit trail and tell the officers.

    Once for each set of changed bytes, however many people open the page and see the refusal:
    return whether this call was the first. The viewer is whoever met it, of any role.
    """
    reported = session.scalars(
        select(AuditEvent.detail).where(
            AuditEvent.action == "document.changed",
            AuditEvent.object_type == "approval",
            AuditEvent.object_id == problem.approval_id,
        )
    )
    if any((detail or {}).get("found") == problem.found for detail in reported):
        return False
    approval = session.get(Approval, problem.approval_id)
    number = approval.draft_version.number
    _audit(
        session,
        viewer,
        "document.changed",
        approval,
        problem.consultation_id,
        now,
        number=number,
        found=problem.found,
        approved=problem.approved,
    )
    title = get_consultation(session, problem.consultation_id).title
    notify(
        session,
        active_people(session, "officer"),
        "changed",
        f"The approved document of '{title}' (version {number}) no longer matches the SHA-256 "
        "recorded when the board approved it, and the workbench will not hand it out. Restore "
        "the database from a backup, or make a new version of the draft and send it to the "
        "board again.",
        consultation_id=problem.consultation_id,
        version_number=number,
        now=now,
    )
    return True


@dataclass(frozen=True)
class ApprovedDocument:
    """The frozen .docx of the approved version, checked against its hash."""

    consultation_id: int
    number: int
    approved_on: date
    sha256: str
    document: bytes
    file_name: str


def approved_document(session: Session, actor: User, consultation_id: int) -> ApprovedDocument:
    """Return the approved response's frozen .docx, once the board has approved it."""
    require(actor, "response.view")
    consultation = get_consultation(session, consultation_id)
    approval = current_approval(session, consultation)
    if approval is None:
        raise AccessDenied(
            "The response has not been approved by the board yet. Everyone can read it once "
            "the board has approved it."
        )
    check_document(session, approval)
    slug = re.sub(r"[^a-z0-9]+", "-", consultation.title.lower()).strip("-")[:40]
    return ApprovedDocument(
        consultation_id=consultation.id,
        number=approval.draft_version.number,
        approved_on=approval.approved_on,
        sha256=approval.sha256,
        document=approval.document,
        file_name=f"{slug}-approved-v{approval.draft_version.number}.docx",
    )


def current_approval(session: Session, consultation: Consultation) -> Approval | None:
    """The approval of the newest version, while the consultation stands approved or sent."""
    if consultation.status not in ("approved", "sent"):
        return None
    newest = latest_version(session, consultation.id)
    if newest is None:
        return None
    return session.scalar(select(Approval).where(Approval.draft_version_id == newest.id))


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
    _audit(
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
            *_contributing_partners(session, consultation_id),
        ],
        "sent",
        f"The partnership's response to '{consultation.title}' was sent to the "
        f"{consultation.department} on {plain_date(sent_on)}. You can read and download it.",
        consultation_id=consultation_id,
        version_number=approval.draft_version.number,
        now=now,
    )
    return sent


def _contributing_partners(session: Session, consultation_id: int) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .join(Submission, Submission.organisation_id == User.organisation_id)
            .where(
                Submission.consultation_id == consultation_id,
                Submission.submitted_at.is_not(None),
                User.role == "partner",
                User.active,
            )
            .order_by(User.id)
        )
    )


# --- reading: who may read which version, and the evidence behind a point ---------------------


def readable_version(
    session: Session, actor: User, consultation_id: int, number: int
) -> DraftVersion:
    """Return a version if the person may read it.

    Officers read every version; board members read the versions sent to them; everyone else
    reads only the approved version, once the board has approved it.
    """
    require(actor, "response.view")
    consultation = get_consultation(session, consultation_id)
    version = version_by_number(session, consultation_id, number)
    if actor.role == "officer":
        return version
    if actor.role == "board" and _request_for(session, version.id) is not None:
        return version
    approval = current_approval(session, consultation)
    if approval is not None and approval.draft_version_id == version.id:
        return version
    if actor.role == "board":
        raise AccessDenied(
            f"Version {number} has not been sent to the board. Board members read the versions "
            "the officer sends them."
        )
    raise AccessDenied(
        "Partners can read the response once the board has approved it. Until then the draft "
        "is the officer's and the board's. This attempt has been recorded."
    )


@dataclass(frozen=True)
class AnswerShown:
    """A partner's answer behind a point, shown as its organisation consented."""

    answer_id: int
    who: str
    sector: str  # empty for an anonymous answer
    question: str
    position: str
    text: str


def readable_draft(session: Session, actor: User, consultation_id: int, number: int) -> Draft:
    """The draft a version holds, if the person may read it (see ``readable_version``)."""
    return Draft.from_json(readable_version(session, actor, consultation_id, number).content)


def as_approved(draft: Draft, approved_on: date) -> Draft:
    """The approved version as the app shows it: its cover says it was approved, as the frozen
    .docx's cover does, not "for board review"."""
    status = status_line(draft, approved_on=approved_on)

    def stamped(section):
        blocks = [replace(b, text=status) if b.text == draft.status else b for b in section.blocks]
        return replace(section, blocks=blocks)

    sections = [stamped(s) if s.key == "cover" else s for s in draft.sections]
    return replace(draft, status=status, sections=sections)


def evidence_behind(
    session: Session, actor: User, consultation_id: int, number: int, answer_ids: Iterable[int]
) -> list[AnswerShown]:
    """The answers behind a point of a version, each named only as far as its partner allowed.

    Named: the organisation. Sector only: "a health partner" and the sector. Anonymous: neither,
    and the organisation's own name is taken out of its words. Only answers the version cites
    can be opened.
    """
    require(actor, "draft.read")
    version = readable_version(session, actor, consultation_id, number)
    cited = {i for s in Draft.from_json(version.content).sections for i in s.answer_ids()}
    wanted = list(dict.fromkeys(answer_ids))
    if not set(wanted) <= cited:
        raise AccessDenied(
            f"Those answers are not behind any point of version {number}. Open the evidence "
            "from a point of the draft."
        )
    rows = session.execute(
        select(Answer, Submission.consent, Organisation.name, Organisation.sector, Question.number)
        .join(Submission, Answer.submission_id == Submission.id)
        .join(Organisation, Submission.organisation_id == Organisation.id)
        .join(Question, Answer.question_id == Question.id)
        .where(
            Answer.id.in_(wanted),
            Submission.consultation_id == consultation_id,
            Submission.submitted_at.is_not(None),
        )
        .order_by(Question.position, Answer.id)
    ).all()
    return [
        _shown(answer, consent or "anonymous", name, sector, question)
        for answer, consent, name, sector, question in rows
    ]


def _shown(answer: Answer, consent: str, name: str, sector: str, question: str) -> AnswerShown:
    text = answer.text
    if consent == "named":
        who, shown_sector = name, sector
    else:
        text = re.sub(re.escape(name), "the partner", text, flags=re.IGNORECASE)
        if consent == "sector":
            who, shown_sector = sector_partner(sector).capitalize(), sector
        else:
            who, shown_sector = ANONYMOUS, ""
    return AnswerShown(answer.id, who, shown_sector, question, answer.position, text)


@dataclass(frozen=True)
class SectionUse:
    """A section of the approved response and how many of the organisation's answers it uses."""

    key: str
    heading: str
    answers: int


def sections_using_my_answers(
    session: Session, actor: User, consultation_id: int
) -> list[SectionUse]:
    """The approved response's sections that draw on the person's organisation's answers."""
    require(actor, "response.view")
    consultation = get_consultation(session, consultation_id)
    approval = current_approval(session, consultation)
    if approval is None or actor.organisation_id is None:
        return []
    mine = set(
        session.scalars(
            select(Answer.id)
            .join(Submission, Answer.submission_id == Submission.id)
            .where(
                Submission.consultation_id == consultation_id,
                Submission.organisation_id == actor.organisation_id,
            )
        )
    )
    draft = Draft.from_json(approval.draft_version.content)
    uses = [SectionUse(s.key, s.heading, len(mine & set(s.answer_ids()))) for s in draft.sections]
    return [use for use in uses if use.answers]


# --- what the pages show ----------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionShown:
    number: int
    member_id: int
    member: str
    is_chair: bool
    decision: str
    comment: str
    at: datetime
    current: bool
    decision_id: int = 0
    on_board: bool = True  # False: the member has left the board (their account deactivated)
    addressed_at: datetime | None = None
    addressed_by: str = ""
    addressed_note: str = ""

    @property
    def holds_back(self) -> bool:
        """A former member's current request for changes that no officer has addressed yet."""
        return (
            self.current
            and not self.on_board
            and self.decision == CHANGES
            and self.addressed_at is None
        )


@dataclass(frozen=True)
class CommentShown:
    id: int
    number: int
    section_key: str
    heading: str
    member: str
    text: str
    at: datetime
    addressed_at: datetime | None
    addressed_by: str
    addressed_in: int | None
    addressed_note: str


@dataclass(frozen=True)
class ReviewOverview:
    """Where a consultation's draft stands with the board, for the officer's and board's pages."""

    consultation_id: int
    title: str
    status: str
    closes_on: date
    newest: int | None
    in_review: int | None  # the version the board is deciding on now
    review_by: date | None
    sent_to_board: tuple[int, ...]  # every version ever sent to the board, oldest first
    verdict: Verdict | None
    rule: str
    decisions: tuple[DecisionShown, ...]  # every decision on every version, newest first
    comments: tuple[CommentShown, ...]
    approved: int | None
    approved_on: date | None
    sha256: str
    sent_on: date | None
    sent_method: str
    sent_reference: str
    review_note: str = ""  # the officer's note for the board with the last version sent
    review_note_by: str = ""


def review_overview(session: Session, actor: User, consultation_id: int) -> ReviewOverview:
    """Everything about the board's review of a consultation's draft, as plain values."""
    require(actor, "draft.read")
    consultation = get_consultation(session, consultation_id)
    settings = load_settings()
    newest = latest_version(session, consultation_id)
    requests = list(
        session.scalars(
            select(ReviewRequest)
            .join(DraftVersion, ReviewRequest.draft_version_id == DraftVersion.id)
            .where(ReviewRequest.consultation_id == consultation_id)
            .order_by(DraftVersion.number)
        )
    )
    request = requests[-1] if requests else None
    reviewing = (
        request
        if request is not None
        and newest is not None
        and request.draft_version_id == newest.id
        and consultation.status in ("in_review", "approved", "sent")
        else None
    )
    verdict = (
        approval_verdict(
            _casts(session, reviewing.draft_version_id),
            rule=settings.approval_rule,
            needed=settings.approvals_needed,
        )
        if reviewing
        else None
    )
    approval = current_approval(session, consultation)
    sent = (
        session.scalar(select(ResponseSent).where(ResponseSent.approval_id == approval.id))
        if approval
        else None
    )
    return ReviewOverview(
        consultation_id=consultation_id,
        title=consultation.title,
        status=consultation.status,
        closes_on=consultation.closes_on,
        newest=newest.number if newest else None,
        in_review=newest.number if reviewing and consultation.status == "in_review" else None,
        review_by=reviewing.review_by if reviewing else None,
        sent_to_board=tuple(r.draft_version.number for r in requests),
        verdict=verdict,
        rule=rule_in_words(settings.approval_rule, settings.approvals_needed),
        decisions=tuple(_decisions_shown(session, consultation_id)),
        comments=tuple(_comments_shown(session, consultation_id)),
        approved=approval.draft_version.number if approval else None,
        approved_on=approval.approved_on if approval else None,
        sha256=approval.sha256 if approval else "",
        sent_on=sent.sent_on if sent else None,
        sent_method=sent.method if sent else "",
        sent_reference=sent.reference if sent else "",
        review_note=request.note if request else "",
        review_note_by=request.sent_by.name if request and request.sent_by else "",
    )


@dataclass(frozen=True)
class ReviewWaiting:
    """A version with the board, as a board member's home page lists it."""

    consultation_id: int
    title: str
    number: int
    review_by: date
    closes_on: date
    your_decision: str  # "" when the member has not decided yet
    note: str = ""  # the officer's note for the board, sent with the version
    note_by: str = ""


def awaiting_review(session: Session, actor: User) -> list[ReviewWaiting]:
    """The versions with the board now, soonest deadline first, with the member's decision."""
    require(actor, "draft.review")
    waiting = []
    for consultation in session.scalars(
        select(Consultation).where(Consultation.status == "in_review")
    ):
        newest = latest_version(session, consultation.id)
        request = _request_for(session, newest.id) if newest else None
        if request is None:
            continue
        mine = _current_row(session, newest.id, actor.id)
        waiting.append(
            ReviewWaiting(
                consultation.id,
                consultation.title,
                newest.number,
                request.review_by,
                consultation.closes_on,
                mine.decision if mine else "",
                request.note,
                request.sent_by.name if request.sent_by else "",
            )
        )
    return sorted(waiting, key=lambda w: (w.review_by, w.consultation_id))


def last_reviewed(session: Session, actor: User, consultation_id: int) -> int | None:
    """The newest version this board member decided or commented on, if any."""
    require(actor, "draft.review")
    numbers = [
        *session.scalars(
            select(DraftVersion.number)
            .join(ReviewDecision, ReviewDecision.draft_version_id == DraftVersion.id)
            .where(
                ReviewDecision.consultation_id == consultation_id,
                ReviewDecision.member_id == actor.id,
            )
        ),
        *session.scalars(
            select(DraftVersion.number)
            .join(SectionComment, SectionComment.draft_version_id == DraftVersion.id)
            .where(
                SectionComment.consultation_id == consultation_id,
                SectionComment.member_id == actor.id,
            )
        ),
    ]
    return max(numbers, default=None)


def _decisions_shown(session: Session, consultation_id: int) -> list[DecisionShown]:
    rows = session.execute(
        select(ReviewDecision, DraftVersion.number, User)
        .join(DraftVersion, ReviewDecision.draft_version_id == DraftVersion.id)
        .join(User, ReviewDecision.member_id == User.id)
        .where(ReviewDecision.consultation_id == consultation_id)
        .order_by(ReviewDecision.id.desc())
    ).all()
    seen: set[tuple[int, int]] = set()
    shown = []
    for row, number, member in rows:
        current = (number, member.id) not in seen
        seen.add((number, member.id))
        shown.append(
            DecisionShown(
                number,
                member.id,
                member.name,
                member.is_chair,
                row.decision,
                row.comment,
                row.decided_at,
                current,
                decision_id=row.id,
                on_board=member.active,
                addressed_at=row.addressed_at,
                addressed_by=row.addressed_by.name if row.addressed_by else "",
                addressed_note=row.addressed_note,
            )
        )
    return shown


def _comments_shown(session: Session, consultation_id: int) -> list[CommentShown]:
    rows = session.execute(
        select(SectionComment, DraftVersion.number)
        .join(DraftVersion, SectionComment.draft_version_id == DraftVersion.id)
        .where(SectionComment.consultation_id == consultation_id)
        .order_by(SectionComment.id)
    ).all()
    return [
        CommentShown(
            c.id,
            number,
            c.section_key,
            c.section_heading,
            c.member.name,
            c.text,
            c.created_at,
            c.addressed_at,
            c.addressed_by.name if c.addressed_by else "",
            c.addressed_in_version,
            c.addressed_note,
        )
        for c, number in rows
    ]


# --- small helpers ---------------------------------------------------------------------------


def _newest_or_refuse(session: Session, consultation: Consultation, number: int) -> DraftVersion:
    newest = latest_version(session, consultation.id)
    if newest is None:
        raise LifecycleError("There is no draft yet. Assemble the first draft on the draft page.")
    if number != newest.number:
        raise LifecycleError(
            f"Version {number} is not the latest version of the draft: version {newest.number} "
            "is. Only the latest version can be sent to the board or decided on."
        )
    return newest


def _in_review_or_refuse(session: Session, consultation: Consultation, number: int) -> DraftVersion:
    version = _newest_or_refuse(session, consultation, number)
    if consultation.status != "in_review" or _request_for(session, version.id) is None:
        raise LifecycleError(
            f"Version {number} is not with the board for review: the consultation is at "
            f"'{STATUS_LABELS[consultation.status]}'. Decisions and comments are taken only on "
            "the version the officer has sent for review."
        )
    return version


def _request_for(session: Session, version_id: int) -> ReviewRequest | None:
    return session.scalar(select(ReviewRequest).where(ReviewRequest.draft_version_id == version_id))


def _current_row(session: Session, version_id: int, member_id: int) -> ReviewDecision | None:
    return session.scalar(
        select(ReviewDecision)
        .where(ReviewDecision.draft_version_id == version_id, ReviewDecision.member_id == member_id)
        .order_by(ReviewDecision.id.desc())
        .limit(1)
    )


def _casts(session: Session, version_id: int) -> list[Cast]:
    """Every board decision on the version, each marked with whether its member is still on the
    board and, for a former member's request for changes, whether it has been addressed."""
    rows = session.execute(
        select(ReviewDecision, User)
        .join(User, ReviewDecision.member_id == User.id)
        .where(ReviewDecision.draft_version_id == version_id, User.role == Role.BOARD)
    ).all()
    return [
        Cast(
            user.id,
            user.name,
            user.is_chair,
            row.decision,
            row.id,
            on_board=user.active,
            addressed=row.addressed_at is not None,
        )
        for row, user in rows
    ]


def _audit(
    session: Session,
    actor: User,
    action: str,
    row: object,
    consultation_id: int,
    now: datetime,
    **detail: object,
) -> None:
    record_event(
        session,
        actor=actor,
        action=action,
        object_type=type(row).__tablename__.replace("_", " "),  # type: ignore[attr-defined]
        object_id=row.id,  # type: ignore[attr-defined]
        consultation_id=consultation_id,
        detail=detail,
        now=now,
    )


# --- the records the board's stages need (consultations.consultation.TRANSITIONS) ------------


def _newest_has_request(session: Session, consultation: Consultation) -> bool:
    newest = latest_version(session, consultation.id)
    return newest is not None and _request_for(session, newest.id) is not None


def _newest_has_approval(session: Session, consultation: Consultation) -> bool:
    newest = latest_version(session, consultation.id)
    return newest is not None and _approval_of(session, newest.id) is not None


def _approval_recorded_as_sent(session: Session, consultation: Consultation) -> bool:
    newest = latest_version(session, consultation.id)
    approval = _approval_of(session, newest.id) if newest is not None else None
    return approval is not None and (
        session.scalar(select(ResponseSent.id).where(ResponseSent.approval_id == approval.id))
        is not None
    )


def _newest_not_yet_reviewed(session: Session, consultation: Consultation) -> bool:
    """A version saved after the one sent to (or approved by) the board is the newest."""
    newest = latest_version(session, consultation.id)
    return (
        newest is not None
        and _request_for(session, newest.id) is None
        and _approval_of(session, newest.id) is None
    )


def _approval_of(session: Session, version_id: int) -> Approval | None:
    return session.scalar(select(Approval).where(Approval.draft_version_id == version_id))


register_record_check(Record.REVIEW_REQUEST, _newest_has_request)
register_record_check(Record.APPROVAL, _newest_has_approval)
register_record_check(Record.SENDING, _approval_recorded_as_sent)
register_record_check(Record.NEW_VERSION, _newest_not_yet_reviewed)
