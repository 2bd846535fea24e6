"""Write a draft response as a Word document that a board can read, comment on and sign.

The document starts from ``exports/template.docx`` (built by ``exports.make_template``), and
every paragraph, run and table here only names a style of that template: no fonts, sizes or
colours are set in this module, so a partnership can restyle its responses by editing the
template in Word.

Its shape: a title page (partnership, consultation title, reference, department, date and
status), the contents, then each section of the draft under a "Heading 1", with its blocks:

| block | written as |
|---|---|
| paragraph | "Normal" paragraphs (a blank line in the text starts a new one) |
| subheading | "Heading 2" (left out when nothing included follows it in its section) |
| point | "List Bullet" (its words say how many partners raised it; the draft writes them) |
| quote | "Quote" in curly quotes, then "— Belfast City Council" in "Quote Attribution" |
| figure | "Evidence Figure", with " — who said it" in "Attribution" |
| table | "Response Table", its first row a header repeated on every page |

Paragraphs and points are numbered 1, 2, 3 ... through the response, as joint responses are
(Word's own numbering, so the words of each paragraph stay exactly the draft's); the cover,
the annex and the department's own question text that opens each question's section are not
numbered.

Blocks the officer excluded are not written, and nor is a section with nothing included.
The header names the partnership and the consultation's reference; the footer gives the status
and "Page 3 of 12".

The contents are a real TOC field (``TOC \\o "1-1" \\h \\z \\u``: the sections) that Word
rebuilds, with page numbers, when the document opens (the ``updateFields`` setting asks it to).
Until then, and in LibreOffice, the field shows the result written here: each section's
heading, linked to a bookmark on it.

Partners' words are written as plain text runs, never read as markup. XML 1.0 cannot hold most
control characters, and one pasted ``\\x00`` would make the file unreadable, so ``plain_text``
removes them (a vertical tab or form feed, Word's own line and page breaks, becomes a line
break).
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row, CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from docx.section import Section as DocumentSection
from docx.shared import Emu, Twips
from lxml.etree import SubElement

from consultations.dates import plain_date
from exports.draft_model import Block, Draft, Section
from exports.word_marks import (
    DocumentIdentity,
    WordComment,
    add_custom_properties,
    identity_properties,
)
from exports.word_stamp import WrittenSection, add_comments, mark_section

TEMPLATE_PATH = Path(__file__).with_name("template.docx")
# The sections only: with every question's theme subheadings too, the contents of the demo's
# draft ran over three pages.
TOC_LEVELS = 1
TOC_INSTRUCTION = rf'TOC \o "1-{TOC_LEVELS}" \h \z \u'
CORE_PROPERTY_LIMIT = 255  # python-docx refuses longer core property values

# The template's styles this module names; a test checks the template has every one.
STYLES = (
    "Normal",
    "Title",
    "Subtitle",
    "Cover Partnership",
    "Cover Detail",
    "Cover Status",
    "TOC Heading",
    "toc 1",
    "toc 2",
    "toc 3",
    "Heading 1",
    "Heading 2",
    "List Bullet",
    "Partner Count",
    "Quote",
    "Quote Attribution",
    "Evidence Figure",
    "Attribution",
    "Response Table",
    "Table Text",
    "Table Heading",
    "Header",
    "Footer",
)

_NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_WORD_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\r": "\n"})
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
# Table text is 9 pt: about 110 twips a character (allowing for bold, or a wider stand-in
# font), plus the cell's margins; a column is never narrower than its longest word.
_CHARACTER, _CELL_PADDING, _WRAP_AT = 110, 260, 30
_OPENING_QUOTES = ('"', "'", "“", "‘", "«")
# Settings that must follow w:updateFields in settings.xml (ECMA-376 CT_Settings order).
_SETTINGS_AFTER_UPDATE_FIELDS = tuple(
    f"w:{name}"
    for name in (
        "hdrShapeDefaults",
        "footnotePr",
        "endnotePr",
        "compat",
        "docVars",
        "rsids",
        "mathPr",
        "attachedSchema",
        "themeFontLang",
        "clrSchemeMapping",
        "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures",
        "forceUpgrade",
        "captions",
        "readModeInkLockDown",
        "smartTagType",
        "schemaLibrary",
        "shapeDefaults",
        "doNotEmbedSmartTags",
        "decimalSymbol",
        "listSeparator",
    )
)
# Paragraph properties that follow w:pageBreakBefore (after w:pStyle, w:keepNext, w:keepLines).
_PPR_AFTER_BREAK = tuple(
    f"w:{name}"
    for name in ("framePr", "widowControl", "numPr", "pBdr", "shd", "tabs", "spacing", "ind", "jc")
)
# Tags and attributes of the elements written in bulk, resolved once.
_W_PPR, _W_PSTYLE, _W_RPR, _W_RSTYLE, _W_T = (
    qn(f"w:{tag}") for tag in ("pPr", "pStyle", "rPr", "rStyle", "t")
)
_W_TRPR, _W_CANTSPLIT, _W_TBLHEADER = qn("w:trPr"), qn("w:cantSplit"), qn("w:tblHeader")
_W_TC, _W_TCPR, _W_TCW = qn("w:tc"), qn("w:tcPr"), qn("w:tcW")
_W_VAL, _W_W, _W_TYPE = qn("w:val"), qn("w:w"), qn("w:type")
_XML_SPACE = qn("xml:space")


def write_docx(
    draft: Draft,
    *,
    approved_on: date | None = None,
    identity: DocumentIdentity | None = None,
    comments: Sequence[WordComment] = (),
) -> bytes:
    """Return the draft as .docx bytes; ``approved_on`` marks it approved by the board that day.

    ``identity`` (the consultation and version) goes into the custom properties, so that an
    edited copy can come back (``exports.word_return``); ``comments`` are the board's comments
    made in the app, written as Word comments on their sections' headings.
    """
    document, _ = build_document(
        draft, approved_on=approved_on, identity=identity, comments=comments
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_document(
    draft: Draft,
    *,
    approved_on: date | None = None,
    identity: DocumentIdentity | None = None,
    comments: Sequence[WordComment] = (),
) -> tuple[Document, list[WrittenSection]]:
    """Build the draft's document; return it with where each section's blocks were written."""
    document = docx.Document(io.BytesIO(_template_bytes()))
    status = status_line(draft, approved_on=approved_on)
    plan = _plan(draft)
    _set_properties(document, draft, status)
    _write_header_and_footer(document.sections[0], draft, status)
    body = _Body(document)
    _write_cover(body, draft, status)
    _write_contents(body, plan)
    written = [_write_section(body, planned, number) for number, planned in enumerate(plan, 1)]
    # The fingerprints go only into the identity's properties: without one they are not read.
    marks = [mark_section(section, fingerprinted=identity is not None) for section in written]
    if identity is not None:
        add_custom_properties(document, identity_properties(identity, marks))
    add_comments(document, written, comments, clean=plain_text)
    _ask_word_to_update_fields(document)
    return document, written


def written_keys(draft: Draft) -> list[str]:
    """The keys of the sections the document writes, in order (those with anything included)."""
    return [planned.section.key for planned in _plan(draft)]


def status_line(draft: Draft, *, approved_on: date | None = None) -> str:
    """Return what the cover, footer and document properties say of the draft's standing."""
    if approved_on is not None:
        return f"Approved by the Board on {plain_date(approved_on)}"
    return _one_line(draft.status)


