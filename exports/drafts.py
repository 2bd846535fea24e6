"""The officer's draft: assemble it, edit it section by section, regenerate a section, compare.

Every change makes a new ``DraftVersion`` (the whole draft as JSON, who, when, a note); none is
ever edited. Saving works per section: the officer edits a section of the version they opened;
if someone saved a newer version meanwhile, the save still goes through when that person
changed other sections (the new version keeps their work and adds this section), and is refused
with the other person's text shown when they changed the same section, so nobody's words are
silently overwritten.

The officer also writes their own: a paragraph added to any section, or a section of their own
(recommendations, a covering note) placed after any other. What the officer added can be
removed and moved; generated blocks are edited, left out or regenerated instead. Assembling
the draft again keeps what the officer added.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.audit import record_event
from consultations.dates import plain_datetime
from consultations.db import hold_lock
from consultations.errors import StaleEdit, WorkbenchError
from consultations.models import User
from exports.annex import ANNEX_KEY, annex_in_document, with_annex
from exports.approval import after_new_version
from exports.draft import assemble, default_status
from exports.draft_model import Block, Draft, Evidence, Section
from exports.models import DraftVersion
from exports.models import latest_version as latest
from exports.models import version_by_number as version

MAX_NOTE = 500
MAX_HEADING = 200
MAX_TEXT = 20_000
ADDED = "added-"  # the key of a section the officer added starts with this
RECOMMENDATIONS = "recommendations"  # the section whose paragraphs are a list of asks


@dataclass(frozen=True)
class SectionChange:
    """How one section differs between two versions: lines marked "+", "-" or " "."""

    key: str
    heading: str
    status: str  # "same", "changed", "added", "removed"
    lines: list[tuple[str, str]]


def versions(session: Session, actor: User, consultation_id: int) -> list[DraftVersion]:
    """Every version of the consultation's draft, newest first."""
    require(actor, "draft.edit")
    return list(
        session.scalars(
            select(DraftVersion)
            .where(DraftVersion.consultation_id == consultation_id)
            .order_by(DraftVersion.number.desc())
        )
    )


def draft_of(saved: DraftVersion) -> Draft:
    """The draft a version holds."""
    return Draft.from_json(saved.content)


def assemble_draft(
    session: Session, actor: User, evidence: Evidence, consultation_id: int, *, now: datetime
) -> DraftVersion:
    """Assemble a whole new draft from the evidence as the next version."""
    require(actor, "draft.edit")
    number = _next_number(session, consultation_id)
    draft = assemble(evidence, version=number, status=default_status(number))
    if number > 1:  # the officer's own paragraphs and sections, and annex choice, stay
        previous = version(session, consultation_id, number - 1)
        draft = keep_added(previous, draft)
        if any(s.key == ANNEX_KEY for s in draft_of(previous).sections):
            draft = with_annex(draft, include=annex_in_document(draft_of(previous)))
    note = "First draft, assembled from the evidence" if number == 1 else "Assembled again"
    return _save(session, actor, consultation_id, number, draft, now=now, note=note)


def save_section(
    session: Session,
    actor: User,
    consultation_id: int,
    section: Section,
    *,
    seen: int,
    now: datetime,
    note: str = "",
    change: str = "section",
) -> DraftVersion:
    """Save one edited section as the next version; refuse if someone changed it since ``seen``."""
    require(actor, "draft.edit")
    number = _next_number(session, consultation_id)  # takes the lock
    newest = version(session, consultation_id, number - 1)
    current = draft_of(newest)
    if number - 1 != seen:
        now_there = _section_or_none(current, section.key)
        if not section_unchanged(
            draft_of(version(session, consultation_id, seen)), current, section.key
        ):
            who = newest.created_by.name if newest.created_by else "someone"
            raise StaleEdit(
                f"{who} saved a new version of '{section.heading}' (version {newest.number}, "
                f"{plain_datetime(newest.created_at)}) after you opened it. Your changes are "
                "not saved: copy what you need, reload the section and make them again.",
                current={
                    "Section": now_there.heading if now_there else section.heading,
                    "Their text": "\n".join(text for _, text in section_lines(now_there)),
                },
            )
    if len(note) > MAX_NOTE:
        raise WorkbenchError(f"The note is {len(note):,} characters; the most is {MAX_NOTE}.")
    sections = [section if s.key == section.key else s for s in current.sections]
    if section.key not in {s.key for s in current.sections}:
        raise WorkbenchError(f"The draft has no section '{section.heading}'.")
    draft = replace(current, sections=sections)
    return _save(
        session,
        actor,
        consultation_id,
        number,
        draft,
        now=now,
        note=note or f"Edited '{section.heading}'",
        change=change,
        section_key=section.key,
    )


