"""Read a Word document (.docx) into blocks: paragraphs and table rows in document order.

Each paragraph keeps its style, heading level, list level and the number Word shows in front of
it, worked out from numbering.xml as Word counts (the number is not in the text). Text a
reader does not see (deleted revisions, field codes, hidden text, typed footnote markers in
superscript) is left out. Use it through ``consultations.documents``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from consultations.document_values import Block
from consultations.errors import ValidationFailed
from consultations.files import DOCX_ERRORS, FILE_TYPES, damaged_message

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from lxml.etree import _Element as Element


def open_docx(data: bytes, *, subject: str) -> WordDocument:
    """Open a .docx already through ``check_file``; refuse it if it is damaged inside."""
    try:
        return docx.Document(io.BytesIO(data))
    except DOCX_ERRORS as exc:
        raise ValidationFailed([damaged_message(FILE_TYPES["docx"])], subject=subject) from exc


def read_docx(data: bytes, *, subject: str) -> tuple[Block, ...]:
    """Read a .docx's paragraphs and table rows in document order."""
    return docx_blocks(open_docx(data, subject=subject))


def docx_blocks(document: WordDocument) -> tuple[Block, ...]:
    """Read an open Word document's paragraphs and table rows in document order."""
    styles = _read_styles(document)
    counters = _ListCounters(styles.numbering)
    blocks: list[Block] = []
    paragraphs = tables = 0
    for element in _body_blocks(document.element.body):
        if element.tag == _W_P:
            paragraphs += 1
            blocks.append(_paragraph_block(element, styles, counters, f"paragraph {paragraphs}"))
        else:
            tables += 1
            blocks.extend(_table_blocks(element, tables))
    return tuple(blocks)


_W_P, _W_TBL, _W_TR, _W_TC, _W_R = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:r")
_W_SDT, _W_SDT_CONTENT, _W_CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_W_T, _W_TAB, _W_BREAKS = qn("w:t"), qn("w:tab"), {qn("w:br"), qn("w:cr")}
_W_CHECKBOX, _W_SYM, _W_CHAR = qn("w:checkBox"), qn("w:sym"), qn("w:char")
_W_VAL = qn("w:val")
_CONTAINERS = {_W_SDT, _W_SDT_CONTENT, _W_CUSTOM_XML}
# Text a reader does not see: text boxes (drawn separately), deleted or moved-away revisions,
# field codes ("FORMCHECKBOX"), properties, and the duplicate fallback copy of drawings.
_HIDDEN = {
    qn("w:txbxContent"),
    qn("w:del"),
    qn("w:moveFrom"),
    qn("w:instrText"),
    qn("w:pPr"),
    qn("w:rPr"),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
}
# Wingdings characters Word uses for empty and ticked boxes: ☒ (F0FD) and ☑ (F0FE) are ticked.
_BOX_SYMBOLS = {"F06F", "F070", "F071", "F072", "F0A8", "F0FD", "F0FE"}
_TICKED_SYMBOLS = {"F0FD", "F0FE"}
# A typed footnote marker set in superscript: "1", "12", "[3]", "*", "†".
MARKER_RUN = re.compile(r"^\s*(?:\[?\d{1,3}\]?|[*†‡]+)\s*$")
# Bullets typed into the text instead of made by Word's list numbering.
TYPED_BULLET = re.compile(r"^[•·▪◦●○■□➢►‣⁃\-–\uf0b7\uf0a7\uf076\uf0d8]\s+")


def _children(element: Element, wanted: str) -> Iterator[Element]:
    """Yield the ``wanted`` children of an element, looking inside content controls."""
    for child in element:
        if child.tag == wanted:
            yield child
        elif child.tag in _CONTAINERS:
            yield from _children(child, wanted)


def _body_blocks(element: Element) -> Iterator[Element]:
    for child in element:
        if child.tag in (_W_P, _W_TBL):
            yield child
        elif child.tag in _CONTAINERS:
            yield from _body_blocks(child)


def _run_property(run: Element, name: str) -> Element | None:
    return run.find(f"{qn('w:rPr')}/{qn(name)}")


def _skipped_run(run: Element) -> bool:
    """Say whether a run is hidden text, or a footnote marker typed in superscript."""
    vanish = _run_property(run, "w:vanish")
    if vanish is not None and vanish.get(_W_VAL) not in ("0", "false"):
        return True
    align = _run_property(run, "w:vertAlign")
    if align is None or align.get(_W_VAL) != "superscript":
        return False
    return bool(MARKER_RUN.match("".join(t.text or "" for t in run.iter(_W_T))))


def _text_pieces(element: Element) -> Iterator[str]:
    for child in element:
        if child.tag in _HIDDEN or (child.tag == _W_R and _skipped_run(child)):
            continue
        if child.tag == _W_T:
            yield child.text or ""
        elif child.tag == _W_TAB:
            yield "\t"
        elif child.tag in _W_BREAKS:
            yield "\n"
        elif child.tag == _W_CHECKBOX:
            yield "☒" if _checked(child) else "☐"
        elif child.tag == _W_SYM and (child.get(_W_CHAR) or "").upper() in _BOX_SYMBOLS:
            yield "☒" if (child.get(_W_CHAR) or "").upper() in _TICKED_SYMBOLS else "☐"
        else:
            yield from _text_pieces(child)


