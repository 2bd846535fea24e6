"""The Word route: real .docx responses in the layouts partners use, mapped to questions."""

from __future__ import annotations

import io
from dataclasses import dataclass

import docx
import pytest
from docx.document import Document
from sqlalchemy import select
from sqlalchemy.orm import Session

from consultations.consultation import create_consultation, move_consultation
from consultations.errors import ValidationFailed
from consultations.models import Consultation, Organisation, Question, User
from consultations.questions import QuestionForm, save_questions
from evidence.models import Answer
from evidence.submissions import import_answers
from evidence.word_route import (
    ProposedAnswer,
    answers_from_mapping,
    option_for,
    propose_mapping,
    recognise_stance,
)
from tests.conftest import NOW, add_organisation, add_person, consultation_form
from tests.test_files import encrypted, rezipped, windows_program, word_bytes

TODAY = NOW.date()
AGREEMENT = ("Agree", "Disagree", "Neither agree nor disagree", "Don't know")
Q1 = "Do you agree that the minimum income requirement should rise to £38,700?"
Q2 = "Should care workers be allowed to bring their dependants to the UK?"
Q3 = "What impact would these changes have on public services in your area?"


@dataclass
class World:
    officer: User
    council: Organisation
    consultation: Consultation
    questions: list[Question]


@pytest.fixture
def world(session: Session) -> World:
    officer = add_person(session, "officer")
    consultation = create_consultation(session, officer, consultation_form(), now=NOW)
    questions = save_questions(
        session,
        officer,
        consultation.id,
        [
            QuestionForm("Q1", Q1, "hybrid", AGREEMENT),
            QuestionForm("Q2", Q2, "closed", ("Yes", "No")),
            QuestionForm("Q3", Q3, "open"),
        ],
        now=NOW,
        source="test",
    )
    move_consultation(session, officer, consultation.id, "open", now=NOW)
    return World(officer, add_organisation(session), consultation, questions)


