"""A consultation's questions: numbers, kinds and options, adding, importing (all or nothing),
editing, reordering and deleting (never once answered)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import (
    Column,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    Table,
    insert,
    select,
)

from consultations.db import read_scope, session_scope
from consultations.errors import StaleEdit, ValidationFailed, WorkbenchError
from consultations.models import DEFAULT_OPTIONS, AuditEvent, Question, User
from consultations.questions import (
    QuestionForm,
    add_question,
    clashing_numbers,
    delete_question,
    move_question,
    normalise_number,
    numbered_after,
    question_problems,
    replace_questions,
    save_questions,
    update_question,
)
from tests.conftest import NOW, add_consultation, add_person, later

MISSING = 10**9  # an id that no row in the shared database has


@pytest.fixture(scope="module")
def engine(shared_engine: Engine) -> Engine:
    """One migrated database for this module; each test works on a consultation of its own."""
    return shared_engine


@pytest.fixture
def setup(engine):
    """An officer and a consultation of their own with questions Q1, Q2 and Q3."""
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        consultation = add_consultation(session, officer, questions=3)
        return officer, consultation.id


def numbers(engine, consultation_id: int) -> list[str]:
    """The consultation's question numbers, in the order it asks them."""
    with read_scope(engine) as session:
        return list(
            session.scalars(
                select(Question.number)
                .where(Question.consultation_id == consultation_id)
                .order_by(Question.position)
            )
        )


def events(engine, action: str, consultation_id: int) -> list[AuditEvent]:
    """The audit events of one kind about one consultation, oldest first."""
    with read_scope(engine) as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == action, AuditEvent.consultation_id == consultation_id)
                .order_by(AuditEvent.id)
            )
        )


def question_id(engine, consultation_id: int, number: str) -> int:
    with read_scope(engine) as session:
        return session.scalar(
            select(Question.id).where(
                Question.consultation_id == consultation_id, Question.number == number
            )
        )


# --- numbers, kinds, options -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("question 3", "Q3"),
        ("Question 12b", "Q12b"),
        ("q3a", "Q3a"),
        ("3", "Q3"),
        ("Q 12", "Q12"),
        (" Q3A ", "Q3a"),
        ("Q03", "Q3"),
        ("Q3(a)", "Q3a"),
        ("Q3 (b)", "Q3b"),
        ("Q999", "Q999"),
        ("", None),
        ("Q", None),
        ("QA", None),
        ("three", None),
        ("Q1000", None),
        ("3.1", "Q3.1"),
        ("Question 2.10", "Q2.10"),
        ("Q2.1a", "Q2.1a"),
        ("3.1.2", None),
        ("3.", None),
        ("Q3ab", None),
        ("Part 3", None),
        ("Q-3", None),
    ],
)
def test_question_numbers_are_normalised_to_q_and_a_number(typed, expected):
    assert normalise_number(typed) == expected


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        (QuestionForm("Q1", "Do you agree?"), []),
        (QuestionForm("Part A", "Do you agree?"), ["'Part A' is not a question number"]),
        (QuestionForm("Q1", "  "), ["the question text is empty"]),
        (
            QuestionForm("Q1", "Pick", "multiple"),
            ["'multiple' is not a kind (choose open, closed or hybrid)"],
        ),
        (
            QuestionForm("Q1", "Pick", "closed", ("Yes", " yes ", "No")),
            ["the options repeat themselves"],
        ),
        (QuestionForm("Q1", "Pick", "closed", ("Yes", "", "  ", "No")), []),
        (
            QuestionForm("", "", "poll"),
            ["'' is not a question number", "the question text is empty", "'poll' is not a kind"],
        ),
    ],
)
def test_each_problem_with_a_question_is_named(form, expected):
    problems = question_problems(form)
    assert len(problems) == len(expected)
    for problem, fragment in zip(problems, expected, strict=True):
        assert problem.startswith(fragment)


