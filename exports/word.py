"""Write a draft response as a Word document that a board can read, comment on and sign.

The document starts from ``exports/template.docx`` (built by ``exports.make_template``), and
every paragraph, run and table here only names a style of that template: no fonts, sizes or
colours are set in this module, so a partnership can restyle its responses by editing the
template in Word.

Its shape: a title page (partnership, consultation title, reference, department, date and
status), the contents, then each section of the draft under a "Heading 1", with its blocks:

| block | written as |
|---|---|
| paragraph | "Normal" paragraphs (a blank line in the text starts a new one) |
| subheading | "Heading 2" (left out when nothing included follows it in its section) |
| point | "List Bullet" (its words say how many partners raised it; the draft writes them) |
| quote | "Quote" in curly quotes, then "— Belfast City Council" in "Quote Attribution" |
| figure | "Evidence Figure", with " — who said it" in "Attribution" |
| table | "Response Table", its first row a header repeated on every page |

Paragraphs and points are numbered 1, 2, 3 ... through the response, as joint responses are
(Word's own numbering, so the words of each paragraph stay exactly the draft's); the cover,
the annex and the department's own question text that opens each question's section are not
numbered.

Blocks the officer excluded are not written, and nor is a section with nothing included.
The header names the partnership and the consultation's reference; the footer gives the status
and "Page 3 of 12".

The contents are a real TOC field (``TOC \\o "1-1" \\h \\z \\u``: the sections) that Word
rebuilds, with page numbers, when the document opens (the ``updateFields`` setting asks it to).
Until then, and in LibreOffice, the field shows the result written here: each section's
heading, linked to a bookmark on it.

Partners' words are written as plain text runs, never read as markup. XML 1.0 cannot hold most
control characters, and one pasted ``\\x00`` would make the file unreadable, so ``plain_text``
removes them (a vertical tab or form feed, Word's own line and page breaks, becomes a line
break).

This module puts the document together; each part of the work has its own module:
``word_template`` (the template and its styles), ``word_plan`` (what is written, and the
headings' bookmarks), ``word_properties`` (core properties, header and footer, the setting that
updates fields), ``word_body`` (paragraphs by style, added in constant time, and their
numbering), ``word_sections`` (title page, contents, sections and blocks), ``word_tables``,
``word_xml`` (the elements built directly) and ``word_text`` (text XML can hold).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from docx.document import Document

from consultations.dates import plain_date
from exports.draft_model import Draft
from exports.word_body import Body
from exports.word_marks import (
    DocumentIdentity,
    WordComment,
    add_custom_properties,
    identity_properties,
)
from exports.word_plan import plan_sections
from exports.word_properties import (
    ask_word_to_update_fields,
    set_properties,
    write_header_and_footer,
)
from exports.word_sections import write_contents, write_cover, write_section
from exports.word_stamp import WrittenSection, add_comments, mark_section
from exports.word_template import new_document
from exports.word_text import one_line, plain_text


def write_docx(
    draft: Draft,
    *,
    approved_on: date | None = None,
    identity: DocumentIdentity | None = None,
    comments: Sequence[WordComment] = (),
) -> bytes:
    """Return the draft as .docx bytes; ``approved_on`` marks it approved by the board that day.

    ``identity`` (the consultation and version) goes into the custom properties, so that an
    edited copy can come back (``exports.word_return``); ``comments`` are the board's comments
    made in the app, written as Word comments on their sections' headings.
    """
    document, _ = build_document(
        draft, approved_on=approved_on, identity=identity, comments=comments
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_document(
    draft: Draft,
    *,
    approved_on: date | None = None,
    identity: DocumentIdentity | None = None,
    comments: Sequence[WordComment] = (),
) -> tuple[Document, list[WrittenSection]]:
    """Build the draft's document; return it with where each section's blocks were written."""
    document = new_document()
    status = status_line(draft, approved_on=approved_on)
    plan = plan_sections(draft)
    set_properties(document, draft, status)
    write_header_and_footer(document.sections[0], draft, status)
    body = Body(document)
    write_cover(body, draft, status)
    write_contents(body, plan)
    written = [write_section(body, planned, number) for number, planned in enumerate(plan, 1)]
    # The fingerprints go only into the identity's properties: without one they are not read.
    marks = [mark_section(section, fingerprinted=identity is not None) for section in written]
    if identity is not None:
        add_custom_properties(document, identity_properties(identity, marks))
    add_comments(document, written, comments, clean=plain_text)
    ask_word_to_update_fields(document)
    return document, written


def written_keys(draft: Draft) -> list[str]:
    """The keys of the sections the document writes, in order (those with anything included)."""
    return [planned.section.key for planned in plan_sections(draft)]


def status_line(draft: Draft, *, approved_on: date | None = None) -> str:
    """Return what the cover, footer and document properties say of the draft's standing."""
    if approved_on is not None:
        return f"Approved by the Board on {plain_date(approved_on)}"
    return one_line(draft.status)
