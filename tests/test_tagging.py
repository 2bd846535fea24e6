"""Tagging answers: on every save and import, in bulk with progress, and never at a save's cost."""

from __future__ import annotations

import logging
import threading

import pytest
from sqlalchemy import func, select

from consultations.db import read_scope, session_scope
from consultations.errors import AccessDenied
from consultations.models import AuditEvent, User
from evidence.models import Answer, AnswerEvidence, TagDecision, TagSuggestion, Theme
from evidence.submissions import AnswerInput, import_answers
from evidence.tagger import TaxonomyError
from evidence.tagging import (
    current_taxonomy,
    retag_consultation,
    tagger_for,
    tagging_status,
)
from evidence.themes import add_phrase, consultation_themes
from tests.conftest import NOW
from tests.tagging_world import (
    ESOL,
    HOTELS,
    NOTHING,
    NRPF_BELFAST,
    SPOUSE_VISAS,
    TODAY,
    build_world,
    person,
    save,
    theme_id,
)


@pytest.fixture
def world(engine):
    return build_world(engine)


def suggested(engine, answer_id: int) -> dict[str, TagSuggestion]:
    with read_scope(engine) as session:
        rows = session.execute(
            select(Theme.key, TagSuggestion)
            .join(Theme, Theme.id == TagSuggestion.theme_id)
            .where(TagSuggestion.answer_id == answer_id)
        ).all()
    return dict(rows)


def evidence_of(engine, answer_id: int) -> AnswerEvidence | None:
    with read_scope(engine) as session:
        return session.get(AnswerEvidence, answer_id)


def break_taxonomy(engine, world) -> None:
    """Store a theme whose phrases are not a list: the tagger cannot be built from it."""
    with session_scope(engine) as session:
        current_taxonomy(session, world.consultation, now=NOW)
        theme = session.get(Theme, theme_id(session, world, "family"))
        theme.patterns = {"phrase": "spouse visa"}


# --- on save ---------------------------------------------------------------------------------


def test_saving_an_answer_tags_it_in_the_same_transaction(engine, world):
    answer = save(world, 0, 0, NRPF_BELFAST)
    tags = suggested(engine, answer.id)
    assert set(tags) == {"nrpf", "asylum", "regional"}
    assert tags["nrpf"].source == "rules"
    assert tags["nrpf"].score == 4.0
    evidence = evidence_of(engine, answer.id)
    assert evidence.regional is True
    assert [place["name"] for place in evidence.places] == ["Belfast"]
    assert evidence.figures == [{"start": 0, "end": 70, "kinds": ["percentage"]}]
    assert evidence.answer_version == answer.version


def test_the_first_save_copies_the_default_themes_into_the_consultation(engine, world):
    save(world, 0, 0, SPOUSE_VISAS)
    save(world, 1, 0, ESOL)
    with read_scope(engine) as session:
        assert len(consultation_themes(session, world.consultation)) == 18
        copies = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "themes.copied")
        ).all()
    assert len(copies) == 1
    assert copies[0].actor_label == "the workbench"


def test_matched_spans_point_at_the_phrases_and_their_sentence(engine, world):
    answer = save(world, 0, 0, NRPF_BELFAST)
    spans = suggested(engine, answer.id)["nrpf"].spans
    assert [NRPF_BELFAST[m["start"] : m["end"]] for m in spans["matches"]] == [
        m["phrase"] for m in spans["matches"]
    ]
    assert [m["phrase"] for m in spans["matches"]] == ["NRPF", "destitute"]
    assert spans["sentences"] == [[0, 70]]


def test_saving_again_replaces_the_suggestions_for_the_new_text(engine, world):
    first = save(world, 0, 0, NRPF_BELFAST)
    second = save(world, 0, 0, SPOUSE_VISAS, seen=first.version)
    assert set(suggested(engine, second.id)) == {"family"}
    evidence = evidence_of(engine, second.id)
    assert (evidence.places, evidence.regional) == ([], False)