def saved(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def propose(world: World, data: bytes, name: str = "response.docx") -> list[ProposedAnswer]:
    return propose_mapping(data, world.questions, filename=name)


def summary(world: World, mapping: list[ProposedAnswer]) -> list[tuple[str, str, str]]:
    """Each part as (question number or "-", position, text) for compact assertions."""
    numbers = {q.id: q.number for q in world.questions}
    return [(numbers.get(p.question_id, "-"), p.position, p.text) for p in mapping]


# --- Layouts -----------------------------------------------------------------------------------


def test_question_headings_split_the_answers_and_positions_are_recognised(world):
    document = docx.Document()
    document.add_paragraph("Dear Sam, please find the council's response below.")
    document.add_heading("Question 1", level=2)
    document.add_paragraph(Q1)
    document.add_paragraph("We disagree. The threshold would split families in Belfast.")
    document.add_paragraph("1. Costs rise. 2. Families wait longer.")
    document.add_heading("Question 2", level=2)
    document.add_paragraph("Yes")
    document.add_paragraph("Care homes in Newry depend on overseas staff.")
    document.add_heading("Question 3", level=2)
    document.add_paragraph("ESOL waiting lists have doubled since 2023.")
    document.add_paragraph("Yours sincerely,")
    document.add_paragraph("Jo Brown, Policy Lead")

    mapping = propose(world, saved(document))

    assert summary(world, mapping) == [
        ("-", "", "Dear Sam, please find the council's response below."),
        (
            "Q1",
            "Disagree",
            "We disagree. The threshold would split families in Belfast.\n\n"
            "1. Costs rise. 2. Families wait longer.",
        ),
        ("Q2", "Yes", "Care homes in Newry depend on overseas staff."),
        ("Q3", "", "ESOL waiting lists have doubled since 2023."),
        ("-", "", "Yours sincerely,\n\nJo Brown, Policy Lead"),
    ]
    assert mapping[1].marker == "Question 1"
    assert mapping[1].confidence == "high"
    assert mapping[1].why == "marked 'Question 1'; position 'Disagree' from 'We disagree'"
    assert mapping[0].why.startswith("text before the first question")


def test_q_numbered_paragraphs_split_the_answers(world):
    document = docx.Document()
    document.add_paragraph("Q1. We strongly agree with the direction, though not the level.")
    document.add_paragraph("Q2: No, because care homes would close.")
    document.add_paragraph("Q3 Local services are stretched.")
    document.add_paragraph("GP lists in Derry are closed to new patients.")

    mapping = propose(world, saved(document))

    assert summary(world, mapping) == [
        ("Q1", "Agree", "We strongly agree with the direction, though not the level."),
        ("Q2", "No", "No, because care homes would close."),
        (
            "Q3",
            "",
            "Local services are stretched.\n\nGP lists in Derry are closed to new patients.",
        ),
    ]
    assert "position 'Agree' from 'We strongly agree'" in mapping[0].why


def test_bare_numbers_split_the_answers_when_nothing_clearer_is_used(world):
    document = docx.Document()
    document.add_paragraph("1. Disagree. It is too high.")
    document.add_paragraph("2. Yes.")
    document.add_paragraph("3. Demand for school places.")

    mapping = propose(world, saved(document))

    assert summary(world, mapping) == [
        ("Q1", "Disagree", "Disagree. It is too high."),
        ("Q2", "Yes", ""),
        ("Q3", "", "Demand for school places."),
    ]
    assert mapping[0].confidence == "medium"


def test_response_form_table_gives_each_row_to_its_question(world):
    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    rows = [
        ("No.", "Question", "Response"),
        ("1", Q1, "Disagree.\nThe level is too high for Northern Ireland's wages."),
        ("Q2", Q2, "Yes - we support it"),
        ("3", Q3, "More demand for GP places in Newry."),
    ]
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text

    mapping = propose(world, saved(document))

    assert summary(world, mapping) == [
        ("Q1", "Disagree", "The level is too high for Northern Ireland's wages."),
        ("Q2", "Yes", "Yes - we support it"),
        ("Q3", "", "More demand for GP places in Newry."),
    ]
    assert mapping[0].source == "table 1, row 2"
    assert mapping[0].why.startswith("the table row starts with '1'")


def test_table_with_the_question_above_the_answer_row_reads_both_rows(world):
    document = docx.Document()
    table = document.add_table(rows=4, cols=1)
    for row, text in enumerate(
        [f"Question 1: {Q1}", "We agree.", f"Question 2: {Q2}", "No opinion yet."]
    ):
        table.cell(row, 0).text = text

    mapping = propose(world, saved(document))

    assert summary(world, mapping) == [
        ("Q1", "Agree", ""),
        ("Q2", "", "No opinion yet."),
    ]
    assert "matches none of the question's options" in mapping[1].why


def test_heading_that_repeats_the_question_wording_starts_its_answer(world):
    document = docx.Document()
    document.add_heading("The minimum income requirement rising to £38,700", level=1)
    document.add_paragraph("Agree.")
    document.add_paragraph("It is fair to families who can meet it.")
    document.add_heading("Care workers bringing their dependants", level=1)
    document.add_paragraph("No.")
    document.add_heading("Annex: figures", level=1)
    document.add_paragraph("Table 4 of the council's housing report.")

    mapping = propose(world, saved(document))

    assert summary(world, mapping) == [
        ("Q1", "Agree", "It is fair to families who can meet it."),
        ("Q2", "No", ""),
        ("-", "", "Annex: figures\n\nTable 4 of the council's housing report."),
    ]
    assert mapping[0].why.startswith("the heading repeats the wording of Q1")
    assert mapping[0].marker == "The minimum income requirement rising to £38,700"


def test_number_that_is_not_a_question_is_shown_unmatched(world):
    document = docx.Document()
    document.add_paragraph("Question 9: We have more to say about enforcement.")

    [part] = propose(world, saved(document))

    assert (part.question_id, part.number, part.confidence) == (None, "Q9", "none")
    assert part.why == "'Question 9' is not a question of this consultation"


# --- Positions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "stance", "alone"),
    [
        ("We disagree.", "disagree", True),
        ("Disagree", "disagree", True),
        ("We do not agree with this proposal", "disagree", False),
        ("The council strongly agrees with this", "strongly agree", False),
        ("Yes, but only with funding", "yes", False),
        ("No.", "no", True),
        ("Not sure.", "don't know", True),
        ("Our position: Neither agree nor disagree", "neither", True),
        ("We partly agree", "partly", True),
        ("No recourse to public funds leaves families destitute.", "", False),
        ("Agreements with landlords are failing.", "", False),
        ("Yesterday we met the Home Office.", "", False),
    ],
)
def test_recognise_stance_reads_the_position_a_partner_wrote(line, stance, alone):
    found, _, only = recognise_stance(line)

    assert (found, only) == (stance, alone if stance else False)


@pytest.mark.parametrize(
    ("stance", "options", "label"),
    [
        ("disagree", AGREEMENT, "Disagree"),
        ("strongly agree", AGREEMENT, "Agree"),
        ("strongly agree", ("Strongly agree", "Agree", "Disagree"), "Strongly agree"),
        ("yes", AGREEMENT, "Agree"),
        ("disagree", ("Yes", "No"), "No"),
        ("don't know", ("Yes", "No", "Not sure"), "Not sure"),
        ("partly", AGREEMENT, ""),
        ("agree", (), ""),
    ],
)
def test_option_for_maps_a_stance_to_the_questions_own_labels(stance, options, label):
    question = Question(number="Q1", text="?", kind="hybrid" if options else "open")
    question.options = list(options)

    assert option_for(stance, question) == label


