"""The Word route: split a partner's emailed .docx response into answers for the officer to check.

``propose_mapping`` reads the document in order (paragraphs and table rows, the same reader the
question import uses) and starts a new part at each marker it finds:

- "Question 3", "Q3.", "Q3:", "Response to Question 3" at the start of a paragraph or heading;
- a table row whose first cell is "3", "Q3" or "Question 3" (the other cells are the answer);
- a heading (or a paragraph, or a table row's first cell) that repeats most of a question's
  wording, compared word by word with difflib;
- "3." / "3)" at the start of a paragraph, but only when the document has none of the markers
  above, and only in increasing order, since numbered lists inside answers look the same.

A heading that matches no question ("Annex A", "About us") and a sign-off ("Yours sincerely")
start a part that belongs to no question, so that text does not run into the last answer.

A position is recognised at the start of an answer, where partners write it: "We disagree.",
"Disagree", "Yes, ...", "No.", "We strongly agree", "Not sure". It is mapped to the question's own
option labels (yes <-> agree, no <-> disagree, strongly agree -> agree when there is no "strongly"
option), and only for questions that have options. A line that is only the position is left out
of the comment.

Nothing is saved here. The officer sees each part with why it was matched, corrects which part
goes to which question, and ``answers_from_mapping`` turns the corrected mapping into answers for
``evidence.submissions.import_answers``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

import docx

from consultations.documents import (
    BARE_START,
    EXPLICIT_START,
    NUMBER_LABEL,
    Block,
    docx_blocks,
    is_part_heading,
    question_number,
)
from consultations.errors import Problem, ValidationFailed
from consultations.files import (
    DOCX_ERRORS,
    FILE_TYPES,
    MEGABYTE,
    check_file,
    damaged_message,
    display_name,
)
from consultations.models import Question
from evidence.submissions import AnswerInput

MAX_DOCUMENT_BYTES = 10 * MEGABYTE
HEADING_MATCH = 0.6  # a heading this alike to a question's wording starts its answer
PARAGRAPH_MATCH = 0.85  # a plain paragraph must repeat the wording more closely
REPEAT_MATCH = 0.8  # text after a marker this alike to the question is the question, not answer


@dataclass(frozen=True)
class ProposedAnswer:
    """One part of the document and the question it seems to answer, for the officer's preview."""

    index: int
    question_id: int | None
    number: str  # the question's number, or the number found when it matches no question
    marker: str  # the marker or heading as found ("Question 3", "Q3.", a heading's text)
    position: str  # the question's option recognised in the text, or ""
    stance: str  # what the text says ("disagree", "yes", ...), kept to map it to another question
    position_line: str  # a line that only gave the position, left out of ``text``
    text: str
    confidence: str  # "high", "medium", "low" or "none" (matched to no question)
    why: str
    source: str  # "paragraph 12", "table 1, row 3"


@dataclass
class _Part:
    question: Question | None
    number: str
    marker: str
    confidence: str
    why: str
    source: str
    lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Marker:
    question: Question | None
    number: str
    found: str
    rest: tuple[str, ...]
    style: str  # "explicit", "table", "heading", "bare", "boundary"
    confidence: str
    why: str


