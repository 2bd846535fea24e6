"""Draft versions on a real database: assemble, edit a section, regenerate, compare, refuse."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from consultations.errors import AccessDenied, StaleEdit
from consultations.models import AuditEvent
from exports.draft_model import AnswerFact, Block, Evidence, QuestionFact, ThemeFact
from exports.drafts import (
    assemble_draft,
    compare,
    draft_of,
    latest,
    regenerate_section,
    save_section,
    section_lines,
    versions,
)
from exports.models import DraftVersion
from tests.conftest import NOW, add_consultation, add_person, later

BELFAST = "A single UK threshold is unfair in Belfast, where 40% of workers earn under £29,000."
AGREEMENT = ("Agree", "Disagree", "Neither agree nor disagree", "Don't know")


def evidence_for(consultation_id_questions: list[int], answers=()) -> Evidence:
    first, second = consultation_id_questions[:2]
    return Evidence(
        partnership="Northern Ireland Strategic Migration Partnership",
        region="Northern Ireland",
        title="Family migration: a consultation",
        reference="HO-FM-1",
        department="Home Office",
        closes_on=date(2026, 12, 24),
        about="",
        questions=(
            QuestionFact(first, "Q1", "Do you agree with a minimum income?", "hybrid", AGREEMENT),
            QuestionFact(second, "Q2", "What would it mean for your area?", "open"),
        ),
        themes=(
            ThemeFact("family", "Family migration"),
            ThemeFact("employment", "Employment, skills and labour market"),
        ),
        answers=tuple(answers),
        today=date(2026, 11, 29),
    )


def answers_for(first: int, second: int) -> list[AnswerFact]:
    return [
        AnswerFact(
            1,
            first,
            "Belfast Metropolitan Council",
            "local authority",
            "named",
            "Disagree",
            BELFAST,
            themes=("family",),
            figures=(BELFAST,),
            regional=True,
        ),
        AnswerFact(
            2,
            first,
            "Eastern Health and Care Trust",
            "health",
            "sector",
            "Disagree",
            "Care workers recruited from overseas earn below the threshold.",
            themes=("employment",),
        ),
        AnswerFact(
            3,
            second,
            "Law Centre NI",
            "voluntary and community",
            "anonymous",
            "",
            "Families would be split and children would grow up apart from a parent.",
            themes=("family",),
        ),
    ]


@pytest.fixture
def world(session):
    officer = add_person(session, "officer")
    other = add_person(session, "officer", email="second@example.org")
    other.name = "Second Officer"
    consultation = add_consultation(session, officer, questions=2)
    ids = [q.id for q in consultation.questions]
    evidence = evidence_for(ids, answers_for(*ids))
    return {"officer": officer, "other": other, "cid": consultation.id, "evidence": evidence}


def first_draft(session, world):
    return assemble_draft(session, world["officer"], world["evidence"], world["cid"], now=NOW)


def test_assembling_makes_version_one_with_every_section_and_audits_it(session, world):
    saved = first_draft(session, world)

    draft = draft_of(saved)
    assert saved.number == 1 and saved.change == "assembled"
    assert draft.status == "Draft v1 for board review"
    keys = [s.key for s in draft.sections]
    assert keys[:3] == ["cover", "about", "summary"] and keys[-2:] == ["recommendations", "annex"]
    assert len([k for k in keys if k.startswith("question-")]) == 2
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "draft.assembled"))
    assert event.actor_id == world["officer"].id and event.detail["number"] == 1


def test_saving_a_section_makes_the_next_version_and_keeps_the_first(session, world):
    one = first_draft(session, world)
    section = draft_of(one).section("recommendations")
    edited = replace(section, blocks=[Block("paragraph", "Publish a regional impact assessment.")])

    two = save_section(session, world["officer"], world["cid"], edited, seen=1, now=later(hours=1))

    assert [v.number for v in versions(session, world["officer"], world["cid"])] == [2, 1]
    assert draft_of(two).section("recommendations").blocks[0].text.startswith("Publish")
    assert draft_of(one).section("recommendations") == section  # version 1 unchanged
    assert draft_of(two).status == "Draft v2 for board review"
    assert "Draft v2 for board review" in [b.text for b in draft_of(two).section("cover").blocks]
    assert two.note == f"Edited '{section.heading}'"


def test_a_second_save_of_the_same_section_is_refused_with_the_others_text(session, world):
    first_draft(session, world)
    mine = draft_of(latest(session, world["cid"])).section("recommendations")
    theirs = replace(mine, blocks=[Block("paragraph", "Their recommendation.")])
    save_section(session, world["other"], world["cid"], theirs, seen=1, now=later(hours=1))

    with pytest.raises(StaleEdit, match="Second Officer saved a new version") as refused:
        save_section(
            session,
            world["officer"],
            world["cid"],
            replace(mine, blocks=[Block("paragraph", "My recommendation.")]),
            seen=1,
            now=later(hours=2),
        )
    assert refused.value.current["Their text"] == "Their recommendation."
    assert latest(session, world["cid"]).number == 2


def test_saves_of_different_sections_from_one_version_both_stand(session, world):
    one = draft_of(first_draft(session, world))
    summary = replace(one.section("summary"), blocks=[Block("paragraph", "Our summary.")])
    recommendations = replace(
        one.section("recommendations"), blocks=[Block("paragraph", "Our recommendations.")]
    )
    save_section(session, world["other"], world["cid"], summary, seen=1, now=later(hours=1))
    three = save_section(
        session, world["officer"], world["cid"], recommendations, seen=1, now=later(hours=2)
    )

    merged = draft_of(three)
    assert merged.section("summary").blocks[0].text == "Our summary."
    assert merged.section("recommendations").blocks[0].text == "Our recommendations."


def test_regenerating_a_section_writes_it_afresh_from_the_evidence(session, world):
    one = draft_of(first_draft(session, world))
    key = next(s.key for s in one.sections if s.key.startswith("question-"))
    emptied = replace(one.section(key), blocks=[])
    save_section(session, world["officer"], world["cid"], emptied, seen=1, now=later(hours=1))

    three = regenerate_section(
        session, world["officer"], world["evidence"], world["cid"], key, seen=2, now=later(hours=2)
    )

    assert three.change == "regenerated"
    assert draft_of(three).section(key).blocks == one.section(key).blocks


def test_compare_marks_what_changed_section_by_section(session, world):
    one = draft_of(first_draft(session, world))
    section = one.section("recommendations")
    edited = replace(
        section, blocks=[*section.blocks, Block("paragraph", "Fund advice services in Newry.")]
    )
    two = draft_of(
        save_section(session, world["officer"], world["cid"], edited, seen=1, now=later(hours=1))
    )

    changes = {c.key: c for c in compare(one, two)}
    assert changes["recommendations"].status == "changed"
    assert ("+", "Fund advice services in Newry.") in changes["recommendations"].lines
    assert changes["summary"].status == "same"
    # The status line moved from v1 to v2: that is the version number, not a change of words.
    assert changes["cover"].status == "same"


def test_compare_shows_a_change_to_the_cover_but_not_its_status_line(session, world):
    one = draft_of(first_draft(session, world))
    cover = one.section("cover")
    title = next(b for b in cover.blocks if b.text != one.status)
    retitled = replace(
        cover,
        blocks=[replace(b, text="A new title") if b is title else b for b in cover.blocks],
    )
    two = draft_of(
        save_section(session, world["officer"], world["cid"], retitled, seen=1, now=later(hours=1))
    )
    change = {c.key: c for c in compare(one, two)}["cover"]
    assert change.status == "changed"
    assert [line for line in change.lines if line[0] != " "] == [
        ("-", title.text),
        ("+", "A new title"),
    ]


def test_excluded_blocks_are_left_out_of_what_a_reader_sees(session, world):
    section = draft_of(first_draft(session, world)).section("about")
    hidden = replace(section, blocks=[replace(b, included=False) for b in section.blocks])
    assert section_lines(hidden) == []


@pytest.mark.parametrize("role", ["partner", "board"])
def test_only_officers_work_on_drafts(session, world, role):
    person = add_person(session, role)
    with pytest.raises(AccessDenied):
        assemble_draft(session, person, world["evidence"], world["cid"], now=NOW)
    first_draft(session, world)
    with pytest.raises(AccessDenied):
        versions(session, person, world["cid"])
    assert session.scalar(select(DraftVersion.number)) == 1
