"""Bound what a Word or Excel file may cost to open, before python-docx or openpyxl sees it.

A .docx or .xlsx is a zip of XML parts. The libraries that read them build every element of
those parts in memory (python-docx) or pad every row of a sheet to its declared size
(openpyxl), so a small file can cost minutes and gigabytes: 17 million empty paragraphs pack
into 183 KB, and a sheet declaring ``A1:XFD1048576`` is 9.5 KB. ``guard_office`` reads the
zip's directory and streams each XML part through expat (no tree is built, nothing is kept),
stopping at the first limit broken:

1. every part packs at most ``ratio`` to 1 once it is over a megabyte (real XML packs about 10
   to 1; a zip bomb about 1,000 to 1);
2. an XML part unpacks to at most ``part_bytes``;
3. the XML parts hold at most ``elements`` elements in all, nested at most ``depth`` deep, and
   none declares a document type (Word and Excel never write one; entities declared in one can
   expand a few bytes into gigabytes);
4. for a file that will be read, its parts hold at most ``characters`` characters of text (a
   paper of 1,000 pages holds about 2 million; a template of 10,000 answers about 4 million; the
   question import, which runs many patterns over the text, took minutes on 15 million), and a
   Word document at most ``paragraphs`` paragraphs and table rows;
5. for a workbook that will be read row by row, every sheet's declared range and every cell it
   holds lies within ``sheet_rows`` rows and ``sheet_columns`` columns, and its sheets hold at
   most ``sheet_cells`` cells in all (openpyxl reads about 20,000 cells a second).

Everything here costs at most a few tenths of a second on any file that passes the size checks
of ``consultations.files``, which calls it. The readers bound their rows and columns by the
same limits (``sheet_bounds``), so that what passed here is all they read.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

from consultations.errors import ValidationFailed

MEGABYTE = 1024 * 1024
CHUNK = 256 * 1024


@dataclass(frozen=True)
class ParseLimits:
    """What opening one Office file may cost: far beyond any real response, paper or template."""

    part_bytes: int = 25 * MEGABYTE  # one XML part, unpacked
    elements: int = 500_000  # XML elements across every part
    depth: int = 100  # nesting of XML elements
    ratio: int = 200  # unpacked to packed, for a part over a megabyte
    # None where the file is kept rather than read paragraph by paragraph, row by row:
    characters: int | None = 10_000_000  # of text, in all its parts
    paragraphs: int | None = 50_000  # a Word document's paragraphs and table rows
    # The template of the largest consultation measured (10,000 questions: bench/import_xlsx.py)
    # is 10,003 rows of 5 cells; a real one is a few dozen rows.
    sheet_rows: int | None = 12_000
    sheet_columns: int | None = 100
    sheet_cells: int | None = 75_000


READING = ParseLimits()
"""For files read into answers (measured by bench/hostile_files.py: a file at these limits is
read and split into parts in under 2 s of CPU and 100 MB)."""
QUESTION_FILES = ParseLimits(characters=3_000_000)
"""For the question import: a paper's questions, read with many patterns over the text."""
KEEPING = ParseLimits(
    elements=1_000_000,
    characters=None,
    paragraphs=None,
    sheet_rows=None,
    sheet_columns=None,
    sheet_cells=None,
)
"""For evidence files kept as they are: opened once (python-docx, openpyxl) to prove they open,
never read paragraph by paragraph or row by row."""


def sheet_bounds() -> tuple[int, int]:
    """Return (rows, columns) a reader passes to ``iter_rows`` as ``max_row`` and ``max_col``."""
    return READING.sheet_rows or 0, READING.sheet_columns or 0


class _Refused(Exception):
    """A limit was broken while streaming a part: the message says which."""


@dataclass
class _Extent:
    """How far a sheet reaches: its declared range, and the cells it really holds."""

    rows: int = 0
    columns: int = 0

    def reach(self, rows: int, columns: int) -> None:
        self.rows, self.columns = max(self.rows, rows), max(self.columns, columns)


@dataclass
class _Scan:
    """The state of one file's scan: elements counted so far, and each sheet's extent."""

    limits: ParseLimits
    short: str  # "Word document", "Excel workbook"
    elements: int = 0
    characters: int = 0
    paragraphs: int = 0
    cells: int = 0
    sheets: dict[str, _Extent] = field(default_factory=dict)
    sheet_names: dict[str, str] = field(default_factory=dict)  # relationship id -> title
    sheet_targets: dict[str, str] = field(default_factory=dict)  # relationship id -> part


