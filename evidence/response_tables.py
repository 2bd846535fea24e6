"""Read a "Question | Response" table: a response form in a Word letter, or a partner's own sheet.

A table is a response form when a header row names a question (or number) column and a response
column ("No. | Question | Response", "Question | Agree/Disagree | Comments", the Home Office's list
of questions with "Our response" added), or, with no header, when most rows start with a question
number or repeat a question's wording. Each row is then matched by its number column, by its
question column's wording, or both (and the reader says when they disagree); the answer is the
response column(s), the position comes from a position column where there is one. Any other
table is not a response form: ``read_table`` returns None and the caller keeps its rows as text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from evidence.likeness import WordingIndex
from evidence.markers import find_bare, find_explicit, question_number
from evidence.positions import QuestionLike

HEADER_ROWS = 10  # a header row is looked for in this many rows at the top
ROW_MATCH = 0.6  # a question cell this alike to a question's wording names it

_NUMBER_HEADERS = {
    "no",
    "number",
    "num",
    "q",
    "q no",
    "qno",
    "ref",
    "reference",
    "question no",
    "question number",
    "question ref",
    "#",
    "item",
}
_QUESTION_HEADERS = {
    "question",
    "questions",
    "question text",
    "question wording",
    "consultation question",
    "consultation questions",
    "the question",
    "text",
    "proposal",
}
_POSITION_HEADERS = {
    "position",
    "your position",
    "our position",
    "agree disagree",
    "agree or disagree",
    "yes no",
    "yes or no",
    "yes no don t know",
    "agree disagree neither",
    "do you agree",
    "tick one",
    "view",
}
_RESPONSE_WORDS = ("response", "answer", "comment", "view", "reply", "feedback")
_EVIDENCE_HEADERS = {"evidence", "supporting evidence", "evidence note", "source", "sources"}


def header_name(value: object) -> str:
    """Return a header as compared, in lower-case words ("Agree/Disagree" -> "agree disagree")."""
    return re.sub(r"[^a-z0-9#]+", " ", str(value).lower()).strip()


def _column_kind(name: str) -> str | None:
    if not name:
        return None
    if name in _NUMBER_HEADERS:
        return "number"
    if name in _QUESTION_HEADERS:
        return "question"
    if name in _POSITION_HEADERS or name.startswith(("agree", "yes no")):
        return "position"
    if name in _EVIDENCE_HEADERS or name.startswith("evidence"):
        return "evidence"
    if any(word in name for word in _RESPONSE_WORDS):
        return "response"
    return None


@dataclass(frozen=True)
class Columns:
    """Where each kind of column is, by index; the header row's place (or None)."""

    header: int | None
    number: int | None
    question: int | None
    responses: tuple[int, ...]
    position: int | None
    evidence: int | None
    names: tuple[str, ...] = ()  # the header's cells as written


@dataclass(frozen=True)
class TableRow:
    """One row of a response form, read."""

    kind: str  # "header", "row" (answers a question, or says which), "text" (a title, empty)
    numbers: tuple[str, ...] = ()  # from the number column or a marker in the question column
    found: str = ""  # what named the question, as written
    question: int | None = None  # the question whose wording the question column repeats
    score: float = 0.0  # how closely
    answer: tuple[str, ...] = ()  # the response cells, each tidied
    position: str = ""  # the position column, as written
    evidence: str = ""


@dataclass(frozen=True)
class ReadTable:
    """A response form: its columns and its rows, one ``TableRow`` per row given."""

    columns: Columns
    rows: tuple[TableRow, ...]


