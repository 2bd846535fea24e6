"""Read the documents people send us into plain values, in reading order.

This is the one reading layer for every importer (questions, partners' Word and PDF letters,
spreadsheets). It says what a document holds and how it is laid out; deciding what that means
(which paragraph is a question, which part answers which question) is the importers' work.

- A Word document (.docx) or a PDF becomes a tuple of ``Block``: each paragraph, and each
  table row, in document order, with its style, heading level, list level and the number Word
  would show in front of it (Word keeps list numbers in numbering.xml, not in the text).
- A workbook (.xlsx) or a CSV file becomes a tuple of ``Sheet``: its rows as plain values,
  numbered as a person sees them.

Each format is opened in one function (``open_docx``, ``open_pdf``, ``open_workbook``,
``read_csv``), so the checks on what a file may cost to open live in one place per format.
A PDF is read within ``PDF_LIMITS``: a page count, a time budget and pypdf's own limits on how
far a stream may unpack and how much a page's content may hold, so that a small file that
expands enormously is refused rather than read.

Why pypdf: it is BSD-licensed and pure Python with no dependencies, it reads text in the order
the page draws it (for PDFs saved from Word or LibreOffice, the reading order), it gives each
piece of text's position, font and size (enough to tell headings, bold lines and footnote
markers), and it bounds decompression and content parsing itself. Measured here on an 18-page
paper saved from LibreOffice: pypdf 0.46 s, pdfplumber (MIT, on pdfminer.six) 1.72 s for the
same text; PyMuPDF is AGPL.
"""

from __future__ import annotations

import csv
import io
import re
import time
import zlib
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import docx
import openpyxl
import pypdf
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from pypdf.errors import PyPdfError

from consultations.errors import ValidationFailed
from consultations.files import (
    DOCX_ERRORS,
    FILE_TYPES,
    XLSX_ERRORS,
    FileType,
    check_file,
    damaged_message,
    decode_text,
    display_name,
    encrypted_message,
    refuse,
)

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from lxml.etree import _Element as Element
    from openpyxl.workbook.workbook import Workbook

# --- What a document is read into ------------------------------------------------------------


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


@dataclass(frozen=True)
class Contents:
    """What a file holds, read: blocks for Word and PDF, sheets for workbooks and CSV."""

    name: str  # the file's name, safe to show
    file_type: FileType
    blocks: tuple[Block, ...] = ()
    sheets: tuple[Sheet, ...] = ()


def read_file(
    filename: str,
    data: bytes,
    *,
    accepted: Collection[str],
    max_bytes: int,
    subject: str | None = None,
) -> Contents:
    """Check a file (``consultations.files.check_file``) and read it into plain values.

    ``accepted`` lists the extensions the caller takes, among ".docx", ".pdf", ".xlsx" and
    ".csv". Raise ``ValidationFailed`` with a message saying what to do when the file cannot be
    read.
    """
    name = display_name(filename)
    subject = subject or f"The file '{name}'"
    file_type = check_file(name, data, accepted=accepted, max_bytes=max_bytes, subject=subject)
    if file_type.key == "docx":
        return Contents(name, file_type, blocks=read_docx(data, subject=subject))
    if file_type.key == "pdf":
        return Contents(name, file_type, blocks=read_pdf(data, subject=subject))
    if file_type.key == "xlsx":
        return Contents(name, file_type, sheets=read_xlsx(data, subject=subject))
    return Contents(name, file_type, sheets=read_csv(data, subject=subject))


def tidy(text: str) -> str:
    """Collapse every run of white space (new lines and tabs too) to one space."""
    return " ".join(text.split())


# --- Word documents ---------------------------------------------------------------------------


def open_docx(data: bytes, *, subject: str) -> WordDocument:
    """Open a .docx already through ``check_file``; refuse it if it is damaged inside."""
    try:
        return docx.Document(io.BytesIO(data))
    except DOCX_ERRORS as exc:
        raise ValidationFailed([damaged_message(FILE_TYPES["docx"])], subject=subject) from exc


def read_docx(data: bytes, *, subject: str) -> tuple[Block, ...]:
    """Read a .docx's paragraphs and table rows in document order."""
    return docx_blocks(open_docx(data, subject=subject))


def docx_blocks(document: WordDocument) -> tuple[Block, ...]:
    """Read an open Word document's paragraphs and table rows in document order."""
    styles = _read_styles(document)
    counters = _ListCounters(styles.numbering)
    blocks: list[Block] = []
    paragraphs = tables = 0
    for element in _body_blocks(document.element.body):
        if element.tag == _W_P:
            paragraphs += 1
            blocks.append(_paragraph_block(element, styles, counters, f"paragraph {paragraphs}"))
        else:
            tables += 1
            blocks.extend(_table_blocks(element, tables))
    return tuple(blocks)


