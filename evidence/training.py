"""Learning from corrections, as the officer does it: train on the decisions, compare, list.

``evidence.learning`` trains and measures a model on plain data, and ``evidence.model_store``
keeps the models and switches them on and off; this module joins them to a consultation's
stored decisions, and turns a model's stored figures into what the learning page shows. Only
policy officers train or look at models.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from consultations.access import require
from consultations.consultation import get_consultation
from consultations.dates import plain_datetime
from consultations.models import User
from evidence.learning import MIN_REVIEWED, train_model
from evidence.model_store import (
    measured_micro_f1,
    save_tag_model,
    scores_in_words,
    switch_on_refusal,
    tag_models,
)
from evidence.models import TagModel
from evidence.review_state import reviewed_answer_count, reviewed_answers
from evidence.tagger import build_tagger
from evidence.tagging import current_taxonomy
from evidence.themes import consultation_themes

SYSTEMS = {"rules": "Rules alone", "model": "Model alone", "combined": "Rules and model"}
MEASURES = {
    "f1": "F1 (precision and recall together)",
    "precision": "Precision",
    "recall": "Recall",
}
FILED = "Held-back answers filed under it"
MICRO_F1_COLUMNS = ("Rules alone (micro-F1)", "Rules and model (micro-F1)")
# One training at a time in a process: it is CPU-bound, and spaCy seeds its random numbers
# globally, so two at once would no longer give the same model for the same decisions.
_training_lock = threading.Lock()


@dataclass(frozen=True)
class LearningStatus:
    """How many answers are reviewed, and how many more a first model needs."""

    reviewed: int
    needed: int

    @property
    def enough(self) -> bool:
        """Say whether there are enough reviewed answers to train a model."""
        return self.needed == 0


@dataclass(frozen=True)
class ModelSummary:
    """A stored model as the list of models shows it."""

    id: int
    version: int
    created_at: datetime
    created_by: str
    active: bool
    trained: int | None
    held_back: int | None
    rules_micro_f1: float | None
    combined_micro_f1: float | None
    seconds: float | None
    refusal: str | None
    figures: dict[str, Any]

    @property
    def trained_on(self) -> str:
        """Say when it was trained, in words, UK time."""
        return plain_datetime(self.created_at)


def learning_status(session: Session, actor: User, consultation_id: int) -> LearningStatus:
    """Count the consultation's reviewed answers and how many more training needs."""
    require(actor, "model.train")
    get_consultation(session, consultation_id)
    reviewed = reviewed_answer_count(session, consultation_id)
    return LearningStatus(reviewed=reviewed, needed=max(0, MIN_REVIEWED - reviewed))


def train_on_decisions(
    session: Session, actor: User, consultation_id: int, *, now: datetime
) -> TagModel:
    """Train a model on the consultation's decisions, measure it, and store it switched off.

    Raises ``NotEnoughReviewed`` (saying how many more answers to review) below 50.
    """
    require(actor, "model.train")
    get_consultation(session, consultation_id)
    taxonomy = current_taxonomy(session, consultation_id, now=now)
    reviewed = reviewed_answers(session, consultation_id)
    # A tagger of its own, not the cached one partners' saves share under a lock: building it
    # takes milliseconds once the lemma tables are loaded, and saves need not wait for this.
    # The rules alone: the model trained here replaces the default learned one when switched on.
    tagger = build_tagger(taxonomy.specs, learned=False)
    with _training_lock:
        result = train_model(reviewed, theme_ids=tuple(taxonomy.theme_ids), tagger=tagger)
    return save_tag_model(
        session,
        actor,
        consultation_id,
        data=result.model_bytes,
        labels=result.theme_ids,
        figures={**result.figures(), "seconds": round(result.seconds, 2)},
        now=now,
    )


def model_summaries(session: Session, actor: User, consultation_id: int) -> list[ModelSummary]:
    """Return the consultation's stored models, newest first, with their headline figures."""
    require(actor, "model.train")
    return [_summary(model) for model in tag_models(session, consultation_id)]


def models_rows(models: Sequence[ModelSummary]) -> list[dict[str, Any]]:
    """Return the list of stored models as table rows: version, when, who, counts, micro-F1."""
    rules, combined = MICRO_F1_COLUMNS
    return [
        {
            "Version": model.version,
            "Trained": model.trained_on,
            "By": model.created_by,
            "Answers trained on": model.trained,
            "Held back": model.held_back,
            rules: model.rules_micro_f1,
            combined: model.combined_micro_f1,
            "Switched on": "Yes" if model.active else "",
        }
        for model in models
    ]


