"""Review of theme tags: one answer's themes, accepting and rejecting, adding, bulk accept.

Machine suggestions (``TagSuggestion``) and people's decisions (``TagDecision``) are separate
records. A decision is never edited: deciding again on the same answer and theme adds a row
and marks the earlier one as no longer current, so every decision keeps who made it and when.
An answer counts as reviewed once a person has decided on every theme suggested for it
(``evidence.review_state`` holds the rule; a dropped theme's suggestions and decisions no
longer count). Only policy officers review; every function checks that before it reads or
writes anything.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.audit import record_event
from consultations.errors import WorkbenchError
from consultations.models import Organisation, Question, User
from consultations.words import counted  # noqa: F401  (its old home: pages still import it here)
from evidence.models import Answer, AnswerEvidence, Submission, TagDecision, TagSuggestion, Theme
from evidence.review_state import answers_with_text, undecided_answers
from evidence.themes import get_theme

# How a learned model's suggestions may be stored: "model" here, "learned" in evidence.learning.
LEARNED_SOURCES = frozenset({"model", "learned"})


@dataclass(frozen=True)
class DecisionView:
    """A person's decision, as the review page shows it."""

    id: int
    theme_id: int
    theme_label: str
    accepted: bool
    origin: str
    in_bulk: bool
    decided_by: str
    decided_at: datetime
    is_current: bool


@dataclass(frozen=True)
class SuggestionView:
    """A theme for an answer: the machine's suggestion (if any) and the current decision."""

    theme_id: int
    theme_label: str
    score: float | None
    source: str | None
    matches: list[dict[str, Any]]
    sentences: list[tuple[int, int]]
    decision: DecisionView | None
    # "default" for the default learned model's suggestions; empty for the consultation's own.
    learned_by: str = ""


@dataclass(frozen=True)
class AnswerReview:
    """Everything the review page shows for one answer."""

    answer_id: int
    question_id: int
    question_number: str
    question_text: str
    organisation: str
    sector: str
    submitted: bool
    position: str
    text: str
    updated_at: datetime
    themes: list[SuggestionView]
    figures: list[dict[str, Any]]
    places: list[dict[str, Any]]
    regional: bool
    tagged: bool
    history: list[DecisionView]

    @property
    def reviewed(self) -> bool:
        """Say whether a person has decided on every theme suggested for this answer."""
        return bool(self.themes) and all(view.decision is not None for view in self.themes)


# --- the queue -------------------------------------------------------------------------------


# --- one answer ------------------------------------------------------------------------------


def answer_reviews(session: Session, actor: User, answer_ids: Sequence[int]) -> list[AnswerReview]:
    """Return what the review page shows for these answers, in the order given."""
    require(actor, "tag.review")
    if not answer_ids:
        return []
    rows = session.execute(
        select(Answer, Question, Organisation, Submission)
        .join(Submission, Submission.id == Answer.submission_id)
        .join(Question, Question.id == Answer.question_id)
        .join(Organisation, Organisation.id == Submission.organisation_id)
        .where(Answer.id.in_(answer_ids))
    ).all()
    suggestions: dict[int, list[TagSuggestion]] = {}
    for suggestion in session.scalars(
        select(TagSuggestion)
        .where(TagSuggestion.answer_id.in_(answer_ids))
        .order_by(TagSuggestion.score.desc(), TagSuggestion.id)
    ):
        suggestions.setdefault(suggestion.answer_id, []).append(suggestion)
    history: dict[int, list[DecisionView]] = {}
    for decision, theme, person in session.execute(
        select(TagDecision, Theme, User)
        .join(Theme, Theme.id == TagDecision.theme_id)
        .join(User, User.id == TagDecision.decided_by_id)
        .where(TagDecision.answer_id.in_(answer_ids))
        .order_by(TagDecision.decided_at.desc(), TagDecision.id.desc())
    ):
        history.setdefault(decision.answer_id, []).append(_decision_view(decision, theme, person))
    evidence = {
        row.answer_id: row
        for row in session.scalars(
            select(AnswerEvidence).where(AnswerEvidence.answer_id.in_(answer_ids))
        )
    }
    themes = _themes_of(session, [submission.consultation_id for *_, submission in rows])
    by_id = {
        answer.id: _review(
            answer,
            question,
            organisation,
            submission,
            suggestions.get(answer.id, []),
            history.get(answer.id, []),
            evidence.get(answer.id),
            themes,
        )
        for answer, question, organisation, submission in rows
    }
    return [by_id[answer_id] for answer_id in answer_ids if answer_id in by_id]


