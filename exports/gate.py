"""The gate: a version holding text for the officer to write, or a note meant for the officer,
does not leave the office.

``holds(draft)`` lists what holds a version back, section by section: a placeholder block (kind
``"placeholder"``: text the officer is to replace, such as a recommendation still to write), a
sentence that speaks to the officer rather than to the department ("This section is for the
partnership's own recommendations ..., which the officer writes", "The partnership's officers
checked the themes ...", "[insert figures]", "TODO"), a section the officer added and left
empty, or (given the consultation's consent ``Policy``) the name of a partner who asked not to
be named, typed in by hand. ``check_can_leave`` turns them into one message that names every
section; sending a version to the board, approving it and recording it as sent call it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from consultations.errors import WorkbenchError
from evidence.consent import Policy
from exports.draft_model import Block, Draft, Section

PLACEHOLDER = "placeholder"  # a block kind: text the officer is to replace before it leaves

# Words addressed to the officer, not to the department. Earlier versions of the generator
# wrote the first two into every draft.
_INTERNAL = (
    re.compile(r"\bwhich the officer writes\b", re.IGNORECASE),
    re.compile(r"\bthe officer (?:writes|will write|should write|is to write)\b", re.IGNORECASE),
    re.compile(r"\bThe partnership's officers checked the themes\b", re.IGNORECASE),
    re.compile(r"\bThis section is for the partnership's own\b", re.IGNORECASE),
    re.compile(
        r"\[\s*(?:officer|insert|add|write|to (?:do|add|come|write|follow)|placeholder)\b[^\]]*\]",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:TODO|TBC|TBD|FIXME|XXX)\b"),
    re.compile(r"\blorem ipsum\b", re.IGNORECASE),
)
_SNIPPET = 70


@dataclass(frozen=True)
class Hold:
    """One thing that keeps a version from leaving: where it is, and what it is."""

    section_key: str
    heading: str
    reason: str

    def sentence(self) -> str:
        """Say it in words: "the section 'Recommendations' holds ..."."""
        return f"the section '{self.heading}' {self.reason}"


class DraftHeld(WorkbenchError):
    """A version that holds a placeholder or an internal note was about to leave."""

    def __init__(self, doing: str, found: list[Hold]) -> None:
        self.holds = found
        listed = "; ".join(hold.sentence() for hold in found)
        super().__init__(
            f"{doing} is not possible yet: {listed}. Write the partnership's own words there "
            "or remove it, save the section as a new version, and try again."
        )


def holds(draft: Draft, policy: Policy | None = None) -> list[Hold]:
    """Return what holds the version back, in the order of its sections."""
    found = []
    for section in draft.sections:
        found += _section_holds(section)
        if policy is not None:
            found += _names_held(section, policy)
    return found


def check_can_leave(draft: Draft, *, doing: str, policy: Policy | None = None) -> None:
    """Refuse, naming every section, if the version holds anything meant for the officer."""
    if found := holds(draft, policy):
        raise DraftHeld(doing, found)


def _names_held(section: Section, policy: Policy) -> list[Hold]:
    heading = section.heading or section.key
    texts = [heading] + [
        text
        for block in section.blocks
        if block.included
        for text in (_text_of(block), block.attribution)
    ]
    if any(text and policy.names_unnamed(text) for text in texts):
        return [Hold(section.key, heading, "names a partner who asked not to be named")]
    return []


def _section_holds(section: Section) -> list[Hold]:
    heading = section.heading or section.key
    blocks = [block for block in section.blocks if block.included]
    found = []
    if note := _internal(heading):
        found.append(Hold(section.key, heading, f"has a heading meant for the officer ({note})"))
    for block in blocks:
        if block.kind == PLACEHOLDER:
            text = f" ({_quoted(block.text)})" if block.text.strip() else ""
            found.append(Hold(section.key, heading, f"holds text for the officer to write{text}"))
        elif note := _internal(_text_of(block)):
            found.append(Hold(section.key, heading, f"holds a note meant for the officer ({note})"))
    if section.key.startswith("added-") and not any(_text_of(b).strip() for b in blocks):
        found.append(Hold(section.key, heading, "is empty"))
    return found


def _text_of(block: Block) -> str:
    if block.kind == "table":
        return " ".join(cell for row in block.rows for cell in row)
    return block.text


def _internal(text: str) -> str:
    for pattern in _INTERNAL:
        if match := pattern.search(text):
            start = max(0, text.rfind(".", 0, match.start()) + 1)
            return _quoted(text[start:].strip())
    return ""


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return f'"{text if len(text) <= _SNIPPET else text[: _SNIPPET - 1].rstrip() + "…"}"'