def regenerate_section(
    session: Session,
    actor: User,
    evidence: Evidence,
    consultation_id: int,
    key: str,
    *,
    seen: int,
    now: datetime,
) -> DraftVersion:
    """Write one section afresh from the current evidence, as the next version.

    The officer's own paragraphs in it stay, at the end.
    """
    fresh = assemble(evidence).section(key)
    seen_section = _section_or_none(draft_of(version(session, consultation_id, seen)), key)
    if seen_section is not None:
        fresh.blocks += [block for block in seen_section.blocks if block.added]
    return save_section(
        session,
        actor,
        consultation_id,
        fresh,
        seen=seen,
        now=now,
        note=f"Regenerated '{fresh.heading}' from the evidence",
        change="regenerated",
    )


def restore_version(
    session: Session, actor: User, consultation_id: int, number: int, *, now: datetime
) -> DraftVersion:
    """Make an earlier version's text the newest again, as the next version: what assembling
    again or regenerating a section replaced is never out of reach."""
    require(actor, "draft.edit")
    newest = _next_number(session, consultation_id) - 1
    if not 1 <= number < newest:
        raise WorkbenchError(
            f"Version {number} is not an earlier version of this draft (the newest is {newest})."
        )
    draft = draft_of(version(session, consultation_id, number))
    return _save(
        session,
        actor,
        consultation_id,
        newest + 1,
        draft,
        now=now,
        note=f"Restored version {number}",
        change="restored",
    )


def keep_added(previous: DraftVersion, draft: Draft) -> Draft:
    """The new draft with the officer's added sections and paragraphs from the previous one.

    An added section goes after the section it followed (at the end if that one is gone); an
    added paragraph goes at the end of its section (into the recommendations if its section is
    gone), so nothing the officer wrote is lost.
    """
    before = draft_of(previous)
    sections = [replace(s, blocks=list(s.blocks)) for s in draft.sections]
    keys = [s.key for s in sections]
    for index, old in enumerate(before.sections):
        if old.key.startswith(ADDED):
            after = before.sections[index - 1].key if index else ""
            place = keys.index(after) + 1 if after in keys else len(sections)
            sections.insert(place, old)
            keys.insert(place, old.key)
            continue
        added = [block for block in old.blocks if block.added]
        if not added:
            continue
        home = old.key if old.key in keys else "recommendations"
        if home in keys:
            sections[keys.index(home)].blocks.extend(added)
        else:
            sections.append(Section(old.key, old.heading, added))
            keys.append(old.key)
    return replace(draft, sections=sections)


def set_annex(
    session: Session,
    actor: User,
    consultation_id: int,
    *,
    include: bool,
    seen: int,
    now: datetime,
) -> DraftVersion:
    """Put the annex in the document or take it out, as the next version.

    Taken out, it stays in the version and is its own download (``annex.annex_document``).
    """
    require(actor, "draft.edit")
    number = _next_number(session, consultation_id)
    current = draft_of(version(session, consultation_id, number - 1))
    if not any(s.key == ANNEX_KEY for s in current.sections):
        raise WorkbenchError("This version has no annex. Assemble the draft again to make one.")
    if annex_in_document(current) == include:
        where = "in" if include else "out of"
        raise WorkbenchError(f"The annex is {where} the document already (version {number - 1}).")
    note = "Put the annex in the document" if include else "Took the annex out of the document"
    return _save(
        session,
        actor,
        consultation_id,
        number,
        with_annex(current, include=include),
        now=now,
        note=note,
        change="annex",
        section_key=ANNEX_KEY,
    )


def add_own_paragraph(
    session: Session,
    actor: User,
    consultation_id: int,
    key: str,
    *,
    text: str,
    seen: int,
    now: datetime,
) -> DraftVersion:
    """Add the officer's own paragraph at the end of a section, as the next version; in the
    recommendations, one more recommendation in their list."""
    text = _checked_text(text)
    section = _newest_section(session, consultation_id, key)
    kind = "point" if key == RECOMMENDATIONS else "paragraph"
    paragraph = Block(kind=kind, text=text, added=True)
    return save_section(
        session,
        actor,
        consultation_id,
        replace(section, blocks=[*section.blocks, paragraph]),
        seen=seen,
        now=now,
        note=f"Added a paragraph to '{section.heading}'",
        change="added",
    )