@pytest.mark.parametrize(
    ("kind", "options", "stored"),
    [
        ("open", (), []),
        ("open", ("Yes", "No"), []),
        ("closed", (), list(DEFAULT_OPTIONS)),
        ("hybrid", (), list(DEFAULT_OPTIONS)),
        ("hybrid", ("", " "), list(DEFAULT_OPTIONS)),
        ("closed", (" Yes ", "No", "", "Don't know"), ["Yes", "No", "Don't know"]),
    ],
    ids=[
        "open",
        "open ignores options",
        "closed gets the agree scale",
        "hybrid gets the agree scale",
        "blank options count as none",
        "own options trimmed",
    ],
)
def test_a_questions_kind_decides_its_options(engine, setup, kind, options, stored):
    officer, consultation_id = setup
    with session_scope(engine) as session:
        question = add_question(
            session, officer, consultation_id, QuestionForm("Q4", "Which?", kind, options), now=NOW
        )
    with read_scope(engine) as session:
        saved = session.get(Question, question.id)
        assert (saved.kind, saved.options) == (kind, stored)


def test_the_default_options_are_the_agree_scale():
    assert DEFAULT_OPTIONS == ("Agree", "Disagree", "Neither agree nor disagree", "Don't know")


# --- adding and importing ----------------------------------------------------------------------


def test_a_question_is_added_at_the_end_with_its_number_normalised_and_is_audited(engine, setup):
    officer, consultation_id = setup
    with session_scope(engine) as session:
        add_question(
            session,
            officer,
            consultation_id,
            QuestionForm("question 4a", "  What else?  "),
            now=later(hours=1),
        )
    assert numbers(engine, consultation_id) == ["Q1", "Q2", "Q3", "Q4a"]
    with read_scope(engine) as session:
        assert session.get(Question, question_id(engine, consultation_id, "Q4a")).text == (
            "What else?"
        )
    event = events(engine, "questions.added", consultation_id)[-1]
    assert (event.actor_id, event.consultation_id, event.at) == (
        officer.id,
        consultation_id,
        later(hours=1),
    )
    assert event.detail == {"numbers": ["Q4a"], "source": "form"}


def test_an_import_adds_every_question_in_order_after_the_existing_ones(engine, setup):
    officer, consultation_id = setup
    forms = [QuestionForm("4", "Fourth?"), QuestionForm("q5", "Fifth?", "closed")]
    with session_scope(engine) as session:
        save_questions(session, officer, consultation_id, forms, now=NOW, source="questions.xlsx")
    assert numbers(engine, consultation_id) == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    assert events(engine, "questions.added", consultation_id)[-1].detail == {
        "numbers": ["Q4", "Q5"],
        "source": "questions.xlsx",
    }


@pytest.mark.parametrize(
    ("forms", "expected"),
    [
        (
            [QuestionForm("Q4", "A?"), QuestionForm("question 4", "B?")],
            ["row 2: Q4 appears more than once"],
        ),
        (
            [QuestionForm("Q4", "A?"), QuestionForm("q2", "B?")],
            ["row 2: Q2 exists already in this consultation"],
        ),
        ([QuestionForm("Q1", "A?")], ["Q1 exists already in this consultation"]),
        (
            [
                QuestionForm("Q4", "A?"),
                QuestionForm("Q4", ""),
                QuestionForm("nine", "C?", "poll"),
                QuestionForm("Q3", "D?"),
            ],
            [
                "row 2: the question text is empty",
                "row 2: Q4 appears more than once",
                "row 3: 'nine' is not a question number (write it like Q3 or Q3a)",
                "row 3: 'poll' is not a kind (choose open, closed or hybrid)",
                "row 4: Q3 exists already in this consultation",
            ],
        ),
    ],
    ids=["twice in the import", "already there", "one form already there", "many problems"],
)
def test_an_import_with_any_problem_saves_nothing_and_lists_every_problem(
    engine, setup, forms, expected
):
    officer, consultation_id = setup
    before = len(events(engine, "questions.added", consultation_id))
    with (
        pytest.raises(
            ValidationFailed, match=r"^The list of questions has \d+ problems?: "
        ) as caught,
        session_scope(engine) as session,
    ):
        save_questions(session, officer, consultation_id, forms, now=NOW, source="import")
    assert [str(p) for p in caught.value.problems] == expected
    assert numbers(engine, consultation_id) == ["Q1", "Q2", "Q3"]
    assert len(events(engine, "questions.added", consultation_id)) == before