# --- The officer's corrections ------------------------------------------------------------------


def test_corrections_move_parts_between_questions_and_leave_parts_out(world):
    document = docx.Document()
    document.add_paragraph("Thank you for the chance to respond.")
    document.add_heading("Question 1", level=2)
    document.add_paragraph("We disagree. It is too high.")
    document.add_heading("Impact on housing", level=3)
    document.add_paragraph("Rents in Belfast rose 9% in 2025.")
    document.add_heading("Question 2", level=2)
    document.add_paragraph("We agree.")
    mapping = propose(world, saved(document))
    assert summary(world, mapping) == [
        ("-", "", "Thank you for the chance to respond."),
        ("Q1", "Disagree", "We disagree. It is too high."),
        ("-", "", "Impact on housing\n\nRents in Belfast rose 9% in 2025."),
        ("Q2", "Yes", ""),  # the line that only gives the position is not the comment
    ]
    q1, _, q3 = world.questions

    answers = answers_from_mapping(mapping, {2: q1.id, 3: q3.id}, questions=world.questions)

    assert [(a.question_id, a.position, a.text) for a in answers] == [
        (
            q1.id,
            "Disagree",
            "We disagree. It is too high.\n\nImpact on housing\n\n"
            "Rents in Belfast rose 9% in 2025.",
        ),
        (q3.id, "", "We agree."),  # no position on an open question: the words stay as text
    ]


def test_part_moved_to_another_question_has_its_position_read_again(world):
    document = docx.Document()
    document.add_paragraph("Q2. We disagree: families need their carers.")
    mapping = propose(world, saved(document))
    assert mapping[0].position == "No"

    [answer] = answers_from_mapping(mapping, {0: world.questions[0].id}, questions=world.questions)

    assert (answer.question_id, answer.position) == (world.questions[0].id, "Disagree")


def test_two_parts_with_different_positions_for_one_question_are_refused(world):
    document = docx.Document()
    document.add_paragraph("Q1. We agree.")
    document.add_paragraph("Q2. No.")
    mapping = propose(world, saved(document))

    with pytest.raises(
        ValidationFailed,
        match=r"Q1 would get two positions, 'Agree' \(part 1\) and 'Disagree' \(part 2\)",
    ):
        answers_from_mapping(mapping, {1: world.questions[0].id}, questions=world.questions)


def test_correction_to_a_question_of_another_consultation_is_refused(world):
    mapping = propose(world, word_bytes("Q1. We agree."))

    with pytest.raises(ValidationFailed, match="part 1 is given to a question that is not part"):
        answers_from_mapping(mapping, {0: 999_999}, questions=world.questions)


def test_confirmed_mapping_is_imported_through_the_real_write_path(session, world):
    document = docx.Document()
    document.add_paragraph("Q1. We disagree. It is too high.")
    document.add_paragraph("Q3. Waiting lists have doubled.")
    mapping = propose(world, saved(document))
    answers = answers_from_mapping(mapping, {}, questions=world.questions)

    for _ in range(2):
        import_answers(
            session,
            world.officer,
            world.consultation.id,
            answers,
            organisation_id=world.council.id,
            source="response.docx",
            today=TODAY,
            now=NOW,
        )

    saved_answers = session.scalars(select(Answer).order_by(Answer.question_id)).all()
    assert [
        (a.question.number, a.position, a.text, a.entered_by_officer) for a in saved_answers
    ] == [
        ("Q1", "Disagree", "We disagree. It is too high.", True),
        ("Q3", "", "Waiting lists have doubled.", True),
    ]


# --- Bad files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("response.docm", lambda: word_bytes("Q1. Yes."), "it is macro-enabled"),
        ("response.docx", lambda: encrypted(word_bytes("Q1. Yes.")), "it is password-protected"),
        (
            "response.docx",
            windows_program,
            r"it holds a Windows program, not a Word document \(\.docx\)",
        ),
        ("response.doc", lambda: bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504), "old Office"),
        ("response.pdf", lambda: b"%PDF-1.7\n", r"files '\.pdf' are not accepted; upload a Word"),
        (
            "response.docx",
            lambda: rezipped(
                word_bytes("Q1. Yes."),
                replace=lambda part, data: data[:50] if part == "word/document.xml" else data,
            ),
            "it could not be read as a Word document and may be damaged",
        ),
        ("response.docx", lambda: word_bytes(" "), "it has no text to import"),
    ],
)
def test_bad_word_files_are_refused_with_a_clear_message(world, name, make, message):
    with pytest.raises(ValidationFailed, match=message) as error:
        propose(world, make(), name)

    assert str(error.value).startswith(f"The file '{name}' has 1 problem: ")
