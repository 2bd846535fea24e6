"""Build ``exports/template.docx``, the document whose named styles carry all the response's looks.

Run ``python -m exports.make_template`` after changing a style here, and commit the new
template with the change. The Word writer (``exports.word``) only picks styles by name, so a
partnership may also open the template in Word, restyle it (its own font, colours, logo in the
header) and save it over this one: nothing in the code needs to change.

The starting point is python-docx's own default document. On top of it: A4 pages with 2.5 cm
margins, Arial (what GOV.UK documents use; LibreOffice uses its metric twin where installed),
British English for spelling, a navy and teal palette, and the styles the response uses:

- Title, Subtitle, "Cover Partnership", "Cover Detail", "Cover Status" for the title page;
- "TOC Heading" and "toc 1"-"toc 3" for the contents;
- Heading 1-3, Normal, List Bullet for the body, with the character style "Partner Count" for
  "(raised by 5 partners)";
- Quote and "Quote Attribution" for partners' words and who said them;
- "Evidence Figure" (a shaded panel) with the character style "Attribution" for figures;
- the table style "Response Table" with "Table Text" and "Table Heading" paragraphs;
- Header and Footer, small and grey, with a right tab at the text's edge.

Sizes are in points and twips (1/20 pt) because that is what Word's dialogs and XML use.
"""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Length, Pt, RGBColor
from docx.styles.style import BaseStyle
from lxml import etree

TEMPLATE_PATH = Path(__file__).with_name("template.docx")

FONT = "Arial"
INK = "1A1A1A"
NAVY = "1F3A5F"
TEAL = "00677F"
GREY = "595959"
RULE = "B7C3D0"
PANEL = "EEF3F6"
BAND = "F4F6F8"

PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)
MARGIN = Cm(2.5)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
QUOTE_INDENT = Cm(0.75)
QUOTE_INK = "2B2B2B"
BULLET_NUMBERING = 1  # python-docx's default numbering: a single-level bullet list

# The order Word requires of a paragraph's and a run's properties (ECMA-376, CT_PPrBase and
# CT_RPr); elements we add are put before the first of those that must follow them.
_PPR_ORDER = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)
_RPR_ORDER = (
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
)
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_BORDER_SIDES = ("top", "left", "bottom", "right", "between", "bar")


def _after(order: tuple[str, ...], name: str) -> tuple[str, ...]:
    return tuple(f"w:{later}" for later in order[order.index(name) + 1 :])


_PPR_AFTER_NUMPR = _after(_PPR_ORDER, "numPr")
_PPR_AFTER_PBDR = _after(_PPR_ORDER, "pBdr")
_PPR_AFTER_SHD = _after(_PPR_ORDER, "shd")
_PPR_AFTER_OUTLINE = _after(_PPR_ORDER, "outlineLvl")
_RPR_AFTER_CAPS = _after(_RPR_ORDER, "caps")
_RPR_AFTER_SPACING = _after(_RPR_ORDER, "spacing")


def build_template() -> Document:
    """Return the template document: empty body, A4 page, every style the response uses."""
    document = docx.Document()
    _drop_leftovers(document)
    _page(document)
    _defaults(document)
    _settings(document)
    _body_styles(document)
    _cover_styles(document)
    _contents_styles(document)
    _quote_styles(document)
    _table_styles(document)
    _header_footer_styles(document)
    return document


def main() -> None:
    """Write the template next to this module."""
    build_template().save(str(TEMPLATE_PATH))
    print(f"Wrote {TEMPLATE_PATH}")


# --- The package ----------------------------------------------------------------------------


def _drop_leftovers(document: Document) -> None:
    """Drop the parts of python-docx's default that would mislead: a blank thumbnail, Word 2010's
    copy of the old styles, an empty bibliography, and 'python-docx' as the author."""
    package = document.part.package
    _drop_rels(package.rels, {RT.THUMBNAIL})
    _drop_rels(document.part.rels, {RT.CUSTOM_XML, _STYLES_WITH_EFFECTS})
    properties = document.core_properties
    properties.author = ""
    properties.comments = ""


def _drop_rels(rels, reltypes: set[str]) -> None:
    for rId in [rId for rId, rel in rels.items() if rel.reltype in reltypes]:
        del rels[rId]
        rels.related_parts.pop(rId, None)


