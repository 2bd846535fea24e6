"""Points grouped by what they mean across partners: claims, with exact counts.

A claim is a pair of words that partners use together (in one sentence, or one in a sentence
that asks for something and the other elsewhere in the same answer) once the question's own
words, places, figures and words every answer uses are set aside: six partners asking for
"funded" ESOL ("funded provision", "investment in free, accessible ESOL", "the Home Office
should fund local provision") share ``fund`` and ``esol`` though their sentences differ too
much for sentence likeness (``evidence.similar``) to group them. Near-paraphrases share such a
pair as well, so they group too. A claim then reaches the partners who made its point in other
words, through its specific words: the trust asking for "ESOL classes ... in rural towns" shares
("ESOL", "classes") with the housing association's "funded ESOL classes", so it is counted.

Claims are chosen greedily, the pair most organisations share first (then the rarer pair); a
pair whose partners' sentences have mostly been told by an earlier claim is the same point
again and is passed over. The count of a claim is the number of organisations whose answers
hold it: exact, and traceable (``answer_ids``).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import combinations

from evidence.positions import read_stance
from evidence.similar import is_content, split_sentences, terms
from exports.draft.words import is_formula

ASK = re.compile(
    r"\b(?:(?:we|they)\s+(?:would\s+)?(?:also\s+)?(?:strongly\s+)?(?:ask|urge|recommend|call|"
    r"propose|suggest|want|welcome|prefer|like to see|rather see|only support)|should|must|"
    r"needs? to|ought to|unless|only if|calls? (?:on|for))\b",
    re.IGNORECASE,
)
# A sentence that only takes a side ("We agree in principle.", "We do not hold enough evidence
# to take a firm view.") is a position, counted as one, not a point.
_SIDE_ONLY = re.compile(
    r"\b(?:take a (?:firm )?(?:view|position)|arguments both ways|neither agree nor disagree|"
    r"(?:agree|support this) in principle|do not support this proposal|agree with the proposal)\b",
    re.IGNORECASE,
)
SIDE_ONLY_WORDS = 15
TOP_TERMS = 40  # the rarest words of an answer that may make a claim (a bound on the work)
ASK_REACH = 12  # the other words of an answer an ask is paired with: those most answers share
MAX_CLAIMS = 5
# A word at most a third of the answers use is specific enough for a claim to reach through it
# (``rarity`` gives it at least this weight): partners sharing ("ESOL", "classes") with one of
# the partners who asked for funded ESOL made that point too; "family" is not specific.
SPECIFIC = 1 + math.log(3)
# Words that say nothing of what a point is about.
# fmt: off
GENERIC = frozenset((
    "proposal", "propose", "partner", "organisation", "think", "believe", "view", "agree",
    "disagree", "support", "concern", "important", "change", "need", "way", "make", "like",
    "see", "ask", "want", "urge", "welcome", "recommend", "call", "people", "area", "level",
    "rule", "question", "answer", "consultation", "response", "member", "current", "currently",
    "already", "particular", "particularly", "real", "clear", "good", "better", "really",
    "number", "year", "time", "work", "case", "lot", "sure", "way", "known", "said", "told",
    "point", "experience", "example", "issue", "matter", "position", "principle", "propos",
    "home", "office", "government", "uk", "britain", "british", "ireland", "northern",
    "england", "scotland", "wales", "region", "regional", "local", "national", "kept", "keep",
    "count", "large", "mean", "feel", "long", "longer", "read", "sign", "affect", "evidence",
    "act", "section", "come", "able", "high", "higher", "will", "use", "take", "know", "note",
    "help", "hard", "likely", "many", "much", "little", "small", "far", "often", "especially",
    "cover", "group", "include", "includ", "part", "range", "type", "kind", "trust", "body",
))
SYNONYMS = {
    "invest": "fund", "investment": "fund", "funding": "fund", "funded": "fund", "financ": "fund",
    "fee": "cost", "costly": "cost", "afford": "cost", "affordable": "cost",
    "wage": "earning", "pay": "earning", "salary": "earning", "income": "earning",
    "earn": "earning", "paid": "earning",
    "class": "class", "lesson": "class", "course": "class",
    "waiting": "wait", "waitlist": "wait",
    "separation": "separat", "separated": "separat", "apart": "separat",
    "staff": "staff", "workforce": "staff", "recruit": "staff", "recruitment": "staff",
    "abusive": "abuse", "violence": "abuse",
}
# fmt: on


@dataclass(frozen=True)
class Said:
    """A sentence a partner wrote, where it stands in their answer."""

    answer_id: int
    organisation: str
    text: str
    index: int
    ask: bool = False


@dataclass(frozen=True)
class Claim:
    """A point several partners made: its words, who made it, and the sentence each made it in."""

    words: tuple[str, ...]  # the shared pair, as terms
    kind: str  # "ask" (someone asked for something) or "point"
    said: tuple[Said, ...]  # one sentence per organisation, in the organisations' order

    @cached_property
    def organisations(self) -> tuple[str, ...]:
        """Return the organisations that made the point, alphabetically."""
        return tuple(s.organisation for s in self.said)

    @property
    def partners(self) -> int:
        """Return how many organisations made the point."""
        return len(self.said)

    @property
    def answer_ids(self) -> tuple[int, ...]:
        """Return the answers the point came from, ascending."""
        return tuple(sorted({s.answer_id for s in self.said}))


@dataclass(frozen=True)
class AnswerSentences:
    """An answer's sentences that make a point, with the words each carries."""

    answer_id: int
    organisation: str
    said: tuple[Said, ...]
    words: tuple[frozenset[str], ...]