def test_an_imported_question_keeps_its_section_and_an_edit_can_change_it(engine, setup):
    officer, consultation_id = setup
    form = QuestionForm("Q4", "Should fees rise?", "open", (), "Chapter 2: Fees")
    with session_scope(engine) as session:
        (saved,) = save_questions(session, officer, consultation_id, [form], now=NOW, source="f")
        question_id = saved.id
    with session_scope(engine) as session:
        update_question(
            session,
            officer,
            question_id,
            seen_version=1,
            form=QuestionForm("Q4", "Should fees rise?", "open", (), "  Chapter 3: Fees "),
            now=NOW,
        )
    with read_scope(engine) as session:
        assert session.get(Question, question_id).section == "Chapter 3: Fees"


def test_importing_the_same_questions_again_adds_none_twice_and_refuses_changed_ones(engine, setup):
    officer, consultation_id = setup
    forms = [QuestionForm("Q4", "Should  fees rise?"), QuestionForm("Q5", "What else?")]
    with session_scope(engine) as session:
        save_questions(session, officer, consultation_id, forms, now=NOW, source="paper.pdf")
    with session_scope(engine) as session:
        again = save_questions(
            session, officer, consultation_id, forms, now=NOW, source="f", skip_unchanged=True
        )
    assert again == []
    assert numbers(engine, consultation_id) == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    changed = [*forms, QuestionForm("Q6", "Anything more?"), QuestionForm("Q5", "What now?")]
    with (
        pytest.raises(ValidationFailed, match="row 4: Q5 exists already"),
        session_scope(engine) as session,
    ):
        save_questions(
            session, officer, consultation_id, changed, now=NOW, source="f", skip_unchanged=True
        )
    assert numbers(engine, consultation_id) == ["Q1", "Q2", "Q3", "Q4", "Q5"]


def existing(engine, consultation_id: int) -> list[Question]:
    with read_scope(engine) as session:
        return list(
            session.scalars(select(Question).where(Question.consultation_id == consultation_id))
        )


def test_an_import_whose_numbers_exist_can_be_numbered_on_after_the_existing_questions(
    engine, setup
):
    officer, consultation_id = setup
    forms = [
        QuestionForm("Q1", "Should fees rise?"),
        QuestionForm("Q2", "Who pays?"),
        QuestionForm("Q2a", "And when?"),
    ]
    have = existing(engine, consultation_id)
    assert clashing_numbers(forms, have) == ["Q1", "Q2"]
    renumbered = numbered_after(forms, have)
    assert [f.number for f in renumbered] == ["Q4", "Q5", "Q5a"]
    with session_scope(engine) as session:
        save_questions(session, officer, consultation_id, renumbered, now=NOW, source="f")
    assert numbers(engine, consultation_id) == ["Q1", "Q2", "Q3", "Q4", "Q5", "Q5a"]


def test_an_import_can_replace_unanswered_questions_in_their_places_but_never_answered_ones(
    engine, setup
):
    officer, consultation_id = setup
    forms = [QuestionForm("Q2", "Who should pay?"), QuestionForm("Q4", "Anything else?")]
    with session_scope(engine) as session:
        replace_questions(session, officer, consultation_id, forms, now=NOW, source="paper.docx")
    assert numbers(engine, consultation_id) == ["Q1", "Q2", "Q3", "Q4"]
    with read_scope(engine) as session:
        q2 = session.get(Question, question_id(engine, consultation_id, "Q2"))
        assert q2.text == "Who should pay?"
    assert events(engine, "questions.replaced", consultation_id)[0].detail["numbers"] == ["Q2"]

    q1 = question_id(engine, consultation_id, "Q1")
    metadata = MetaData()
    Table("question", metadata, autoload_with=engine)
    answers = Table(
        "answer_probe_replace",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("question_id", ForeignKey("question.id"), nullable=False),
    )
    metadata.create_all(engine, tables=[answers])
    try:
        with engine.begin() as connection:
            connection.execute(insert(answers).values(question_id=q1))
        with (
            pytest.raises(
                ValidationFailed, match="Q1 has answers already, so it cannot be replaced"
            ),
            session_scope(engine) as session,
        ):
            replace_questions(
                session,
                officer,
                consultation_id,
                [QuestionForm("Q1", "New?"), QuestionForm("Q3", "Also new?")],
                now=NOW,
                source="f",
            )
        with read_scope(engine) as session:
            assert session.get(Question, q1).text != "New?"
            q3 = session.get(Question, question_id(engine, consultation_id, "Q3"))
            assert q3.text != "Also new?"  # all or nothing
    finally:
        answers.drop(engine)