def add_own_section(
    session: Session,
    actor: User,
    consultation_id: int,
    *,
    heading: str,
    text: str,
    after: str,
    seen: int,
    now: datetime,
) -> DraftVersion:
    """Add a section of the officer's own after the section ``after``, as the next version."""
    require(actor, "draft.edit")
    heading = " ".join(heading.split())
    problems = []
    if not heading:
        problems.append("give the section a heading")
    elif len(heading) > MAX_HEADING:
        problems.append(f"the heading is {len(heading):,} characters; the most is {MAX_HEADING}")
    if len(text) > MAX_TEXT:
        problems.append(f"the text is {len(text):,} characters; the most is {MAX_TEXT:,}")
    if not text.strip():
        problems.append("write its first paragraph")
    if problems:
        raise WorkbenchError(f"The section cannot be added: {'; '.join(problems)}.")
    number = _next_number(session, consultation_id)
    current = draft_of(version(session, consultation_id, number - 1))
    keys = [s.key for s in current.sections]
    if after not in keys:
        raise WorkbenchError("The section to put it after is no longer in the draft. Reload.")
    taken = [
        int(k[len(ADDED) :]) for k in keys if k.startswith(ADDED) and k[len(ADDED) :].isdigit()
    ]
    section = Section(
        f"{ADDED}{max(taken, default=0) + 1}",
        heading,
        [Block(kind="paragraph", text=text.strip(), added=True)],
    )
    sections = list(current.sections)
    sections.insert(keys.index(after) + 1, section)
    return _save(
        session,
        actor,
        consultation_id,
        number,
        replace(current, sections=sections),
        now=now,
        note=f"Added the section '{heading}'",
        change="added",
        section_key=section.key,
    )


def remove_added(
    session: Session,
    actor: User,
    consultation_id: int,
    key: str,
    *,
    block: int | None = None,
    seen: int,
    now: datetime,
) -> DraftVersion:
    """Remove a section the officer added, or (with ``block``) a paragraph they added."""
    require(actor, "draft.edit")
    number = _next_number(session, consultation_id)
    current = draft_of(version(session, consultation_id, number - 1))
    section = _added_target(current, key, block, seen=seen, newest=number - 1)
    if block is None:
        sections = [s for s in current.sections if s.key != key]
        note = f"Removed the section '{section.heading}'"
    else:
        blocks = [b for n, b in enumerate(section.blocks) if n != block]
        sections = [replace(s, blocks=blocks) if s.key == key else s for s in current.sections]
        note = f"Removed a paragraph from '{section.heading}'"
    return _save(
        session,
        actor,
        consultation_id,
        number,
        replace(current, sections=sections),
        now=now,
        note=note,
        change="removed",
        section_key=key,
    )


def move_added(
    session: Session,
    actor: User,
    consultation_id: int,
    key: str,
    *,
    step: int,
    block: int | None = None,
    seen: int,
    now: datetime,
) -> DraftVersion:
    """Move an added section (or, with ``block``, an added paragraph) ``step`` places on.

    A section moves among the sections after the cover; a paragraph within its section.
    """
    require(actor, "draft.edit")
    number = _next_number(session, consultation_id)
    current = draft_of(version(session, consultation_id, number - 1))
    section = _added_target(current, key, block, seen=seen, newest=number - 1)
    if block is None:
        sections = list(current.sections)
        at = [s.key for s in sections].index(key)
        to = min(max(at + step, 1), len(sections) - 1)  # never above the cover
        if to == at:
            raise WorkbenchError(
                f"'{section.heading}' is already the {'first' if step < 0 else 'last'} section "
                "it can be: nothing was moved."
            )
        sections.insert(to, sections.pop(at))
        note = f"Moved the section '{section.heading}'"
    else:
        blocks = list(section.blocks)
        to = min(max(block + step, 0), len(blocks) - 1)
        if to == block:
            raise WorkbenchError(
                f"The paragraph is already {'first' if step < 0 else 'last'} in "
                f"'{section.heading}': nothing was moved."
            )
        blocks.insert(to, blocks.pop(block))
        sections = [replace(s, blocks=blocks) if s.key == key else s for s in current.sections]
        note = f"Moved a paragraph in '{section.heading}'"
    return _save(
        session,
        actor,
        consultation_id,
        number,
        replace(current, sections=sections),
        now=now,
        note=note,
        change="moved",
        section_key=key,
    )


def _added_target(
    current: Draft, key: str, block: int | None, *, seen: int, newest: int
) -> Section:
    """The section (holding the added block) to remove or move, refused if it is not added."""
    section = _section_or_none(current, key)
    if section is None:
        raise StaleEdit(
            f"The section is no longer in the draft (version {newest} was saved after version "
            f"{seen}, which you opened). Reload the draft."
        )
    if block is None and not key.startswith(ADDED):
        raise WorkbenchError(
            f"'{section.heading}' is part of the generated draft: leave its blocks out or "
            "regenerate it instead. Only sections you added can be removed or moved."
        )
    if block is not None and not (0 <= block < len(section.blocks) and section.blocks[block].added):
        raise WorkbenchError(
            "Only paragraphs you added can be removed or moved; leave a generated block out of "
            "the draft with its 'Include' box instead. If you added it, reload the draft."
        )
    return section


