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

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from evidence.models import Answer, Submission, TagDecision, TagSuggestion, Theme


def decided_on_a_theme(answer_id: Any) -> ColumnElement[bool]:
    """A person's current decision exists on an active theme of the answer."""
    return exists(
        select(TagDecision.id)
        .join(Theme, Theme.id == TagDecision.theme_id)
        .where(TagDecision.answer_id == answer_id, TagDecision.is_current, Theme.active)
    )


def undecided_suggestion(answer_id: Any, theme_id: int | None = None) -> ColumnElement[bool]:
    """The answer has a suggestion (of this theme, if given) on an active theme that nobody
    has decided on."""
    query = (
        select(TagSuggestion.id)
        .join(Theme, Theme.id == TagSuggestion.theme_id)
        .where(
            TagSuggestion.answer_id == answer_id,
            Theme.active,
            ~exists(
                select(TagDecision.id).where(
                    TagDecision.answer_id == TagSuggestion.answer_id,
                    TagDecision.theme_id == TagSuggestion.theme_id,
                    TagDecision.is_current,
                )
            ),
        )
    )
    if theme_id is not None:
        query = query.where(TagSuggestion.theme_id == theme_id)
    return exists(query)


def reviewed(answer_id: Any) -> ColumnElement[bool]:
    """A person has decided on the answer's themes: on one at least, and on every suggestion."""
    return decided_on_a_theme(answer_id) & ~undecided_suggestion(answer_id)


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
    query = answers_with_text(consultation_id).where(reviewed(Answer.id)).subquery()
    return session.scalar(select(func.count()).select_from(query)) or 0


def reviewed_answers(session: Session, consultation_id: int) -> list[tuple[int, str, set[str]]]:
    """Return (answer id, text, keys of the themes people accepted) for every reviewed answer.

    This is what learning trains on: a theme nobody accepted on a reviewed answer counts as
    "not this theme". Only current decisions on active themes count.
    """
    done = answers_with_text(consultation_id).where(reviewed(Answer.id)).subquery()
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
        select(func.count(), func.count().filter(undecided_suggestion(answers.c.id))).select_from(
            answers
        )
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
            f"suggested on the {_answers(total)} has been accepted or rejected by an officer."
        )
    return (
        "Themes are counted from officers' decisions and, where no officer has decided yet, "
        f"from the workbench's own suggestions: {waiting:,} of the {_answers(total)} "
        f"{'has' if waiting == 1 else 'have'} suggestions waiting for review, and those "
        "suggestions are counted as if accepted."
    )


def _answers(total: int) -> str:
    return f"{total:,} submitted answer{'' if total == 1 else 's'}"
