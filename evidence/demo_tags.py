"""The demo's tags: every demo answer tagged, and about a third reviewed by the demo officer.

So the review queue, the reasons for each suggestion and the decision records show at once
when someone opens the demo. The officer accepts most suggestions on the answers reviewed,
rejects a few weak ones, and adds a theme the rules missed to one or two. Everything is
decided by rule from the demo's own answers, so the demo comes out the same each time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from consultations.db import session_scope
from consultations.demo import DEMO_OFFICER_EMAIL, demo_today
from consultations.models import User
from evidence.models import Answer, Submission, TagDecision, TagSuggestion, Theme
from evidence.review import add_theme_by_hand, decide
from evidence.tagging import tag_answers

REVIEW_EVERY = 3  # one answer in three is reviewed
MOST_REJECTS = 4
MOST_ADDED = 2
# theme key -> words that, in an answer the rules did not file under it, earn a hand-added tag
HAND_TAGS = {
    "data_evidence": ("figures", "data", "casework records"),
    "regional": ("Northern Ireland",),
    "family": ("families", "spouse", "partner"),
}


@dataclass(frozen=True)
class DemoTags:
    """What ``tag_demo`` did."""

    answers: int
    reviewed: int
    accepted: int
    rejected: int
    added: int


def tag_demo(engine: Engine, *, today: date | None = None) -> DemoTags:
    """Tag every demo answer and record the demo officer's decisions on about a third of them."""
    today = today or demo_today()
    with session_scope(engine) as session:
        answers = list(session.scalars(select(Answer).where(Answer.text != "").order_by(Answer.id)))
        tag_answers(session, answers, now=_at(today, days_ago=4, minutes=0))
    with session_scope(engine) as session:
        officer = session.scalar(select(User).where(User.email == DEMO_OFFICER_EMAIL))
        return _review(session, officer, [a.id for a in answers], today)


def _review(session: Session, officer: User, answer_ids: list[int], today: date) -> DemoTags:
    if _any_decided(session, answer_ids):
        # Reviewed already (the demo was tagged before): tagging again is enough.
        return DemoTags(len(answer_ids), 0, 0, 0, 0)
    chosen = answer_ids[::REVIEW_EVERY]
    accepted = rejected = added = reviewed = 0
    for number, answer_id in enumerate(chosen):
        when = _at(today, days_ago=3 - number * 3 // max(len(chosen), 1), minutes=number * 7)
        suggestions = _suggestions(session, answer_id)
        for index, (theme_id, score) in enumerate(suggestions):
            # The weakest of several suggestions, at the threshold, is the likeliest stray.
            reject = (
                rejected < MOST_REJECTS
                and len(suggestions) >= 3
                and index == len(suggestions) - 1
                and score <= 2.0
            )
            decide(session, officer, answer_id, theme_id, accepted=not reject, now=when)
            rejected += reject
            accepted += not reject
        missed = _missed_theme(session, answer_id) if added < MOST_ADDED else None
        if missed is not None:
            add_theme_by_hand(session, officer, answer_id, missed, now=when)
            added += 1
        reviewed += bool(suggestions) or missed is not None
    return DemoTags(len(answer_ids), reviewed, accepted, rejected, added)


def _at(today: date, *, days_ago: int, minutes: int) -> datetime:
    morning = datetime.combine(today - timedelta(days=days_ago), datetime.min.time())
    return morning + timedelta(hours=9, minutes=30 + minutes)


def _any_decided(session: Session, answer_ids: list[int]) -> bool:
    found = select(TagDecision.id).where(TagDecision.answer_id.in_(answer_ids)).limit(1)
    return session.scalar(found) is not None


def _suggestions(session: Session, answer_id: int) -> list[tuple[int, float]]:
    return [
        (theme_id, score)
        for theme_id, score in session.execute(
            select(TagSuggestion.theme_id, TagSuggestion.score)
            .join(Theme, Theme.id == TagSuggestion.theme_id)
            .where(TagSuggestion.answer_id == answer_id, Theme.active)
            .order_by(TagSuggestion.score.desc(), Theme.position)
        )
    ]


def _missed_theme(session: Session, answer_id: int) -> int | None:
    """Return a theme the answer plainly raises but was not filed under, if there is one."""
    answer = session.get(Answer, answer_id)
    consultation_id = session.scalar(
        select(Submission.consultation_id).where(Submission.id == answer.submission_id)
    )
    filed = {theme_id for theme_id, _ in _suggestions(session, answer_id)}
    for key, words in HAND_TAGS.items():
        theme = session.scalar(
            select(Theme).where(Theme.consultation_id == consultation_id, Theme.key == key)
        )
        if theme is not None and theme.id not in filed and any(w in answer.text for w in words):
            return theme.id
    return None
