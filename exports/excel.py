"""Write the partners' answers as an Excel workbook for the officer, or for sharing.

``write_answers_xlsx`` makes three kinds of sheet:

- "All answers": one row per answer, with who gave it (or their label), sector, the question,
  position, comment, evidence note, themes, whether it carries figures and whether it speaks
  to the region;
- one sheet per question, headed by the question's own words, with the same columns less the
  question;
- "Themes": per theme, how many answers and partners raised it, and how many answers per
  question.

Who is named is ``evidence.consent.Policy``'s to say, as in every other output: in the
officer's copy a partner that agreed to be named is named and every other one is "Partner 7"
(the number it has in the Word annex too); in the copy for sharing (``sharing=True``) every
organisation is "Partner N", and the comment and evidence note of a partner that did not agree
to be named are left out (``NOT_SHARED``), since its own words could identify it. A sector is
shown where the policy shows it, otherwise it reads ``SECTOR_NOT_GIVEN``. Every text is
scrubbed of the names of partners that are not named (``Policy.scrub``).

Every text cell goes through ``evidence.excel_route.put``, the same guard as the partner
template: text starting with = + - @ (or a tab or carriage return) is stored as text with
Excel's quote prefix, so a comment like "=SUM(A1)" shows as written and never runs.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from evidence.consent import SECTOR_NOT_GIVEN, Policy
from evidence.excel_route import put
from exports.draft_model import AnswerFact, QuestionFact, ThemeFact

ALL_ANSWERS_SHEET = "All answers"
THEMES_SHEET = "Themes"
MAX_SHEET_NAME = 31
MAX_CELL_TEXT = 32_767  # Excel's limit; longer text makes it repair the file
YES, NO = "Yes", "No"
NOT_SHARED = "Not shared: this partner asked not to be named."

# Characters Excel refuses in a sheet name, and names it keeps for itself.
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_RESERVED_SHEET_NAMES = {"history"}
# openpyxl's own default font, named: a nameless bold font prints in a serif in LibreOffice.
_HEADER_FONT = Font(name="Calibri", size=11, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DCE3EA")
_TITLE_FONT = Font(name="Calibri", size=12, bold=True)
_TOP = Alignment(vertical="top")
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class _Column:
    header: str
    width: float
    wrap: bool = False


_ORGANISATION = _Column("Organisation", 32, wrap=True)
_SECTOR = _Column("Sector", 22, wrap=True)
_NUMBER = _Column("Question", 10)
_QUESTION = _Column("Question text", 45, wrap=True)
_POSITION = _Column("Position", 14)
_COMMENT = _Column("Comment", 70, wrap=True)
_EVIDENCE = _Column("Evidence note", 45, wrap=True)
_THEMES = _Column("Themes", 36, wrap=True)
_FIGURES = _Column("Has figures", 12)
_REGIONAL = _Column("Regional", 10)

ALL_ANSWERS_COLUMNS = (
    _ORGANISATION,
    _SECTOR,
    _NUMBER,
    _QUESTION,
    _POSITION,
    _COMMENT,
    _EVIDENCE,
    _THEMES,
    _FIGURES,
    _REGIONAL,
)
QUESTION_COLUMNS = tuple(c for c in ALL_ANSWERS_COLUMNS if c not in (_NUMBER, _QUESTION))


def write_answers_xlsx(
    rows: Sequence[AnswerFact],
    *,
    themes: Sequence[ThemeFact],
    questions: Sequence[QuestionFact],
    policy: Policy,
    sharing: bool,
) -> bytes:
    """Return the answers as .xlsx bytes: all answers, a sheet per question, a theme summary.

    ``policy`` is built from the same answers as every other output (``Policy.of``), so each
    partner has the same label and number here as in the Word draft and its annex.
    """
    by_id = {question.id: question for question in questions}
    unknown = sorted({row.question_id for row in rows} - set(by_id))
    if unknown:
        raise ValueError(
            f"Some answers are to questions that were not given: question ids "
            f"{', '.join(map(str, unknown))}. Pass every question the answers belong to."
        )
    labels = organisation_labels(policy, rows, sharing=sharing)
    theme_labels = {theme.id: theme.label for theme in themes}
    order = {question.id: index for index, question in enumerate(questions)}
    answers = sorted(
        rows, key=lambda row: (order[row.question_id], _label_key(labels[row.organisation]))
    )

    workbook = openpyxl.Workbook()
    workbook.properties.creator = "Consultation response workbench"
    workbook.properties.title = "Answers" + (" (for sharing)" if sharing else "")
    sheet = workbook.active
    sheet.title = ALL_ANSWERS_SHEET
    _write_table(
        sheet,
        ALL_ANSWERS_COLUMNS,
        (
            _answer_cells(row, policy, labels, by_id[row.question_id], theme_labels, sharing)
            for row in answers
        ),
    )
    names = {ALL_ANSWERS_SHEET.casefold(), THEMES_SHEET.casefold()}
    for question in questions:
        name = sheet_name(question.number or question.text, taken=names)
        names.add(name.casefold())
        question_sheet = workbook.create_sheet(name)
        _question_title(question_sheet, question)
        _write_table(
            question_sheet,
            QUESTION_COLUMNS,
            (
                _answer_cells(row, policy, labels, None, theme_labels, sharing)
                for row in answers
                if row.question_id == question.id
            ),
            first_row=2,
        )
    _write_theme_summary(workbook.create_sheet(THEMES_SHEET), rows, themes, questions)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def organisation_labels(
    policy: Policy, rows: Iterable[AnswerFact], *, sharing: bool
) -> dict[str, str]:
    """Return what each organisation is called in the export: its name, or "Partner 7".

    The numbers are the policy's, the same in both copies and in the Word annex.
    """
    names = dict.fromkeys(row.organisation for row in rows)
    if sharing:
        return {name: f"Partner {policy.number(name)}" for name in names}
    return {name: policy.annex_label(name) for name in names}


def sheet_name(wanted: str, *, taken: Iterable[str] = ()) -> str:
    """Return a sheet name Excel accepts: no []:*?/\\, at most 31 characters, not yet taken.

    ``taken`` holds names already used (compared without case, as Excel does); a clash gets
    " (2)", " (3)"... within the 31 characters.
    """
    used = {name.casefold() for name in taken}
    base = " ".join(_NOT_IN_SHEET_NAMES.sub(" ", wanted).split()).strip("'").strip()
    base = base[:MAX_SHEET_NAME].rstrip().rstrip("'") or "Question"
    if base.casefold() in _RESERVED_SHEET_NAMES:
        base = f"{base} (question)"
    name, copy = base, 1
    while name.casefold() in used:
        copy += 1
        suffix = f" ({copy})"
        name = base[: MAX_SHEET_NAME - len(suffix)].rstrip().rstrip("'") + suffix
    return name


# --- Sheets ----------------------------------------------------------------------------------


def _answer_cells(
    row: AnswerFact,
    policy: Policy,
    labels: Mapping[str, str],
    question: QuestionFact | None,
    theme_labels: Mapping[str, str],
    sharing: bool,
) -> list[object]:
    themes = "; ".join(theme_labels.get(theme, theme) for theme in row.themes)
    who = row.organisation
    cells: list[object] = [labels[who], policy.sector(who) or SECTOR_NOT_GIVEN]
    if question is not None:
        cells += [question.number, question.text]
    if sharing and not policy.named(who):
        comment = NOT_SHARED if row.text.strip() else ""
        note = NOT_SHARED if row.evidence_note.strip() else ""
    else:
        comment, note = policy.scrub(row.text, who), policy.scrub(row.evidence_note, who)
    cells += [row.position, comment, note, themes]
    cells += [YES if row.figures else NO, YES if row.regional else NO]
    return cells


def _question_title(sheet: Worksheet, question: QuestionFact) -> None:
    title = put(sheet.cell(1, 1), _fit(f"{question.number}. {question.text}".lstrip(". ")))
    title.font = _TITLE_FONT
    title.alignment = _WRAP
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(QUESTION_COLUMNS))
    lines = max(1, len(question.text) // 150 + 1)
    sheet.row_dimensions[1].height = 18 * min(lines, 6)


def _write_table(
    sheet: Worksheet,
    columns: Sequence[_Column],
    rows: Iterable[Sequence[object]],
    *,
    first_row: int = 1,
) -> None:
    """Write a header row (bold, frozen, filtered) and the rows below it."""
    for number, column in enumerate(columns, start=1):
        cell = put(sheet.cell(first_row, number), column.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _TOP
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    last_row = first_row
    for last_row, values in enumerate(rows, start=first_row + 1):
        for number, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = put(sheet.cell(last_row, number), _fit(value))
            cell.alignment = _WRAP if column.wrap else _TOP
    sheet.freeze_panes = sheet.cell(first_row + 1, 1)
    sheet.auto_filter.ref = f"A{first_row}:{get_column_letter(len(columns))}{last_row}"
    _print_setup(sheet, header_row=first_row)


def _print_setup(sheet: Worksheet, *, header_row: int) -> None:
    """Print landscape on A4, all columns on one page wide, the header on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"{header_row}:{header_row}"


