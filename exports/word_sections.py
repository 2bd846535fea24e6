"""Writing the response's pages: the title page, the contents, and each section's blocks in
their styles (see ``exports.word`` for the shape)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from consultations.dates import plain_date
from exports.draft_model import Block, Draft
from exports.word_body import Body
from exports.word_plan import Heading, PlannedSection, all_headings, included_blocks
from exports.word_stamp import WrittenSection
from exports.word_tables import response_table
from exports.word_text import one_line, plain_text
from exports.word_xml import field_char, field_start, run_element

# The sections only: with every question's theme subheadings too, the contents of the demo's
# draft ran over three pages.
TOC_LEVELS = 1
TOC_INSTRUCTION = rf'TOC \o "1-{TOC_LEVELS}" \h \z \u'
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
_OPENING_QUOTES = ('"', "'", "“", "‘", "«")

UNNUMBERED_SECTIONS = ("cover", "annex")


def write_cover(body: Body, draft: Draft, status: str) -> None:
    body.paragraph("Cover Partnership", one_line(draft.partnership))
    body.paragraph("Title", one_line(draft.title))
    department = one_line(draft.department)
    body.paragraph(
        "Subtitle", f"A regional response to the {department or 'government'} consultation"
    )
    for label, value in (
        ("Reference", draft.reference),
        ("Department", draft.department),
        ("Date", plain_date(draft.prepared_on)),
    ):
        if one_line(value):
            body.paragraph("Cover Detail", f"{label}\t{one_line(value)}")
    for block in _cover_extras(draft):
        body.paragraph("Cover Detail", one_line(block.text))
    body.paragraph("Cover Status", status)
    body.page_break()


def _cover_extras(draft: Draft) -> list[Block]:
    """Return the cover section's lines that say something the title page does not already.

    The title page is made from the draft's own facts, so that approval can change its status;
    a cover line naming the partnership or the reference, or giving the date or the status,
    would say it twice.
    """
    shown = [draft.partnership, draft.reference, plain_date(draft.prepared_on), draft.status]
    facts = [one_line(fact).casefold() for fact in shown if one_line(fact)]
    extras = []
    for section in draft.sections:
        if section.key != "cover":
            continue
        for block in included_blocks(section.blocks):
            text = one_line(block.text).casefold()
            if block.kind == "paragraph" and not any(fact in text for fact in facts):
                extras.append(block)
    return extras


def write_contents(body: Body, plan: Sequence[PlannedSection]) -> None:
    """Write the contents: one TOC field whose shown result lists the headings, linked.

    Page numbers are left to Word, which rebuilds the field when the document opens: written
    here they could only be guesses, and LibreOffice shows a field's last result as it stands.
    """
    body.paragraph("TOC Heading", "Contents")
    headings = [h for h in all_headings(plan) if h.level <= TOC_LEVELS] or [None]
    for index, heading in enumerate(headings):
        paragraph = body.paragraph(f"toc {heading.level if heading else 1}")
        if index == 0:
            paragraph.extend(field_start(TOC_INSTRUCTION))
        if heading is None:
            paragraph.append(run_element("Update this field to list the sections."))
        else:
            link = OxmlElement("w:hyperlink", {qn("w:anchor"): heading.bookmark})
            link.append(run_element(heading.text))
            paragraph.append(link)
        if index == len(headings) - 1:
            paragraph.append(field_char("end"))
    body.page_break()


def write_section(body: Body, planned: PlannedSection, number: int) -> WrittenSection:
    if planned.section.key == "annex":
        body.page_break()
    body.placed, body.block = [], -1
    if planned.heading is not None:
        _write_heading(body, planned.heading)
    numbered = planned.section.key not in UNNUMBERED_SECTIONS
    positions = {id(block): index for index, block in enumerate(planned.section.blocks)}
    for index, block in enumerate(planned.blocks):
        body.block = positions[id(block)]
        # A question section opens with the department's question: its words, not ours.
        ours = not (planned.section.question_id is not None and body.block == 0)
        _write_block(body, block, planned.subheadings.get(index), numbered=numbered and ours)
    return WrittenSection(number, planned.section, body.placed)


def _write_heading(body: Body, heading: Heading) -> None:
    paragraph = body.paragraph(f"Heading {heading.level}")
    bookmark_id = str(heading.number)
    paragraph.append(
        OxmlElement("w:bookmarkStart", {qn("w:id"): bookmark_id, qn("w:name"): heading.bookmark})
    )
    paragraph.append(run_element(heading.text))
    paragraph.append(OxmlElement("w:bookmarkEnd", {qn("w:id"): bookmark_id}))


def _write_block(
    body: Body, block: Block, heading: Heading | None, *, numbered: bool = False
) -> None:
    if block.kind == "subheading":
        if heading is not None:
            _write_heading(body, heading)
    elif block.kind == "point":
        paragraph = body.paragraph("List Bullet", plain_text(block.text).strip())
        if numbered:
            body.number(paragraph)
    elif block.kind == "quote":
        _write_quote(body, block)
    elif block.kind == "figure":
        paragraph = body.paragraph("Evidence Figure", plain_text(block.text).strip())
        if one_line(block.attribution):
            body.run(paragraph, f" — {one_line(block.attribution)}", "Attribution")
    elif block.kind == "table":
        body.table(response_table(body, block.rows))
    else:
        for text in _BLANK_LINE.split(plain_text(block.text).strip()):
            paragraph = body.paragraph("Normal", text)
            if numbered:
                body.number(paragraph)


def _write_quote(body: Body, block: Block) -> None:
    words = plain_text(block.text).strip()
    if not words.startswith(_OPENING_QUOTES):
        words = f"“{words}”"
    body.paragraph("Quote", words)
    if one_line(block.attribution):
        body.paragraph("Quote Attribution", f"— {one_line(block.attribution)}")