def _page(document: Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, MARGIN)
    section.header_distance = section.footer_distance = Cm(1.25)


def _defaults(document: Document) -> None:
    """Put the body font and spacing in the document defaults, where table styles can override
    them (Word lets a paragraph style's size win over a table style's, not the defaults')."""
    styles = document.styles.element
    styles.remove(styles.find(qn("w:docDefaults")))
    styles.insert(
        0,
        parse_xml(
            f"<w:docDefaults {nsdecls('w')}>"
            "<w:rPrDefault><w:rPr>"
            f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
            f'<w:color w:val="{INK}"/>'
            '<w:sz w:val="22"/><w:szCs w:val="22"/>'
            '<w:lang w:val="en-GB" w:eastAsia="en-US" w:bidi="ar-SA"/>'
            "</w:rPr></w:rPrDefault>"
            "<w:pPrDefault><w:pPr>"
            '<w:spacing w:after="160" w:line="276" w:lineRule="auto"/>'
            "</w:pPr></w:pPrDefault>"
            "</w:docDefaults>"
        ),
    )


def _settings(document: Document) -> None:
    """British English, and Word 2013+ layout so Word does not open it in compatibility mode."""
    settings = document.settings.element
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    language = settings.find(qn("w:themeFontLang"))
    if language is not None:
        language.set(qn("w:val"), "en-GB")


# --- Styles ---------------------------------------------------------------------------------


def _paragraph_style(document: Document, name: str, *, base: str = "Normal") -> BaseStyle:
    """Return the named paragraph style with its old looks cleared; added when missing."""
    styles = document.styles
    style = styles[name] if name in styles else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    _reset(style)
    style.hidden = False
    style.unhide_when_used = False
    style.quick_style = True
    return style


def _character_style(document: Document, name: str) -> BaseStyle:
    styles = document.styles
    style = styles[name] if name in styles else styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    style.base_style = styles["Default Paragraph Font"]
    _reset(style)
    style.quick_style = True
    return style


def _reset(style: BaseStyle) -> None:
    """Drop a style's paragraph and character properties (theme fonts and colours included)."""
    for tag in ("w:pPr", "w:rPr"):
        for old in style.element.findall(qn(tag)):
            style.element.remove(old)


def _font(
    style: BaseStyle,
    *,
    size: float | None = None,
    color: str | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
) -> None:
    font = style.font
    if size is not None:
        font.size = Pt(size)
    if color is not None:
        font.color.rgb = RGBColor.from_string(color)
    font.bold = bold
    font.italic = italic


def _spacing(
    style: BaseStyle,
    *,
    before: float = 0,
    after: float = 8,
    keep_with_next: bool | None = None,
    line: float | None = None,
) -> None:
    paragraph = style.paragraph_format
    paragraph.space_before = Pt(before)
    paragraph.space_after = Pt(after)
    paragraph.keep_with_next = keep_with_next
    if line is not None:
        paragraph.line_spacing = line


def _indent(style: BaseStyle, left: Length, right: Length | None = None) -> None:
    style.paragraph_format.left_indent = left
    style.paragraph_format.right_indent = left if right is None else right


def _border(style: BaseStyle, side: str, *, size: int, color: str, space: int = 4) -> None:
    """Give a paragraph style a border; ``size`` is in eighths of a point, ``space`` in points."""
    ppr = style.element.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        _insert(ppr, borders, *_PPR_AFTER_PBDR)
    edge = OxmlElement(
        f"w:{side}",
        {
            qn("w:val"): "single",
            qn("w:sz"): str(size),
            qn("w:space"): str(space),
            qn("w:color"): color,
        },
    )
    later = _BORDER_SIDES[_BORDER_SIDES.index(side) + 1 :]
    _insert(borders, edge, *(f"w:{name}" for name in later))


def _shade(style: BaseStyle, fill: str) -> None:
    ppr = style.element.get_or_add_pPr()
    shading = OxmlElement(
        "w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill}
    )
    _insert(ppr, shading, *_PPR_AFTER_SHD)


