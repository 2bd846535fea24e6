"""The body of the response: paragraphs by style name and tables, added at its end in constant
time, and the one sequence of numbered paragraphs."""

from __future__ import annotations

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from lxml.etree import SubElement

from exports.word_template import STYLES, TEMPLATE_PATH
from exports.word_xml import W_PPR, W_VAL, insert_before, paragraph_element, run_element

# Paragraph properties that follow w:pageBreakBefore (after w:pStyle, w:keepNext, w:keepLines).
_PPR_AFTER_BREAK = tuple(
    f"w:{name}"
    for name in ("framePr", "widowControl", "numPr", "pBdr", "shd", "tabs", "spacing", "ind", "jc")
)


class Body:
    """Add paragraphs and tables to the end of the document's body.

    python-docx finds a style by scanning every style on each call and inserts each paragraph
    by searching the body for its section properties; a 5,000-answer annex made that quadratic.
    Here the style ids are looked up once and new content goes straight before the body's
    section properties.
    """

    def __init__(self, document: Document) -> None:
        self.document = document
        self._end = document.element.body.sectPr
        self._numbering: str | None = None
        self._new_page = False
        self.placed: list[tuple[int, CT_P | CT_Tbl]] = []  # (block index, element) of a section
        self.block = -1  # the block being written; -1 for the section's heading
        self._ids = {style.name: style.style_id for style in document.styles}
        missing = [name for name in STYLES if name not in self._ids]
        if missing:
            raise ValueError(
                f"The Word template {TEMPLATE_PATH.name} has no style named "
                f"{', '.join(missing)}; rebuild it with 'python -m exports.make_template'."
            )

    def style_id(self, name: str) -> str:
        return self._ids[name]

    def paragraph(self, style: str, text: str = "") -> CT_P:
        paragraph = paragraph_element(self._ids[style], text)
        if self._new_page:
            # A break before the paragraph, not a paragraph holding a break: Word shows that
            # one's empty remainder as a blank line at the top of the next page.
            insert_before(paragraph.pPr, OxmlElement("w:pageBreakBefore"), _PPR_AFTER_BREAK)
            self._new_page = False
        self._end.addprevious(paragraph)
        self.placed.append((self.block, paragraph))
        return paragraph

    def number(self, paragraph: CT_P) -> None:
        """Number the paragraph in the response's one sequence of numbered paragraphs."""
        if self._numbering is None:
            self._numbering = _paragraph_numbering(self.document)
        numbered = paragraph.get_or_add_pPr().get_or_add_numPr()
        numbered.get_or_add_ilvl().val = 0
        numbered.get_or_add_numId().val = int(self._numbering)

    def run(self, paragraph: CT_P, text: str, style: str) -> None:
        paragraph.append(run_element(text, self._ids[style]))

    def page_break(self) -> None:
        """Start what comes next on a new page."""
        self._new_page = True

    def table(self, element: CT_Tbl) -> None:
        """Add a table, and an empty paragraph after it: Word joins tables that touch."""
        if self._new_page:
            self.paragraph("Normal")
        self._end.addprevious(element)
        self.placed.append((self.block, element))
        self.paragraph("Normal")


def _paragraph_numbering(document: Document) -> str:
    """Add "1.", "2.", ... numbering to the document's numbering part; return its id."""
    numbering = document.part.numbering_part.element
    abstract_id = _next_id(numbering, "w:abstractNum", "w:abstractNumId", first=0)
    number_id = _next_id(numbering, "w:num", "w:numId", first=1)
    abstract = OxmlElement("w:abstractNum", {qn("w:abstractNumId"): str(abstract_id)})
    SubElement(abstract, qn("w:multiLevelType"), {W_VAL: "singleLevel"})
    level = SubElement(abstract, qn("w:lvl"), {qn("w:ilvl"): "0"})
    SubElement(level, qn("w:start"), {W_VAL: "1"})
    SubElement(level, qn("w:numFmt"), {W_VAL: "decimal"})
    SubElement(level, qn("w:lvlText"), {W_VAL: "%1."})
    SubElement(level, qn("w:lvlJc"), {W_VAL: "left"})
    indent = SubElement(level, W_PPR)
    SubElement(indent, qn("w:ind"), {qn("w:left"): "567", qn("w:hanging"): "567"})
    first_num = numbering.find(qn("w:num"))
    if first_num is None:
        numbering.append(abstract)  # abstract numberings come before the numberings that use them
    else:
        first_num.addprevious(abstract)
    number = SubElement(numbering, qn("w:num"), {qn("w:numId"): str(number_id)})
    SubElement(number, qn("w:abstractNumId"), {W_VAL: str(abstract_id)})
    return str(number_id)


def _next_id(numbering, tag: str, attribute: str, *, first: int) -> int:
    used = [int(element.get(qn(attribute))) for element in numbering.iterfind(qn(tag))]
    return max(used, default=first - 1) + 1
