"""The sentences a question's section gives beside its claims: real figures with their partner,
the region's situation as partners described it, and, where few partners answered, one point of
each partner not yet heard. Each takes a sentence once (``used``) and only from a partner whose
words may be quoted (``Policy.may_quote``, ``shared.speaks``); a figure only from a partner that
may be named, since a figure is its partner's.
"""

from __future__ import annotations

import re

from evidence.facts import AnswerFact
from exports.draft.claims import AnswerSentences, Said
from exports.draft.labels import Policy
from exports.draft.shared import speaks
from exports.draft.words import is_formula, reportable, stands_alone, word_count

MAX_QUOTE_WORDS = 60
MAX_FIGURES = 4
MAX_REGIONAL = 3
MAX_OWN_POINTS = 3
OWN_POINTS_UP_TO = 15  # partners' single points are reported only where this few answered
_QUANTITY = re.compile(
    r"(?<![\w.\-])(?<!Section )(?<!section )(?<!Article )(?<!article )(?<!Act )(?<!Order )"
    r"(?<!Rule )(?<!Part )(?<!Schedule )(?<!paragraph )(?<!level )(?<!Q)£?\d[\d,.]*(?:-\d\d)?%?"
)
_YEAR = re.compile(r"^(?:19|20)\d\d(?:-\d\d)?$")
_LOCAL = re.compile(
    r"\b(?:here|local(?:ly)?|devolved|border|Common Travel Area|our area|our region|"
    r"in the region|rural)\b",
    re.IGNORECASE,
)


def figures_in(text: str) -> frozenset[str]:
    """Return the quantities a sentence gives: not "Section 75", "Article 8", "Q3" or a year."""
    found = (figure.rstrip(".,") for figure in _QUANTITY.findall(text))
    return frozenset(f for f in found if not _YEAR.match(f) and any(c.isdigit() for c in f))


def pick_own_points(
    chosen: list[AnswerSentences],
    policy: Policy,
    used: set[tuple[int, int]],
    spoken: set[tuple[int, int]],
) -> list[Said]:
    """One point from each partner not yet heard (``used``: the sentences of the section's
    claims and of earlier sections), asks first, for small consultations; not one that says
    again what the section has told (``spoken``)."""
    repeats = Repeats(chosen, spoken)
    candidates = []
    for answer in chosen:
        if not policy.may_quote(answer.organisation):
            continue
        fresh = [
            s
            for s, words in zip(answer.said, answer.words, strict=True)
            if (s.answer_id, s.index) not in used
            and reportable(s.text)
            and len(words) >= 3
            and speaks(policy, s)
        ]
        if fresh:
            candidates.append(min(fresh, key=lambda s: (not s.ask, s.index)))
    candidates.sort(key=lambda s: (not s.ask, s.answer_id))
    points = [s for s in candidates if not repeats.again(s)][:MAX_OWN_POINTS]
    used.update((s.answer_id, s.index) for s in points)
    return points


class Repeats:
    """What a section has told, to leave out a sentence that says it again: "the harm caused by
    long periods of limited leave" after "the harm that long periods of insecure status cause";
    "think about the Common Travel Area and the land border" after "families move between two
    jurisdictions every day under the Common Travel Area"."""

    def __init__(self, chosen: list[AnswerSentences], spoken: set[tuple[int, int]]) -> None:
        self.words = {
            (s.answer_id, s.index): words
            for answer in chosen
            for s, words in zip(answer.said, answer.words, strict=True)
        }
        self.told = [words for key, words in self.words.items() if key in spoken]

    def again(self, said: Said) -> bool:
        """Say whether a sentence says again what was told, and if not, count it told. Again:
        half the words of the shorter of the two are the other's."""
        mine = self.words.get((said.answer_id, said.index), frozenset())
        if any(len(mine & told) * 2 >= min(len(mine), len(told)) for told in self.told):
            return True
        self.told.append(mine)
        return False


def pick_figures(
    chosen: list[AnswerSentences],
    policy: Policy,
    used: set[tuple[int, int]],
) -> list[Said]:
    """Sentences with real figures (not a year, a section number or a formula), one a named
    partner: a figure is its partner's, so only a partner that may be named gives one."""
    found = []
    for answer in chosen:
        if not policy.named(answer.organisation):
            continue
        for said in answer.said:
            key = (said.answer_id, said.index)
            if (
                key not in used
                and speaks(policy, said)
                and figures_in(said.text)
                and not is_formula(said.text)
                and word_count(said.text) <= MAX_QUOTE_WORDS
                and stands_alone(said.text)
            ):
                found.append(said)
                break
    found = found[:MAX_FIGURES]
    used.update((s.answer_id, s.index) for s in found)
    return found


def pick_regional(
    chosen: list[AnswerSentences],
    by_id: dict[int, AnswerFact],
    policy: Policy,
    region: str,
    used: set[tuple[int, int]],
    spoken: set[tuple[int, int]],
) -> list[Said]:
    """What partners said of the region's own situation, one sentence a partner, none saying
    again what the section has told (``spoken``)."""
    repeats = Repeats(chosen, spoken)
    found = []
    for answer in chosen:
        fact = by_id[answer.answer_id]
        if not fact.regional or not policy.may_quote(answer.organisation):
            continue
        names = [p for p in (*fact.places, region) if p]
        for said in answer.said:
            if (said.answer_id, said.index) in used or not reportable(said.text):
                continue
            if not speaks(policy, said):
                continue
            local = (region and region in said.text) or (_LOCAL.search(said.text) and names)
            if local and not repeats.again(said):
                found.append(said)
                break
        if len(found) == MAX_REGIONAL:
            break
    used.update((s.answer_id, s.index) for s in found)
    return found
