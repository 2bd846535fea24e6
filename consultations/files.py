"""Safety checks for uploaded files: what a file really is, and whether it is safe to open.

Every upload (questions, evidence attachments, Excel and Word responses) goes through
``check_file`` before anything reads it. A file is judged by its content as well as its name:
a renamed program is refused and the message says what it really is. Nothing here unpacks or
runs a file's content beyond reading an Office file's list of parts and its content types.

Rules, in the order they are applied (the first one broken is reported):

1. not empty, and no bigger than the caller's limit;
2. not macro-enabled by its name (.xlsm, .docm, ...);
3. not an OLE compound file: a password-protected .docx/.xlsx, or an old .doc/.xls;
4. its extension is one the caller accepts;
5. its content is that type: a Windows program ("MZ") is named first, whatever follows; PDF by
   "%PDF-" and a version at the very start, PNG by its signature and the IHDR chunk that must
   follow it, JPEG by its start-of-image and the marker after it; CSV and text by decoding as
   text (and not being a program, a script or a web page); Word and Excel files as zip archives
   whose declared unpacked size is at most ``MAX_UNZIPPED_BYTES``, with at most
   ``MAX_ZIP_ENTRIES`` parts, no encrypted parts, no macros (``vbaProject.bin`` or a
   macro-enabled content type) and the main part of the type the name promises, present;
6. a Word or Excel file costs no more to open than ``consultations.file_guards`` allows (parts
   packed like a zip bomb, too much XML, too deep, a sheet beyond the rows and columns read).

``check_opens`` goes one step further for Office files that are kept rather than read, such as
evidence attachments: every part's checksum is verified and the document is opened.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePath
from typing import NoReturn
from xml.parsers import expat

import docx
import openpyxl
from docx.opc.exceptions import PackageNotFoundError
from openpyxl.utils.exceptions import InvalidFileException

from consultations.errors import ValidationFailed
from consultations.file_guards import MEGABYTE, READING, ParseLimits, guard_office
from consultations.words import counted, possessive

MAX_UNZIPPED_BYTES = 100 * MEGABYTE
MAX_ZIP_ENTRIES = 5_000
MAX_LISTING_BYTES = MEGABYTE  # an Office file's [Content_Types].xml, unpacked
MAX_NAME_LENGTH = 200
MACRO_EXTENSIONS = frozenset({".docm", ".dotm", ".xlsm", ".xltm", ".xlam", ".xlsb", ".pptm"})

# What python-docx and openpyxl raise on damaged files (XML parse errors subclass SyntaxError);
# openpyxl also raises TypeError on values of the wrong type in its XML. A part whose compressed
# bytes are damaged fails in zlib, and one packed with a method zipfile lacks fails as
# NotImplementedError, whichever library is reading it.
DOCX_ERRORS = (
    PackageNotFoundError,
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    KeyError,
    ValueError,
    SyntaxError,
    OSError,
)
XLSX_ERRORS = (*DOCX_ERRORS, InvalidFileException, TypeError, EOFError)
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError)


@dataclass(frozen=True)
class FileType:
    """A type of file the workbench can take, named as people know it."""

    key: str  # stored as an attachment's kind: "pdf", "docx", "jpeg", ...
    extensions: tuple[str, ...]
    name: str  # "a Word document (.docx)"
    short: str  # "Word document"
    media_type: str
    content: str  # the sniffed kind its content must have: "pdf", "zip", "text", ...
    app: str = ""  # what to open it in, for the "damaged" advice


FILE_TYPES = {
    file_type.key: file_type
    for file_type in (
        FileType("pdf", (".pdf",), "a PDF (.pdf)", "PDF", "application/pdf", "pdf"),
        FileType(
            "docx",
            (".docx",),
            "a Word document (.docx)",
            "Word document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "zip",
            "Word",
        ),
        FileType(
            "xlsx",
            (".xlsx",),
            "an Excel workbook (.xlsx)",
            "Excel workbook",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "zip",
            "Excel",
        ),
        FileType("csv", (".csv",), "a CSV file (.csv)", "CSV file", "text/csv", "text"),
        FileType("txt", (".txt",), "a text file (.txt)", "text file", "text/plain", "text"),
        FileType("png", (".png",), "a PNG image (.png)", "PNG image", "image/png", "png"),
        FileType(
            "jpeg", (".jpg", ".jpeg"), "a JPEG image (.jpg)", "JPEG image", "image/jpeg", "jpeg"
        ),
    )
}
_BY_EXTENSION = {
    ext: file_type for file_type in FILE_TYPES.values() for ext in file_type.extensions
}
_OFFICE_MAIN_PARTS = {
    b"wordprocessingml.document.main+xml": "docx",
    b"spreadsheetml.sheet.main+xml": "xlsx",
}

# --- Sniffing: what the bytes are -------------------------------------------------------------

# How each sniffed kind is described when it turns up under the wrong name.
DESCRIPTIONS = {
    "pdf": "a PDF",
    "png": "a PNG image",
    "jpeg": "a JPEG image",
    "gif": "a GIF image",
    "rtf": "a Rich Text (.rtf) document",
    "zip": "a zip archive",
    "ole": "an old-format or password-protected Office file",
    "windows program": "a Windows program",
    "program": "a program",
    "script": "a script (a program)",
    "markup": "a web page or other markup (HTML, SVG or XML)",
    "text": "plain text",
    "binary": "binary data",
    "empty": "nothing (it is empty)",
}
_PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# After a JPEG's start of image comes a marker: an application segment (JFIF, Exif), a table,
# a comment or a frame header.
_JPEG_MARKERS = frozenset({0xC0, 0xC1, 0xC2, 0xC4, 0xDB, 0xDD, 0xFE, *range(0xE0, 0xF0)})
_SIGNATURES = (
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"{\\rtf", "rtf"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xd0\xcf\x11\xe0", "ole"),
    (b"\x7fELF", "program"),
    # Mach-O (32/64-bit, either byte order) and universal binaries / Java classes.
    (b"\xfe\xed\xfa\xce", "program"),
    (b"\xfe\xed\xfa\xcf", "program"),
    (b"\xce\xfa\xed\xfe", "program"),
    (b"\xcf\xfa\xed\xfe", "program"),
    (b"\xca\xfe\xba\xbe", "program"),
    (b"#!", "script"),
)
_MARKUP_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html|head|body|script|iframe|svg|\?xml)\b",
    re.IGNORECASE,
)
# Control characters no text file holds: all below space but tab, new line, form feed, return.
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def sniff(data: bytes) -> str:
    """Name what the bytes hold, judged from their content alone (a key of ``DESCRIPTIONS``).

    A type is named only when the whole of its signature is there: a program that carries
    "%PDF-" in its first kilobyte is a program, and a PNG signature followed by a web page is
    not an image.
    """
    if not data:
        return "empty"
    text = None if _is_windows_program(data) else decode_text(data)
    if data.startswith(b"MZ") and text is None:
        return "windows program"
    if _PDF_HEADER.match(data):
        return "pdf"
    if data.startswith(_PNG_SIGNATURE) and _has_png_header(data):
        return "png"
    if data.startswith(b"\xff\xd8\xff") and len(data) > 3 and data[3] in _JPEG_MARKERS:
        return "jpeg"
    found = next((kind for magic, kind in _SIGNATURES if data.startswith(magic)), None)
    if found:
        return found
    if text is None:
        return "binary"
    return "markup" if _MARKUP_START.match(data[:512]) else "text"


def _is_windows_program(data: bytes) -> bool:
    """Say whether the bytes start as a Windows program does: "MZ", and "PE" where it points."""
    if not data.startswith(b"MZ") or len(data) < 0x40:
        return False
    offset = int.from_bytes(data[0x3C:0x40], "little")
    return data[offset : offset + 4] == b"PE\x00\x00"


_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def _has_png_header(data: bytes) -> bool:
    """Say whether a PNG signature is followed by its IHDR chunk, whose checksum matches, and
    the image ends where PNG's closing chunk (IEND) says: nothing, such as a page of HTML, may
    ride after a real image."""
    chunk = data[8:33]
    return (
        len(chunk) == 25
        and chunk[:8] == b"\x00\x00\x00\x0dIHDR"
        and zlib.crc32(chunk[4:21]) == int.from_bytes(chunk[21:25], "big")
        and data.endswith(_PNG_END)
    )


def decode_text(data: bytes) -> str | None:
    """Decode text as UTF-8 (BOM or not), UTF-16 with a BOM, or Windows-1252; None if binary."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp1252")  # what older Excel saves CSV as
    except UnicodeDecodeError:
        return None
    return None if _CONTROL_CHARACTER.search(text) else text


