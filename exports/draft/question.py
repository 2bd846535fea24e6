"""One question's section, written from its findings.

In order: the question; the partnership's position in one sentence (from the question's
proposition and the positions, the dissent stated); the points partners made, the claim most
partners share first, each with its exact count and the best quote; single partners' own points
(in a small consultation); evidence with real figures, each with its partner; and the region's
own situation where partners described it. A sub-section with nothing to say is left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from evidence.counting import NO_POSITION, PositionCount, position_key
from exports.draft.claims import Said
from exports.draft.consensus import AGREEING, DISAGREEING
from exports.draft.findings import Findings, QuestionFindings
from exports.draft.telling import ClaimFinding
from exports.draft.words import (
    Rotation,
    capitalise,
    full_stop,
    join_words,
    number,
    opening_count,
    opening_some_of,
    some_of,
    strip_link,
)
from exports.draft_model import Block, Section

MAX_NAMED = 4  # questions named in a count over several; more are counted

# option (lower case) -> (what several partners did, what one partner did)
_POSITION_VERBS = {
    "agree": ("agreed", "agreed"),
    "strongly agree": ("strongly agreed", "strongly agreed"),
    "tend to agree": ("tended to agree", "tended to agree"),
    "disagree": ("disagreed", "disagreed"),
    "strongly disagree": ("strongly disagreed", "strongly disagreed"),
    "tend to disagree": ("tended to disagree", "tended to disagree"),
    "neither agree nor disagree": ("neither agreed nor disagreed",) * 2,
    "don't know": ("were unsure", "was unsure"),
    "do not know": ("were unsure", "was unsure"),
    "not sure": ("were unsure", "was unsure"),
    "unsure": ("were unsure", "was unsure"),
    "yes": ("said yes", "said yes"),
    "no": ("said no", "said no"),
}

# "{who} {verb} that ...": plain verbs, varied; (several partners, one partner).
POINT_VERBS = (
    ("said", "said"),
    ("pointed out", "pointed out"),
    ("noted", "noted"),
    ("explained", "explained"),
    ("observed", "observed"),
    ("stressed", "stressed"),
)

ASK_VERBS = (
    ("argued", "argued"),
    ("were clear", "was clear"),
    ("said", "said"),
    ("stressed", "stressed"),
)

# "they ask the Home Office to ..." reported: "asked the Home Office to ...".
_ASKED = re.compile(
    r"^they (?:would )?(?:also )?(ask|urge|call on|call for|recommend|would like|would rather see|"
    r"would welcome|would prefer|want) (.+)$"
)
_ASKED_VERBS = {
    "ask": "asked",
    "urge": "urged",
    "call on": "called on",
    "call for": "called for",
    "recommend": "recommended",
    "would like": "would like",
    "would rather see": "would rather see",
    "would welcome": "would welcome",  # not "stressed that they would welcome"
    "would prefer": "would prefer",
    "want": "wanted",
}


# "they are concerned that ..." reported: "was concerned that ...", not "said that they are".
_HELD = re.compile(
    r"^they (are|do not|disagree|agree|believe|think|feel|understand|support|see) (.+)$"
)
_HELD_VERBS = {
    "do not": "did not",
    "disagree": "disagreed",
    "agree": "agreed",
    "believe": "believed",
    "think": "thought",
    "feel": "felt",
    "understand": "understood",
    "support": "supported",
    "see": "saw",
}


def heading(findings: QuestionFindings) -> str:
    """Return "Question 1: a minimum income" (the number alone where no topic reads)."""
    found = re.fullmatch(r"Q\.?\s*(\d+[a-z]?)", findings.question.number.strip(), re.IGNORECASE)
    name = f"Question {found.group(1)}" if found else findings.question.number or "Question"
    if findings.topic and findings.topic != findings.question.number:
        return f"{name}: {findings.topic}"
    return name


def question_name(findings: QuestionFindings) -> str:
    """Return "Question 1" for references in running text."""
    return heading(findings).split(":", 1)[0]


def questions_named(questions: Sequence[QuestionFindings]) -> str:
    """Return "Question 4", "Questions 1, 2, 7 or 10" or "any of twelve questions": the
    questions a count is taken over, of the partners who answered any of them."""
    if len(questions) == 1:
        return question_name(questions[0])
    if len(questions) > MAX_NAMED:
        return f"any of {number(len(questions))} questions"
    numbers = [question_name(q).removeprefix("Question ") for q in questions]
    return f"Questions {join_words(numbers, 'or')}"


def position_verb(position: str, n: int) -> str:
    """Say what ``n`` partners did by choosing an option: "disagreed", "were unsure"."""
    if position == NO_POSITION:
        return "gave no position"
    several, one = _POSITION_VERBS.get(position_key(position), (f'chose "{position}"',) * 2)
    return one if n == 1 else several


def side(findings: QuestionFindings) -> str:
    """Return "support", "oppose", "leans support", "leans oppose", "divided", "split" (more
    took neither side than either) or "" (open)."""
    counts = [c for c in findings.positions if c.position != NO_POSITION]
    took = sum(c.partners for c in counts)
    if took < 2:
        return ""
    agree = sum(c.partners for c in counts if position_key(c.position) in AGREEING)
    disagree = sum(c.partners for c in counts if position_key(c.position) in DISAGREEING)
    if disagree * 2 > took:
        return "oppose"
    if agree * 2 > took:
        return "support"
    if took - agree - disagree > max(agree, disagree):
        return "split"  # neither agreed nor disagreed, or unsure, is the largest group
    if agree > disagree:
        return "leans support"
    if disagree > agree:
        return "leans oppose"
    return "divided"


def majority(findings: QuestionFindings) -> PositionCount | None:
    """Return the position most partners took (none where nobody took one)."""
    counts = [c for c in findings.positions if c.position != NO_POSITION]
    return max(counts, key=lambda c: c.partners) if counts else None


def stance_lead(findings: QuestionFindings) -> str:
    """Return the partnership's position before its counts: "The partnership does not agree
    that a sponsor should have to show a minimum income"."""
    proposition = findings.proposition
    leads = {
        "oppose": f"The partnership does not agree that {proposition}"
        if proposition
        else "The partnership does not support this proposal",
        "support": f"The partnership agrees that {proposition}"
        if proposition
        else "The partnership supports this proposal",
        "leans support": "Partners were divided on this proposal, though more agreed than "
        "disagreed",
        "leans oppose": "Partners were divided on this proposal, though more disagreed than agreed",
        "divided": "Partners were evenly divided on this proposal",
        "split": "Partners were divided on this proposal",
    }
    return leads[side(findings)]


