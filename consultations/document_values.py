"""The plain values every document is read into: blocks (Word, PDF) and sheets (Excel, CSV).

Kept apart from the readers (``word_reader``, ``pdf_reader``, ``sheet_reader``) so that each
can build them; ``consultations.documents`` is where importers take them from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    """One paragraph, or one table row, of a Word document or a PDF, in reading order.

    A paragraph is one cell holding one line (its text, with line breaks kept as "\\n"); a
    table row holds its cells, each a tuple of the cell's paragraphs.
    """

    source: str  # where a person finds it: "paragraph 12", "table 1, row 3", "page 2"
    cells: tuple[tuple[str, ...], ...]
    style: str = ""  # the paragraph style's name: "Heading 1", "List Number", "Normal"
    heading_level: int | None = None  # 0 for a title, 1 for "Heading 1" ...; None if not
    list_level: int | None = None  # Word's list level (0 = top) for a list paragraph
    list_number: str = ""  # what Word shows in front of it ("3.", "(b)", "Question 4:")
    bullet: bool = False  # a bulleted list item (Word's or a typed "•")
    in_table: bool = False
    font_size: float | None = None  # PDFs: the paragraph's main font size, in points
    bold: bool = False  # PDFs: set in a bold font throughout
    left: float | None = None  # PDFs: where its first cell starts on the page, in points

    @property
    def text(self) -> str:
        """Return everything the block says, its cells' lines one per line."""
        return "\n".join(line for cell in self.cells for line in cell)

    @property
    def heading(self) -> bool:
        """Say whether the block is a title or heading."""
        return self.heading_level is not None

    @property
    def numbered(self) -> bool:
        """Say whether Word shows a number (not a bullet) in front of the block."""
        return bool(self.list_number) and not self.bullet

    def filled_cells(self) -> list[tuple[str, ...]]:
        """Return the cells that hold any text."""
        return [cell for cell in self.cells if cell]


@dataclass(frozen=True)
class Sheet:
    """One worksheet (or a CSV file) with data: its rows, numbered from 1 as Excel shows them."""

    name: str
    rows: tuple[tuple[int, tuple[object, ...]], ...]


def tidy(text: str) -> str:
    """Collapse every run of white space (new lines and tabs too) to one space."""
    return " ".join(text.split())


def has_data(cells: Iterable[object]) -> bool:
    """Say whether a row holds anything but empty cells."""
    return any(cell is not None and str(cell).strip() for cell in cells)