# --- Names ------------------------------------------------------------------------------------


def display_name(filename: str) -> str:
    """Return a file's name safe to show and offer for download: no folders, no control codes.

    Browsers on Windows may send the whole path; people know the file by its name. Format
    characters (such as the right-to-left override that makes "fdp.exe" read as "exe.pdf") are
    removed with the control characters.
    """
    name = PurePath(filename.replace("\\", "/")).name
    name = "".join(
        " " if char.isspace() else char
        for char in name
        if unicodedata.category(char) not in ("Cc", "Cf") or char.isspace()
    )
    name = re.sub(r'[<>:"/|?*]', "_", " ".join(name.split())).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        stem, suffix = _split_suffix(name)
        name = stem[: MAX_NAME_LENGTH - len(suffix)].rstrip() + suffix
    return name or "file"


def _split_suffix(name: str) -> tuple[str, str]:
    suffix = PurePath(name).suffix
    return (name[: -len(suffix)], suffix) if 0 < len(suffix) <= 10 else (name, "")


def extension_of(filename: str) -> str:
    """Return a file name's extension in lower case, with its dot (or "")."""
    return PurePath(filename).suffix.lower()


# --- Messages -----------------------------------------------------------------------------------


def refuse(subject: str, message: str) -> NoReturn:
    """Raise ``ValidationFailed`` with one problem about the subject."""
    raise ValidationFailed([message], subject=subject)


