"""The officer's draft: assemble it, edit it section by section, regenerate a section, compare.

Every change makes a new ``DraftVersion`` (the whole draft as JSON, who, when, a note); none is
ever edited. Saving works per section: the officer edits a section of the version they opened;
if someone saved a newer version meanwhile, the save still goes through when that person
changed other sections (the new version keeps their work and adds this section), and is refused
with the other person's text shown when they changed the same section, so nobody's words are
silently overwritten.
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
from exports.approval import after_new_version
from exports.draft import assemble, default_status
from exports.draft_model import Draft, Evidence, Section
from exports.models import DraftVersion
from exports.models import latest_version as latest
from exports.models import version_by_number as version

MAX_NOTE = 500


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
        before = _section_or_none(draft_of(version(session, consultation_id, seen)), section.key)
        now_there = _section_or_none(current, section.key)
        if before != now_there:
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
    """Write one section afresh from the current evidence, as the next version."""
    fresh = assemble(evidence).section(key)
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
