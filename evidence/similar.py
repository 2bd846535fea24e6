"""Find what partners said alike: near-duplicate answers, and sentences that make the same point.

A point counts for as many partners as *organisations* made it: five answers from one council
are one partner, five councils sending the same sentence are five. Everything here works on
plain values (``Statement``: an answer id, the organisation and some text) so the analysis page
and the draft assembly can both use it without the database.

Method (TF-IDF and cosine similarity, scikit-learn):

* text becomes terms: lower-cased words, English stop words dropped, American spellings folded
  into British ones ("organization" -> "organisation"), and plurals into singulars, so that
  "councils" and "council" count as one word;
* each statement (a sentence, or a whole answer) is a TF-IDF vector, with sublinear term counts
  and the document frequencies of the statements being compared, so that words every partner
  uses ("proposal", "family") weigh little;
* statements are grouped around centres: the statement that the most *other organisations*
  come close to (cosine at or above the threshold) is the first centre and takes every
  ungrouped statement close to it; then the next, and so on. Every member is close to its
  centre, so a group cannot drift through a chain of half-similar sentences the way single
  linkage (connected components) does, and the order is fixed by the data alone: the same
  statements always give the same groups.

Thresholds, tuned by hand on the demo's answers and the cases in ``tests/test_similar.py``:
sentences sharing a point reach about 0.35-0.6 (the same claim in partly different words),
unrelated sentences on the same question stay under 0.25, and copied sentences with a word or
two changed score over 0.8. ``SENTENCE_THRESHOLD`` (0.35) groups the shared points;
``ANSWER_THRESHOLD`` (0.6) groups whole answers that are near-duplicates of one another (a
template answer circulated by a network, lightly edited by each sender). TF-IDF sees words, not
meaning: two partners making one point in entirely different words stay apart.

Speed: grouping is one sparse matrix product and one pass over a boolean matrix per call;
5,000 answers over 20 questions group in a fraction of a second (``bench/draft.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

SENTENCE_THRESHOLD = 0.35
ANSWER_THRESHOLD = 0.6
MIN_TERMS = 3  # a sentence with fewer content words ("We disagree.") makes no point of its own

_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|\d[\d,.]*%?")
# A sentence ends at . ! or ? (maybe closed by a quote or bracket), before a space and a capital,
# a digit, a quote, a bracket or a pound sign.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[A-Z0-9\"'“‘(£])")
# fmt: off
_ABBREVIATIONS = frozenset((
    "e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "st", "no", "vs", "approx", "para", "paras",
    "cf", "fig", "ref", "nb", "inc", "ltd", "co",
))
# fmt: on
_STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | {"s", "t", "don't", "doesn't", "won't", "can't"}
_BRITISH_ENDINGS = (
    ("ization", "isation"),
    ("izations", "isations"),
    ("izing", "ising"),
    ("ized", "ised"),
    ("izes", "ises"),
    ("ize", "ise"),
    ("yzed", "ysed"),
    ("yze", "yse"),
    ("ior", "iour"),
    ("iors", "iours"),
)


@dataclass(frozen=True)
class Statement:
    """Something a partner said: a sentence of an answer, or a whole answer.

    ``index`` is the sentence's place in its answer (0 for a whole answer), so that the caller
    can find it again.
    """

    answer_id: int
    organisation: str
    text: str
    index: int = 0


@dataclass(frozen=True)
class SimilarGroup:
    """Statements that make one point, with how close each is to the group's centroid.

    ``statements`` start with the centre the group formed around, then follow input order;
    ``closeness`` gives each statement's cosine similarity to the mean of the group's vectors
    (1.0 for a group of one).
    """

    statements: tuple[Statement, ...]
    closeness: tuple[float, ...]

    @property
    def centre(self) -> Statement:
        """Return the statement the group formed around."""
        return self.statements[0]

    @property
    def representative(self) -> Statement:
        """Return the statement closest to the group's centroid (the first, on a tie)."""
        best = max(range(len(self.statements)), key=lambda i: (self.closeness[i], -i))
        return self.statements[best]

    @property
    def answer_ids(self) -> tuple[int, ...]:
        """Return the ids of the answers behind the group, once each, in ascending order."""
        return tuple(sorted({statement.answer_id for statement in self.statements}))

    @property
    def organisations(self) -> tuple[str, ...]:
        """Return the organisations that made the point, once each, alphabetically."""
        return tuple(sorted({statement.organisation for statement in self.statements}))

    @property
    def partners(self) -> int:
        """Return how many organisations made the point."""
        return len(self.organisations)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, keeping "e.g." and "Dr." inside theirs."""
    pieces = [piece.strip() for piece in _SENTENCE_END.split(text.strip()) if piece.strip()]
    sentences: list[str] = []
    for piece in pieces:
        if sentences and _ends_with_abbreviation(sentences[-1], piece):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def _ends_with_abbreviation(sentence: str, following: str) -> bool:
    last = sentence.rsplit(maxsplit=1)[-1].rstrip(".").lower()
    if last == "no":  # "No. 10 Downing Street", but "No. Article 8 is ..." is an answer
        return sentence.endswith(".") and following[:1].isdigit() and " " in sentence
    return sentence.endswith(".") and last in _ABBREVIATIONS


def terms(text: str) -> list[str]:
    """Return the content words of a text, normalised for comparison."""
    return list(_terms(text))


@lru_cache(maxsize=131072)
def _terms(text: str) -> tuple[str, ...]:
    # Cached: a sentence is read once to see whether it makes a point, and again to weigh it.
    return tuple(
        term for word in _WORD.findall(text.lower()) if (term := _normalise(word)) is not None
    )


@lru_cache(maxsize=65536)
def _normalise(word: str) -> str | None:
    word = word.strip("'-").removesuffix("'s")
    if word in _STOP_WORDS or len(word) < 2:
        return None
    if word[0].isdigit():
        return word.rstrip(".,")
    for american, british in _BRITISH_ENDINGS:
        if word.endswith(american) and len(word) > len(american) + 2:
            word = word[: -len(american)] + british
            break
    return _singular(word)


def _singular(word: str) -> str:
    if len(word) <= 4 or not word.endswith("s") or word.endswith(("ss", "us", "is", "ous")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


def is_content(text: str) -> bool:
    """Say whether a sentence carries a point of its own (not just "We disagree.")."""
    return len(_terms(text)) >= MIN_TERMS


def vectorise(texts: Sequence[str]) -> csr_matrix:
    """Return the L2-normalised TF-IDF vectors of the texts, one row each."""
    if not texts:
        return csr_matrix((0, 0))
    vectoriser = TfidfVectorizer(analyzer=_terms, sublinear_tf=True, dtype=np.float32)
    if not any(_terms(text) for text in texts):
        return csr_matrix((len(texts), 1), dtype=np.float32)
    return vectoriser.fit_transform(texts).tocsr()


def group_statements(
    statements: Sequence[Statement],
    *,
    threshold: float = SENTENCE_THRESHOLD,
    vectors: csr_matrix | None = None,
) -> list[SimilarGroup]:
    """Group statements that make the same point; most partners first.

    ``vectors`` (one row per statement, L2-normalised) may be given when the caller has them
    already, for example from ``vectorise`` over a whole question, so that the words are
    weighed against everything said on it. Groups come in order of partners, then statements,
    then the first appearance of their centre; every statement is in exactly one group.
    """
    if not statements:
        return []
    if vectors is None:
        vectors = vectorise([statement.text for statement in statements])
    if vectors.shape[0] != len(statements):
        raise ValueError(
            f"There are {len(statements)} statements but {vectors.shape[0]} vectors; "
            "give one vector per statement."
        )
    similarity = (vectors @ vectors.T).toarray()
    close = similarity >= threshold
    np.fill_diagonal(close, True)
    members = _star_groups(close, similarity, _organisation_codes(statements))
    return _ordered([_group(statements, similarity, indices) for indices in members])


def group_near_duplicate_answers(
    answers: Sequence[Statement], *, threshold: float = ANSWER_THRESHOLD
) -> list[SimilarGroup]:
    """Group whole answers that are near-duplicates of one another; most partners first."""
    return group_statements(answers, threshold=threshold)


def shared_points(
    answers: Iterable[Statement],
    *,
    threshold: float = SENTENCE_THRESHOLD,
    min_partners: int = 2,
) -> list[SimilarGroup]:
    """Return the points that at least ``min_partners`` organisations made, most partners first.

    Each answer is split into sentences; sentences with too few content words to make a point
    ("We disagree.") are left out.
    """
    sentences = list(answer_sentences(answers))
    groups = group_statements(sentences, threshold=threshold)
    return [group for group in groups if group.partners >= min_partners]


def answer_sentences(answers: Iterable[Statement]) -> Iterable[Statement]:
    """Yield each answer's sentences that carry a point, numbered within their answer."""
    for answer in answers:
        for index, sentence in enumerate(split_sentences(answer.text)):
            if is_content(sentence):
                yield Statement(answer.answer_id, answer.organisation, sentence, index)


