"""The Excel route: a response template per consultation, and reading a filled one back.

The template (``build_template``) has an "Instructions" sheet and a "Response" sheet with one row
per question: Number and Question locked, and three answer cells unlocked (Your position, a
drop-down of the question's options; Your comment; Evidence). The sheet and the workbook's
structure are protected without a password: the protection stops slips, not people, and
everything read back is validated anyway. A very hidden "Workbench" sheet records which
consultation the template is for and a checksum of its questions' ids and numbers, so a template
for another consultation, or from before the questions changed, is recognised. The drop-down
lists live on a hidden "Positions" sheet, so options may hold commas and be any length.

Formula-shaped text: every text cell we write that starts with = + - @ (or a tab or carriage
return) is stored as a text cell with Excel's "quote prefix" style, the form Excel itself uses
when a person types a leading apostrophe. The text stays exactly as written (no visible
apostrophe, so the drop-down values still match), Excel never evaluates it, and it stays text
when a person edits the cell.

``parse_response_workbook`` checks the file (``consultations.files``: type, size, macros,
passwords, zip bombs), then that it is this consultation's template, then every row, and lists
every problem with its row and column. Nothing is saved: the caller hands the answers to
``evidence.submissions.import_answers``, which saves all or none and skips unchanged answers.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from consultations.dates import plain_date
from consultations.documents import bounded_rows
from consultations.errors import Problem, ValidationFailed
from consultations.files import (
    FILE_TYPES,
    MEGABYTE,
    XLSX_ERRORS,
    check_file,
    damaged_message,
    display_name,
    refuse,
)
from consultations.models import Consultation, Question
from consultations.questions import normalise_number
from evidence.models import MAX_COMMENT, MAX_EVIDENCE_NOTE
from evidence.submissions import AnswerInput

MAX_WORKBOOK_BYTES = 10 * MEGABYTE
# A template has a row per question (a few dozen; the question import stops at 500). The limit
# leaves room for the largest workbook we must take (10,000 rows, timed in bench/import_xlsx.py)
# and refuses the 100,000-row kind before reading it all.
MAX_ROWS = 20_000
TEMPLATE_MARK = "workbench consultation response template"
TEMPLATE_VERSION = 1
HEADER_ROW = 3
HEADERS = (
    "Number",
    "Question",
    "Your position",
    "Your comment",
    "Evidence (figure, case study or source)",
)
NUMBER, QUESTION, POSITION, COMMENT, EVIDENCE = range(5)
RESPONSE_SHEET, POSITIONS_SHEET, META_SHEET = "Response", "Positions", "Workbench"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_WIDTHS = (10, 60, 28, 70, 45)
_SHADE = PatternFill("solid", fgColor="EDEDED")
_ANSWER_FILL = PatternFill("solid", fgColor="FFFDE7")
_WRAP = Alignment(wrap_text=True, vertical="top")


# --- Building the template ------------------------------------------------------------------


def build_template(
    consultation: Consultation,
    questions: Sequence[Question],
    *,
    organisation_name: str | None,
    answers: Mapping[int, AnswerInput] | None = None,
) -> bytes:
    """Return an .xlsx response template for the consultation's questions, filled in with
    ``answers`` (by question id: the organisation's saved answers) where given."""
    workbook = openpyxl.Workbook()
    _instructions(workbook.active, consultation, len(questions), organisation_name)
    response = workbook.create_sheet(RESPONSE_SHEET)
    positions = workbook.create_sheet(POSITIONS_SHEET)
    positions.sheet_state = "hidden"
    _response_sheet(response, positions, consultation, questions, organisation_name, answers or {})
    _metadata_sheet(workbook.create_sheet(META_SHEET), consultation, questions)
    workbook.security = WorkbookProtection(lockStructure=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def put(cell: Cell, value: object) -> Cell:
    """Write a value to a cell; text that Excel could take for a formula is kept as text."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        if value.startswith(_FORMULA_STARTS):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def questions_checksum(questions: Sequence[Question]) -> str:
    """Return a short fingerprint of the questions' ids and numbers, in their order."""
    listed = "|".join(f"{question.id}:{question.number}" for question in questions)
    return hashlib.sha256(listed.encode()).hexdigest()[:16]


def _instructions(
    sheet: Worksheet, consultation: Consultation, count: int, organisation_name: str | None
) -> None:
    sheet.title = "Instructions"
    sheet.column_dimensions["A"].width = 110
    deadline = plain_date(consultation.partner_deadline)
    reference = f" (reference {consultation.reference})" if consultation.reference else ""
    lines: list[tuple[str, bool]] = [
        (f"Response template: {consultation.title}", True),
        (f"{consultation.department} consultation{reference}.", False),
    ]
    if organisation_name:
        lines.append((f"For: {organisation_name}", False))
    lines += [
        (f"Please return your answers by {deadline}.", True),
        ("", False),
        ("How to fill it in", True),
        (
            f"1. Go to the '{RESPONSE_SHEET}' sheet. It has one row for each of the "
            f"consultation's {count} questions.",
            False,
        ),
        (
            "2. In 'Your position', choose an answer from the drop-down list. Questions that ask "
            "for a written answer only have no list: leave that cell empty.",
            False,
        ),
        (
            f"3. In 'Your comment', write your answer in plain text, up to {MAX_COMMENT:,} "
            "characters for each question.",
            False,
        ),
        (
            "4. In 'Evidence', give a figure, a case study or a source that supports your answer "
            f"(up to {MAX_EVIDENCE_NOTE:,} characters). Attach reports and data files in the "
            "workbench itself.",
            False,
        ),
        (
            "5. Leave a row empty if you have nothing to say on that question. Do not change the "
            "numbers or the questions: they are locked so that the file can be read back.",
            False,
        ),
        (
            "6. Save the file as an Excel workbook (.xlsx) and upload it on the consultation's "
            "page in the workbench, or send it to your partnership's policy officer.",
            False,
        ),
        (
            "7. Uploading the file fills in your organisation's answers. If you upload it again, "
            "its answers replace the saved answers to the same questions; questions you left "
            "empty keep the answers already saved.",
            False,
        ),
        (
            "8. How the partnership may quote you (by your organisation's name, by sector only, "
            "or not at all) is chosen in the workbench when you submit, not in this file.",
            False,
        ),
        (
            "Files saved with macros (.xlsm), protected with a password, or made from another "
            "consultation's template cannot be read.",
            False,
        ),
    ]
    for row, (text, bold) in enumerate(lines, start=1):
        cell = put(sheet.cell(row, 1), text)
        cell.alignment = _WRAP
        if bold:
            cell.font = Font(bold=True, size=14 if row == 1 else 11)
    sheet.protection.sheet = True


def _response_sheet(
    sheet: Worksheet,
    positions: Worksheet,
    consultation: Consultation,
    questions: Sequence[Question],
    organisation_name: str | None,
    answers: Mapping[int, AnswerInput],
) -> None:
    put(sheet.cell(1, 1), f"Response to: {consultation.title}").font = Font(bold=True, size=14)
    who = f"From {organisation_name}. " if organisation_name else ""
    put(sheet.cell(2, 1), f"{who}Please return by {plain_date(consultation.partner_deadline)}.")
    for column, (header, width) in enumerate(zip(HEADERS, _WIDTHS, strict=True), start=1):
        cell = put(sheet.cell(HEADER_ROW, column), header)
        cell.font = Font(bold=True)
        cell.alignment = _WRAP
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    lists = _PositionLists(sheet, positions)
    for row, question in enumerate(questions, start=HEADER_ROW + 1):
        _question_row(sheet, row, question, lists)
        saved = answers.get(question.id)
        if saved is not None:
            for column, value in (
                (POSITION, saved.position),
                (COMMENT, saved.text),
                (EVIDENCE, saved.evidence_note),
            ):
                if value:
                    put(sheet.cell(row, column + 1), value)
    _length_limit(sheet, COMMENT, len(questions), MAX_COMMENT, "comment")
    _length_limit(sheet, EVIDENCE, len(questions), MAX_EVIDENCE_NOTE, "evidence note")
    sheet.protection.sheet = True
    sheet.protection.formatRows = False  # people may make rows taller to read long answers
    sheet.protection.formatColumns = False


@dataclass
class _PositionLists:
    """One drop-down per distinct list of options, its choices on the hidden Positions sheet."""

    sheet: Worksheet
    positions: Worksheet
    validations: dict[tuple[str, ...], DataValidation] = field(default_factory=dict)

    def cell_for(self, options: tuple[str, ...], cell: str) -> None:
        validation = self.validations.get(options)
        if validation is None:
            row = len(self.validations) + 1
            for column, option in enumerate(options, start=1):
                put(self.positions.cell(row, column), option)
            last = get_column_letter(len(options))
            validation = DataValidation(
                type="list",
                formula1=f"{POSITIONS_SHEET}!$A${row}:${last}${row}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Choose from the list",
                error="Choose one of the answers in the drop-down list.",
            )
            self.sheet.add_data_validation(validation)
            self.validations[options] = validation
        validation.add(cell)


def _question_row(sheet: Worksheet, row: int, question: Question, lists: _PositionLists) -> None:
    put(sheet.cell(row, NUMBER + 1), question.number).alignment = _WRAP
    put(sheet.cell(row, QUESTION + 1), question.text).alignment = _WRAP
    for column in (POSITION, COMMENT, EVIDENCE):
        cell = sheet.cell(row, column + 1)
        cell.alignment = _WRAP
        cell.protection = Protection(locked=False)
        cell.fill = _ANSWER_FILL
    position = sheet.cell(row, POSITION + 1)
    if question.kind == "open" or not question.options:
        # A written answer only: nothing to choose, so the cell stays locked and shaded.
        position.protection = Protection(locked=True)
        position.fill = _SHADE
        return
    lists.cell_for(tuple(question.options), position.coordinate)


def _length_limit(sheet: Worksheet, column: int, count: int, limit: int, what: str) -> None:
    if not count:
        return
    letter = get_column_letter(column + 1)
    validation = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(limit),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Too long",
        error=f"Each {what} can be up to {limit:,} characters.",
    )
    validation.add(f"{letter}{HEADER_ROW + 1}:{letter}{HEADER_ROW + count}")
    sheet.add_data_validation(validation)


def _metadata_sheet(
    sheet: Worksheet, consultation: Consultation, questions: Sequence[Question]
) -> None:
    sheet.sheet_state = "veryHidden"
    facts = (
        ("template", TEMPLATE_MARK),
        ("version", TEMPLATE_VERSION),
        ("consultation id", consultation.id),
        ("consultation title", consultation.title),
        ("questions", questions_checksum(questions)),
    )
    for row, (key, value) in enumerate(facts, start=1):
        put(sheet.cell(row, 1), key)
        put(sheet.cell(row, 2), value)
    sheet.protection.sheet = True


# --- Reading a filled template back -----------------------------------------------------------


def parse_response_workbook(
    data: bytes,
    consultation: Consultation,
    questions: Sequence[Question],
    *,
    filename: str,
    max_bytes: int = MAX_WORKBOOK_BYTES,
    max_rows: int = MAX_ROWS,
) -> list[AnswerInput]:
    """Read the answers from a filled template; raise ``ValidationFailed`` listing every problem.

    Only rows with something written are returned, in the order of the questions.
    """
    name = display_name(filename)
    subject = f"The file '{name}'"
    check_file(name, data, accepted=(".xlsx",), max_bytes=max_bytes, subject=subject)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except XLSX_ERRORS as exc:
        raise ValidationFailed([damaged_message(FILE_TYPES["xlsx"])], subject=subject) from exc
    try:
        _check_template(workbook, consultation, questions, subject)
        reader = _RowReader(questions, max_rows=max_rows, subject=subject)
        reader.read(workbook[RESPONSE_SHEET])
    except XLSX_ERRORS as exc:  # rows are parsed lazily, so damage can surface here
        raise ValidationFailed([damaged_message(FILE_TYPES["xlsx"])], subject=subject) from exc
    finally:
        workbook.close()
    if reader.problems:
        raise ValidationFailed(reader.problems, subject=subject)
    return reader.answers()


def _check_template(
    workbook: Any, consultation: Consultation, questions: Sequence[Question], subject: str
) -> None:
    facts = _template_facts(workbook)
    fresh = f"download the template for '{consultation.title}' from the workbench"
    if facts.get("template") != TEMPLATE_MARK or RESPONSE_SHEET not in workbook.sheetnames:
        refuse(
            subject,
            f"it is not a response template from the workbench; {fresh}, copy your answers "
            "into it and upload that",
        )
    if str(facts.get("consultation id")) != str(consultation.id):
        other = _tidy(str(facts.get("consultation title") or "another consultation"))[:150]
        refuse(
            subject,
            f"it is the response template for another consultation, '{other}'; {fresh}, copy "
            "your answers into it and upload that",
        )
    if facts.get("questions") != questions_checksum(questions):
        refuse(
            subject,
            "the consultation's questions have changed since this template was downloaded; "
            f"{fresh} again, copy your answers into it and upload that",
        )


def _template_facts(workbook: Any) -> dict[str, object]:
    if META_SHEET not in workbook.sheetnames:
        return {}
    rows = workbook[META_SHEET].iter_rows(max_row=20, max_col=2, values_only=True)
    return {str(key): value for key, value in rows if key is not None}


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _cell_text(value: object) -> str:
    """Return a cell's value as the text a person sees, without surrounding space."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime) and value.time() == time(0):
        value = value.date()
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value).strip()


def number_key(number: str) -> str:
    """Return the form two question numbers share when they mean the same question."""
    return normalise_number(number) or _tidy(number).casefold()


@dataclass
class _RowReader:
    """Turn the rows below the header into answers, noting every problem with its place."""

    questions: Sequence[Question]
    max_rows: int
    subject: str
    problems: list[Problem] = field(default_factory=list)
    # question id -> (row, answer), and the first row answering each question
    found: dict[int, tuple[int, AnswerInput]] = field(default_factory=dict)
    answered_on: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_number = {number_key(q.number): q for q in self.questions}

    def problem(self, message: str, row: int, column: int | str) -> None:
        name = HEADERS[column] if isinstance(column, int) else column
        self.problems.append(Problem(message, row=row, column=name))

    def read(self, sheet: Any) -> None:
        rows = bounded_rows(sheet, min_row=HEADER_ROW)
        header = next(rows, ())
        if tuple(_tidy(_cell_text(cell.value)).casefold() for cell in header[:5]) != tuple(
            h.casefold() for h in HEADERS
        ):
            refuse(
                self.subject,
                f"row {HEADER_ROW} of the '{RESPONSE_SHEET}' sheet should be the header row "
                f"({', '.join(HEADERS)}) and has been changed; download the template again and "
                "copy your answers into it",
            )
        seen = 0
        for row, cells in enumerate(rows, start=HEADER_ROW + 1):
            if not any(cell.value is not None and _cell_text(cell.value) for cell in cells):
                continue
            seen += 1
            if seen > self.max_rows:
                self.problems = [
                    Problem(
                        f"its '{RESPONSE_SHEET}' sheet has more than {self.max_rows:,} rows, and "
                        "the template has one row per question; copy your answers into a fresh "
                        "template and upload that"
                    )
                ]
                return  # stop reading: the rest of the file is not loaded
            self.read_row(row, cells)

    def read_row(self, row: int, cells: Sequence[Any]) -> None:
        for index, cell in enumerate(cells[5:], start=6):
            if _cell_text(cell.value):
                self.problem(
                    "there is text outside the answer columns; move it into 'Your comment' or "
                    "'Evidence', or delete it",
                    row,
                    get_column_letter(index),
                )
        values = [_cell_text(cells[i].value) if i < len(cells) else "" for i in range(5)]
        for column in (POSITION, COMMENT, EVIDENCE):
            if column < len(cells) and cells[column].data_type == "f":
                self.problem(
                    "it holds a formula; type the text itself (a leading '=' makes Excel read it "
                    "as a formula)",
                    row,
                    column,
                )
                values[column] = ""
        question = self.question_for(row, values)
        if question is None:
            return
        position = self.position_for(row, question, values[POSITION])
        self.check_length(row, values[COMMENT], MAX_COMMENT, COMMENT)
        self.check_length(row, values[EVIDENCE], MAX_EVIDENCE_NOTE, EVIDENCE)
        answer = AnswerInput(question.id, position or "", values[COMMENT], values[EVIDENCE])
        if not answer.is_empty():
            self.found[question.id] = (row, answer)

    def question_for(self, row: int, values: list[str]) -> Question | None:
        number = values[NUMBER]
        answered = any(values[i] for i in (POSITION, COMMENT, EVIDENCE))
        if not number:
            if answered:
                self.problem(
                    "there is an answer but no question number; put each answer on its "
                    "question's row",
                    row,
                    NUMBER,
                )
            return None
        question = self.by_number.get(number_key(number))
        if question is None:
            if answered:
                self.problem(
                    f"'{number}' is not a question of this consultation; put each answer on its "
                    "question's row",
                    row,
                    NUMBER,
                )
            return None
        if not answered:
            return question
        earlier = self.answered_on.setdefault(question.id, row)
        if earlier != row:
            self.problem(
                f"{question.number} is also answered on row {earlier}; keep one row for each "
                "question",
                row,
                NUMBER,
            )
            return None
        return question

    def position_for(self, row: int, question: Question, written: str) -> str | None:
        if not written:
            return ""
        if question.kind == "open" or not question.options:
            self.problem(
                f"{question.number} asks for a written answer only; leave 'Your position' empty "
                "and write your answer in 'Your comment'",
                row,
                POSITION,
            )
            return None
        chosen = _tidy(written).casefold()
        match = next((o for o in question.options if _tidy(o).casefold() == chosen), None)
        if match is None:
            listed = ", ".join(question.options)
            self.problem(
                f"'{written}' is not one of {listed}; choose one from the drop-down list",
                row,
                POSITION,
            )
        return match

    def check_length(self, row: int, text: str, limit: int, column: int) -> None:
        if len(text) > limit:
            self.problem(
                f"it has {len(text):,} characters and the most is {limit:,}; shorten it, or "
                "attach the longer text as a file in the workbench",
                row,
                column,
            )

    def answers(self) -> list[AnswerInput]:
        order = {question.id: index for index, question in enumerate(self.questions)}
        found = sorted(self.found.values(), key=lambda found: order[found[1].question_id])
        return [answer for _, answer in found]
