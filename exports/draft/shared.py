"""The words a point several partners share can be told in, and what makes words one partner's.

A point many partners made is told in the partnership's voice only in words they share: a
sentence, or a clause of one ("we would like to see funded ESOL classes close to where people
live" out of "But a test is not the same as support, and we would like ..."), that holds the
point's words, whose other words the point's other partners mostly use too (``SHARED``), and
that carries no partner's own detail: a figure, a place of its own, its name, "our". The words
come only from a partner whose words may be reported (``speaks``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache

from evidence.consent import PLACE
from evidence.facts import AnswerFact
from exports.draft.claims import ASK, Said, key_words
from exports.draft.labels import Policy
from exports.draft.words import capitalise, full_stop, reportable, stands_alone, strip_link

SHARED = 0.5  # a sentence speaks for a claim's partners where they use this share of its words
EACH_HOLDS = 1 / 3  # ... and every one of them uses at least this share of its words
REASON_WORDS = 45
SHORT_REASON_WORDS = 25  # a reason for a position: one short clause
REASON_SHARED = 0.3  # a reason, given beside the point, may be a little less widely worded
MIN_CLAUSE_WORDS = 5
_REFERENCE = re.compile(
    r"\b(?:Article|Section|section|Schedule|Part|Rule|paragraph|level|Question|Q|[A-C])\s?\d+\b"
)
_OURS = re.compile(r"\b(?:[Oo]ur|[Oo]urs|us)\b")
_WHERE_FIRST = re.compile(r"^(?:In|Across|Throughout|Outside) the [a-z][\w-]*(?: [a-z][\w-]*)?,")
_WIDE_PLACES = frozenset({"uk", "united kingdom", "britain", "great britain", "england"})
# Where a sentence holds two main clauses: ", and we would like ...", "; there are ...".
# Where a sentence's first clause ends: a comma, a semicolon, a colon, a dash, a bracket.
_FIRST_BOUNDARY = re.compile(r"\s*[,;:(]\s*|\s+[-–—]\s+")
_SUBORDINATE = re.compile(
    r"^(?:in|across|throughout|outside|where|which|who|whose|if|when|although|though|while|"
    r"whilst|because|as|since|for|with|without|given|despite|after|before|unless|once|"
    r"while|and|but|or|so)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r",\s+(?:and|but|so|yet|while|whereas)\s+|;\s+")
# "we" where the partner speaks of what it did or holds, not of what it asks.
_OWN_DOING = re.compile(r"\b(?:[Ww]e|[Ii])\s+(?!(?:would|also|strongly|ask|urge|want|call)\b)")
# A main clause says something before any relative word: "there are not enough classes", not
# "couples from cultures where arranged marriage is normal" (an item of a list).
_FINITE = re.compile(
    r"\b(?:is|are|was|were|would|should|must|will|can|cannot|could|may|might|has|have|had|"
    r"does|do|did|needs?|makes?|means?|leaves?|gives?|helps?|works?|falls?|costs?)\b"
    r"|\b(?:where|who|whom|whose|which|that|when|if|because)\b",
    re.IGNORECASE,
)
# A clause that points into the rest of its sentence ("many families cannot afford it").
_LEANS_ON_OTHER = re.compile(r"\b(?:it|its|them|this|these|those|they|their|such)\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z]+\b")
_INSIDE_CAPITALISED = re.compile(r"(?<=\S )[A-Z][A-Za-z]+\b")
_RELATIVE = frozenset({"where", "who", "whom", "whose", "which", "that", "when", "if", "because"})
_WE = re.compile(r"\b(?:[Ww]e|[Oo]ur|[Oo]urs|[Uu]s|I|[Mm]y)\b")
_BECAUSE = re.compile(r"\b(?:because|since|as a result)\b", re.IGNORECASE)
_ALSO = re.compile(r"\b(would|will|could|should|must|can|is|are|do|does) also\b")


def speaks(policy: Policy, said: Said) -> bool:
    """Say whether a partner's sentence may be reported, quoted or recommended from: its
    partner may be quoted and the sentence names no place of the partner's own."""
    if not policy.may_quote(said.organisation):
        return False
    return PLACE not in policy.scrub(said.text, said.organisation)