def plain_text(text: str) -> str:
    """Return text that XML can hold: control characters removed, Word's breaks made newlines."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").translate(_WORD_BREAKS))


@cache
def _template_bytes() -> bytes:
    return TEMPLATE_PATH.read_bytes()


# --- Planning: what is written, and the bookmarks the contents link to ----------------------


@dataclass
class _Heading:
    level: int
    text: str
    number: int  # unique in the document: the bookmark's id, and in its name

    @property
    def bookmark(self) -> str:
        return f"_Toc{self.number:09d}"


@dataclass
class _PlannedSection:
    section: Section
    heading: _Heading | None
    blocks: list[Block]
    subheadings: dict[int, _Heading] = field(default_factory=dict)  # block index -> heading


def _plan(draft: Draft) -> list[_PlannedSection]:
    """Choose the sections and blocks to write, and give every heading a bookmark."""
    numbers = itertools.count(1)
    planned = []
    for section in draft.sections:
        if section.key == "cover":
            continue
        blocks = _included_blocks(section.blocks)
        if not blocks:
            continue
        heading_text = plain_text(section.heading).strip()
        heading = _Heading(1, heading_text, next(numbers)) if heading_text else None
        entry = _PlannedSection(section, heading, blocks)
        for index, block in enumerate(blocks):
            if block.kind == "subheading":
                entry.subheadings[index] = _Heading(2, _one_line(block.text), next(numbers))
        planned.append(entry)
    return planned


def _included_blocks(blocks: Sequence[Block]) -> list[Block]:
    """Return the included blocks, without subheadings that nothing included follows."""
    included = [block for block in blocks if block.included and _has_content(block)]
    kept = []
    for index, block in enumerate(included):
        following = included[index + 1] if index + 1 < len(included) else None
        if block.kind == "subheading" and (following is None or following.kind == "subheading"):
            continue
        kept.append(block)
    return kept


def _has_content(block: Block) -> bool:
    if block.kind == "table":
        return bool(block.rows)
    return bool(plain_text(block.text).strip())


def _headings(plan: Sequence[_PlannedSection]) -> Iterator[_Heading]:
    for planned in plan:
        if planned.heading is not None:
            yield planned.heading
        yield from planned.subheadings.values()


# --- Properties, header and footer, settings -------------------------------------------------


def _set_properties(document: Document, draft: Draft, status: str) -> None:
    properties = document.core_properties
    created = datetime.combine(draft.prepared_on, time())
    properties.title = _property(draft.title)
    properties.author = _property(draft.partnership)
    properties.last_modified_by = _property(draft.partnership)
    properties.subject = _property(_subject(draft))
    properties.keywords = _property(f"consultation response; {draft.reference}".rstrip("; "))
    properties.category = "Consultation response"
    properties.comments = _property(status)
    properties.content_status = _property(status)
    properties.language = "en-GB"
    properties.created = properties.modified = created
    properties.revision = 1


def _subject(draft: Draft) -> str:
    department = _one_line(draft.department) or "government"
    reference = _one_line(draft.reference)
    about = f"Regional response to the {department} consultation"
    return f"{about} {reference}" if reference else about


def _property(text: str) -> str:
    cleaned = " ".join(plain_text(text).split())
    if len(cleaned) <= CORE_PROPERTY_LIMIT:
        return cleaned
    return cleaned[: CORE_PROPERTY_LIMIT - 1].rstrip() + "…"


def _write_header_and_footer(section: DocumentSection, draft: Draft, status: str) -> None:
    """Header: the partnership and the reference; footer: the status and "Page 3 of 12".

    Each line pairs a long text with a short one, so it stays on one line in any font.
    """
    section.different_first_page_header_footer = True  # the title page has neither
    for part in (section.first_page_header, section.first_page_footer):
        part.is_linked_to_previous = False
        part.paragraphs[0].style = "Normal"  # empty, and without the header's rule

    header = section.header.paragraphs[0]
    header.style = "Header"
    reference = _shortened(_one_line(draft.reference), 40)
    header.add_run(f"{_one_line(draft.partnership)}\t{reference}".rstrip())

    footer = section.footer.paragraphs[0]
    footer.style = "Footer"
    footer.add_run(f"{_shortened(status, 80)}\tPage ")
    footer._p.extend(_field("PAGE", "1"))
    footer.add_run(" of ")
    footer._p.extend(_field("NUMPAGES", "1"))


def _one_line(text: str) -> str:
    return " ".join(plain_text(text).split())


def _shortened(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _ask_word_to_update_fields(document: Document) -> None:
    """Set ``updateFields`` so Word rebuilds the contents and page numbers on opening."""
    settings = document.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        _insert_before(settings, update, _SETTINGS_AFTER_UPDATE_FIELDS)
    update.set(qn("w:val"), "true")


def _insert_before(parent, child, successors: Sequence[str]) -> None:
    tags = {qn(name) for name in successors}
    for sibling in parent:
        if sibling.tag in tags:
            sibling.addprevious(child)
            return
    parent.append(child)


# --- The body: paragraphs by style name, added in constant time ------------------------------


class _Body:
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
        paragraph = _paragraph(self._ids[style], text)
        if self._new_page:
            # A break before the paragraph, not a paragraph holding a break: Word shows that
            # one's empty remainder as a blank line at the top of the next page.
            _insert_before(paragraph.pPr, OxmlElement("w:pageBreakBefore"), _PPR_AFTER_BREAK)
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
        paragraph.append(_run(text, self._ids[style]))

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


UNNUMBERED_SECTIONS = ("cover", "annex")


def _paragraph_numbering(document: Document) -> str:
    """Add "1.", "2.", ... numbering to the document's numbering part; return its id."""
    numbering = document.part.numbering_part.element
    abstract_id = _next_id(numbering, "w:abstractNum", "w:abstractNumId", first=0)
    number_id = _next_id(numbering, "w:num", "w:numId", first=1)
    abstract = OxmlElement("w:abstractNum", {qn("w:abstractNumId"): str(abstract_id)})
    SubElement(abstract, qn("w:multiLevelType"), {_W_VAL: "singleLevel"})
    level = SubElement(abstract, qn("w:lvl"), {qn("w:ilvl"): "0"})
    SubElement(level, qn("w:start"), {_W_VAL: "1"})
    SubElement(level, qn("w:numFmt"), {_W_VAL: "decimal"})
    SubElement(level, qn("w:lvlText"), {_W_VAL: "%1."})
    SubElement(level, qn("w:lvlJc"), {_W_VAL: "left"})
    indent = SubElement(level, _W_PPR)
    SubElement(indent, qn("w:ind"), {qn("w:left"): "567", qn("w:hanging"): "567"})
    first_num = numbering.find(qn("w:num"))
    if first_num is None:
        numbering.append(abstract)  # abstract numberings come before the numberings that use them
    else:
        first_num.addprevious(abstract)
    number = SubElement(numbering, qn("w:num"), {qn("w:numId"): str(number_id)})
    SubElement(number, qn("w:abstractNumId"), {_W_VAL: str(abstract_id)})
    return str(number_id)


