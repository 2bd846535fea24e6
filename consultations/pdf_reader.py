"""Read a PDF into blocks: paragraphs (and rows of table-like lines) in reading order.

pypdf gives each piece of text with its position, font and size (and a filled-in form's fields
their values, where they sit on the page); pieces are grouped into lines,
lines into paragraphs (a paragraph's last line is short; a paragraph may run over a page), with
headings told by size and boldness, page numbers and running heads dropped, and footnote
markers (small, raised numbers) left out. Reading is bounded by ``PDF_LIMITS``. Use it through
``consultations.documents``.

Why pypdf: it is BSD-licensed and pure Python with no dependencies, it reads text in the order
the page draws it (for PDFs saved from Word or LibreOffice, the reading order), it gives each
piece of text's position, font and size, and it bounds decompression and content parsing
itself. Measured here on an 18-page paper saved from LibreOffice: pypdf 0.46 s, pdfplumber
(MIT, on pdfminer.six) 1.72 s for the same text; PyMuPDF is AGPL.
"""

from __future__ import annotations

import io
import re
import time
import zlib
from collections import Counter
from dataclasses import dataclass, replace

import pypdf
from pypdf.errors import PyPdfError

from consultations.document_values import Block, tidy
from consultations.errors import ValidationFailed
from consultations.files import encrypted_message, refuse
from consultations.pdf_layout import (
    BOX_RUN,
    boxes_with_labels,
    bullet_levels,
    estimated_width,
    form_field_runs,
    table_columns,
)

# Bullets typed into the text, and footnote markers, as the Word reader knows them.
from consultations.word_reader import MARKER_RUN, TYPED_BULLET


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
    font: str = ""  # the font's family ("DejaVuSerif", "Arial"), without its style


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
    font: str = ""  # the family most of the line's letters are set in

    @property
    def text(self) -> str:
        return "   ".join(text for _, text in self.cells)

    @property
    def x(self) -> float:
        return self.cells[0][0]


def _font_family(font: object) -> str:
    """Return a font's family: "ABCDEF+DejaVuSerif-Bold" is "DejaVuSerif"."""
    name = str(font.get("/BaseFont", "")) if hasattr(font, "get") else ""
    return re.split(r"[-,]", name.split("+")[-1].lstrip("/"))[0]


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
        pieces.append(
            _Piece(
                text.replace("\n", " "),
                x,
                y,
                size * scale,
                _font_is_bold(font),
                _font_family(font),
            )
        )

    page.extract_text(visitor_text=visit)
    return pieces + _form_field_pieces(page, _body_face(pieces))


def _body_face(pieces: list[_Piece]) -> str:
    letters: Counter[str] = Counter()
    for piece in pieces:
        letters[piece.font] += len(piece.text)
    return letters.most_common(1)[0][0] if letters else ""


def _form_field_pieces(page: pypdf.PageObject, face: str) -> list[_Piece]:
    """Read a filled-in PDF form's fields (``consultations.pdf_forms``) as pieces of text."""
    try:
        runs = form_field_runs(page)
    except PDF_ERRORS:
        return []  # a damaged form field loses its value, never the page's text
    return [_Piece(text, x, y, size, False, face) for text, x, y, size in runs]


def _page_lines(page: pypdf.PageObject, number: int) -> list[_Line]:
    """Group a page's pieces into lines, top to bottom, leaving out footnote markers."""
    height = float(page.mediabox.height)
    rows: list[list[_Piece]] = []
    for piece in sorted(_page_pieces(page), key=lambda p: (-round(p.y, 0), p.x)):
        if rows and abs(rows[-1][0].y - piece.y) <= 0.5 * max(piece.size, rows[-1][0].size):
            rows[-1].append(piece)
        else:
            rows.append([piece])
    rows = [sorted(row, key=lambda p: p.x) for row in rows]
    columns = table_columns(rows)
    return [
        line
        for index, row in enumerate(rows)
        if (line := _line(row, number, height, columns[index])) is not None
    ]


def _line(
    row: list[_Piece], page: int, height: float, columns: set[float] = frozenset()
) -> _Line | None:
    main = max(piece.size for piece in row)
    baseline = min(piece.y for piece in row if piece.size >= 0.9 * main)
    kept = [
        piece
        for piece in sorted(row, key=lambda p: p.x)
        # A raised, smaller number is a footnote marker, not text.
        if not (
            piece.size < 0.85 * main
            and piece.y > baseline + 0.15 * main
            and MARKER_RUN.match(piece.text)
        )
    ]
    if not kept:
        return None
    kept = boxes_with_labels(kept)
    cells: list[tuple[float, str]] = []
    end = None
    for piece in kept:
        width = _width(piece)
        at_column = any(abs(piece.x - x) <= 1.5 for x in columns)
        if end is not None and (piece.x - end > 2.5 * piece.size or at_column):
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
    letters: Counter[str] = Counter()
    for piece in kept:
        letters[piece.font] += sum(ch.isalpha() for ch in piece.text)
    font = letters.most_common(1)[0][0] if letters else ""
    return _Line(page, baseline, size, bold, cells, height, right=end or 0.0, font=font)


def _width(piece: _Piece) -> float:
    return estimated_width(piece.text, piece.size)


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
    title = _title_size(paragraphs, sizes, body)
    face = _body_font(paragraphs)
    blocks = []
    for index, paragraph in enumerate(paragraphs, start=1):
        block = _pdf_block(paragraph, index, body, [size for size in sizes if size != title], face)
        if title is not None and round(paragraph.size) == title:
            block = replace(block, heading_level=0)
        blocks.append(block)
    return tuple(bullet_levels(blocks))