def guard_office(data: bytes, key: str, *, subject: str, limits: ParseLimits = READING) -> None:
    """Refuse a .docx or .xlsx (``key``) whose parts would cost too much to open.

    The file has passed ``consultations.files``' zip checks (size, parts, encryption, macros).
    Raise ``ValidationFailed`` saying which limit it broke and what to do; a part that cannot be
    unpacked or is not well-formed XML raises what zipfile, zlib or expat raise, for the caller
    to refuse the file as damaged.
    """
    short = "Word document" if key == "docx" else "Excel workbook"
    scan = _Scan(limits, short)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for item in archive.infolist():
                if item.filename.lower().endswith((".xml", ".rels")):
                    _check_part_size(item, limits, short)
                _check_packing(item, limits, short)
            for item in archive.infolist():
                if not item.is_dir():
                    _scan_part(archive, item, scan)
        if key == "xlsx" and limits.sheet_rows is not None:
            _check_sheets(scan)
    except _Refused as refused:
        raise ValidationFailed([str(refused)], subject=subject) from None


def _check_packing(item: zipfile.ZipInfo, limits: ParseLimits, short: str) -> None:
    packed = max(item.compress_size, 1)
    if item.file_size > MEGABYTE and item.file_size / packed > limits.ratio:
        raise _Refused(
            f"one of its parts ('{_part_name(item)}') would unpack to "
            f"{item.file_size / packed:,.0f} times its packed size, which no real {short} does "
            "(it is what a 'zip bomb' does); "
            "it was refused without being unpacked. If it is a real file, open it, save it "
            "again and upload the new copy"
        )


def _check_part_size(item: zipfile.ZipInfo, limits: ParseLimits, short: str) -> None:
    if item.file_size > limits.part_bytes:
        raise _Refused(
            f"its part '{_part_name(item)}' would unpack to {item.file_size / MEGABYTE:,.1f} MB "
            f"of text and layout, more than the {limits.part_bytes // MEGABYTE} MB any real "
            f"{short} needs; it was refused before being read. If it is a real document, split "
            "it into smaller files and upload them one at a time"
        )


def _part_name(item: zipfile.ZipInfo) -> str:
    return item.filename[-80:]


# How an XML part can start in the encodings an XML parser detects by itself (UTF-16 and UTF-32
# with or without a byte order mark, EBCDIC's "<?xm"), besides UTF-8's "<".
_XML_STARTS = (
    b"\xff\xfe",
    b"\xfe\xff",
    b"\x00\x00\xfe\xff",
    b"<\x00",
    b"\x00<",
    b"\x00\x00\x00<",
    b"\x4c\x6f\xa7\x94",
)


def _is_xml(item: zipfile.ZipInfo, start: bytes) -> bool:
    """Say whether a part is XML that a library would parse: by its name, or by how it starts."""
    if item.filename.lower().endswith((".xml", ".rels")) or start.startswith(_XML_STARTS):
        return True
    text = start.removeprefix(b"\xef\xbb\xbf").lstrip()
    return not text or text.startswith(b"<")


def _scan_part(archive: zipfile.ZipFile, item: zipfile.ZipInfo, scan: _Scan) -> None:
    """Stream one part through expat when it is XML, counting what it holds.

    A part that expat cannot read to the end (not well-formed, or in an encoding Word and Excel
    never write, which another parser might read) raises ``expat.ExpatError``: the caller
    refuses the file as damaged.
    """
    with archive.open(item) as part:
        chunk = part.read(CHUNK)
        if not _is_xml(item, chunk):
            return
        _check_part_size(item, scan.limits, scan.short)
        parser = _parser(item.filename, scan)
        while chunk:
            parser.Parse(chunk, False)
            chunk = part.read(CHUNK)
        parser.Parse(b"", True)


