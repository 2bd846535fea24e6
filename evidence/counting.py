"""Count positions once, in one place: the analysis page and the draft both read these counts.

Rules, so that a chart and a sentence of the response never disagree:

* a partner is an organisation: two answers from one council to one question count once, by
  the council's latest answer (the highest answer id);
* a position is matched to the question's options ignoring case, spaces and curly
  apostrophes, and written as the option words it ("don't know" is counted as "Don't know");
* an answer without a position (an open question, or a comment alone) counts as
  ``NO_POSITION``, always last.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from evidence.facts import AnswerFact, QuestionFact

NO_POSITION = "No position given"


@dataclass(frozen=True)
class PositionCount:
    """How many partners (organisations) chose one option, and the answers that say so."""

    position: str  # the option as the question words it, or NO_POSITION
    partners: int
    answer_ids: tuple[int, ...] = ()


def position_key(position: str) -> str:
    """Return the form positions are compared in: lower case, single spaces, plain apostrophes."""
    return " ".join(position.replace("’", "'").lower().split())


def latest_answers(answers: Iterable[AnswerFact]) -> list[AnswerFact]:
    """Return each organisation's latest answer (highest id), in the order of their ids."""
    latest: dict[str, AnswerFact] = {}
    for answer in sorted(answers, key=lambda a: a.answer_id):
        latest[answer.organisation] = answer
    return sorted(latest.values(), key=lambda a: a.answer_id)


def count_positions(
    question: QuestionFact, answers: Iterable[AnswerFact], *, every_option: bool = False
) -> list[PositionCount]:
    """Count one question's positions, one per organisation, in the options' order.

    Positions the options do not list follow them alphabetically, and ``NO_POSITION`` comes
    last. With ``every_option`` each option is listed even when nobody chose it (a chart shows
    the whole scale); otherwise only positions someone took are.
    """
    wording = {position_key(option): option for option in question.options}
    chosen: dict[str, list[int]] = defaultdict(list)
    for answer in latest_answers(a for a in answers if a.question_id == question.id):
        key = position_key(answer.position)
        label = NO_POSITION if not key else wording.setdefault(key, answer.position.strip())
        chosen[label].append(answer.answer_id)
    options = list(question.options)
    others = sorted(set(chosen) - set(options) - {NO_POSITION})
    order = [*options, *others, NO_POSITION]
    return [
        PositionCount(label, len(chosen.get(label, ())), tuple(sorted(chosen.get(label, ()))))
        for label in order
        if chosen.get(label) or (every_option and label in options)
    ]


def partners_answering(question: QuestionFact, answers: Iterable[AnswerFact]) -> int:
    """Return how many organisations answered the question."""
    return len({a.organisation for a in answers if a.question_id == question.id})
