"""The approved response: frozen once the board approves, checked against its hash whenever
it is handed out, and what partners see of it.

``_freeze`` (called by ``exports.approval.record_decision`` when the rule holds, and by
nothing else) writes the .docx that says "Approved by the Board on ..." once and keeps its
bytes and their SHA-256; ``check_document`` refuses bytes that no longer match (the row's hash
and the audit trail's), and ``report_changed_document`` tells the officers once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.consultation import (
    Stage,
    get_consultation,
    move_consultation,
)
from consultations.dates import plain_date, uk_time
from consultations.errors import AccessDenied, WorkbenchError
from consultations.file_names import download_name
from consultations.models import AuditEvent, Consultation, User
from consultations.notifications import active_people, notify
from consultations.settings import load_settings
from evidence.models import Answer, Submission
from exports.approval_records import audit, current_approval
from exports.approval_rule import Verdict, rule_in_words
from exports.draft_model import Draft
from exports.models import (
    Approval,
    DraftVersion,
)
from exports.word import write_docx


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
    audit(
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
    audit(
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
    return ApprovedDocument(
        consultation_id=consultation.id,
        number=approval.draft_version.number,
        approved_on=approval.approved_on,
        sha256=approval.sha256,
        document=approval.document,
        file_name=download_name(
            consultation.title,
            "approved",
            f"v{approval.draft_version.number}",
            extension="docx",
        ),
    )


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
