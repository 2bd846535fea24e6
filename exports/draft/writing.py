"""The second phase of the draft: findings written as the response's sections.

``write(findings, status=...)`` returns the ``Draft``: cover (with the contact line), about
the partnership and how the response was prepared, key messages, one section per question
(``exports.draft.question``), recommendations proposed from the partnership's positions and
partners' asks, and the annex.
Each section is a function of the findings alone.
"""

from __future__ import annotations

import re
from dataclasses import replace

from consultations.dates import plain_date
from evidence.counting import position_key
from exports.annex import annex_section
from exports.draft.claims import Said, key_words
from exports.draft.findings import Findings, QuestionFindings
from exports.draft.key_messages import key_messages
from exports.draft.question import (
    AGREEING,
    DISAGREEING,
    question_name,
    questions_named,
    section,
    side,
)
from exports.draft.telling import ClaimFinding
from exports.draft.words import (
    as_partnership,
    capitalise,
    count_of,
    full_stop,
    is_formula,
    join_words,
    number,
    opening_count,
    opening_some_of,
    strip_link,
)
from exports.draft_model import Block, Draft, Section

MAX_RECOMMENDATIONS = 8
_FIRST_PERSON = re.compile(r"\b(?:we|us|our|ours|I|my)\b", re.IGNORECASE)
_ASKING = re.compile(r"^The partnership (?:also )?(?:asks|urges|calls on|recommends|would ask)\b")
_ASKS_OF = re.compile(r"\b(?:should|must|needs? to|ought to)\b")
# An ask to go ahead with the proposal: "Keep any minimum income requirement, but ...".
_KEEPS = re.compile(
    r"^(?:The partnership (?:also )?(?:asks|urges) (?:the [\w ]+? )?to )?(?:keep|retain|"
    r"maintain|introduce|go ahead with|proceed with)\b",
    re.IGNORECASE,
)
MIN_ASKING = 2  # partners who must make an ask for it to be a recommendation
RESTATES = 0.6  # the share of a question's proposition words a recommendation restating it holds


def write(findings: Findings, *, status: str) -> Draft:
    """Write every section from the findings, in the order a response reads."""
    evidence = findings.evidence
    sections = [
        cover(findings, status),
        about(findings),
        key_messages(findings),
        *(section(findings, question) for question in findings.questions),
        recommendations(findings),
        annex_section(evidence, findings.policy),
    ]
    return Draft(
        partnership=evidence.partnership,
        title=evidence.title,
        reference=evidence.reference,
        department=evidence.department,
        prepared_on=evidence.today,
        status=status,
        sections=sections,
    )


# --- cover and about ----------------------------------------------------------------------


def _bare(name: str) -> str:
    return name[4:] if name.lower().startswith("the ") else name


def _the(name: str) -> str:
    """Put "The" before a partnership's name where English wants it."""
    if name.lower().startswith("the ") or "partnership" not in name.lower():
        return name
    return f"The {name}"


def cover(findings: Findings, status: str) -> Section:
    """The title page: who responds, to what, when, in what state, and whom to contact."""
    evidence = findings.evidence
    consultation = f"A consultation by the {evidence.department}" if evidence.department else ""
    if consultation and evidence.reference:
        consultation += f", reference {evidence.reference}"
    lines = [
        f"Response from the {_bare(evidence.partnership)}",
        consultation,
        plain_date(evidence.today),
        status,
    ]
    if evidence.closes_on:
        lines.append(f"The consultation closes on {plain_date(evidence.closes_on)}.")
    if evidence.contact.strip():
        lines.append(f"Contact about this response: {evidence.contact.strip()}")
    blocks = [Block(kind="paragraph", text=line) for line in lines if line]
    return Section(key="cover", heading=evidence.title, blocks=blocks)


def about(findings: Findings) -> Section:
    """Who the partnership is, who contributed, and how the response was prepared."""
    evidence = findings.evidence
    own_words = [part.strip() for part in re.split(r"\n\s*\n", evidence.about) if part.strip()]
    paragraphs = own_words or [
        f"{_the(evidence.partnership)} brings together local government, health and housing "
        "bodies, the police and justice sector, and voluntary and community organisations in "
        f"{evidence.region or 'the region'}, to plan for migration together and to give the "
        "region one voice with the UK Government."
    ]
    blocks = [Block(kind="paragraph", text=text) for text in paragraphs]
    blocks.append(Block(kind="paragraph", text=contributors(findings)))
    blocks.append(Block(kind="paragraph", text=how_prepared(findings)))
    return Section(key="about", heading="About the partnership and this response", blocks=blocks)


