"""File safety checks: real files of every kind are built here and judged by their content.

The builders here are shared by the attachment, Excel and Word route tests.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import docx
import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from consultations.errors import ValidationFailed
from consultations.files import (
    FILE_TYPES,
    MAX_ZIP_ENTRIES,
    check_file,
    check_opens,
    display_name,
    plain_size,
    sniff,
)
from tests.hostile_files import png_then_html, program_with_pdf_header

ALL = (".pdf", ".docx", ".xlsx", ".csv", ".txt", ".png", ".jpg", ".jpeg")

# --- Builders --------------------------------------------------------------------------------


def word_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs or ("Our evidence on family migration.",):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def workbook_bytes(*rows: list[object]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows or (["Area", "Families"], ["Belfast", 120]):
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pdf_bytes(text: str = "Evidence") -> bytes:
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /Contents 4 0 R >> endobj\n"
        b"4 0 obj << /Length " + str(len(body)).encode() + b" >> stream\n" + body + b"\n"
        b"endstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def png_bytes() -> bytes:
    return bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    ) + bytes.fromhex("0000000d4944415478da63f8ffff3f0005fe02fea7d6a4f30000000049454e44ae426082")


def jpeg_bytes() -> bytes:
    return bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")


def windows_program() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(48) + b"PE\x00\x00"


def rezipped(
    data: bytes,
    *,
    replace: Callable[[str, bytes], bytes] | None = None,
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """Copy an Office file part by part, changing or adding parts on the way."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item.filename, replace(item.filename, content) if replace else content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return buffer.getvalue()


def with_macros(data: bytes) -> bytes:
    return rezipped(data, extra={"xl/vbaProject.bin": b"\x00" * 64})


def macro_content_type(name: str, content: bytes) -> bytes:
    if name != "[Content_Types].xml":
        return content
    return content.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )


def half_part(part_name: str) -> Callable[[str, bytes], bytes]:
    def replace(name: str, content: bytes) -> bytes:
        return content[: len(content) // 2] if name == part_name else content

    return replace


def encrypted(data: bytes) -> bytes:
    output = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("secret", output)
    return output.getvalue()


def zip_bomb(main_part: str = "xl/workbook.xml") -> bytes:
    """An Office-looking zip whose one part unpacks to 101 MB of zeros (about 100 KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open(main_part, "w") as entry:
            for _ in range(101):
                entry.write(bytes(1024 * 1024))
    return buffer.getvalue()


def crowded_zip(parts: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(parts):
            archive.writestr(f"xl/media/p{number}.xml", b"")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "Our figures")
    return buffer.getvalue()


def corrupt_crc(data: bytes) -> bytes:
    """Flip a byte inside the first compressed part, so its checksum no longer matches."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        item = max(archive.infolist(), key=lambda i: i.compress_size)
    start = item.header_offset + 30 + len(item.filename.encode()) + len(item.extra)
    middle = start + item.compress_size // 2
    damaged = bytearray(data)
    damaged[middle] ^= 0xFF
    return bytes(damaged)


# --- Sniffing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (pdf_bytes, "pdf"),
        # "%PDF-" and a version at the very start, or it is not a PDF.
        (lambda: b"\xef\xbb\xbf  junk\n" + pdf_bytes(), "text"),
        (lambda: b"%PDF-\n" + pdf_bytes()[9:], "text"),
        (program_with_pdf_header, "windows program"),
        (lambda: b"MZ\x90\x00" + bytes(60) + b"%PDF-1.7\n", "windows program"),
        # A PNG signature needs the IHDR chunk after it; a JPEG's start, a marker.
        (png_then_html, "binary"),
        (lambda: png_bytes()[:20] + b"<html></html>" + bytes(20), "binary"),
        # A whole, real image with a page of HTML after its closing chunk.
        (lambda: png_bytes() + b"<html><script>alert(1)</script></html>", "binary"),
        (lambda: b"\xff\xd8\xff\x00<script>alert(1)</script>", "binary"),
        (png_bytes, "png"),
        (jpeg_bytes, "jpeg"),
        (lambda: b"GIF89a\x01\x00", "gif"),
        (lambda: b"{\\rtf1\\ansi Hello}", "rtf"),
        (word_bytes, "zip"),
        (workbook_bytes, "zip"),
        (lambda: encrypted(word_bytes()), "ole"),
        (windows_program, "windows program"),
        (lambda: b"\x7fELF\x02\x01\x01" + bytes(9), "program"),
        (lambda: b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + bytes(8), "program"),
        (lambda: b"#!/bin/sh\nrm -rf /\n", "script"),
        (lambda: b"  <!DOCTYPE html><html><script>alert(1)</script>", "markup"),
        (lambda: b"<svg xmlns='http://www.w3.org/2000/svg'/>", "markup"),
        (lambda: b"Area,Families\nBelfast,120\n", "text"),
        (lambda: "Newry – £1,200 a month".encode("cp1252"), "text"),
        (lambda: "Ards and North Down".encode("utf-16"), "text"),
        (lambda: b"MZ Council wrote to us in 2025.", "text"),
        (lambda: b"\x00\x01\x02\x03binary", "binary"),
        (lambda: b"", "empty"),
    ],
)
def test_sniff_names_what_the_bytes_really_are(make, kind):
    assert sniff(make()) == kind


