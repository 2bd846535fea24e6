"""Find the numbered questions in an officer's uploaded .docx, .xlsx or .csv file.

The result is a preview: the officer confirms it before anything is saved, so the rules here
aim to be predictable rather than clever. Nothing in the file is ever executed, and a file is
judged by its content as well as by its name.

Word documents
    Paragraphs and table rows are read in document order (content controls included). A question
    starts at "Question 3: ...", "QUESTION 3" on its own line, "Q3." / "Q3:" / "Q3 " / "Q 3)",
    a table row whose first cell is "Q3", "3" or "Question 3", or "Q3a" / "Question 3(a)".
    Only when none of those appear are bare "3." / "3)" paragraphs used, taking the increasing
    runs that read like questions (so a numbered list in the guidance is left alone); and only
    when there are none of those either are Word's auto-numbered list paragraphs ending in "?"
    counted as Q1, Q2, ... A question's text runs on to the next question, and stops at a heading,
    at a part such as "About you" or "Annex A", and at an answer box or instruction ("Comments:",
    "Please explain your answer", "Yes ☐ No ☐"); see ``_classify`` for how kind and options are
    decided.

Spreadsheets
    The first sheet with a header row (in its first 10 rows) naming a question-text column.
    Optional columns: number, kind, options (separated by ";", "|" or new lines).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import openpyxl

from consultations.documents import (
    BARE_START,
    EXPLICIT_START,
    NUMBER_LABEL,
    Block,
    is_part_heading,
    number_sort_key,
    question_number,
    read_docx,
)
from consultations.errors import Problem, ValidationFailed
from consultations.files import (
    FILE_TYPES,
    XLSX_ERRORS,
    check_file,
    damaged_message,
    decode_text,
    display_name,
)

if TYPE_CHECKING:
    pass

MAX_QUESTIONS = 500
DEFAULT_AGREEMENT_OPTIONS = ("Agree", "Disagree", "Neither agree nor disagree", "Don't know")
ACCEPTED = (".docx", ".xlsx", ".csv")


@dataclass(frozen=True)
class ParsedQuestion:
    """One question found in an uploaded file, for the officer's preview."""

    number: str
    text: str
    kind: str
    options: tuple[str, ...]
    source: str


def parse_questions(
    filename: str, data: bytes, *, max_bytes: int = 10 * 1024 * 1024
) -> list[ParsedQuestion]:
    """Find the numbered questions in a .docx, .xlsx or .csv file.

    Raise ``ValidationFailed`` listing every problem found when the file cannot be used.
    """
    name = display_name(filename)
    subject = f"The file '{name}'"
    # consultations.files checks size, type, macros, passwords and zip bombs first.
    file_type = check_file(name, data, accepted=ACCEPTED, max_bytes=max_bytes, subject=subject)
    reader = {"docx": _read_docx, "xlsx": _read_xlsx, "csv": _read_csv}[file_type.key]
    questions, problems = reader(data, subject)
    if not questions and not problems:
        problems = [_no_questions_problem(file_type.key)]
    problems += _numbering_problems(questions)
    if problems:
        raise ValidationFailed(problems, subject=subject)
    return questions


# --- Text helpers shared by every reader ------------------------------------------------------


def _tidy(text: str) -> str:
    return " ".join(text.split())


# --- Deciding kind and options ------------------------------------------------------------------