@lru_cache(maxsize=65536)
def stem(term: str) -> str:
    """Fold a term's endings so "funded" and "funding" meet."""
    for ending in ("ing", "ed"):
        if term.endswith(ending) and len(term) - len(ending) >= 4:
            return term[: -len(ending)]
    return term


def key_words(text: str, *, leave_out: frozenset[str]) -> frozenset[str]:
    """Return the words of a sentence that may make a claim."""
    return _key_words(text, leave_out)


# Fixed phrases whose words mean something else alone: "public funds" is not funding; and
# phrases that mean another: an abusive partner or sponsor, an abuser, a violent relationship
# are domestic abuse, whichever words a partner used.
_PHRASES = (  # (a word the phrase holds, in lower case; the phrase; what it stands for)
    ("public", re.compile(r"\bno recourse to public funds\b", re.IGNORECASE), " nrpf "),
    ("public", re.compile(r"\bpublic funds\b", re.IGNORECASE), " publicfunds "),
    (
        "abus",
        re.compile(
            r"\b(?:abusive (?:partner|sponsor|spouse|relationship)s?|abusers?|"
            r"violent (?:partner|relationship)s?)\b",
            re.IGNORECASE,
        ),
        " domestic abuse ",
    ),
)


@lru_cache(maxsize=65536)
def _key_words(text: str, leave_out: frozenset[str]) -> frozenset[str]:
    found = set()
    lowered = text.lower()
    for held, pattern, name in _PHRASES:
        if held in lowered or (held == "abus" and "violent" in lowered):
            text = pattern.sub(name, text)
    for term in terms(text):
        if term[:1].isdigit():
            continue
        folded = stem(term)
        if folded in leave_out:
            continue
        folded = SYNONYMS.get(folded, SYNONYMS.get(term, folded))
        if folded not in GENERIC and folded not in leave_out and len(folded) > 2:
            found.add(folded)
    return frozenset(found)


def sentences_of(
    answer_id: int, organisation: str, text: str, *, leave_out: frozenset[str]
) -> AnswerSentences:
    """Split an answer into the sentences that make a point, each with its words."""
    said = []
    words = []
    for index, sentence in enumerate(split_sentences(text)):
        makes_a_point, ask = _reads(sentence, first=index == 0)
        if not makes_a_point:
            continue
        said.append(Said(answer_id, organisation, sentence, index, ask))
        words.append(key_words(sentence, leave_out=leave_out))
    return AnswerSentences(answer_id, organisation, tuple(said), tuple(words))


