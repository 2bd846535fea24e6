"""The first phase of the draft: what the evidence shows, per question, as plain values.

``find(evidence)`` returns ``Findings``: for each question its topic, the positions counted
(``evidence.counting``), the claims partners share with their supporting answers and exact
counts (``exports.draft.claims``), for each claim a sentence that can speak for all its partners
(or, where every sentence carries one partner's own detail, one partner's sentence to be
reported as theirs) and the best quote, single partners' own points, real figures with their
partner, the region's situation as partners described it, and how many points were left out.
The writing phase (``exports.draft.writing``) reads only these; nothing passes between
sections except through them.

Consent is applied here as well as in writing: every sentence the draft reports, quotes or
recommends from (a claim's words, a quote, a figure, an ask, a single partner's point) is taken
only from a partner whose words may be quoted (``Policy.may_quote``: named, or shown by its
sector), and never where ``Policy.scrub`` had to take out the partner's own place: an
anonymous partner only adds to the count of a point other partners' words tell.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from consultations.errors import WorkbenchError
from evidence.consent import CONSENT_VALUES, Consent
from evidence.counting import PositionCount, count_positions, latest_answers
from evidence.facts import AnswerFact, Evidence, QuestionFact
from evidence.similar import terms
from exports.draft.claims import (
    AnswerSentences,
    Claim,
    Said,
    find_claims,
    key_words,
    rarity,
    sentences_of,
    side_of,
    stem,
)
from exports.draft.consensus import KeyPoint, Reading, key_points, position_reason
from exports.draft.labels import Policy, policy_for
from exports.draft.shared import SHARED, Partners, clauses, details, speaks, told_for_all
from exports.draft.topics import proposition, topic
from exports.draft.words import Speech, is_formula, reportable, stands_alone, word_count

MAX_QUOTE_WORDS = 60
MAX_FIGURES = 4
MAX_REGIONAL = 3
MAX_OWN_POINTS = 3
ABOUT_FROM = 12  # the claim's sentences its words are read from
QUOTE_NEAR = 0.3  # the share of the point's words a quote must say too
MAX_ASKS = 10  # a claim's sentences weighed as the words of a recommendation
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


class AssemblyError(WorkbenchError):
    """Evidence that cannot be turned into a draft as it stands."""


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


@dataclass(frozen=True)
class QuestionFindings:
    """What the answers to one question show."""

    question: QuestionFact
    topic: str
    proposition: str
    partners: int  # organisations that answered
    answer_ids: tuple[int, ...]
    positions: tuple[PositionCount, ...]
    claims: tuple[ClaimFinding, ...]
    own_points: tuple[Said, ...]  # single partners' points, one each
    figures: tuple[Said, ...]  # sentences with real figures, one per partner
    regional: tuple[Said, ...]  # the region's situation, one sentence per partner
    left_out: int  # points made that the draft does not tell
    reason: Said | None = None  # why the side most partners took took it, in words they share


@dataclass(frozen=True)
class Findings:
    """Everything the draft is written from."""

    evidence: Evidence
    policy: Policy  # how each organisation appears (evidence.consent, the same for every output)
    speech: Speech
    questions: tuple[QuestionFindings, ...]
    organisations: int
    named: int
    key_points: tuple[KeyPoint, ...] = ()  # the points most partners made, over all questions

    def answer(self, answer_id: int) -> AnswerFact:
        """Return the answer with this id."""
        return self._answers[answer_id]

    @property
    def _answers(self) -> dict[int, AnswerFact]:
        cached = self.__dict__.get("_by_id")
        if cached is None:
            cached = {a.answer_id: a for a in self.evidence.answers}
            object.__setattr__(self, "_by_id", cached)
        return cached


def check(evidence: Evidence) -> None:
    """Refuse evidence that would make a wrong draft, naming every problem at once."""
    problems = []
    question_ids = {question.id for question in evidence.questions}
    ids = Counter(answer.answer_id for answer in evidence.answers)
    if repeated := sorted(answer_id for answer_id, n in ids.items() if n > 1):
        problems.append(f"answer ids used more than once: {', '.join(map(str, repeated))}")
    if strays := sorted(
        {a.answer_id for a in evidence.answers if a.question_id not in question_ids}
    ):
        problems.append(f"answers to a question not in the evidence: {', '.join(map(str, strays))}")
    if odd := sorted({a.consent for a in evidence.answers if a.consent not in CONSENT_VALUES}):
        known = ", ".join(consent.value for consent in Consent)
        problems.append(f"consent {', '.join(repr(c) for c in odd)} is not one of {known}")
    if problems:
        raise AssemblyError(
            f"The draft cannot be assembled: {'; '.join(problems)}. "
            "Rebuild the evidence from the saved submissions and try again."
        )


def find(evidence: Evidence) -> Findings:
    """Work out what the evidence shows, question by question."""
    check(evidence)
    policy = policy_for(evidence)
    places = _place_words(evidence)
    by_question: dict[int, list[AnswerFact]] = {q.id: [] for q in evidence.questions}
    for answer in sorted(evidence.answers, key=lambda a: a.answer_id):
        by_question[answer.question_id].append(answer)
    split = {
        q.id: [
            sentences_of(a.answer_id, a.organisation, a.text, leave_out=_leave_out(q, places))
            for a in by_question[q.id]
        ]
        for q in evidence.questions
    }
    weight = rarity(s for sentences in split.values() for s in sentences)
    answers = {a.answer_id: a for a in evidence.answers}
    # One answer per organisation makes claims; a second answer from a council is its latest.
    latest = {a.answer_id for q in by_question.values() for a in latest_answers(q)}
    chosen = {q.id: [s for s in split[q.id] if s.answer_id in latest] for q in evidence.questions}
    leave = {q.id: _leave_out(q, places) for q in evidence.questions}
    left_out = {a.answer_id: leave[a.question_id] for a in evidence.answers}
    reading = Reading(answers, policy, evidence.region, left_out.__getitem__, weight)
    order = [q.id for q in evidence.questions]
    claims = {  # in a large consultation, a claim needs company: 4% of those who answered
        q: find_claims(
            chosen[q],
            weight,
            min_partners=max(2, round(len(chosen[q]) * 0.04)),
            sides={s.answer_id: side_of(answers[s.answer_id].position) for s in chosen[q]},
        )
        for q in order
    }
    points = key_points([chosen[q] for q in order], [claims[q] for q in order], reading, order)
    key_said = frozenset(p.statement.text for p in points)
    told: set[str] = set()  # what earlier questions' sections say, in ``_same`` form
    figured: Counter[str] = Counter()  # whose figures earlier sections gave
    questions = tuple(
        _question(
            q,
            by_question[q.id],
            (chosen[q.id], claims[q.id]),
            answers,
            policy,
            evidence.region,
            (told, figured),
            (reading, key_said),
        )
        for q in evidence.questions
    )
    consent = {a.organisation: a.consent for a in evidence.answers}
    return Findings(
        evidence=evidence,
        policy=policy,
        speech=Speech.of(a.text for a in evidence.answers),
        questions=questions,
        organisations=len(consent),
        named=sum(policy.named(name) for name in consent),
        key_points=points,
    )


def _place_words(evidence: Evidence) -> frozenset[str]:
    words = {w for a in evidence.answers for place in a.places for w in terms(place)}
    return frozenset(words | set(terms(evidence.region)))


def _leave_out(question: QuestionFact, places: frozenset[str]) -> frozenset[str]:
    return frozenset(stem(t) for t in terms(question.text)) | places


def _question(
    question: QuestionFact,
    answers: list[AnswerFact],
    found: tuple[list[AnswerSentences], list[Claim]],
    by_id: dict[int, AnswerFact],
    policy: Policy,
    region: str,
    before: tuple[set[str], Counter[str]],
    keys: tuple[Reading, frozenset[str]],
) -> QuestionFindings:
    """What one question's answers show; a sentence an earlier section already tells (the
    same words, whatever its figures) is not told again."""
    said_before, figured = before
    reading, key_said = keys  # and what the key messages say of the points most partners made
    partners = len({a.organisation for a in answers})
    chosen, claims = found
    used = {
        (s.answer_id, s.index)
        for a in chosen
        for s in a.said
        if any(_same(part) in said_before for part in clauses(s.text))
    }
    words = _Words(chosen)
    leave_out = reading.leave_out(chosen[0].answer_id) if chosen else frozenset()
    told = [_tell(claim, by_id, policy, region, used, words, leave_out) for claim in claims]
    # a claim an earlier section told keeps its asks, for the recommendations to note
    told = [found for found in told if found.statement or found.example or found.asks]
    heard = used | {(s.answer_id, s.index) for found in told for s in found.claim.said}
    own = _own_points(chosen, by_id, policy, heard) if partners <= OWN_POINTS_UP_TO else []
    used |= {(s.answer_id, s.index) for s in own}
    figures = _figures(sorted(chosen, key=lambda a: figured[a.organisation]), policy, used)
    figured.update(s.organisation for s in figures)  # the next section hears other partners
    figures.sort(key=lambda s: s.answer_id)
    regional = _regional(chosen, by_id, policy, region, used | heard)
    shown = [s for found in told for s in (found.statement, found.example, found.quote) if s]
    said_before.update(_same(s.text) for s in (*shown, *own, *figures, *regional))
    spoken = {s.organisation for c in claims for s in c.said} | {s.organisation for s in own}
    positions = tuple(count_positions(question, answers))
    return QuestionFindings(
        question=question,
        topic=topic(question.text) or question.number,
        proposition=proposition(question.text) if question.options else "",
        partners=partners,
        answer_ids=tuple(a.answer_id for a in answers),
        positions=positions,
        claims=tuple(told),
        own_points=tuple(own),
        figures=tuple(figures),
        regional=tuple(regional),
        left_out=len({s.organisation for s in chosen if s.said} - spoken),
        reason=position_reason(
            [(found.statement or found.example, found.told_ids) for found in told],
            positions,
            reading,
            key_said,
        ),
    )


def _same(text: str) -> str:
    """Return a sentence's words without its figures: what makes two sentences the same point."""
    return re.sub(r"[\d£%.,]+", "#", " ".join(text.lower().split()))