_BOXES = "☐☑☒□▢◻❏❐❑❒⬜○◯"
_BOX = re.compile(f"[{_BOXES}]")
_ASCII_BOX = re.compile(r"\[\s*[xX✓✔]?\s*\]|\(\s+\)")
_OPTION_WORDS = (
    "neither agree nor disagree",
    "strongly disagree",
    "strongly agree",
    "tend to disagree",
    "tend to agree",
    "somewhat disagree",
    "somewhat agree",
    "partly agree",
    "partly disagree",
    "not applicable",
    "don't know",
    "do not know",
    "no opinion",
    "not sure",
    "disagree",
    "neutral",
    "neither",
    "unsure",
    "agree",
    "maybe",
    "n/a",
    "yes",
    "no",
)
_OPTION_WORD = "|".join(re.escape(word) for word in _OPTION_WORDS)
_OPTION_WORDS_LINE = re.compile(rf"^(?:(?:{_OPTION_WORD})(?:\s*[/|,;]\s*|\s+|$))+$", re.IGNORECASE)
_OPTION_WORD_FIND = re.compile(rf"(?<![\w'])(?:{_OPTION_WORD})(?![\w'])", re.IGNORECASE)
_ANSWER_PROMPT = re.compile(
    r"^(?:"
    r"(?:your\s+)?(?:comments?|responses?|answers?|views?|reasons?|explanation|evidence|details)"
    r"\s*(?::|$)"
    r"|please\s+(?:explain|give|provide|tell|describe|expand|outline|set\s+out|add|use|tick|"
    r"select|choose|mark|indicate|state|enter|type|write|insert|circle|answer|include|share)\b"
    r"|if\s+(?:yes|no|so|not|you)\b"
    r"|\[[^\]]*\]$"
    r"|(?:type|enter|insert|write)\s+(?:your|here)\b"
    r"|\(?(?:max(?:imum)?|up\s+to|no\s+more\s+than|limit)\b.*\bwords?\b"
    r"|(?:tick|select|choose)\s+(?:one|all|any|the)\b"
    r")",
    re.IGNORECASE,
)
_ASKS_EXPLANATION = re.compile(
    r"\b(?:explain|explanation|reasons?|comments?|elaborate|justify|why|describe|tell\s+us)\b"
    r"|\bprovide\b.*\b(?:details?|evidence|examples?|information)\b",
    re.IGNORECASE,
)
_ASKS_AGREEMENT = re.compile(
    r"\b(?:do|would|to\s+what\s+extent\s+do)\s+you\s+agree\b|\bagree\s+or\s+disagree\b",
    re.IGNORECASE,
)


def _classify(text: str, options: Iterable[str], *, explain: bool) -> tuple[str, tuple[str, ...]]:
    """Decide a question's kind and options; this is the whole rule the preview relies on.

    - Printed options (tick boxes, or a line of answer words such as "Yes / No") make it
      "closed", or "hybrid" when it also asks for comments or an explanation (``explain``, or
      words like "explain", "reasons", "comments" in the text).
    - Without printed options, wording like "Do you agree ...?" gets DEFAULT_AGREEMENT_OPTIONS
      and is "closed" or "hybrid" by the same test.
    - Anything else is "open", with no options.
    """
    printed = tuple(dict.fromkeys(options))
    explains = explain or bool(_ASKS_EXPLANATION.search(text))
    if not printed and _ASKS_AGREEMENT.search(text):
        printed = DEFAULT_AGREEMENT_OPTIONS
    if not printed:
        return "open", ()
    return ("hybrid" if explains else "closed"), printed


def _split_ticks(line: str) -> tuple[str, list[str]]:
    """Split a line into its text and the tick-box options printed after it."""
    boxed = _ASCII_BOX.sub("☐", line)
    first_box = _BOX.search(boxed)
    if first_box is None:
        words = line.strip().replace("’", "'")
        # Length cap: only a short line can be nothing but answer words.
        if len(words) <= 120 and _OPTION_WORDS_LINE.match(words):
            return "", _OPTION_WORD_FIND.findall(words)
        return line, []
    # Text before the boxes ends at its last sentence mark: "Do you agree? Yes ☐ No ☐".
    cut = max(boxed.rfind(mark, 0, first_box.start()) for mark in "?:.")
    options = [_tidy(part).strip("/,;|-–. ") for part in _BOX.split(boxed[cut + 1 :])]
    return boxed[: cut + 1], [option for option in options if option]


# --- Building one question from its lines -------------------------------------------------------


@dataclass
class _Draft:
    """A question being collected while the document is read."""

    number: str
    source: str
    parts: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    explain: bool = False
    answer_reached: bool = False

    def feed(self, line: str) -> None:
        text, options = _split_ticks(line)
        text = _tidy(text)
        if text and not self.parts:
            # The first words after a number are the question, even "Please describe ...".
            self.parts.append(text)
        elif text and _ANSWER_PROMPT.match(text):
            self.answer_reached = True
            self.explain = self.explain or bool(_ASKS_EXPLANATION.search(text))
        elif text and not self.answer_reached:
            self.parts.append(text)
        if options:
            self.options.extend(options)
            self.answer_reached = True

    def finish(self) -> ParsedQuestion | Problem:
        text = _tidy(" ".join(self.parts))
        if not text:
            return Problem(
                f"{self.number} at {self.source} has no question text; put the wording of the "
                "question straight after its number"
            )
        kind, options = _classify(text, self.options, explain=self.explain)
        return ParsedQuestion(self.number, text, kind, options, self.source)