def _write_theme_summary(
    sheet: Worksheet,
    rows: Sequence[AnswerFact],
    themes: Sequence[ThemeFact],
    questions: Sequence[QuestionFact],
) -> None:
    answers: Counter[str] = Counter()
    partners: defaultdict[str, set[str]] = defaultdict(set)
    per_question: Counter[tuple[str, int]] = Counter()
    for row in rows:
        for theme in set(row.themes):
            answers[theme] += 1
            partners[theme].add(row.organisation)
            per_question[theme, row.question_id] += 1
    labels = {theme.id: theme.label for theme in themes}
    labels.update({theme: theme for theme in answers if theme not in labels})
    ranked = sorted(
        labels, key=lambda theme: (-len(partners[theme]), -answers[theme], labels[theme])
    )
    columns = [_Column("Theme", 40, wrap=True), _Column("Answers", 10), _Column("Partners", 10)]
    columns += [
        _Column(question.number or f"Question {i}", 8) for i, question in enumerate(questions, 1)
    ]
    _write_table(
        sheet,
        columns,
        (
            [labels[theme], answers[theme], len(partners[theme])]
            + [per_question[theme, question.id] for question in questions]
            for theme in ranked
        ),
    )


def _fit(value: object) -> object:
    """Return text cut to what an Excel cell holds; other values as they are."""
    if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
        return value[: MAX_CELL_TEXT - 1] + "…"
    return value


def _label_key(label: str) -> tuple[str, int, str]:
    """Sort "Partner 2" before "Partner 10", and names alphabetically."""
    match = re.fullmatch(r"(.*?)(\d+)", label)
    if match:
        return (match.group(1).casefold(), int(match.group(2)), label)
    return (label.casefold(), 0, label)
