"""Each consultation's themes: the copy of the default taxonomy and the officer's edits."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from consultations.db import read_scope, session_scope
from consultations.errors import AccessDenied, StaleEdit, ValidationFailed, WorkbenchError
from consultations.models import AuditEvent
from evidence.models import TagDecision, TagSuggestion, Theme
from evidence.review import decide
from evidence.review_queue import QueueFilter, review_queue
from evidence.tagger import load_default_taxonomy
from evidence.themes import (
    add_phrase,
    add_theme,
    consultation_themes,
    drop_theme,
    ensure_themes,
    merge_themes,
    remove_phrase,
    restore_theme,
    update_theme,
)
from tests.conftest import NOW, later
from tests.tagging_world import NRPF_BELFAST, SPOUSE_VISAS, build_world, person, save, theme_id


@pytest.fixture
def world(engine):
    world = build_world(engine)
    with session_scope(engine) as session:
        ensure_themes(session, world.consultation, now=NOW)
    return world


def as_officer(world, action):
    """Run one officer action in one transaction and return its result."""
    with session_scope(world.engine) as session:
        return action(session, person(session, world.officer))


def theme(world, key: str) -> Theme:
    with read_scope(world.engine) as session:
        return session.get(Theme, theme_id(session, world, key))


def events(world, action: str) -> list[AuditEvent]:
    with read_scope(world.engine) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- the copy --------------------------------------------------------------------------------


def test_the_default_taxonomy_is_copied_once_with_every_phrase_and_weight(engine, world):
    with session_scope(engine) as session:
        again = ensure_themes(session, world.consultation, now=later(days=1))
    defaults = load_default_taxonomy()
    assert [t.key for t in again] == [spec.id for spec in defaults]
    assert [t.position for t in again] == list(range(1, 19))
    regional = next(t for t in again if t.key == "regional")
    assert regional.place_weight == next(s for s in defaults if s.id == "regional").place_weight
    nrpf = next(t for t in again if t.key == "nrpf")
    assert {"phrase": "NRPF", "weight": 2.0} in nrpf.patterns
    assert len(events(world, "themes.copied")) == 1


def test_each_consultation_has_its_own_copy(engine, world):
    other = build_world(engine, prefix="Another partner")
    as_officer(
        world,
        lambda s, me: update_theme(
            s,
            me,
            theme_id(s, world, "health"),
            label="Health, care and wellbeing",
            description="NHS and care.",
            seen_version=1,
            now=NOW,
        ),
    )
    with session_scope(engine) as session:
        theirs = ensure_themes(session, other.consultation, now=NOW)
    assert next(t.label for t in theirs if t.key == "health") == "Health and wellbeing"


# --- rename and describe ---------------------------------------------------------------------


def test_officer_renames_a_theme_and_the_change_is_audited(world):
    health = theme(world, "health")
    as_officer(
        world,
        lambda s, me: update_theme(
            s,
            me,
            health.id,
            label="  Health,   care and wellbeing ",
            description="NHS access, GP registration and social care.",
            seen_version=health.version,
            now=NOW,
        ),
    )
    renamed = theme(world, "health")
    assert renamed.label == "Health, care and wellbeing"
    assert renamed.description == "NHS access, GP registration and social care."
    [event] = events(world, "theme.updated")
    assert event.actor_id == world.officer
    assert event.detail["from"]["label"] == "Health and wellbeing"
    assert event.detail["to"]["label"] == "Health, care and wellbeing"


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("   ", "The theme has 1 problem: the name is empty. Nothing was saved."),
        (
            "housing and ACCOMMODATION",
            "The theme has 1 problem: another theme is already called 'Housing and "
            "accommodation'; choose a different name, or merge the two themes. Nothing was saved.",
        ),
        ("x" * 121, "The theme has 1 problem: the name is longer than 120 characters."),
    ],
)
def test_a_rename_with_a_bad_name_is_refused_and_nothing_is_saved(world, label, message):
    health = theme(world, "health")
    with pytest.raises(ValidationFailed, match=re.escape(message)):
        as_officer(
            world,
            lambda s, me: update_theme(
                s, me, health.id, label=label, description="", seen_version=1, now=NOW
            ),
        )
    assert theme(world, "health").label == "Health and wellbeing"
    assert events(world, "theme.updated") == []


def test_a_rename_based_on_an_old_version_is_refused_with_the_current_one_shown(world):
    health = theme(world, "health")

    def rename(label):
        return lambda s, me: update_theme(
            s, me, health.id, label=label, description="", seen_version=1, now=NOW
        )

    as_officer(world, rename("Health"))
    with pytest.raises(StaleEdit, match="Someone else changed this theme") as caught:
        as_officer(world, rename("Wellbeing"))
    assert caught.value.current["name"] == "Health"
    assert theme(world, "health").label == "Health"


# --- phrases ---------------------------------------------------------------------------------


def test_a_phrase_the_officer_adds_tags_the_next_answer_saved(engine, world):
    as_officer(
        world,
        lambda s, me: add_phrase(
            s, me, theme_id(s, world, "health"), "dental care", weight=2.0, now=NOW
        ),
    )
    answer = save(world, 0, 0, "Dental care is out of reach for most new arrivals.")
    with read_scope(engine) as session:
        keys = session.scalars(
            select(Theme.key)
            .join(TagSuggestion, TagSuggestion.theme_id == Theme.id)
            .where(TagSuggestion.answer_id == answer.id)
        ).all()
    assert keys == ["health"]
    [event] = events(world, "theme.phrase_added")
    assert event.detail["phrase"] == "dental care"


@pytest.mark.parametrize(
    ("key", "phrase", "weight", "message"),
    [
        ("nrpf", "NRPF", 2.0, "'NRPF' is already a phrase of 'No recourse to public funds"),
        ("nrpf", "  Destitution ", 1.0, "'Destitution' is already a phrase of"),
        ("health", "", 1.0, "the phrase is empty"),
        ("health", "dental care", 3.0, "the weight must be strong (2), weak (1) or context (0.5)"),
    ],
)
def test_a_bad_phrase_is_refused_and_nothing_is_saved(world, key, phrase, weight, message):
    before = theme(world, key).patterns
    with pytest.raises(ValidationFailed, match=re.escape(message)):
        as_officer(
            world,
            lambda s, me: add_phrase(
                s, me, theme_id(s, world, key), phrase, weight=weight, now=NOW
            ),
        )
    assert theme(world, key).patterns == before


def test_an_acronym_and_the_same_letters_in_lower_case_are_different_phrases(world):
    as_officer(world, lambda s, me: add_phrase(s, me, theme_id(s, world, "nrpf"), "nrpf", now=NOW))
    phrases = [p["phrase"] for p in theme(world, "nrpf").patterns]
    assert "NRPF" in phrases and "nrpf" in phrases


def test_removing_a_phrase_and_removing_one_that_is_not_there(world):
    as_officer(
        world, lambda s, me: remove_phrase(s, me, theme_id(s, world, "nrpf"), "NRPF", now=NOW)
    )
    assert "NRPF" not in [p["phrase"] for p in theme(world, "nrpf").patterns]
    with pytest.raises(ValidationFailed, match=re.escape("'NRPF' is not a phrase of")):
        as_officer(
            world, lambda s, me: remove_phrase(s, me, theme_id(s, world, "nrpf"), "NRPF", now=NOW)
        )
    assert len(events(world, "theme.phrase_removed")) == 1


# --- adding a theme --------------------------------------------------------------------------


def test_officer_adds_a_theme_with_phrases_at_the_end(world):
    added = as_officer(
        world,
        lambda s, me: add_theme(
            s,
            me,
            world.consultation,
            label="Rural isolation",
            description="Distance from services in rural areas.",
            phrases=["rural", "bus routes", "Rural", ""],
            now=NOW,
        ),
    )
    assert added.key == "rural_isolation"
    assert added.position == 19
    assert [p["phrase"] for p in added.patterns] == ["rural", "bus routes"]
    assert events(world, "theme.added")[0].detail["label"] == "Rural isolation"


def test_adding_a_theme_to_a_consultation_without_themes_copies_the_defaults_first(engine):
    fresh = build_world(engine, prefix="Another partner")
    as_officer(
        fresh,
        lambda s, me: add_theme(s, me, fresh.consultation, label="Transport", now=NOW),
    )
    with read_scope(engine) as session:
        themes = consultation_themes(session, fresh.consultation)
    assert len(themes) == 19 and themes[-1].label == "Transport"


def test_a_new_theme_needs_a_name_no_other_theme_has(world):
    for label, message in [
        ("", "The new theme has 1 problem: the name is empty. Nothing was saved."),
        ("Family migration", "another theme is already called 'Family migration'"),
    ]:
        with pytest.raises(ValidationFailed, match=re.escape(message)):
            as_officer(
                world,
                lambda s, me, label=label: add_theme(
                    s, me, world.consultation, label=label, now=NOW
                ),
            )
    with read_scope(world.engine) as session:
        assert len(consultation_themes(session, world.consultation)) == 18


@pytest.mark.timeout(20)  # the pairwise check took 37 s for 5,000 phrases
def test_a_new_theme_of_5000_phrases_is_refused_at_once_saying_how_many_a_theme_may_have(world):
    phrases = [f"phrase number {n}" for n in range(5_000)]
    with pytest.raises(
        ValidationFailed,
        match=r"^The new theme has 1 problem: the theme would have 5,000 phrases and a theme may "
        "have at most 1,000; keep the phrases that say the theme best",
    ):
        as_officer(
            world,
            lambda s, me: add_theme(
                s, me, world.consultation, label="Everything", phrases=phrases, now=NOW
            ),
        )
    assert not events(world, "theme.added")


@pytest.mark.timeout(20)
def test_a_thousand_phrases_are_checked_for_repeats_in_any_case_but_capitals_as_written(world):
    phrases = [f"Phrase {n}" for n in range(998)] + ["phrase 7", "NRPF", "Nrpf", "nrpf", "NRPF"]
    added = as_officer(
        world,
        lambda s, me: add_theme(s, me, world.consultation, label="Many", phrases=phrases, now=NOW),
    )
    kept = [p["phrase"] for p in added.patterns]
    assert len(kept) == 1_000
    assert kept[-2:] == ["NRPF", "Nrpf"]  # "nrpf" is "Nrpf" in another case; NRPF only as written
    with pytest.raises(ValidationFailed, match="a theme may have at most 1,000"):
        as_officer(world, lambda s, me: add_phrase(s, me, added.id, "one more", now=NOW))


# --- merging ---------------------------------------------------------------------------------


def test_merging_moves_phrases_suggestions_and_decisions_to_the_kept_theme(engine, world):
    answer = save(world, 0, 0, NRPF_BELFAST)
    asylum, nrpf = theme(world, "asylum"), theme(world, "nrpf")
    with session_scope(engine) as session:
        decide(
            session, person(session, world.officer), answer.id, asylum.id, accepted=True, now=NOW
        )
    outcome = as_officer(
        world,
        lambda s, me: merge_themes(s, me, keep_id=nrpf.id, merge_id=asylum.id, now=later(hours=1)),
    )
    assert (outcome.decisions_moved, outcome.decisions_superseded) == (1, 0)
    with read_scope(engine) as session:
        decisions = session.scalars(select(TagDecision)).all()
        suggestions = session.scalars(
            select(TagSuggestion).where(TagSuggestion.answer_id == answer.id)
        ).all()
        gone = session.get(Theme, asylum.id)
        kept = session.get(Theme, nrpf.id)
    # The decision keeps who made it and when, and says where it came from.
    assert [(d.theme_id, d.accepted, d.decided_by_id, d.decided_at) for d in decisions] == [
        (nrpf.id, True, world.officer, NOW)
    ]
    assert decisions[0].moved_from_theme_id == asylum.id
    # One suggestion per theme and source: the two became one, with the reasons of both.
    assert [s.theme_id for s in suggestions if s.theme_id in (nrpf.id, asylum.id)] == [nrpf.id]
    phrases = [
        m["phrase"] for s in suggestions if s.theme_id == nrpf.id for m in s.spans["matches"]
    ]
    assert phrases == ["NRPF", "destitute", "Asylum support rates"]
    assert (gone.active, gone.merged_into_id) == (False, nrpf.id)
    assert "asylum support" in [p["phrase"] for p in kept.patterns]
    [event] = events(world, "theme.merged")
    assert event.detail["merged"]["key"] == "asylum"


@pytest.mark.parametrize(
    ("kept_accepted", "merged_accepted", "current_accepted"),
    [(False, True, True), (True, False, True), (False, False, False), (True, True, True)],
)
def test_merging_leaves_one_current_decision_per_answer_and_keeps_the_other_as_history(
    engine, world, kept_accepted, merged_accepted, current_accepted
):
    answer = save(world, 0, 0, NRPF_BELFAST)
    asylum, nrpf = theme(world, "asylum"), theme(world, "nrpf")
    with session_scope(engine) as session:
        me = person(session, world.officer)
        decide(session, me, answer.id, nrpf.id, accepted=kept_accepted, now=NOW)
        decide(session, me, answer.id, asylum.id, accepted=merged_accepted, now=NOW)
    outcome = as_officer(
        world, lambda s, me: merge_themes(s, me, keep_id=nrpf.id, merge_id=asylum.id, now=NOW)
    )
    assert (outcome.decisions_moved, outcome.decisions_superseded) == (1, 1)
    with read_scope(engine) as session:
        rows = session.scalars(select(TagDecision).where(TagDecision.theme_id == nrpf.id)).all()
    assert len(rows) == 2
    assert [d.accepted for d in rows if d.is_current] == [current_accepted]


@pytest.mark.parametrize(
    ("keep", "merge", "message"),
    [
        ("nrpf", "nrpf", "a theme cannot be merged into itself; choose two different themes"),
        ("nrpf", "dropped", "'Asylum system and support' has been dropped; restore it first"),
    ],
)
def test_a_merge_that_cannot_be_done_is_refused_and_nothing_moves(world, keep, merge, message):
    as_officer(world, lambda s, me: drop_theme(s, me, theme_id(s, world, "asylum"), now=NOW))
    keep_id = theme(world, keep).id
    merge_id = theme(world, "asylum" if merge == "dropped" else merge).id
    with pytest.raises(ValidationFailed, match=re.escape(f"The merge has 1 problem: {message}")):
        as_officer(
            world, lambda s, me: merge_themes(s, me, keep_id=keep_id, merge_id=merge_id, now=NOW)
        )
    assert theme(world, "nrpf").active is True
    assert events(world, "theme.merged") == []


# --- dropping --------------------------------------------------------------------------------


def test_a_dropped_theme_is_no_longer_suggested_and_its_decisions_stay_out_of_the_queue(
    engine, world
):
    answer = save(world, 0, 0, SPOUSE_VISAS)
    family = theme(world, "family")
    with session_scope(engine) as session:
        decide(
            session, person(session, world.officer), answer.id, family.id, accepted=True, now=NOW
        )
    as_officer(world, lambda s, me: drop_theme(s, me, family.id, now=NOW))
    with read_scope(engine) as session:
        me = person(session, world.officer)
        decisions = session.scalar(select(func.count()).select_from(TagDecision))
        waiting = review_queue(session, me, world.consultation, QueueFilter())
        by_family = review_queue(
            session, me, world.consultation, QueueFilter(theme_id=family.id, status="reviewed")
        )
    assert decisions == 1  # kept as history
    assert waiting.answer_ids == [answer.id]  # its only decision no longer counts
    assert by_family.answer_ids == []
    second = save(world, 1, 0, SPOUSE_VISAS)
    with read_scope(engine) as session:
        assert (
            session.scalars(select(TagSuggestion).where(TagSuggestion.answer_id == second.id)).all()
            == []
        )
    with pytest.raises(WorkbenchError, match="has already been dropped"):
        as_officer(world, lambda s, me: drop_theme(s, me, family.id, now=NOW))


def test_a_dropped_theme_can_be_restored_but_a_merged_one_cannot(world):
    family, asylum, nrpf = theme(world, "family"), theme(world, "asylum"), theme(world, "nrpf")
    as_officer(world, lambda s, me: drop_theme(s, me, family.id, now=NOW))
    as_officer(world, lambda s, me: restore_theme(s, me, family.id, now=NOW))
    assert theme(world, "family").active is True
    as_officer(
        world, lambda s, me: merge_themes(s, me, keep_id=nrpf.id, merge_id=asylum.id, now=NOW)
    )
    with pytest.raises(WorkbenchError, match="was merged into 'No recourse to public funds"):
        as_officer(world, lambda s, me: restore_theme(s, me, asylum.id, now=NOW))


# --- only officers ---------------------------------------------------------------------------

EDITS = {
    "update_theme": lambda s, me, ids: update_theme(
        s, me, ids["health"], label="Hijacked", description="", seen_version=1, now=NOW
    ),
    "add_phrase": lambda s, me, ids: add_phrase(s, me, ids["health"], "dental care", now=NOW),
    "remove_phrase": lambda s, me, ids: remove_phrase(s, me, ids["nrpf"], "NRPF", now=NOW),
    "add_theme": lambda s, me, ids: add_theme(s, me, ids["consultation"], label="Mine", now=NOW),
    "merge_themes": lambda s, me, ids: merge_themes(
        s, me, keep_id=ids["nrpf"], merge_id=ids["health"], now=NOW
    ),
    "drop_theme": lambda s, me, ids: drop_theme(s, me, ids["health"], now=NOW),
    "restore_theme": lambda s, me, ids: restore_theme(s, me, ids["health"], now=NOW),
}


@pytest.mark.parametrize("role", ["partner", "board"])
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_partners_and_board_members_cannot_edit_themes_and_nothing_changes(world, edit, role):
    ids = {
        "consultation": world.consultation,
        "health": theme(world, "health").id,
        "nrpf": theme(world, "nrpf").id,
    }
    who = world.partners[0] if role == "partner" else world.board
    with read_scope(world.engine) as session:
        before = [
            (t.label, t.active, t.patterns)
            for t in consultation_themes(session, world.consultation, include_dropped=True)
        ]
    with (
        pytest.raises(AccessDenied, match="Only policy officers can do this"),
        session_scope(world.engine) as session,
    ):
        EDITS[edit](session, person(session, who), ids)
    with read_scope(world.engine) as session:
        after = [
            (t.label, t.active, t.patterns)
            for t in consultation_themes(session, world.consultation, include_dropped=True)
        ]
        assert (
            session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action.like("theme.%"))
            )
            == 0
        )
    assert after == before