def _parser(name: str, scan: _Scan) -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    limits = scan.limits
    depth = 0
    sheet = _sheet_extent(name, scan)
    paragraphs = limits.paragraphs if scan.short == "Word document" else None

    def start(tag: str, attributes: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        scan.elements += 1
        if paragraphs is not None and tag in _BLOCK_TAGS:
            scan.paragraphs += 1
            if scan.paragraphs > paragraphs:
                raise _Refused(
                    f"it holds more than {paragraphs:,} paragraphs and table rows, more than "
                    f"any response or consultation paper the workbench reads; it was refused "
                    "before being read. If it is a real document, split it into smaller files "
                    "and upload them one at a time"
                )
        if scan.elements > limits.elements:
            raise _Refused(
                f"it holds more than {limits.elements:,} pieces of text and layout (paragraphs, "
                f"runs, cells), far more than any real {scan.short}; it was refused before being "
                "read. If it is a real file, split it into smaller files and upload them one at "
                "a time"
            )
        if depth > limits.depth:
            raise _Refused(
                f"its layout is nested more than {limits.depth} levels deep, which no real "
                f"{scan.short} is; it was refused before being read. Open it, copy its text into "
                "a new file and upload that"
            )
        if sheet is not None or attributes:
            _note(tag.rpartition(":")[2], attributes, sheet, scan)

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1

    def doctype(*_: object) -> None:
        raise _Refused(
            f"it declares its own XML entities, which no real {scan.short} does (they can "
            "make a small file expand enormously); it was refused before being read. Open it, "
            "save it again and upload the new copy"
        )

    def text(data: str) -> None:
        scan.characters += len(data)
        if scan.characters > (limits.characters or 0):
            raise _Refused(too_much_text_message(limits))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    if limits.characters is not None:
        parser.buffer_text = True
        parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    return parser


_BLOCK_TAGS = frozenset({"w:p", "w:tr"})
_SHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def _sheet_extent(name: str, scan: _Scan) -> _Extent | None:
    if scan.limits.sheet_rows is None or not _SHEET_PART.match(name):
        return None
    return scan.sheets.setdefault(name.lower(), _Extent())


def _note(local: str, attributes: dict[str, str], sheet: _Extent | None, scan: _Scan) -> None:
    """Record how far a sheet reaches, and which sheet is called what."""
    if sheet is not None:
        if local == "c":
            scan.cells += 1
            if scan.cells > (scan.limits.sheet_cells or scan.cells):
                raise _Refused(too_many_cells_message(scan.limits))
            sheet.reach(*_cell(attributes.get("r", "")))
        elif local == "row":
            sheet.reach(_number(attributes.get("r", "")), 0)
        elif local == "dimension":
            for corner in attributes.get("ref", "").split(":"):
                sheet.reach(*_cell(corner))
        return
    if local == "sheet" and "name" in attributes:
        rid = next((v for k, v in attributes.items() if k.rpartition(":")[2] == "id"), "")
        scan.sheet_names[rid] = attributes["name"]
    elif local == "Relationship" and "worksheet" in attributes.get("Type", ""):
        target = attributes.get("Target", "").lstrip("/")
        target = target if target.startswith("xl/") else f"xl/{target}"
        scan.sheet_targets[attributes.get("Id", "")] = target.lower()


def _number(text: str) -> int:
    return int(text) if text.isdigit() and len(text) <= 9 else 0


def _cell(reference: str) -> tuple[int, int]:
    """Read "XFD1048576" as (1048576, 16384); (0, 0) when it is not a cell reference."""
    match = _CELL.match(reference.strip())
    if not match:
        return 0, 0
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(match.group(2)), column


def column_letters(column: int) -> str:
    """Write a column number as Excel does: 1 -> "A", 16384 -> "XFD"."""
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _check_sheets(scan: _Scan) -> None:
    rows, columns = scan.limits.sheet_rows or 0, scan.limits.sheet_columns or 0
    titles = {target: scan.sheet_names.get(rid) for rid, target in scan.sheet_targets.items()}
    for part, extent in scan.sheets.items():
        if extent.rows <= rows and extent.columns <= columns:
            continue
        title = titles.get(part)
        which = f"its sheet '{title}'" if title else "one of its sheets"
        reach = f"row {extent.rows:,} and column {column_letters(extent.columns)}"
        raise _Refused(beyond_bounds_message(which, reach, scan.limits))


def beyond_bounds_message(which: str, reach: str, limits: ParseLimits = READING) -> str:
    """Say that a sheet (``which``: "its sheet 'Response'") reaches too far, and what to do."""
    rows, columns = limits.sheet_rows or 0, limits.sheet_columns or 0
    return (
        f"{which} reaches {reach}, beyond the {rows:,} rows and {columns} columns (to "
        f"{column_letters(columns)}) any response, template or list of questions needs; delete "
        "the rows and columns below and to the right of your data (or copy the data into a new "
        "file) and upload it again"
    )


def too_much_text_message(limits: ParseLimits = READING) -> str:
    """Say that a file holds more text than any reader needs, and what to do."""
    return (
        f"it holds more than {limits.characters or 0:,} characters of text, more than any "
        "response or consultation paper the workbench reads (a paper of 1,000 pages holds about "
        "2 million); it was refused before being read. If it is a real document, split it into "
        "smaller files and upload them one at a time"
    )


def too_many_cells_message(limits: ParseLimits = READING) -> str:
    """Say that a file holds more cells than any reader needs, and what to do."""
    return (
        f"it holds more than {limits.sheet_cells or 0:,} cells, more than any response, template "
        "or list of questions the workbench reads; it was refused before being read. Delete what "
        "is not part of the response (or copy the response into a new file) and upload it again"
    )
