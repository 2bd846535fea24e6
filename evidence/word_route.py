"""The Word and PDF route: split a partner's letter into parts, each matched to a question.

``propose_parts`` reads the document's blocks in order (paragraphs, table rows, PDF lines, from
``consultations.documents``) and decides where each answer starts and which question it answers.
Every part of the document comes back as a ``ProposedAnswer`` with how sure the match is and why;
nothing is merged silently. How a part is found:

Markers (high confidence)
    "Question 3", "Q3:", "Q.6", "QUESTION THREE", "Response to Q2" at the start of a paragraph
    or heading (``evidence.markers``). Words after the marker that name the topic ("Question 3 –
    minimum income threshold") are its subtitle, not the answer's first line, so "We disagree."
    on the next line is read as the position. "Questions 3 and 4" / "Q3 & Q4" is one answer for
    both questions, proposed for both with a note; the officer decides.
Tables
    A "Question | Response" table (a response form) gives one part per row, matched by its
    number column or by its question column's wording; a position column is read as the
    position. Any other table (figures, a list of services) stays in the answer as rows
    ("2024 | 312 | 41"), never one cell per line.
The question's wording
    A heading that repeats most of a question's wording, or a paragraph that repeats nearly
    all of it (a partner pasting each question above their answer), starts that question's
    answer; the quoted wording is left out of the answer.
Numbers
    Bare numbers ("3.", "3)", Word's own list numbering) are read as question numbers only where
    the document bears it out. After explicit markers, a bare "3." that follows the answer to
    Q2 starts Q3's answer (a numbered list inside an answer starts again at 1 and is left
    alone). In a document with no markers, the numbers are compared with what each numbered
    section is about: where they agree, numbers are question numbers ("4. English at B1" is Q4);
    where they do not ("1. About us", "2. Pre-entry English"), they are the response's own
    section numbers and each section is matched by its content alone, never by its number.
Headings and content
    Any other heading starts a part of its own, matched by what its section is about
    (``evidence.likeness.content_scores``): "no marker; text similar to Q4 (0.41)". A heading
    inside a marked answer that reads like that answer stays with its question, as a part of
    its own. "About us", "Introduction", "Contents", "Annex A" and other front and back matter,
    the letterhead and introduction before the first answer, and a sign-off ("Yours
    sincerely") with what follows it are parts with no question.
Positions
    For closed and hybrid questions, the answer's opening words give the position ("We
    disagree", "No.", "Yes, provided ...", "Partly", "We support in principle"), mapped to the
    question's options (``evidence.positions``); the reason says it was read from the words. A
    line that only gives the position is left out of the comment.

Nothing is saved here: the officer checks the parts, and ``evidence.parts.answers_from_mapping``
turns the checked mapping into answers for ``evidence.submissions.import_answers``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from consultations.documents import Block, read_file
from consultations.files import MEGABYTE, refuse
from evidence.likeness import Section, best_match, content_scores, likeness
from evidence.parts import MEDIUM, ProposedAnswer, answers_from_mapping
from evidence.positions import (
    OPTION_STANCE,
    QuestionLike,
    Stance,
    named_option,
    option_for,
    read_stance,
    read_ticks,
)
from evidence.receipts import NOT_ANSWERED
from evidence.response_items import (
    ANSWER_PROMPT,
    ANSWER_STARTS,
    REPEAT_MATCH,
    SUBTITLE_WORDS,
    Questions,
    plain_paragraphs,
    read_items,
    shorten,
    typed_headings,
    word_count,
)
from evidence.response_parts import Part, gather
from evidence.response_plan import Planner

# answers_from_mapping and ProposedAnswer live in evidence.parts; they are named here too because
# the Word route is where callers have always found them.
__all__ = [
    "DOCUMENT_TYPES",
    "ProposedAnswer",
    "answers_from_mapping",
    "propose_mapping",
    "propose_parts",
]


def propose_parts(
    blocks: Sequence[Block], questions: Sequence[QuestionLike]
) -> list[ProposedAnswer]:
    """Split a document's blocks into parts, each with the question it seems to answer and why."""
    known = Questions(questions)
    items = typed_headings(read_items(blocks, known))
    if not any(item.kind in ANSWER_STARTS for item in items):
        items = plain_paragraphs(items)
    planner = Planner(known)
    parts = planner.plan(gather(items))
    parts = _fold_empty_headings(parts)
    planner.match_by_content(parts)
    kept = [part for part in parts if _kept(part)]
    return [_proposal(index, part, known) for index, part in enumerate(kept)]


