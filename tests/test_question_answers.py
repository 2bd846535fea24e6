"""Editing a question partners have answered keeps their answers: migrated, or refused, and said."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from consultations.db import read_scope, session_scope
from consultations.errors import ValidationFailed
from consultations.models import AuditEvent, Question
from consultations.questions import QuestionForm, update_question
from evidence.models import Answer
from evidence.submissions import AnswerInput, save_answer
from tests.conftest import NOW
from tests.tagging_world import TODAY, build_world, person

DEFAULT = ("Agree", "Disagree", "Neither agree nor disagree", "Don't know")


@pytest.fixture
def world(engine):
    world = build_world(engine)
    for partner, position in ((0, "Agree"), (1, "Agree"), (2, "Disagree")):
        with session_scope(engine) as session:
            save_answer(
                session,
                person(session, world.partners[partner]),
                world.consultation,
                AnswerInput(world.questions[0], position=position, text="Our reasons."),
                seen_version=0,
                today=TODAY,
                now=NOW,
            )
    return world


def edit(world, kind: str, options: tuple[str, ...]):
    with session_scope(world.engine) as session:
        version = session.get(Question, world.questions[0]).version
        return update_question(
            session,
            person(session, world.officer),
            world.questions[0],
            seen_version=version,
            form=QuestionForm("Q1", "Do you agree with proposal 1?", kind, options),
            now=NOW,
        ).note()


def positions(world) -> list[str]:
    with read_scope(world.engine) as session:
        return list(
            session.scalars(
                select(Answer.position)
                .where(Answer.question_id == world.questions[0])
                .order_by(Answer.id)
            )
        )


def test_rewording_an_answered_option_carries_its_answers_over_and_says_so(world):
    note = edit(world, "hybrid", ("Strongly agree", *DEFAULT[1:], "Not sure"))
    assert note == "2 answers that chose 'Agree' now say 'Strongly agree'."
    assert positions(world) == ["Strongly agree", "Strongly agree", "Disagree"]
    with read_scope(world.engine) as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "question.updated"))
        versions = set(session.scalars(select(Answer.version)))
    assert event.detail["carried"] == {"Agree": "Strongly agree"}
    assert versions == {1}  # the partners' own answers are as they wrote them


def test_dropping_an_option_partners_chose_is_refused_and_says_which_answers(world):
    with pytest.raises(
        ValidationFailed,
        match=re.escape(
            "1 answer to Q1 chose 'Disagree', which the new options no longer have; keep that "
            "option, or reword it where it stands in the list"
        ),
    ):
        edit(world, "closed", ("Agree", "Neither agree nor disagree", "Don't know"))
    assert positions(world) == ["Agree", "Agree", "Disagree"]


def test_making_an_answered_question_open_is_refused_while_answers_hold_positions(world):
    with pytest.raises(
        ValidationFailed,
        match=re.escape(
            "3 answers to Q1 chose a position ('Agree' (2), 'Disagree' (1)), and an open "
            "question takes none"
        ),
    ):
        edit(world, "open", ())
    with read_scope(world.engine) as session:
        assert session.get(Question, world.questions[0]).kind == "hybrid"
    assert positions(world) == ["Agree", "Agree", "Disagree"]


def test_an_unanswered_option_can_be_dropped_and_an_answered_question_reworded(world):
    assert edit(world, "closed", ("Agree", "Disagree")) == ""
    assert positions(world) == ["Agree", "Agree", "Disagree"]


def test_the_questions_page_says_which_answers_followed_a_reworded_option(open_page, world):
    from tests.test_pages import texts

    with read_scope(world.engine) as session:
        officer = person(session, world.officer)
    app = open_page(
        "consultations/pages/questions.py",
        as_user=officer,
        query={"consultation": str(world.consultation)},
    )
    options = next(t for t in app.text_area if t.label == "Options, one per line")
    options.input("\n".join(("Yes", *DEFAULT[1:])))
    next(b for b in app.button if b.label == "Save question").click().run()
    assert not app.exception
    assert "Q1 saved. 2 answers that chose 'Agree' now say 'Yes'." in texts(app)
    assert positions(world) == ["Yes", "Yes", "Disagree"]
