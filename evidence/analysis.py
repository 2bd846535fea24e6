"""What the partners said, counted: positions, themes by partners and by sector, filters, search.

Plain functions over ``evidence.facts.Evidence``; the analysis page draws them. Positions are
counted by ``evidence.counting``, which the draft uses too, so the page and the document never
disagree. Counts of partners are counts of distinct organisations: two people from one council
are one partner.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.errors import WorkbenchError
from consultations.models import Consultation, Organisation, Question, User
from consultations.settings import Settings
from evidence.counting import NO_POSITION, count_positions
from evidence.facts import AnswerFact, Evidence, QuestionFact, ThemeFact
from evidence.models import (
    Answer,
    AnswerEvidence,
    Submission,
    TagDecision,
    TagSuggestion,
    Theme,
)
from evidence.review_state import what_counts
from evidence.themes import consultation_themes


@dataclass(frozen=True)
class PositionCount:
    position: str
    partners: int


@dataclass(frozen=True)
class ThemeCount:
    theme_id: str
    label: str
    partners: int
    answers: int


@dataclass(frozen=True)
class SectorThemeCount:
    sector: str
    theme_id: str
    label: str
    partners: int


@dataclass(frozen=True)
class AnswerFilter:
    """The officer's filters; None (or empty) means "any"."""

    question_id: int | None = None
    theme_id: str | None = None
    sector: str | None = None
    position: str | None = None
    has_figures: bool | None = None
    regional: bool | None = None
    search: str = ""


def position_counts(evidence: Evidence, question_id: int) -> list[PositionCount]:
    """Partners per position on one question, in the question's own option order.

    Every option is listed, with 0 where nobody chose it, so a chart shows the whole scale;
    answers without a position (an open question, or a comment alone) come last. Counted by
    ``evidence.counting``: one organisation, one position (its latest answer).
    """
    question = next(q for q in evidence.questions if q.id == question_id)
    counts = count_positions(question, evidence.answers, every_option=True)
    return [PositionCount(count.position, count.partners) for count in counts]


def themes_by_partners(evidence: Evidence, question_id: int | None = None) -> list[ThemeCount]:
    """Themes raised, most partners first (then most answers, then the taxonomy's order)."""
    labels = {t.id: t.label for t in evidence.themes}
    order = {t.id: n for n, t in enumerate(evidence.themes)}
    partners: dict[str, set[str]] = defaultdict(set)
    answers: Counter[str] = Counter()
    for answer in _for_question(evidence.answers, question_id):
        for theme in answer.themes:
            if theme in labels:
                partners[theme].add(answer.organisation)
                answers[theme] += 1
    counts = [ThemeCount(t, labels[t], len(partners[t]), answers[t]) for t in partners]
    return sorted(counts, key=lambda c: (-c.partners, -c.answers, order[c.theme_id]))


def themes_by_sector(evidence: Evidence, question_id: int | None = None) -> list[SectorThemeCount]:
    """Partners raising each theme, per sector (every pair with at least one partner)."""
    labels = {t.id: t.label for t in evidence.themes}
    partners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for answer in _for_question(evidence.answers, question_id):
        for theme in answer.themes:
            if theme in labels:
                partners[(answer.sector, theme)].add(answer.organisation)
    return [
        SectorThemeCount(sector, theme, labels[theme], len(names))
        for (sector, theme), names in sorted(partners.items())
    ]


def filter_answers(evidence: Evidence, chosen: AnswerFilter) -> list[AnswerFact]:
    """The answers that pass every filter, in question order then organisation."""
    words = chosen.search.casefold().split()
    order = {q.id: n for n, q in enumerate(evidence.questions)}

    def keep(a: AnswerFact) -> bool:
        return (
            (chosen.question_id is None or a.question_id == chosen.question_id)
            and (not chosen.theme_id or chosen.theme_id in a.themes)
            and (not chosen.sector or a.sector == chosen.sector)
            and (not chosen.position or (a.position or NO_POSITION) == chosen.position)
            and (chosen.has_figures is None or bool(a.figures) == chosen.has_figures)
            and (chosen.regional is None or a.regional == chosen.regional)
            and all(w in _searchable(a) for w in words)
        )

    found = [a for a in evidence.answers if keep(a)]
    return sorted(found, key=lambda a: (order.get(a.question_id, 0), a.organisation, a.answer_id))


def partner_count(answers: Iterable[AnswerFact]) -> int:
    """How many distinct organisations gave these answers."""
    return len({a.organisation for a in answers})


