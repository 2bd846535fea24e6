"""The board's records, read: the review request, decisions, approval and sending of a version.

Small queries the workflow (``exports.approval``), the frozen document (``exports.approved``),
the board's view and the review overview share, the audit helper, and the record checks the
lifecycle needs before the board's stages (registered with ``consultations.consultation`` at
import, so the lifecycle never imports this later stage).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from consultations.audit import record_event
from consultations.consultation import (
    STATUS_LABELS,
    Record,
    register_record_check,
)
from consultations.errors import LifecycleError
from consultations.models import Consultation, Role, User
from evidence.models import Submission
from exports.approval_rule import Cast
from exports.models import (
    Approval,
    DraftVersion,
    ResponseSent,
    ReviewDecision,
    ReviewRequest,
    latest_version,
)


def current_approval(session: Session, consultation: Consultation) -> Approval | None:
    """The approval of the newest version, while the consultation stands approved or sent."""
    if consultation.status not in ("approved", "sent"):
        return None
    newest = latest_version(session, consultation.id)
    if newest is None:
        return None
    return session.scalar(select(Approval).where(Approval.draft_version_id == newest.id))


def contributing_partners(session: Session, consultation_id: int) -> list[User]:
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


# --- small helpers ---------------------------------------------------------------------------


def newest_or_refuse(session: Session, consultation: Consultation, number: int) -> DraftVersion:
    newest = latest_version(session, consultation.id)
    if newest is None:
        raise LifecycleError("There is no draft yet. Assemble the first draft on the draft page.")
    if number != newest.number:
        raise LifecycleError(
            f"Version {number} is not the latest version of the draft: version {newest.number} "
            "is. Only the latest version can be sent to the board or decided on."
        )
    return newest


def in_review_or_refuse(session: Session, consultation: Consultation, number: int) -> DraftVersion:
    version = newest_or_refuse(session, consultation, number)
    if consultation.status != "in_review" or request_for(session, version.id) is None:
        raise LifecycleError(
            f"Version {number} is not with the board for review: the consultation is at "
            f"'{STATUS_LABELS[consultation.status]}'. Decisions and comments are taken only on "
            "the version the officer has sent for review."
        )
    return version


def request_for(session: Session, version_id: int) -> ReviewRequest | None:
    return session.scalar(select(ReviewRequest).where(ReviewRequest.draft_version_id == version_id))


def current_row(session: Session, version_id: int, member_id: int) -> ReviewDecision | None:
    return session.scalar(
        select(ReviewDecision)
        .where(ReviewDecision.draft_version_id == version_id, ReviewDecision.member_id == member_id)
        .order_by(ReviewDecision.id.desc())
        .limit(1)
    )


def casts(session: Session, version_id: int) -> list[Cast]:
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


def audit(
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
    return newest is not None and request_for(session, newest.id) is not None


def _newest_has_approval(session: Session, consultation: Consultation) -> bool:
    newest = latest_version(session, consultation.id)
    return newest is not None and approval_of(session, newest.id) is not None


def _approval_recorded_as_sent(session: Session, consultation: Consultation) -> bool:
    newest = latest_version(session, consultation.id)
    approval = approval_of(session, newest.id) if newest is not None else None
    return approval is not None and (
        session.scalar(select(ResponseSent.id).where(ResponseSent.approval_id == approval.id))
        is not None
    )


def _newest_not_yet_reviewed(session: Session, consultation: Consultation) -> bool:
    """A version saved after the one sent to (or approved by) the board is the newest."""
    newest = latest_version(session, consultation.id)
    return (
        newest is not None
        and request_for(session, newest.id) is None
        and approval_of(session, newest.id) is None
    )


def approval_of(session: Session, version_id: int) -> Approval | None:
    return session.scalar(select(Approval).where(Approval.draft_version_id == version_id))


register_record_check(Record.REVIEW_REQUEST, _newest_has_request)
register_record_check(Record.APPROVAL, _newest_has_approval)
register_record_check(Record.SENDING, _approval_recorded_as_sent)
register_record_check(Record.NEW_VERSION, _newest_not_yet_reviewed)