def _title_size(paragraphs: list[_PdfParagraph], sizes: list[int], body: float) -> int | None:
    """Return the largest size when only the document's first lines use it: its title (when
    it is the only large size, only if far larger than the text: a chapter heading is not)."""
    if not sizes:
        return None
    largest = [i for i, p in enumerate(paragraphs) if round(p.size) == sizes[0]]
    distinct = len(sizes) > 1 or sizes[0] >= 1.6 * body
    return sizes[0] if largest and max(largest) < 3 and distinct else None


def _body_font(paragraphs: list[_PdfParagraph]) -> str:
    """Return the family most of the document's text is set in."""
    letters: Counter[str] = Counter()
    for paragraph in paragraphs:
        letters[paragraph.font] += sum(len(line) for _, lines in paragraph.cells for line in lines)
    return letters.most_common(1)[0][0] if letters else ""


@dataclass
class _PdfParagraph:
    page: int
    size: float
    bold: bool
    cells: list[tuple[float, list[str]]]  # (left edge, lines)
    last: _Line
    font: str = ""

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
            paragraphs.append(
                _PdfParagraph(line.page, line.size, line.bold, cells, line, line.font)
            )
    return paragraphs


def _continues(paragraph: _PdfParagraph, line: _Line, full: float) -> bool:
    last = paragraph.last
    if abs(line.size - last.size) > 0.6 or line.bold != last.bold:
        return False
    if line.font != last.font and line.font and last.font and len(line.cells) == 1:
        return False  # a heading set in another face, above the paragraph in the body's
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
    if not single and _starts_row(paragraph, line):
        return False
    gap = last.y - line.y
    if gap <= 0 or gap > 1.45 * max(line.size, last.size) * 1.2 * 1.05:
        return False
    lefts = [x for x, _ in paragraph.cells]
    if not all(any(abs(x - left) < 1.5 * line.size for left in lefts) for x, _ in line.cells):
        return _hangs(paragraph, line)
    return not (single and abs(line.x - lefts[0]) > 1.5 * line.size) or _hangs(paragraph, line)


_NAMES_QUESTION = re.compile(r"^(?:q\.?|question)\s*\d", re.IGNORECASE)


def _starts_row(paragraph: _PdfParagraph, line: _Line) -> bool:
    """Say whether a line of a table starts its next row.

    Rows sit as close as a cell's lines, so the first column tells: the next row starts where
    that column has text again after its cell ended (a "?" or ".", a short label such as "1" or
    "Question", or no text on the line before).
    """
    left = paragraph.cells[0][0]
    near = 1.5 * line.size
    if any(_NAMES_QUESTION.match(text) for _, text in line.cells):
        return True  # "Question 2: ..." in any column begins the next row
    if not any(abs(x - left) < near for x, _ in line.cells):
        return False
    last = paragraph.last
    before = next(((x, t) for x, t in last.cells if abs(x - left) < near), None)
    if before is None:
        return True
    text = before[1].rstrip()
    if text.endswith((".", "?", "!")):
        return True
    # A cell's line that ends where the next line's first word would still have fitted ended
    # its cell ("Question", "1"); "Strongly" over "agree" in a narrow column did not.
    following = [x for x, _ in last.cells if x > left + near]
    width = (min(following) - left) if following else 0.0
    now = next(t for x, t in line.cells if abs(x - left) < near)
    joined = f"{text} {now.split()[0]}" if now.split() else text
    # Widths are estimated, and a cell has padding: only a clear fit counts.
    return bool(width) and _width(_Piece(joined, 0, 0, line.size, False)) < 0.8 * width


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


# Before these, a hyphen at a line's end is the word's own ("e-scooter", "self-employed"): no
# hyphenation breaks a word after one letter, and Word and LibreOffice do not hyphenate at all
# unless asked to.
_OWN_HYPHEN = re.compile(r"(?:^|[^\w])(?:\w|self|non|well|cross)-$", re.I)


def _joined(lines: list[str]) -> str:
    text = ""
    for line in lines:
        # A word broken at the line's end with a hyphen is joined again.
        if text.endswith("-") and line[:1].islower() and _OWN_HYPHEN.search(text):
            text += line
        elif text.endswith("-") and line[:1].islower():
            text = text[:-1] + line
        else:
            text = f"{text} {line}" if text else line
    return tidy(text)


def _pdf_block(
    paragraph: _PdfParagraph, index: int, body: float, sizes: list[int], face: str = ""
) -> Block:
    cells = tuple((_joined(lines),) for _, lines in paragraph.cells)
    text = cells[0][0] if cells else ""
    level = None
    if len(cells) == 1 and paragraph.lines <= 3 and not text.endswith((".", ",", ";")):
        if round(paragraph.size) in sizes:
            level = sizes.index(round(paragraph.size)) + 1
        elif paragraph.bold and len(text.split()) <= 15 and "?" not in text:
            # A bold line that asks something ("... duty? (Yes / No)") is a question's, not a
            # heading.
            level = len(sizes) + 1
        elif (
            face
            and paragraph.font
            and paragraph.font != face
            and len(text.split()) <= 10
            and paragraph.lines <= 2
            and "?" not in text
            and not text.endswith(":")
            and not BOX_RUN.search(text[:1])
        ):
            # Headings set in the heading face (sans over a serif body) at the text's size.
            level = len(sizes) + 1
    bullet = False
    typed = TYPED_BULLET.match(text)
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
        left=paragraph.cells[0][0] if paragraph.cells else None,
    )
