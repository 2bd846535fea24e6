"""What counts as reviewed, and what the analysis and the draft count as an answer's themes.

One place for the rule: an answer is reviewed when a person has decided on at least one of
its themes and no suggestion on it is left undecided (accepting one theme of three, one by one
or in bulk, leaves the answer waiting for the other two). Only active themes count: a dropped
theme's suggestions and decisions are left out. The analysis and the draft count a person's
decision where there is one and the machine's suggestion where nobody has decided yet;
``what_counts`` says so in a sentence, with the figures, for the page and the document.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, aliased

from consultations.words import agreeing, counted
from evidence.models import Answer, Submission, TagDecision, TagSuggestion, Theme

_ANSWER, _SUBMISSION = aliased(Answer), aliased(Submission)


def _of_consultation(query: Select[Any], answer_id: Any, consultation_id: int) -> Select[Any]:
    # Never correlated with an outer query's answers: the list is built once, not per answer.
    return (
        query.join(_ANSWER, _ANSWER.id == answer_id)
        .join(_SUBMISSION, _SUBMISSION.id == _ANSWER.submission_id)
        .where(_SUBMISSION.consultation_id == consultation_id)
        .correlate(None)
    )


def decided_answers(consultation_id: int) -> Select[Any]:
    """The ids of the consultation's answers with a person's current decision on an active
    theme."""
    query = (
        select(TagDecision.answer_id)
        .join(Theme, Theme.id == TagDecision.theme_id)
        .where(TagDecision.is_current, Theme.active)
    )
    return _of_consultation(query, TagDecision.answer_id, consultation_id).distinct()


def decision_on_suggestion(decision: Any) -> ColumnElement[bool]:
    """Join a suggestion to the current decision on its answer and theme (``decision``: an
    alias of ``TagDecision``), found through the answer: "+ 0" keeps SQLite from reading every
    decision on the theme instead (thousands, after an "accept for all")."""
    return (
        (decision.answer_id == TagSuggestion.answer_id)
        & (decision.theme_id + 0 == TagSuggestion.theme_id)
        & decision.is_current
    )


def undecided_answers(consultation_id: int, theme_id: int | None = None) -> Select[Any]:
    """The ids of the consultation's answers with a suggestion (of this theme, if given) on an
    active theme that nobody has decided on."""
    decision = aliased(TagDecision)
    query = (
        select(TagSuggestion.answer_id)
        .join(Theme, Theme.id == TagSuggestion.theme_id)
        .outerjoin(decision, decision_on_suggestion(decision))
        .where(Theme.active, decision.id.is_(None))
    )
    if theme_id is not None:
        query = query.where(TagSuggestion.theme_id == theme_id)
    return _of_consultation(query, TagSuggestion.answer_id, consultation_id).distinct()


def reviewed(answer_id: Any, consultation_id: int) -> ColumnElement[bool]:
    """A person has decided on the answer's themes: on one at least, and on every suggestion.

    Written as two lists of ids the database builds once, not as a subquery per answer: the
    review page counts thousands of answers on every run.
    """
    return answer_id.in_(decided_answers(consultation_id)) & answer_id.not_in(
        undecided_answers(consultation_id)
    )


def answers_with_text(consultation_id: int, question_id: int | None = None):
    """The ids of the consultation's answers that have a comment (of one question, if given)."""
    query = (
        select(Answer.id)
        .join(Submission, Submission.id == Answer.submission_id)
        .where(Submission.consultation_id == consultation_id, Answer.text != "")
    )
    if question_id is not None:
        query = query.where(Answer.question_id == question_id)
    return query


def reviewed_answer_count(session: Session, consultation_id: int) -> int:
    """Count the consultation's reviewed answers (what learning needs)."""
    query = answers_with_text(consultation_id).where(reviewed(Answer.id, consultation_id))
    query = query.subquery()
    return session.scalar(select(func.count()).select_from(query)) or 0


def reviewed_answers(session: Session, consultation_id: int) -> list[tuple[int, str, set[str]]]:
    """Return (answer id, text, keys of the themes people accepted) for every reviewed answer.

    This is what learning trains on: a theme nobody accepted on a reviewed answer counts as
    "not this theme". Only current decisions on active themes count.
    """
    done = answers_with_text(consultation_id).where(reviewed(Answer.id, consultation_id))
    done = done.subquery()
    accepted: dict[int, set[str]] = {}
    for answer_id, key in session.execute(
        select(TagDecision.answer_id, Theme.key)
        .join(Theme, Theme.id == TagDecision.theme_id)
        .join(done, done.c.id == TagDecision.answer_id)
        .where(TagDecision.is_current, TagDecision.accepted, Theme.active)
    ):
        accepted.setdefault(answer_id, set()).add(key)
    return [
        (answer_id, text, accepted.get(answer_id, set()))
        for answer_id, text in session.execute(
            select(Answer.id, Answer.text).join(done, done.c.id == Answer.id).order_by(Answer.id)
        )
    ]


def what_counts(session: Session, consultation_id: int) -> str:
    """Say in a sentence what the analysis and the draft count as the submitted answers' themes:
    officers' decisions only, or the machine's undecided suggestions too (and on how many)."""
    submitted = answers_with_text(consultation_id).where(Submission.submitted_at.is_not(None))
    answers = submitted.subquery()
    total, waiting = session.execute(
        select(
            func.count(),
            func.count().filter(answers.c.id.in_(undecided_answers(consultation_id))),
        ).select_from(answers)
    ).one()
    if not total:
        return (
            "Themes are counted from officers' decisions on the submitted answers, and from "
            "the workbench's suggestions where no officer has decided yet; no submitted answer "
            "has a comment yet."
        )
    if not waiting:
        return (
            "Themes are counted from officers' decisions only: every theme the workbench "
            f"suggested on the {counted(total, 'submitted answer')} has been accepted or rejected "
            "by an officer."
        )
    return (
        "Themes are counted from officers' decisions and, where no officer has decided yet, "
        f"from the workbench's own suggestions: {waiting:,} of the "
        f"{counted(total, 'submitted answer')} {agreeing(waiting, 'has', 'have')} suggestions "
        "waiting for review, and those "
        "suggestions are counted as if accepted."
    )
