"""Planning the document: which sections and blocks are written, and the bookmark of every
heading the contents link to."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from exports.draft_model import Block, Draft, Section
from exports.word_text import one_line, plain_text


@dataclass
class Heading:
    level: int
    text: str
    number: int  # unique in the document: the bookmark's id, and in its name

    @property
    def bookmark(self) -> str:
        return f"_Toc{self.number:09d}"


@dataclass
class PlannedSection:
    section: Section
    heading: Heading | None
    blocks: list[Block]
    subheadings: dict[int, Heading] = field(default_factory=dict)  # block index -> heading


def plan_sections(draft: Draft) -> list[PlannedSection]:
    """Choose the sections and blocks to write, and give every heading a bookmark."""
    numbers = itertools.count(1)
    planned = []
    for section in draft.sections:
        if section.key == "cover":
            continue
        blocks = included_blocks(section.blocks)
        if not blocks:
            continue
        heading_text = plain_text(section.heading).strip()
        heading = Heading(1, heading_text, next(numbers)) if heading_text else None
        entry = PlannedSection(section, heading, blocks)
        for index, block in enumerate(blocks):
            if block.kind == "subheading":
                entry.subheadings[index] = Heading(2, one_line(block.text), next(numbers))
        planned.append(entry)
    return planned


def included_blocks(blocks: Sequence[Block]) -> list[Block]:
    """Return the included blocks, without subheadings that nothing included follows."""
    included = [block for block in blocks if block.included and _has_content(block)]
    kept = []
    for index, block in enumerate(included):
        following = included[index + 1] if index + 1 < len(included) else None
        if block.kind == "subheading" and (following is None or following.kind == "subheading"):
            continue
        kept.append(block)
    return kept


def _has_content(block: Block) -> bool:
    if block.kind == "table":
        return bool(block.rows)
    return bool(plain_text(block.text).strip())


def all_headings(plan: Sequence[PlannedSection]) -> Iterator[Heading]:
    for planned in plan:
        if planned.heading is not None:
            yield planned.heading
        yield from planned.subheadings.values()
