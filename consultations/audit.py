"""The audit log: every change of state or access, written in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from consultations.db import utcnow
from consultations.models import AuditEvent, User


def record_event(
    session: Session,
    *,
    actor: User | None,
    action: str,
    object_type: str = "",
    object_id: int | None = None,
    consultation_id: int | None = None,
    detail: dict[str, Any] | None = None,
    actor_label: str = "",
    now: datetime | None = None,
) -> AuditEvent:
    """Add an audit event (who, what, when, on which object) to the session."""
    event = AuditEvent(
        at=now or utcnow(),
        actor_id=actor.id if actor else None,
        actor_label=actor_label or (actor.email if actor else ""),
        action=action,
        object_type=object_type,
        object_id=object_id,
        consultation_id=consultation_id,
        detail=detail or {},
    )
    session.add(event)
    return event