def accepted_phrase(accepted: Collection[str]) -> str:
    """Say which files to upload instead: 'upload a PDF (.pdf) or a Word document (.docx)'."""
    names = list(dict.fromkeys(_BY_EXTENSION[extension].name for extension in accepted))
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"upload {listed}"


def too_big_message(size: int, max_bytes: int) -> str:
    """Say how big the file is and how big it may be."""
    shown = math.ceil(size / MEGABYTE * 10) / 10  # never "20.0 MB, the largest is 20.0 MB"
    return (
        f"it is {shown:.1f} MB and the largest file accepted is {max_bytes / MEGABYTE:.1f} MB; "
        "make it smaller (for example by compressing its images or splitting it into parts) "
        "and upload it again"
    )


def macro_message() -> str:
    """Say that macro-enabled files are refused, and what to send instead."""
    return (
        "it is macro-enabled, and files with macros are refused for safety; save it as a plain "
        "Word document (.docx) or Excel workbook (.xlsx) and upload that"
    )


def encrypted_message() -> str:
    """Say that password-protected files are refused, and what to send instead."""
    return "it is password-protected; open it, save a copy without a password and upload that"


def ole_message(data: bytes) -> str:
    """Say why an OLE compound file is refused: a password, or an old Office format."""
    # Office keeps a password-protected .docx/.xlsx inside an OLE compound file whose directory
    # names an "EncryptedPackage" stream (stored as UTF-16); the older .doc/.xls are OLE too.
    if is_encrypted_office(data):
        return encrypted_message()
    return (
        "it is in an old Office format (Word 97-2003 .doc or Excel 97-2003 .xls) or is "
        "password-protected; open it, save it as .docx or .xlsx without a password and upload that"
    )


def is_encrypted_office(data: bytes) -> bool:
    """Say whether the bytes are a password-protected Word or Excel file."""
    return data.startswith(b"\xd0\xcf\x11\xe0") and "EncryptedPackage".encode("utf-16-le") in data


def damaged_message(file_type: FileType) -> str:
    """Say that an Office file could not be read, and how to repair it."""
    return (
        f"it could not be read as {file_type.name.rsplit(' (', 1)[0]} and may be damaged; open "
        f"it in {file_type.app}, save it again as {file_type.extensions[0]} and upload the new "
        "copy"
    )