# --- Word documents: reading the body in order ----------------------------------------------

# --- Word documents: finding where questions start ---------------------------------------------


@dataclass(frozen=True)
class _Start:
    """A block that may begin a question: how it is numbered and the lines that follow."""

    style: str  # "explicit" (Question 3, Q3), "bare" (3.), "list" (Word auto-numbering)
    number: str
    lines: tuple[str, ...]


def _find_start(unit: Block) -> _Start | None:
    """Say whether a unit could begin a question, before deciding which numbering counts."""
    cells = unit.filled_cells()
    if not cells:
        return None
    first, rest = cells[0], [line for cell in cells[1:] for line in cell]
    label = NUMBER_LABEL.match(_tidy(" ".join(first)))
    if unit.in_table and label:
        style = "explicit" if label.group("word") else "bare"
        return _Start(style, question_number(label), tuple(rest))
    explicit = EXPLICIT_START.match(first[0])
    if explicit:
        return _Start("explicit", question_number(explicit), (explicit["text"], *first[1:], *rest))
    bare = BARE_START.match(first[0])
    if bare and not unit.heading:
        return _Start("bare", question_number(bare), (bare["text"], *first[1:], *rest))
    if unit.numbered and unit.list_level == 0 and first[0].rstrip().endswith("?"):
        return _Start("list", "", (first[0],))
    return None


def _choose_starts(starts: list[_Start | None]) -> dict[int, str]:
    """Pick which units begin questions, and their numbers: explicit, else bare, else list."""
    explicit = {i: s.number for i, s in enumerate(starts) if s and s.style == "explicit"}
    if explicit:
        return explicit
    bare = _question_like_runs([(i, s) for i, s in enumerate(starts) if s and s.style == "bare"])
    if bare:
        return bare
    listed = [i for i, s in enumerate(starts) if s and s.style == "list"]
    return {i: f"Q{count}" for count, i in enumerate(listed, start=1)}


def _follows(previous: str, number: str) -> bool:
    (prev_major, prev_sub), (major, sub) = number_sort_key(previous), number_sort_key(number)
    return major == prev_major + 1 or (major == prev_major and sub > prev_sub)


def _question_like_runs(candidates: list[tuple[int, _Start]]) -> dict[int, str]:
    """Keep the increasing runs of bare numbers that read like questions.

    A run is kept when at least half its items contain "?"; when none do, the longest run of
    two or more is kept, for documents whose questions are phrased "Describe ...".
    """
    runs: list[list[tuple[int, _Start]]] = []
    for index, start in candidates:
        if runs and _follows(runs[-1][-1][1].number, start.number):
            runs[-1].append((index, start))
        else:
            runs.append([(index, start)])
    asking = [run for run in runs if 2 * sum("?" in " ".join(s.lines) for _, s in run) >= len(run)]
    if not asking:
        longest = max(runs, key=len, default=[])
        asking = [longest] if len(longest) >= 2 else []
    return {index: start.number for run in asking for index, start in run}


# --- Word documents: where a question's text stops -------------------------------------------

_TABLE_HEADERS = {
    "no",
    "number",
    "q",
    "ref",
    "question",
    "questions",
    "question text",
    "question number",
    "question no",
    "response",
    "your response",
    "answer",
    "your answer",
    "comments",
    "your comments",
}


def _header_name(value: object) -> str:
    return re.sub(r"[^a-z0-9#]+", " ", str(value).lower()).strip()


def _is_table_header(unit: Block) -> bool:
    """Say whether a table row is a form's header ("No." | "Question" | "Response")."""
    names = {_header_name(" ".join(cell)) for cell in unit.filled_cells()}
    return unit.in_table and bool(names & _TEXT_HEADERS) and names <= _TABLE_HEADERS


def _ends_question(unit: Block, draft: _Draft) -> bool:
    cells = unit.filled_cells()
    if not cells:
        return False
    if unit.heading and draft.parts:
        return True
    return is_part_heading(cells[0][0]) or _is_table_header(unit)