# --- Files that pass ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "make", "key"),
    [
        ("evidence.pdf", pdf_bytes, "pdf"),
        ("response.docx", word_bytes, "docx"),
        ("figures.xlsx", workbook_bytes, "xlsx"),
        ("figures.csv", lambda: b"Area,Families\nBelfast,120\n", "csv"),
        ("notes.TXT", lambda: b"Notes from the Derry forum.", "txt"),
        ("chart.png", png_bytes, "png"),
        ("photo.jpg", jpeg_bytes, "jpeg"),
        ("photo.jpeg", jpeg_bytes, "jpeg"),
    ],
)
def test_check_file_accepts_each_type_whose_content_matches_its_name(filename, make, key):
    file_type = check_file(filename, make(), accepted=ALL, max_bytes=1024 * 1024)

    assert file_type is FILE_TYPES[key]
    check_opens(make(), file_type, subject="The file")


# --- Files that are refused -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "make", "message"),
    [
        ("empty.pdf", lambda: b"", "it is empty; check you chose the right file"),
        ("setup.exe", windows_program, r"files '\.exe' are not accepted; upload a PDF \(\.pdf\)"),
        ("archive.zip", plain_zip, r"files '\.zip' are not accepted"),
        ("page.html", lambda: b"<html></html>", r"files '\.html' are not accepted"),
        ("README", lambda: b"hello", "files with no extension are not accepted"),
        (
            "report.pdf",
            windows_program,
            r"it holds a Windows program, not a PDF \(\.pdf\), although its name ends in \.pdf; "
            r"upload a PDF \(\.pdf\), a Word document \(\.docx\), an Excel workbook \(\.xlsx\), "
            r"a CSV file \(\.csv\), a text file \(\.txt\), a PNG image \(\.png\) or a JPEG image",
        ),
        ("notes.txt", lambda: b"\x7fELF\x02\x01\x01" + bytes(9), "it holds a program, not a text"),
        ("notes.txt", lambda: b"#!/bin/sh\nrm -rf /\n", r"it holds a script \(a program\)"),
        ("notes.txt", lambda: b"<html><script>x</script>", r"it holds a web page"),
        ("notes.txt", lambda: b"\x00\x01\x02binary", "it is not a readable text file"),
        ("figures.csv", lambda: b"\x00\x01\x02binary", "it is not a readable CSV text file"),
        ("chart.png", jpeg_bytes, r"it holds a JPEG image, not a PNG image \(\.png\)"),
        ("photo.jpg", lambda: b"\x01\x02\x03", r"its content is not a JPEG image \(\.jpg\)"),
        ("report.docx", plain_zip, r"it is a zip archive but not a Word document \(\.docx\)"),
        (
            "figures.xlsx",
            word_bytes,
            r"it is a Word document \(\.docx\) although its name ends in \.xlsx; rename it",
        ),
        (
            "broken.xlsx",
            lambda: workbook_bytes()[:1500],
            r"it is damaged and cannot be opened as an Excel workbook \(\.xlsx\)",
        ),
        ("bomb.xlsx", zip_bomb, "it would unpack to more than 100 MB, which no real Excel"),
        (
            "crowded.xlsx",
            lambda: crowded_zip(MAX_ZIP_ENTRIES + 1),
            "it is packed from 5,001 parts, more than the 5,000 any real Excel workbook has",
        ),
        ("book.xlsm", workbook_bytes, "it is macro-enabled, and files with macros are refused"),
        ("letter.docm", word_bytes, "it is macro-enabled"),
        ("book.xlsx", lambda: with_macros(workbook_bytes()), "it is macro-enabled"),
        (
            "book.xlsx",
            lambda: rezipped(workbook_bytes(), replace=macro_content_type),
            "it is macro-enabled",
        ),
        ("locked.xlsx", lambda: encrypted(workbook_bytes()), "it is password-protected; open it"),
        ("locked.docx", lambda: encrypted(word_bytes()), "it is password-protected"),
        ("old.xls", lambda: bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504), "old Office format"),
    ],
)
def test_check_file_refuses_with_a_message_naming_the_rule(filename, make, message):
    with pytest.raises(ValidationFailed, match=message) as error:
        check_file(filename, make(), accepted=ALL, max_bytes=200 * 1024 * 1024)

    assert str(error.value).startswith(f"The file '{filename}' has 1 problem: ")


