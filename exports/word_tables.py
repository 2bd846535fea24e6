"""Tables as a "Response Table": the first row a header repeated on every page, columns shared
so no word is broken."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row, CT_Tbl
from docx.shared import Emu, Twips
from lxml.etree import SubElement

from exports.word_body import Body
from exports.word_text import plain_text
from exports.word_xml import paragraph_element

# Table text is 9 pt: about 110 twips a character (allowing for bold, or a wider stand-in
# font), plus the cell's margins; a column is never narrower than its longest word.
_CHARACTER, _CELL_PADDING, _WRAP_AT = 110, 260, 30
_W_TRPR, _W_CANTSPLIT, _W_TBLHEADER = qn("w:trPr"), qn("w:cantSplit"), qn("w:tblHeader")
_W_TC, _W_TCPR, _W_TCW = qn("w:tc"), qn("w:tcPr"), qn("w:tcW")
_W_W, _W_TYPE = qn("w:w"), qn("w:type")


def response_table(body: Body, rows: Sequence[Sequence[str]]) -> CT_Tbl:
    """Return rows as a "Response Table"; the first row is its header, repeated on each page."""
    columns = max(len(row) for row in rows)
    widths = _column_widths(rows, columns, _text_width(body.document))
    table = CT_Tbl.new_tbl(0, columns, Twips(sum(widths)))
    table.tblStyle_val = body.style_id("Response Table")
    properties = table.tblPr
    properties.find(qn("w:tblW")).set(qn("w:w"), str(sum(widths)))
    properties.find(qn("w:tblW")).set(qn("w:type"), "dxa")
    properties.get_or_add_tblLayout().type = "fixed"  # Word need not measure thousands of rows
    for grid_column, width in zip(table.tblGrid.gridCol_lst, widths, strict=True):
        grid_column.w = Twips(width)
    heading_style, text_style = body.style_id("Table Heading"), body.style_id("Table Text")
    for number, row in enumerate(rows):
        cells = [plain_text(str(cell)).strip() for cell in row]
        cells += [""] * (columns - len(cells))
        style_id = heading_style if number == 0 else text_style
        table.append(_table_row(cells, widths, style_id, header=number == 0))
    return table


def _table_row(
    cells: Sequence[str], widths: Sequence[int], style_id: str, *, header: bool
) -> CT_Row:
    row = OxmlElement("w:tr")
    properties = SubElement(row, _W_TRPR)
    SubElement(properties, _W_CANTSPLIT)
    if header:
        SubElement(properties, _W_TBLHEADER)
    for text, width in zip(cells, widths, strict=True):
        cell = SubElement(row, _W_TC)
        SubElement(SubElement(cell, _W_TCPR), _W_TCW, {_W_W: str(width), _W_TYPE: "dxa"})
        cell.append(paragraph_element(style_id, text))
    return row


def _column_widths(rows: Sequence[Sequence[str]], columns: int, total: int) -> list[int]:
    """Share the text width (in twips) so no word is broken and long columns get the room."""
    sample = rows[:500]
    narrowest, natural = [], []
    for column in range(columns):
        texts = [str(row[column]) for row in sample if column < len(row)]
        longest_word = max((len(word) for text in texts for word in text.split()), default=1)
        longest = max((len(text) for text in texts), default=1)
        narrowest.append(min(longest_word, _WRAP_AT) * _CHARACTER + _CELL_PADDING)
        natural.append(min(longest, _WRAP_AT * 2) * _CHARACTER + _CELL_PADDING)
    if sum(natural) <= total:
        return _stretched(natural, total)
    room = total - sum(narrowest)
    if room <= 0:
        return _stretched(narrowest, total)
    give = [want - least for want, least in zip(natural, narrowest, strict=True)]
    shared = [
        least + room * extra // sum(give) for least, extra in zip(narrowest, give, strict=True)
    ]
    return _stretched(shared, total)


def _stretched(widths: Sequence[int], total: int) -> list[int]:
    """Scale widths to add up to ``total`` exactly."""
    scaled = [width * total // sum(widths) for width in widths]
    scaled[-1] += total - sum(scaled)
    return scaled


def _text_width(document: Document) -> int:
    section = document.sections[-1]
    return Emu(section.page_width - section.left_margin - section.right_margin).twips
