"""The key messages: five to seven statements a board would sign, the strongest first.

Two kinds, weighed together by the share of partners behind them: the points most partners
made over all the questions (``Findings.key_points``: funded ESOL, safeguards for victims of
domestic abuse), each counted by distinct organisation and told in words they all share; and
the partnership's position on each question where most partners took one side. Each carries
its reason where most of its partners gave one in shared words: "..., because there are not
enough classes."; a position, only where most partners on its side gave it in answer to that
question (``consensus.position_reason``).
"""

from __future__ import annotations

import re

from exports.draft.claims import Said, key_words
from exports.draft.consensus import KeyPoint
from exports.draft.findings import Findings, QuestionFindings
from exports.draft.question import (
    Teller,
    majority,
    position_verb,
    question_name,
    questions_named,
    side,
    stance_lead,
)
from exports.draft.words import full_stop, opening_some_of, some_of
from exports.draft_model import Block, Section

MAX_KEY_MESSAGES = 7
MAX_KEY_POINTS = 3  # of them, points partners made rather than positions

_Message = tuple[float, int, int, Block]  # (-share, -partners, order, block)


def key_messages(findings: Findings) -> Section:
    """The strongest points and positions, with their weight and reason, strongest first."""
    teller = Teller(findings, "key messages", findings.evidence.title)
    clear = sorted(
        (-top.partners / question.partners, -top.partners, order, question)
        for order, question in enumerate(findings.questions)
        if side(question) in ("support", "oppose") and (top := majority(question)) is not None
    )
    # A point a position already gives as its reason is not a message of its own: "five years
    # of conditional status would give abusive sponsors far more power" beside the position on
    # five years "because ... an abusive partner ...".
    reasons = [
        key_words(question.reason.text, leave_out=frozenset())
        for *_, question in clear
        if question.reason is not None
    ]
    key_points = [
        point
        for point in findings.key_points
        if not any(set(point.claim.words) <= words for words in reasons)
    ]
    points = sorted(
        _point_message(findings, teller, point, n) for n, point in enumerate(key_points)
    )[:MAX_KEY_POINTS]
    told = {_said(point) for point in key_points} - {""}
    positions = []
    for *weight, question in clear:  # a reason is given once, with the strongest position
        positions.append((*weight, _position_message(findings, question, told)))
        if question.reason is not None:
            told.add(question.reason.text)
    # Points and positions compete on their share alone: a reader missed the position four of
    # seven took on Question 5 where a point five of nine made took its place.
    strongest = sorted(points + positions, key=lambda m: m[:3])[:MAX_KEY_MESSAGES]
    was_point = {id(m) for m in points}
    points = [m for m in strongest if id(m) in was_point]
    chosen = [block for *_, block in strongest]
    intro = _intro(findings, bool(points), len(points) < len(strongest))
    if any(len(key_points[order].question_ids) > 1 for _, _, order, _ in points):
        # two readers took "five of the nine who answered Questions 1, 2, 7 or 10" beside a
        # section's "four of the eight who answered" for a contradiction
        intro += (
            " A point made in answer to several questions counts each partner once, out of "
            "all who answered any of them; each question's section counts that question alone."
        )
    blocks = [Block(kind="paragraph", text=intro)]
    return Section(key="summary", heading="Key messages", blocks=blocks + chosen)


def _said(point: KeyPoint) -> str:
    return point.statement.text


def _intro(findings: Findings, points: bool, positions: bool) -> str:
    if points and positions:
        return (
            "These are the partnership's main messages, the most widely shared first: the "
            "points most partners made and the partnership's position "
            "where most partners took the same side."
        )
    if positions:
        return (
            "These are the partnership's main messages: its position on each question where "
            "most partners took the same side, the clearest first."
        )
    if points:
        return "These are the partnership's main messages, the points most widely shared first."
    if findings.organisations:
        return (
            "Partners took no clear common position on the proposals; their points are "
            "reported question by question."
        )
    return "No partner has answered yet; the key messages will come from their answers."


def _point_message(findings: Findings, teller: Teller, point: KeyPoint, order: int) -> _Message:
    """ "All seven partners who answered Question 4 would like to see ..., because ...";
    where a point recurs, "Five of the nine partners who answered Questions 1, 2, 7 or 10"
    (of those who answered any of them)."""
    by_id = {q.question.id: q for q in findings.questions}
    where = questions_named([by_id[i] for i in point.question_ids])
    who = opening_some_of(point.partners, point.answered, where)
    n, total = point.partners, point.answered
    reason = point.reason if _most_give(findings, point) else None
    text = _because(findings, teller.said(who, point.statement, several=True), reason)
    block = Block("point", text, list(point.answer_ids), partners=n)
    return (-n / max(total, 1), -n, order, block)


def _most_give(findings: Findings, point: KeyPoint) -> bool:
    """Say whether most of a point's partners gave its reason: every word of it in their
    answers. One partner's "there are not enough classes" is not every partner's reason."""
    if point.reason is None:
        return False
    reason = _reason_words(point.reason.text)
    texts: dict[str, list[str]] = {}
    for answer in findings.evidence.answers:
        if answer.answer_id in point.answer_ids:
            texts.setdefault(answer.organisation, []).append(answer.text)
    giving = sum(
        reason <= set().union(*(_reason_words(t) for t in given)) for given in texts.values()
    )
    return giving * 2 > point.partners


# Words a reason turns on that key words leave out: "there are not enough classes" is not
# "classes", which every partner asking for classes wrote.
_TURNS_ON = frozenset(
    {"not", "no", "enough", "too", "few", "fewer", "less", "more", "lack", "without", "never"}
)


def _reason_words(text: str) -> frozenset[str]:
    """Return a reason's key words with the words that turn its meaning ("not", "enough")."""
    turning = _TURNS_ON.intersection(re.findall(r"[a-z]+", text.lower().replace("n't", " not")))
    return key_words(text, leave_out=frozenset()) | turning


def _position_message(findings: Findings, question: QuestionFindings, told: set[str]) -> Block:
    """The partnership's position on a question most partners took one side on, and why."""
    top = majority(question)
    text = (
        f"{stance_lead(question)} ({question_name(question)}): "
        f"{some_of(top.partners, question.partners)} {position_verb(top.position, 2)}"
    )
    reason = question.reason if question.reason and question.reason.text not in told else None
    return Block(
        "point", _because(findings, text, reason), list(top.answer_ids), partners=top.partners
    )


def _because(findings: Findings, text: str, reason: Said | None) -> str:
    """Add the reason partners gave: "..., because there are not enough classes."."""
    if reason is None:
        return full_stop(text)
    why = findings.speech.report(findings.policy.scrub(reason.text, reason.organisation))
    return f"{full_stop(text)[:-1]}, because {why}"
