"""Read an edited copy of a draft's .docx: each section's text, its tracked changes, comments.

Pure reading: bytes in, an ``EditedCopy`` out; nothing here touches the database.

Tracked changes are read as both programs write them:
- ``w:ins`` and ``w:moveTo`` hold inserted text, ``w:del`` and ``w:moveFrom`` deleted text (in
  ``w:delText``); a paragraph's mark (``w:pPr/w:rPr/w:ins|w:del``) inserted or deleted splits or
  joins paragraphs;
- each paragraph is read twice: as the editor would see it with every change accepted, and as
  it was before the changes (every change rejected).

Comments come from ``word/comments.xml`` (author, date, text) and the ranges
``w:commentRangeStart``/``w:commentRangeEnd`` in the body (the text they cover, and so their
section). Sections are found by the workbench's bookmarks (``exports.word_marks``); what lies
after the first section and in none is kept as added text, where it stands.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from consultations.errors import WorkbenchError
from exports.word_marks import (
    CONSULTATION_NAME,
    DATABASE_NAME,
    MARKER_NAME,
    MARKER_VALUE,
    REFERENCE_NAME,
    VERSION_NAME,
    fingerprint,
    read_custom_properties,
    safe_parser,
    section_marks,
    section_number,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_PART_BYTES = 50 * 1024 * 1024  # a document.xml larger than this is not a draft of ours


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (
    _w(t) for t in ("p", "tbl", "tr", "tc", "sdt", "sdtContent")
)
_CUSTOM_XML = _w("customXml")
_BOOKMARK_START, _BOOKMARK_END = _w("bookmarkStart"), _w("bookmarkEnd")
_COMMENT_START, _COMMENT_END = _w("commentRangeStart"), _w("commentRangeEnd")
_COMMENT_REFERENCE = _w("commentReference")
_INSERTED = {_w("ins"), _w("moveTo")}
_DELETED = {_w("del"), _w("moveFrom")}
_SKIPPED = {
    _w(t)
    for t in (
        "pPr",
        "rPr",
        "instrText",
        "delInstrText",
        "drawing",
        "pict",
        "object",
        "footnoteReference",
        "endnoteReference",
        "sdtPr",
        "sdtEndPr",
        "trPr",
        "tblPr",
        "tcPr",
        "tblGrid",
    )
} | {"{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"}
_CHARACTERS = {_w("tab"): "\t", _w("br"): "\n", _w("cr"): "\n", _w("noBreakHyphen"): "-"}
_TEXT, _DEL_TEXT, _BREAK, _TYPE = _w("t"), _w("delText"), _w("br"), _w("type")
# Paragraphs holding any of these are read element by element; others in one pass.
_SLOW = (
    *_INSERTED,
    *_DELETED,
    *(tag for tag in _SKIPPED if tag not in (_w("pPr"), _w("rPr"), _w("tcPr"), _w("trPr"))),
    _w("commentRangeStart"),
    _w("commentRangeEnd"),
    _w("commentReference"),
    _w("delText"),
)
_ID, _NAME, _AUTHOR, _DATE, _VAL = (_w(a) for a in ("id", "name", "author", "date", "val"))


@dataclass(frozen=True)
class CopyIdentity:
    """What the copy says it is: the consultation (id, reference) and its base version."""

    consultation_id: int
    reference: str
    version: int
    database: str = ""


@dataclass
class Piece:
    """One paragraph or table row of the copy, with its tracked changes accepted.

    ``original`` is the same text with every change rejected; ``marked`` shows the changes
    still tracked in it as ``[+inserted+]`` and ``[-deleted-]``. ``element`` is the XML element
    the piece came from (a paragraph, or a table for its rows).
    """

    text: str
    original: str = ""
    kind: str = "paragraph"  # or "row"
    style: str = ""
    cells: tuple[str, ...] = ()
    marked: str = ""
    element: object = field(default=None, repr=False, compare=False)


@dataclass
class CopySection:
    """A section of the copy, found by its bookmark."""

    key: str
    number: int
    written: str  # the fingerprint of the text as the workbench wrote it
    pieces: list[Piece] = field(default_factory=list)
    insertions: int = 0
    deletions: int = 0

    @property
    def texts(self) -> list[str]:
        return [piece.text for piece in self.pieces]


@dataclass
class Outside:
    """Paragraphs that lie in no section, after the section ``after`` (None: before them all)."""

    after: str | None
    pieces: list[Piece] = field(default_factory=list)
    insertions: int = 0
    deletions: int = 0


@dataclass(frozen=True)
class CopyComment:
    """A comment in the copy: who, when, what, the text it covers and its section (None: none)."""

    author: str
    text: str
    written_at: datetime | None
    covered: str
    section: str | None


@dataclass
class EditedCopy:
    """Everything read from an edited copy."""

    identity: CopyIdentity
    sha256: str
    sections: list[CopySection]
    outside: list[Outside]
    comments: list[CopyComment]
    change_authors: list[str]
    last_modified_by: str = ""

    def section(self, key: str) -> CopySection | None:
        return next((s for s in self.sections if s.key == key), None)


NOT_OURS = (
    "This file is not a draft from the workbench: it does not carry the draft's identity. "
    "Download the draft from the workbench, edit that copy in Word or LibreOffice, and "
    "upload it."
)


DAMAGED = (
    "This Word document is damaged inside, so it cannot be read. Open it in Word or "
    "LibreOffice, save it again as a Word document (.docx), and upload that."
)


def read_copy(data: bytes) -> EditedCopy:
    """Read an edited copy of a draft; refuse a file that is not one of our drafts."""
    try:
        return _read_copy(data)
    except etree.XMLSyntaxError as exc:  # malformed, or an entity bomb libxml2 will not expand
        raise WorkbenchError(DAMAGED) from exc


def _read_copy(data: bytes) -> EditedCopy:
    parts = _parts(data)
    properties = read_custom_properties(parts["custom"]) if parts.get("custom") else {}
    identity = _identity(properties)
    document = etree.fromstring(parts["document"], parser=safe_parser())
    body = document.find(_w("body"))
    if body is None:
        raise WorkbenchError(NOT_OURS)
    marks = section_marks(properties)
    walk = _Walk(marks)
    walk.read(body)
    comments = _comments(parts.get("comments"), walk)
    for section in [*walk.sections.values(), *walk.outside]:
        for piece in section.pieces:
            piece.element = None  # the copy's XML is not needed once read
    return EditedCopy(
        identity=identity,
        sha256=hashlib.sha256(data).hexdigest(),
        sections=walk.finished_sections(),
        outside=[group for group in walk.outside if group.pieces],
        comments=comments,
        change_authors=list(dict.fromkeys(a for a in walk.authors if a)),
        last_modified_by=_last_modified_by(parts.get("core")),
    )


def section_texts(elements: Iterable[object]) -> list[str]:
    """Return the paragraphs and rows these body elements hold, as the reader sees them."""
    walk = _Walk({}, follow_bookmarks=False)
    walk.current = CopySection("", 0, "")
    for element in elements:
        walk.block(element)
    walk.flush()
    return walk.current.texts


def _parts(data: bytes) -> dict[str, bytes]:
    names = {
        "document": "word/document.xml",
        "comments": "word/comments.xml",
        "custom": "docProps/custom.xml",
        "core": "docProps/core.xml",
    }
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            present = {info.filename: info for info in archive.infolist()}
            found = {}
            for key, name in names.items():
                info = present.get(name)
                if info is None:
                    continue
                if info.file_size > MAX_PART_BYTES:
                    raise WorkbenchError(NOT_OURS)
                found[key] = archive.read(name)
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        raise WorkbenchError(
            "This file is not a Word document that can be read (.docx). Save it from Word or "
            "LibreOffice as a Word document and upload it again."
        ) from exc
    if "document" not in found:
        raise WorkbenchError(NOT_OURS)
    return found


def _identity(properties: dict[str, str]) -> CopyIdentity:
    if properties.get(MARKER_NAME) != MARKER_VALUE:
        raise WorkbenchError(NOT_OURS)
    try:
        return CopyIdentity(
            consultation_id=int(properties[CONSULTATION_NAME]),
            reference=properties.get(REFERENCE_NAME, ""),
            version=int(properties[VERSION_NAME]),
            database=properties.get(DATABASE_NAME, ""),
        )
    except (KeyError, ValueError) as exc:
        raise WorkbenchError(NOT_OURS) from exc


def _last_modified_by(core: bytes | None) -> str:
    if not core:
        return ""
    root = etree.fromstring(core, parser=safe_parser())
    for element in root.iter("{*}lastModifiedBy"):
        return " ".join("".join(element.itertext()).split())
    return ""


# --- The walk through the body ---------------------------------------------------------------


@dataclass
class _Line:
    """One paragraph as written, before paragraphs are split or joined by tracked marks."""

    accepted: str
    original: str
    marked: str
    mark_inserted: bool
    mark_deleted: bool
    style: str
    element: object


class _Walk:
    """Go through the body in order, keeping which section and which comments are open."""

    def __init__(self, marks: dict[int, tuple[str, str]], *, follow_bookmarks: bool = True) -> None:
        self.marks = marks
        self.follow_bookmarks = follow_bookmarks
        self.open_bookmarks: dict[str, int] = {}  # bookmark id -> section number
        self.sections: dict[int, CopySection] = {}
        self.order: list[int] = []
        self.current: CopySection | None = None
        self.outside: list[Outside] = []
        self.lines: list[_Line] = []
        self.comment_text: dict[str, list[str]] = {}
        self.comment_section: dict[str, str | None] = {}
        self.open_comments: set[str] = set()
        self.authors: list[str] = []
        self._seen_section = False
        self.here: object = None  # the body-level element being read
        self.started_in: object = None  # the body-level element the current section began in
        self._counts = [0, 0]

    def read(self, body: object) -> None:
        for element in body:
            self.block(element)
        self.flush()

    def finished_sections(self) -> list[CopySection]:
        return [self.sections[number] for number in self.order]

    # -- where we are

    def _section_here(self, element) -> None:
        """Enter the section whose bookmark starts in (or is) this element, if any."""
        if not self.follow_bookmarks:
            return
        for marker in element.iter(_BOOKMARK_START):
            number = section_number(marker.get(_NAME, ""))
            if number is not None:
                self.open_bookmarks[marker.get(_ID, "")] = number
                if self._enter(number):
                    self.started_in = self.here
                return

    def _enter(self, number: int) -> bool:
        """Make the section current; say whether it is a section entered anew."""
        if isinstance(self.current, CopySection) and self.current.number == number:
            return False
        self.flush()
        if number not in self.sections:
            key, written = self.marks.get(number, (f"section-{number}", ""))
            self.sections[number] = CopySection(key, number, written)
            self.order.append(number)
        self.current = self.sections[number]
        self._seen_section = True
        return True

    def _leave_if_closed(self, element) -> None:
        """Leave the section when its bookmark ends after the paragraph it started in.

        LibreOffice writes a bookmark that spans a table as ending where it starts (and starts
        it again after the table), so an end in the section's first paragraph is not its end:
        the section then runs on to the next section's bookmark.
        """
        if not self.follow_bookmarks or self.here is self.started_in:
            return
        for marker in element.iter(_BOOKMARK_END):
            if marker.get(_ID, "") in self.open_bookmarks:
                self.open_bookmarks.pop(marker.get(_ID, ""))
                self.flush()
                after = self.current.key if isinstance(self.current, CopySection) else None
                self.current = Outside(after) if self._seen_section else None
                if self.current is not None:
                    self.outside.append(self.current)

    # -- blocks

    def block(self, element) -> None:
        tag = element.tag
        self.here = element
        if tag in (_SDT, _CUSTOM_XML):
            content = element.find(_SDT_CONTENT) if tag == _SDT else element
            for child in content if content is not None else ():
                self.block(child)
            return
        if tag == _BOOKMARK_START:
            self._section_here(element)
            return
        if tag == _BOOKMARK_END:
            self.flush()
            self._leave_if_closed(element)
            return
        if tag == _COMMENT_START:  # Word may put a range's ends between paragraphs
            self._open_comment(element.get(_ID, ""))
            return
        if tag == _COMMENT_END:
            self.open_comments.discard(element.get(_ID, ""))
            return
        if tag not in (_P, _TBL):
            return
        self._section_here(element)
        if tag == _P:
            self.lines.append(self._line(element))
        else:
            self.flush()
            for row in element.iter(_TR):
                self._row(row, element)
        self._leave_if_closed(element)

    def _row(self, row, table) -> None:
        properties = row.find(_w("trPr"))
        inserted = properties is not None and any(c.tag in _INSERTED for c in properties)
        deleted = properties is not None and any(c.tag in _DELETED for c in properties)
        cells, originals = [], []
        for cell in row.findall(_TC):
            lines = [self._line(p) for p in cell.iter(_P)]
            cells.append("\n".join(line.accepted for line in lines).strip())
            originals.append("\n".join(line.original for line in lines).strip())
        text = "" if deleted else " | ".join(cells)
        original = "" if inserted else " | ".join(originals)
        if inserted or deleted:  # a row inserted or deleted with change tracking on
            self._counts[0 if inserted else 1] += 1
        self._add(Piece(text, original, "row", "", tuple(cells), text, table))

    def _line(self, paragraph) -> _Line:
        accepted: list[str] = []
        original: list[str] = []
        marked: list[str] = []
        if self.open_comments or next(paragraph.iter(*_SLOW), None) is not None:
            self._runs(paragraph, "", accepted, original, marked)
        else:  # no changes, comments or hidden text: the common case, read in one pass
            accepted = original = marked = [
                (child.text or "") if child.tag == _TEXT else _CHARACTERS[child.tag]
                for child in paragraph.iter(_TEXT, *_CHARACTERS)
                if child.tag != _BREAK or child.get(_TYPE) not in ("page", "column")
            ]
        mark = paragraph.find(f"{_w('pPr')}/{_w('rPr')}")
        mark_inserted = mark is not None and any(c.tag in _INSERTED for c in mark)
        mark_deleted = mark is not None and any(c.tag in _DELETED for c in mark)
        style = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
        return _Line(
            "".join(accepted).strip(),
            "".join(original).strip(),
            "".join(marked).strip(),
            mark_inserted,
            mark_deleted,
            style.get(_VAL, "") if style is not None else "",
            paragraph,
        )

    def _runs(self, element, state: str, accepted, original, marked) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue
            if tag in _INSERTED or tag in _DELETED:
                kind = "ins" if tag in _INSERTED else "del"
                self.authors.append(child.get(_AUTHOR, ""))
                inner_a: list[str] = []
                inner_o: list[str] = []
                inner_m: list[str] = []
                self._runs(child, kind, inner_a, inner_o, inner_m)
                words = "".join(inner_a if kind == "ins" else inner_o)
                if words:
                    self._counts[0 if kind == "ins" else 1] += 1
                    marked.append(f"[+{words}+]" if kind == "ins" else f"[-{words}-]")
                accepted.extend(inner_a)
                original.extend(inner_o)
                continue
            if tag == _COMMENT_START:
                self._open_comment(child.get(_ID, ""))
            elif tag == _COMMENT_END:
                self.open_comments.discard(child.get(_ID, ""))
            elif tag == _COMMENT_REFERENCE:
                self._open_comment(child.get(_ID, ""), reference_only=True)
            elif tag == _BREAK and child.get(_TYPE) in ("page", "column"):
                continue  # LibreOffice writes "page break before" as a break in a run
            elif tag in (_TEXT, _DEL_TEXT) or tag in _CHARACTERS:
                words = (child.text or "") if tag in (_TEXT, _DEL_TEXT) else _CHARACTERS[tag]
                if tag == _DEL_TEXT or state == "del":
                    original.append(words)
                elif state == "ins":
                    accepted.append(words)
                else:
                    accepted.append(words)
                    original.append(words)
                    marked.append(words)
                if state != "del" and tag != _DEL_TEXT:
                    for comment in self.open_comments:
                        self.comment_text[comment].append(words)
            else:
                self._runs(child, state, accepted, original, marked)

    def _open_comment(self, comment: str, *, reference_only: bool = False) -> None:
        where = self.current.key if isinstance(self.current, CopySection) else None
        if comment not in self.comment_section:
            self.comment_section[comment] = where
        if not reference_only:
            self.open_comments.add(comment)
            self.comment_text.setdefault(comment, [])

    # -- paragraphs, joined as their marks say

    def flush(self) -> None:
        """Turn the lines read so far into pieces of where we are."""
        lines, self.lines = self.lines, []
        if not lines:
            self._take_counts()
            return
        for piece in _joined(lines, accepted=True):
            self._add(piece)
        self._take_counts()

    def _add(self, piece: Piece) -> None:
        """Keep a piece that has words once its changes are accepted, where it lies.

        Before the first section lie the title page and contents, made from the draft's facts
        each time: they are not read.
        """
        if self.current is not None and piece.text.strip():
            self.current.pieces.append(piece)

    def _take_counts(self) -> None:
        inserted, deleted = self._counts
        self._counts = [0, 0]
        if self.current is not None:
            self.current.insertions += inserted
            self.current.deletions += deleted


def _joined_lines(lines: list[_Line], *, accepted: bool) -> Iterator[_Line]:
    """Join a paragraph with the next where its mark is gone in this view."""
    buffer: list[_Line] = []
    for line in lines:
        buffer.append(line)
        gone = line.mark_deleted if accepted else line.mark_inserted
        if not gone:
            yield _merge(buffer)
            buffer = []
    if buffer:
        yield _merge(buffer)


def _merge(lines: list[_Line]) -> _Line:
    if len(lines) == 1:
        return lines[0]
    first = next((line for line in lines if line.accepted.strip()), lines[0])
    return _Line(
        "".join(line.accepted for line in lines).strip(),
        "".join(line.original for line in lines).strip(),
        "".join(line.marked for line in lines).strip(),
        False,
        False,
        first.style,
        first.element,
    )


def _joined(lines: list[_Line], *, accepted: bool) -> list[Piece]:
    return [
        Piece(line.accepted, line.original, "paragraph", line.style, (), line.marked, line.element)
        for line in _joined_lines(lines, accepted=accepted)
    ]


def _comments(xml: bytes | None, walk: _Walk) -> list[CopyComment]:
    if not xml:
        return []
    root = etree.fromstring(xml, parser=safe_parser())
    comments = []
    for element in root.iter(_w("comment")):
        comment = element.get(_ID, "")
        text = "\n".join(
            "".join(t.text or "" for t in p.iter(_TEXT)) for p in element.iter(_P)
        ).strip()
        comments.append(
            CopyComment(
                author=element.get(_AUTHOR, "") or "someone",
                text=text,
                written_at=_date(element.get(_DATE, "")),
                covered=" ".join("".join(walk.comment_text.get(comment, [])).split()),
                section=walk.comment_section.get(comment),
            )
        )
    return comments


def _date(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text[:19]) if text else None
    except ValueError:
        return None


def written_fingerprint(section: CopySection) -> str:
    """The fingerprint of a section's text as it stands in the copy (changes accepted)."""
    return fingerprint(section.texts)
