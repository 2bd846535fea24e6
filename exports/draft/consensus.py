"""What the partnership says across questions: its strongest points, and the reasons behind
its positions, for the key messages.

``key_points`` groups the points partners made over every question at once, so an ask that
recurs (funded ESOL in answer to one question, safeguards for victims of domestic abuse in
answer to four) is one point, and its count is the number of distinct organisations that made
it, out of those that answered any of the questions it was made in. Each key point is told in
words all its partners share (``shared.told_for_all``) and carries its reason, from what its
partners said (``shared.reason_for``). ``position_reason`` finds why the partners on the
winning side of a question took it: only a point most of them made in answer to that question,
in its first clause.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from evidence.counting import NO_POSITION, PositionCount, position_key
from evidence.facts import AnswerFact
from exports.draft.claims import (
    SPECIFIC,
    AnswerSentences,
    Claim,
    Said,
    key_words,
)
from exports.draft.labels import Policy
from exports.draft.shared import Partners, reason_for, short_reason, speaks, told_for_all

AGREEING = frozenset({"agree", "strongly agree", "tend to agree", "yes", "support"})
DISAGREEING = frozenset({"disagree", "strongly disagree", "tend to disagree", "no", "oppose"})
KEY_PARTNERS = 3  # the organisations a point needs to be a key message
LARGE_SHARE = 0.04  # in a large consultation, a key point needs this share of the partners
MOST_KEY_POINTS = 8  # points weighed for the key messages, the most widely made first


@dataclass(frozen=True)
class KeyPoint:
    """A point many partners made, over one question or several."""

    claim: Claim  # one sentence per organisation: each organisation counted once
    question_ids: tuple[int, ...]  # where its partners made it, in the consultation's order
    answered: int  # organisations that answered any of those questions
    statement: Said  # words every one of its partners shares
    reason: Said | None  # why, in words they share
    answer_ids: tuple[int, ...] = ()  # every answer making the point, ascending

    @property
    def partners(self) -> int:
        """Return how many organisations made the point."""
        return self.claim.partners


@dataclass(frozen=True)
class Reading:
    """What the choice of a point's words needs to know of the consultation."""

    answers: Mapping[int, AnswerFact]
    policy: Policy
    region: str
    leave_out: Callable[[int], frozenset[str]]  # the words set aside for an answer
    weight: dict[str, float]  # each word's rarity over the answers


def key_points(
    chosen: Sequence[Sequence[AnswerSentences]],
    claims: Sequence[Sequence[Claim]],
    reading: Reading,
    order: Sequence[int],
) -> tuple[KeyPoint, ...]:
    """Return the points most organisations made over all questions (``chosen``: each
    question's latest answers, split; ``claims``: each question's claims), each told in words
    its partners share.

    Each question's claim is a candidate; over all the questions its partners are those of the
    claims with its words and every organisation with a sentence holding both words, each
    counted once.
    """
    pooled = [answer for question in chosen for answer in question]
    organisations = {answer.organisation for answer in pooled}
    least = max(KEY_PARTNERS, round(len(organisations) * LARGE_SHARE))
    holding = _holding(pooled)
    candidates: dict[tuple[str, ...], dict[str, Said]] = {}
    for claim in (claim for question in claims for claim in question):
        found = candidates.setdefault(claim.words, {})
        for said in claim.said:
            found.setdefault(said.organisation, said)
    for words, found in candidates.items():
        first, second = (holding.get(word, {}) for word in words)
        for key in sorted(first.keys() & second.keys()):
            found.setdefault(first[key].organisation, first[key])
    weight = reading.weight
    ranked = sorted(
        candidates.items(),
        key=lambda item: (-len(item[1]), -sum(weight.get(w, 0.0) for w in item[0]), item[0]),
    )
    made: list[Claim] = []
    for words, found in ranked:
        if len(made) == MOST_KEY_POINTS or len(found) < least:
            break
        if any(set(words) & set(c.words) and _most_in(c, found) for c in made):
            continue  # the same point again, in another pair of its words
        said = tuple(found[name] for name in sorted(found))
        kind = "ask" if sum(s.ask for s in said) * 2 >= len(said) else "point"
        made.append(Claim(words, kind, said))
    points = (_key_point(claim, pooled, reading, order) for claim in made)
    return tuple(point for point in points if point is not None)


def _holding(pooled: Sequence[AnswerSentences]) -> dict[str, dict[tuple[int, int], Said]]:
    """Return, for each word, the sentences that hold it."""
    holding: dict[str, dict[tuple[int, int], Said]] = {}
    for answer in pooled:
        for said, words in zip(answer.said, answer.words, strict=True):
            for word in words:
                holding.setdefault(word, {})[(said.answer_id, said.index)] = said
    return holding


