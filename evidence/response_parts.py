"""The stretches a partner's response splits into, from one possible answer start to the next.

``gather`` takes the items ``evidence.response_items`` reads (markers, table rows, quoted
wording, numbers, headings, plain text) and joins each start with the text after it, up to the
next start, into a ``Part``; ``evidence.response_plan`` then decides what each part answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from evidence.likeness import Section
from evidence.parts import LOW
from evidence.response_items import Item


@dataclass
class Part:
    """A stretch of the document from one start to the next, and what was decided about it."""

    start: Item | None  # None: the text before the first start, or a paragraph on its own
    lines: list[str]
    source: str
    questions: tuple[int, ...] = ()
    confidence: str = LOW
    why: str = ""
    by_content: bool = False  # to be matched by what it is about, once the parts are final
    subtitle: str = ""
    quoted: bool = False  # the question's wording was quoted at its start
    notes: list[str] = field(default_factory=list)
    after_table: bool = False  # the paragraphs after a table of answers

    @property
    def kind(self) -> str:
        return self.start.kind if self.start else "before"

    def section(self) -> Section:
        heading = ""
        if self.start is not None and self.start.heading:
            heading = self.start.topic
        elif self.kind == "row":
            heading = self.start.found  # the row's question column, in the partner's words
        return Section(heading, "\n".join(self.lines))


def gather(items: Sequence[Item]) -> list[Part]:
    parts: list[Part] = []
    for item in items:
        if item.kind == "skip":
            continue
        if item.starts:
            parts.append(Part(item, list(item.lines), item.block.source))
        elif parts and _leaves_table(parts[-1], item):
            # A table row ends at the table: "Contact: ..." under it is not its answer.
            parts.append(Part(None, list(item.lines), item.block.source, after_table=True))
        elif parts:
            parts[-1].lines.extend(item.lines)
        else:
            parts.append(Part(None, list(item.lines), item.block.source))
    return parts


def _leaves_table(part: Part, item: Item) -> bool:
    """Say whether an item is the first paragraph after the table a row part is in.

    In Word the table ends where its rows do ("table 2, row 3"). A PDF's table is lines drawn
    in columns, and an answer's lines can run on below its question's in the answer column: a
    paragraph is past the table only when it starts at the table's left edge.
    """
    row = part.start
    if part.kind != "row" or row is None or not row.block.in_table or item.block.in_table:
        return False
    if row.block.source.startswith("table "):
        return True
    edge, left = row.block.left, item.block.left
    return edge is not None and left is not None and abs(edge - left) < 3.0
