"""The officer's review queue: the answers waiting for review (or reviewed), and their counts.

What counts as reviewed is ``evidence.review_state``'s rule: a person has decided on every
theme suggested for the answer. Only policy officers read the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import Session, aliased

from consultations.access import require
from consultations.errors import WorkbenchError
from consultations.models import User
from evidence.models import Answer, TagDecision, TagSuggestion
from evidence.review_state import answers_with_text, decision_on_suggestion, reviewed

STATUSES = {
    "waiting": "Waiting for review",
    "reviewed": "Reviewed",
    "all": "All answers",
}
PAGE_SIZE = 20


@dataclass(frozen=True)
class QueueFilter:
    """Which answers to list: by question, by theme (suggested or decided) and by status."""

    question_id: int | None = None
    theme_id: int | None = None
    status: str = "waiting"


@dataclass(frozen=True)
class QueueCounts:
    """How the review stands: answers with text, waiting, reviewed; waiting ones per theme."""

    answers: int
    waiting: int
    reviewed: int
    waiting_by_theme: dict[int, int]


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue: answer ids, oldest first, and how many match in all."""

    answer_ids: list[int]
    total: int


def _about_theme(theme_id: int) -> ColumnElement[bool]:
    """The answer has a suggestion of the theme, or a current decision on it."""
    return exists(
        select(TagSuggestion.id).where(
            TagSuggestion.answer_id == Answer.id, TagSuggestion.theme_id == theme_id
        )
    ) | exists(
        select(TagDecision.id).where(
            TagDecision.answer_id == Answer.id,
            TagDecision.theme_id == theme_id,
            TagDecision.is_current,
        )
    )


def _filtered(consultation_id: int, chosen: QueueFilter) -> Select[Any]:
    if chosen.status not in STATUSES:
        raise WorkbenchError(f"Show one of: {', '.join(STATUSES.values()).lower()}.")
    query = answers_with_text(consultation_id, chosen.question_id)
    if chosen.theme_id is not None:
        query = query.where(_about_theme(chosen.theme_id))
    if chosen.status == "waiting":
        query = query.where(~reviewed(Answer.id, consultation_id))
    elif chosen.status == "reviewed":
        query = query.where(reviewed(Answer.id, consultation_id))
    return query


def review_queue(
    session: Session,
    actor: User,
    consultation_id: int,
    chosen: QueueFilter = QueueFilter(),
    *,
    limit: int = PAGE_SIZE,
    offset: int = 0,
) -> QueuePage:
    """Return the answers to review (or reviewed), oldest first, with how many there are."""
    require(actor, "tag.review")
    query = _filtered(consultation_id, chosen)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ids = session.scalars(
        query.order_by(Answer.updated_at, Answer.id).limit(limit).offset(offset)
    ).all()
    return QueuePage(answer_ids=list(ids), total=total)


def review_counts(
    session: Session, actor: User, consultation_id: int, *, question_id: int | None = None
) -> QueueCounts:
    """Count answers with text, waiting and reviewed, and per theme the answers whose suggestion
    of it nobody has decided on (what accepting it for all would accept)."""
    require(actor, "tag.review")
    answers = answers_with_text(consultation_id, question_id).subquery()
    total, done = session.execute(
        select(
            func.count(), func.count().filter(reviewed(answers.c.id, consultation_id))
        ).select_from(answers)
    ).one()
    with_text = answers_with_text(consultation_id, question_id).subquery()
    decision = aliased(TagDecision)
    by_theme = session.execute(
        select(TagSuggestion.theme_id, func.count(func.distinct(TagSuggestion.answer_id)))
        .join(with_text, with_text.c.id == TagSuggestion.answer_id)
        .outerjoin(decision, decision_on_suggestion(decision))
        .where(decision.id.is_(None))
        .group_by(TagSuggestion.theme_id)
    ).all()
    return QueueCounts(
        answers=total,
        waiting=total - done,
        reviewed=done,
        waiting_by_theme={theme_id: count for theme_id, count in by_theme},
    )