def test_questions_cannot_be_added_to_a_consultation_that_does_not_exist(engine, setup):
    officer, _ = setup
    with (
        pytest.raises(WorkbenchError, match="That consultation does not exist"),
        session_scope(engine) as session,
    ):
        add_question(session, officer, MISSING, QuestionForm("Q1", "A?"), now=NOW)


# --- editing -----------------------------------------------------------------------------------


def test_a_question_can_be_edited_and_the_edit_is_audited(engine, setup):
    officer, consultation_id = setup
    q2 = question_id(engine, consultation_id, "Q2")
    with session_scope(engine) as session:
        update_question(
            session,
            officer,
            q2,
            seen_version=1,
            form=QuestionForm("Q2a", " Reworded? ", "closed", ("Yes", "No")),
            now=later(hours=2),
        )
    with read_scope(engine) as session:
        saved = session.get(Question, q2)
        assert (saved.number, saved.text, saved.kind, saved.options, saved.version) == (
            "Q2a",
            "Reworded?",
            "closed",
            ["Yes", "No"],
            2,
        )
    [event] = events(engine, "question.updated", consultation_id)
    assert (event.actor_id, event.object_id, event.detail) == (officer.id, q2, {"number": "Q2a"})


def test_a_question_keeps_its_own_number_but_cannot_take_anothers(engine, setup):
    officer, consultation_id = setup
    q2 = question_id(engine, consultation_id, "Q2")
    with session_scope(engine) as session:
        update_question(
            session, officer, q2, seen_version=1, form=QuestionForm("2", "Same number?"), now=NOW
        )
    with (
        pytest.raises(
            ValidationFailed,
            match=re.escape("The question has 1 problem: Q3 exists already in this consultation."),
        ),
        session_scope(engine) as session,
    ):
        update_question(
            session, officer, q2, seen_version=2, form=QuestionForm("Q3", "Clash?"), now=NOW
        )
    assert numbers(engine, consultation_id) == ["Q1", "Q2", "Q3"]


def test_a_stale_question_edit_is_refused_with_the_other_persons_version(engine, setup):
    officer, consultation_id = setup
    q1 = question_id(engine, consultation_id, "Q1")
    with session_scope(engine) as session:
        update_question(
            session, officer, q1, seen_version=1, form=QuestionForm("Q1", "Theirs?"), now=NOW
        )
    with (
        pytest.raises(StaleEdit, match="Someone else changed Q1 while you were editing") as caught,
        session_scope(engine) as session,
    ):
        update_question(
            session, officer, q1, seen_version=1, form=QuestionForm("Q1", "Mine?"), now=NOW
        )
    assert caught.value.current == {
        "number": "Q1",
        "text": "Theirs?",
        "kind": "open",
        "options": [],
        "section": "",
    }


# --- reordering --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "step", "expected"),
    [
        ("Q2", -1, ["Q2", "Q1", "Q3"]),
        ("Q2", 1, ["Q1", "Q3", "Q2"]),
        ("Q3", -1, ["Q1", "Q3", "Q2"]),
        ("Q1", 1, ["Q2", "Q1", "Q3"]),
    ],
    ids=["Q2 up", "Q2 down", "Q3 up", "Q1 down"],
)
def test_a_question_moves_up_or_down_one_place(engine, setup, number, step, expected):
    officer, consultation_id = setup
    moved = question_id(engine, consultation_id, number)
    with session_scope(engine) as session:
        move_question(session, officer, moved, step=step, now=NOW)
    assert numbers(engine, consultation_id) == expected
    [event] = events(engine, "question.moved", consultation_id)
    assert (event.actor_id, event.object_id, event.detail) == (
        officer.id,
        moved,
        {"number": number, "step": step},
    )


