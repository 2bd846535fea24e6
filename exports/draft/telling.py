"""How a claim is told: the words the draft tells a point several partners made in, and its quote.

``tell`` chooses, for one claim, a sentence that can speak for all its partners (no partner's
own figure, place or name, most of its words the others' words too: ``shared.SHARED``), else a
clause in words they share (``shared.told_for_all``), else one partner's sentence to be reported
as theirs, with how many others made the same point; then the best quote, and the claim's
sentences that ask for something (for the recommendations). ``ClaimFinding`` holds the choice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from evidence.facts import AnswerFact
from exports.draft.claims import AnswerSentences, Claim, Said, key_words
from exports.draft.extras import MAX_QUOTE_WORDS, figures_in
from exports.draft.labels import Policy
from exports.draft.shared import SHARED, Partners, asked_by_most, details, speaks, told_for_all
from exports.draft.words import is_formula, reportable, stands_alone, word_count

ABOUT_FROM = 12  # the claim's sentences its words are read from
QUOTE_NEAR = 0.3  # the share of the point's words a quote must say too
# the words a quote must add to the point, or a figure: "The proposals would push more families
# into poverty, debt and separation." under "... push more families into poverty and separation"
QUOTE_ADDS = 2
MAX_ASKS = 10  # a claim's sentences weighed as the words of a recommendation


@dataclass(frozen=True)
class ClaimFinding:
    """A claim with the words the draft tells it in."""

    claim: Claim
    about: tuple[str, ...]  # its shared words as partners wrote them ("funding", "ESOL")
    statement: Said | None  # a sentence that can speak for all its partners
    example: Said | None  # else one partner's sentence, to be reported as theirs
    quote: Said | None  # the best supporting quote (a partner who may be quoted)
    quote_text: str = ""
    asks: tuple[Said, ...] = ()  # its sentences that ask for something, the fittest first
    example_has_details: bool = False  # the example carries its partner's figure or place
    # the claim's other partners whose answers hold the example's words (``SHARED``)
    similar: tuple[int, ...] = ()
    example_holds_claim: bool = False  # the example's words include the claim's pair

    @property
    def speaks_for_claim(self) -> bool:
        """Say whether the one partner's sentence makes the claim's point (it holds the claim's
        words) with no detail of its own, so that every partner of the claim made it too."""
        return self.example_holds_claim and not self.example_has_details

    @property
    def told_ids(self) -> tuple[int, ...]:
        """Return the answers behind what the draft tells: the claim's (where one partner's
        sentence tells it, a sentence holding the claim's words), or else that sentence's answer
        and those of the partners that made the same point."""
        if self.statement is not None or self.example is None or self.speaks_for_claim:
            return self.claim.answer_ids
        return tuple(sorted({self.example.answer_id, *self.similar}))


class SentenceWords:
    """The claim words of each sentence and each answer of a question."""

    def __init__(self, chosen: list[AnswerSentences]) -> None:
        self.sentence = {
            (s.answer_id, s.index): words
            for answer in chosen
            for s, words in zip(answer.said, answer.words, strict=True)
        }
        self.answer = {
            answer.answer_id: frozenset().union(*answer.words) if answer.words else frozenset()
            for answer in chosen
        }

    def sharing(self, claim: Claim) -> dict[tuple[int, int], float]:
        """Return, for each of a claim's sentences, how far the claim's other partners use its
        words too (0 to 1): the share of (word, other partner) pairs where they do."""
        holding: Counter[str] = Counter()
        for said in claim.said:
            holding.update(self.answer.get(said.answer_id, frozenset()))
        others = claim.partners - 1
        shares = {}
        for said in claim.said:
            key = (said.answer_id, said.index)
            mine = self.sentence.get(key, frozenset())
            if not mine or others < 1:
                shares[key] = 0.0
                continue
            theirs = sum(holding[word] - 1 for word in mine)  # its own answer holds each word
            shares[key] = theirs / (len(mine) * others)
        return shares

    def holders(self, claim: Claim, said: Said) -> tuple[int, ...]:
        """Return the answers of the claim's other partners that hold at least ``SHARED`` of
        the sentence's words: those who made the same point, not just a point on its words."""
        mine = self.sentence.get((said.answer_id, said.index), frozenset())
        if not mine:
            return ()
        return tuple(
            other.answer_id
            for other in claim.said
            if other.organisation != said.organisation
            and len(mine & self.answer.get(other.answer_id, frozenset())) >= SHARED * len(mine)
        )


