"""Stamp a freshly written draft: a bookmark around each section, and the app's comments.

``exports.word`` writes the draft and records where each section's blocks went
(``WrittenSection``); this module marks those sections so that an edited copy can be read back
(``exports.word_return_read``), and anchors the board's comments made in the app on them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from exports.draft_model import Section
from exports.word_marks import SectionMark, WordComment, fingerprint
from exports.word_return_read import section_texts

_W_P = qn("w:p")
# Section bookmarks' ids start above the headings' (1, 2, 3, ...), so that the two never meet.
_SECTION_BOOKMARK_IDS = 100_000
# python-docx's method under a name of its own: the access tests follow calls by name, and
# "add_comment" is also the board's guarded action in exports.approval.
_add_word_comment = Document.add_comment


@dataclass
class WrittenSection:
    """A section as written: its number in the document, and each block's elements."""

    number: int
    section: Section
    placed: list[tuple[int, CT_P | CT_Tbl]]  # (block index in section.blocks, element)


def mark_section(written: WrittenSection, *, fingerprinted: bool) -> SectionMark:
    """Put the section's bookmark around it, heading to last paragraph; return its mark."""
    texts = section_texts(element for _, element in written.placed) if fingerprinted else []
    mark = SectionMark(written.number, written.section.key, fingerprint(texts))
    bookmark_id = str(_SECTION_BOOKMARK_IDS + written.number)
    start = OxmlElement("w:bookmarkStart", {qn("w:id"): bookmark_id, qn("w:name"): mark.bookmark})
    first, last = written.placed[0][1], written.placed[-1][1]
    if first.tag == _W_P:
        first.pPr.addnext(start) if first.pPr is not None else first.insert(0, start)
    else:
        first.addprevious(start)
    last.append(OxmlElement("w:bookmarkEnd", {qn("w:id"): bookmark_id}))
    return mark


def add_comments(
    document: Document,
    written: Sequence[WrittenSection],
    comments: Sequence[WordComment],
    *,
    clean: Callable[[str], str],
) -> None:
    """Write the app's comments as Word comments on their sections' first words.

    ``clean`` makes text XML can hold (``exports.word_text.plain_text``). A comment on a section not
    written (nothing in it is included) has nowhere to go and is left out.
    """
    firsts = {}
    for section in written:
        runs = [r for _, e in section.placed if e.tag == _W_P for r in e.iter(qn("w:r"))]
        if runs:
            firsts[section.section.key] = runs[0]
    for comment in comments:
        run = firsts.get(comment.section_key)
        text = clean(comment.text).strip()
        if run is None or not text:
            continue
        author = " ".join(clean(comment.author).split()) or "Board member"
        added = _add_word_comment(
            document,
            Run(run, Paragraph(run.getparent(), document._body)),
            text=text,
            author=author,
            initials="".join(word[0] for word in author.split()[:3]).upper(),
        )
        if comment.written_at is not None:
            added._comment_elm.date = comment.written_at.replace(microsecond=0)