def contributors(findings: Findings) -> str:
    """Say how many organisations contributed, and the sectors at least three of them share."""
    organisations = findings.organisations
    if organisations == 0:
        return "No partner organisation has answered yet, so this draft has no evidence to use."
    if organisations == 1:
        return "This response draws on the answers of one partner organisation."
    shown = findings.policy.sectors_shown()
    sentence = (
        f"This response draws on the answers of {number(organisations)} partner organisations"
    )
    if not shown:
        return f"{sentence}."
    parts = [f"{number(n)} {sector.lower()} partners" for sector, n in shown]
    rest = organisations - sum(n for _, n in shown)
    if rest:  # a reader added the sectors up and found 17 of 200 missing
        parts.append(f"{number(rest)} other {'partner' if rest == 1 else 'partners'}")
    return f"{sentence}, among them {join_words(parts)}."


def how_prepared(findings: Findings) -> str:
    """How the evidence was gathered and counted, and how partners are named."""
    organisations = findings.organisations
    questions = len(findings.evidence.questions)
    named = findings.named
    if organisations == 0:
        return (
            f"Partners are asked to answer the consultation's {count_of(questions, 'question')} "
            "in writing; this response will report what they say."
        )
    policy = findings.policy
    # "described by their sector" only where one is: a sector fewer than three partners share
    # is not shown (a reader found no partner described by its sector after that sentence).
    by_sector = any(not policy.named(o) and policy.label(o) != "a partner" for o in policy.partners)
    others = "the others are not named, as they asked" + (
        ", and some are described by their sector" if by_sector else ""
    )
    if named == organisations:
        naming = "Every partner agreed to be named."
    elif named == 0:
        naming = "No partner asked to be named, so " + (
            "partners are described by their sector or not at all."
            if by_sector
            else "no partner is named."
        )
    elif named > 20:
        naming = (
            f"Of the {number(organisations)} partners, {number(named)} agreed to be named; "
            f"{others}."
        )
    else:
        naming = (
            f"{capitalise(number(named))} of the {number(organisations)} partners agreed to be "
            f"named; {others}."
        )
    return (
        f"Partners answered the consultation's {count_of(questions, 'question')} in writing. "
        "Where this response says how many partners made a point, each organisation counts "
        f"once, however many people from it wrote. {naming}"
    )


# --- recommendations ----------------------------------------------------------------------


def recommendation_text(findings: Findings, found: ClaimFinding) -> str | None:
    """Say a partners' ask as the partnership's recommendation, or None if it cannot be."""
    for said in found.asks:
        if is_formula(said.text):
            continue
        text = findings.policy.scrub(strip_link(said.text), said.organisation)
        if not _FIRST_PERSON.search(text) and _ASKS_OF.search(text):
            return full_stop(capitalise(text))
        if (ours := as_partnership(text)) is not None:
            return ours
    return None


def contradicts(
    findings: Findings, question: QuestionFindings, found: ClaimFinding, text: str
) -> bool:
    """Say whether a recommendation asks for what the partnership's position does not support.

    It does where it restates the proposition of any question more partners disagreed with
    than agreed ("Victims ... must be able to settle in their own right" where more disagreed),
    or, where the partnership opposes the proposal it answers, it asks to keep the proposal or
    most of the partners asking took the proposal's side.
    """
    words = key_words(_ASKING.sub("", text), leave_out=frozenset())
    for other in findings.questions:
        if not other.proposition or side(other) not in ("oppose", "leans oppose"):
            continue  # partners who were divided did not reject it
        said = key_words(other.proposition, leave_out=frozenset())
        if len(said) >= 2 and len(said & words) >= RESTATES * len(said):
            return True
    if side(question) not in ("oppose", "leans oppose"):
        return False
    if _KEEPS.match(text):
        return True
    sides = [position_key(findings.answer(s.answer_id).position) for s in found.claim.said if s.ask]
    return sum(p in AGREEING for p in sides) * 2 > len(sides)  # most of them took its side


def _asking(found: ClaimFinding) -> tuple[Said, ...]:
    """Return the sentences that make a claim an ask, one a partner: all of an ask's (its
    partners asked for it, whichever sentence told it), a point's that ask for something."""
    if found.claim.kind == "ask":
        return found.claim.said
    return tuple(s for s in found.claim.said if s.ask)


