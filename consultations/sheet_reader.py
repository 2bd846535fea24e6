"""Read a workbook (.xlsx) or a CSV file into sheets of plain rows, numbered as Excel shows them.

Use it through ``consultations.documents``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import openpyxl

from consultations.document_values import Sheet, has_data
from consultations.errors import ValidationFailed
from consultations.file_guards import (
    READING,
    ParseLimits,
    beyond_bounds_message,
    column_letters,
    sheet_bounds,
    too_many_cells_message,
    too_much_text_message,
)
from consultations.files import FILE_TYPES, XLSX_ERRORS, damaged_message, decode_text, refuse

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook


def open_workbook(data: bytes, *, subject: str) -> Workbook:
    """Open an .xlsx already through ``check_file``, read-only with values, not formulas."""
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except XLSX_ERRORS as exc:
        raise ValidationFailed([damaged_message(FILE_TYPES["xlsx"])], subject=subject) from exc


def bounded_rows(worksheet: Any, *, min_row: int = 1, values_only: bool = False) -> Iterator[Any]:
    """Iterate a read-only sheet's rows within the rows and columns a reader may read.

    Unbounded, openpyxl pads every row to the sheet's declared width and every gap to its
    declared height: a 9.5 KB file declaring A1:XFD1048576 is 17 billion empty cells.
    ``consultations.file_guards`` refuses sheets that reach beyond these bounds before this.
    A row beyond the declared range is still read; a column beyond it is not, as openpyxl does.
    """
    rows, columns = sheet_bounds()
    declared = worksheet.max_column if isinstance(worksheet.max_column, int) else columns
    return worksheet.iter_rows(
        min_row=min_row, max_row=rows, max_col=min(declared, columns), values_only=values_only
    )


def read_xlsx(data: bytes, *, subject: str) -> tuple[Sheet, ...]:
    """Read every worksheet that holds data, in the workbook's order."""
    workbook = open_workbook(data, subject=subject)
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            rows = tuple(enumerate(bounded_rows(worksheet, values_only=True), start=1))
            if any(has_data(cells) for _, cells in rows):
                sheets.append(Sheet(worksheet.title, rows))
        return tuple(sheets)
    except XLSX_ERRORS as exc:
        raise ValidationFailed([damaged_message(FILE_TYPES["xlsx"])], subject=subject) from exc
    finally:
        workbook.close()


def csv_delimiter(text: str) -> str:
    """Guess a CSV file's delimiter from its first lines: ",", ";" or a tab."""
    # Excel in some locales saves CSV with ";"; tab-separated exports also turn up.
    sample = "\n".join(text[:65_536].splitlines()[:10])
    return max((",", ";", "\t"), key=sample.count)


def _bounded_csv_rows(
    reader: Iterator[list[str]], subject: str
) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Yield a CSV file's rows within the bounds a workbook's are read in, or refuse it.

    A 10 MB file of short lines is millions of rows: without bounds it took 20 s and 600 MB.
    Empty cells after the last column read are dropped, as Excel writes them.
    """
    rows, columns = sheet_bounds()
    cells = 0
    for number, fields in enumerate(reader, start=1):
        if number > rows:
            refuse(subject, beyond_bounds_message("it", f"row {number:,}"))
        if len(fields) > columns:
            if any(field.strip() for field in fields[columns:]):
                reach = f"column {column_letters(len(fields))} in row {number:,}"
                refuse(subject, beyond_bounds_message("it", reach))
            fields = fields[:columns]
        cells += len(fields)
        if cells > (READING.sheet_cells or cells):
            refuse(subject, too_many_cells_message())
        yield number, tuple(fields)


def read_csv(data: bytes, *, subject: str, limits: ParseLimits = READING) -> tuple[Sheet, ...]:
    """Read a CSV file (UTF-8, UTF-16 or Windows-1252; ",", ";" or tab) as one sheet."""
    text = decode_text(data)
    if text is None:
        refuse(subject, "it is not a readable CSV text file; save it from Excel as CSV UTF-8")
    if len(text) > (limits.characters or len(text)):
        refuse(subject, too_much_text_message(limits))
    delimiter = csv_delimiter(text)
    # A row is built whole before it can be counted: a file of nothing but delimiters would be
    # one row of millions of cells. Text in quotes holds delimiters too, so the margin is wide.
    if text.count(delimiter) > 20 * (READING.sheet_cells or 0):
        refuse(subject, too_many_cells_message())
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = tuple(_bounded_csv_rows(reader, subject))
    except csv.Error as exc:
        raise ValidationFailed(
            [f"it could not be read as CSV ({exc}); save it again from Excel as CSV and upload it"],
            subject=subject,
        ) from exc
    if not any(has_data(cells) for _, cells in rows):
        return ()
    return (Sheet("CSV", rows),)