def _outline_level(style: BaseStyle, level: int) -> None:
    """Set the outline level (0-8 for headings; 9 is body text, kept out of the contents)."""
    ppr = style.element.get_or_add_pPr()
    _insert(ppr, OxmlElement("w:outlineLvl", {qn("w:val"): str(level)}), *_PPR_AFTER_OUTLINE)


def _capitals(style: BaseStyle, *, tracking: float) -> None:
    """Set the lettering in capitals with ``tracking`` points between letters."""
    rpr = style.element.get_or_add_rPr()
    _insert(rpr, OxmlElement("w:caps"), *_RPR_AFTER_CAPS)
    spacing = OxmlElement("w:spacing", {qn("w:val"): str(round(tracking * 20))})
    _insert(rpr, spacing, *_RPR_AFTER_SPACING)


def _insert(parent: etree._Element, child: etree._Element, *successors: str) -> None:
    """Insert ``child`` before the first of ``successors`` present in ``parent``, else last."""
    for sibling in parent:
        if sibling.tag in {qn(name) for name in successors}:
            sibling.addprevious(child)
            return
    parent.append(child)


def _right_tab(style: BaseStyle, *, leader: WD_TAB_LEADER = WD_TAB_LEADER.SPACES) -> None:
    style.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, leader)


def _link_character_style(document: Document, paragraph_name: str) -> None:
    """Give the paragraph style's linked character style ("Heading 1 Char") the same font."""
    paragraph = document.styles[paragraph_name].element
    link = paragraph.find(qn("w:link"))
    if link is None:
        return
    for style in document.styles:
        if style.style_id == link.get(qn("w:val")):
            _reset(style)
            if paragraph.rPr is not None:
                style.element.append(deepcopy(paragraph.rPr))


def _body_styles(document: Document) -> None:
    _reset(document.styles["Normal"])
    for level, (size, color, before, after) in enumerate(
        ((16, NAVY, 24, 10), (13, TEAL, 16, 6), (11.5, INK, 12, 4)), start=1
    ):
        style = _paragraph_style(document, f"Heading {level}")
        style.next_paragraph_style = document.styles["Normal"]
        _font(style, size=size, color=color, bold=True)
        _spacing(style, before=before, after=after, keep_with_next=True, line=1.0)
        style.paragraph_format.keep_together = True
        _outline_level(style, level - 1)
        _link_character_style(document, f"Heading {level}")
    _border(document.styles["Heading 1"], "bottom", size=6, color=RULE, space=4)

    bullet = _paragraph_style(document, "List Bullet")
    ppr = bullet.element.get_or_add_pPr()
    _insert(
        ppr,
        parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="{BULLET_NUMBERING}"/></w:numPr>'),
        *_PPR_AFTER_NUMPR,
    )
    _spacing(bullet, after=6)
    _indent(bullet, Cm(0.63), Cm(0))
    bullet.paragraph_format.first_line_indent = Cm(-0.63)

    _font(_character_style(document, "Partner Count"), size=10, color=GREY)

    figure = _paragraph_style(document, "Evidence Figure")
    _spacing(figure, before=2, after=8)
    _indent(figure, Cm(0.35))
    for side in ("top", "bottom", "right"):
        _border(figure, side, size=2, color=PANEL, space=5)
    _border(figure, "left", size=24, color=NAVY, space=8)
    _shade(figure, PANEL)

    _font(_character_style(document, "Attribution"), size=10, color=GREY)


def _cover_styles(document: Document) -> None:
    partnership = _paragraph_style(document, "Cover Partnership")
    _font(partnership, size=12, color=TEAL, bold=True)
    _capitals(partnership, tracking=1)
    _spacing(partnership, before=72, after=40)

    title = _paragraph_style(document, "Title")
    _font(title, size=28, color=NAVY, bold=True)
    _spacing(title, before=0, after=16, line=1.05)
    _link_character_style(document, "Title")

    subtitle = _paragraph_style(document, "Subtitle")
    _font(subtitle, size=15, color=GREY)
    _spacing(subtitle, before=0, after=54, line=1.1)
    _link_character_style(document, "Subtitle")

    detail = _paragraph_style(document, "Cover Detail")
    _font(detail, size=11)
    _spacing(detail, after=4)
    detail.paragraph_format.tab_stops.add_tab_stop(Cm(3.5))

    status = _paragraph_style(document, "Cover Status")
    _font(status, size=12, color=NAVY, bold=True)
    _spacing(status, before=40, after=0)
    _indent(status, Cm(0.3))
    for side in ("top", "bottom", "right"):
        _border(status, side, size=4, color=PANEL, space=7)
    _border(status, "left", size=24, color=NAVY, space=8)
    _shade(status, PANEL)


