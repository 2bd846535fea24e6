"""The shapes the draft response is made of: the evidence going in, the document coming out.

The draft package (``exports.draft``) turns ``Evidence`` into a ``Draft``; the Word writer
(``exports.word``) and the Excel writer (``exports.excel``) turn them into files; storage keeps a
``Draft`` as JSON (``to_json`` / ``from_json``) in a draft version. Nothing here touches the
database or Streamlit, so every part can be tested on plain values.

Every block a reader sees keeps the ids of the answers behind it (``answer_ids``), so any
sentence of the draft can be traced back to the partners who made the point, including after
the officer has edited its words.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

# The evidence going in lives in evidence.facts (analysis uses it too); named here for writers.
from evidence.facts import AnswerFact, Evidence, QuestionFact, ThemeFact

__all__ = [
    "BLOCK_KINDS",
    "AnswerFact",
    "Block",
    "Draft",
    "Evidence",
    "QuestionFact",
    "Section",
    "ThemeFact",
]

BLOCK_KINDS = ("paragraph", "subheading", "point", "quote", "figure", "table", "placeholder")


@dataclass
class Block:
    """One piece of a section, in reading order.

    kind:
      - "paragraph": plain prose.
      - "subheading": a heading inside the section (a theme's name, "Evidence", ...).
      - "point": one point the partners made, with how many raised it (``partners``).
      - "quote": a partner's own words; ``attribution`` is who may be named ("Belfast City
        Council", "a health partner"), empty when the partner asked not to be named.
      - "figure": a sentence carrying a figure, with its attribution.
      - "table": ``rows`` (the first row is the header).
      - "placeholder": text the officer is to replace; a version holding one cannot be sent
        to the board, approved or exported as final (``exports.gate``).
    ``included`` is the officer's choice; excluded blocks stay in the version but are not
    written out. ``answer_ids`` are the answers the block came from. ``added`` marks a block
    the officer added (``exports.drafts.add_own_paragraph``): it can be removed and moved, and
    assembling the draft again keeps it.
    """

    kind: str
    text: str = ""
    answer_ids: list[int] = field(default_factory=list)
    attribution: str = ""
    partners: int = 0
    theme: str = ""
    rows: list[list[str]] = field(default_factory=list)
    included: bool = True
    added: bool = False


@dataclass
class Section:
    """A section of the response: the cover, about us, the summary, one per question, ..."""

    # "cover", "about", "summary", "question-<id>", "recommendations", "annex", or
    # "added-<n>" for a section the officer added (a covering note, say)
    key: str
    heading: str
    blocks: list[Block] = field(default_factory=list)
    question_id: int | None = None

    def answer_ids(self) -> list[int]:
        """Every answer the section's included blocks draw on, once, in order."""
        seen: dict[int, None] = {}
        for block in self.blocks:
            if block.included:
                seen.update(dict.fromkeys(block.answer_ids))
        return list(seen)


@dataclass
class Draft:
    """The whole response: its title-page facts and its sections in order."""

    partnership: str
    title: str
    reference: str
    department: str
    prepared_on: date
    status: str  # what the cover and footer say: "Draft v3 for board review", ...
    sections: list[Section] = field(default_factory=list)

    def section(self, key: str) -> Section:
        """Return the section with this key (KeyError if there is none)."""
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def to_json(self) -> str:
        """Serialise for storage in a draft version."""
        data = asdict(self)
        data["prepared_on"] = self.prepared_on.isoformat()
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Draft:
        """Rebuild a draft stored with ``to_json``."""
        data: dict[str, Any] = json.loads(text)
        sections = [
            Section(
                key=s["key"],
                heading=s["heading"],
                question_id=s.get("question_id"),
                blocks=[Block(**_known(Block, b)) for b in s["blocks"]],
            )
            for s in data.pop("sections")
        ]
        data["prepared_on"] = date.fromisoformat(data["prepared_on"])
        return cls(sections=sections, **_known(cls, data))


def _known(kind: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(kind)} - {"sections"}
    return {k: v for k, v in data.items() if k in names}