def position_sentence(findings: QuestionFindings) -> str:
    """Say where the partnership stands and how partners answered, dissent included."""
    total = findings.partners
    if total == 0:
        return "No partner answered this question."
    counts = sorted(
        findings.positions, key=lambda c: (c.position == NO_POSITION, -c.partners)
    )  # most chosen first, no position last
    if all(c.position == NO_POSITION for c in counts):
        if total == 1:
            return "One partner answered this question."
        return f"{opening_count(total, 'partner')} answered this question."
    if total == 1:
        did = position_verb(counts[0].position, 1)
        return f"Only one partner answered this question, and it {did}."
    first, *rest = counts
    if first.partners == total:
        opening = (
            f"both partners who answered {position_verb(first.position, 2)}"
            if total == 2
            else f"all {number(total)} partners who answered {position_verb(first.position, 2)}"
        )
    else:
        opening = (
            f"{number(first.partners)} of the {number(total)} partners who answered "
            f"{position_verb(first.position, first.partners)}"
        )
    others = [f"{number(c.partners)} {position_verb(c.position, c.partners)}" for c in rest]
    lead = stance_lead(findings) if side(findings) else ""
    detail = opening + (f"; {join_words(others)}" if others else "")
    if not lead:
        return full_stop(capitalise(detail))
    return full_stop(f"{lead}: {detail}")