def answer_review(session: Session, actor: User, answer_id: int) -> AnswerReview:
    """Return what the review page shows for one answer."""
    found = answer_reviews(session, actor, [answer_id])
    if not found:
        raise WorkbenchError("That answer does not exist any more. Reload the page.")
    return found[0]


def _themes_of(session: Session, consultation_ids: Sequence[int]) -> dict[int, Theme]:
    return {
        theme.id: theme
        for theme in session.scalars(
            select(Theme).where(Theme.consultation_id.in_(set(consultation_ids)))
        )
    }


def _decision_view(decision: TagDecision, theme: Theme, person: User) -> DecisionView:
    return DecisionView(
        id=decision.id,
        theme_id=theme.id,
        theme_label=theme.label,
        accepted=decision.accepted,
        origin=decision.origin,
        in_bulk=decision.in_bulk,
        decided_by=person.name,
        decided_at=decision.decided_at,
        is_current=decision.is_current,
    )


def _review(
    answer: Answer,
    question: Question,
    organisation: Organisation,
    submission: Submission,
    suggestions: list[TagSuggestion],
    history: list[DecisionView],
    evidence: AnswerEvidence | None,
    themes: dict[int, Theme],
) -> AnswerReview:
    current = {d.theme_id: d for d in history if d.is_current}
    views: list[SuggestionView] = []
    seen: set[int] = set()
    for suggestion in suggestions:
        theme = themes[suggestion.theme_id]
        if not theme.active or theme.id in seen:
            continue
        seen.add(theme.id)
        views.append(
            SuggestionView(
                theme_id=theme.id,
                theme_label=theme.label,
                score=suggestion.score,
                source=suggestion.source,
                matches=list(suggestion.spans.get("matches", [])),
                sentences=[(s[0], s[1]) for s in suggestion.spans.get("sentences", [])],
                decision=current.get(theme.id),
                learned_by=str(suggestion.spans.get("model", "")),
            )
        )
    # Themes a person added by hand (or decided on after the suggestion went away).
    for theme_id, decision in current.items():
        if theme_id not in seen and themes[theme_id].active:
            views.append(
                SuggestionView(theme_id, decision.theme_label, None, None, [], [], decision)
            )
    return AnswerReview(
        answer_id=answer.id,
        question_id=question.id,
        question_number=question.number,
        question_text=question.text,
        organisation=organisation.name,
        sector=organisation.sector,
        submitted=submission.status == "submitted",
        position=answer.position,
        text=answer.text,
        updated_at=answer.updated_at,
        themes=views,
        figures=list(evidence.figures) if evidence else [],
        places=list(evidence.places) if evidence else [],
        regional=bool(evidence and evidence.regional),
        tagged=evidence is not None and evidence.answer_version == answer.version,
        history=history,
    )


# --- decisions -------------------------------------------------------------------------------


def decide(
    session: Session,
    actor: User,
    answer_id: int,
    theme_id: int,
    *,
    accepted: bool,
    now: datetime,
) -> TagDecision:
    """Record that the answer does (or does not) raise the theme; deciding the same again is a
    no-op, and a change of mind adds a new decision that replaces the current one."""
    require(actor, "tag.review")
    answer, theme = _answer_and_theme(session, answer_id, theme_id)
    current = _current(session, answer.id, theme.id)
    if current is not None and current.accepted == accepted:
        return current
    origin = _origin(session, answer.id, theme.id)
    if not accepted and origin == "hand" and current is None:
        raise WorkbenchError(
            f"Nothing suggests '{theme.label}' for this answer, so there is nothing to reject."
        )
    return _record(session, actor, answer, theme, accepted, origin, current, now=now)