def _next_id(numbering, tag: str, attribute: str, *, first: int) -> int:
    used = [int(element.get(qn(attribute))) for element in numbering.iterfind(qn(tag))]
    return max(used, default=first - 1) + 1


def _paragraph(style_id: str, text: str = "") -> CT_P:
    paragraph = OxmlElement("w:p")
    properties = SubElement(paragraph, _W_PPR)
    SubElement(properties, _W_PSTYLE, {_W_VAL: style_id})
    if text:
        paragraph.append(_run(text))
    return paragraph


def _run(text: str, style_id: str | None = None) -> CT_R:
    """Return a run of plain text: a tab or newline becomes Word's own tab or line break."""
    run = OxmlElement("w:r")
    if style_id:
        properties = SubElement(run, _W_RPR)
        SubElement(properties, _W_RSTYLE, {_W_VAL: style_id})
    if "\t" in text or "\n" in text:
        run.text = text  # python-docx writes w:tab and w:br for these
    else:
        characters = SubElement(run, _W_T)
        characters.text = text
        if text != text.strip():
            characters.set(_XML_SPACE, "preserve")
    return run


# --- Title page and contents -----------------------------------------------------------------


def _write_cover(body: _Body, draft: Draft, status: str) -> None:
    body.paragraph("Cover Partnership", _one_line(draft.partnership))
    body.paragraph("Title", _one_line(draft.title))
    department = _one_line(draft.department)
    body.paragraph(
        "Subtitle", f"A regional response to the {department or 'government'} consultation"
    )
    for label, value in (
        ("Reference", draft.reference),
        ("Department", draft.department),
        ("Date", plain_date(draft.prepared_on)),
    ):
        if _one_line(value):
            body.paragraph("Cover Detail", f"{label}\t{_one_line(value)}")
    for block in _cover_extras(draft):
        body.paragraph("Cover Detail", _one_line(block.text))
    body.paragraph("Cover Status", status)
    body.page_break()


