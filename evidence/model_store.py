"""Trained theme models kept in the database: saved as versions, switched on by the officer.

``evidence.learning`` trains a model and hands over its bytes, the theme keys it knows and
what it measured on held-back decisions; this module stores them. A consultation has at most
one model switched on (the database refuses a second), and only a policy officer saves or
switches one. A model is switched on only if its figures show that adding its suggestions to
the rules' does not lower micro-F1 on the held-back answers; switching it off removes its
suggestions that nobody has decided on. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.audit import record_event
from consultations.consultation import get_consultation
from consultations.db import hold_lock
from consultations.errors import WorkbenchError
from consultations.models import User
from evidence.models import Answer, Submission, TagDecision, TagModel, TagSuggestion
from evidence.review import LEARNED_SOURCES


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
    require(actor, "model.train")
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
    measured = {key: figures[key] for key in ("trained", "held_back") if key in figures}
    _audit(session, actor, "tag_model.saved", model, now, {"bytes": len(data), **measured})
    return model


def activate_tag_model(session: Session, actor: User, model_id: int, *, now: datetime) -> TagModel:
    """Switch a model on for its consultation, switching off the one that was on.

    Refused when the model's figures show it would lower micro-F1, or it has none. Its
    suggestions appear as answers are tagged again (``evidence.tagging.retag_consultation``).
    """
    require(actor, "model.train")
    model = _model(session, model_id)
    if model.active:
        return model
    refusal = switch_on_refusal(model)
    if refusal is not None:
        raise WorkbenchError(refusal)
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


def deactivate_tag_model(session: Session, actor: User, model_id: int, *, now: datetime) -> int:
    """Switch a model off, so the rules tag alone again; return how many suggestions went.

    Learned suggestions that nobody has decided on are removed at once; those a person decided
    on stay beside their decision until the answer is tagged again.
    """
    require(actor, "model.train")
    model = _model(session, model_id)
    if not model.active:
        return 0
    model.active = False
    session.flush()
    removed = remove_undecided_learned_suggestions(session, model.consultation_id)
    _audit(session, actor, "tag_model.deactivated", model, now, {"suggestions_removed": removed})
    return removed


def remove_undecided_learned_suggestions(session: Session, consultation_id: int) -> int:
    """Delete the consultation's learned suggestions that have no current decision; count them."""
    answers = (
        select(Answer.id)
        .join(Submission, Submission.id == Answer.submission_id)
        .where(Submission.consultation_id == consultation_id)
    )
    decided = exists(
        select(TagDecision.id).where(
            TagDecision.answer_id == TagSuggestion.answer_id,
            TagDecision.theme_id == TagSuggestion.theme_id,
            TagDecision.is_current,
        )
    )
    result = session.execute(
        delete(TagSuggestion)
        .where(
            TagSuggestion.source.in_(LEARNED_SOURCES),
            TagSuggestion.answer_id.in_(answers),
            ~decided,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def measured_micro_f1(figures: dict[str, Any]) -> tuple[float, float] | None:
    """Return (rules alone, rules and model) micro-F1 on held-back answers, if figures say so."""
    systems = figures.get("systems") if isinstance(figures, dict) else None
    if not isinstance(systems, dict):
        return None
    rules = (systems.get("rules") or {}).get("micro_f1")
    combined = (systems.get("combined") or {}).get("micro_f1")
    if not isinstance(rules, int | float) or not isinstance(combined, int | float):
        return None
    return float(rules), float(combined)


def switch_on_refusal(model: TagModel) -> str | None:
    """Say why a model may not be switched on, or return None when it may."""
    measured = measured_micro_f1(model.figures)
    if measured is None:
        return (
            f"Version {model.version} has no figures measured on held-back answers, so it "
            "cannot be switched on. Train a model again."
        )
    rules, combined = measured
    if combined < rules:
        before, after = scores_in_words(rules, combined)
        return (
            f"Version {model.version} would lower micro-F1 on the held-back answers from "
            f"{before} to {after}, so it cannot be switched on. Keep the rules alone, or review "
            "more answers and train again."
        )
    return None


def scores_in_words(*scores: float) -> list[str]:
    """Write scores with two decimals, or more when two decimals would make different ones equal."""
    for places in (2, 3, 4):
        written = [f"{score:.{places}f}" for score in scores]
        if len(set(written)) == len(set(scores)):
            return written
    return written


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