def add_theme_by_hand(
    session: Session, actor: User, answer_id: int, theme_id: int, *, now: datetime
) -> TagDecision:
    """File an answer under a theme that the machine did not suggest (or that was rejected)."""
    require(actor, "tag.review")
    answer, theme = _answer_and_theme(session, answer_id, theme_id)
    current = _current(session, answer.id, theme.id)
    if current is not None and current.accepted:
        raise WorkbenchError(f"This answer is already filed under '{theme.label}'.")
    origin = _origin(session, answer.id, theme.id)
    return _record(session, actor, answer, theme, True, origin, current, now=now)


def bulk_accept(
    session: Session,
    actor: User,
    consultation_id: int,
    theme_id: int,
    *,
    question_id: int | None = None,
    now: datetime,
) -> int:
    """Accept a theme's suggestion on every answer (of one question, if given) where nobody
    has decided on it yet; return how many were accepted.

    Only this theme is decided: an answer with other suggestions still undecided stays waiting
    for review until a person decides on those too.
    """
    require(actor, "tag.review")
    theme = _theme_of(session, consultation_id, theme_id)
    candidates = (
        answers_with_text(consultation_id, question_id)
        .where(Answer.id.in_(undecided_answers(consultation_id, theme.id)))
        .order_by(Answer.id)
    )
    answers = list(
        session.scalars(select(Answer).where(Answer.id.in_(candidates)).with_for_update())
    )
    # Read again now the answers are locked: another officer may have decided on some meanwhile.
    decided_meanwhile = set(
        session.scalars(
            select(TagDecision.answer_id).where(
                TagDecision.answer_id.in_([a.id for a in answers]),
                TagDecision.theme_id == theme.id,
                TagDecision.is_current,
            )
        )
    )
    answers = [a for a in answers if a.id not in decided_meanwhile]
    if not answers:
        raise WorkbenchError(
            f"No answer waiting for review has a suggestion of '{theme.label}'. Nothing was "
            "changed."
        )
    origins = dict(
        session.execute(
            # "rules" sorts after "learned" and "model": rules name the origin when both exist.
            select(TagSuggestion.answer_id, func.max(TagSuggestion.source))
            .where(
                TagSuggestion.answer_id.in_([a.id for a in answers]),
                TagSuggestion.theme_id == theme.id,
            )
            .group_by(TagSuggestion.answer_id)
        ).all()
    )
    session.add_all(
        TagDecision(
            answer_id=answer.id,
            theme_id=theme.id,
            accepted=True,
            origin="rules" if origins.get(answer.id, "rules") == "rules" else "model",
            in_bulk=True,
            decided_by_id=actor.id,
            decided_at=now,
            answer_version=answer.version,
            is_current=True,
        )
        for answer in answers
    )
    session.flush()
    record_event(
        session,
        actor=actor,
        action="tags.bulk_accepted",
        object_type="theme",
        object_id=theme.id,
        consultation_id=consultation_id,
        detail={
            "theme": theme.key,
            "label": theme.label,
            "question_id": question_id,
            "answers": [a.id for a in answers],
        },
        now=now,
    )
    return len(answers)


def _answer_and_theme(session: Session, answer_id: int, theme_id: int) -> tuple[Answer, Theme]:
    # The answer's row lock serialises decisions on it (and waits for a save in progress).
    answer = session.get(Answer, answer_id, with_for_update=True)
    if answer is None:
        raise WorkbenchError("That answer does not exist any more. Reload the page.")
    theme = _theme_of(session, answer.submission.consultation_id, theme_id)
    return answer, theme


def _theme_of(session: Session, consultation_id: int, theme_id: int) -> Theme:
    theme = get_theme(session, theme_id)
    if theme.consultation_id != consultation_id:
        raise WorkbenchError("That theme belongs to another consultation. Reload the page.")
    if not theme.active:
        raise WorkbenchError(
            f"'{theme.label}' has been dropped from this consultation's themes, so answers can "
            "no longer be filed under it."
        )
    return theme