def _continuation_lines(unit: Block) -> list[str]:
    cells = unit.filled_cells()
    # A row of short single-line cells ("Yes" | "☐" | "No" | "☐") reads as one line.
    if len(cells) > 1 and all(len(cell) == 1 and len(cell[0]) <= 40 for cell in cells):
        return [" ".join(cell[0] for cell in cells)]
    return [line for cell in cells for line in cell]


def _collect_drafts(units: list[Block]) -> list[_Draft]:
    starts = [_find_start(unit) for unit in units]
    chosen = _choose_starts(starts)
    drafts: list[_Draft] = []
    current: _Draft | None = None
    for index, unit in enumerate(units):
        start = starts[index]
        if index in chosen and start is not None:
            current = _Draft(chosen[index], unit.source)
            drafts.append(current)
            lines: Iterable[str] = start.lines
        elif current is None or _ends_question(unit, current):
            current = None
            continue
        else:
            lines = _continuation_lines(unit)
        for line in lines:
            current.feed(line)
    return drafts


def _read_docx(data: bytes, subject: str) -> tuple[list[ParsedQuestion], list[Problem]]:
    return _finish_drafts(_collect_drafts(list(read_docx(data, subject=subject))))


def _finish_drafts(drafts: list[_Draft]) -> tuple[list[ParsedQuestion], list[Problem]]:
    questions, problems = [], []
    for draft in drafts:
        finished = draft.finish()
        if isinstance(finished, Problem):
            problems.append(finished)
        else:
            questions.append(finished)
    return questions, problems


# --- Checks on the whole set --------------------------------------------------------------------


def _numbering_problems(questions: list[ParsedQuestion]) -> list[Problem]:
    problems = []
    if len(questions) > MAX_QUESTIONS:
        problems.append(
            Problem(
                f"it has {len(questions)} questions and at most {MAX_QUESTIONS} can be imported; "
                "split the questions across smaller files or consultations"
            )
        )
    places: dict[str, list[str]] = {}
    for question in questions:
        places.setdefault(question.number, []).append(question.source)
    for number, sources in places.items():
        if len(sources) > 1:
            problems.append(
                Problem(
                    f"{number} appears {len(sources)} times, at {_and_list(sources)}; give each "
                    "question its own number"
                )
            )
    return problems


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _no_questions_problem(file_type: str) -> Problem:
    if file_type == "docx":
        return Problem(
            "no numbered questions were found; start each question's paragraph with its number, "
            "like 'Question 1:', 'Q1.' or '1.', or put the questions in a table with the number "
            "in the first column"
        )
    return Problem(
        "no questions were found below the header row; put one question per row under the "
        "'Question' column"
    )


# --- Spreadsheets -----------------------------------------------------------------------------

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
_KINDS = ("open", "closed", "hybrid")
_HEADER_ROWS = 10


@dataclass(frozen=True)
class _Columns:
    """Where each known column is in the header row (0-based), and its heading as written."""

    header_row: int
    text: int
    names: tuple[str, ...]
    number: int | None = None
    kind: int | None = None
    options: int | None = None


def _find_columns(rows: list[tuple[int, tuple[object, ...]]]) -> _Columns | None:
    for row_number, cells in rows[:_HEADER_ROWS]:
        headers = [_header_name(cell) if cell is not None else "" for cell in cells]
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

    written = tuple("" if cell is None else _tidy(str(cell)) for cell in cells)
    return _Columns(
        row_number,
        text,
        written,
        first(_NUMBER_HEADERS | {"question", "questions"}),
        first(_KIND_HEADERS),
        first(_OPTIONS_HEADERS),
    )


