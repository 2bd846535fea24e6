"""An import beside the saved answers it replaces; newer answers are not replaced without a yes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consultations.dates import plain_datetime
from consultations.db import read_scope, session_scope
from evidence.import_preview import (
    import_rows,
    saved_answers,
    saved_since,
    saved_versions,
    versions_to_import,
)
from evidence.models import Answer
from evidence.submissions import AnswerInput, AnswersOvertaken, import_answers
from tests.conftest import NOW
from tests.tagging_world import TODAY, build_world, person, save


@pytest.fixture
def world(engine):
    return build_world(engine)


def checked(world):
    """What the officer sees when they check a file for partner 0's organisation."""
    with read_scope(world.engine) as session:
        return saved_answers(
            session,
            person(session, world.officer),
            world.consultation,
            organisation_id=world.organisations[0],
        )


def file_answers(world):
    return [
        AnswerInput(world.questions[0], text="From the file: one."),
        AnswerInput(world.questions[1], text="Saved already."),
        AnswerInput(world.questions[2], text="From the file: three."),
    ]


def do_import(world, seen):
    with session_scope(world.engine) as session:
        import_answers(
            session,
            person(session, world.officer),
            world.consultation,
            file_answers(world),
            organisation_id=world.organisations[0],
            source="response.docx",
            today=TODAY,
            now=NOW,
            seen_versions=seen,
        )


def texts(world):
    with read_scope(world.engine) as session:
        return session.scalars(select(Answer.text).order_by(Answer.question_id)).all()


def test_the_preview_says_which_saved_answer_each_row_replaces(world):
    save(world, 0, 0, "Typed on the answer page.")
    save(world, 0, 1, "Saved already.")
    saved = checked(world)
    numbers = dict(zip(world.questions, ["Q1", "Q2", "Q3"], strict=True))
    rows = import_rows(file_answers(world), saved, saved_versions(saved), numbers)
    assert [row.replaces_phrase() for row in rows] == [
        f"Replaces the answer saved by Test Partner on {plain_datetime(NOW)}",
        "Already saved: no change",
        "New: nothing saved yet",
    ]
    assert rows[0].replaces.text == "Typed on the answer page."
    assert saved_since(rows) == []


def test_an_import_refuses_answers_saved_again_since_the_file_was_checked(world):
    first = save(world, 0, 0, "Typed on the answer page.")
    seen = saved_versions(checked(world))
    save(world, 0, 0, "A colleague's newer answer.", seen=first.version)
    save(world, 0, 2, "Another newer answer.")
    with pytest.raises(
        AnswersOvertaken, match=r"Newer answers were saved after you checked this file \(Q1 by"
    ) as refused:
        do_import(world, seen)
    assert set(refused.value.question_ids) == {world.questions[0], world.questions[2]}
    assert texts(world) == ["A colleague's newer answer.", "Another newer answer."]  # untouched


def test_newer_answers_are_replaced_once_the_person_has_seen_them_and_said_yes(world):
    seen = saved_versions(checked(world))
    save(world, 0, 0, "A colleague's newer answer.")
    numbers = dict(zip(world.questions, ["Q1", "Q2", "Q3"], strict=True))
    rows = import_rows(file_answers(world), checked(world), seen, numbers)
    assert [row.number for row in saved_since(rows)] == ["Q1"]
    assert rows[0].replaces_phrase().endswith("(saved after you checked the file)")
    with pytest.raises(AnswersOvertaken):
        do_import(world, versions_to_import(rows, seen, replace_newer=False))
    do_import(world, versions_to_import(rows, seen, replace_newer=True))
    assert texts(world) == ["From the file: one.", "Saved already.", "From the file: three."]
