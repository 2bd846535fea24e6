"""How far a piece of a partner's document is about one of the consultation's questions.

Two measures, for two different jobs:

``likeness``
    Whether a line *repeats a question's wording*: a heading or a table cell that quotes or
    shortens the question, or the question pasted above the answer. Words are compared in order
    (difflib), so it is strict: a line about the same topic in other words scores low.
``content_scores``
    Whether a section is *about* a question, for responses with no question markers ("1. About
    us", "2. Pre-entry English ..."). Each section (its heading and its text) and each question
    become TF-IDF vectors over their words (stop words dropped, words cut to a rough stem so that
    "settlement" meets "settle", short codes such as "B1" kept), weighed by how rare a word is
    across the questions and sections, so that words every question shares ("proposal",
    "agree") count for little. The score is the cosine of the two vectors, raised where most of
    a heading's words are the question's ("English at B1" against a question about "English at
    level B1"; "What our members told us" raises nothing). Scores are comparable within one
    document, not across documents.

Thresholds, set on the response fixtures in ``tests/data/intake/responses`` (sections about a
question score about 0.2-0.6 against it and under 0.12 against the others; "About us" and
sign-offs stay under 0.1): ``LIKELY`` (0.22) is enough to propose a question at medium
confidence when the next best is at least ``MARGIN`` (0.06) behind; ``POSSIBLE`` (0.12) at low
confidence; below that a section is shown unmatched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

LIKELY = 0.22
POSSIBLE = 0.12
MARGIN = 0.06
HEADING_WEIGHT = 0.5  # how much of the score a heading's shared words may give
HEADING_SHARE = 0.6  # the share of a heading's words a question must use for that to count

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Words that carry no meaning of their own, left out when comparing a line with a question.
# fmt: off
_LITTLE_WORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "could", "do", "does", "for", "from",
    "how", "in", "is", "it", "of", "on", "or", "our", "should", "that", "the", "this", "to", "we",
    "what", "which", "will", "with", "would", "you", "your",
))
# fmt: on


def _words(text: str) -> tuple[str, ...]:
    """Return the meaningful words, roughly stemmed ("joining" and "join" compare equal)."""
    if len(text) > 2000:
        return _read_words(text)
    return _cached_words(text)


@lru_cache(maxsize=8192)
def _cached_words(text: str) -> tuple[str, ...]:
    # Cached: every line of a response is compared with the same few questions.
    return _read_words(text)


def _read_words(text: str) -> tuple[str, ...]:
    words = _WORD.findall(text.casefold().replace("’", "'"))
    return tuple(_stem(word) for word in words if word not in _LITTLE_WORDS)


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def likeness(text: str, question_text: str) -> float:
    """Say how far a line repeats a question's wording, 0 to 1, comparing words in order.

    Either the two read alike as a whole (difflib's ratio), or the line is made almost only of
    the question's words and holds most of them (a heading that shortens or extends it).
    """
    line, wording = _words(text), _words(question_text)
    if not line or not wording:
        return 0.0
    # A line under 0.42 or over 2.34 times the question's length can reach neither measure
    # below 0.6 (the lowest threshold any caller uses): skip difflib for it, as for most lines
    # of an answer.
    if len(line) > 2.34 * len(wording) or len(line) < 0.42 * len(wording):
        return 0.0
    matcher = SequenceMatcher(None, line, wording, autojunk=False)
    # A cheap upper bound first: most lines of an answer are nothing like any question.
    bound = matcher.quick_ratio()
    common = bound * (len(line) + len(wording)) / 2
    if bound < 0.6 and (common < 0.9 * len(line) or common < 0.5 * len(wording)):
        return bound
    shared = sum(block.size for block in matcher.get_matching_blocks())
    covered, share = shared / len(line), shared / len(wording)
    contained = (covered + share) / 2 if covered >= 0.9 and share >= 0.5 else 0.0
    return max(matcher.ratio(), contained)


@dataclass(frozen=True)
class Section:
    """A piece of a response to compare with the questions: its heading (maybe "") and text."""

    heading: str
    text: str


@dataclass(frozen=True)
class BestMatch:
    """The question a section is most about, how much, and how far ahead of the next."""

    index: int | None  # into the questions; None when no question scores at all
    score: float
    runner_up: float

    @property
    def margin(self) -> float:
        """Return how far the best is ahead of the next best."""
        return self.score - self.runner_up


_TERM = re.compile(r"[a-z][a-z0-9]*|\d+[a-z]?")
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"s", "t", "don", "doesn", "won", "can"}
_SUFFIXES = (
    "ments",
    "ment",
    "ings",
    "ing",
    "ations",
    "ation",
    "ions",
    "ion",
    "ies",
    "ed",
    "es",
    "s",
    "e",
)


@lru_cache(maxsize=65536)
def _stem_term(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def terms(text: str) -> list[str]:
    """Return a text's content words, lower-cased and cut to a rough stem ("settlement" and
    "settle" give "settl"); "B1" and other short codes are kept."""
    words = _TERM.findall(text.casefold().replace("’", "'").replace("'s", ""))
    return [_stem_term(word) for word in words if word not in _STOP and len(word) > 1]


def _vectors(texts: Sequence[str]):
    vectoriser = TfidfVectorizer(analyzer=terms, sublinear_tf=True, dtype=np.float32)
    if not any(terms(text) for text in texts):
        return None
    return vectoriser.fit_transform(texts).tocsr()


def content_scores(sections: Sequence[Section], question_texts: Sequence[str]) -> np.ndarray:
    """Return a (sections x questions) array of how far each section is about each question."""
    if not sections or not question_texts:
        return np.zeros((len(sections), len(question_texts)))
    bodies = [f"{section.heading}\n{section.text}" for section in sections]
    vectors = _vectors([*question_texts, *bodies])
    if vectors is None:
        return np.zeros((len(sections), len(question_texts)))
    questions, texts = vectors[: len(question_texts)], vectors[len(question_texts) :]
    cosine = (texts @ questions.T).toarray()
    question_terms = [set(terms(text)) for text in question_texts]
    for row, section in enumerate(sections):
        heading = set(terms(section.heading))
        if not heading:
            continue
        shared = np.array([len(heading & words) / len(heading) for words in question_terms])
        # Only a heading made mostly of the question's words says what the section is about:
        # "English at B1" does, "What our members told us" does not.
        shared[shared < HEADING_SHARE] = 0.0
        cosine[row] = np.maximum(
            cosine[row], (1 - HEADING_WEIGHT) * cosine[row] + HEADING_WEIGHT * shared
        )
    return cosine


def best_match(scores: np.ndarray) -> BestMatch:
    """Return the best question for one row of ``content_scores``."""
    if scores.size == 0 or float(scores.max()) <= 0:
        return BestMatch(None, 0.0, 0.0)
    order = np.argsort(-scores, kind="stable")
    runner_up = float(scores[order[1]]) if scores.size > 1 else 0.0
    return BestMatch(int(order[0]), float(scores[order[0]]), runner_up)


class WordingIndex:
    """Find which question a line repeats the wording of, without comparing it with every one.

    A line is compared (with ``likeness``) only with the few questions that share most of its
    words, so that a partner's spreadsheet of 500 rows against 500 questions stays quick.
    """

    CANDIDATES = 4

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = list(texts)
        self.words = [frozenset(_words(text)) for text in self.texts]
        self.exact: dict[str, int] = {}
        for index, text in enumerate(self.texts):
            self.exact.setdefault(" ".join(_words(text)), index)
        self.holding: dict[str, list[int]] = {}
        for index, words in enumerate(self.words):
            for word in words:
                self.holding.setdefault(word, []).append(index)

    def repeated(self, text: str, *, needed: float) -> tuple[int | None, float]:
        """Return the question whose wording the text repeats (at least ``needed`` alike), and
        how closely; (None, 0) when none does, or when two read the same."""
        words = _words(text)
        if not words:
            return None, 0.0
        exact = self.exact.get(" ".join(words))
        if exact is not None:
            return exact, 1.0
        shared: dict[int, int] = {}
        for word in set(words):
            for index in self.holding.get(word, ()):
                shared[index] = shared.get(index, 0) + 1
        if not shared:
            return None, 0.0
        closest = sorted(shared, key=lambda i: (-shared[i], len(self.words[i]), i))
        scores = sorted(
            ((likeness(text, self.texts[i]), i) for i in closest[: self.CANDIDATES]),
            reverse=True,
        )
        best, index = scores[0]
        if best < needed:
            return None, 0.0
        if len(scores) > 1 and scores[1][0] >= best - 0.02:
            return None, 0.0  # two questions read the same: the wording decides nothing
        return index, best