def _kept(part: Part) -> bool:
    # A table row that gives only a position ("1" | "Yes") is kept: its position is an answer.
    position = part.start is not None and bool(part.start.position_cell)
    return bool(part.lines or part.questions or part.subtitle or position)


def _fold_empty_headings(parts: list[Part]) -> list[Part]:
    """A heading with nothing under it names what follows: note it there instead of a part."""
    kept: list[Part] = []
    for index, part in enumerate(parts):
        following = parts[index + 1] if index + 1 < len(parts) else None
        empty = not part.lines and part.kind in ("heading", "front", "numbered")
        if empty and following is not None and not part.questions:
            following.notes.append(f"it comes under the heading '{part.start.found}'")
            continue
        kept.append(part)
    return kept


# --- Finishing a part: subtitle, quoted wording, position ------------------------------------

_STARTS_AN_ANSWER = re.compile(r"^(?:we|i|our|it|this|there|they|these|you)\b", re.IGNORECASE)


def _is_subtitle(text: str, *, heading: bool, alone: bool) -> bool:
    """Say whether words after a marker name its topic rather than begin the answer.

    "Question 3 – minimum income threshold" has a subtitle; "Q2: No, because ..." and "Q3 Local
    services are stretched." begin their answers. ``alone``: the marker stood on its own line
    and this is the line after it.
    """
    words = text.strip()
    if not words or read_stance(words).key or _STARTS_AN_ANSWER.match(words):
        return False
    if heading and not alone:
        return True
    limit = 8 if alone else SUBTITLE_WORDS
    return word_count(words) <= limit and not words.endswith((".", "!", ";", ",", ":"))


def _only_an_option(line: str, question: QuestionLike | None) -> bool:
    """Say whether a line is one of the question's options and nothing else ("Fairly easy"
    left alone on a form whose other options were deleted): a position, not a subtitle."""
    if question is None or question.kind == "open":
        return False
    named = named_option(line, question.options)
    return bool(named) and not line.strip()[len(named) :].strip(" .!,;:-–—")


def _split_lines(lines: Sequence[str]) -> list[str]:
    return [piece.strip() for line in lines for piece in line.split("\n") if piece.strip()]


def _without_wording(lines: list[str], questions: Sequence[QuestionLike]) -> bool:
    """Drop the question's wording (and "Please explain ...") where the partner quoted it first."""
    dropped = False
    while lines:
        line = lines[0]
        if any(likeness(line, q.text) >= REPEAT_MATCH for q in questions) or ANSWER_PROMPT.match(
            line
        ):
            lines.pop(0)
            dropped = True
            continue
        mark = line.find("?")
        if mark > 0 and any(likeness(line[: mark + 1], q.text) >= REPEAT_MATCH for q in questions):
            lines[0] = line[mark + 1 :].strip()
            dropped = True
            if not lines[0]:
                lines.pop(0)
            continue
        break
    return dropped


def _subtitle_elsewhere(subtitle: str, question: int, known: Questions) -> int | None:
    """Return another question a subtitle names clearly when it says nothing of its own."""
    if not subtitle or len(known.questions) < 2:
        return None
    scores = content_scores([Section(subtitle, "")], [q.text for q in known.questions])[0]
    match = best_match(scores)
    if (
        match.index is not None
        and match.index != question
        and match.score >= 0.4
        and float(scores[question]) < 0.1
    ):
        return match.index
    return None


def _ticked(lines: list[str], question: QuestionLike | None) -> tuple[str, str]:
    """Take a form's tick boxes out of the answer's first lines: (what they said, the option
    ticked or "")."""
    options = question.options if question is not None and question.kind != "open" else ()
    for index, line in enumerate(lines[:3]):
        found, ticked, rest = read_ticks(line, options)
        if found:
            if rest:
                lines[index] = rest
            else:
                lines.pop(index)
            return line, ticked
    return "", ""


def _stance_of(
    part: Part, lines: list[str], question: QuestionLike | None, ticked: str = ""
) -> tuple[Stance, str, str, str]:
    """Return (stance, position, the line that only gave it, where it was read)."""
    start = part.start
    if start is not None and start.position_cell:
        stance = read_stance(start.position_cell)
        return stance, option_for(stance.key, question), "", "the table's position column"
    if ticked:
        return Stance(OPTION_STANCE + ticked, ticked, True), ticked, "", "the ticked box"
    if not lines:
        return read_stance(""), "", "", ""
    stance = read_stance(lines[0])
    position = option_for(stance.key, question)
    if not position and question is not None and question.kind != "open":
        named = named_option(lines[0], question.options)
        if named:
            words = lines[0].strip()[: len(named)].rstrip(" .,;:")
            alone = not lines[0].strip()[len(words) :].strip(" .!,;:-–—")
            stance, position = Stance(OPTION_STANCE + named, words, alone), named
    only = ""
    if stance.alone and position:
        only = lines.pop(0)
    return stance, position, only, f"the words '{stance.words}'"


