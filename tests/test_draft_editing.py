"""The officer's own words: paragraphs and sections added, removed, moved, and kept when the
draft is assembled again."""

from __future__ import annotations

import pytest

from consultations.errors import WorkbenchError
from exports.drafts import (
    add_own_paragraph,
    add_own_section,
    assemble_draft,
    draft_of,
    move_added,
    regenerate_section,
    remove_added,
    restore_version,
)
from exports.gate import holds
from tests.conftest import later
from tests.test_drafts import first_draft
from tests.test_drafts import world as world

COVERING = "We welcome the chance to respond and would be glad to meet officials."


def keys(saved) -> list[str]:
    return [s.key for s in draft_of(saved).sections]


def test_the_officer_adds_a_section_of_their_own_after_any_section(session, world):
    first_draft(session, world)

    saved = add_own_section(
        session, world["officer"], world["cid"], heading="Covering note", text=COVERING,
        after="cover", seen=1, now=later(hours=1),
    )  # fmt: skip

    draft = draft_of(saved)
    assert saved.number == 2 and saved.change == "added"
    assert keys(saved)[:3] == ["cover", "added-1", "about"]
    section = draft.section("added-1")
    assert section.heading == "Covering note"
    assert [(b.kind, b.text, b.added) for b in section.blocks] == [("paragraph", COVERING, True)]
    assert holds(draft) == []


def test_the_officer_adds_a_paragraph_to_a_generated_section(session, world):
    first_draft(session, world)
    ask = "The partnership recommends a regional rate for Northern Ireland."

    saved = add_own_paragraph(
        session, world["officer"], world["cid"], "recommendations", text=f"  {ask} ",
        seen=1, now=later(hours=1),
    )  # fmt: skip

    last = draft_of(saved).section("recommendations").blocks[-1]
    # one more recommendation in their list (a new user found theirs without the bullet)
    assert (last.text, last.added, last.kind) == (ask, True, "point")
    note = "We welcome the chance to respond."
    about = add_own_paragraph(session, world["officer"], world["cid"], "about", text=note,
                              seen=2, now=later(hours=2))  # fmt: skip
    last = draft_of(about).section("about").blocks[-1]
    assert (last.text, last.added, last.kind) == (note, True, "paragraph")


@pytest.mark.parametrize(
    ("heading", "text", "message"),
    [
        ("", COVERING, "give the section a heading"),
        ("Note", " ", "write its first paragraph"),
        ("x" * 201, COVERING, "the heading is 201 characters; the most is 200"),
    ],
)
def test_a_section_without_heading_or_words_is_refused(session, world, heading, text, message):
    first_draft(session, world)

    with pytest.raises(WorkbenchError, match=message):
        add_own_section(
            session, world["officer"], world["cid"], heading=heading, text=text, after="about",
            seen=1, now=later(hours=1),
        )  # fmt: skip


def test_added_sections_move_and_go_but_generated_ones_stay(session, world):
    first_draft(session, world)
    officer, cid = world["officer"], world["cid"]
    add_own_section(session, officer, cid, heading="Covering note", text=COVERING, after="cover",
                seen=1, now=later(hours=1))  # fmt: skip

    moved = move_added(session, officer, cid, "added-1", step=1, seen=2, now=later(hours=2))
    assert keys(moved)[:3] == ["cover", "about", "added-1"]
    top = move_added(session, officer, cid, "added-1", step=-5, seen=3, now=later(hours=3))
    assert keys(top)[:2] == ["cover", "added-1"]  # never above the cover
    with pytest.raises(WorkbenchError, match="'Recommendations' is part of the generated draft"):
        remove_added(session, officer, cid, "recommendations", seen=4, now=later(hours=4))

    gone = remove_added(session, officer, cid, "added-1", seen=4, now=later(hours=4))
    assert "added-1" not in keys(gone)
    assert gone.note == "Removed the section 'Covering note'"


