"""Counting what partners said: positions, themes by partners and by sector, filters and search."""

from __future__ import annotations

from datetime import date

import pytest

from consultations.db import read_scope, session_scope
from consultations.errors import AccessDenied
from consultations.models import User
from evidence.analysis import (
    NO_POSITION,
    AnswerFilter,
    PositionCount,
    evidence_stamp,
    filter_answers,
    load_evidence,
    partner_count,
    position_counts,
    themes_by_partners,
    themes_by_sector,
)
from evidence.facts import AnswerFact, Evidence, QuestionFact, ThemeFact
from evidence.review import add_theme_by_hand, decide
from evidence.submissions import submit
from tests.conftest import NOW
from tests.tagging_world import (
    ESOL,
    HOTELS,
    NRPF_BELFAST,
    SPOUSE_VISAS,
    build_world,
    save,
    theme_id,
)
from tests.tagging_world import TODAY as TAGGING_TODAY

AGREEMENT = ("Agree", "Disagree", "Neither agree nor disagree", "Don't know")


def answer(n, question, organisation, sector, position="", themes=(), **more) -> AnswerFact:
    return AnswerFact(
        answer_id=n,
        question_id=question,
        organisation=organisation,
        sector=sector,
        consent="named",
        position=position,
        text=more.pop("text", f"Answer {n}."),
        themes=tuple(themes),
        **more,
    )


@pytest.fixture
def evidence() -> Evidence:
    answers = (
        answer(1, 1, "Belfast City Council", "local authority", "Disagree", ["housing", "nrpf"]),
        answer(2, 1, "Derry City Council", "local authority", "Disagree", ["housing"]),
        answer(3, 1, "Law Centre NI", "voluntary and community", "Agree", ["legal_rights"]),
        answer(4, 1, "Eastern Health Trust", "health", "", ["health", "housing"]),
        answer(
            5,
            2,
            "Belfast City Council",
            "local authority",
            text="We housed 120 families in Belfast last year.",
            themes=["housing"],
            figures=("We housed 120 families in Belfast last year.",),
            places=("Belfast",),
            regional=True,
        ),
        answer(6, 2, "Law Centre NI", "voluntary and community", themes=["legal_rights", "nrpf"]),
    )
    return Evidence(
        partnership="Northern Ireland Strategic Migration Partnership",
        region="Northern Ireland",
        title="Family migration",
        reference="HO-1",
        department="Home Office",
        closes_on=date(2026, 12, 24),
        about="",
        questions=(
            QuestionFact(1, "Q1", "Do you agree?", "hybrid", AGREEMENT),
            QuestionFact(2, "Q2", "What would it mean for your area?", "open"),
        ),
        themes=(
            ThemeFact("housing", "Housing and accommodation"),
            ThemeFact("nrpf", "No recourse to public funds"),
            ThemeFact("health", "Health and wellbeing"),
            ThemeFact("legal_rights", "Legal advice, rights and equality"),
        ),
        answers=answers,
        today=date(2026, 11, 29),
    )


def test_positions_follow_the_options_with_zeros_and_no_position_last(evidence):
    assert position_counts(evidence, 1) == [
        PositionCount("Agree", 1),
        PositionCount("Disagree", 2),
        PositionCount("Neither agree nor disagree", 0),
        PositionCount("Don't know", 0),
        PositionCount(NO_POSITION, 1),
    ]


def test_an_open_question_counts_partners_without_a_position(evidence):
    assert position_counts(evidence, 2) == [PositionCount(NO_POSITION, 2)]


def test_two_people_of_one_organisation_count_as_one_partner(evidence):
    again = answer(9, 1, "Belfast City Council", "local authority", "Disagree", ["housing"])
    doubled = Evidence(**{**evidence.__dict__, "answers": (*evidence.answers, again)})
    assert position_counts(doubled, 1)[1] == PositionCount("Disagree", 2)
    housing = next(t for t in themes_by_partners(doubled, 1) if t.theme_id == "housing")
    assert (housing.partners, housing.answers) == (3, 4)


def test_themes_come_most_partners_first_then_most_answers_then_taxonomy_order(evidence):
    counts = themes_by_partners(evidence)
    assert [(c.theme_id, c.partners, c.answers) for c in counts] == [
        ("housing", 3, 4),
        ("nrpf", 2, 2),
        ("legal_rights", 1, 2),
        ("health", 1, 1),
    ]
    assert [c.theme_id for c in themes_by_partners(evidence, 2)] == [
        "housing",
        "nrpf",
        "legal_rights",
    ]


def test_themes_unknown_to_the_consultation_are_left_out(evidence):
    stray = answer(7, 1, "Police NI", "police and justice", "Agree", ["dropped_theme"])
    more = Evidence(**{**evidence.__dict__, "answers": (*evidence.answers, stray)})
    assert "dropped_theme" not in {c.theme_id for c in themes_by_partners(more)}


