"""What a PDF page's layout says beyond its lines of text, for ``consultations.pdf_reader``.

- ``form_field_runs``: a fillable response form keeps a partner's answers in its fields, not in
  the page's text; each text field's value is given where the field sits and each check box as
  "☒" or "☐" where it is drawn, so that the answers stand under their questions.
- ``boxes_with_labels``: tick boxes drawn in one run put back beside the labels drawn in the
  next.
- ``table_columns``: where a table's columns start, even where a full cell leaves no gap.
- ``bullet_levels``: a sub-bullet's level, from how far it is indented.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import islice
from typing import TypeVar

import pypdf

from consultations.document_values import Block

MAX_FORM_FIELDS = 2_000  # on one page; a real response form has a few dozen
_FIELD_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s+Tf")


def _inherited(field: object, key: str) -> object:
    """Return a form field's value for a key, from the widget or the field it belongs to."""
    for _ in range(5):
        if field is None:
            return None
        if key in field:
            return field[key]
        parent = field.get("/Parent")
        field = parent.get_object() if parent is not None else None
    return None


def form_field_runs(page: pypdf.PageObject) -> list[tuple[str, float, float, float]]:
    """Return (text, x, y, size) for each filled text field and each check box on a page.

    pypdf's errors on a damaged field are raised for the caller to pass over.
    """
    annotations = page.get("/Annots")
    if annotations is None:
        return []
    pieces: list[tuple[str, float, float, float]] = []
    for reference in islice(annotations.get_object(), MAX_FORM_FIELDS):
        widget = reference.get_object()
        if not hasattr(widget, "get") or widget.get("/Subtype") != "/Widget":
            continue
        rect = widget.get("/Rect")
        if rect is None or len(rect) != 4:
            continue
        x0, y0, x1, y1 = (float(value) for value in rect)
        kind = _inherited(widget, "/FT")
        if kind == "/Btn":
            state = widget.get("/AS")
            mark = "☐" if state in (None, "/Off") else "☒"
            pieces.append((mark, min(x0, x1), min(y0, y1) + 1, 10.0))
        elif kind == "/Tx":
            value = _inherited(widget, "/V")
            text = str(value).strip() if value is not None else ""
            if not text:
                continue
            found = _FIELD_SIZE.search(str(_inherited(widget, "/DA") or ""))
            size = float(found.group(1)) if found and float(found.group(1)) > 0 else 10.0
            top = max(y0, y1) - 1.2 * size
            for row, line in enumerate(re.split(r"\r\n|\r|\n", text)):
                if line.strip():
                    y = top - row * 1.2 * size
                    pieces.append((line.strip(), min(x0, x1) + 2, y, size))
    return pieces


P = TypeVar("P")  # a piece of text with .text, .font, .x and .size (the PDF reader's)


def estimated_width(text: str, size: float) -> float:
    """Return how wide text is drawn: pypdf gives no widths, and half the font size per
    character is close for text fonts."""
    return 0.5 * size * len(text)


BOX_RUN = re.compile(r"^[\s☐☑☒□▢◻❏❐❑❒⬜○◯⊠■]+$")


def boxes_with_labels(pieces: list[P]) -> list[P]:
    """Put tick boxes back beside their labels: LibreOffice draws "☒ ☐ ☐" in one run (the
    symbol font) and " Yes  No  Not sure" in the next, which would read "☒ ☐ ☐Yes No Not sure".
    Labels are set apart by two spaces or more; when there are as many as boxes, each box goes
    before its label (or after it, when the labels came first)."""
    merged: list[P] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        if following is not None:
            pair = (piece, following)
            for boxes, labels, boxes_first in ((pair[0], pair[1], True), (pair[1], pair[0], False)):
                marks = boxes.text.split()
                names = [n for n in re.split(r"\s{2,}", labels.text.strip()) if n]
                if (
                    BOX_RUN.match(boxes.text)
                    and not BOX_RUN.match(labels.text)
                    and len(marks) >= 2
                    and len(marks) == len(names)
                ):
                    words = [
                        f"{mark} {name}" if boxes_first else f"{name} {mark}"
                        for mark, name in zip(marks, names, strict=True)
                    ]
                    merged.append(replace(piece, text="  ".join(words), font=labels.font))
                    index += 2
                    break
            else:
                merged.append(piece)
                index += 1
            continue
        merged.append(piece)
        index += 1
    return merged


def _gap_before(row: list, index: int) -> float:
    before = row[index - 1]
    return row[index].x - (before.x + estimated_width(before.text, before.size))


def table_columns(rows: list[list]) -> list[set[float]]:
    """Find where a table's columns start on each line, even where a full cell leaves no gap.

    A cell whose text fills its column runs up against the next one ("1. Do you agree that
    schools should No. A limit of three would push"), but the column's edge shows on the
    table's other lines: some line leaves a wide gap before text that starts there, and the
    lines next to it, one after another, have text starting at the same place.
    """
    columns: list[set[float]] = [set() for _ in rows]

    def starts_at(index: int, x: float) -> bool:
        row = rows[index]
        return any(abs(piece.x - x) <= 1.0 for piece in row[1:]) and row[0].x < x - 40

    for index, row in enumerate(rows):
        for place in range(1, len(row)):
            x = round(row[place].x)
            if _gap_before(row, place) <= 2.5 * row[place].size or x in columns[index]:
                continue
            for step in (-1, 1):
                other = index + step
                # Each line is walked once per column: a column already found stops the walk.
                while 0 <= other < len(rows) and x not in columns[other] and starts_at(other, x):
                    columns[other].add(x)
                    other += step
    return columns


def bullet_levels(blocks: list[Block]) -> list[Block]:
    """Give bullets their list level from how far they are indented: a PDF has no list, only
    a bullet drawn further in for a sub-point."""
    lefts: list[float] = []  # the indents of the levels open, outermost first
    levelled = []
    for block in blocks:
        if not block.bullet or block.left is None:
            if block.text.strip():
                lefts = []
            levelled.append(block)
            continue
        while lefts and block.left < lefts[-1] - 2:
            lefts.pop()
        if not lefts or block.left > lefts[-1] + 2:
            lefts.append(block.left)
        levelled.append(replace(block, list_level=len(lefts) - 1))
    return levelled