def _proposal(index: int, part: Part, known: Questions) -> ProposedAnswer:
    start = part.start
    lines = _split_lines(part.lines)
    questions = [known.questions[i] for i in part.questions]
    subtitle = part.subtitle
    notes = list(part.notes)
    if questions and NOT_ANSWERED in lines:
        # A copy of a submission (the workbench's own receipt) says this under a question the
        # partner left unanswered: it is not an answer.
        lines = [line for line in lines if line != NOT_ANSWERED]
        notes.append(f"'{NOT_ANSWERED}' is the workbench's own words for no answer")
    # A table row's answer cells hold no quoted question: its question has a column of its own.
    reads_wording = bool(questions) and part.kind != "row"
    tick_line, ticked = _ticked(lines, questions[0] if questions else None)
    quoted = reads_wording and _without_wording(lines, questions)
    first = questions[0] if questions else None
    if start is not None and start.kind in ("explicit", "numbered", "quoted") and lines:
        rest_first = bool(start.lines) and lines[0] == _split_lines(start.lines[:1])[0]
        if (
            not subtitle
            and not _only_an_option(lines[0], first)
            # "Q2 – 14 days" with nothing under it: the words after the marker are the answer.
            and (len(lines) > 1 or (rest_first and start.heading))
            and _is_subtitle(lines[0], heading=start.heading, alone=not rest_first)
        ):
            subtitle = lines.pop(0)
    if reads_wording and _without_wording(lines, questions):
        quoted = True
    quoted = (quoted or part.quoted) and part.kind != "quoted"
    confidence, why = part.confidence, part.why
    if subtitle and questions and start is not None and start.kind == "explicit":
        other = _subtitle_elsewhere(subtitle, part.questions[0], known)
        if other is not None:
            confidence = MEDIUM
            notes.append(
                f"its subtitle '{shorten(subtitle)[:60]}' reads like "
                f"{known.questions[other].number}; check which question it answers"
            )
    if subtitle:
        notes.append(f"'{shorten(subtitle)[:60]}' after it is the subtitle, not the answer")
    if quoted:
        notes.append("the question's own wording, quoted before the answer, is left out")
    stance, position, only, where = _stance_of(part, lines, first, ticked)
    if tick_line and not ticked:
        notes.append(f"the tick boxes '{shorten(tick_line)[:60]}' show no single choice")
    if stance.key and position:
        notes.append(f"position '{position}' read from {where}")
    elif stance.key and first is not None and first.kind != "open" and first.options:
        notes.append(
            f"it says '{stance.words}', which matches none of {first.number}'s options; "
            "choose its position on the answer page"
        )
    why = "; ".join([why, *notes]) if why else "; ".join(notes)
    return ProposedAnswer(
        index=index,
        question_ids=tuple(q.id for q in questions),
        numbers=tuple(q.number for q in questions)
        or (start.numbers if start is not None and start.kind in ("explicit", "row") else ()),
        marker=start.found if start is not None else "",
        subtitle=subtitle,
        stance=stance.key,
        stance_words=stance.words,
        position=position,
        position_line=only,
        text="\n\n".join(lines).strip(),
        evidence_note=start.evidence if start is not None else "",
        confidence=confidence,
        why=why,
        source=part.source,
    )


# --- Reading a file ------------------------------------------------------------------------------

MAX_DOCUMENT_BYTES = 10 * MEGABYTE
DOCUMENT_TYPES = (".docx", ".pdf")


def propose_mapping(
    data: bytes,
    questions: Sequence[QuestionLike],
    *,
    filename: str,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> list[ProposedAnswer]:
    """Split a partner's Word or PDF response into parts matched to the questions."""
    contents = read_file(filename, data, accepted=DOCUMENT_TYPES, max_bytes=max_bytes)
    proposals = propose_parts(contents.blocks, questions)
    if not any(p.text or p.question_ids for p in proposals):
        refuse(
            f"The file '{contents.name}'",
            "it has no text to import; check you chose the partner's response",
        )
    return proposals