def test_check_file_refuses_a_file_over_the_limit_before_reading_it():
    with pytest.raises(
        ValidationFailed, match=r"it is 1\.1 MB and the largest file accepted is 1\.0 MB"
    ):
        check_file("big.pdf", pdf_bytes() + bytes(1024 * 1024), accepted=ALL, max_bytes=1024**2)


def test_check_file_says_what_to_upload_instead_when_the_right_type_is_not_accepted():
    with pytest.raises(
        ValidationFailed,
        match=r"it is a Word document \(\.docx\), not an Excel workbook \(\.xlsx\), although its "
        r"name ends in \.xlsx; upload an Excel workbook \(\.xlsx\)\. Nothing was saved\.$",
    ):
        check_file("answers.xlsx", word_bytes(), accepted=(".xlsx",), max_bytes=1024**2)


def test_check_file_refuses_a_zip_with_encrypted_parts():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
    data = bytearray(buffer.getvalue())
    data[6] |= 0x1  # the local header's "encrypted" flag
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x1  # and the central directory's
    with pytest.raises(ValidationFailed, match="it is password-protected"):
        check_file("locked.docx", bytes(data), accepted=ALL, max_bytes=1024**2)


@pytest.mark.parametrize(
    ("filename", "make", "message"),
    [
        (
            "half.docx",
            lambda: rezipped(word_bytes(), replace=half_part("word/document.xml")),
            "it could not be read as a Word document and may be damaged; open it in Word, save it "
            r"again as \.docx",
        ),
        (
            "half.xlsx",
            lambda: rezipped(workbook_bytes(), replace=half_part("xl/workbook.xml")),
            "it could not be read as an Excel workbook and may be damaged; open it in Excel",
        ),
        (
            "flipped.docx",
            lambda: corrupt_crc(word_bytes("A long paragraph of evidence. " * 200)),
            "it could not be read as a Word document and may be damaged",
        ),
    ],
)
def test_office_files_damaged_inside_are_refused_as_damaged(filename, make, message):
    # The guards stream every XML part, so check_file meets the damage before check_opens does.
    data = make()
    with pytest.raises(ValidationFailed, match=message):
        file_type = check_file(filename, data, accepted=ALL, max_bytes=1024**2)
        check_opens(data, file_type, subject=f"The file '{filename}'")


# --- Names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("C:\\Users\\partner\\Desktop\\figures.xlsx", "figures.xlsx"),
        ("../../etc/passwd", "passwd"),
        ("report\u202efdp.exe", "reportfdp.exe"),
        ("line\nbreak\tand\x00nul.pdf", "line break andnul.pdf"),
        ('what?<is>:"this"|*.txt', "what__is___this___.txt"),
        ("   ", "file"),
        ("..", "file"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_display_name_keeps_only_a_safe_file_name(given, shown):
    assert display_name(given) == shown


@pytest.mark.parametrize(
    ("size", "said"),
    [(0, "0 bytes"), (1, "1 byte"), (612, "612 bytes"), (1536, "2 KB"), (3_565_158, "3.4 MB")],
)
def test_plain_size_says_how_big_a_file_is_as_people_read_it(size, said):
    assert plain_size(size) == said