def propose_mapping(
    data: bytes,
    questions: Sequence[Question],
    *,
    filename: str,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> list[ProposedAnswer]:
    """Split a Word response into parts, each with the question it seems to answer."""
    name = display_name(filename)
    subject = f"The file '{name}'"
    check_file(name, data, accepted=(".docx",), max_bytes=max_bytes, subject=subject)
    try:
        document = docx.Document(io.BytesIO(data))
    except DOCX_ERRORS as exc:
        raise ValidationFailed([damaged_message(FILE_TYPES["docx"])], subject=subject) from exc
    units = list(docx_blocks(document))
    finder = _MarkerFinder(questions)
    markers = finder.choose([finder.find(unit) for unit in units])
    parts = _split(units, markers)
    proposals = [_proposal(index, part) for index, part in enumerate(parts)]
    if not any(p.text or p.question_id for p in proposals):
        raise ValidationFailed(
            ["it has no text to import; check you chose the partner's response"], subject=subject
        )
    return proposals


# --- Finding markers -----------------------------------------------------------------------------

_RESPONSE_TO = re.compile(r"^(?:our\s+)?(?:response|answer|reply)\s+to\s+(?=q)", re.IGNORECASE)
_SIGN_OFF = re.compile(
    r"^(?:yours\s+(?:sincerely|faithfully)|kind\s+regards|best\s+wishes|with\s+best\s+regards"
    r"|many\s+thanks|regards)\b",
    re.IGNORECASE,
)
_HEADER_WORDS = {
    "no",
    "number",
    "q",
    "ref",
    "question",
    "questions",
    "question number",
    "response",
    "your response",
    "answer",
    "your answer",
    "comments",
    "your comments",
    "position",
    "your position",
    "evidence",
}
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


# Words that carry no meaning of their own, left out when comparing a line with a question.
_LITTLE = (
    "a an and are as at be by can could do does for from how in is it of on or our should "
    "that the this to we what which will with would you your"
)
_LITTLE_WORDS = frozenset(_LITTLE.split())


def _words(text: str) -> list[str]:
    """Return the meaningful words, roughly stemmed ("joining" and "join" compare equal)."""
    words = _WORD.findall(text.casefold().replace("’", "'"))
    return [_stem(word) for word in words if word not in _LITTLE_WORDS]


def _stem(word: str) -> str:
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def _tidy(text: str) -> str:
    return " ".join(text.split())


def likeness(text: str, question_text: str) -> float:
    """Say how far a line repeats a question's wording, 0 to 1, comparing words.

    Either the two read alike as a whole (difflib's ratio), or the line is made almost only of
    the question's words and holds most of them (a heading that shortens or extends it).
    """
    line, wording = _words(text), _words(question_text)
    if not line or not wording:
        return 0.0
    matcher = SequenceMatcher(None, line, wording, autojunk=False)
    # A cheap upper bound first: most lines of an answer are nothing like any question.
    bound = matcher.quick_ratio()
    common = bound * (len(line) + len(wording)) / 2
    if bound < HEADING_MATCH and (common < 0.9 * len(line) or common < 0.5 * len(wording)):
        return bound
    shared = sum(block.size for block in matcher.get_matching_blocks())
    covered, share = shared / len(line), shared / len(wording)
    contained = (covered + share) / 2 if covered >= 0.9 and share >= 0.5 else 0.0
    return max(matcher.ratio(), contained)


@dataclass
class _MarkerFinder:
    questions: Sequence[Question]

    def __post_init__(self) -> None:
        # Numbers are saved normalised ("Q3", "Q3a"), as question_number gives them.
        self.by_number = {q.number: q for q in self.questions}

    def find(self, unit: Block) -> _Marker | None:
        cells = unit.filled_cells()
        if not cells:
            return None
        if unit.in_table:
            return self.table_marker(cells)
        line = cells[0][0]
        explicit = EXPLICIT_START.match(_RESPONSE_TO.sub("", line))
        if explicit:
            return self.numbered(question_number(explicit), line, explicit["text"], "explicit")
        if _SIGN_OFF.match(line) or is_part_heading(line):
            why = f"'{_tidy(line)[:120]}' ends the answers before it"
            return _Marker(None, "", _tidy(line)[:120], (line,), "boundary", "none", why)
        if unit.heading:
            return self.heading_marker(line, heading=True)
        alike = self.heading_marker(line, heading=False)
        if alike is not None:
            return alike
        bare = BARE_START.match(line)
        if bare:
            return self.numbered(question_number(bare), line, bare["text"], "bare")
        return None

    def numbered(self, number: str, line: str, rest: str, style: str) -> _Marker:
        found = _tidy(line[: len(line) - len(rest)]).rstrip(" :.-–—)") if rest else _tidy(line)
        question = self.by_number.get(number)
        if question is None:
            why = f"'{found}' is not a question of this consultation"
            return _Marker(None, number, found, (rest,), style, "none", why)
        rest = _without_question_text(rest, question)
        if style == "bare":
            why = (
                f"starts with '{found}'; a plain number can also begin a list inside an answer, "
                "so check where this part ends"
            )
            return _Marker(question, question.number, found, (rest,), style, "medium", why)
        return _Marker(
            question, question.number, found, (rest,), style, "high", f"marked '{found}'"
        )

    def best_match(self, text: str) -> tuple[Question | None, float, float]:
        """Return the question whose wording the text repeats best, its score, and the next."""
        scores = sorted(
            ((likeness(text, q.text), index) for index, q in enumerate(self.questions)),
            reverse=True,
        )
        if not scores:
            return None, 0.0, 0.0
        second = scores[1][0] if len(scores) > 1 else 0.0
        return self.questions[scores[0][1]], scores[0][0], second

    def heading_marker(self, line: str, *, heading: bool) -> _Marker | None:
        question, score, second = self.best_match(line)
        needed = HEADING_MATCH if heading else PARAGRAPH_MATCH
        found = _tidy(line)[:120]
        if question is not None and score >= needed and score > second:
            confidence = "high" if score >= PARAGRAPH_MATCH and score - second >= 0.1 else "medium"
            what = "heading" if heading else "paragraph"
            why = f"the {what} repeats the wording of {question.number} ({score:.0%} alike)"
            return _Marker(question, question.number, found, (), "heading", confidence, why)
        if heading:
            # Kept as the part's first line: it may be a sub-heading the officer gives back to
            # the answer above.
            why = f"'{found}' is a heading that matches no question"
            return _Marker(None, "", found, (_tidy(line),), "boundary", "none", why)
        return None

    def table_marker(self, cells: list[tuple[str, ...]]) -> _Marker | None:
        first = _tidy(" ".join(cells[0]))
        names = {re.sub(r"[^a-z0-9]+", " ", _tidy(" ".join(c)).lower()).strip() for c in cells}
        if names <= _HEADER_WORDS:
            return _Marker(None, "", first, (), "skip", "none", "a table's header row")
        rest_cells = ["\n".join(cell) for cell in cells[1:]]
        label = NUMBER_LABEL.match(first)
        if label:
            marker = self.numbered(question_number(label), first, "", "table")
            why = f"the table row starts with '{first}'" if marker.question else marker.why
            rest = _answer_cells(rest_cells, marker.question)
            return replace(marker, found=first, rest=rest, why=why)
        explicit = EXPLICIT_START.match(cells[0][0])
        if explicit:
            marker = self.numbered(
                question_number(explicit), cells[0][0], explicit["text"], "explicit"
            )
            rest = (*marker.rest, *cells[0][1:], *rest_cells)
            return replace(marker, rest=_answer_cells(list(rest), marker.question))
        question, score, second = self.best_match(first)
        if question is not None and score >= REPEAT_MATCH and score > second and rest_cells:
            why = f"the table row's first cell repeats the wording of {question.number}"
            rest = _answer_cells(rest_cells, question)
            return _Marker(question, question.number, first[:120], rest, "table", "high", why)
        return None

    def choose(self, markers: list[_Marker | None]) -> list[_Marker | None]:
        """Use bare numbers only when nothing clearer marks the answers, and only in order."""
        clear = any(m and m.style in ("explicit", "table") and m.question for m in markers)
        chosen: list[_Marker | None] = []
        last = -1
        order = {q.id: index for index, q in enumerate(self.questions)}
        for marker in markers:
            if marker is not None and marker.style == "bare":
                place = order.get(marker.question.id, -1) if marker.question else -1
                if clear or place <= last:
                    marker = None
                else:
                    last = place
            chosen.append(marker)
        return chosen


def _without_question_text(rest: str, question: Question) -> str:
    """Drop the question's wording when the partner repeated it after the number."""
    text = rest.strip()
    if not text or likeness(text, question.text) >= REPEAT_MATCH:
        return ""
    mark = text.find("?")
    if mark > 0 and likeness(text[: mark + 1], question.text) >= REPEAT_MATCH:
        return text[mark + 1 :].strip()
    return text


def _answer_cells(cells: list[str], question: Question | None) -> tuple[str, ...]:
    """Keep a table row's answer cells: not the cell that repeats the question."""
    if question is None:
        return tuple(cell for cell in cells if cell)
    return tuple(cell for cell in cells if cell and likeness(cell, question.text) < REPEAT_MATCH)


# --- Splitting into parts --------------------------------------------------------------------


def _split(units: list[Block], markers: list[_Marker | None]) -> list[_Part]:
    parts: list[_Part] = []
    current: _Part | None = None
    for unit, marker in zip(units, markers, strict=True):
        if marker is not None and marker.style == "skip":
            continue
        if marker is not None and not _repeats_current(marker, current):
            current = _Part(
                marker.question,
                marker.number,
                marker.found,
                marker.confidence,
                marker.why,
                unit.source,
            )
            parts.append(current)
            current.lines.extend(line for line in marker.rest if line.strip())
            continue
        if marker is not None:
            continue  # the question's wording again, under its own marker: not answer text
        lines = _unit_lines(unit)
        if not lines:
            continue
        if current is None:
            why = "text before the first question; it is imported only if you assign it"
            current = _Part(None, "", "", "none", why, unit.source)
            parts.append(current)
        current.lines.extend(lines)
    return parts


def _repeats_current(marker: _Marker, current: _Part | None) -> bool:
    return (
        marker.style == "heading"
        and current is not None
        and current.question is not None
        and marker.question is current.question
        and not current.lines
    )


def _unit_lines(unit: Block) -> list[str]:
    cells = unit.filled_cells()
    if unit.in_table:
        return [_tidy("\n".join(cell)) for cell in cells]
    return [line.strip() for cell in cells for line in cell if line.strip()]


def _proposal(index: int, part: _Part) -> ProposedAnswer:
    lines = list(part.lines)
    head, _, tail = lines[0].partition("\n") if lines else ("", "", "")
    stance, phrase, alone = recognise_stance(head)
    position = option_for(stance, part.question)
    position_line = ""
    if alone and position:
        # A line that only gives the position ("Disagree.") is not part of the comment.
        position_line = head.strip()
        lines[0] = tail.strip()
    why = part.why
    if stance and position:
        why += f"; position '{position}' from '{phrase}'"
    elif stance and part.question is not None:
        why += f"; it says '{phrase}', which matches none of the question's options"
    return ProposedAnswer(
        index=index,
        question_id=part.question.id if part.question else None,
        number=part.number,
        marker=part.marker,
        position=position,
        stance=stance,
        position_line=position_line,
        text="\n\n".join(line for line in lines if line).strip(),
        confidence=part.confidence,
        why=why,
        source=part.source,
    )


# --- Positions ---------------------------------------------------------------------------------

_SUBJECT = r"(?:(?:we|i|(?:the|our|this)\s+[a-z]+(?:\s+[a-z]+)?)\s+)?"
_AUX = r"(?:(?:would|do|does|very\s+much|fully|entirely|completely|wholly)\s+)*"
_WHO = _SUBJECT + _AUX
_END = r"(?![\w'’-])"
_STANCES = (
    (rf"{_WHO}neither\s+agree\s+nor\s+disagree{_END}", "neither"),
    (rf"{_WHO}strongly\s+disagree{_END}", "strongly disagree"),
    (rf"{_WHO}strongly\s+agree[sd]?{_END}", "strongly agree"),
    (rf"{_WHO}(?:do\s+not|don['’]t|cannot|can['’]t|does\s+not)\s+agree{_END}", "disagree"),
    (rf"{_WHO}(?:tend\s+to|somewhat|broadly|mostly|largely)\s+disagree{_END}", "tend to disagree"),
    (rf"{_WHO}(?:tend\s+to|somewhat|broadly|mostly|largely)\s+agree{_END}", "tend to agree"),
    (rf"{_WHO}(?:partly|partially|in\s+part)\s+(?:dis)?agree{_END}", "partly"),
    (rf"{_WHO}disagree[sd]?{_END}", "disagree"),
    (rf"{_WHO}agree[sd]?{_END}", "agree"),
    (
        r"(?:(?:we|i)\s+(?:are\s+|am\s+)?)?(?:(?:do\s+not|don['’]t)\s+know|not\s+sure|unsure"
        rf"|undecided){_END}",
        "don't know",
    ),
    (rf"(?:neutral|no\s+(?:view|opinion)){_END}", "neither"),
    (r"yes(?=\s*(?:[.,;:!)\-–—]|$|we\b|i\b|but\b|because\b|in\b|with\b))", "yes"),
    (r"no(?=\s*(?:[.,;:!)\-–—]|$|we\b|i\b|but\b|because\b))", "no"),
)
_STANCE_PATTERNS = tuple((re.compile(pattern, re.IGNORECASE), key) for pattern, key in _STANCES)
_POSITION_PREFIX = re.compile(
    r"^(?:(?:our|your|the)\s+)?(?:position|answer|response|view|stance)\s*[:\-–—]\s*",
    re.IGNORECASE,
)
# When a question has no option for what was written, the nearest that means the same.
_NEAREST = {
    "strongly agree": ("agree", "yes", "tend to agree"),
    "tend to agree": ("agree", "yes"),
    "agree": ("yes", "tend to agree"),
    "yes": ("agree",),
    "strongly disagree": ("disagree", "no", "tend to disagree"),
    "tend to disagree": ("disagree", "no"),
    "disagree": ("no", "tend to disagree"),
    "no": ("disagree",),
}


def recognise_stance(line: str) -> tuple[str, str, bool]:
    """Find a position at the start of an answer: (stance, the words, whether that is all).

    The stance is one of "agree", "disagree", "strongly agree", "strongly disagree",
    "tend to agree", "tend to disagree", "partly", "neither", "don't know", "yes", "no";
    ("", "", False) when the answer does not start with one.
    """
    text = _POSITION_PREFIX.sub("", line.strip())
    for pattern, stance in _STANCE_PATTERNS:
        match = pattern.match(text)
        if match:
            remainder = text[match.end() :].strip(" .!,;:-–—")
            return (
                stance,
                line.strip()[: len(line.strip()) - len(text) + match.end()],
                not remainder,
            )
    return "", "", False


def option_for(stance: str, question: Question | None) -> str:
    """Return the question's option that says the stance, or "" when none does."""
    if not stance or question is None or question.kind == "open" or not question.options:
        return ""
    labelled = {}
    for option in question.options:
        key, _, alone = recognise_stance(option)
        if key and alone:
            labelled.setdefault(key, option)
    for candidate in (stance, *_NEAREST.get(stance, ())):
        if candidate in labelled:
            return labelled[candidate]
    return ""


# --- From the officer's corrected mapping to answers -------------------------------------------


def answers_from_mapping(
    mapping: Sequence[ProposedAnswer],
    corrections: Mapping[int, int | None],
    *,
    questions: Sequence[Question],
) -> list[AnswerInput]:
    """Apply the officer's corrections (part index -> question id, or None to leave it out).

    Parts given to the same question are joined in document order. A part moved to another
    question has its position read again against that question's options.
    """
    by_id = {q.id: q for q in questions}
    gathered: dict[int, list[ProposedAnswer]] = {}
    problems: list[Problem] = []
    known = {part.index for part in mapping}
    for index in corrections:
        if index not in known:
            problems.append(Problem(f"part {index + 1} is not in the document; reload the preview"))
    for part in mapping:
        question_id = corrections.get(part.index, part.question_id)
        if question_id is None:
            continue
        if question_id not in by_id:
            problems.append(
                Problem(
                    f"part {part.index + 1} is given to a question that is not part of this "
                    "consultation; choose one of its questions"
                )
            )
            continue
        gathered.setdefault(question_id, []).append(part)
    answers = []
    for question in questions:
        parts = gathered.get(question.id)
        if not parts:
            continue
        answer, problem = _joined(question, parts)
        if problem:
            problems.append(problem)
        answers.append(answer)
    if problems:
        raise ValidationFailed(problems, subject="The mapping")
    return [answer for answer in answers if not answer.is_empty()]


def _joined(question: Question, parts: list[ProposedAnswer]) -> tuple[AnswerInput, Problem | None]:
    positions: dict[str, int] = {}
    texts = []
    for part in parts:
        position = option_for(part.stance, question)
        if position:
            positions.setdefault(position, part.index + 1)
        elif part.position_line:
            # The position does not fit this question: keep the words in the comment instead.
            texts.append(part.position_line)
        texts.append(part.text)
    problem = None
    if len(positions) > 1:
        listed = " and ".join(f"'{p}' (part {n})" for p, n in positions.items())
        problem = Problem(
            f"{question.number} would get two positions, {listed}; give one of those parts to no "
            "question, or to another question"
        )
    text = "\n\n".join(text for text in texts if text)
    return AnswerInput(question.id, next(iter(positions), ""), text), problem