def test_themes_by_sector_counts_partners_per_pair(evidence):
    rows = {(r.sector, r.theme_id): r.partners for r in themes_by_sector(evidence)}
    assert rows[("local authority", "housing")] == 2
    assert rows[("voluntary and community", "nrpf")] == 1
    assert ("health", "nrpf") not in rows


@pytest.mark.parametrize(
    ("chosen", "ids"),
    [
        (AnswerFilter(), [1, 2, 4, 3, 5, 6]),
        (AnswerFilter(question_id=1), [1, 2, 4, 3]),
        (AnswerFilter(theme_id="nrpf"), [1, 6]),
        (AnswerFilter(sector="local authority"), [1, 2, 5]),
        (AnswerFilter(question_id=1, position="Disagree"), [1, 2]),
        (AnswerFilter(position=NO_POSITION, question_id=1), [4]),
        (AnswerFilter(has_figures=True), [5]),
        (AnswerFilter(regional=False, question_id=2), [6]),
        (AnswerFilter(search="  FAMILIES belfast "), [5]),
        (AnswerFilter(search="law centre"), [3, 6]),
        (AnswerFilter(search="nothing like this"), []),
    ],
)
def test_filters_combine_and_search_is_any_case_every_word(evidence, chosen, ids):
    assert [a.answer_id for a in filter_answers(evidence, chosen)] == ids


def test_partner_count_counts_organisations(evidence):
    assert partner_count(evidence.answers) == 4


# --- Loading the evidence from the database -------------------------------------------------


def submit_for(world, partner: int, consent: str) -> None:
    with session_scope(world.engine) as session:
        submit(
            session,
            session.get(User, world.partners[partner]),
            world.consultation,
            consent=consent,
            today=TAGGING_TODAY,
            now=NOW,
        )


def load(world) -> Evidence:
    with read_scope(world.engine) as session:
        return load_evidence(
            session,
            session.get(User, world.officer),
            world.consultation,
            today=TAGGING_TODAY,
            partnership="Northern Ireland Strategic Migration Partnership",
            region="Northern Ireland",
        )


def test_loaded_evidence_holds_submitted_answers_with_their_tags_and_consent(engine):
    world = build_world(engine)
    save(world, 0, 0, NRPF_BELFAST)
    save(world, 0, 1, SPOUSE_VISAS)
    save(world, 1, 0, ESOL)
    save(world, 2, 0, HOTELS)  # never submitted: not evidence yet
    submit_for(world, 0, "named")
    submit_for(world, 1, "sector")

    evidence = load(world)

    by_text = {a.text: a for a in evidence.answers}
    assert set(by_text) == {NRPF_BELFAST, SPOUSE_VISAS, ESOL}
    nrpf = by_text[NRPF_BELFAST]
    assert (nrpf.organisation, nrpf.consent) == ("Partner organisation 1", "named")
    assert "nrpf" in nrpf.themes and nrpf.regional and "Belfast" in nrpf.places
    assert any("40%" in sentence for sentence in nrpf.figures)
    assert any(key == "nrpf" and "NRPF" in sentence for key, sentence in nrpf.theme_sentences)
    assert by_text[ESOL].consent == "sector"
    assert [q.number for q in evidence.questions] == ["Q1", "Q2", "Q3"]
    assert {t.id for t in evidence.themes} >= {"nrpf", "family", "language_education"}


def test_a_persons_decisions_override_the_suggestions(engine):
    world = build_world(engine)
    answer = save(world, 0, 0, NRPF_BELFAST)
    submit_for(world, 0, "named")
    with session_scope(engine) as session:
        officer = session.get(User, world.officer)
        decide(
            session, officer, answer.id, theme_id(session, world, "nrpf"), accepted=False, now=NOW
        )
        add_theme_by_hand(session, officer, answer.id, theme_id(session, world, "funding"), now=NOW)

    (loaded,) = load(world).answers
    assert "nrpf" not in loaded.themes
    assert "funding" in loaded.themes


def test_only_officers_load_the_evidence(engine):
    world = build_world(engine)
    with read_scope(engine) as session, pytest.raises(AccessDenied):
        load_evidence(
            session,
            session.get(User, world.partners[0]),
            world.consultation,
            today=TAGGING_TODAY,
            partnership="",
            region="Northern Ireland",
        )


def test_the_evidence_stamp_changes_with_a_decision_and_only_then(engine):
    world = build_world(engine)
    answer = save(world, 0, 0, NRPF_BELFAST)
    submit_for(world, 0, "named")

    def stamp():
        with read_scope(engine) as session:
            return evidence_stamp(session, session.get(User, world.officer), world.consultation)

    before = stamp()
    assert stamp() == before
    with session_scope(engine) as session:
        officer = session.get(User, world.officer)
        decide(
            session, officer, answer.id, theme_id(session, world, "nrpf"), accepted=False, now=NOW
        )
    assert stamp() != before