def tell(
    claim: Claim,
    by_id: dict[int, AnswerFact],
    policy: Policy,
    region: str,
    used: set[tuple[int, int]],
    words: SentenceWords,
    leave_out: frozenset[str],
) -> ClaimFinding:
    """Choose the words a claim is told in: a sentence for all, else one partner's, and a quote.

    A sentence speaks for all of a claim's partners only when it carries no partner's own detail
    (a figure, a place, its name) and most of its words are the other partners' words too
    (``SHARED``); otherwise it is reported as one partner's, who may be named as its consent
    allows.
    """

    shares = words.sharing(claim)
    asking = asked_by_most(claim.said)

    def rank(said: Said) -> tuple:
        own_words = speaks(policy, said)
        share = round(shares[(said.answer_id, said.index)], 2)
        return (not own_words, -share, word_count(said.text), said.answer_id)

    def lacks_claim(said: Said) -> tuple[bool]:
        return (not set(claim.words) <= words.sentence.get((said.answer_id, said.index), set()),)

    general = [
        s
        for s in claim.said
        if shares[(s.answer_id, s.index)] >= SHARED
        and len(words.holders(claim, s)) == claim.partners - 1  # it speaks for every partner
        and set(claim.words) <= words.sentence.get((s.answer_id, s.index), frozenset())
        and (s.answer_id, s.index) not in used
        and reportable(s.text)
        and not details(s, by_id[s.answer_id], region)
        and speaks(policy, s)
        and (not s.ask or asking)
    ]
    statement = min(general, key=rank) if general else None
    if statement is None:  # a clause of a sentence, in words its partners share
        partners = Partners(
            {s.organisation: words.answer.get(s.answer_id, frozenset()) for s in claim.said},
            {s.organisation: by_id[s.answer_id].text for s in claim.said},
            by_id,
            policy,
            region,
            lambda _: leave_out,
        )
        statement = told_for_all(
            claim.words,
            claim.said,
            partners,
            asks_first=claim.kind == "ask",
            used=frozenset(used),
        )
    example = None
    if statement is None:
        mine = [
            s
            for s in claim.said
            if (s.answer_id, s.index) not in used and reportable(s.text) and speaks(policy, s)
        ]
        example = (
            min(
                mine,
                key=lambda s: (
                    details(s, by_id[s.answer_id], region),
                    *lacks_claim(s),
                    -len(words.holders(claim, s)),
                    *rank(s),
                ),
            )
            if mine
            else None
        )  # one partner's sentence without a figure or place of its own first, then one
        # holding the claim's words (so the claim's count can go with it)
    spoken = statement or example
    if spoken is not None:
        used.add((spoken.answer_id, spoken.index))
    near = words.sentence.get((spoken.answer_id, spoken.index), frozenset()) if spoken else None
    quote, quote_text = best_quote(
        claim.said, by_id, policy, used, avoid=spoken, near=near, words=words
    )
    fittest = sorted((s for s in claim.said if s.ask), key=lambda s: (s != spoken, *rank(s)))
    # A recommendation speaks for all the claim's partners: no partner's own figure or place.
    asks = [
        s
        for s in fittest[:MAX_ASKS]
        if reportable(s.text) and not details(s, by_id[s.answer_id], region) and speaks(policy, s)
    ]
    has_details = example is not None and details(example, by_id[example.answer_id], region)
    # Others are counted beside one partner's words only where those words carry no detail of
    # its own: "the Trust supported 63 families ..." is the Trust's, whoever else wrote of it.
    similar = words.holders(claim, example) if example is not None and not has_details else ()
    # One partner's words are given with the claim's whole count only where at least half
    # the other partners' answers share them: "separating staff from their families would reduce
    # retention" is not the point of every partner who said families would be separated.
    holds = (
        example is not None
        and set(claim.words) <= words.sentence.get((example.answer_id, example.index), frozenset())
        and len(similar) * 2 >= claim.partners - 1  # at least half the others hold them
    )
    return ClaimFinding(
        claim,
        about(claim),
        statement,
        example,
        quote,
        quote_text,
        tuple(asks),
        has_details,
        similar,
        holds,
    )


def about(claim: Claim) -> tuple[str, ...]:
    """Return the claim's words as partners wrote them: "funding", "ESOL"."""
    forms: dict[str, Counter[str]] = {word: Counter() for word in claim.words}
    for said in claim.said[:ABOUT_FROM]:
        for raw in re.findall(r"[A-Za-z][A-Za-z'\-]*", said.text):
            for word in key_words(raw, leave_out=frozenset()):
                if word in forms:
                    forms[word][raw if raw.isupper() else raw.lower()] += 1
    about = []
    for word in claim.words:
        if not forms[word]:
            continue
        best = sorted(
            forms[word].items(), key=lambda item: (item[0].endswith("ed"), -item[1], item[0])
        )[0][0]
        about.append(best)
    return tuple(about)


def best_quote(
    said: Sequence[Said],
    by_id: dict[int, AnswerFact],
    policy: Policy,
    used: set[tuple[int, int]],
    *,
    avoid: Said | None,
    near: frozenset[str] | None = None,
    words: SentenceWords | None = None,
) -> tuple[Said | None, str]:
    """Pick the best quote: a partner who may be quoted, whole sentences, saying most nearly what
    the point says (``near``: its words), then figures preferred."""
    best: tuple[tuple, Said, str] | None = None
    for candidate in said:
        if not speaks(policy, candidate):
            continue
        if avoid is not None and (candidate.answer_id, candidate.index) == (
            avoid.answer_id,
            avoid.index,
        ):
            continue
        if (candidate.answer_id, candidate.index) in used:
            continue
        text = candidate.text
        if not stands_alone(text) or is_formula(text) or word_count(text) > MAX_QUOTE_WORDS:
            continue
        closeness = 0.0
        if near and words is not None:
            mine = words.sentence.get((candidate.answer_id, candidate.index), frozenset())
            closeness = len(mine & near) / len(near)
            if closeness < QUOTE_NEAR or (len(mine - near) < QUOTE_ADDS and not figures_in(text)):
                continue  # it says something else, or little more than the point says already
        key = (
            -round(closeness, 1),
            not figures_in(text),
            not candidate.ask,
            -word_count(text),
            candidate.answer_id,
        )
        if best is None or key < best[0]:
            best = (key, candidate, text)
    if best is None:
        return None, ""
    used.add((best[1].answer_id, best[1].index))
    answer = by_id[best[1].answer_id]
    return best[1], policy.scrub(best[2], answer.organisation)