_W_P, _W_TBL, _W_TR, _W_TC, _W_R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
_W_SDT, _W_SDT_CONTENT, _W_CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_W_T, _W_TAB, _W_BREAKS = qn("w:t"), qn("w:tab"), {qn("w:br"), qn("w:cr")}
_W_CHECKBOX, _W_SYM, _W_CHAR = qn("w:checkBox"), qn("w:sym"), qn("w:char")
_W_VAL = qn("w:val")
_CONTAINERS = {_W_SDT, _W_SDT_CONTENT, _W_CUSTOM_XML}
# Text a reader does not see: text boxes (drawn separately), deleted or moved-away revisions,
# field codes ("FORMCHECKBOX"), properties, and the duplicate fallback copy of drawings.
_HIDDEN = {
    qn("w:txbxContent"),
    qn("w:del"),
    qn("w:moveFrom"),
    qn("w:instrText"),
    qn("w:pPr"),
    qn("w:rPr"),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
}
# Wingdings characters Word uses for empty and ticked boxes.
_BOX_SYMBOLS = {"F06F", "F070", "F071", "F072", "F0A8", "F0FD", "F0FE"}
# A typed footnote marker set in superscript: "1", "12", "[3]", "*", "†".
_MARKER_RUN = re.compile(r"^\s*(?:\[?\d{1,3}\]?|[*†‡]+)\s*$")
# Bullets typed into the text instead of made by Word's list numbering.
_TYPED_BULLET = re.compile(r"^[•·▪◦●○■□➢►‣⁃\-–\uf0b7\uf0a7\uf076\uf0d8]\s+")


def _children(element: Element, wanted: str) -> Iterator[Element]:
    """Yield the ``wanted`` children of an element, looking inside content controls."""
    for child in element:
        if child.tag == wanted:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _children(child, wanted)


def _body_blocks(element: Element) -> Iterator[Element]:
    for child in element:
        if child.tag in (_W_P, _W_TBL):
            yield child
        elif child.tag in _CONTAINERS:
            yield from _body_blocks(child)


def _run_property(run: Element, name: str) -> Element | None:
    return run.find(f"{qn('w:rPr')}/{qn(name)}")


def _skipped_run(run: Element) -> bool:
    """Say whether a run is hidden text, or a footnote marker typed in superscript."""
    vanish = _run_property(run, "w:vanish")
    if vanish is not None and vanish.get(_W_VAL) not in ("0", "false"):
        return True
    align = _run_property(run, "w:vertAlign")
    if align is None or align.get(_W_VAL) != "superscript":
        return False
    return bool(_MARKER_RUN.match("".join(t.text or "" for t in run.iter(_W_T))))


def _text_pieces(element: Element) -> Iterator[str]:
    for child in element:
        if child.tag in _HIDDEN or (child.tag == _W_R and _skipped_run(child)):
            continue
        if child.tag == _W_T:
            yield child.text or ""
        elif child.tag == _W_TAB:
            yield "\t"
        elif child.tag in _W_BREAKS:
            yield "\n"
        elif child.tag == _W_CHECKBOX or (
            child.tag == _W_SYM and (child.get(_W_CHAR) or "").upper() in _BOX_SYMBOLS
        ):
            yield "☐"
        else:
            yield from _text_pieces(child)


def paragraph_text(p: Element) -> str:
    """Return a paragraph's visible text, tick boxes as "☐", without typed footnote markers.

    The runs are read here rather than with python-docx's ``Paragraph.text``, which skips
    inline content controls: that is where Word keeps the tick boxes of a response form.
    """
    return "".join(_text_pieces(p)).strip()


def _cell_lines(tc: Element) -> tuple[str, ...]:
    paragraphs = (node for node in tc.iter(_W_P) if not _inside_hidden(node, tc))
    return tuple(text for text in map(paragraph_text, paragraphs) if text)


def _inside_hidden(node: Element, stop: Element) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in _HIDDEN:
            return True
        parent = parent.getparent()
    return False


def _table_blocks(tbl: Element, table_index: int) -> Iterator[Block]:
    for row_index, tr in enumerate(_children(tbl, _W_TR), start=1):
        cells = tuple(_cell_lines(tc) for tc in _children(tr, _W_TC))
        yield Block(f"table {table_index}, row {row_index}", cells, in_table=True)


@dataclass(frozen=True)
class _StyleFacts:
    name: str
    heading_level: int | None
    numbering: tuple[str, str] | None  # (numId, ilvl) the style, or one it is based on, gives


