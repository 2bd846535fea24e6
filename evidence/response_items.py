"""What each block of a partner's response is: text, or something that may start an answer.

``read_items`` turns the reading layer's blocks (``consultations.documents``) into ``Item``: a
marker ("Question 3", "Q.6", "Questions 3 and 4"), a table row of a response form, a heading or
paragraph repeating a question's wording, a numbered heading or paragraph, any other heading,
front or back matter ("About us", "Annex A"), a sign-off, a signature or a date, or plain text.
Nothing is decided here about which items really start answers: ``evidence.response_plan``
does that with the whole document in view.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from consultations.documents import Block, tidy
from consultations.questions import normalise_number
from evidence.likeness import WordingIndex
from evidence.markers import (
    find_bare,
    find_explicit,
    is_date_line,
    is_sign_off,
    is_signature,
)
from evidence.positions import QuestionLike, read_stance
from evidence.response_tables import TableRow, read_table

HEADING_MATCH = 0.6  # a heading this alike to a question's wording starts its answer
PARAGRAPH_MATCH = 0.85  # a plain paragraph must repeat the wording more closely
REPEAT_MATCH = 0.8  # text after a marker this alike to the question is the question, not answer
SUBTITLE_WORDS = 14  # words after a marker that may name its topic rather than start the answer


# --- Reading each block ------------------------------------------------------------------------

_FRONT_MATTER = re.compile(
    # "Our recommendations", "The background", "Summary": about the response, not an answer.
    r"^(?:(?:our|the|my)\s+)?(?:about\s+(?:us|the\s+\w+|[A-Z][\w&'’().-]*(?:\s+[A-Z(][\w&'’().-]*){0,6})"
    r"|who\s+we\s+are|introduction|background|context|(?:executive\s+)?summary|key\s+(?:messages|points)"
    r"|contents|table\s+of\s+contents|overview|conclusions?|concluding\s+remarks|recommendations"
    r"|annexe?\b.*|appendix\b.*|contact(?:\s+details)?|further\s+information|references|endnotes"
    r"|footnotes|notes|glossary|our\s+response|response\s+to\s+the\s+consultation|general\s+comments"
    r"|purpose(?:\s+of\s+this\s+response)?|scope)$",
    re.IGNORECASE,
)
_CLOSING_REMARK = re.compile(
    r"^(?:thank\s+you\s+(?:again\s+)?for|please\s+(?:do\s+not\s+hesitate\s+to\s+)?contact"
    r"|if\s+you\s+(?:would\s+like|have\s+any|require|need)|we\s+look\s+forward"
    r"|we\s+(?:would|will)\s+(?:be\s+(?:happy|pleased|glad)|welcome\s+(?:the|an?)\s+(?:opportunity|meeting|chance|discussion))"
    r"|for\s+further\s+information|for\s+more\s+information)",
    re.IGNORECASE,
)
ANSWER_PROMPT = re.compile(
    r"^(?:please\s+(?:explain|give|provide|set\s+out|tell\s+us|describe)\b.*"
    r"|\(?\s*(?:yes|no|agree|disagree|don['’]t\s+know|not\s+sure|neither)"
    r"(?:\s*(?:/|,|or|\|)\s*(?:yes|no|agree|disagree|don['’]t\s+know|not\s+sure|neither))+\s*\)?\.?)$",
    re.IGNORECASE,
)


def word_count(text: str) -> int:
    return len(text.split())


def lines_of(block: Block) -> list[str]:
    """Return a block's lines: a paragraph's line breaks, or each cell's paragraphs, in order."""
    return [
        line.strip()
        for cell in block.cells
        for text in cell
        for line in text.split("\n")
        if line.strip()
    ]


def filled_cells(block: Block) -> list[str]:
    """Return a row's filled cells, each cell's paragraphs on lines of their own."""
    return ["\n".join(cell) for cell in block.cells if any(text.strip() for text in cell)]


def row_text(block: Block) -> str:
    return " | ".join(tidy(cell) for cell in filled_cells(block))


def heading_level(block: Block) -> int:
    """Return a heading's level counted from 1 (a title is 1 too); 0 when it is no heading."""
    return 0 if block.heading_level is None else max(block.heading_level, 1)


def _heading_like(block: Block, text: str) -> bool:
    """Say whether a block reads as a heading: a heading style, or a short bold line (PDFs)."""
    if block.heading:
        return True
    short = word_count(text) <= 12 and not text.rstrip().endswith((".", ",", ";", ":"))
    return short and block.bold


