"""Trained theme models kept in the database: saved as versions, switched on by the officer.

``evidence.learning`` trains a model and hands over its bytes, the theme keys it knows and
what it measured on held-back decisions; this module only stores them. A consultation has at
most one model switched on (the database refuses a second), and only a policy officer saves
or switches one. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.audit import record_event
from consultations.consultation import get_consultation
from consultations.db import hold_lock
from consultations.errors import WorkbenchError
from consultations.models import User
from evidence.models import TagModel


def save_tag_model(
    session: Session,
    actor: User,
    consultation_id: int,
    *,
    data: bytes,
    labels: Sequence[str],
    figures: dict[str, Any],
    now: datetime,
) -> TagModel:
    """Store a trained model as the consultation's next version, switched off."""
    require(actor, "theme.edit")
    get_consultation(session, consultation_id)
    if not data:
        raise WorkbenchError("The trained model is empty, so it was not saved. Train it again.")
    hold_lock(session, f"tag_model:{consultation_id}")
    latest = session.scalar(
        select(func.max(TagModel.version)).where(TagModel.consultation_id == consultation_id)
    )
    model = TagModel(
        consultation_id=consultation_id,
        version=(latest or 0) + 1,
        data=data,
        labels=list(labels),
        figures=figures,
        active=False,
        created_at=now,
        created_by_id=actor.id,
    )
    session.add(model)
    session.flush()
    _audit(session, actor, "tag_model.saved", model, now, {"bytes": len(data)})
    return model


def activate_tag_model(session: Session, actor: User, model_id: int, *, now: datetime) -> TagModel:
    """Switch a model on for its consultation, switching off the one that was on."""
    require(actor, "theme.edit")
    model = _model(session, model_id)
    if model.active:
        return model
    current = active_tag_model(session, model.consultation_id, for_update=True)
    if current is not None:
        current.active = False
        # Flushed first: the database allows one active model per consultation.
        session.flush()
    model.active = True
    model.activated_at = now
    model.activated_by_id = actor.id
    session.flush()
    replaced = {"replaced_version": current.version if current else None}
    _audit(session, actor, "tag_model.activated", model, now, replaced)
    return model


def deactivate_tag_model(session: Session, actor: User, model_id: int, *, now: datetime) -> None:
    """Switch a model off: its consultation is tagged by the rules alone again."""
    require(actor, "theme.edit")
    model = _model(session, model_id)
    if not model.active:
        return
    model.active = False
    session.flush()
    _audit(session, actor, "tag_model.deactivated", model, now, {})


def active_tag_model(
    session: Session, consultation_id: int, *, for_update: bool = False
) -> TagModel | None:
    """Return the consultation's model that is switched on, if any."""
    query = select(TagModel).where(TagModel.consultation_id == consultation_id, TagModel.active)
    return session.scalar(query.with_for_update() if for_update else query)


def tag_models(session: Session, consultation_id: int) -> list[TagModel]:
    """Return the consultation's models, newest first (their bytes are loaded only when read)."""
    return list(
        session.scalars(
            select(TagModel)
            .where(TagModel.consultation_id == consultation_id)
            .order_by(TagModel.version.desc())
        )
    )


def _model(session: Session, model_id: int) -> TagModel:
    model = session.get(TagModel, model_id, with_for_update=True)
    if model is None:
        raise WorkbenchError("That trained model does not exist. Reload the page.")
    return model


def _audit(
    session: Session,
    actor: User,
    action: str,
    model: TagModel,
    now: datetime,
    detail: dict[str, Any],
) -> None:
    record_event(
        session,
        actor=actor,
        action=action,
        object_type="tag_model",
        object_id=model.id,
        consultation_id=model.consultation_id,
        detail={"version": model.version, **detail},
        now=now,
    )