def _checked(box: Element) -> bool:
    """Say whether a legacy form check box (FORMCHECKBOX) is ticked: its own state, else its
    default."""
    for name in ("w:checked", "w:default"):
        state = box.find(qn(name))
        if state is not None:
            return state.get(_W_VAL) not in ("0", "false")
    return False


def paragraph_text(p: Element) -> str:
    """Return a paragraph's visible text, tick boxes as "☐" (ticked: "☒"), without typed footnote
    markers.

    The runs are read here rather than with python-docx's ``Paragraph.text``, which skips
    inline content controls: that is where Word keeps the tick boxes of a response form.
    """
    return "".join(_text_pieces(p)).strip()


def _cell_lines(tc: Element) -> tuple[str, ...]:
    paragraphs = (node for node in tc.iter(_W_P) if not _inside_hidden(node, tc))
    return tuple(text for text in map(paragraph_text, paragraphs) if text)


def _inside_hidden(node: Element, stop: Element) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in _HIDDEN:
            return True
        parent = parent.getparent()
    return False


def _table_blocks(tbl: Element, table_index: int) -> Iterator[Block]:
    for row_index, tr in enumerate(_children(tbl, _W_TR), start=1):
        cells = tuple(_cell_lines(tc) for tc in _children(tr, _W_TC))
        yield Block(f"table {table_index}, row {row_index}", cells, in_table=True)


@dataclass(frozen=True)
class _StyleFacts:
    name: str
    heading_level: int | None
    numbering: tuple[str, str] | None  # (numId, ilvl) the style, or one it is based on, gives


@dataclass(frozen=True)
class _Level:
    """One level of a Word list definition: how its number is written."""

    start: int = 1
    fmt: str = "decimal"  # Word's numFmt: decimal, lowerLetter, upperRoman, bullet, none ...
    text: str = "%1."  # Word's lvlText, "%1." or "Question %1:" or "%1.%2"
    legal: bool = False  # isLgl: every level's number shown as decimal


@dataclass(frozen=True)
class _Numbering:
    """numbering.xml, read: each list instance's definition and its overrides."""

    abstract_of: dict[str, str]  # numId -> abstractNumId
    levels: dict[str, dict[int, _Level]]  # abstractNumId -> level -> definition
    overrides: dict[str, dict[int, int]]  # numId -> level -> start override


@dataclass(frozen=True)
class _Styles:
    facts: dict[str, _StyleFacts]
    numbering: _Numbering
    default_style: str | None

    def of(self, p: Element) -> _StyleFacts | None:
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        style_id = self.default_style if style is None else style.get(_W_VAL)
        return self.facts.get(style_id or "")


def _numbering_of(element: Element) -> tuple[str | None, str | None]:
    num_pr = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    if num_pr is None:
        return None, None
    num_id, ilvl = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
    return (
        None if num_id is None else num_id.get(_W_VAL),
        None if ilvl is None else ilvl.get(_W_VAL),
    )


def _outline_level(element: Element) -> int | None:
    outline = element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
    value = None if outline is None else outline.get(_W_VAL)
    return int(value) + 1 if value and value.isdigit() and int(value) < 9 else None


def _heading_level_of(name: str) -> int | None:
    lowered = name.lower()
    if lowered in ("title", "subtitle"):
        return 0
    match = re.match(r"heading\s*(\d)$", lowered)
    return int(match.group(1)) if match else None


def _style_facts(document: WordDocument) -> dict[str, _StyleFacts]:
    """Map each paragraph style id to its name, heading level and the numbering it carries."""
    facts = {}
    for style in document.styles:
        if style.type != WD_STYLE_TYPE.PARAGRAPH:
            continue
        numbering, level, base = None, _heading_level_of(style.name or ""), style
        while base is not None:
            if numbering is None:
                num_id, ilvl = _numbering_of(base.element)
                numbering = (num_id, ilvl or "0") if num_id else None
            if level is None:
                level = _outline_level(base.element)
            base = base.base_style
        facts[style.style_id] = _StyleFacts(style.name or "", level, numbering)
    return facts


def _int(element: Element | None, default: int) -> int:
    value = None if element is None else element.get(_W_VAL)
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _read_level(level: Element) -> _Level:
    fmt, text = level.find(qn("w:numFmt")), level.find(qn("w:lvlText"))
    legal = level.find(qn("w:isLgl"))
    return _Level(
        start=_int(level.find(qn("w:start")), 1),
        fmt="decimal" if fmt is None else fmt.get(_W_VAL) or "decimal",
        text="" if text is None else text.get(_W_VAL) or "",
        legal=legal is not None and legal.get(_W_VAL) not in ("0", "false"),
    )


