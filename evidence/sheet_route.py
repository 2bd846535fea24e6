"""A partner's own spreadsheet: the Home Office's list of questions with their answers beside it.

Partners often answer in a workbook of their own rather than the workbench's template: the list
of questions copied from the consultation paper with a "Response" (or "Our response",
"Comments") column added, sometimes a position column ("Agree/Disagree") and a number column.
The first sheet whose first rows hold a header naming a question or number column and a
response or position column is read (``evidence.response_tables``); each answered row becomes
a part matched by its number, its question's wording, or both, through the same splitter as a
Word response (``evidence.word_route.propose_parts``), so rows are shown and corrected the same
way. Rows above the header (a title) are shown with no question; empty rows are left out.

The workbench's own template is a spreadsheet of this kind too (Number | Question | Your
position | Your comment | Evidence), so a template that cannot be read as one (another
consultation's, or one from before the questions changed) can still be taken this way, with the
officer checking every row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from openpyxl.utils import get_column_letter

from consultations.documents import Block, Sheet, has_data
from consultations.files import refuse
from evidence.parts import HIGH, ProposedAnswer
from evidence.positions import QuestionLike
from evidence.response_tables import HEADER_ROWS, find_header
from evidence.word_route import propose_parts


def response_sheet(sheets: Sequence[Sheet]) -> Sheet | None:
    """Return the first sheet with a header naming questions and answers, or None."""
    for sheet in sheets:
        if find_header([cells for _, cells in sheet.rows[:HEADER_ROWS]]) is not None:
            return sheet
    return None


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def sheet_blocks(sheet: Sheet, *, several: bool) -> list[Block]:
    """Turn a sheet's rows into table rows, as a Word table's would be read."""
    where = f"sheet '{sheet.name}', " if several else ""
    return [
        Block(
            source=f"{where}row {number}",
            cells=tuple((_cell_text(cell),) if _cell_text(cell) else () for cell in cells),
            in_table=True,
        )
        for number, cells in sheet.rows
        if has_data(cells)
    ]


def propose_sheet_parts(
    sheets: Sequence[Sheet], questions: Sequence[QuestionLike], *, subject: str
) -> list[ProposedAnswer]:
    """Read a partner's own spreadsheet into parts; refuse it if no sheet has a header row."""
    sheet = response_sheet(sheets)
    if sheet is None:
        across = _answers_across(sheets)
        if across is not None:
            return propose_parts(across, questions)
        refuse(
            subject,
            f"none of its sheets has, in its first {HEADER_ROWS} rows, a header row naming a "
            "question column ('Question' or 'No.') and an answer column ('Response', 'Comments' "
            "or 'Agree/Disagree'); add those headings above the answers and upload it again",
        )
    parts = propose_parts(sheet_blocks(sheet, several=len(sheets) > 1), questions)
    others = [
        _other_sheet(other, len(parts) + n)
        for n, other in enumerate(other for other in sheets if other is not sheet)
    ]
    return [*parts, *(part for part in others if part is not None)]


def _other_sheet(sheet: Sheet, index: int) -> ProposedAnswer | None:
    """Show a sheet that is not the response (notes, figures) as a part with no question."""
    lines = [
        " | ".join(_cell_text(cell) for cell in cells if _cell_text(cell))
        for _, cells in sheet.rows
        if has_data(cells)
    ]
    if not lines:
        return None
    return ProposedAnswer(
        index=index,
        question_ids=(),
        numbers=(),
        marker=f"sheet '{sheet.name}'",
        subtitle="",
        stance="",
        stance_words="",
        position="",
        position_line="",
        text="\n\n".join(lines),
        evidence_note="",
        confidence=HIGH,
        why=(
            f"the sheet '{sheet.name}' is not the sheet of answers; shown so that nothing in the "
            "file is missed, and left out unless you give it to a question"
        ),
        source=f"sheet '{sheet.name}'",
    )


# "Q1. Do you agree ...?", "Question 2", "Q1 comments": a column that holds a question's answer.
_QUESTION_COLUMN = re.compile(r"^\s*(?:q\.?|question)\s*(\d{1,3}(?:\.\d{1,2})?[a-z]?)\b", re.I)


def _answers_across(sheets: Sequence[Sheet]) -> list[Block] | None:
    """Read a survey export: one row of answers under a row of questions ("Q1. Do you agree
    ...?", "Q1 comments", "Q2 ..."), as online survey tools save a response.

    Each answered question column becomes a row "number | question | answer" of a response
    table, so that it is matched and shown as any other; the other columns (an ID, the
    organisation) are shown together with no question. Only a sheet with exactly one row of
    answers is read so: several rows are several respondents.
    """
    for sheet in sheets:
        filled = [row for row in sheet.rows if has_data(row[1])]
        for number, header in filled[:HEADER_ROWS]:
            named = [_QUESTION_COLUMN.match(_cell_text(cell)) for cell in header]
            if sum(match is not None for match in named) < 2:
                continue
            below = [row for row in filled if row[0] > number]
            if len(below) != 1:
                return None
            answer_row, answers = below[0]
            return _across_blocks(number, header, named, answer_row, answers)
    return None


def _across_blocks(
    header_row: int,
    header: tuple[object, ...],
    named: list[re.Match[str] | None],
    answer_row: int,
    answers: tuple[object, ...],
) -> list[Block]:
    blocks = [
        Block(
            source=f"row {header_row}",
            cells=(("No.",), ("Question",), ("Response",)),
            in_table=True,
        )
    ]
    about = []
    for column, match in enumerate(named):
        answer = _cell_text(answers[column]) if column < len(answers) else ""
        if not answer:
            continue
        title = _cell_text(header[column]) if column < len(header) else ""
        where = f"row {answer_row}, column {get_column_letter(column + 1)}"
        if match is None:
            about.append(f"{title}: {answer}" if title else answer)
            continue
        cells = ((f"Q{match.group(1)}",), (title,), (answer,))
        blocks.append(Block(source=where, cells=cells, in_table=True))
    if about:
        # Shown above the answers, with no question: the respondent's ID, name or organisation.
        blocks.insert(0, Block(source=f"row {answer_row}", cells=((" | ".join(about),),)))
    return blocks