class Teller:
    """Writes reported points for one section, varying the verbs and never repeating one twice
    running."""

    def __init__(self, findings: Findings, *seed: str) -> None:
        self.findings = findings
        self.rotation = Rotation(*seed)
        self.last = ""

    def verb(self, kind: str, several: bool) -> str:
        """Return the next verb for a point or an ask, not the one used last."""
        options = ASK_VERBS if kind == "ask" else POINT_VERBS
        for _ in range(len(options)):
            pair = self.rotation.pick(kind, options)
            chosen = pair[0] if several else pair[1]
            if chosen != self.last:
                break
        self.last = chosen
        return chosen

    def reported(self, said: Said) -> str:
        """Return the sentence as the partnership reports it, unnamed partners' names removed."""
        scrubbed = self.findings.policy.scrub(said.text, said.organisation)
        return self.findings.speech.report(scrubbed)

    def label(self, organisation: str) -> str:
        """Return how running text names the organisation, as its consent allows."""
        return self.findings.policy.label(organisation)

    def claim(self, found: ClaimFinding, total: int, *, where: str = "") -> str:
        """Write a claim with its exact count: "Six of the seven partners who answered said
        that ...", or, where every sentence is one partner's own, that partner's words as theirs."""
        claim = found.claim
        if where:
            prefix = f"On {where}, {some_of(claim.partners, total)}"
        else:
            prefix = opening_some_of(claim.partners, total)
        if found.statement is not None:
            return self.said(prefix, found.statement, several=True)
        example = found.example
        label = self.label(example.organisation)
        one = self.said(capitalise(label), example, several=False)
        if found.speaks_for_claim and claim.partners > 1:
            # every partner of the claim made its point: one partner's words, then the others
            # counted (the point first: a count before it reads as a count of nothing yet)
            return f"{one} {self.same_point(claim.partners - 1, total, where)}"
        if not found.similar:
            return one
        others = len({self.findings.answer(i).organisation for i in found.similar})
        return f"{one} {self.same_point(others, total, where)}"

    def same_point(self, others: int, total: int, where: str = "") -> str:
        """Say how many others made the point one partner's words tell: "One other partner made
        the same point." The others are counted, never named: their sentences share the words
        but not always the details (a figure, a place), and a name beside one partner's figure
        reads as that partner's figure (a board reader found Belfast's waiting list credited to
        Foyle and Strabane that way)."""
        rest = total - 1
        on = f" on {where}" if where else ""
        if others == rest:
            who = "the other partner" if rest == 1 else f"all {number(rest)} other partners"
            return f"{capitalise(who)} who answered{on} made the same point."
        if others > 20:  # a sentence does not open with a figure
            return (
                f"Of the other {number(rest)} partners who answered{on}, "
                f"{number(others)} made the same point."
            )
        who = "other partner" if others == 1 else "other partners"
        return f"{capitalise(number(others))} {who}{on} made the same point."

    def said(self, who: str, said: Said, *, several: bool) -> str:
        """Write "{who} {verb} that {what they said}", or "{who} asked the Home Office to ..."
        where the partner's own words ask."""
        reported = self.reported(said)
        asked = _ASKED.match(reported)
        if asked is not None:
            verb = _ASKED_VERBS[asked.group(1)]
            return f"{who} {verb} {asked.group(2)}"
        held = _HELD.match(reported)
        if held is not None:  # "said that they are concerned that" -> "was concerned that"
            verb = held.group(1)
            past = ("were" if several else "was") if verb == "are" else _HELD_VERBS[verb]
            return f"{who} {past} {held.group(2)}"
        verb = self.verb("ask" if said.ask else "point", several)
        return f"{who} {verb} that {reported}"

    def own(self, said: Said) -> str:
        """Write one partner's point as theirs: "Belfast Metropolitan Council said that ..."."""
        return self.said(capitalise(self.label(said.organisation)), said, several=False)


def section(findings: Findings, question: QuestionFindings) -> Section:
    """Write the question's section."""
    fact = question.question
    teller = Teller(findings, "question", fact.number, fact.text)
    blocks = [
        Block(kind="paragraph", text=fact.text),
        Block(
            kind="paragraph",
            text=position_sentence(question),
            answer_ids=list(question.answer_ids),
            partners=question.partners,
        ),
    ]
    points = []
    for found in question.claims:
        if found.statement is None and found.example is None:
            continue  # nothing that can be said for it
        points.append(
            Block(
                kind="point",
                text=teller.claim(found, question.partners),
                answer_ids=list(found.told_ids),
                partners=len(found.told_ids),
            )
        )
        if found.quote is not None:
            points.append(_quote_block(findings, found.quote, found.quote_text))
    for said in question.own_points:
        points.append(
            Block(kind="point", text=teller.own(said), answer_ids=[said.answer_id], partners=1)
        )
    if points:
        blocks.append(Block(kind="subheading", text="What partners told us"))
        blocks += points
    if question.figures:
        blocks.append(Block(kind="subheading", text="Evidence"))
        blocks += [_figure_block(findings, said) for said in question.figures]
    if question.regional:
        region = findings.evidence.region or "the region"
        blocks.append(Block(kind="subheading", text=f"The situation in {region}"))
        blocks += [
            Block(kind="point", text=teller.own(said), answer_ids=[said.answer_id], partners=1)
            for said in question.regional
        ]
    return Section(
        key=f"question-{fact.id}", heading=heading(question), blocks=blocks, question_id=fact.id
    )


def _quote_block(findings: Findings, said: Said, text: str) -> Block:
    stripped = strip_link(text)
    if stripped != text.strip():
        text = f"[{stripped[:1]}]{stripped[1:]}"
    return Block(
        kind="quote",
        text=text,
        answer_ids=[said.answer_id],
        attribution=findings.policy.label(said.organisation),
    )


def _figure_block(findings: Findings, said: Said) -> Block:
    policy = findings.policy
    text = full_stop(policy.scrub(strip_link(said.text), said.organisation))
    text = f"“{text}”"  # the partner's own words, never the partnership's voice
    return Block(
        kind="figure",
        text=text,
        answer_ids=[said.answer_id],
        attribution=policy.label(said.organisation),
    )
