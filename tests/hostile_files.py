"""Hostile files, built here byte by byte: small uploads that cost enormous work to read.

Each is the shape an attacker found (issue 12) or a classic of the kind: a workbook whose sheet
declares (and uses) the whole Excel grid, a Word document of millions of empty paragraphs, a
program that carries a PDF header, a PNG signature in front of a web page, a zip bomb, and XML
nested deeper than any document. The tests (``tests/test_hostile_input.py``,
``tests/test_file_guards.py``) and the bench (``bench/hostile_files.py``) feed them through every
route that takes an upload.
"""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator

import docx
import openpyxl

W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WORD_PARAGRAPHS = 17_000_000  # issue 12: 183 KB packed, about 98 MB unpacked
DEEP_LEVELS = 2_000  # small enough (100 KB unpacked) that no packing check sees it
_TEXT = "families council housing visa income refugee support evidence advice waiting months"
WORDS = (*_TEXT.split(" "), "children", "school", "health", "trust", "belfast", "decision")


def rezip(data: bytes, change: Callable[[str, bytes], bytes | Iterator[bytes]]) -> bytes:
    """Copy a zip part by part; ``change`` returns each part's new content (or chunks of it)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            content = change(item.filename, source.read(item.filename))
            with target.open(item.filename, "w", force_zip64=True) as part:
                for chunk in [content] if isinstance(content, bytes) else content:
                    part.write(chunk)
    return buffer.getvalue()


# --- Excel: the whole grid -----------------------------------------------------------------------


def workbook(*rows: tuple[object, ...]) -> bytes:
    """A plain workbook with these rows on its one sheet."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_part(xlsx: bytes, title: str | None = None) -> str:
    """Return the part holding the sheet of this title ('Response' when there is one, else the
    first sheet)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        relationships = archive.read("xl/_rels/workbook.xml.rels").decode()
    attributes = re.compile(r'([\w:]+)="([^"]*)"')
    sheets = [dict(attributes.findall(tag)) for tag in re.findall(r"<sheet\b[^>]*>", workbook)]
    targets = {
        found["Id"]: found["Target"]
        for found in map(
            dict, map(attributes.findall, re.findall(r"<Relationship\b[^>]*>", relationships))
        )
    }
    titles = [sheet["name"] for sheet in sheets]
    wanted = title or ("Response" if "Response" in titles else titles[0])
    sheet = sheets[titles.index(wanted)]
    target = targets[sheet["r:id"]].lstrip("/")
    return target if target.startswith("xl/") else f"xl/{target}"


def whole_grid(xlsx: bytes, title: str | None = None) -> bytes:
    """The workbook with one sheet's range declared as A1:XFD1048576 and a blank cell there.

    openpyxl pads every row to the declared width and every gap to the declared height, so a
    reader that does not bound its rows and columns walks 17 billion empty cells. The sheet is
    the one called ``title`` ('Response', the template's, when there is one).
    """
    sheet = sheet_part(xlsx, title)

    def change(name: str, content: bytes) -> bytes:
        if name != sheet:
            return content
        content = re.sub(rb"<dimension [^>]*/>", b"", content)
        declared = b'<dimension ref="A1:XFD1048576"/>'
        return _far_cell(re.sub(rb"(<worksheet[^>]*>)", rb"\1" + declared, content, count=1))

    return rezip(xlsx, change)


def far_cell(xlsx: bytes, title: str | None = None) -> bytes:
    """The workbook with a blank cell at XFD1048576 and no declared range at all."""
    sheet = sheet_part(xlsx, title)

    def change(name: str, content: bytes) -> bytes:
        return _far_cell(re.sub(rb"<dimension [^>]*/>", b"", content)) if name == sheet else content

    return rezip(xlsx, change)


def _far_cell(content: bytes) -> bytes:
    far = b'<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'
    if b"<sheetData/>" in content:
        return content.replace(b"<sheetData/>", b"<sheetData>" + far)
    return content.replace(b"</sheetData>", far, 1)


# --- Word: millions of paragraphs, and nesting ---------------------------------------------------


def word_document(*paragraphs: str) -> bytes:
    """A plain Word document with these paragraphs."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _body(inner: Iterator[bytes]) -> Iterator[bytes]:
    yield b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    yield f'<w:document xmlns:w="{W_NAMESPACE}"><w:body>'.encode()
    yield from inner
    yield b"<w:sectPr/></w:body></w:document>"


def many_paragraphs(count: int = WORD_PARAGRAPHS, *, base: bytes | None = None) -> bytes:
    """A Word document whose body is ``count`` empty paragraphs (17 million: 183 KB packed)."""

    def paragraphs() -> Iterator[bytes]:
        chunk = 1_000_000
        for start in range(0, count, chunk):
            yield b"<w:p/>" * min(chunk, count - start)

    return _with_body(base or word_document("A response."), paragraphs())


def _words(rng: random.Random, count: int) -> bytes:
    return " ".join(rng.choices(WORDS, k=count)).encode()


def many_text_paragraphs(count: int, *, runs: int = 1, base: bytes | None = None) -> bytes:
    """A Word document of ``count`` paragraphs of ``runs`` runs of words each.

    Words drawn at random pack about 10 to 1, as real text does, so no packing check sees it.
    """
    rng = random.Random(12)

    def paragraphs() -> Iterator[bytes]:
        for _ in range(count):
            pieces = b"".join(
                b"<w:r><w:t>" + _words(rng, 4) + b" </w:t></w:r>" for _ in range(runs)
            )
            yield b"<w:p>" + pieces + b"</w:p>"

    return _with_body(base or word_document("A response."), paragraphs())


def main_part(xml: bytes, *, base: bytes | None = None) -> bytes:
    """A Word document whose main part is exactly these bytes."""

    def change(name: str, content: bytes) -> bytes:
        return xml if name == "word/document.xml" else content

    return rezip(base or word_document("A response."), change)


def enormous_question(characters: int = 3_500_000, *, base: bytes | None = None) -> bytes:
    """A Word document of two questions, each followed by millions of characters of words.

    Random words pack about 4 to 1, so no packing check sees it; reading and matching two such
    questions took minutes.
    """
    rng = random.Random(7)
    words = _words(rng, characters // 16)

    def body() -> Iterator[bytes]:
        for number in (1, 2):
            yield f"<w:p><w:r><w:t>Q{number}. Do you agree? ".encode()
            yield words + b"</w:t></w:r></w:p>"

    return _with_body(base or word_document("A response."), body())


def deep_nesting(levels: int = DEEP_LEVELS, *, base: bytes | None = None) -> bytes:
    """A Word document whose one paragraph sits inside ``levels`` nested content controls."""

    def nested() -> Iterator[bytes]:
        yield b"<w:sdt><w:sdtContent>" * levels
        yield b"<w:p><w:r><w:t>Deep</w:t></w:r></w:p>"
        yield b"</w:sdtContent></w:sdt>" * levels

    return _with_body(base or word_document("A response."), nested())


def _with_body(base: bytes, body: Iterator[bytes]) -> bytes:
    def change(name: str, content: bytes) -> bytes | Iterator[bytes]:
        return _body(body) if name == "word/document.xml" else content

    return rezip(base, change)


# --- Zip bombs -----------------------------------------------------------------------------------


def zip_bomb(*, megabytes: int = 90, base: bytes | None = None) -> bytes:
    """A Word document carrying an 'image' of ``megabytes`` MB of zeros: about 1,000 to 1 packed.

    90 MB stays under the 100 MB a whole file may unpack to; it is its ratio that gives it away.
    """
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base or word_document("A response."))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
        with target.open("word/media/image1.png", "w", force_zip64=True) as part:
            for _ in range(megabytes):
                part.write(bytes(1024 * 1024))
    return buffer.getvalue()


def padded_listing(*, megabytes: int = 90, base: bytes | None = None) -> bytes:
    """A Word document whose list of parts ([Content_Types].xml) ends in 90 MB of spaces."""

    def change(name: str, content: bytes) -> bytes:
        if name != "[Content_Types].xml":
            return content
        return content + b" " * (megabytes * 1024 * 1024)

    return rezip(base or word_document("A response."), change)


def many_parts(parts: int = 6_000, *, base: bytes | None = None) -> bytes:
    """A Word document with thousands of extra (empty) parts."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base or word_document("A response."))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, source.read(item.filename))
        for number in range(parts):
            target.writestr(f"word/media/p{number}.xml", b"")
    return buffer.getvalue()


def doctype(*, base: bytes | None = None) -> bytes:
    """A Word document whose main part declares entities that expand a billion times."""
    laughs = [b'<!ENTITY lol0 "lol">']
    laughs += [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">'.encode() for n in range(1, 10)]

    def change(name: str, content: bytes) -> bytes:
        if name != "word/document.xml":
            return content
        return (
            b'<?xml version="1.0"?><!DOCTYPE w:document ['
            + b"".join(laughs)
            + b"]>"
            + f'<w:document xmlns:w="{W_NAMESPACE}"><w:body><w:p><w:r><w:t>&lol9;'.encode()
            + b"</w:t></w:r></w:p></w:body></w:document>"
        )

    return rezip(base or word_document("A response."), change)


# --- CSV: millions of rows, or of cells in one row ----------------------------------------------


def csv_lines(count: int = 1_000_000) -> bytes:
    """A CSV file of a header and ``count`` one-letter rows: 2 MB, a million rows."""
    return b"Question\n" + b"x\n" * count


def csv_delimiters(count: int = 2_900_000) -> bytes:
    """A CSV file whose second row is nothing but commas: millions of empty cells."""
    return b"Number,Question\n" + b"," * count


# --- Content that lies about its type -------------------------------------------------------------


def program_with_pdf_header() -> bytes:
    """A Windows program (MZ, a PE header) with "%PDF-1.7" inside its first kilobyte."""
    header = bytearray(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
    header += bytes(0x3C - len(header)) + struct.pack("<I", 0x80)
    header += bytes(0x80 - len(header)) + b"PE\x00\x00\x4c\x01\x03\x00"
    header += bytes(0x200 - len(header)) + b"%PDF-1.7\n1 0 obj<<>>endobj\n"
    return bytes(header) + bytes(range(256)) * 8


def png_then_html() -> bytes:
    """The 8-byte PNG signature, then a web page instead of an image."""
    return b"\x89PNG\r\n\x1a\n<html><body><script>alert(document.cookie)</script></body></html>"


def png_image() -> bytes:
    """A real 1x1 PNG: signature, IHDR, IDAT, IEND."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00\x00\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