def typed_heading(block: Block, text: str) -> bool:
    """Say whether a plain paragraph looks like a heading typed as text: short, no full stop.

    Used only where a response has no markers, to find its sections ("Income threshold").
    """
    words = text.strip()
    return (
        not block.in_table
        and not block.bullet
        and 1 <= word_count(words) <= 10
        and words[:1].isupper()
        and not words.endswith((".", ",", ";", ":", "?", "!"))
        and not read_stance(words).key
    )


@dataclass(frozen=True)
class Item:
    """A block as the splitter sees it: plain text, or something that may start a part."""

    block: Block
    kind: str  # "text", "explicit", "row", "quoted", "numbered", "heading", "front", "closing"
    lines: tuple[str, ...]  # its text: the answer cells of a row, the rest after a marker
    numbers: tuple[str, ...] = ()  # question numbers it names
    found: str = ""  # the marker as written
    heading: bool = False  # it reads as a heading
    quoted: int | None = None  # the question whose wording it repeats
    quoted_score: float = 0.0
    position_cell: str = ""  # a table row's position column
    evidence: str = ""  # a table row's evidence column
    remark: bool = False  # a closing remark ("Thank you for ...") rather than a sign-off
    topic: str = ""  # a heading's words without its number
    typed: bool = False  # a heading typed as a short plain line, not a heading style
    signature: bool = False  # a name and role, or a date, on a line of its own

    @property
    def starts(self) -> bool:
        return self.kind not in ("text", "skip")

    @property
    def block_lines(self) -> tuple[str, ...]:
        """Return the block's lines as written (with Word's number), to join the part before."""
        if self.block.in_table and len(filled_cells(self.block)) > 1:
            return (row_text(self.block),)
        lines = lines_of(self.block)
        if self.block.numbered and lines:
            lines[0] = f"{self.block.list_number} {lines[0]}"
        return tuple(lines)


@dataclass
class Questions:
    """The consultation's questions, with ways to find them by number and by wording."""

    questions: Sequence[QuestionLike]
    by_number: dict[str, int] = field(default_factory=dict)
    wording: WordingIndex = field(init=False)

    def __post_init__(self) -> None:
        self.by_number = {_number_key(q.number): i for i, q in enumerate(self.questions)}
        self.wording = WordingIndex([q.text for q in self.questions])

    def index_of(self, number: str) -> int | None:
        found = self.by_number.get(_number_key(number))
        if found is None:
            # "Q3a" answered where the consultation has only "Q3".
            found = self.by_number.get(_number_key(re.sub(r"[a-z]$", "", number)))
        if found is None and re.fullmatch(r"(?i)q?\d{1,3}", number.strip()):
            # "Question 2" answered where the consultation asks "Q2a" and "Q2b": the first.
            found = self.by_number.get(_number_key(f"{number.strip()}a"))
        return found

    def repeated(self, text: str, *, needed: float) -> tuple[int | None, float]:
        """Return the question whose wording the text repeats, and how closely."""
        return self.wording.repeated(text, needed=needed)


def _number_key(number: str) -> str:
    return normalise_number(number) or number.casefold()