@dataclass(frozen=True)
class _Level:
    """One level of a Word list definition: how its number is written."""

    start: int = 1
    fmt: str = "decimal"  # Word's numFmt: decimal, lowerLetter, upperRoman, bullet, none ...
    text: str = "%1."  # Word's lvlText, "%1." or "Question %1:" or "%1.%2"
    legal: bool = False  # isLgl: every level's number shown as decimal


@dataclass(frozen=True)
class _Numbering:
    """numbering.xml, read: each list instance's definition and its overrides."""

    abstract_of: dict[str, str]  # numId -> abstractNumId
    levels: dict[str, dict[int, _Level]]  # abstractNumId -> level -> definition
    overrides: dict[str, dict[int, int]]  # numId -> level -> start override


@dataclass(frozen=True)
class _Styles:
    facts: dict[str, _StyleFacts]
    numbering: _Numbering
    default_style: str | None

    def of(self, p: Element) -> _StyleFacts | None:
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        style_id = self.default_style if style is None else style.get(_W_VAL)
        return self.facts.get(style_id or "")


def _numbering_of(element: Element) -> tuple[str | None, str | None]:
    num_pr = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    if num_pr is None:
        return None, None
    num_id, ilvl = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
    return (
        None if num_id is None else num_id.get(_W_VAL),
        None if ilvl is None else ilvl.get(_W_VAL),
    )


def _outline_level(element: Element) -> int | None:
    outline = element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    value = None if outline is None else outline.get(_W_VAL)
    return int(value) + 1 if value and value.isdigit() and int(value) < 9 else None


def _heading_level_of(name: str) -> int | None:
    lowered = name.lower()
    if lowered in ("title", "subtitle"):
        return 0
    match = re.match(r"heading\s*(\d)$", lowered)
    return int(match.group(1)) if match else None


def _style_facts(document: WordDocument) -> dict[str, _StyleFacts]:
    """Map each paragraph style id to its name, heading level and the numbering it carries."""
    facts = {}
    for style in document.styles:
        if style.type != WD_STYLE_TYPE.PARAGRAPH:
            continue
        numbering, level, base = None, _heading_level_of(style.name or ""), style
        while base is not None:
            if numbering is None:
                num_id, ilvl = _numbering_of(base.element)
                numbering = (num_id, ilvl or "0") if num_id else None
            if level is None:
                level = _outline_level(base.element)
            base = base.base_style
        facts[style.style_id] = _StyleFacts(style.name or "", level, numbering)
    return facts


def _int(element: Element | None, default: int) -> int:
    value = None if element is None else element.get(_W_VAL)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _read_level(level: Element) -> _Level:
    fmt, text = level.find(qn("w:numFmt")), level.find(qn("w:lvlText"))
    legal = level.find(qn("w:isLgl"))
    return _Level(
        start=_int(level.find(qn("w:start")), 1),
        fmt="decimal" if fmt is None else fmt.get(_W_VAL) or "decimal",
        text="" if text is None else text.get(_W_VAL) or "",
        legal=legal is not None and legal.get(_W_VAL) not in ("0", "false"),
    )


def _read_numbering(document: WordDocument) -> _Numbering:
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):  # a document with no lists has no numbering part
        return _Numbering({}, {}, {})
    levels: dict[str, dict[int, _Level]] = {}
    for definition in root.findall(qn("w:abstractNum")):
        found = levels.setdefault(definition.get(qn("w:abstractNumId")) or "", {})
        for level in definition.findall(qn("w:lvl")):
            found[_int_attribute(level, "w:ilvl")] = _read_level(level)
    abstract_of: dict[str, str] = {}
    overrides: dict[str, dict[int, int]] = {}
    for num in root.findall(qn("w:num")):
        num_id = num.get(qn("w:numId")) or ""
        abstract = num.find(qn("w:abstractNumId"))
        abstract_of[num_id] = "" if abstract is None else abstract.get(_W_VAL) or ""
        for override in num.findall(qn("w:lvlOverride")):
            start = override.find(qn("w:startOverride"))
            if start is not None:
                level = _int_attribute(override, "w:ilvl")
                overrides.setdefault(num_id, {})[level] = _int(start, 1)
    return _Numbering(abstract_of, levels, overrides)


def _int_attribute(element: Element, name: str) -> int:
    value = element.get(qn(name)) or "0"
    return int(value) if value.isdigit() else 0


def _read_styles(document: WordDocument) -> _Styles:
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    return _Styles(
        _style_facts(document),
        _read_numbering(document),
        None if default is None else default.style_id,
    )


_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def _roman(number: int) -> str:
    pieces = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        pieces.append(letters * count)
    return "".join(pieces)