def _not_text_message(file_type: FileType) -> str:
    if file_type.key == "csv":
        return (
            "it is not a readable CSV text file; save it from Excel as 'CSV UTF-8 (Comma "
            "delimited)' and upload it again"
        )
    return "it is not a readable text file; save it as plain text (UTF-8) and upload it again"


def _wrong_content_message(kind: str, extension: str, accepted: Collection[str]) -> str:
    expected = _BY_EXTENSION[extension]
    known = kind not in ("binary", "text", "empty")
    holds = f"it holds {DESCRIPTIONS[kind]}, not" if known else "its content is not"
    return (
        f"{holds} {expected.name}, although its name ends in {extension}; "
        f"{accepted_phrase(accepted)}"
    )


# --- Office files: zip archives -----------------------------------------------------------------


@dataclass(frozen=True)
class ArchiveFacts:
    """What an Office file's zip directory says, read without unpacking anything big."""

    entries: int
    unpacked_bytes: int
    encrypted: bool = False
    macros: bool = False
    office: str | None = None  # "docx", "xlsx" or None (neither, or not looked at)
    listing_bytes: int = 0  # the unpacked size of a [Content_Types].xml too big to read

    @property
    def bomb(self) -> bool:
        """Say whether unpacking it would take more room or parts than any real document."""
        return self.unpacked_bytes > MAX_UNZIPPED_BYTES or self.entries > MAX_ZIP_ENTRIES