def _most_in(claim: Claim, found: dict[str, Said]) -> bool:
    return len(found.keys() & set(claim.organisations)) * 2 >= len(found)


def _key_point(
    claim: Claim,
    pooled: Sequence[AnswerSentences],
    reading: Reading,
    order: Sequence[int],
) -> KeyPoint | None:
    told_in = set(claim.answer_ids)
    members = set(claim.organisations)
    theirs = [  # the answers making the point: where its words are, or its sentence
        answer
        for answer in pooled
        if answer.answer_id in told_in
        or (answer.organisation in members and set(claim.words) <= _words(answer))
    ]
    partners = _partners(theirs, reading)
    holding = [
        said
        for answer in theirs
        for said, words in zip(answer.said, answer.words, strict=True)
        if set(claim.words) <= words
    ]
    statement = told_for_all(
        claim.words, [*claim.said, *holding], partners, asks_first=claim.kind == "ask"
    )
    if statement is None:
        return None
    asked = {reading.answers[answer.answer_id].question_id for answer in theirs}
    question_ids = tuple(q for q in order if q in asked)
    answered = {a.organisation for a in pooled if reading.answers[a.answer_id].question_id in asked}
    around = [s for answer in theirs if _in(answer, asked, reading) for s in answer.said]
    about = _specific(key_words(statement.text, leave_out=frozenset()), reading.weight)
    reason = reason_for(
        claim.words, around, partners, avoid=statement, other_point=True, related=about
    )
    ids = tuple(sorted({a.answer_id for a in theirs if _in(a, asked, reading)}))
    return KeyPoint(claim, question_ids, len(answered), statement, reason, ids)


def position_reason(
    told: Sequence[tuple[Said | None, Sequence[int]]],
    positions: Sequence[PositionCount],
    reading: Reading,
    already: frozenset[str] = frozenset(),
) -> Said | None:
    """Return why the partners on the side most took gave it, or None: the words a question's
    claim is told in (``told``: each claim's sentence with the answers behind it, the most
    widely made first), where that sentence is a partner's on the side and most of the
    partners on the side (counted by organisation) are behind it, cut to its first clause
    (``short_reason``). One partner's reason, or one the side's partners mostly did not give,
    or one from the other side, is no reason for the position. A reason the key messages tell
    already (``already``) is not one."""
    side = winning_side(positions)
    if not side:
        return None
    on_side = {reading.answers[i].organisation for i in side}
    for said, answer_ids in told:
        if said is None or said.ask or said.answer_id not in side:
            continue
        behind = {reading.answers[i].organisation for i in answer_ids if i in side}
        if len(behind) < 2 or len(behind) * 2 <= len(on_side):
            continue  # not given by most of the partners on the side
        if not speaks(reading.policy, said):
            continue
        text = short_reason(said.text)
        if text is None or text in already or said.text in already:
            continue
        return replace(said, text=text)
    return None


def winning_side(positions: Sequence[PositionCount]) -> frozenset[int]:
    """Return the answers on the side (agreeing or disagreeing) more than half of those who
    took a position took, or nothing."""
    counts = [c for c in positions if c.position != NO_POSITION]
    took = sum(c.partners for c in counts)
    for side in (AGREEING, DISAGREEING):
        chosen = [c for c in counts if position_key(c.position) in side]
        if sum(c.partners for c in chosen) * 2 > took:
            return frozenset(i for c in chosen for i in c.answer_ids)
    return frozenset()


def _specific(words: frozenset[str], weight: dict[str, float]) -> frozenset[str]:
    """Return the words few answers use: what a point is about ("classes", not "families")."""
    return frozenset(w for w in words if weight.get(w, 0.0) >= SPECIFIC)


def _words(answer: AnswerSentences) -> frozenset[str]:
    return frozenset().union(*answer.words) if answer.words else frozenset()


def _in(answer: AnswerSentences, questions: set[int], reading: Reading) -> bool:
    return reading.answers[answer.answer_id].question_id in questions


def _partners(answers: Sequence[AnswerSentences], reading: Reading) -> Partners:
    """Return the organisations behind these answers, each with all its words and text."""
    words: dict[str, frozenset[str]] = {}
    texts: dict[str, str] = {}
    for answer in answers:
        words[answer.organisation] = words.get(answer.organisation, frozenset()) | _words(answer)
        text = reading.answers[answer.answer_id].text
        texts[answer.organisation] = f"{texts.get(answer.organisation, '')}\n{text}"
    return Partners(
        words, texts, reading.answers, reading.policy, reading.region, reading.leave_out
    )
