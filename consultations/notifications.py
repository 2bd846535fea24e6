"""Notifications in the app: a badge with a count, and a list each person reads and clears.

Later stages (board review in ``exports.approval``) write them in the same transaction as the
change they announce, so a notification never speaks of something that did not happen.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.models import Notification, User

KINDS = {
    "review": "Awaiting your review",
    "changes": "Changes requested",
    "approved": "Approved",
    "sent": "Sent",
    "reapproval": "Re-approval needed",
    "withdrawn": "Withdrawn from review",
    "changed": "Approved document changed",
    "account": "Board account changed",
    "addressed": "Request for changes addressed",
}
MAX_MESSAGE = 500


def notify(
    session: Session,
    people: Iterable[User],
    kind: str,
    message: str,
    *,
    consultation_id: int | None = None,
    version_number: int | None = None,
    now: datetime,
) -> list[Notification]:
    """Add one notification for each person (once each, however often they are listed)."""
    if kind not in KINDS:
        raise ValueError(f"'{kind}' is not a kind of notification: {', '.join(KINDS)}.")
    added = []
    for person_id in dict.fromkeys(person.id for person in people):
        notification = Notification(
            person_id=person_id,
            kind=kind,
            consultation_id=consultation_id,
            version_number=version_number,
            message=message[:MAX_MESSAGE],
            created_at=now,
        )
        session.add(notification)
        added.append(notification)
    session.flush()
    return added


def active_people(session: Session, role: str) -> list[User]:
    """Every active person with the role, by name."""
    return list(
        session.scalars(select(User).where(User.role == role, User.active).order_by(User.name))
    )


def unread_count(session: Session, user: User) -> int:
    """How many of the person's notifications they have not read (the badge's number)."""
    require(user, "notification.view")
    return session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.person_id == user.id, Notification.read_at.is_(None))
    )


def notifications_for(
    session: Session, user: User, *, unread_only: bool = False, limit: int = 200
) -> list[Notification]:
    """The person's own notifications, newest first."""
    require(user, "notification.view")
    query = select(Notification).where(Notification.person_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list(
        session.scalars(
            query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
        )
    )


def mark_read(
    session: Session, user: User, ids: Iterable[int] | None = None, *, now: datetime
) -> int:
    """Mark the person's notifications read (these ids, or all); return how many changed.

    Only the person's own notifications are touched: an id of someone else's is left alone.
    """
    require(user, "notification.view")
    query = (
        update(Notification)
        .where(Notification.person_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now)
    )
    if ids is not None:
        query = query.where(Notification.id.in_(list(ids)))
    return session.execute(query, execution_options={"synchronize_session": False}).rowcount