def test_tagging_leaves_the_answer_version_alone_so_the_partner_can_save_again(engine, world):
    first = save(world, 0, 0, ESOL)
    assert first.version == 1
    second = save(world, 0, 0, ESOL + " Colleges have waiting lists.", seen=1)
    assert second.version == 2


def test_a_comment_with_no_theme_gets_no_suggestion_but_is_marked_tagged(engine, world):
    answer = save(world, 0, 0, NOTHING)
    assert suggested(engine, answer.id) == {}
    assert evidence_of(engine, answer.id).answer_version == answer.version


def import_two(engine, world) -> dict[int, tuple[int, int, str]]:
    """Partner 0 imports answers to the first two questions; return question -> (id, version,
    text) of the submission's answers afterwards."""
    with session_scope(engine) as session:
        submission = import_answers(
            session,
            session.get(User, world.partners[0]),
            world.consultation,
            [
                AnswerInput(question_id=world.questions[0], text=SPOUSE_VISAS),
                AnswerInput(question_id=world.questions[1], text=HOTELS),
            ],
            source="response.xlsx",
            today=TODAY,
            now=NOW,
        )
        return {a.question_id: (a.id, a.version, a.text) for a in submission.answers}


def test_importing_answers_tags_each_changed_answer(engine, world):
    answers = import_two(engine, world)
    assert set(suggested(engine, answers[world.questions[0]][0])) == {"family"}
    assert set(suggested(engine, answers[world.questions[1]][0])) == {"asylum", "accommodation"}


def test_importing_over_a_saved_answer_replaces_its_tags_and_adds_the_new_ones(engine, world):
    saved = save(world, 0, 0, NRPF_BELFAST)
    answers = import_two(engine, world)
    assert answers[world.questions[0]] == (saved.id, 2, SPOUSE_VISAS)
    assert answers[world.questions[1]][1:] == (1, HOTELS)
    assert set(suggested(engine, saved.id)) == {"family"}
    evidence = evidence_of(engine, saved.id)
    assert (evidence.places, evidence.regional, evidence.answer_version) == ([], False, 2)
    new_id = answers[world.questions[1]][0]
    assert set(suggested(engine, new_id)) == {"asylum", "accommodation"}
    assert evidence_of(engine, new_id).answer_version == 1


# --- a tagging failure never costs the save ----------------------------------------------------


def test_a_broken_taxonomy_leaves_the_save_standing_and_the_answer_untagged(engine, world, caplog):
    tagged = save(world, 0, 0, NRPF_BELFAST)
    assert suggested(engine, tagged.id)
    break_taxonomy(engine, world)
    with caplog.at_level(logging.ERROR, logger="workbench.tagging"):
        resaved = save(world, 0, 0, SPOUSE_VISAS, seen=tagged.version)
        fresh = save(world, 1, 0, ESOL)
    with read_scope(engine) as session:
        texts = {a.id: a.text for a in session.scalars(select(Answer))}
        decisions = session.scalar(select(func.count()).select_from(TagDecision))
    assert texts == {resaved.id: SPOUSE_VISAS, fresh.id: ESOL}
    assert resaved.version == 2
    # Old tags are for old text: the answer is left untagged rather than wrongly tagged.
    assert suggested(engine, resaved.id) == {}
    assert evidence_of(engine, resaved.id) is None
    assert suggested(engine, fresh.id) == {}
    assert decisions == 0
    failures = [r for r in caplog.records if "left untagged" in r.getMessage()]
    assert len(failures) == 2
    assert "TaxonomyError" in failures[0].exc_text


def test_a_broken_taxonomy_stops_a_retag_with_a_message_that_says_what_is_wrong(engine, world):
    save(world, 0, 0, ESOL)
    break_taxonomy(engine, world)
    with pytest.raises(TaxonomyError, match="theme 'family' has patterns that are not a list"):
        retag_consultation(engine, world.officer, world.consultation)


# --- re-tagging in bulk ----------------------------------------------------------------------