def details(said: Said, answer: AnswerFact, region: str) -> bool:
    """Say whether a sentence carries its partner's own detail: a figure (any number but a
    reference such as "Article 8" or "level B1"), a place, its name."""
    if re.search(r"\d", _REFERENCE.sub("", said.text)):
        return True
    lowered = said.text.lower()
    for place in answer.places:
        wide = place.lower() in _WIDE_PLACES or place.lower() == region.lower()
        if not wide and re.search(rf"\b{re.escape(place.lower())}\b", lowered):
            return True
    if _OURS.search(said.text) or _WHERE_FIRST.match(said.text):
        return True  # "our churches", "our staff", "In the north-west, ...": the partner's own
    own = {w for w in answer.organisation.split() if w[:1].isupper() and len(w) > 2}
    return any(re.search(rf"(?<!^)\b{re.escape(w)}\b", said.text) for w in own)


@lru_cache(maxsize=65536)
def clauses(text: str) -> tuple[str, ...]:
    """Return a sentence's main clauses that can stand as sentences, the whole sentence first."""
    parts: list[str] = []
    for part in _CLAUSE_BREAK.split(text.strip().rstrip(".")):
        if parts and not _main_clause(part):  # the end of a list: "..., and Newry"
            parts[-1] = f"{parts[-1]}, and {part}"
        else:
            parts.append(strip_link(part))
    if len(parts) == 1 or not all(map(_main_clause, parts)):
        return (text,)  # one clause, or items of a list: "couples who ..., and couples from ..."
    return (
        text,
        *(
            full_stop(capitalise(p))
            for p in parts
            if len(p.split()) >= MIN_CLAUSE_WORDS and not _LEANS_ON_OTHER.search(p)
        ),
    )


def _main_clause(text: str) -> bool:
    verb = _FINITE.search(text)
    return verb is not None and verb.group(0).lower() not in _RELATIVE


def common_words(
    words: frozenset[str], organisation: str, answer_words: Mapping[str, frozenset[str]]
) -> float:
    """Return how far the other organisations use these words too (0 to 1): the share of
    (word, other organisation) pairs where its answers hold the word."""
    others = [held for name, held in answer_words.items() if name != organisation]
    if not words or not others:
        return 0.0
    return sum(len(words & held) for held in others) / (len(words) * len(others))


def least_held(
    words: frozenset[str], organisation: str, answer_words: Mapping[str, frozenset[str]]
) -> float:
    """Return the smallest share of these words any other organisation's answers hold."""
    others = [held for name, held in answer_words.items() if name != organisation]
    if not words or not others:
        return 0.0
    return min(len(words & held) for held in others) / len(words)


@dataclass(frozen=True)
class Partners:
    """The organisations making a point, as the choice of its words needs them."""

    words: Mapping[str, frozenset[str]]  # each organisation's words, over its answers
    texts: Mapping[str, str]  # what each wrote
    answers: Mapping[int, AnswerFact]
    policy: Policy
    region: str
    leave_out: Callable[[int], frozenset[str]]  # the words set aside for an answer

    @cached_property
    def named(self) -> Counter[str]:
        """Return, for each capitalised word, how many of the organisations wrote it."""
        return Counter(
            name for text in self.texts.values() for name in set(_CAPITALISED.findall(text))
        )


def told_for_all(
    point: Sequence[str],
    candidates: Iterable[Said],
    partners: Partners,
    *,
    asks_first: bool,
    used: frozenset[tuple[int, int]] = frozenset(),
) -> Said | None:
    """Return the words that can tell a point for all its partners, as a partner's ``Said``
    holding the clause, or None.

    A clause qualifies when it holds every word of the ``point``, its partner may be reported,
    it carries no detail of its partner's own (nor a name fewer than half the partners wrote:
    "London" where others named Glasgow), it reports as a whole sentence, and the point's
    other partners use at least ``SHARED`` of its words, each of them at least ``EACH_HOLDS``
    (a partner who wrote "visa fees fund the system fairly" did not say that "repeated visa
    fees push families into debt"); the most shared is chosen (asks first
    where the point is an ask), then the shortest.
    """
    candidates = list(candidates)
    asking = asked_by_most(candidates)
    best: tuple[tuple, Said] | None = None
    for said, told, share in _fit_clauses(point, candidates, partners, used):
        words = key_words(told.text, leave_out=partners.leave_out(said.answer_id))
        if share < SHARED or least_held(words, said.organisation, partners.words) < EACH_HOLDS:
            continue  # most of its words are theirs, and some are every partner's
        if said.ask and not asking:
            continue  # "Two partners urged ..." where one only described
        length = len(told.text.split())
        key = (asks_first and not said.ask, -round(share, 2), length, said.answer_id, said.index)
        if best is None or key < best[0]:
            best = (key, told)
    return best[1] if best else None


