"""Evidence files on a submission: checked, stored in the database, and shown only to their owners.

A partner attaches files to their organisation's submission while it may still be changed (the
same rule as answers: ``check_writable``); an officer may attach on a partner's behalf, and the
file is marked as entered by the officer. Only the owning organisation's partners and the
officers can list or download them; the board reads evidence through the draft.

Every file goes through ``consultations.files``: PDF, Word, Excel, CSV, text, PNG and JPEG only,
judged by content as well as name; no macros, passwords or zip bombs; Office files must open.
The same file (by SHA-256) twice on one submission is refused, naming the earlier one.

Removing a file deletes it: the audit log keeps its name, size and SHA-256. Adding or removing a
file changes a submitted submission back to "changed since it was submitted", as saving an
answer does, so the partnership knows to look again.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consultations.audit import record_event
from consultations.consultation import get_consultation
from consultations.dates import plain_datetime
from consultations.errors import ValidationFailed, WorkbenchError
from consultations.file_guards import KEEPING
from consultations.files import MEGABYTE, check_file, check_opens, display_name
from consultations.models import User
from evidence.models import Attachment, Submission
from evidence.submissions import (
    _submission_for_writing,
    check_writable,
    find_submission,
    open_submission,
    organisation_for,
)

ACCEPTED = (".pdf", ".docx", ".xlsx", ".csv", ".txt", ".png", ".jpg", ".jpeg")
MAX_ATTACHMENT_BYTES = 20 * MEGABYTE
MAX_ATTACHMENTS = 10


def add_attachment(
    session: Session,
    actor: User,
    consultation_id: int,
    *,
    name: str,
    data: bytes,
    organisation_id: int | None = None,
    today: date,
    now: datetime,
    max_bytes: int = MAX_ATTACHMENT_BYTES,
    max_files: int = MAX_ATTACHMENTS,
) -> Attachment:
    """Attach an evidence file to the organisation's submission, once it passes every check."""
    organisation = organisation_for(actor, organisation_id)
    consultation = get_consultation(session, consultation_id, for_update=True)
    check_writable(actor, consultation, today)
    shown = display_name(name)
    subject = f"The file '{shown}'"
    file_type = check_file(
        shown, data, accepted=ACCEPTED, max_bytes=max_bytes, subject=subject, limits=KEEPING
    )
    check_opens(data, file_type, subject=subject)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = find_submission(session, consultation_id, organisation)
    if existing is not None:
        _refuse_duplicate(session, existing, sha256, subject)
        _refuse_too_many(session, existing, max_files, subject)
    # Locks the submission row (creating it if need be); the consultation row is locked too,
    # so two uploads at once cannot both pass the count.
    submission = _submission_for_writing(session, actor, consultation, organisation, now)
    attachment = Attachment(
        submission_id=submission.id,
        name=shown,
        kind=file_type.key,
        media_type=file_type.media_type,
        size=len(data),
        sha256=sha256,
        data=data,
        uploaded_at=now,
        uploaded_by_id=actor.id,
        entered_by_officer=actor.role == "officer",
    )
    session.add(attachment)
    _touch(submission, now)
    session.flush()
    _record(session, actor, "attachment.added", attachment, submission, now=now)
    return attachment


def _refuse_duplicate(session: Session, submission: Submission, sha256: str, subject: str) -> None:
    earlier = session.scalar(
        select(Attachment).where(
            Attachment.submission_id == submission.id, Attachment.sha256 == sha256
        )
    )
    if earlier is not None:
        raise ValidationFailed(
            [
                f"it is the same file as '{earlier.name}', attached on "
                f"{plain_datetime(earlier.uploaded_at)}, so it was not attached again; "
                "if you meant a different file, choose that one"
            ],
            subject=subject,
        )


def _refuse_too_many(
    session: Session, submission: Submission, max_files: int, subject: str
) -> None:
    count = session.scalar(
        select(func.count(Attachment.id)).where(Attachment.submission_id == submission.id)
    )
    if count >= max_files:
        raise ValidationFailed(
            [
                f"this submission already has {count} files and at most {max_files} can be "
                "attached; remove a file you no longer need, or combine several into one PDF"
            ],
            subject=subject,
        )


def list_attachments(
    session: Session, actor: User, consultation_id: int, organisation_id: int | None = None
) -> list[Attachment]:
    """Return the files on the organisation's submission, oldest first (their bytes unloaded)."""
    submission = open_submission(session, actor, consultation_id, organisation_id=organisation_id)
    return [] if submission is None else list(submission.attachments)


def attachment_for_download(
    session: Session, actor: User, attachment_id: int, *, now: datetime
) -> tuple[str, str, bytes]:
    """Return a file's name, media type and bytes to its organisation's partners and officers."""
    attachment = _attachment(session, attachment_id)
    organisation_for(actor, attachment.submission.organisation_id)
    _record(session, actor, "attachment.downloaded", attachment, attachment.submission, now=now)
    return display_name(attachment.name), attachment.media_type, attachment.data


def remove_attachment(
    session: Session, actor: User, attachment_id: int, *, today: date, now: datetime
) -> None:
    """Delete a file from a submission while the submission may still be changed."""
    attachment = _attachment(session, attachment_id)
    submission = attachment.submission
    organisation_for(actor, submission.organisation_id)
    consultation = get_consultation(session, submission.consultation_id, for_update=True)
    check_writable(actor, consultation, today)
    _record(session, actor, "attachment.removed", attachment, submission, now=now)
    session.delete(attachment)
    _touch(submission, now)
    session.flush()


def _attachment(session: Session, attachment_id: int) -> Attachment:
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise WorkbenchError("That file does not exist or has been removed. Reload the page.")
    return attachment


def _touch(submission: Submission, now: datetime) -> None:
    submission.last_activity_at = now
    if submission.status == "submitted":
        submission.status = "draft"


def _record(
    session: Session,
    actor: User,
    action: str,
    attachment: Attachment,
    submission: Submission,
    *,
    now: datetime,
) -> None:
    record_event(
        session,
        actor=actor,
        action=action,
        object_type="attachment",
        object_id=attachment.id,
        consultation_id=submission.consultation_id,
        detail={
            "name": attachment.name,
            "size": attachment.size,
            "sha256": attachment.sha256,
            "organisation_id": submission.organisation_id,
            "on_behalf": actor.role == "officer",
        },
        now=now,
    )