def test_retag_tags_every_answer_in_batches_and_reports_progress(engine, world):
    texts = [NRPF_BELFAST, SPOUSE_VISAS, ESOL, HOTELS, NOTHING]
    saved = [save(world, n % 3, n // 3, text) for n, text in enumerate(texts)]
    with session_scope(engine) as session:
        add_phrase(
            session,
            person(session, world.officer),
            theme_id(session, world, "partnership"),
            "nothing to add",
            weight=2.0,
            now=NOW,
        )
    with read_scope(engine) as session:
        before = tagging_status(session, world.consultation)
    assert (before.answers, before.current, before.outdated, before.untagged) == (5, 0, 5, 0)
    calls = []
    result = retag_consultation(
        engine,
        world.officer,
        world.consultation,
        batch_size=2,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert (result.answers, result.batches) == (5, 3)
    assert set(suggested(engine, saved[4].id)) == {"partnership"}
    assert set(suggested(engine, saved[1].id)) == {"family"}
    with read_scope(engine) as session:
        after = tagging_status(session, world.consultation)
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "answers.retagged"))
    assert (after.current, after.outdated, after.untagged) == (5, 0, 0)
    assert event.actor_id == world.officer
    assert event.detail["answers"] == 5


def test_retag_keeps_every_decision_people_made(engine, world):
    from evidence.review import decide

    answer = save(world, 0, 0, NRPF_BELFAST)
    with session_scope(engine) as session:
        decide(
            session,
            person(session, world.officer),
            answer.id,
            theme_id(session, world, "nrpf"),
            accepted=True,
            now=NOW,
        )
    retag_consultation(engine, world.officer, world.consultation)
    with read_scope(engine) as session:
        decisions = session.scalars(select(TagDecision)).all()
    assert [(d.answer_id, d.accepted, d.decided_by_id) for d in decisions] == [
        (answer.id, True, world.officer)
    ]


@pytest.mark.parametrize("role", ["partner", "board"])
def test_retag_is_refused_to_partners_and_board_members(engine, world, role):
    save(world, 0, 0, ESOL)
    who = world.partners[0] if role == "partner" else world.board
    with pytest.raises(AccessDenied, match="Only policy officers can do this"):
        retag_consultation(engine, who, world.consultation)
    with read_scope(engine) as session:
        assert not session.scalars(
            select(AuditEvent).where(AuditEvent.action == "answers.retagged")
        ).all()


def test_the_tagger_is_built_once_per_set_of_phrases(engine, world):
    with session_scope(engine) as session:
        first = current_taxonomy(session, world.consultation, now=NOW)
        again = current_taxonomy(session, world.consultation, now=NOW)
        assert first.key == again.key
        assert tagger_for(first) is tagger_for(again)
        add_phrase(
            session,
            person(session, world.officer),
            theme_id(session, world, "health"),
            "dental care",
            now=NOW,
        )
        changed = current_taxonomy(session, world.consultation, now=NOW)
    assert changed.key != first.key
    assert tagger_for(changed) is not tagger_for(first)


def test_partners_saving_during_a_retag_lose_nothing_and_keep_tags_for_their_new_text(
    engine, world
):
    saved = [save(world, n % 3, n // 3 % 3, NRPF_BELFAST) for n in range(9)]
    problems: list[BaseException] = []

    def retag() -> None:
        try:
            retag_consultation(engine, world.officer, world.consultation, batch_size=2)
        except BaseException as exc:  # reported by the assertion below
            problems.append(exc)

    worker = threading.Thread(target=retag)
    worker.start()
    resaved = [save(world, n % 3, n // 3 % 3, SPOUSE_VISAS, seen=1) for n in range(9)]
    worker.join()
    assert problems == []
    with read_scope(engine) as session:
        texts = {a.id: (a.text, a.version) for a in session.scalars(select(Answer))}
    assert texts == {a.id: (SPOUSE_VISAS, 2) for a in saved}
    for answer in resaved:
        assert set(suggested(engine, answer.id)) == {"family"}
        assert evidence_of(engine, answer.id).answer_version == 2