def test_added_paragraphs_move_within_their_section_and_generated_blocks_cannot(session, world):
    saved = first_draft(session, world)
    officer, cid = world["officer"], world["cid"]
    generated = len(draft_of(saved).section("recommendations").blocks)
    add_own_paragraph(session, officer, cid, "recommendations", text="First ask.", seen=1,
                  now=later(hours=1))  # fmt: skip
    two = add_own_paragraph(session, officer, cid, "recommendations", text="Second ask.", seen=2,
                        now=later(hours=2))  # fmt: skip

    up = move_added(session, officer, cid, "recommendations", block=generated + 1, step=-1,
                    seen=two.number, now=later(hours=3))  # fmt: skip
    texts = [b.text for b in draft_of(up).section("recommendations").blocks]
    assert texts[generated:] == ["Second ask.", "First ask."]
    with pytest.raises(WorkbenchError, match="Only paragraphs you added can be removed or moved"):
        remove_added(session, officer, cid, "recommendations", block=0, seen=up.number,
                     now=later(hours=4))  # fmt: skip
    less = remove_added(session, officer, cid, "recommendations", block=generated, seen=up.number,
                        now=later(hours=4))  # fmt: skip
    assert [b.text for b in draft_of(less).section("recommendations").blocks][generated:] == [
        "First ask."
    ]


def test_assembling_again_or_regenerating_keeps_what_the_officer_added(session, world):
    first_draft(session, world)
    officer, cid = world["officer"], world["cid"]
    add_own_section(session, officer, cid, heading="Covering note", text=COVERING, after="cover",
                seen=1, now=later(hours=1))  # fmt: skip
    add_own_paragraph(session, officer, cid, "recommendations", text="Fund ESOL.", seen=2,
                  now=later(hours=2))  # fmt: skip

    again = assemble_draft(session, officer, world["evidence"], cid, now=later(hours=3))
    assert keys(again)[:2] == ["cover", "added-1"]
    assert draft_of(again).section("recommendations").blocks[-1].text == "Fund ESOL."
    fresh = regenerate_section(session, officer, world["evidence"], cid, "recommendations",
                               seen=again.number, now=later(hours=4))  # fmt: skip
    assert draft_of(fresh).section("recommendations").blocks[-1].text == "Fund ESOL."


def test_an_earlier_version_is_made_the_newest_again_as_a_new_version(session, world):
    """A new user lost an edit to generated text by assembling again: the edit is in the
    earlier version, and restoring it saves that text as the next version."""
    first_draft(session, world)
    officer, cid = world["officer"], world["cid"]
    add_own_paragraph(session, officer, cid, "recommendations", text="Fund ESOL.", seen=1,
                  now=later(hours=1))  # fmt: skip
    edited = draft_of(assemble_draft(session, officer, world["evidence"], cid, now=later(hours=2)))

    restored = restore_version(session, officer, cid, 2, now=later(hours=3))
    assert restored.number == 4 and restored.note == "Restored version 2"
    again = draft_of(restored)
    assert again.section("recommendations").blocks[-1].text == "Fund ESOL."
    assert again.status == "Draft v4 for board review"
    assert [s.key for s in again.sections] == [s.key for s in edited.sections]
    with pytest.raises(WorkbenchError, match="Version 4 is not an earlier version"):
        restore_version(session, officer, cid, 4, now=later(hours=4))


def test_moving_what_is_already_first_or_last_makes_no_version(session, world):
    """A new user pressed "Up" on a section already first after the cover: version 11, order
    unchanged."""
    first_draft(session, world)
    officer, cid = world["officer"], world["cid"]
    add_own_section(session, officer, cid, heading="Covering note", text=COVERING, after="cover",
                seen=1, now=later(hours=1))  # fmt: skip
    with pytest.raises(WorkbenchError, match="'Covering note' is already the first section"):
        move_added(session, officer, cid, "added-1", step=-1, seen=2, now=later(hours=2))
    with pytest.raises(WorkbenchError, match="The paragraph is already first"):
        move_added(session, officer, cid, "added-1", block=0, step=-1, seen=2,
                   now=later(hours=2))  # fmt: skip
