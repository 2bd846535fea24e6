"""Write small real PDFs for tests: text placed where a word processor would place it.

Each line is drawn with the standard Helvetica fonts at a given position and size, as Word and
LibreOffice draw theirs, so that the reader under test meets real PDF bytes (content streams,
fonts, a page tree), not a stand-in.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

import pypdf
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    StreamObject,
)

PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points


@dataclass(frozen=True)
class Text:
    """One run of text on a page: where it starts, its size, and whether it is bold."""

    text: str
    x: float
    y: float
    size: float = 11
    bold: bool = False


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _content(texts: list[Text]) -> bytes:
    lines = []
    for run in texts:
        font = "/F2" if run.bold else "/F1"
        lines.append(
            f"BT {font} {run.size:g} Tf 1 0 0 1 {run.x:g} {run.y:g} Tm ({_escaped(run.text)}) Tj ET"
        )
    return "\n".join(lines).encode("cp1252")


def _font(writer: pypdf.PdfWriter, name: str) -> object:
    return writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject(name),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )


def pdf_file(*pages: list[Text], compress: bool = True) -> bytes:
    """Build a PDF whose pages draw the given runs of text."""
    writer = pypdf.PdfWriter()
    fonts = DictionaryObject(
        {
            NameObject("/F1"): _font(writer, "/Helvetica"),
            NameObject("/F2"): _font(writer, "/Helvetica-Bold"),
        }
    )
    for texts in pages:
        page = writer.add_blank_page(PAGE_WIDTH, PAGE_HEIGHT)
        content = _content(texts)
        if compress:
            stream = StreamObject()
            stream._data = zlib.compress(content)
            stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        else:
            stream = DecodedStreamObject()
            stream.set_data(content)
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def paragraphs_page(*paragraphs: tuple[str, float, bool] | str, top: float = 780) -> list[Text]:
    """Lay out paragraphs down a page as a word processor would: a gap between paragraphs.

    Each paragraph is text, or (text, size, bold); long text is wrapped at about 90 characters.
    """
    texts, y = [], top
    for paragraph in paragraphs:
        text, size, bold = (paragraph, 11, False) if isinstance(paragraph, str) else paragraph
        for line in _wrapped(text, int(90 * 11 / size)):
            texts.append(Text(line, 72, y, size, bold))
            y -= size * 1.2
        y -= size * 0.8
    return texts


def _wrapped(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def page_tree_bomb(pages: int) -> bytes:
    """A PDF of many empty pages, as an attacker would send to exhaust a reader."""
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(100, 100)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def content_bomb(unpacked_bytes: int) -> bytes:
    """A one-page PDF whose small compressed content unpacks to ``unpacked_bytes``."""
    line = b"BT /F1 12 Tf 1 0 0 1 72 700 Tm (x) Tj ET\n"
    data = pdf_file([Text("x", 72, 700)])
    reader = pypdf.PdfReader(io.BytesIO(data))
    writer = pypdf.PdfWriter(clone_from=reader)
    stream = StreamObject()
    compressor = zlib.compressobj(9)
    chunk = line * (1024 * 1024 // len(line))
    packed = [compressor.compress(chunk) for _ in range(unpacked_bytes // len(chunk))]
    stream._data = b"".join(packed) + compressor.flush()
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def many_operations(count: int) -> bytes:
    """A one-page PDF whose content, small even unpacked, holds ``count`` drawing operations."""
    runs = [Text("x", 72 + (n % 400), 700) for n in range(count)]
    return pdf_file(runs)