def asked_by_most(said: Sequence[Said]) -> bool:
    """Say whether most of the partners behind these sentences asked for something: only then
    can a request tell the point for them all ("urged the Home Office to think about the Common
    Travel Area" is not the point of a partner who described families crossing the border)."""
    partners = {s.organisation for s in said}
    asking = {s.organisation for s in said if s.ask}
    return len(asking) * 2 > len(partners)


def reason_for(
    point: Sequence[str],
    candidates: Iterable[Said],
    partners: Partners,
    *,
    avoid: Said | None = None,
    other_point: bool = False,
    already: frozenset[str] = frozenset(),
    related: frozenset[str] | None = None,
) -> Said | None:
    """Return why partners made a point, in words they share, or None: a clause that asks for
    nothing, speaks of no "we", carries no partner's detail, is at most ``REASON_WORDS`` long,
    and whose words the other partners use at least ``REASON_SHARED`` of; with
    ``other_point``, one that does not hold the point's words (it would only say it again);
    never one of the words ``already`` told; with ``related``, one that uses one of those
    words (a reason about what the point is about, not another point of the same partners)."""
    best: tuple[tuple, Said] | None = None
    shown = avoid.text if avoid is not None else ""
    for said, told, share in _fit_clauses((), candidates, partners, frozenset()):
        asks = ASK.search(told.text) is not None
        if asks or _WE.search(told.text) or told.text in {shown, *already} or share < REASON_SHARED:
            continue
        if len(told.text.split()) > REASON_WORDS or _BECAUSE.search(told.text):
            continue  # too long to follow "because", or "because" twice
        words = key_words(told.text, leave_out=frozenset())
        if (other_point and set(point) <= words) or (related is not None and not related & words):
            continue
        if avoid is not None and (said.answer_id, said.index) == (avoid.answer_id, avoid.index):
            continue  # another clause of the sentence the point is told in repeats it
        key = (-round(share, 2), len(told.text.split()), said.answer_id, said.index)
        if best is None or key < best[0]:
            best = (key, told)
    return best[1] if best else None


def short_reason(text: str) -> str | None:
    """Return a sentence cut to its first clause, to follow "because": "a five-year
    probationary period would extend the time ..." of "..., and in Northern Ireland, ...";
    None where that clause is no main clause, leans on the rest of the sentence, speaks of
    "we", asks, gives its own reason, or is too short or too long to stand as a reason."""
    whole = text.strip().rstrip(".")
    first = _FIRST_BOUNDARY.split(whole, maxsplit=1)[0].strip()
    n = len(first.split())
    if n < MIN_CLAUSE_WORDS or n > SHORT_REASON_WORDS:
        return None
    if _SUBORDINATE.match(first):
        return None  # "Where wages are low", "In the north-west": not what the point says
    if first != whole and not _main_clause(first) and not _CLAUSE_BREAK.match(whole[len(first) :]):
        return None  # one item of a list, or a clause the rest of the sentence completes
    if _LEANS_ON_OTHER.search(first) or _WE.search(first) or _BECAUSE.search(first):
        return None
    if ASK.search(first) or not reportable(first) or not stands_alone(first):
        return None
    return full_stop(capitalise(first))


def _fit_clauses(
    point: Sequence[str],
    candidates: Iterable[Said],
    partners: Partners,
    used: frozenset[tuple[int, int]],
) -> Iterator[tuple[Said, Said, float]]:
    """Yield the clauses that may be told for all a point's partners, with how far the other
    partners use their words: those holding every word of the ``point``."""
    wanted = set(point)
    seen: set[str] = set()  # the same words from another partner: weighed once
    for said in candidates:
        if said.text in seen or (said.answer_id, said.index) in used:
            continue
        seen.add(said.text)
        if not speaks(partners.policy, said):
            continue
        answer = partners.answers[said.answer_id]
        for clause in clauses(said.text):
            told = replace(said, text=_ALSO.sub(r"\1", clause))
            words = key_words(clause, leave_out=partners.leave_out(said.answer_id))
            if not wanted <= words or not words:
                continue
            if _OWN_DOING.search(told.text):
                continue  # "... and we have supported women who ...": its own experience
            if not reportable(told.text) or not stands_alone(told.text):
                continue
            if details(told, answer, partners.region) or _odd_name(told.text, partners):
                continue
            yield said, told, common_words(words, said.organisation, partners.words)


def _odd_name(text: str, partners: Partners) -> bool:
    """Say whether the text names something (a capitalised word inside it, not the region's
    name) that fewer than half of the organisations wrote."""
    names = set(_INSIDE_CAPITALISED.findall(text)) - set(partners.region.split())
    return any(partners.named[name] * 2 < len(partners.texts) for name in names)