def _newest_section(session: Session, consultation_id: int, key: str) -> Section:
    newest = latest(session, consultation_id)
    section = _section_or_none(draft_of(newest), key) if newest else None
    if section is None:
        raise WorkbenchError("That section is no longer in the draft. Reload the draft.")
    return section


def _checked_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise WorkbenchError("Write the paragraph before adding it.")
    if len(text) > MAX_TEXT:
        raise WorkbenchError(
            f"The paragraph is {len(text):,} characters; the most is {MAX_TEXT:,}."
        )
    return text


def section_lines(section: Section | None) -> list[tuple[str, str]]:
    """A section as the lines a reader sees: (kind, text), excluded blocks left out."""
    if section is None:
        return []
    lines = []
    for block in section.blocks:
        if not block.included:
            continue
        if block.kind == "table":
            lines.extend(("table", " | ".join(row)) for row in block.rows)
        elif block.kind in ("quote", "figure") and block.attribution:
            lines.append((block.kind, f"{block.text} ({block.attribution})"))
        else:
            lines.append((block.kind, block.text))
    return lines


def compare(older: Draft, newer: Draft) -> list[SectionChange]:
    """Each section of the newer draft against the older: what was added, removed, changed.

    The status line on the cover ("Draft v2 for board review") is left out: it moves with every
    version, and a reader asking what changed means the words, not the version number.
    """
    old = {s.key: s for s in older.sections}
    new_keys = {s.key for s in newer.sections}
    changes = []
    for section in newer.sections:
        before = _read(old.get(section.key), older)
        after = _read(section, newer)
        if section.key not in old:
            changes.append(SectionChange(section.key, section.heading, "added", _diff([], after)))
        elif before == after and old[section.key].heading == section.heading:
            changes.append(SectionChange(section.key, section.heading, "same", []))
        else:
            changes.append(
                SectionChange(section.key, section.heading, "changed", _diff(before, after))
            )
    for section in older.sections:
        if section.key not in new_keys:
            lines = _diff(_read(section, older), [])
            changes.append(SectionChange(section.key, section.heading, "removed", lines))
    return changes


def _read(section: Section | None, draft: Draft) -> list[str]:
    """The lines of a section a reader compares: the cover without the draft's status line."""
    lines = [text for _, text in section_lines(section)]
    if section is not None and section.key == "cover":
        lines = [text for text in lines if text != draft.status]
    return lines


def _diff(before: list[str], after: list[str]) -> list[tuple[str, str]]:
    lines = []
    for line in difflib.ndiff(before, after):
        mark = line[0]
        if mark in "+- ":
            lines.append((mark, line[2:]))
    return lines


def section_unchanged(older: Draft, newer: Draft, key: str) -> bool:
    """Say whether two versions hold a section alike, the status line each version puts on
    its cover ("Draft v2 for board review") aside."""
    before, after = _section_or_none(older, key), _section_or_none(newer, key)
    if before is None or after is None:
        return before is after
    return [b for b in before.blocks if b.text != older.status] == [
        b for b in after.blocks if b.text != newer.status
    ] and replace(before, blocks=[]) == replace(after, blocks=[])


def _section_or_none(draft: Draft, key: str) -> Section | None:
    try:
        return draft.section(key)
    except KeyError:
        return None


def _restamp(draft: Draft, status: str) -> Draft:
    """The draft with its new status, on the cover too ("Draft v2 for board review")."""
    sections = [
        replace(
            s, blocks=[replace(b, text=status) if b.text == draft.status else b for b in s.blocks]
        )
        if s.key == "cover"
        else s
        for s in draft.sections
    ]
    return replace(draft, status=status, sections=sections)


def _next_number(session: Session, consultation_id: int) -> int:
    # Two officers saving at once must not both take the same number.
    hold_lock(session, f"draft {consultation_id}")
    newest = latest(session, consultation_id)
    return (newest.number if newest else 0) + 1


def _save(
    session: Session,
    actor: User,
    consultation_id: int,
    number: int,
    draft: Draft,
    *,
    now: datetime,
    note: str,
    change: str = "assembled",
    section_key: str = "",
) -> DraftVersion:
    draft = _restamp(draft, default_status(number))
    saved = DraftVersion(
        consultation_id=consultation_id,
        number=number,
        created_at=now,
        created_by_id=actor.id,
        note=note,
        change=change,
        section_key=section_key,
        content=draft.to_json(),
    )
    session.add(saved)
    session.flush()
    # A version made during review or after approval needs the board again; none after sending.
    after_new_version(session, actor, consultation_id, number, now=now)
    record_event(
        session,
        actor=actor,
        action=f"draft.{change}",
        object_type="draft version",
        object_id=saved.id,
        consultation_id=consultation_id,
        detail={"number": number, "section": section_key, "note": note},
        now=now,
    )
    return saved
