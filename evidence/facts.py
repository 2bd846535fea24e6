"""The evidence of one consultation as plain values: answers with their tags, questions, themes.

Loaded from the database by ``evidence.analysis.load_evidence`` (one query per kind of row),
then used by the analysis page and by the draft (``exports.draft``), so neither
needs a database session to do its work and both can be tested on plain values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class AnswerFact:
    """One partner's answer to one question, with what tagging found in it.

    ``consent`` is the organisation's choice when it submitted: "named" (quote us by name),
    "sector" ("a health partner"), or "anonymous" (use the point, never say who made it); how
    that choice shows in every output is ``evidence.consent.Policy``'s to decide. ``area`` is
    the area the organisation covers, which can identify it.
    ``themes`` are the theme ids the answer is filed under (decided by a person where they
    have, otherwise the tagger's suggestions). ``figures`` are the sentences that carry
    figures; ``places`` the places named; ``regional`` whether it speaks to the home region.
    ``theme_sentences`` (optional) pairs a theme id with a sentence the tagger filed under it
    (its reason), so that a theme's points are drawn from the sentences about that theme; where
    a theme has none, the draft uses the words of the answer alone.
    """

    answer_id: int
    question_id: int
    organisation: str
    sector: str
    consent: str
    position: str
    text: str
    evidence_note: str = ""
    themes: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    regional: bool = False
    theme_sentences: tuple[tuple[str, str], ...] = ()
    area: str = ""


@dataclass(frozen=True)
class QuestionFact:
    id: int
    number: str
    text: str
    kind: str  # "open", "closed" or "hybrid"
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class ThemeFact:
    id: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Evidence:
    """Everything the draft is assembled from, for one consultation."""

    partnership: str
    region: str
    title: str
    reference: str
    department: str
    closes_on: date | None
    about: str  # the partnership's own words about itself (settings), may be empty
    questions: tuple[QuestionFact, ...]
    themes: tuple[ThemeFact, ...]
    answers: tuple[AnswerFact, ...]
    today: date
    contact: str = ""  # who to contact about the response (settings), for its cover
    # What the answers' themes are counted from, in a sentence (evidence.review_state), for
    # "how this response was prepared": loaded with the evidence, so the writer stays pure.
    what_counts: str = ""
