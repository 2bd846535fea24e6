"""Trained theme models in the database: versions, one switched on, officers only, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consultations.db import read_scope, session_scope
from consultations.errors import AccessDenied, WorkbenchError
from consultations.models import AuditEvent
from evidence.model_store import (
    activate_tag_model,
    active_tag_model,
    deactivate_tag_model,
    save_tag_model,
    tag_models,
)
from evidence.models import TagModel
from tests.conftest import NOW, later
from tests.tagging_world import build_world, person

# Shaped like evidence.learning's figures(), cut to what switching a model on reads.
FIGURES = {
    "held_back": 12,
    "systems": {
        "rules": {"micro_f1": 0.86},
        "model": {"micro_f1": 0.81},
        "combined": {"micro_f1": 0.88},
    },
}


@pytest.fixture
def world(engine):
    return build_world(engine)


def store(world, data: bytes = b"model bytes", when=NOW) -> TagModel:
    with session_scope(world.engine) as session:
        return save_tag_model(
            session,
            person(session, world.officer),
            world.consultation,
            data=data,
            labels=["asylum", "nrpf"],
            figures=FIGURES,
            now=when,
        )


def switch_on(world, model_id: int) -> None:
    with session_scope(world.engine) as session:
        activate_tag_model(session, person(session, world.officer), model_id, now=later(hours=1))


def test_models_are_stored_as_numbered_versions_switched_off_with_their_bytes(world):
    first, second = store(world, b"one"), store(world, b"two", when=later(days=1))
    assert (first.version, second.version) == (1, 2)
    with read_scope(world.engine) as session:
        models = tag_models(session, world.consultation)
        assert [(m.version, m.data, m.active) for m in models] == [
            (2, b"two", False),
            (1, b"one", False),
        ]
        assert models[0].figures == FIGURES
        assert models[0].labels == ["asylum", "nrpf"]
        assert models[0].created_by_id == world.officer
        assert active_tag_model(session, world.consultation) is None


def test_switching_a_model_on_switches_the_other_off_and_is_audited(world):
    first, second = store(world), store(world)
    switch_on(world, first.id)
    switch_on(world, second.id)
    with read_scope(world.engine) as session:
        active = active_tag_model(session, world.consultation)
        events = session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_type == "tag_model")
        ).all()
    assert (active.id, active.activated_by_id, active.activated_at) == (
        second.id,
        world.officer,
        later(hours=1),
    )
    assert events.count("tag_model.activated") == 2
    with session_scope(world.engine) as session:
        deactivate_tag_model(session, person(session, world.officer), second.id, now=NOW)
    with read_scope(world.engine) as session:
        assert active_tag_model(session, world.consultation) is None


def test_the_database_allows_one_model_switched_on_per_consultation(world):
    first, second = store(world), store(world)
    switch_on(world, first.id)
    with pytest.raises(IntegrityError), session_scope(world.engine) as session:
        session.get(TagModel, second.id).active = True


def test_an_empty_model_is_not_saved(world):
    with pytest.raises(WorkbenchError, match="The trained model is empty"):
        store(world, b"")


@pytest.mark.parametrize("role", ["partner", "board"])
def test_partners_and_board_members_cannot_save_or_switch_models(world, role):
    model = store(world)
    who = world.partners[0] if role == "partner" else world.board
    for call in (
        lambda s, me: save_tag_model(
            s, me, world.consultation, data=b"x", labels=[], figures={}, now=NOW
        ),
        lambda s, me: activate_tag_model(s, me, model.id, now=NOW),
    ):
        with (
            pytest.raises(AccessDenied, match="Only policy officers can do this"),
            session_scope(world.engine) as session,
        ):
            call(session, person(session, who))
    with read_scope(world.engine) as session:
        assert [m.version for m in tag_models(session, world.consultation)] == [1]
        assert active_tag_model(session, world.consultation) is None
