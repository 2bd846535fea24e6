"""Find the questions in a spreadsheet (.xlsx or .csv): one question per row under a header.

The first sheet with a header row (in its first 10 rows) naming a question-text column is read.
Optional columns: number, kind, options (separated by ";", "|" or new lines), section (or
chapter). A row's problems (a kind that is not one, a number that is not one) are listed with
its row and column and nothing is imported until the file is right; what the import can decide
for itself is done and said: a question marked closed with no options takes the options its
words name ("(Yes / No)") or becomes open, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from consultations.documents import NUMBER_LABEL, Sheet, has_data, question_number, tidy
from consultations.errors import Problem
from consultations.question_text import (
    DEFAULT_AGREEMENT_OPTIONS,
    Notice,
    ParsedQuestion,
    asks_about_respondent,
    classify,
    clean_text,
    is_respondent_section,
    named_options,
)

HEADER_ROWS = 10
MAX_ROWS = 500  # question_import.MAX_QUESTIONS: more rows are refused before any is read
# Most specific first: in a sheet headed "Question" | "Text", "Text" holds the wording and
# "Question" the numbers.
_TEXT_HEADER_RANKS = (
    "question text",
    "question wording",
    "text",
    "wording",
    "question",
    "questions",
)
_TEXT_HEADERS = set(_TEXT_HEADER_RANKS)
_NUMBER_HEADERS = {
    "number",
    "no",
    "num",
    "ref",
    "reference",
    "q",
    "q no",
    "question number",
    "question no",
    "question ref",
    "#",
}
_KIND_HEADERS = {"kind", "type", "question type", "question kind"}
_OPTIONS_HEADERS = {"options", "choices", "answer options", "response options"}
_SECTION_HEADERS = {"section", "chapter", "part", "theme", "topic", "heading"}
_KINDS = ("open", "closed", "hybrid")


@dataclass(frozen=True)
class SheetQuestions:
    """What a spreadsheet gave: questions, problems (nothing imported), notices, set apart."""

    questions: list[ParsedQuestion]
    problems: list[Problem]
    notices: list[Notice]
    left_out: list[ParsedQuestion]


def header_name(value: object) -> str:
    """Read a header cell as a plain name: "Question No." -> "question no"."""
    return re.sub(r"[^a-z0-9#]+", " ", str(value).lower()).strip()


@dataclass(frozen=True)
class _Columns:
    """Where each known column is in the header row (0-based), and its heading as written."""

    header_row: int
    text: int
    names: tuple[str, ...]
    number: int | None = None
    kind: int | None = None
    options: int | None = None
    section: int | None = None


def _find_columns(rows: Iterable[tuple[int, tuple[object, ...]]]) -> _Columns | None:
    for row_number, cells in list(rows)[:HEADER_ROWS]:
        headers = [header_name(cell) if cell is not None else "" for cell in cells]
        ranked = sorted(
            (_TEXT_HEADER_RANKS.index(name), i)
            for i, name in enumerate(headers)
            if name in _TEXT_HEADERS
        )
        if ranked:
            return _columns_from(row_number, cells, headers, text=ranked[0][1])
    return None


def _columns_from(
    row_number: int, cells: tuple[object, ...], headers: list[str], *, text: int
) -> _Columns:
    def first(names: set[str]) -> int | None:
        return next((i for i, name in enumerate(headers) if name in names and i != text), None)

    written = tuple("" if cell is None else tidy(str(cell)) for cell in cells)
    return _Columns(
        row_number,
        text,
        written,
        first(_NUMBER_HEADERS | {"question", "questions"}),
        first(_KIND_HEADERS),
        first(_OPTIONS_HEADERS),
        first(_SECTION_HEADERS),
    )


def cell_text(cells: tuple[object, ...], index: int | None) -> str:
    """Return a cell's value as text ("" when empty); 3.0 reads as "3"."""
    if index is None or index >= len(cells) or cells[index] is None:
        return ""
    value = cells[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_TEXT_KIND = re.compile(r"\b(?:open|text|comments?|free|narrative|essay|explain)\b")
_CHOICE_KIND = re.compile(
    r"\b(?:closed|choice|choose|tick|checkbox|radio|drop\s?down|select|scale|likert|rating|yes"
    r"|agree)\b"
)
_BOTH_KIND = re.compile(r"\b(?:hybrid|mixed|both)\b")


def _kind_in_words(written: str) -> str | None:
    """Read a question's type as a policy team writes it: "Open text" is open, "Multiple
    choice" or "Yes/No" closed, "Multiple choice with comments" hybrid; None when it says none
    of these (an empty cell too)."""
    words = " ".join(re.sub(r"[^a-z]+", " ", written.lower()).split())
    if not words:
        return None
    if words in _KINDS:
        return words
    choice, text = bool(_CHOICE_KIND.search(words)), bool(_TEXT_KIND.search(words))
    if _BOTH_KIND.search(words) or (choice and text):
        return "hybrid"
    if choice:
        return "closed"
    return "open" if text else None


def _options_in_type(written: str) -> list[str]:
    """Return the options a type names ("Yes/No", "Agree / Disagree"), or none."""
    return named_options(f"? ({written.strip()})")[1] if "/" in written else []


def _split_options(value: str) -> list[str]:
    return [tidy(part) for part in re.split(r"[;|\r\n]+", value) if tidy(part)]


@dataclass
class _SheetReader:
    """Turn the rows below a header into questions, noting every problem with its place."""

    columns: _Columns
    questions: list[ParsedQuestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    left_out: list[ParsedQuestion] = field(default_factory=list)
    count: int = 0

    def column_name(self, index: int | None) -> str | None:
        if index is None or index >= len(self.columns.names):
            return None
        return self.columns.names[index] or None

    def problem(self, message: str, row: int, index: int | None) -> None:
        self.problems.append(Problem(message, row=row, column=self.column_name(index)))

    def read_row(self, row: int, cells: tuple[object, ...]) -> None:
        columns = self.columns
        text = clean_text(cell_text(cells, columns.text))
        written_number = cell_text(cells, columns.number)
        if not text:
            what = "has a number but" if written_number else "has"
            message = f"it {what} no question text; add the text or delete the row"
            self.problem(message, row, columns.text)
            return
        self.count += 1
        section = tidy(cell_text(cells, columns.section))[:200]
        if is_respondent_section(section) or asks_about_respondent(text):
            # "About you" rows, numbered "A1" or not at all: set apart, never a problem.
            number = NUMBER_LABEL.match(written_number)
            shown = question_number(number) if number else written_number
            self.left_out.append(ParsedQuestion(shown, text, "open", (), f"row {row}", section))
            return
        number = self.number_for(written_number, row)
        text, named = named_options(text)
        options = _split_options(cell_text(cells, columns.options)) or named
        kind_and_options = self.kind_for(text, cell_text(cells, columns.kind), options, row)
        if number is None or kind_and_options is None:
            return
        self.questions.append(
            ParsedQuestion(number, text, *kind_and_options, f"row {row}", section)
        )

    def number_for(self, written: str, row: int) -> str | None:
        if self.columns.number is None:
            return f"Q{self.count}"
        label = NUMBER_LABEL.match(written)
        if label:
            return question_number(label)
        message = (
            f"'{written}' is not a question number; use a number like 3, Q3 or Q3a"
            if written
            else "the question has no number; add one like 3, Q3 or Q3a"
        )
        self.problem(message, row, self.columns.number)
        return None

    def kind_for(
        self, text: str, written: str, options: list[str], row: int
    ) -> tuple[str, tuple[str, ...]] | None:
        kind = _kind_in_words(written)
        if not written.strip():
            kind, chosen, warning = classify(text, options, explain=False)
            if warning:
                self.notices.append(Notice(warning, source=f"row {row}"))
            return kind, chosen
        if kind is None:
            self.problem(f"'{written}' is not one of open, closed, hybrid", row, self.columns.kind)
            return None
        if kind != "open" and not options:
            options = _options_in_type(written)  # "Yes/No" names its options
        if kind == "open":
            if options:
                self.problem(
                    "an open question takes no options; clear the options or mark it closed or "
                    "hybrid",
                    row,
                    self.columns.kind,
                )
                return None
            return "open", ()
        return self.options_for(text, kind, options, row)

    def options_for(
        self, text: str, kind: str, options: list[str], row: int
    ) -> tuple[str, tuple[str, ...]]:
        if options:
            return kind, tuple(dict.fromkeys(options))
        if classify(text, (), explain=False)[1] == DEFAULT_AGREEMENT_OPTIONS:
            return kind, DEFAULT_AGREEMENT_OPTIONS
        self.notices.append(
            Notice(
                f"it is marked {kind} but has no options, so it was imported as an open question; "
                "add its options after importing, or list them in an 'Options' column",
                source=f"row {row}",
            )
        )
        return "open", ()


def questions_from_rows(rows: tuple[tuple[int, tuple[object, ...]], ...]) -> SheetQuestions | None:
    """Read questions below the header; None when the first rows hold no header."""
    columns = _find_columns(rows)
    if columns is None:
        return None
    reader = _SheetReader(columns)
    below = [(number, cells) for number, cells in rows if number > columns.header_row]
    filled = [(number, cells) for number, cells in below if has_data(cells)]
    if len(filled) > MAX_ROWS:
        # Said once, rather than a problem for each of thousands of rows.
        problem = Problem(
            f"it has {len(filled):,} questions and at most {MAX_ROWS} can be imported; split "
            "the questions across smaller files or consultations"
        )
        return SheetQuestions([], [problem], [], [])
    for row_number, cells in filled:
        reader.read_row(row_number, cells)
    return SheetQuestions(reader.questions, reader.problems, reader.notices, reader.left_out)


def missing_header_problem() -> Problem:
    """Say that no sheet has a header row naming a question column, and what to add."""
    return Problem(
        f"none of its first {HEADER_ROWS} rows is a header row with a 'Question', "
        "'Question text' or 'Text' column; add a header row above the questions and upload it "
        "again"
    )


def read_sheets(sheets: Iterable[Sheet]) -> SheetQuestions:
    """Use the first sheet with a header row; sheets with no data at all are passed over."""
    for sheet in sheets:
        found = questions_from_rows(sheet.rows)
        if found is not None:
            return found
    return SheetQuestions([], [missing_header_problem()], [], [])