def _organisation_codes(statements: Sequence[Statement]) -> np.ndarray:
    names = sorted({statement.organisation for statement in statements})
    code = {name: number for number, name in enumerate(names)}
    return np.array([code[statement.organisation] for statement in statements])


def _star_groups(
    close: np.ndarray, similarity: np.ndarray, organisations: np.ndarray
) -> list[list[int]]:
    """Form groups around centres, the statements that most other organisations come close to."""
    count = close.shape[0]
    rows, columns = np.nonzero(close)
    reached = np.zeros((count, int(organisations.max()) + 1), dtype=bool)
    reached[rows, organisations[columns]] = True
    reached[np.arange(count), organisations] = False  # their own organisation does not count
    reach = reached.sum(axis=1)
    weight = np.round(np.bincount(rows, weights=similarity[rows, columns], minlength=count), 6)
    # lexsort: the last key sorts first; the index breaks every tie the same way each run.
    order = np.lexsort((np.arange(count), -weight, -reach))
    free = np.ones(count, dtype=bool)
    groups = []
    for centre in order:
        if not free[centre]:
            continue
        joined = np.flatnonzero(close[centre] & free)
        free[joined] = False
        groups.append([int(centre), *(int(i) for i in joined if i != centre)])
    return groups


def _group(
    statements: Sequence[Statement], similarity: np.ndarray, indices: list[int]
) -> SimilarGroup:
    """Make a group, with each member's cosine to the centroid worked out from the similarities.

    For unit vectors x_i with centroid c = mean(x_j): x_i . c = mean_j(S_ij) and
    |c| = sqrt(mean_jk(S_jk)), so no vector needs to be touched again.
    """
    closeness = [1.0] * len(indices)
    if len(indices) > 1:
        block = similarity[np.ix_(indices, indices)]
        norm = float(np.sqrt(max(block.mean(), 0.0)))
        if norm > 0.0:
            closeness = (block.mean(axis=1) / norm).tolist()
    return SimilarGroup(
        statements=tuple(statements[i] for i in indices),
        closeness=tuple(round(float(value), 6) for value in closeness),
    )


def _ordered(groups: list[SimilarGroup]) -> list[SimilarGroup]:
    return sorted(groups, key=lambda g: (-g.partners, -len(g.statements), g.answer_ids[0]))