def _read_numbering(document: WordDocument) -> _Numbering:
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):  # a document with no lists has no numbering part
        return _Numbering({}, {}, {})
    levels: dict[str, dict[int, _Level]] = {}
    for definition in root.findall(qn("w:abstractNum")):
        found = levels.setdefault(definition.get(qn("w:abstractNumId")) or "", {})
        for level in definition.findall(qn("w:lvl")):
            found[_int_attribute(level, "w:ilvl")] = _read_level(level)
    abstract_of: dict[str, str] = {}
    overrides: dict[str, dict[int, int]] = {}
    for num in root.findall(qn("w:num")):
        num_id = num.get(qn("w:numId")) or ""
        abstract = num.find(qn("w:abstractNumId"))
        abstract_of[num_id] = "" if abstract is None else abstract.get(_W_VAL) or ""
        for override in num.findall(qn("w:lvlOverride")):
            start = override.find(qn("w:startOverride"))
            if start is not None:
                level = _int_attribute(override, "w:ilvl")
                overrides.setdefault(num_id, {})[level] = _int(start, 1)
    return _Numbering(abstract_of, levels, overrides)


def _int_attribute(element: Element, name: str) -> int:
    value = element.get(qn(name)) or "0"
    return int(value) if value.isdigit() else 0


def _read_styles(document: WordDocument) -> _Styles:
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    return _Styles(
        _style_facts(document),
        _read_numbering(document),
        None if default is None else default.style_id,
    )


_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def _roman(number: int) -> str:
    pieces = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        pieces.append(letters * count)
    return "".join(pieces)


def _letters(number: int) -> str:
    # Word writes 27 as "aa", 28 as "bb": the letter repeated, not spreadsheet columns.
    if number <= 0:
        return str(number)
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def format_list_number(number: int, fmt: str) -> str:
    """Write a list counter as Word shows it in a number format ("decimal", "lowerRoman" ...)."""
    if fmt in ("lowerLetter", "upperLetter"):
        text = _letters(number)
        return text.upper() if fmt == "upperLetter" else text
    if fmt in ("lowerRoman", "upperRoman") and number > 0:
        text = _roman(number)
        return text.upper() if fmt == "upperRoman" else text
    if fmt == "decimalZero":
        return f"{number:02d}"
    return str(number)


@dataclass
class _ListCounters:
    """Count list paragraphs as Word does, to know the number it shows in front of each."""

    numbering: _Numbering
    counts: dict[str, list[int | None]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)

    def number(self, num_id: str, level: int) -> tuple[str, bool]:
        """Count a paragraph of list ``num_id`` at ``level``: (text Word shows, bullet)."""
        abstract = self.numbering.abstract_of.get(num_id)
        definitions = self.numbering.levels.get(abstract or "", {})
        definition = definitions.get(level, _Level())
        if definition.fmt == "bullet":
            return "", True
        if definition.fmt == "none" and "%" not in definition.text:
            return definition.text.strip(), False
        # Lists that share a definition share their counters, as in Word, unless a list
        # instance restarts them (a "startOverride", Word's "Restart numbering").
        counts = self.counts.setdefault(abstract or num_id, [None] * 9)
        if num_id not in self.started:
            self.started.add(num_id)
            for overridden, start in self.numbering.overrides.get(num_id, {}).items():
                if 0 <= overridden < 9:
                    counts[overridden] = start - 1
        current = counts[level]
        counts[level] = (definition.start - 1 if current is None else current) + 1
        for deeper in range(level + 1, 9):
            counts[deeper] = None
        return self.shown(definitions, counts, definition), False

    @staticmethod
    def shown(definitions: dict[int, _Level], counts: list[int | None], definition: _Level) -> str:
        def level_text(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            level = definitions.get(index, _Level())
            count = counts[index] if 0 <= index < 9 else None
            value = level.start if count is None else count
            return format_list_number(value, "decimal" if definition.legal else level.fmt)

        return re.sub(r"%([1-9])", level_text, definition.text).strip()


def _paragraph_block(p: Element, styles: _Styles, counters: _ListCounters, source: str) -> Block:
    facts = styles.of(p)
    text = paragraph_text(p)
    heading_level = _outline_level(p)
    if heading_level is None and facts is not None:
        heading_level = facts.heading_level
    num_id, ilvl = _numbering_of(p)
    if num_id is None and facts is not None and facts.numbering:
        num_id, ilvl = facts.numbering[0], ilvl or facts.numbering[1]
    list_level = list_number = None
    bullet = False
    # numId 0 switches off numbering a style would give.
    if num_id not in (None, "0") and text:
        list_level = int(ilvl) if ilvl and ilvl.isdigit() else 0
        list_number, bullet = counters.number(num_id, list_level)
    if list_level is not None and facts is not None:
        # "List Bullet 2" is Word's second level of bullets, whatever level its numbering says.
        styled = re.fullmatch(r"list(?: bullet| number| continue)? ([2-9])", facts.name.lower())
        list_level = max(list_level, int(styled.group(1)) - 1) if styled else list_level
    typed = TYPED_BULLET.match(text)
    if typed and not list_number:
        text, bullet = text[typed.end() :], True
    return Block(
        source=source,
        cells=((text,),),
        style=facts.name if facts else "",
        heading_level=heading_level,
        list_level=list_level,
        list_number=list_number or "",
        bullet=bullet,
    )