def _for_question(answers: Iterable[AnswerFact], question_id: int | None) -> Iterable[AnswerFact]:
    return (a for a in answers if question_id is None or a.question_id == question_id)


def _searchable(answer: AnswerFact) -> str:
    return f"{answer.text} {answer.evidence_note} {answer.organisation}".casefold()


def load_evidence(
    session: Session,
    actor: User,
    consultation_id: int,
    *,
    today: date,
    partnership: str,
    region: str,
    about: str = "",
    contact: str = "",
) -> Evidence:
    """Everything the analysis and the draft need, read in a handful of queries.

    The answers are those of organisations that have submitted (at least once; their current
    answers, so a resubmission's changes count), each with its organisation's consent. An
    answer's themes are what a person decided where anyone has (accepted themes in, rejected
    ones out), and otherwise the tagger's suggestions; dropped and merged-away themes are left
    out. Figures and places come from the tagger's evidence spotting.

    Rows are read as plain columns, not ORM objects: with thousands of answers and tens of
    thousands of suggestions, building and tracking objects cost several times the queries.
    """
    require(actor, "submission.track")
    consultation = session.get(Consultation, consultation_id)
    if consultation is None:
        raise WorkbenchError("That consultation does not exist.")
    themes = consultation_themes(session, consultation_id)  # copied when answers are tagged
    key_of = {t.id: t.key for t in themes}
    rows = session.execute(
        select(
            Answer.id,
            Answer.question_id,
            Answer.position,
            Answer.text,
            Answer.evidence_note,
            Submission.consent,
            Organisation.name,
            Organisation.sector,
            Organisation.area,
        )
        .join(Submission, Answer.submission_id == Submission.id)
        .join(Organisation, Submission.organisation_id == Organisation.id)
        .where(Submission.consultation_id == consultation_id, Submission.submitted_at.is_not(None))
        .order_by(Answer.id)
    ).all()
    texts = {row.id: row.text for row in rows}
    decided, suggested, spotted = _tags(session, consultation_id, texts)
    answers = []
    for answer_id, question_id, position, text, note, consent, organisation, sector, area in rows:
        decisions = decided.get(answer_id, {})
        chosen = [
            (theme_id, sentence)
            for theme_id, sentence in suggested.get(answer_id, [])
            if theme_id not in decisions
        ] + [(theme_id, "") for theme_id, accepted in decisions.items() if accepted]
        keys = list(dict.fromkeys(key_of[t] for t, _ in chosen if t in key_of))
        found = spotted.get(answer_id)
        answers.append(
            AnswerFact(
                answer_id=answer_id,
                question_id=question_id,
                organisation=organisation,
                sector=sector,
                consent=consent or "anonymous",
                position=position,
                text=text,
                evidence_note=note,
                themes=tuple(keys),
                figures=tuple(_slices(text, found[0] or [])) if found else (),
                places=tuple(dict.fromkeys(p["name"] for p in found[1] or [])) if found else (),
                regional=bool(found and found[2]),
                theme_sentences=tuple(
                    (key_of[t], sentence) for t, sentence in chosen if sentence and t in key_of
                ),
                area=area or "",
            )
        )
    return Evidence(
        partnership=partnership,
        region=region,
        title=consultation.title,
        reference=consultation.reference,
        department=consultation.department,
        closes_on=consultation.closes_on,
        about=about,
        questions=tuple(
            QuestionFact(q.id, q.number, q.text, q.kind, tuple(q.options or ()))
            for q in consultation.questions
        ),
        themes=tuple(ThemeFact(t.key, t.label, t.description) for t in themes),
        answers=tuple(answers),
        today=today,
        contact=contact,
        what_counts=what_counts(session, consultation_id),
    )