def _cell(cells: Sequence[object], index: int | None) -> str:
    if index is None or index >= len(cells) or cells[index] is None:
        return ""
    value = cells[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def find_header(rows: Sequence[Sequence[object]]) -> Columns | None:
    """Find a header row naming a question or number column and a response column."""
    for place, cells in enumerate(rows[:HEADER_ROWS]):
        names = [header_name(cell) if cell is not None else "" for cell in cells]
        kinds = [_column_kind(name) for name in names]
        filled = [name for name in names if name]
        if not filled or any(kind is None for name, kind in zip(names, kinds, strict=True) if name):
            continue
        responses = tuple(i for i, kind in enumerate(kinds) if kind == "response")
        number = next((i for i, kind in enumerate(kinds) if kind == "number"), None)
        question = next((i for i, kind in enumerate(kinds) if kind == "question"), None)
        position = next((i for i, kind in enumerate(kinds) if kind == "position"), None)
        if (question is None and number is None) or not (responses or position is not None):
            continue
        evidence = next((i for i, kind in enumerate(kinds) if kind == "evidence"), None)
        written = tuple("" if cell is None else " ".join(str(cell).split()) for cell in cells)
        return Columns(place, number, question, responses, position, evidence, written)
    return None


def _number_in(text: str) -> tuple[tuple[str, ...], str]:
    """Read a question number from a number cell: "3", "Q3", "Question 3", "3a", "3."."""
    tidy = " ".join(text.split())
    if not tidy:
        return (), ""
    if re.fullmatch(r"\d{1,3}(?:\.0)?", tidy):
        return (question_number(int(float(tidy))),), tidy
    if re.fullmatch(r"\d{1,3}(?:\s*(?:,|&|\+|/|and|to|-|–)\s*\d{1,3})+", tidy, re.IGNORECASE):
        # "3 and 4", "3, 4", "3-5": one answer for several questions, as "Questions 3 and 4".
        joint = find_explicit(f"Questions {tidy}")
        if joint is not None and not joint.rest:
            return joint.numbers, tidy
    chapter = re.fullmatch(r"(?:q\s*)?(\d{1,3})\.(\d{1,2})", tidy, re.IGNORECASE)
    if chapter:  # "2.1", "Q2.1": a question numbered within its chapter
        return (question_number(int(chapter[1]), f".{int(chapter[2])}"),), tidy
    marker = find_explicit(tidy) or find_bare(tidy if tidy.endswith((".", ")")) else f"{tidy}.")
    if marker is not None and not marker.rest:
        return marker.numbers, marker.found or tidy
    return (), ""


def _read_row(cells: Sequence[object], columns: Columns, wording: WordingIndex) -> TableRow:
    numbers, found = _number_in(_cell(cells, columns.number))
    question_text = _cell(cells, columns.question)
    if not numbers and question_text:
        marker = find_explicit(question_text)
        if marker is not None:
            numbers, found = marker.numbers, marker.found
            question_text = marker.rest
        else:
            # A "Question" column that holds only the number: "1" | "Yes".
            numbers, found = _number_in(question_text)
            question_text = "" if numbers else question_text
    question, score = (
        wording.repeated(question_text, needed=ROW_MATCH) if question_text else (None, 0.0)
    )
    answer = tuple(text for text in (_cell(cells, i) for i in columns.responses) if text)
    position = _cell(cells, columns.position)
    evidence = _cell(cells, columns.evidence)
    if not (answer or position or evidence):
        # Nothing answered: a question left blank, or a title row across the table.
        title = () if numbers or question is not None else tuple(t for t in (question_text,) if t)
        return TableRow("text", answer=title)
    if (not numbers and question is None) or not found:
        found = " ".join(question_text.split())[:120]
    return TableRow("row", numbers, found, question, score, answer, position, evidence)


def _filled(cells: Sequence[object]) -> int:
    return sum(1 for cell in cells if cell is not None and str(cell).strip())


def _guess_columns(rows: Sequence[Sequence[object]], wording: WordingIndex) -> Columns | None:
    """With no header: a first column of numbers or a column repeating questions' wording."""
    wide = [cells for cells in rows if _filled(cells) > 1]
    if not wide:
        return None
    numbered = sum(1 for cells in wide if _number_in(_cell(cells, 0))[0])
    if 2 * numbered >= len(wide):
        width = max(len(cells) for cells in wide)
        question = 1 if width > 2 and _mostly_questions(wide, 1, wording) else None
        first_answer = 2 if question is not None else 1
        return Columns(None, 0, question, tuple(range(first_answer, width)), None, None)
    if _mostly_questions(wide, 0, wording):
        width = max(len(cells) for cells in wide)
        return Columns(None, None, 0, tuple(range(1, width)), None, None)
    return None


def _mostly_questions(rows: Sequence[Sequence[object]], column: int, wording: WordingIndex) -> bool:
    named = 0
    for cells in rows:
        text = _cell(cells, column)
        marker = find_explicit(text)
        if marker is not None or wording.repeated(text, needed=ROW_MATCH)[0] is not None:
            named += 1
    return 2 * named >= len(rows) and named > 0


def read_table(
    rows: Sequence[Sequence[object]], questions: Sequence[QuestionLike]
) -> ReadTable | None:
    """Read a table as a response form; None when it is not one."""
    wording = WordingIndex([q.text for q in questions])
    columns = find_header(rows) or _guess_columns(rows, wording)
    if columns is None:
        return None
    read = []
    for place, cells in enumerate(rows):
        if columns.header is not None and place < columns.header:
            # A title above the header ("Response to: ..."): text, shown with no question.
            title = " | ".join(_cell(cells, i) for i in range(len(cells)) if _cell(cells, i))
            read.append(TableRow("text", answer=(title,) if title else ()))
        elif place == columns.header:
            read.append(TableRow("header"))
        else:
            read.append(_read_row(cells, columns, wording))
    return ReadTable(columns, tuple(read))