def _current(session: Session, answer_id: int, theme_id: int) -> TagDecision | None:
    return session.scalar(
        select(TagDecision).where(
            TagDecision.answer_id == answer_id,
            TagDecision.theme_id == theme_id,
            TagDecision.is_current,
        )
    )


def _origin(session: Session, answer_id: int, theme_id: int) -> str:
    sources = set(
        session.scalars(
            select(TagSuggestion.source).where(
                TagSuggestion.answer_id == answer_id, TagSuggestion.theme_id == theme_id
            )
        )
    )
    if "rules" in sources:
        return "rules"
    return "model" if sources & LEARNED_SOURCES else "hand"


def _record(
    session: Session,
    actor: User,
    answer: Answer,
    theme: Theme,
    accepted: bool,
    origin: str,
    current: TagDecision | None,
    *,
    now: datetime,
) -> TagDecision:
    if current is not None:
        current.is_current = False
        # Flushed first, so the database never holds two current decisions on one pair.
        session.flush()
    decision = TagDecision(
        answer_id=answer.id,
        theme_id=theme.id,
        accepted=accepted,
        origin=origin,
        in_bulk=False,
        decided_by_id=actor.id,
        decided_at=now,
        answer_version=answer.version,
        is_current=True,
    )
    session.add(decision)
    session.flush()
    action = "tag.accepted" if accepted else "tag.rejected"
    if accepted and origin == "hand":
        action = "tag.added"
    record_event(
        session,
        actor=actor,
        action=action,
        object_type="answer",
        object_id=answer.id,
        consultation_id=theme.consultation_id,
        detail={
            "theme": theme.key,
            "label": theme.label,
            "origin": origin,
            "replaces": current.id if current is not None else None,
        },
        now=now,
    )
    return decision


# --- showing why -----------------------------------------------------------------------------


def highlighted_sentence(
    text: str, sentence: tuple[int, int], matches: Sequence[dict[str, Any]]
) -> str:
    """Return the sentence as HTML, every character escaped, the matched phrases in <mark>.

    A match that no longer fits the text (the answer changed after it was tagged) is not marked.
    """
    start, end = sentence
    start, end = max(0, start), min(len(text), end)
    marks = sorted(
        (m["start"], m["end"])
        for m in matches
        if start <= m["start"] < m["end"] <= end and text[m["start"] : m["end"]] == m["phrase"]
    )
    parts, at = [], start
    for mark_start, mark_end in marks:
        if mark_start < at:
            continue  # overlaps the previous mark
        parts.append(html.escape(text[at:mark_start]))
        parts.append(f"<mark>{html.escape(text[mark_start:mark_end])}</mark>")
        at = mark_end
    parts.append(html.escape(text[at:end]))
    return "".join(parts).strip()


def matched_words(matches: Sequence[dict[str, Any]]) -> list[str]:
    """The answer's words that matched the theme's phrases, each once, in the answer's order;
    a phrase inside a longer one that matched ('no recourse' in 'no recourse to public funds')
    is not given again."""
    words: dict[str, str] = {}
    end = -1
    for match in sorted(matches, key=lambda m: (m["start"], -m["end"])):
        if match["end"] <= end:
            continue
        end = match["end"]
        words.setdefault(match["phrase"].casefold(), match["phrase"])
    return list(words.values())


def figure_sentences(review: AnswerReview) -> list[tuple[str, list[str]]]:
    """Return the sentences carrying figures, as plain text, with the kinds of figure in each."""
    return [
        (review.text[f["start"] : f["end"]].strip(), list(f["kinds"]))
        for f in review.figures
        if 0 <= f["start"] < f["end"] <= len(review.text)
    ]


def place_names(review: AnswerReview) -> list[str]:
    """Return the places named in the answer, each once, in the order they appear."""
    return list(dict.fromkeys(place["name"] for place in review.places))


def decisions_phrase(decision: DecisionView) -> str:
    """Say a decision in words: 'accepted by Aoife Byrne', 'added by hand by ...'."""
    verb = "accepted" if decision.accepted else "rejected"
    if decision.accepted and decision.origin == "hand":
        verb = "added by hand"
    if decision.in_bulk:
        verb += " (in bulk)"
    return f"{verb} by {decision.decided_by}"
