"""What the partners said, counted: positions, themes by partners and by sector, filters, search.

Plain functions over ``evidence.facts.Evidence``; the analysis page draws them and the draft's
assembly uses the same counts, so the page and the document never disagree. Counts of partners
are counts of distinct organisations: two people from one council are one partner.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from evidence.facts import AnswerFact, Evidence

NO_POSITION = "No position given"


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
    answers without a position (an open question, or a comment alone) come last.
    """
    question = next(q for q in evidence.questions if q.id == question_id)
    chosen: dict[str, set[str]] = defaultdict(set)
    for answer in _for_question(evidence.answers, question_id):
        chosen[answer.position or NO_POSITION].add(answer.organisation)
    order = list(question.options) + sorted(set(chosen) - set(question.options) - {NO_POSITION})
    counts = [PositionCount(p, len(chosen.get(p, ()))) for p in order]
    if chosen.get(NO_POSITION):
        counts.append(PositionCount(NO_POSITION, len(chosen[NO_POSITION])))
    return counts


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
