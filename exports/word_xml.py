"""The elements the writer adds in bulk, built directly as OOXML: a paragraph of one style, a run
of plain text, and a complex field."""

from __future__ import annotations

from collections.abc import Sequence

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.oxml.text.run import CT_R
from lxml.etree import SubElement

# Tags and attributes of the elements written in bulk, resolved once.
W_PPR, _W_PSTYLE, _W_RPR, _W_RSTYLE, _W_T = (
    qn(f"w:{tag}") for tag in ("pPr", "pStyle", "rPr", "rStyle", "t")
)
W_VAL = qn("w:val")
_XML_SPACE = qn("xml:space")


def paragraph_element(style_id: str, text: str = "") -> CT_P:
    paragraph = OxmlElement("w:p")
    properties = SubElement(paragraph, W_PPR)
    SubElement(properties, _W_PSTYLE, {W_VAL: style_id})
    if text:
        paragraph.append(run_element(text))
    return paragraph


def run_element(text: str, style_id: str | None = None) -> CT_R:
    """Return a run of plain text: a tab or newline becomes Word's own tab or line break."""
    run = OxmlElement("w:r")
    if style_id:
        properties = SubElement(run, _W_RPR)
        SubElement(properties, _W_RSTYLE, {W_VAL: style_id})
    if "\t" in text or "\n" in text:
        run.text = text  # python-docx writes w:tab and w:br for these
    else:
        characters = SubElement(run, _W_T)
        characters.text = text
        if text != text.strip():
            characters.set(_XML_SPACE, "preserve")
    return run


def field_runs(instruction: str, shown: str) -> list[CT_R]:
    """Return the runs of a complex field: begin, instruction, separate, result, end."""
    return [*field_start(instruction), run_element(shown), field_char("end")]


def field_start(instruction: str) -> list[CT_R]:
    code = OxmlElement("w:r")
    text = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    text.text = f" {instruction} "
    code.append(text)
    return [field_char("begin"), code, field_char("separate")]


def field_char(kind: str) -> CT_R:
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))
    return run


def insert_before(parent, child, successors: Sequence[str]) -> None:
    """Insert ``child`` before the first of the tags that must follow it, else at the end."""
    tags = {qn(name) for name in successors}
    for sibling in parent:
        if sibling.tag in tags:
            sibling.addprevious(child)
            return
    parent.append(child)