def _letters(number: int) -> str:
    # Word writes 27 as "aa", 28 as "bb": the letter repeated, not spreadsheet columns.
    if number <= 0:
        return str(number)
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def format_list_number(number: int, fmt: str) -> str:
    """Write a list counter as Word shows it in a number format ("decimal", "lowerRoman" ...)."""
    if fmt in ("lowerLetter", "upperLetter"):
        text = _letters(number)
        return text.upper() if fmt == "upperLetter" else text
    if fmt in ("lowerRoman", "upperRoman") and number > 0:
        text = _roman(number)
        return text.upper() if fmt == "upperRoman" else text
    if fmt == "decimalZero":
        return f"{number:02d}"
    return str(number)


@dataclass
class _ListCounters:
    """Count list paragraphs as Word does, to know the number it shows in front of each."""

    numbering: _Numbering
    counts: dict[str, list[int | None]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    def number(self, num_id: str, level: int) -> tuple[str, bool]:
        """Count a paragraph of list ``num_id`` at ``level``: (text Word shows, bullet)."""
        abstract = self.numbering.abstract_of.get(num_id)
        definitions = self.numbering.levels.get(abstract or "", {})
        definition = definitions.get(level, _Level())
        if definition.fmt == "bullet":
            return "", True
        if definition.fmt == "none" and "%" not in definition.text:
            return definition.text.strip(), False
        # Lists that share a definition share their counters, as in Word, unless a list
        # instance restarts them (a "startOverride", Word's "Restart numbering").
        counts = self.counts.setdefault(abstract or num_id, [None] * 9)
        if num_id not in self.started:
            self.started.add(num_id)
            for overridden, start in self.numbering.overrides.get(num_id, {}).items():
                if 0 <= overridden < 9:
                    counts[overridden] = start - 1
        current = counts[level]
        counts[level] = (definition.start - 1 if current is None else current) + 1
        for deeper in range(level + 1, 9):
            counts[deeper] = None
        return self.shown(definitions, counts, definition), False

    @staticmethod
    def shown(definitions: dict[int, _Level], counts: list[int | None], definition: _Level) -> str:
        def level_text(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            level = definitions.get(index, _Level())
            count = counts[index] if 0 <= index < 9 else None
            value = level.start if count is None else count
            return format_list_number(value, "decimal" if definition.legal else level.fmt)

        return re.sub(r"%([1-9])", level_text, definition.text).strip()


def _paragraph_block(p: Element, styles: _Styles, counters: _ListCounters, source: str) -> Block:
    facts = styles.of(p)
    text = paragraph_text(p)
    heading_level = _outline_level(p)
    if heading_level is None and facts is not None:
        heading_level = facts.heading_level
    num_id, ilvl = _numbering_of(p)
    if num_id is None and facts is not None and facts.numbering:
        num_id, ilvl = facts.numbering[0], ilvl or facts.numbering[1]
    list_level = list_number = None
    bullet = False
    # numId 0 switches off numbering a style would give.
    if num_id not in (None, "0") and text:
        list_level = int(ilvl) if ilvl and ilvl.isdigit() else 0
        list_number, bullet = counters.number(num_id, list_level)
    if list_level is not None and facts is not None:
        # "List Bullet 2" is Word's second level of bullets, whatever level its numbering says.
        styled = re.fullmatch(r"list(?: bullet| number| continue)? ([2-9])", facts.name.lower())
        list_level = max(list_level, int(styled.group(1)) - 1) if styled else list_level
    typed = _TYPED_BULLET.match(text)
    if typed and not list_number:
        text, bullet = text[typed.end() :], True
    return Block(
        source=source,
        cells=((text,),),
        style=facts.name if facts else "",
        heading_level=heading_level,
        list_level=list_level,
        list_number=list_number or "",
        bullet=bullet,
    )


# --- PDFs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfLimits:
    """What reading one PDF may cost, well beyond any real consultation paper or letter."""

    max_pages: int = 300
    seconds: float = 3.5  # of the upload's 5 s parse budget: one more page may start
    stream_bytes: int = 4 * 1024 * 1024  # one stream (a page's content), unpacked
    content_operations: int = 100_000  # one page's drawing operations and operands


PDF_LIMITS = PdfLimits()
# What pypdf raises on damaged PDFs: its own errors (limits included), and the Python errors
# that malformed objects surface as.
PDF_ERRORS = (
    PyPdfError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
    OSError,
    EOFError,
    zlib.error,
    NotImplementedError,
)


def pdf_damaged_message() -> str:
    """Say that a PDF could not be read, and what to send instead."""
    return (
        "it could not be read as a PDF and may be damaged; open it, save or print it again as "
        "PDF, or upload the Word version of the document"
    )


def _pdf_configuration(limits: PdfLimits) -> pypdf.Configuration:
    return pypdf.Configuration(
        maximum_declared_stream_length=limits.stream_bytes,
        zlib_maximum_output_length=limits.stream_bytes,
        lzw_maximum_output_length=limits.stream_bytes,
        run_length_maximum_output_length=limits.stream_bytes,
        brotli_maximum_output_length=limits.stream_bytes,
        array_based_stream_maximum_output_length=limits.stream_bytes,
        stream_decoding_work_maximum_length=4 * limits.stream_bytes,
        stream_parsing_work_maximum_count=limits.content_operations,
        page_tree_maximum_entries=limits.max_pages + 100,
        page_tree_maximum_page_entries=20 * (limits.max_pages + 100),
        xform_maximum_invocations_per_extraction=500,
        jbig2dec_binary=None,
    )


def open_pdf(data: bytes, *, subject: str, limits: PdfLimits = PDF_LIMITS) -> pypdf.PdfReader:
    """Open a PDF already through ``check_file``: refuse it when locked, damaged or too long."""
    with pypdf.apply_configuration(_pdf_configuration(limits)):
        try:
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                refuse(subject, encrypted_message())
            declared = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
            pages = declared if isinstance(declared, int) and declared > limits.max_pages else 0
            pages = pages or len(reader.pages)
        except PyPdfError as exc:
            if "limit" in str(exc).lower() or "maximum" in str(exc).lower():
                refuse(subject, _too_many_pages_message(limits))
            raise ValidationFailed([pdf_damaged_message()], subject=subject) from exc
        except PDF_ERRORS as exc:
            raise ValidationFailed([pdf_damaged_message()], subject=subject) from exc
    if pages > limits.max_pages:
        refuse(subject, _too_many_pages_message(limits, pages))
    return reader


def _too_many_pages_message(limits: PdfLimits, pages: int | None = None) -> str:
    has = f"it has {pages:,} pages" if pages else "it has too many pages"
    return (
        f"{has} and at most {limits.max_pages} can be read; upload the part with the "
        "questions or answers (or the Word version) instead"
    )


def read_pdf(data: bytes, *, subject: str, limits: PdfLimits = PDF_LIMITS) -> tuple[Block, ...]:
    """Read a PDF's text as paragraphs (and rows of table-like lines) in reading order."""
    started = time.monotonic()
    reader = open_pdf(data, subject=subject, limits=limits)
    pages: list[list[_Line]] = []
    with pypdf.apply_configuration(_pdf_configuration(limits)):
        for number, page in enumerate(reader.pages, start=1):
            if time.monotonic() - started > limits.seconds:
                refuse(subject, _too_slow_message(limits))
            try:
                # Unpacking the content first applies the limits even to a page that names no
                # font, which pypdf's text extraction would pass over without reading.
                contents = page.get_contents()
                if contents is not None:
                    contents.get_data()
                pages.append(_page_lines(page, number))
            except PyPdfError as exc:
                if "limit" in str(exc).lower() or "maximum" in str(exc).lower():
                    refuse(subject, _too_big_page_message(number))
                raise ValidationFailed([pdf_damaged_message()], subject=subject) from exc
            except PDF_ERRORS as exc:
                raise ValidationFailed([pdf_damaged_message()], subject=subject) from exc
    return _pdf_blocks(_without_running_heads(pages))


def _too_slow_message(limits: PdfLimits) -> str:
    return (
        f"it could not be read within {limits.seconds:g} seconds, far longer than a real "
        "document takes; upload the part with the questions or answers, or the Word version"
    )


def _too_big_page_message(page: int) -> str:
    return (
        f"page {page} holds far more than any real document's page and was not read; upload "
        "the Word version, or print the document to PDF again"
    )


@dataclass
class _Piece:
    """A piece of text as the page draws it."""

    text: str
    x: float
    y: float
    size: float
    bold: bool


@dataclass
class _Line:
    """One line of a page: its pieces grouped into cells where wide gaps separate them."""

    page: int
    y: float
    size: float
    bold: bool
    cells: list[tuple[float, str]]  # (left edge, text)
    top: float = 0.0  # the page's height, to tell running heads and feet
    right: float = 0.0  # where the line's text ends, estimated
    first_on_page: bool = False  # the page's first line once running heads are left out

    @property
    def text(self) -> str:
        return "   ".join(text for _, text in self.cells)

    @property
    def x(self) -> float:
        return self.cells[0][0]


def _font_is_bold(font: object) -> bool:
    name = str(font.get("/BaseFont", "")) if hasattr(font, "get") else ""
    return bool(re.search(r"bold|black|heavy|semibold|,b\b", name, re.IGNORECASE))


def _page_pieces(page: pypdf.PageObject) -> list[_Piece]:
    pieces: list[_Piece] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0
        pieces.append(_Piece(text.replace("\n", " "), x, y, size * scale, _font_is_bold(font)))

    page.extract_text(visitor_text=visit)
    return pieces


def _page_lines(page: pypdf.PageObject, number: int) -> list[_Line]:
    """Group a page's pieces into lines, top to bottom, leaving out footnote markers."""
    height = float(page.mediabox.height)
    rows: list[list[_Piece]] = []
    for piece in sorted(_page_pieces(page), key=lambda p: (-round(p.y, 0), p.x)):
        if rows and abs(rows[-1][0].y - piece.y) <= 0.5 * max(piece.size, rows[-1][0].size):
            rows[-1].append(piece)
        else:
            rows.append([piece])
    return [line for row in rows if (line := _line(row, number, height)) is not None]


def _line(row: list[_Piece], page: int, height: float) -> _Line | None:
    main = max(piece.size for piece in row)
    baseline = min(piece.y for piece in row if piece.size >= 0.9 * main)
    kept = [
        piece
        for piece in sorted(row, key=lambda p: p.x)
        # A raised, smaller number is a footnote marker, not text.
        if not (
            piece.size < 0.85 * main
            and piece.y > baseline + 0.15 * main
            and _MARKER_RUN.match(piece.text)
        )
    ]
    if not kept:
        return None
    cells: list[tuple[float, str]] = []
    end = None
    for piece in kept:
        width = _width(piece)
        if end is not None and piece.x - end > 2.5 * piece.size:
            cells.append((piece.x, piece.text.strip()))
        elif cells:
            close = end is not None and piece.x - end < 0.15 * piece.size
            joiner = "" if close or piece.text.lstrip()[:1] in ".,;:?!)]" else " "
            left, text = cells[-1]
            cells[-1] = (left, (text + joiner + piece.text.strip()).strip())
        else:
            cells.append((piece.x, piece.text.strip()))
        end = piece.x + width
    bold = all(piece.bold for piece in kept)
    size = Counter(round(p.size, 1) for p in kept for _ in p.text).most_common(1)[0][0]
    cells = [(x, tidy(t)) for x, t in cells if t.strip()]
    return _Line(page, baseline, size, bold, cells, height, right=end or 0.0)


def _width(piece: _Piece) -> float:
    # pypdf gives no widths: half the font size per character is close for text fonts.
    return 0.5 * piece.size * len(piece.text)


_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–]?\s*\d{1,4}\s*[-–]?(?:\s+of\s+\d{1,4})?$", re.I)


def _without_running_heads(pages: list[list[_Line]]) -> list[_Line]:
    """Drop page numbers and the lines repeated at the top or foot of most pages."""

    def key(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text.lower())

    def at_edge(line: _Line) -> bool:
        return line.y > 0.92 * line.top or line.y < 0.08 * line.top

    repeated = Counter(
        key(line)
        for lines in pages
        for line in {key(x): x for x in lines}.values()
        if at_edge(line)
    )
    enough = max(2, len(pages) // 2)
    kept = []
    for lines in pages:
        first = True
        for line in lines:
            if at_edge(line) and (repeated[key(line)] >= enough or _PAGE_NUMBER.match(line.text)):
                continue
            line.first_on_page, first = first, False
            kept.append(line)
    return kept


_STARTS_ITEM = re.compile(
    r"^(?:[•·▪◦●○■□➢►‣⁃\-–\uf0b7\uf0a7]\s|\(?[a-z0-9]{1,3}[.)]\s|\d+\.\d+\s|"
    r"(?:q|question)\s*\d)",
    re.IGNORECASE,
)


def _pdf_blocks(lines: list[_Line]) -> tuple[Block, ...]:
    paragraphs = _paragraphs(lines)
    body = _body_size(paragraphs)
    sizes = sorted({round(p.size) for p in paragraphs if p.size >= 1.15 * body}, reverse=True)
    title = _title_size(paragraphs, sizes)
    blocks = []
    for index, paragraph in enumerate(paragraphs, start=1):
        block = _pdf_block(paragraph, index, body, [size for size in sizes if size != title])
        if title is not None and round(paragraph.size) == title:
            block = replace(block, heading_level=0)
        blocks.append(block)
    return tuple(blocks)


def _title_size(paragraphs: list[_PdfParagraph], sizes: list[int]) -> int | None:
    """Return the largest size when only the document's first lines use it: its title."""
    if not sizes:
        return None
    largest = [i for i, p in enumerate(paragraphs) if round(p.size) == sizes[0]]
    return sizes[0] if largest and max(largest) < 3 and len(sizes) > 1 else None


@dataclass
class _PdfParagraph:
    page: int
    size: float
    bold: bool
    cells: list[tuple[float, list[str]]]  # (left edge, lines)
    last: _Line

    @property
    def lines(self) -> int:
        return max(len(lines) for _, lines in self.cells)


def _paragraphs(lines: list[_Line]) -> list[_PdfParagraph]:
    widths = sorted(line.right - line.x for line in lines if len(line.cells) == 1)
    full = widths[int(0.8 * (len(widths) - 1))] if widths else 450.0
    paragraphs: list[_PdfParagraph] = []
    for line in lines:
        current = paragraphs[-1] if paragraphs else None
        if current is not None and _continues(current, line, full):
            _extend(current, line)
        else:
            cells = [(x, [text]) for x, text in line.cells]
            paragraphs.append(_PdfParagraph(line.page, line.size, line.bold, cells, line))
    return paragraphs


def _continues(paragraph: _PdfParagraph, line: _Line, full: float) -> bool:
    last = paragraph.last
    if abs(line.size - last.size) > 0.6 or line.bold != last.bold:
        return False
    if len(line.cells) == 1 and _STARTS_ITEM.match(line.text):
        return False
    single = len(paragraph.cells) == 1
    # A paragraph's last line is short (and usually ends a sentence); the lines before it are
    # full, whether or not the paragraphs have space between them.
    width = last.right - last.x
    ended = last.text.rstrip().endswith((".", "?", "!"))
    if single and (width < 0.6 * full or (ended and width < 0.8 * full)):
        return False
    if line.page != last.page:
        # A paragraph that runs over the page: a full last line, then the next page's first.
        return single and line.page == last.page + 1 and line.first_on_page and not ended
    gap = last.y - line.y
    if gap <= 0 or gap > 1.45 * max(line.size, last.size) * 1.2 * 1.05:
        return False
    lefts = [x for x, _ in paragraph.cells]
    if not all(any(abs(x - left) < 1.5 * line.size for left in lefts) for x, _ in line.cells):
        return _hangs(paragraph, line)
    return not (single and abs(line.x - lefts[0]) > 1.5 * line.size) or _hangs(paragraph, line)


def _hangs(paragraph: _PdfParagraph, line: _Line) -> bool:
    """Say whether a line is the wrapped text of a bullet or numbered item, indented under it."""
    first = paragraph.cells[0][1][0]
    left = paragraph.cells[0][0]
    return (
        len(paragraph.cells) == 1
        and len(line.cells) == 1
        and bool(_STARTS_ITEM.match(first))
        and left < line.x <= left + 4 * line.size
    )


def _extend(paragraph: _PdfParagraph, line: _Line) -> None:
    for x, text in line.cells:
        cell = min(paragraph.cells, key=lambda c: abs(c[0] - x))
        cell[1].append(text)
    paragraph.last = line


def _body_size(paragraphs: list[_PdfParagraph]) -> float:
    weights: Counter[float] = Counter()
    for paragraph in paragraphs:
        for _, lines in paragraph.cells:
            weights[round(paragraph.size)] += sum(len(line) for line in lines)
    return float(weights.most_common(1)[0][0]) if weights else 11.0


def _joined(lines: list[str]) -> str:
    text = ""
    for line in lines:
        # A word broken at the line's end with a hyphen is joined again.
        if text.endswith("-") and line[:1].islower():
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return tidy(text)


def _pdf_block(paragraph: _PdfParagraph, index: int, body: float, sizes: list[int]) -> Block:
    cells = tuple((_joined(lines),) for _, lines in paragraph.cells)
    text = cells[0][0] if cells else ""
    level = None
    if len(cells) == 1 and paragraph.lines <= 3 and not text.endswith((".", ",", ";")):
        if round(paragraph.size) in sizes:
            level = sizes.index(round(paragraph.size)) + 1
        elif paragraph.bold and len(text.split()) <= 15 and not text.endswith("?"):
            level = len(sizes) + 1
    bullet = False
    typed = _TYPED_BULLET.match(text)
    if typed and len(cells) == 1:
        cells, bullet = ((text[typed.end() :],),), True
    return Block(
        source=f"page {paragraph.page}, paragraph {index}",
        cells=cells,
        heading_level=level,
        bullet=bullet,
        in_table=len(cells) > 1,
        font_size=paragraph.size,
        bold=paragraph.bold,
    )


# --- Spreadsheets -----------------------------------------------------------------------------


def open_workbook(data: bytes, *, subject: str) -> Workbook:
    """Open an .xlsx already through ``check_file``, read-only with values, not formulas."""
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except XLSX_ERRORS as exc:
        raise ValidationFailed([damaged_message(FILE_TYPES["xlsx"])], subject=subject) from exc


def has_data(cells: Iterable[object]) -> bool:
    """Say whether a row holds anything but empty cells."""
    return any(cell is not None and str(cell).strip() for cell in cells)


def read_xlsx(data: bytes, *, subject: str) -> tuple[Sheet, ...]:
    """Read every worksheet that holds data, in the workbook's order."""
    workbook = open_workbook(data, subject=subject)
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            rows = tuple(enumerate(worksheet.iter_rows(values_only=True), start=1))
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
    sample = "\n".join(text.splitlines()[:10])
    return max((",", ";", "\t"), key=sample.count)


def read_csv(data: bytes, *, subject: str) -> tuple[Sheet, ...]:
    """Read a CSV file (UTF-8, UTF-16 or Windows-1252; ",", ";" or tab) as one sheet."""
    text = decode_text(data)
    if text is None:
        refuse(subject, "it is not a readable CSV text file; save it from Excel as CSV UTF-8")
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
        rows = tuple((number, tuple(cells)) for number, cells in enumerate(reader, start=1))
    except csv.Error as exc:
        raise ValidationFailed(
            [f"it could not be read as CSV ({exc}); save it again from Excel as CSV and upload it"],
            subject=subject,
        ) from exc
    if not any(has_data(cells) for _, cells in rows):
        return ()
    return (Sheet("CSV", rows),)


# --- Question markers, shared by the question import and the partners' responses -------------

_SUB_PART = r"(?:\s?\((?P<sub>[a-zA-Z])\)|(?P<sub2>[a-zA-Z])(?![a-zA-Z]))?"
# After an explicit number: a separator, a tab, the end, or a space before a capital, so that
# "Question 1 asks ..." in guidance and "Q1 2024" are not taken as questions.
_AFTER_NUMBER = r"(?:\s*[:.)\-–—]\s*|\t\s*|\s+(?=[A-Z\"“‘'(])|\s*$)(?P<text>.*)$"
# Papers that number questions by chapter write "Question 2.1"; the minor number is kept.
_MINOR = r"(?:\.(?P<minor>\d{1,2})(?![\d.]))?"
EXPLICIT_START = re.compile(
    r"^(?:(?i:(?:consultation\s+)?question)\s*|Q\s?)(?P<num>\d{1,3})"
    + _MINOR
    + _SUB_PART
    + _AFTER_NUMBER,
    re.DOTALL,
)
"""A paragraph that starts with its question's number: "Question 3:", "Q3.", "Q3a", "Q2.1"."""

BARE_START = re.compile(
    r"^(?P<num>\d{1,3})(?:\((?P<sub>[a-z])\)[.:]?|(?P<sub2>[a-z])?[.)])\s+(?P<text>\S.*)$",
    re.DOTALL,
)
"""A paragraph that starts with a bare number: "3. ...", "3) ...", "3a. ...", "3(a) ..."."""

NUMBER_LABEL = re.compile(
    r"^(?P<word>(?:question|q)\s*)?(?P<num>\d{1,3})(?:\.(?P<minor>\d{1,2}))?"
    r"\s*(?:\((?P<sub>[a-z])\)|(?P<sub2>[a-z]))?\s*[.:)]?$",
    re.IGNORECASE,
)
"""A cell (or a list number) that is only a question's number: "3", "Q3", "Question 3(a):"."""


def question_number(match: re.Match[str]) -> str:
    """Return the number one of the patterns above found, written as "Q3" or "Q3a"."""
    letter = match.group("sub") or match.group("sub2") or ""
    minor = match.groupdict().get("minor")
    return f"Q{int(match.group('num'))}{f'.{int(minor)}' if minor else ''}{letter.lower()}"


def number_sort_key(number: str) -> tuple[int, str]:
    """Order question numbers as people do: Q2 before Q10, Q3 before Q3.1 and Q3a."""
    digits = re.match(r"Q(\d+)(?:\.(\d+))?([a-z]?)", number)
    if not digits:
        return (10**6, number)
    minor = f"{int(digits.group(2)):03d}" if digits.group(2) else ""
    return (int(digits.group(1)), minor + digits.group(3))


_PART_HEADING = re.compile(
    r"^(?:(?:section|part|chapter|annexe?|appendix|schedule)\b"
    r"|about\s+you|response\s+form|your\s+details|respondent\s+(?:details|information)"
    r"|personal\s+(?:information|details)|privacy|confidentiality|data\s+protection"
    r"|freedom\s+of\s+information|how\s+to\s+respond|responding\s+to\s+this\s+consultation"
    r"|next\s+steps|contact\s+details|glossary|introduction|background"
    r"|(?:summary|list)\s+of\s+questions|consultation\s+questions)",
    re.IGNORECASE,
)


def is_part_heading(line: str) -> bool:
    """Say whether a line heads a new part of a document ("Annex A", "About you", "Chapter 2")."""
    text = tidy(line)
    if text.lower().startswith("thank you"):
        return True
    short = len(text.split()) <= 12 and not text.endswith((".", "?", ";", ","))
    return short and bool(_PART_HEADING.match(text))