@pytest.mark.parametrize(("number", "step"), [("Q1", -1), ("Q3", 1)], ids=["first up", "last down"])
def test_moving_a_question_past_either_end_changes_nothing(engine, setup, number, step):
    officer, consultation_id = setup
    with session_scope(engine) as session:
        move_question(
            session, officer, question_id(engine, consultation_id, number), step=step, now=NOW
        )
    assert numbers(engine, consultation_id) == ["Q1", "Q2", "Q3"]
    assert events(engine, "question.moved", consultation_id) == []


def test_moving_keeps_to_its_own_consultation(engine, setup):
    officer, consultation_id = setup
    with session_scope(engine) as session:
        other = add_consultation(session, session.get(User, officer.id), questions=2, title="B")
    with session_scope(engine) as session:
        move_question(session, officer, question_id(engine, consultation_id, "Q3"), step=1, now=NOW)
        move_question(session, officer, question_id(engine, other.id, "Q1"), step=-1, now=NOW)
    assert numbers(engine, consultation_id) == ["Q1", "Q2", "Q3"]
    assert numbers(engine, other.id) == ["Q1", "Q2"]


# --- deleting ----------------------------------------------------------------------------------


def test_an_unanswered_question_is_deleted_and_the_deletion_audited(engine, setup):
    officer, consultation_id = setup
    q2 = question_id(engine, consultation_id, "Q2")
    with session_scope(engine) as session:
        delete_question(session, officer, q2, now=NOW)
    assert numbers(engine, consultation_id) == ["Q1", "Q3"]
    [event] = events(engine, "question.deleted", consultation_id)
    assert (event.actor_id, event.object_id, event.consultation_id, event.detail) == (
        officer.id,
        q2,
        consultation_id,
        {"number": "Q2"},
    )


def test_an_answered_question_cannot_be_deleted_and_the_rest_of_the_action_stands(engine, setup):
    officer, consultation_id = setup
    q1 = question_id(engine, consultation_id, "Q1")
    # A stand-in for the answers table: any row pointing at the question must stop the delete.
    metadata = MetaData()
    Table("question", metadata, autoload_with=engine)
    answers = Table(
        "answer_probe",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("question_id", ForeignKey("question.id"), nullable=False),
    )
    metadata.create_all(engine, tables=[answers])
    try:
        with engine.begin() as connection:
            connection.execute(insert(answers).values(question_id=q1))
        with session_scope(engine) as session:
            with pytest.raises(
                WorkbenchError,
                match=re.escape(
                    "Q1 has answers already, so it cannot be deleted. Edit its text instead."
                ),
            ):
                delete_question(session, officer, q1, now=NOW)
            # The refusal rolled back only the delete: the same action can go on and commit.
            update_question(
                session, officer, q1, seen_version=1, form=QuestionForm("Q1", "Kept?"), now=NOW
            )
        assert numbers(engine, consultation_id) == ["Q1", "Q2", "Q3"]
        with read_scope(engine) as session:
            assert session.get(Question, q1).text == "Kept?"
        assert events(engine, "question.deleted", consultation_id) == []

        with engine.begin() as connection:
            connection.execute(answers.delete())
        with session_scope(engine) as session:
            delete_question(session, officer, q1, now=NOW)
        assert numbers(engine, consultation_id) == ["Q2", "Q3"]
    finally:
        answers.drop(engine)


@pytest.mark.parametrize(
    "act",
    [
        lambda s, who: delete_question(s, who, MISSING, now=NOW),
        lambda s, who: move_question(s, who, MISSING, step=1, now=NOW),
        lambda s, who: update_question(
            s, who, MISSING, seen_version=1, form=QuestionForm("Q1", "A?"), now=NOW
        ),
    ],
    ids=["delete", "move", "update"],
)
def test_a_question_that_is_gone_says_to_reload(engine, setup, act):
    officer, _ = setup
    with (
        pytest.raises(
            WorkbenchError,
            match=re.escape("That question does not exist any more. Reload the page."),
        ),
        session_scope(engine) as session,
    ):
        act(session, officer)
