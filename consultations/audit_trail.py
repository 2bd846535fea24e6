"""The audit trail for officers: every audit event, filtered, and as CSV. Read only.

Nothing here writes: the trail is added to by ``consultations.audit.record_event`` in the same
transaction as each change, and no page or function of the app edits or deletes it.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.dates import UK, plain_datetime
from consultations.errors import ValidationFailed
from consultations.models import AuditEvent, Consultation, User

MAX_ROWS = 5_000
CSV_COLUMNS = ("When (UK time)", "Who", "What", "Object", "Object id", "Consultation", "Details")
# A spreadsheet reads a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AuditFilter:
    """The officer's filters; None means "any". Dates are UK calendar days, both included."""

    person_id: int | None = None
    consultation_id: int | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class AuditRow:
    """One audit event, ready to show."""

    id: int
    at: datetime
    who: str
    action: str
    object_type: str
    object_id: int | None
    consultation: str
    detail: str


def audit_events(
    session: Session, actor: User, chosen: AuditFilter, *, limit: int = MAX_ROWS
) -> list[AuditRow]:
    """The audit events that pass every filter, newest first (at most ``limit``)."""
    require(actor, "audit.view")
    if chosen.since and chosen.until and chosen.since > chosen.until:
        raise ValidationFailed(
            ["the 'from' date is after the 'to' date"], subject="The audit filter"
        )
    query = (
        select(AuditEvent, User.name, Consultation.title)
        .outerjoin(User, AuditEvent.actor_id == User.id)
        .outerjoin(Consultation, AuditEvent.consultation_id == Consultation.id)
    )
    if chosen.person_id is not None:
        query = query.where(AuditEvent.actor_id == chosen.person_id)
    if chosen.consultation_id is not None:
        query = query.where(AuditEvent.consultation_id == chosen.consultation_id)
    if chosen.action:
        query = query.where(AuditEvent.action == chosen.action)
    if chosen.since:
        query = query.where(AuditEvent.at >= _utc_start(chosen.since))
    if chosen.until:
        query = query.where(AuditEvent.at < _utc_start(chosen.until + timedelta(days=1)))
    rows = session.execute(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit))
    return [
        AuditRow(
            id=event.id,
            at=event.at,
            who=name or event.actor_label or "the system",
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            consultation=title or "",
            detail=json.dumps(event.detail, ensure_ascii=False, sort_keys=True)
            if event.detail
            else "",
        )
        for event, name, title in rows
    ]


def audit_choices(session: Session, actor: User) -> tuple[list[tuple[int, str]], list[str]]:
    """The people who appear in the trail (id, name) and the kinds of event, for the filters."""
    require(actor, "audit.view")
    people = session.execute(
        select(User.id, User.name, User.email)
        .where(User.id.in_(select(AuditEvent.actor_id).distinct()))
        .order_by(User.name)
    ).all()
    kinds = session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    return [(pid, f"{name} ({email})") for pid, name, email in people], list(kinds)


def audit_csv(rows: list[AuditRow]) -> bytes:
    """The rows as CSV for a spreadsheet (UTF-8 with a byte-order mark); no cell is a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                _cell(value)
                for value in (
                    plain_datetime(row.at),
                    row.who,
                    row.action,
                    row.object_type,
                    "" if row.object_id is None else str(row.object_id),
                    row.consultation,
                    row.detail,
                )
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _utc_start(day: date) -> datetime:
    """The moment a UK calendar day starts, as stored (UTC without tzinfo)."""
    return datetime.combine(day, time(), tzinfo=UK).astimezone(UTC).replace(tzinfo=None)