def _cover_extras(draft: Draft) -> list[Block]:
    """Return the cover section's lines that say something the title page does not already.

    The title page is made from the draft's own facts, so that approval can change its status;
    a cover line naming the partnership or the reference, or giving the date or the status,
    would say it twice.
    """
    shown = [draft.partnership, draft.reference, plain_date(draft.prepared_on), draft.status]
    facts = [_one_line(fact).casefold() for fact in shown if _one_line(fact)]
    extras = []
    for section in draft.sections:
        if section.key != "cover":
            continue
        for block in _included_blocks(section.blocks):
            text = _one_line(block.text).casefold()
            if block.kind == "paragraph" and not any(fact in text for fact in facts):
                extras.append(block)
    return extras


def _write_contents(body: _Body, plan: Sequence[_PlannedSection]) -> None:
    """Write the contents: one TOC field whose shown result lists the headings, linked.

    Page numbers are left to Word, which rebuilds the field when the document opens: written
    here they could only be guesses, and LibreOffice shows a field's last result as it stands.
    """
    body.paragraph("TOC Heading", "Contents")
    headings = [h for h in _headings(plan) if h.level <= TOC_LEVELS] or [None]
    for index, heading in enumerate(headings):
        paragraph = body.paragraph(f"toc {heading.level if heading else 1}")
        if index == 0:
            paragraph.extend(_field_start(TOC_INSTRUCTION))
        if heading is None:
            paragraph.append(_run("Update this field to list the sections."))
        else:
            link = OxmlElement("w:hyperlink", {qn("w:anchor"): heading.bookmark})
            link.append(_run(heading.text))
            paragraph.append(link)
        if index == len(headings) - 1:
            paragraph.append(_field_char("end"))
    body.page_break()