def figures_in(text: str) -> frozenset[str]:
    """Return the quantities a sentence gives: not "Section 75", "Article 8", "Q3" or a year."""
    found = (figure.rstrip(".,") for figure in _QUANTITY.findall(text))
    return frozenset(f for f in found if not _YEAR.match(f) and any(c.isdigit() for c in f))


class _Words:
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


def _tell(
    claim: Claim,
    by_id: dict[int, AnswerFact],
    policy: Policy,
    region: str,
    used: set[tuple[int, int]],
    words: _Words,
    leave_out: frozenset[str],
) -> ClaimFinding:
    """Choose the words a claim is told in: a sentence for all, else one partner's, and a quote.

    A sentence speaks for all of a claim's partners only when it carries no partner's own detail
    (a figure, a place, its name) and most of its words are the other partners' words too
    (``SHARED``); otherwise it is reported as one partner's, who may be named as its consent
    allows.
    """

    shares = words.sharing(claim)

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
    quote, quote_text = _quote(
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
    similar = words.holders(claim, example) if example is not None else ()
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
        _about(claim),
        statement,
        example,
        quote,
        quote_text,
        tuple(asks),
        has_details,
        similar,
        holds,
    )


def _about(claim: Claim) -> tuple[str, ...]:
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


def _quote(
    said: Sequence[Said],
    by_id: dict[int, AnswerFact],
    policy: Policy,
    used: set[tuple[int, int]],
    *,
    avoid: Said | None,
    near: frozenset[str] | None = None,
    words: _Words | None = None,
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
            if closeness < QUOTE_NEAR or mine == near:
                continue  # it says something else, or just what the point says already
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


def _own_points(
    chosen: list[AnswerSentences],
    by_id: dict[int, AnswerFact],
    policy: Policy,
    used: set[tuple[int, int]],
) -> list[Said]:
    """One point from each partner not yet heard, asks first, for small consultations."""
    heard = {key for key in used}
    points = []
    for answer in chosen:
        if not policy.may_quote(answer.organisation):
            continue
        fresh = [
            s
            for s, words in zip(answer.said, answer.words, strict=True)
            if (s.answer_id, s.index) not in heard
            and reportable(s.text)
            and len(words) >= 3
            and speaks(policy, s)
        ]
        if fresh:
            points.append(min(fresh, key=lambda s: (not s.ask, s.index)))
    points.sort(key=lambda s: (not s.ask, s.answer_id))
    for point in points[:MAX_OWN_POINTS]:
        used.add((point.answer_id, point.index))
    return points[:MAX_OWN_POINTS]


def _figures(
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


def _regional(
    chosen: list[AnswerSentences],
    by_id: dict[int, AnswerFact],
    policy: Policy,
    region: str,
    used: set[tuple[int, int]],
) -> list[Said]:
    """What partners said of the region's own situation, one sentence a partner."""
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
            if (region and region in said.text) or (_LOCAL.search(said.text) and names):
                found.append(said)
                break
        if len(found) == MAX_REGIONAL:
            break
    used.update((s.answer_id, s.index) for s in found)
    return found
