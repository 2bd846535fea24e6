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

from collections.abc import Sequence

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