@lru_cache(maxsize=65536)
def _reads(sentence: str, *, first: bool) -> tuple[bool, bool]:
    """Return whether a sentence makes a point of its own, and whether it asks for something."""
    point = is_content(sentence) and not is_formula(sentence)
    if point and (first or len(sentence.split()) <= SIDE_ONLY_WORDS):
        point = not takes_a_side_only(sentence)
    return point, bool(ASK.search(sentence))


def takes_a_side_only(sentence: str) -> bool:
    """Say whether a sentence only states a position ("We disagree with the proposal.")."""
    if read_stance(sentence).alone:
        return True
    return len(sentence.split()) <= SIDE_ONLY_WORDS and bool(_SIDE_ONLY.search(sentence))


def rarity(answers: Iterable[AnswerSentences]) -> dict[str, float]:
    """Return each word's inverse document frequency over the answers."""
    answers = list(answers)
    seen: Counter[str] = Counter()
    for answer in answers:
        seen.update(set().union(*answer.words) if answer.words else set())
    total = len(answers) or 1
    return {word: math.log((1 + total) / (1 + n)) + 1 for word, n in seen.items()}


def find_claims(
    answers: Sequence[AnswerSentences],
    weight: dict[str, float],
    *,
    min_partners: int = 2,
    most: int = MAX_CLAIMS,
    sides: Mapping[int, int] | None = None,
) -> list[Claim]:
    """Return the claims most organisations share, most-supported first, each told once.

    ``sides`` gives each answer's side (1 agreed, -1 disagreed, 0 neither): a partner on the
    side opposite to most of a claim's partners did not make its point ("a threshold set for
    Northern Ireland would still protect public funds" is not "a threshold excludes workers")."""
    holders: dict[tuple[str, ...], dict[str, tuple[bool, Said]]] = defaultdict(dict)
    exact: Counter[tuple[str, ...]] = Counter()  # organisations holding a pair in one sentence
    every_of = [set().union(*answer.words) if answer.words else set() for answer in answers]
    shared: Counter[str] = Counter(word for every in every_of for word in every)
    place = {word: n for n, (word, _) in enumerate(sorted(shared.items(), key=_most_shared))}
    for answer, every in zip(answers, every_of, strict=True):
        top = every if len(every) <= TOP_TERMS else _rarest(every, weight)
        # An ask reaches the answer's words that other answers share most.
        common = sorted((w for w in every if shared[w] >= min_partners), key=place.__getitem__)
        common = common[:ASK_REACH]
        name = answer.organisation
        for said, words in zip(answer.said, answer.words, strict=True):
            mine = sorted(words & top)
            for pair in combinations(mine, 2):
                found = holders[pair]
                held = found.get(name)
                if held is None or not held[0]:
                    found[name] = (True, said)
                    exact[pair] += 1
            if said.ask:
                reach = [w for w in common if w not in words]
                for word in mine:
                    for other in reach:
                        found = holders[(word, other) if word < other else (other, word)]
                        if name not in found:
                            found[name] = (False, said)
    answers_of: dict[str, dict[int, set[str]]] = defaultdict(dict)  # each answer's words
    for answer, every in zip(answers, every_of, strict=True):
        answers_of[answer.organisation][answer.answer_id] = every
    linking: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for pair, n in exact.items():
        if n >= 2:
            for word in pair:
                if weight.get(word, 0.0) >= SPECIFIC:
                    linking[word].append(pair)
    chosen = {
        pair: {name: said for name, (_, said) in found.items()}
        for pair, found in holders.items()
        if len(found) >= min_partners and exact[pair] * 2 >= len(found)
    }
    ranked = sorted(
        chosen.items(),
        key=lambda item: (
            -len(item[1]),
            -(weight.get(item[0][0], 0.0) + weight.get(item[0][1], 0.0)),
            item[0],
        ),
    )
    claims: list[Claim] = []
    told: set[tuple[int, int]] = set()
    for pair, found in ranked:
        if len(claims) == most:
            break
        keys = [(s.answer_id, s.index) for s in found.values()]
        if sum(key in told for key in keys) * 2 >= len(keys):
            continue
        if any(len(set(pair) & set(claim.words)) and _overlap(claim, found) for claim in claims):
            continue
        found = _widen(pair, found, holders, linking, answers_of)
        if sum(s.ask for s in found.values()) * 2 < len(found):  # a point, not an ask
            found = _one_side(found, sides or {})  # an ask (funded ESOL) is across sides
            if len(found) < min_partners:
                continue
        if any(_same_partners(claim, found) for claim in claims if set(pair) & set(claim.words)):
            continue  # in other words, the partners of a point already made
        said = tuple(found[name] for name in sorted(found))
        kind = "ask" if sum(s.ask for s in said) * 2 >= len(said) else "point"
        claims.append(Claim(pair, kind, said))
        told.update((s.answer_id, s.index) for s in said)
    claims = [claim for claim in claims if not _inside(claim, claims)]
    claims.sort(key=lambda claim: -claim.partners)  # widening can move a claim up
    return claims