def _read_block(block: Block, questions: Questions) -> Item:
    lines = lines_of(block)
    if not lines:
        return Item(block, "text", ())
    if block.numbered:
        # Word keeps list numbers apart from the text: read them as a person sees them.
        lines[0] = f"{block.list_number} {lines[0]}"
    text = " ".join(lines)
    first = lines[0]
    heading = _heading_like(block, first)
    explicit = find_explicit(first)
    if explicit is not None:
        rest = (explicit.rest, *lines[1:]) if explicit.rest else tuple(lines[1:])
        return Item(
            block, "explicit", rest, explicit.numbers, explicit.found, heading, topic=explicit.rest
        )
    if is_sign_off(first):
        return Item(block, "closing", tuple(lines), found=shorten(first))
    if len(lines) == 1 and not block.heading and (is_signature(first) or is_date_line(first)):
        return Item(block, "closing", tuple(lines), found=shorten(first), signature=True)
    numbered = None if block.bullet else find_bare(first)
    topic = (numbered.rest if numbered else first).strip()
    if (heading or word_count(topic) <= 8) and _FRONT_MATTER.match(topic.strip(" .:")):
        numbers = numbered.numbers if numbered else ()
        return Item(block, "front", tuple(lines), numbers, shorten(text), True, topic=topic)
    if _CLOSING_REMARK.match(first) and not heading:
        return Item(block, "closing", tuple(lines), found=shorten(first), remark=True)
    needed = HEADING_MATCH if heading else PARAGRAPH_MATCH
    quoted, score = questions.repeated(topic, needed=needed)
    if quoted is not None:
        numbers = numbered.numbers if numbered else ()
        return Item(
            block,
            "quoted",
            tuple(lines[1:]),
            numbers,
            shorten(text),
            heading,
            quoted,
            score,
            topic=topic,
        )
    if numbered is not None:
        heading = heading or (typed_heading(block, topic) and word_count(topic) <= 8)
        rest = (numbered.rest, *lines[1:]) if numbered.rest else tuple(lines[1:])
        return Item(block, "numbered", rest, numbered.numbers, numbered.found, heading, topic=topic)
    if heading:
        return Item(
            block, "heading", tuple(lines[1:]), found=shorten(text), heading=True, topic=first
        )
    if len(lines) == 1 and typed_heading(block, first):
        return Item(
            block, "heading", (), found=shorten(text), heading=True, topic=first, typed=True
        )
    return Item(block, "text", tuple(lines))


def shorten(text: str) -> str:
    text = tidy(text)
    return text if len(text) <= 120 else text[:119] + "…"


def _table_number(block: Block) -> str:
    """Return which table a row belongs to ("table 2"), so that two tables stay apart."""
    return block.source.split(",")[0] if block.source.startswith("table") else "table"


def read_items(blocks: Sequence[Block], questions: Questions) -> list[Item]:
    items: list[Item] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if not block.in_table:
            items.append(_read_block(block, questions))
            index += 1
            continue
        end = index
        while (
            end < len(blocks)
            and blocks[end].in_table
            and _table_number(blocks[end]) == _table_number(block)
        ):
            end += 1
        items.extend(_table_items(blocks[index:end], questions))
        index = end
    return items


def _table_items(rows: Sequence[Block], questions: Questions) -> list[Item]:
    wide = any(len(filled_cells(row)) > 1 for row in rows)
    read = read_table([_cells_of(row) for row in rows], questions.questions) if wide else None
    if read is None:
        # Not a response form: one-cell rows read as paragraphs, the others as rows of text,
        # never one cell per line.
        return [
            _read_block(row, questions)
            if len(filled_cells(row)) <= 1
            else Item(row, "text", (row_text(row),))
            for row in rows
        ]
    return [_row_item(block, row) for block, row in zip(rows, read.rows, strict=True)]


def _cells_of(block: Block) -> tuple[str, ...]:
    """Return every cell of a row (empty ones too, so that columns line up)."""
    return tuple("\n".join(cell) for cell in block.cells)


def _row_item(block: Block, row: TableRow) -> Item:
    if row.kind == "header":
        return Item(block, "skip", ())
    if row.kind == "text":
        return Item(block, "text", row.answer)
    return Item(
        block,
        "row",
        row.answer,
        row.numbers,
        row.found,
        quoted=row.question,
        quoted_score=row.score,
        position_cell=row.position,
        evidence=row.evidence,
    )


ANSWER_STARTS = {"explicit", "row", "quoted", "numbered", "heading"}


def plain_paragraphs(items: list[Item]) -> list[Item]:
    """With no structure at all, every paragraph is a part of its own, matched by its content.

    Short lines before the first real paragraph (an email's header, "Hi Sam,") stay together
    as the text before the answers.
    """
    kept = []
    opened = False
    for item in items:
        opened = opened or (item.kind == "text" and sum(map(word_count, item.lines)) >= 15)
        kept.append(replace(item, kind="paragraph") if opened and item.kind == "text" else item)
    return kept


def typed_headings(items: list[Item]) -> list[Item]:
    """Keep headings typed as plain short lines only where nothing better marks the sections.

    They count after the first real paragraph (not among a letterhead's lines), and only in a
    response with no markers, heading styles or numbers.
    """
    structured = any(item.kind in ANSWER_STARTS and not item.typed for item in items)
    kept = []
    opened = False
    for item in items:
        if item.typed and (structured or not opened):
            item = replace(item, kind="text", lines=(item.topic,), heading=False, typed=False)
        opened = opened or (item.kind == "text" and sum(map(word_count, item.lines)) >= 15)
        kept.append(item)
    return kept