def theme_labels(session: Session, consultation_id: int) -> dict[str, str]:
    """Return {theme key: label} for every theme the consultation has had, dropped ones too."""
    return {
        theme.key: theme.label
        for theme in consultation_themes(session, consultation_id, include_dropped=True)
    }


def _summary(model: TagModel) -> ModelSummary:
    figures = model.figures or {}
    measured = measured_micro_f1(figures)
    return ModelSummary(
        id=model.id,
        version=model.version,
        created_at=model.created_at,
        created_by=model.created_by.name if model.created_by else "",
        active=model.active,
        trained=figures.get("trained"),
        held_back=figures.get("held_back"),
        rules_micro_f1=measured[0] if measured else None,
        combined_micro_f1=measured[1] if measured else None,
        seconds=figures.get("seconds"),
        refusal=switch_on_refusal(model),
        figures=figures,
    )


# --- the figures in words and tables ---------------------------------------------------------


def verdict(figures: Mapping[str, Any], *, active: bool = False) -> str:
    """Say in a sentence whether switching the model on helps, by micro-F1."""
    measured = measured_micro_f1(dict(figures))
    if measured is None:
        return "This model has no figures measured on held-back answers: train a model again."
    rules, combined = measured
    before, after = scores_in_words(rules, combined)
    answers = _answers(figures.get("held_back"))
    if active:
        return (
            f"It is switched on: on {answers}, micro-F1 went from {before} with the rules alone "
            f"to {after} with the model too."
        )
    if combined > rules:
        return f"Switching it on would raise micro-F1 from {before} to {after} on {answers}."
    if combined == rules:
        return (
            f"Switching it on would leave micro-F1 at {before} on {answers}: it may be switched "
            "on, but it would not measurably help."
        )
    return (
        f"It would not help: switching it on would lower micro-F1 from {before} to {after} on "
        f"{answers}. Keep the rules alone."
    )


def _answers(count: Any) -> str:
    if not isinstance(count, int):
        return "the held-back answers"
    return f"the {count} held-back answer" + ("" if count == 1 else "s")


def figures_rows(
    figures: Mapping[str, Any], labels: Mapping[str, str], *, measure: str = "f1"
) -> list[dict[str, Any]]:
    """Return one row per theme seen in the held-back answers, then one for all themes (micro).

    Each row: the theme, how many held-back answers people filed under it, and the measure
    ("f1", "precision" or "recall") for the rules alone, the model alone and both. A theme
    nobody filed and no system suggested has nothing to measure and is left out.
    """
    if measure not in MEASURES:
        raise ValueError(f"The measure must be one of {', '.join(MEASURES)}, not {measure!r}.")
    systems = figures.get("systems") or {}
    if not all(name in systems for name in SYSTEMS):
        return []
    per_theme = {
        name: {theme["theme_id"]: theme for theme in systems[name]["themes"]} for name in SYSTEMS
    }
    seen = [
        theme_id
        for theme_id in per_theme["rules"]
        if any(
            per_theme[name].get(theme_id, {}).get("support")
            or per_theme[name].get(theme_id, {}).get("false_positives")
            for name in SYSTEMS
        )
    ]
    rows = [
        {
            "Theme": labels.get(theme_id, theme_id),
            FILED: per_theme["rules"][theme_id]["support"],
            **{
                title: per_theme[name].get(theme_id, {}).get(measure, 0.0)
                for name, title in SYSTEMS.items()
            },
        }
        for theme_id in sorted(seen, key=lambda key: labels.get(key, key).lower())
    ]
    rows.append(
        {
            "Theme": "All themes together (micro)",
            FILED: sum(row[FILED] for row in rows),
            **{title: systems[name][f"micro_{measure}"] for name, title in SYSTEMS.items()},
        }
    )
    return rows


def macro_f1_sentence(figures: Mapping[str, Any]) -> str:
    """Say the mean of the themes' F1 (macro-F1) for each system, or nothing without figures."""
    systems = figures.get("systems") or {}
    if not all(name in systems for name in SYSTEMS):
        return ""
    scores = scores_in_words(*(systems[name]["macro_f1"] for name in SYSTEMS))
    each = ", ".join(
        f"{title.lower()} {score}" for title, score in zip(SYSTEMS.values(), scores, strict=True)
    )
    return f"The average of the themes' F1 (macro-F1): {each}."
