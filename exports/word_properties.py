"""What the document says of itself: its core properties, the header and footer, and the setting
that has Word rebuild the contents and page numbers when it opens."""

from __future__ import annotations

from datetime import datetime, time

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section as DocumentSection

from exports.draft_model import Draft
from exports.word_text import one_line, plain_text, shortened
from exports.word_xml import field_runs, insert_before

CORE_PROPERTY_LIMIT = 255  # python-docx refuses longer core property values
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


def set_properties(document: Document, draft: Draft, status: str) -> None:
    """Set the core properties Word shows: title, author, subject, keywords, status, dates."""
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
    department = one_line(draft.department) or "government"
    reference = one_line(draft.reference)
    about = f"Regional response to the {department} consultation"
    return f"{about} {reference}" if reference else about


def _property(text: str) -> str:
    cleaned = " ".join(plain_text(text).split())
    if len(cleaned) <= CORE_PROPERTY_LIMIT:
        return cleaned
    return cleaned[: CORE_PROPERTY_LIMIT - 1].rstrip() + "…"


def write_header_and_footer(section: DocumentSection, draft: Draft, status: str) -> None:
    """Header: the partnership and the reference; footer: the status and "Page 3 of 12".

    Each line pairs a long text with a short one, so it stays on one line in any font.
    """
    section.different_first_page_header_footer = True  # the title page has neither
    for part in (section.first_page_header, section.first_page_footer):
        part.is_linked_to_previous = False
        part.paragraphs[0].style = "Normal"  # empty, and without the header's rule

    header = section.header.paragraphs[0]
    header.style = "Header"
    reference = shortened(one_line(draft.reference), 40)
    header.add_run(f"{one_line(draft.partnership)}\t{reference}".rstrip())

    footer = section.footer.paragraphs[0]
    footer.style = "Footer"
    footer.add_run(f"{shortened(status, 80)}\tPage ")
    footer._p.extend(field_runs("PAGE", "1"))
    footer.add_run(" of ")
    footer._p.extend(field_runs("NUMPAGES", "1"))


def ask_word_to_update_fields(document: Document) -> None:
    """Set ``updateFields`` so Word rebuilds the contents and page numbers on opening."""
    settings = document.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        insert_before(settings, update, _SETTINGS_AFTER_UPDATE_FIELDS)
    update.set(qn("w:val"), "true")
