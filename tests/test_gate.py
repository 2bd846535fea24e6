"""The gate: a version with text for the officer to write, or a note meant for the officer,
cannot be sent to the board, approved, recorded as sent or exported as final."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from consultations.db import read_scope, session_scope
from exports.approval import record_decision
from exports.approval_rule import APPROVE
from exports.draft_model import Block, Draft, Section
from exports.drafts import draft_of, latest, save_section
from exports.gate import PLACEHOLDER, DraftHeld, check_can_leave, holds
from tests.board_world import send
from tests.conftest import later
from tests.test_approval import approve, as_
from tests.test_approval import board as board

# What earlier generators wrote into every draft, and an approved, sent response kept.
OLD_PLACEHOLDER = (
    "This section is for the partnership's own recommendations to the Home Office, which the "
    "officer writes and the board agrees."
)
OLD_NOTE = (
    "Partners answered the consultation's ten questions in the partnership's response "
    "workbench. The partnership's officers checked the themes each answer was filed under and "
    "drew the answers together here."
)


def draft_with(*sections: Section) -> Draft:
    day = date(2026, 12, 7)
    return Draft("SMP", "Family migration", "HO-1", "Home Office", day, "Draft v2", list(sections))


def test_a_placeholder_block_holds_the_version_back_naming_its_section():
    draft = draft_with(
        Section("about", "About the partnership", [Block("paragraph", "We are a partnership.")]),
        Section("recommendations", "Recommendations", [Block(PLACEHOLDER, "Write our asks.")]),
    )

    (hold,) = holds(draft)

    assert (hold.section_key, hold.heading) == ("recommendations", "Recommendations")
    assert hold.sentence() == (
        "the section 'Recommendations' holds text for the officer to write (\"Write our asks.\")"
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (OLD_PLACEHOLDER, "recommendations"),
        (OLD_NOTE, "about"),
        ("We ask for [insert the figures from the council] before March.", "question-1"),
        ("Figures TBC with finance.", "question-1"),
    ],
)
def test_an_internal_note_in_any_section_holds_the_version_back(text, key):
    draft = draft_with(Section(key, "Heading", [Block("paragraph", text)]))

    (hold,) = holds(draft)

    assert hold.section_key == key
    assert "holds a note meant for the officer" in hold.reason


@pytest.mark.parametrize(
    "text",
    [
        "Families wait [T]he longest in [place], as [a health partner] told us.",
        "We agree with the proposal to fund ESOL; the officers of the council agree.",
    ],
)
def test_ordinary_text_with_labels_and_brackets_passes(text):
    assert holds(draft_with(Section("question-1", "Q1", [Block("point", text)]))) == []


def test_a_placeholder_the_officer_left_out_does_not_hold_it_back():
    hidden = Block(PLACEHOLDER, "Write our asks.", included=False)
    draft = draft_with(Section("recommendations", "Recommendations", [hidden]))

    assert holds(draft) == []


def test_an_added_section_left_empty_holds_it_back():
    draft = draft_with(Section("added-1", "Covering note", [Block("paragraph", "  ")]))

    assert [hold.reason for hold in holds(draft)] == ["is empty"]


def test_the_message_names_every_section_that_holds_it_back():
    draft = draft_with(
        Section("about", "About", [Block("paragraph", OLD_NOTE)]),
        Section("recommendations", "Recommendations", [Block(PLACEHOLDER, "")]),
    )

    with pytest.raises(DraftHeld) as raised:
        check_can_leave(draft, doing="Sending version 2 to the board")

    message = str(raised.value)
    assert message.startswith("Sending version 2 to the board is not possible yet: ")
    assert "the section 'About' holds a note meant for the officer" in message
    assert "the section 'Recommendations' holds text for the officer to write." in message
    assert message.endswith("save the section as a new version, and try again.")


def put_placeholder(b, *, hours: float = 1.5) -> int:
    with session_scope(b.engine) as session:
        newest = latest(session, b.cid)
        section = draft_of(newest).section("recommendations")
        return save_section(
            session,
            as_(session, b.officer),
            b.cid,
            replace(section, blocks=[*section.blocks, Block(PLACEHOLDER, "Our own asks.")]),
            seen=newest.number,
            now=later(hours=hours),
        ).number


def test_a_generated_draft_passes_the_gate(board):
    with read_scope(board.engine) as session:
        assert holds(draft_of(latest(session, board.cid))) == []


def test_a_version_with_a_placeholder_cannot_be_sent_to_the_board(board):
    number = put_placeholder(board)

    expected = (
        r"Sending version 2 to the board is not possible yet: "
        r"the section 'Recommendations' holds text for the officer to write"
    )
    with pytest.raises(DraftHeld, match=expected):
        send(board, number)


def test_a_version_with_a_placeholder_cannot_be_approved(board):
    send(board)
    # A version already with the board when the note was put in (an older draft, say).
    with session_scope(board.engine) as session:
        newest = latest(session, board.cid)
        held = draft_of(newest)
        held.section("recommendations").blocks.append(Block("paragraph", OLD_PLACEHOLDER))
        newest.content = held.to_json()

    with pytest.raises(DraftHeld, match=r"Approving version 1 is not possible yet"):
        approve(board)
    with session_scope(board.engine) as session, pytest.raises(DraftHeld):
        record_decision(
            session, as_(session, board.member), board.cid, number=1, decision=APPROVE,
            now=later(hours=6),
        )  # fmt: skip


def test_a_version_naming_a_partner_who_asked_not_to_be_named_cannot_be_sent(board):
    with session_scope(board.engine) as session:
        newest = latest(session, board.cid)
        section = draft_of(newest).section("recommendations")
        typed = Block("paragraph", "As Partner organisation 3 told us, fund ESOL.", added=True)
        number = save_section(
            session,
            as_(session, board.officer),
            board.cid,
            replace(section, blocks=[*section.blocks, typed]),
            seen=newest.number,
            now=later(hours=1.5),
        ).number

    expected = r"the section 'Recommendations' names a partner who asked not to be named"
    with pytest.raises(DraftHeld, match=expected):
        send(board, number)