# --- Fields ----------------------------------------------------------------------------------


def _field(instruction: str, shown: str) -> list[CT_R]:
    """Return the runs of a complex field: begin, instruction, separate, result, end."""
    return [*_field_start(instruction), _run(shown), _field_char("end")]


def _field_start(instruction: str) -> list[CT_R]:
    code = OxmlElement("w:r")
    text = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    text.text = f" {instruction} "
    code.append(text)
    return [_field_char("begin"), code, _field_char("separate")]


def _field_char(kind: str) -> CT_R:
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))
    return run


# --- Sections and blocks ---------------------------------------------------------------------


def _write_section(body: _Body, planned: _PlannedSection, number: int) -> WrittenSection:
    if planned.section.key == "annex":
        body.page_break()
    body.placed, body.block = [], -1
    if planned.heading is not None:
        _write_heading(body, planned.heading)
    numbered = planned.section.key not in UNNUMBERED_SECTIONS
    positions = {id(block): index for index, block in enumerate(planned.section.blocks)}
    for index, block in enumerate(planned.blocks):
        body.block = positions[id(block)]
        # A question section opens with the department's question: its words, not ours.
        ours = not (planned.section.question_id is not None and body.block == 0)
        _write_block(body, block, planned.subheadings.get(index), numbered=numbered and ours)
    return WrittenSection(number, planned.section, body.placed)


def _write_heading(body: _Body, heading: _Heading) -> None:
    paragraph = body.paragraph(f"Heading {heading.level}")
    bookmark_id = str(heading.number)
    paragraph.append(
        OxmlElement("w:bookmarkStart", {qn("w:id"): bookmark_id, qn("w:name"): heading.bookmark})
    )
    paragraph.append(_run(heading.text))
    paragraph.append(OxmlElement("w:bookmarkEnd", {qn("w:id"): bookmark_id}))


def _write_block(
    body: _Body, block: Block, heading: _Heading | None, *, numbered: bool = False
) -> None:
    if block.kind == "subheading":
        if heading is not None:
            _write_heading(body, heading)
    elif block.kind == "point":
        paragraph = body.paragraph("List Bullet", plain_text(block.text).strip())
        if numbered:
            body.number(paragraph)
    elif block.kind == "quote":
        _write_quote(body, block)
    elif block.kind == "figure":
        paragraph = body.paragraph("Evidence Figure", plain_text(block.text).strip())
        if _one_line(block.attribution):
            body.run(paragraph, f" — {_one_line(block.attribution)}", "Attribution")
    elif block.kind == "table":
        body.table(_table(body, block.rows))
    else:
        for text in _BLANK_LINE.split(plain_text(block.text).strip()):
            paragraph = body.paragraph("Normal", text)
            if numbered:
                body.number(paragraph)


def _write_quote(body: _Body, block: Block) -> None:
    words = plain_text(block.text).strip()
    if not words.startswith(_OPENING_QUOTES):
        words = f"“{words}”"
    body.paragraph("Quote", words)
    if _one_line(block.attribution):
        body.paragraph("Quote Attribution", f"— {_one_line(block.attribution)}")


# --- Tables ----------------------------------------------------------------------------------


def _table(body: _Body, rows: Sequence[Sequence[str]]) -> CT_Tbl:
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
        cell.append(_paragraph(style_id, text))
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
