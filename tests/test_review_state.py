"""The sentence saying what the analysis and the draft count as the answers' themes."""

from __future__ import annotations

import pytest

from consultations.db import read_scope, session_scope
from evidence.review import bulk_accept, decide
from evidence.review_state import what_counts
from tests.conftest import NOW
from tests.tagging_world import (
    HOTELS,
    NOTHING,
    SPOUSE_VISAS,
    build_world,
    person,
    save,
    submit_all,
    theme_id,
)


@pytest.fixture
def world(engine):
    world = build_world(engine)
    hotels = save(world, 0, 0, HOTELS).id  # asylum, accommodation
    save(world, 1, 0, SPOUSE_VISAS)  # family
    save(world, 2, 0, NOTHING)  # no suggestion
    return world, hotels


def counts(world) -> str:
    with read_scope(world.engine) as session:
        return what_counts(session, world.consultation)


def as_officer(world, action):
    with session_scope(world.engine) as session:
        return action(session, person(session, world.officer))


def accept_for_all(world, key):
    as_officer(
        world,
        lambda s, me: bulk_accept(s, me, world.consultation, theme_id(s, world, key), now=NOW),
    )


def test_what_counts_says_suggestions_count_until_an_officer_decides_on_them(world):
    world, _ = world
    submit_all(world)
    assert counts(world) == (
        "Themes are counted from officers' decisions and, where no officer has decided yet, "
        "from the workbench's own suggestions: 2 of the 3 submitted answers have suggestions "
        "waiting for review, and those suggestions are counted as if accepted."
    )
    accept_for_all(world, "family")
    accept_for_all(world, "asylum")  # the hotels answer's accommodation is still undecided
    assert "1 of the 3 submitted answers has suggestions waiting for review" in counts(world)


def test_what_counts_says_decisions_only_once_every_suggestion_is_decided(world):
    world, hotels = world
    submit_all(world)
    accept_for_all(world, "family")
    accept_for_all(world, "asylum")
    as_officer(
        world,
        lambda s, me: decide(
            s, me, hotels, theme_id(s, world, "accommodation"), accepted=False, now=NOW
        ),
    )
    assert counts(world) == (
        "Themes are counted from officers' decisions only: every theme the workbench "
        "suggested on the 3 submitted answers has been accepted or rejected by an officer."
    )


def test_what_counts_reads_only_submitted_answers(world):
    world, _ = world
    assert "no submitted answer has a comment yet" in counts(world)