def side_of(position: str) -> int:
    """Return 1 for a partner that agreed, -1 for one that disagreed, else 0."""
    lowered = position.lower()
    if "disagree" in lowered:
        return -1
    return 0 if "neither" in lowered or "agree" not in lowered else 1


def _one_side(found: dict[str, Said], sides: Mapping[int, int]) -> dict[str, Said]:
    """Leave out the partners on the side opposite to most of the claim's partners."""
    lean = sum(sides.get(said.answer_id, 0) for said in found.values())
    if lean == 0:
        return found
    wrong = -1 if lean > 0 else 1
    return {name: s for name, s in found.items() if sides.get(s.answer_id, 0) != wrong}


def _inside(claim: Claim, claims: list[Claim]) -> bool:
    """Say whether a larger claim, widened, holds every sentence of this one."""
    mine = {(s.answer_id, s.index) for s in claim.said}
    return any(
        other.partners > claim.partners and mine <= {(s.answer_id, s.index) for s in other.said}
        for other in claims
    )


def _widen(
    pair: tuple[str, ...],
    found: dict[str, Said],
    holders: dict[tuple[str, ...], dict[str, tuple[bool, Said]]],
    linking: dict[str, list[tuple[str, ...]]],
    answers_of: dict[str, dict[int, set[str]]],
) -> dict[str, Said]:
    """Add the organisations that made the point in other words: those that use one of the
    claim's specific words in one sentence with another word that a partner making the claim
    used with it in one sentence of an answer making the claim ("ESOL classes" beside "funded
    ESOL classes"), and so on while that reaches anyone new. The other word must be one at
    least two of the claim's own partners use in those answers: the claim's vocabulary, not a
    word of one partner's other point (nor of its answer to another question)."""
    making = {  # each partner's answers that make the claim
        name: {i for i, every in answers_of[name].items() if set(pair) <= every} for name in found
    }
    vocabulary: Counter[str] = Counter()
    for name, ids in making.items():
        vocabulary.update(set().union(*(answers_of[name][i] for i in ids)))
    links = [
        {name: said for name, (whole, said) in holders[link].items() if whole}
        for word in pair
        for link in linking.get(word, ())
        if link != pair and all(vocabulary[other] >= 2 for other in link)
    ]
    members = dict(found)
    grown = True
    while grown:
        grown = False
        for held in links:
            new = held.keys() - members.keys()
            if new and any(held[name].answer_id in making.get(name, ()) for name in held):
                for name in sorted(new):
                    members[name] = held[name]
                    making[name] = {held[name].answer_id}
                grown = True
    return members


def _same_partners(claim: Claim, found: dict[str, Said]) -> bool:
    """Say whether most of a pair's organisations already make the claim."""
    return len(found.keys() & set(claim.organisations)) * 2 >= len(found)


def _most_shared(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def _rarest(words: set[str], weight: dict[str, float]) -> frozenset[str]:
    return frozenset(sorted(words, key=lambda w: (-weight.get(w, 0.0), w))[:TOP_TERMS])


def _overlap(claim: Claim, found: dict[str, Said]) -> bool:
    """Say whether most of a pair's partners already made the claim, in the same sentences."""
    mine = {(s.answer_id, s.index) for s in claim.said}
    return sum((s.answer_id, s.index) in mine for s in found.values()) * 2 >= len(found)
