"""The workbench's marks inside a draft's .docx: who it belongs to, where each section lies.

A copy of the draft edited in Word or LibreOffice comes back carrying:
- custom document properties (File > Properties > Custom in either program): the workbench's
  marker, the consultation's id and reference, the version the copy was made from, and for each
  section its key and a fingerprint of the text written;
- a bookmark around each section (its heading to its last paragraph), named ``wb_03_question_12``:
  the number leads to the section's property, the rest is only there for a person reading the
  bookmark list.

Both programs keep custom properties and bookmarks when they save, so nothing depends on the
generated wording: a section is found by its bookmark, whatever the officer wrote in it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

MARKER_NAME = "WorkbenchDraft"
MARKER_VALUE = "consultation response workbench"
CONSULTATION_NAME = "WorkbenchConsultationId"
REFERENCE_NAME = "WorkbenchReference"
VERSION_NAME = "WorkbenchVersion"
DATABASE_NAME = "WorkbenchDatabase"
SECTION_PREFIX = "WorkbenchSection"
BOOKMARK_PREFIX = "wb_"
BOOKMARK_LIMIT = 40  # Word cuts bookmark names at 40 characters
CUSTOM_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PART = "/docProps/custom.xml"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
# The format id Word gives every user-defined property.
USER_DEFINED = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

_BOOKMARK = re.compile(rf"^{BOOKMARK_PREFIX}(\d+)(?:_|$)")
_NOT_NAME = re.compile(r"[^A-Za-z0-9]+")


@dataclass(frozen=True)
class DocumentIdentity:
    """Whose draft a .docx is: the consultation and the version it was written from."""

    consultation_id: int
    reference: str
    version: int
    database: str = ""  # the workbench database's own random identity, where it has one


@dataclass(frozen=True)
class WordComment:
    """A comment made in the app, written into the .docx on its section's heading."""

    section_key: str
    author: str
    text: str
    written_at: datetime | None = None


@dataclass(frozen=True)
class SectionMark:
    """A section as written: its number in the document, its key, its text's fingerprint."""

    number: int
    key: str
    fingerprint: str

    @property
    def bookmark(self) -> str:
        return bookmark_name(self.number, self.key)


def bookmark_name(number: int, key: str) -> str:
    """Return the section's bookmark name: ``wb_03_question_12`` (letters, digits, underscores)."""
    slug = _NOT_NAME.sub("_", key).strip("_")
    return f"{BOOKMARK_PREFIX}{number:02d}_{slug}"[:BOOKMARK_LIMIT].rstrip("_")


def section_number(bookmark: str) -> int | None:
    """Return the section number a bookmark name carries, or None for anyone else's bookmark."""
    found = _BOOKMARK.match(bookmark)
    return int(found.group(1)) if found else None


def fingerprint(texts: list[str]) -> str:
    """Return a short fingerprint of a section's paragraphs, to tell later whether they changed."""
    joined = "\n".join(" ".join(text.split()) for text in texts if text.strip())
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def identity_properties(identity: DocumentIdentity, marks: list[SectionMark]) -> dict[str, str]:
    """Return the custom properties that carry the draft's identity and its sections."""
    properties = {
        MARKER_NAME: MARKER_VALUE,
        CONSULTATION_NAME: str(identity.consultation_id),
        REFERENCE_NAME: " ".join(identity.reference.split())[:200],
        VERSION_NAME: str(identity.version),
    }
    if identity.database:
        properties[DATABASE_NAME] = identity.database
    for mark in marks:
        properties[f"{SECTION_PREFIX}{mark.number:02d}"] = f"{mark.key} {mark.fingerprint}"
    return properties


def add_custom_properties(document: Document, properties: dict[str, str]) -> None:
    """Add ``docProps/custom.xml`` holding these text properties to the document's package."""
    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(properties.items(), start=2):
        item = etree.SubElement(
            root, f"{{{CUSTOM_NS}}}property", fmtid=USER_DEFINED, pid=str(pid), name=name
        )
        etree.SubElement(item, f"{{{VT_NS}}}lpwstr").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    package = document.part.package
    part = Part(PackURI(CUSTOM_PART), CUSTOM_CONTENT_TYPE, blob, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def read_custom_properties(xml: bytes) -> dict[str, str]:
    """Return the text of every custom property in a ``docProps/custom.xml``."""
    root = etree.fromstring(xml, parser=safe_parser())
    found = {}
    for item in root.iter(f"{{{CUSTOM_NS}}}property"):
        name = item.get("name")
        if name:
            found[name] = "".join(item.itertext()).strip()
    return found


def section_marks(properties: dict[str, str]) -> dict[int, tuple[str, str]]:
    """Return section number -> (key, fingerprint) from the custom properties."""
    marks = {}
    for name, value in properties.items():
        if name.startswith(SECTION_PREFIX) and name[len(SECTION_PREFIX) :].isdigit():
            key, _, mark = value.partition(" ")
            marks[int(name[len(SECTION_PREFIX) :])] = (key, mark)
    return marks


def safe_parser() -> etree.XMLParser:
    """An XML parser that fetches nothing and expands no entities (a file is untrusted)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