def archive_facts(data: bytes) -> ArchiveFacts:
    """Read an Office file's zip directory; raise one of ``ZIP_ERRORS`` if it is damaged.

    zipfile never unpacks more than an entry's declared size (it fails the CRC check instead),
    so the declared sizes bound the work before anything is decompressed.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        facts = ArchiveFacts(len(entries), sum(entry.file_size for entry in entries))
        if facts.bomb:
            return facts
        if any(entry.flag_bits & 0x1 for entry in entries):
            return ArchiveFacts(facts.entries, facts.unpacked_bytes, encrypted=True)
        names = {entry.filename for entry in entries}
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            return ArchiveFacts(facts.entries, facts.unpacked_bytes, macros=True)
        if "[Content_Types].xml" not in names:
            return facts
        listing = archive.getinfo("[Content_Types].xml").file_size
        if listing > MAX_LISTING_BYTES:  # read whole below: a real one is a few kilobytes
            return ArchiveFacts(facts.entries, facts.unpacked_bytes, listing_bytes=listing)
        content_types = archive.read("[Content_Types].xml")
    if b"macroenabled" in content_types.lower():
        return ArchiveFacts(facts.entries, facts.unpacked_bytes, macros=True)
    office = _main_part_type(content_types, names)
    return ArchiveFacts(facts.entries, facts.unpacked_bytes, office=office)


_OVERRIDE = re.compile(rb"<(?:\w+:)?Override\b[^>]*>")
_ATTRIBUTE = re.compile(rb"""\b(PartName|ContentType)\s*=\s*["']([^"']*)["']""")


def _main_part_type(content_types: bytes, names: Collection[str]) -> str | None:
    """Return "docx" or "xlsx" when the content types name a main part the zip holds."""
    for override in _OVERRIDE.findall(content_types):
        attributes = dict(_ATTRIBUTE.findall(override))
        part = attributes.get(b"PartName", b"").decode("utf-8", "replace").lstrip("/")
        for mark, key in _OFFICE_MAIN_PARTS.items():
            if mark in attributes.get(b"ContentType", b"") and part in names:
                return key
    return None


def _check_office_zip(
    data: bytes, expected: FileType, extension: str, accepted: Collection[str], subject: str
) -> None:
    try:
        facts = archive_facts(data)
    except ZIP_ERRORS as exc:
        raise ValidationFailed(
            [
                f"it is damaged and cannot be opened as {expected.name}; open it in "
                f"{expected.app}, save it again and upload the new copy"
            ],
            subject=subject,
        ) from exc
    if facts.unpacked_bytes > MAX_UNZIPPED_BYTES:
        refuse(
            subject,
            f"it would unpack to more than {MAX_UNZIPPED_BYTES // MEGABYTE} MB, which no real "
            f"{expected.short} needs; it was refused without being unpacked",
        )
    if facts.entries > MAX_ZIP_ENTRIES:
        refuse(
            subject,
            f"it is packed from {facts.entries:,} parts, more than the {MAX_ZIP_ENTRIES:,} any "
            f"real {expected.short} has; it was refused without being unpacked",
        )
    if facts.listing_bytes:
        refuse(
            subject,
            f"its list of parts ([Content_Types].xml) would unpack to "
            f"{facts.listing_bytes / MEGABYTE:,.1f} MB, where "
            f"{possessive('a real ' + expected.short)} is a few kilobytes; it was refused without "
            "being unpacked",
        )
    if facts.encrypted:
        refuse(subject, encrypted_message())
    if facts.macros:
        refuse(subject, macro_message())
    if facts.office is None:
        refuse(subject, f"it is a zip archive but not {expected.name}; {accepted_phrase(accepted)}")
    if facts.office != expected.key:
        found = FILE_TYPES[facts.office]
        if found.extensions[0] in accepted:
            advice = f"rename it to end in {found.extensions[0]} and upload it again"
            refuse(subject, f"it is {found.name} although its name ends in {extension}; {advice}")
        refuse(
            subject,
            f"it is {found.name}, not {expected.name}, although its name ends in {extension}; "
            f"{accepted_phrase(accepted)}",
        )


# --- The whole check -----------------------------------------------------------------------------


def check_file(
    filename: str,
    data: bytes,
    *,
    accepted: Collection[str],
    max_bytes: int,
    subject: str | None = None,
    limits: ParseLimits = READING,
) -> FileType:
    """Return the file's type once its name and content agree and it is safe to read.

    ``accepted`` lists the extensions the caller takes (keys of the extension table: ".pdf",
    ".docx", ".xlsx", ".csv", ".txt", ".png", ".jpg", ".jpeg"); ``limits`` what opening a Word
    or Excel file may cost (``file_guards.KEEPING`` for a file kept and never read). Raise
    ``ValidationFailed`` naming the first rule the file breaks.
    """
    name = display_name(filename)
    subject = subject or f"The file '{name}'"
    extension = extension_of(name)
    if not data:
        refuse(subject, "it is empty; check you chose the right file and upload it again")
    if len(data) > max_bytes:
        refuse(subject, too_big_message(len(data), max_bytes))
    if extension in MACRO_EXTENSIONS:
        refuse(subject, macro_message())
    kind = sniff(data)
    if kind == "ole":
        refuse(subject, ole_message(data))
    if extension not in accepted:
        shown = f"'{extension}'" if extension else "with no extension"
        refuse(subject, f"files {shown} are not accepted; {accepted_phrase(accepted)}")
    expected = _BY_EXTENSION[extension]
    if expected.content == "text" and kind == "binary":
        refuse(subject, _not_text_message(expected))
    if kind != expected.content:
        refuse(subject, _wrong_content_message(kind, extension, accepted))
    if expected.content == "zip":
        _check_office_zip(data, expected, extension, accepted, subject)
        try:
            guard_office(data, expected.key, subject=subject, limits=limits)
        except (*ZIP_ERRORS, expat.ExpatError) as exc:  # a damaged part, or XML that is not
            raise ValidationFailed([damaged_message(expected)], subject=subject) from exc
    return expected


def check_opens(data: bytes, file_type: FileType, *, subject: str) -> None:
    """Refuse an Office file (already through ``check_file``) that is damaged inside."""
    if file_type.content != "zip":
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            broken = archive.testzip()  # checks every part's CRC; bounded by the bomb check
        if broken is None and file_type.key == "docx":
            docx.Document(io.BytesIO(data))
        elif broken is None:
            openpyxl.load_workbook(io.BytesIO(data), read_only=True).close()
    except XLSX_ERRORS as exc:
        raise ValidationFailed([damaged_message(file_type)], subject=subject) from exc
    if broken is not None:
        refuse(subject, damaged_message(file_type))


def plain_size(size: int) -> str:
    """Say how big a file is as people read it: "640 bytes", "12 KB", "3.4 MB"."""
    if size < 1024:
        return counted(size, "byte")
    if size < MEGABYTE:
        return f"{size / 1024:,.0f} KB"
    return f"{size / MEGABYTE:,.1f} MB"