def _cell_text(cells: tuple[object, ...], index: int | None) -> str:
    if index is None or index >= len(cells) or cells[index] is None:
        return ""
    value = cells[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _split_options(value: str) -> list[str]:
    return [_tidy(part) for part in re.split(r"[;|\r\n]+", value) if _tidy(part)]


@dataclass
class _SheetReader:
    """Turn the rows below a header into questions, noting every problem with its place."""

    columns: _Columns
    questions: list[ParsedQuestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def column_name(self, index: int | None) -> str | None:
        if index is None or index >= len(self.columns.names):
            return None
        return self.columns.names[index] or None

    def problem(self, message: str, row: int, index: int | None) -> None:
        self.problems.append(Problem(message, row=row, column=self.column_name(index)))

    def read_row(self, row: int, cells: tuple[object, ...]) -> None:
        columns = self.columns
        text = _tidy(_cell_text(cells, columns.text))
        written_number = _cell_text(cells, columns.number)
        if not text:
            what = "has a number but" if written_number else "has"
            message = f"it {what} no question text; add the text or delete the row"
            self.problem(message, row, columns.text)
            return
        number = self.number_for(written_number, row)
        options = _split_options(_cell_text(cells, columns.options))
        kind_and_options = self.kind_for(text, _cell_text(cells, columns.kind), options, row)
        if number and kind_and_options:
            self.questions.append(ParsedQuestion(number, text, *kind_and_options, f"row {row}"))

    def number_for(self, written: str, row: int) -> str | None:
        if self.columns.number is None:
            return f"Q{len(self.questions) + 1}"
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
        kind = written.lower()
        if not kind:
            return _classify(text, options, explain=False)
        if kind not in _KINDS:
            self.problem(f"'{written}' is not one of open, closed, hybrid", row, self.columns.kind)
            return None
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
    ) -> tuple[str, tuple[str, ...]] | None:
        if options:
            return kind, tuple(dict.fromkeys(options))
        if _ASKS_AGREEMENT.search(text):
            return kind, DEFAULT_AGREEMENT_OPTIONS
        self.problem(
            f"it is marked {kind} but has no options; list them in an 'Options' column "
            "separated by ';', or mark it open",
            row,
            self.columns.kind,
        )
        return None


def _questions_from_rows(
    rows: list[tuple[int, tuple[object, ...]]],
) -> tuple[list[ParsedQuestion], list[Problem]] | None:
    """Read questions below the header; None when the first rows hold no header."""
    columns = _find_columns(rows)
    if columns is None:
        return None
    reader = _SheetReader(columns)
    for row_number, cells in rows:
        if row_number > columns.header_row and _has_data(cells):
            reader.read_row(row_number, cells)
    return reader.questions, reader.problems


def _missing_header_problem() -> Problem:
    return Problem(
        f"none of its first {_HEADER_ROWS} rows is a header row with a 'Question', "
        "'Question text' or 'Text' column; add a header row above the questions and upload it "
        "again"
    )


def _read_sheets(
    sheets: Iterable[list[tuple[int, tuple[object, ...]]]],
) -> tuple[list[ParsedQuestion], list[Problem]]:
    """Use the first sheet with a header row; sheets with no data at all are passed over."""
    for rows in sheets:
        found = _questions_from_rows(rows)
        if found is not None:
            return found
    return [], [_missing_header_problem()]


def _has_data(cells: tuple[object, ...]) -> bool:
    return any(_cell_text(cells, i) for i in range(len(cells)))


def _workbook_sheets(data: bytes) -> list[list[tuple[int, tuple[object, ...]]]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            rows = list(enumerate(worksheet.iter_rows(values_only=True), start=1))
            if any(_has_data(cells) for _, cells in rows):
                sheets.append(rows)
        return sheets
    finally:
        workbook.close()


def _read_xlsx(data: bytes, subject: str) -> tuple[list[ParsedQuestion], list[Problem]]:
    try:
        sheets = _workbook_sheets(data)
    except XLSX_ERRORS as exc:
        raise ValidationFailed([damaged_message(FILE_TYPES["xlsx"])], subject=subject) from exc
    if not sheets:
        return [], [Problem("every sheet is empty; put the questions on the first sheet")]
    return _read_sheets(sheets)


def _delimiter(text: str) -> str:
    # Excel in some locales saves CSV with ";"; tab-separated exports also turn up.
    sample = "\n".join(text.splitlines()[:_HEADER_ROWS])
    return max((",", ";", "\t"), key=sample.count)


def _read_csv(data: bytes, subject: str) -> tuple[list[ParsedQuestion], list[Problem]]:
    text = decode_text(data)
    assert text is not None  # check_file has already refused files that are not text
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        rows = [(number, tuple(cells)) for number, cells in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise ValidationFailed(
            [f"it could not be read as CSV ({exc}); save it again from Excel as CSV and upload it"],
            subject=subject,
        ) from exc
    if not any(_has_data(cells) for _, cells in rows):
        return [], [Problem("it has no rows with data; put a header row and the questions in it")]
    return _read_sheets([rows])
