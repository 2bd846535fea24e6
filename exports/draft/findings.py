"""The first phase of the draft: what the evidence shows, per question, as plain values.

``find(evidence)`` returns ``Findings``: for each question its topic, the positions counted
(``evidence.counting``), the claims partners share with their supporting answers and exact
counts (``exports.draft.claims``), for each claim a sentence that can speak for all its partners
(or, where every sentence carries one partner's own detail, one partner's sentence to be
reported as theirs) and the best quote, single partners' own points, real figures with their
partner, the region's situation as partners described it, and how many points were left out.
How a claim is told is ``exports.draft.telling``'s; the figures, regional points and single
partners' points are ``exports.draft.extras``'. The writing phase (``exports.draft.writing``)
reads only these; nothing passes between sections except through them.

Consent is applied here as well as in writing: every sentence the draft reports, quotes or
recommends from (a claim's words, a quote, a figure, an ask, a single partner's point) is taken
only from a partner whose words may be quoted (``Policy.may_quote``: named, or shown by its
sector), and never where ``Policy.scrub`` had to take out the partner's own place: an
anonymous partner only adds to the count of a point other partners' words tell.
"""

from __future__ import annotations

import re
from collections import Counter
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
    rarity,
    sentences_of,
    side_of,
    stem,
)
from exports.draft.consensus import KeyPoint, Reading, key_points, position_reason
from exports.draft.extras import OWN_POINTS_UP_TO, pick_figures, pick_own_points, pick_regional
from exports.draft.labels import Policy, policy_for
from exports.draft.shared import clauses
from exports.draft.telling import ClaimFinding, SentenceWords, tell
from exports.draft.topics import proposition, topic
from exports.draft.words import Speech


class AssemblyError(WorkbenchError):
    """Evidence that cannot be turned into a draft as it stands."""


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
    words = SentenceWords(chosen)
    leave_out = reading.leave_out(chosen[0].answer_id) if chosen else frozenset()
    told = [tell(claim, by_id, policy, region, used, words, leave_out) for claim in claims]
    # a claim an earlier section told keeps its asks, for the recommendations to note
    told = [found for found in told if found.statement or found.example or found.asks]
    heard = used | {(s.answer_id, s.index) for found in told for s in found.claim.said}
    own = pick_own_points(chosen, policy, heard, used) if partners <= OWN_POINTS_UP_TO else []
    used |= {(s.answer_id, s.index) for s in own}
    figures = pick_figures(sorted(chosen, key=lambda a: figured[a.organisation]), policy, used)
    figured.update(s.organisation for s in figures)  # the next section hears other partners
    figures.sort(key=lambda s: s.answer_id)
    regional = pick_regional(chosen, by_id, policy, region, used | heard, used)
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