def evidence_stamp(session: Session, actor: User, consultation_id: int) -> tuple:
    """A fingerprint of everything ``load_evidence`` reads for a consultation, in a few small
    aggregate queries (milliseconds where loading takes far longer).

    Whenever anything the evidence is made from changes, so does the fingerprint, so a page can
    keep the loaded evidence until then. Edited rows carry version numbers that every update
    raises (so sums of them move), new rows raise counts and the highest id, removed rows lower
    counts, and tagging writes each answer's spotting row afresh with the time it was tagged.
    """
    require(actor, "submission.track")
    answers = (
        select(Answer.id)
        .join(Submission, Answer.submission_id == Submission.id)
        .where(Submission.consultation_id == consultation_id)
    )
    parts = (
        select(Consultation.version).where(Consultation.id == consultation_id),
        select(func.count(Question.id), func.sum(Question.version), func.max(Question.id)).where(
            Question.consultation_id == consultation_id
        ),
        select(func.count(Theme.id), func.sum(Theme.version), func.max(Theme.id)).where(
            Theme.consultation_id == consultation_id
        ),
        select(
            func.count(Submission.id),
            func.sum(Submission.version),
            func.sum(Organisation.version),
            func.max(Submission.id),
        )
        .join(Organisation, Submission.organisation_id == Organisation.id)
        .where(Submission.consultation_id == consultation_id),
        select(func.count(Answer.id), func.sum(Answer.version), func.max(Answer.id))
        .join(Submission, Answer.submission_id == Submission.id)
        .where(Submission.consultation_id == consultation_id),
        select(func.count(TagSuggestion.id), func.max(TagSuggestion.id)).where(
            TagSuggestion.answer_id.in_(answers)
        ),
        select(
            func.count(TagDecision.id),
            func.max(TagDecision.id),
            func.sum(case((TagDecision.is_current, 1), else_=0)),
        ).where(TagDecision.answer_id.in_(answers)),
        select(
            func.count(AnswerEvidence.answer_id),
            func.max(AnswerEvidence.tagged_at),
            func.sum(AnswerEvidence.answer_version),
        ).where(AnswerEvidence.answer_id.in_(answers)),
    )
    return tuple(tuple(session.execute(part).one()) for part in parts)


def partnership_evidence(
    session: Session, actor: User, consultation_id: int, *, today: date, settings: Settings
) -> Evidence:
    """``load_evidence`` in the partnership's own name, region, words and contact, from the
    settings."""
    return load_evidence(
        session,
        actor,
        consultation_id,
        today=today,
        partnership=settings.partnership_name,
        region=settings.home_region,
        about=settings.partnership_about,
        contact=settings.contact,
    )


def _tags(session: Session, consultation_id: int, texts: dict[int, str]):
    """Current decisions, suggestions (with the sentence that is their reason) and spotting of
    the consultation's submitted answers (``texts``: their text by id)."""
    submitted = (
        select(Answer.id)
        .join(Submission, Answer.submission_id == Submission.id)
        .where(Submission.consultation_id == consultation_id, Submission.submitted_at.is_not(None))
    )
    decided: dict[int, dict[int, bool]] = defaultdict(dict)
    for answer_id, theme_id, accepted in session.execute(
        select(TagDecision.answer_id, TagDecision.theme_id, TagDecision.accepted).where(
            TagDecision.answer_id.in_(submitted), TagDecision.is_current
        )
    ):
        decided[answer_id][theme_id] = accepted
    suggested: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for answer_id, theme_id, start, end in session.execute(
        # Only the first reason sentence's offsets, read as numbers by the database: not the
        # whole record of matches, and no JSON for Python to decode (a third of the load).
        select(
            TagSuggestion.answer_id,
            TagSuggestion.theme_id,
            TagSuggestion.spans[("sentences", 0, 0)].as_integer(),
            TagSuggestion.spans[("sentences", 0, 1)].as_integer(),
        )
        .where(TagSuggestion.answer_id.in_(submitted))
        .order_by(TagSuggestion.answer_id, TagSuggestion.score.desc())
    ):
        sentence = texts[answer_id][start:end].strip() if end is not None else ""
        suggested[answer_id].append((theme_id, sentence))
    spotted = {
        answer_id: (figures, places, regional)
        for answer_id, figures, places, regional in session.execute(
            select(
                AnswerEvidence.answer_id,
                AnswerEvidence.figures,
                AnswerEvidence.places,
                AnswerEvidence.regional,
            ).where(AnswerEvidence.answer_id.in_(submitted))
        )
    }
    return decided, suggested, spotted


def _slices(text: str, spans: list[dict]) -> list[str]:
    return [text[s["start"] : s["end"]].strip() for s in spans]


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def answer_sources(
    session: Session, actor: User, answer_ids: Iterable[int]
) -> dict[int, tuple[str, str]]:
    """Who gave each answer, and to which question: {answer id: (organisation, "Q3")}.

    For the officer tracing a sentence of the draft back to the partners behind it.
    """
    require(actor, "submission.track")
    wanted = list(dict.fromkeys(answer_ids))
    found: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(wanted, 900):
        rows = session.execute(
            select(Answer.id, Organisation.name, Question.number)
            .join(Submission, Answer.submission_id == Submission.id)
            .join(Organisation, Submission.organisation_id == Organisation.id)
            .join(Question, Answer.question_id == Question.id)
            .where(Answer.id.in_(chunk))
        )
        found.update({answer_id: (name, number) for answer_id, name, number in rows})
    return found