def _contents_styles(document: Document) -> None:
    heading = _paragraph_style(document, "TOC Heading", base="Heading 1")
    _font(heading, size=18, color=NAVY, bold=True)
    _spacing(heading, before=0, after=14, keep_with_next=True)
    _outline_level(heading, 9)

    for level, (bold, before, indent) in enumerate(
        ((True, 8, 0.0), (False, 2, 0.6), (False, 0, 1.2)), start=1
    ):
        style = _word_paragraph_style(document, f"toc {level}", f"TOC{level}")
        _reset(style)
        _font(style, size=11 if bold else 10.5, color=NAVY if bold else INK, bold=bold)
        _spacing(style, before=before, after=2)
        _indent(style, Cm(indent), Cm(0))
        _right_tab(style, leader=WD_TAB_LEADER.DOTS)


def _word_paragraph_style(document: Document, name: str, style_id: str) -> BaseStyle:
    """Return one of Word's own styles under its real (lower-case) name, so that Word's contents
    use it when it rebuilds them; python-docx would add "TOC 1" as a new style."""
    for style in document.styles:
        if style.style_id == style_id:
            return style
    document.styles.element.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/>'
            '<w:uiPriority w:val="39"/><w:unhideWhenUsed/></w:style>'
        )
    )
    return document.styles[name]


def _quote_styles(document: Document) -> None:
    quote = _paragraph_style(document, "Quote")
    _font(quote, size=11, color=QUOTE_INK, italic=True)
    _spacing(quote, before=4, after=2, keep_with_next=True, line=1.2)
    _indent(quote, QUOTE_INDENT)
    _border(quote, "left", size=18, color=TEAL, space=10)
    _link_character_style(document, "Quote")

    attribution = _paragraph_style(document, "Quote Attribution")
    _font(attribution, size=9.5, color=TEAL, bold=True)
    _spacing(attribution, before=0, after=12)
    _indent(attribution, QUOTE_INDENT)


def _table_styles(document: Document) -> None:
    text = _paragraph_style(document, "Table Text")
    _font(text, size=9)
    _spacing(text, after=0, line=1.1)

    heading = _paragraph_style(document, "Table Heading", base="Table Text")
    _font(heading, size=9, color="FFFFFF", bold=True)
    _spacing(heading, after=0, keep_with_next=True, line=1.1)

    document.styles.element.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="ResponseTable">'
            '<w:name w:val="Response Table"/><w:basedOn w:val="TableNormal"/>'
            '<w:uiPriority w:val="59"/><w:qFormat/>'
            '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
            '<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>'
            "<w:tblPr>"
            '<w:tblStyleRowBandSize w:val="1"/>'
            "<w:tblBorders>"
            f'<w:top w:val="single" w:sz="8" w:space="0" w:color="{NAVY}"/>'
            f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{NAVY}"/>'
            f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>'
            "</w:tblBorders>"
            "<w:tblCellMar>"
            '<w:top w:w="57" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
            '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
            "</w:tblCellMar>"
            "</w:tblPr>"
            "<w:trPr><w:cantSplit/></w:trPr>"
            '<w:tblStylePr w:type="firstRow">'
            '<w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>'
            "<w:trPr><w:tblHeader/></w:trPr>"
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{NAVY}"/></w:tcPr>'
            "</w:tblStylePr>"
            '<w:tblStylePr w:type="band2Horz">'
            f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{BAND}"/></w:tcPr>'
            "</w:tblStylePr>"
            "</w:style>"
        )
    )


def _header_footer_styles(document: Document) -> None:
    for name, side in (("Header", "bottom"), ("Footer", "top")):
        style = _paragraph_style(document, name)
        _font(style, size=8.5, color=GREY)
        _spacing(style, after=0, line=1.0)
        _right_tab(style)
        _border(style, side, size=4, color=RULE, space=4)
        _link_character_style(document, name)


if __name__ == "__main__":
    main()