def _asked_by(findings: Findings, asked: list[tuple[QuestionFindings, ClaimFinding]]) -> Block:
    """Say who asked, each organisation once however many questions it asked in: "Six of the
    seven partners who answered Question 4 asked for this."; "Of the 200 partners who answered
    Questions 3, 5 and 9, 41 asked for this."."""
    said = {s.organisation: s for _, found in asked for s in _asking(found)}
    questions = [question for question, _ in asked]
    ids = {question.question.id for question in questions}
    total = len({a.organisation for a in findings.evidence.answers if a.question_id in ids})
    where = questions_named([q for q in findings.questions if q in questions])
    n = len(said)
    text = f"{opening_some_of(n, total, where)} asked for this."
    behind = sorted(s.answer_id for s in said.values())
    return Block(kind="point", text=text, answer_ids=behind, partners=n)


def position_asks(findings: Findings) -> list[Block]:
    """The partnership's asks from its positions: where most partners who took a side on a
    question's proposal disagreed with it, not to go ahead with it, with the count behind it
    ("Six of the eight partners who answered Question 2 disagreed with it.")."""
    department = _bare(findings.evidence.department or "department")
    blocks = []
    for question in findings.questions:
        if side(question) != "oppose" or not question.proposition:
            continue
        if _of_department(question.proposition, department):
            continue  # "not to go ahead with the proposal that the Home Office should fund ..."
        against = [c for c in question.positions if position_key(c.position) in DISAGREEING]
        n = sum(c.partners for c in against)
        who = opening_some_of(n, question.partners, question_name(question))
        text = (
            f"The partnership asks the {department} not to go ahead with the proposal that "
            f"{question.proposition}. {who} disagreed with it."
        )
        ids = sorted(i for c in against for i in c.answer_ids)
        blocks.append(Block(kind="point", text=text, answer_ids=ids, partners=n))
    return blocks


def _of_department(proposition: str, department: str) -> bool:
    """Say whether the proposition is the department's own act ("the Home Office should publish
    an impact assessment"): partners who disagreed did not ask it not to, they declined to ask."""
    return proposition.lower().startswith((f"the {department.lower()} ", "the department ", "it "))


def recommendations(findings: Findings) -> Section:
    """The partnership's asks: first not to go ahead with the proposals most partners
    disagreed with, then those proposed from what partners asked for most, each with its
    weight and the same ask made in answer to several questions once."""
    department = findings.evidence.department or "the department"
    # any point partners asked something of: in a large consultation an ask ("victims must be
    # able to apply ...") is often part of a wider point
    asks = [
        (question, found)
        for question in findings.questions
        for found in question.claims
        if any(s.ask for s in found.claim.said)
    ]
    asks.sort(key=lambda item: (-len(_asking(item[1])), findings.questions.index(item[0])))
    written: list[tuple[str, list[tuple[QuestionFindings, ClaimFinding]]]] = []
    seen: dict[frozenset[str], int] = {}
    for question, found in asks:
        if sum(s.ask for s in found.claim.said) < MIN_ASKING:
            continue  # one partner's ask is its own point, not the partnership's
        text = recommendation_text(findings, found)
        if text is None or contradicts(findings, question, found, text):
            continue
        same = key_words(_ASKING.sub("", text), leave_out=frozenset())
        if same in seen:  # the same ask in answer to another question: one recommendation
            written[seen[same]][1].append((question, found))
            continue
        if len(written) < MAX_RECOMMENDATIONS:
            seen[same] = len(written)
            written.append((text, [(question, found)]))
    blocks = []
    for text, asked in written:
        who = _asked_by(findings, asked)
        blocks.append(replace(who, text=f"{text} {who.text}"))
    blocks.sort(key=lambda block: -block.partners)  # the most widely asked first
    positions = position_asks(findings)
    intro = []
    if positions or blocks:
        drawn = join_words(
            (["the partnership's positions"] if positions else [])
            + (["what its partners asked for most often"] if blocks else [])
        )
        intro.append(
            f"The partnership asks the {_bare(department)} to act on these recommendations, "
            f"drawn from {drawn}."
        )
    if asks and not blocks:
        intro.append(
            "Partners' requests are reported under each question; none was made by enough "
            "partners, in line with the partnership's positions, to be a recommendation of "
            "the whole partnership."
        )
    elif not asks:
        intro.append("Partners made no specific requests in their answers.")
    return Section(
        key="recommendations",
        heading="Recommendations",
        blocks=[Block(kind="paragraph", text=" ".join(intro)), *positions, *blocks],
    )


__all__ = [
    "about",
    "contradicts",
    "contributors",
    "cover",
    "how_prepared",
    "key_messages",
    "opening_count",
    "position_asks",
    "recommendations",
    "write",
]
