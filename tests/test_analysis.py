"""Counting what partners said: positions, themes by partners and by sector, filters and search."""

from __future__ import annotations

from datetime import date

import pytest

from evidence.analysis import (
    NO_POSITION,
    AnswerFilter,
    PositionCount,
    filter_answers,
    partner_count,
    position_counts,
    themes_by_partners,
    themes_by_sector,
)
from evidence.facts import AnswerFact, Evidence, QuestionFact, ThemeFact

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
