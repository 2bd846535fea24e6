"""The officer's check of a partner's own file, driven through AppTest on a real database.

The consultation has the fixture set's family migration questions, and the files uploaded are
the fixture set's responses (``tests/data/intake/responses``), laid out as published ones are.
"""

from __future__ import annotations

from datetime import timedelta

import docx
import pytest
from sqlalchemy import select

from consultations.consultation import move_consultation
from consultations.dates import uk_today
from consultations.db import read_scope, session_scope
from consultations.models import Question
from consultations.question_import import parse_questions
from consultations.questions import QuestionForm, save_questions
from evidence.models import Answer
from tests.conftest import NOW, add_consultation, add_organisation, add_person
from tests.test_intake import DATA
from tests.test_intake_pages import IMPORT, uploader
from tests.test_pages import texts
from tests.test_word_route import saved

LABEL = "A partner's response: a Word or PDF letter, or their own spreadsheet"


@pytest.fixture
def world(engine):
    parsed = parse_questions("q.csv", (DATA / "family_questions.csv").read_bytes())
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        add_organisation(session, "Armagh Banbridge Voluntary Action", "voluntary")
        consultation = add_consultation(
            session,
            officer,
            questions=0,
            partner_deadline=uk_today() + timedelta(days=10),
            closes_on=uk_today() + timedelta(days=20),
        )
        save_questions(
            session,
            officer,
            consultation.id,
            [QuestionForm(q.number, q.text, q.kind, q.options) for q in parsed],
            now=NOW,
            source="test",
        )
        move_consultation(session, officer, consultation.id, "open", now=NOW)
    return {"cid": str(consultation.id), "officer": officer, "engine": engine}


def upload(open_page, world, name: str, data: bytes | None = None):
    app = open_page(IMPORT, as_user=world["officer"], query={"consultation": world["cid"]})
    assert not app.exception
    uploader(app, LABEL).set_value(
        (name, data if data is not None else (DATA / name).read_bytes(), "application/octet-stream")
    ).run()
    assert not app.exception
    return app


def choosers(app):
    return [s for s in app.selectbox if s.label == "Answers the question"]


def question_ids(world) -> dict[str, int]:
    with read_scope(world["engine"]) as session:
        rows = session.scalars(
            select(Question).where(Question.consultation_id == int(world["cid"]))
        )
        return {q.number: q.id for q in rows}


def saved_answers(world) -> list[tuple[str, str, str]]:
    with read_scope(world["engine"]) as session:
        rows = session.scalars(select(Answer).order_by(Answer.question_id))
        return [(a.question.number, a.position, a.text) for a in rows]


def test_every_part_of_a_letter_is_shown_with_its_question_how_sure_and_why(open_page, world):
    app = upload(open_page, world, "17_response_to_with_subheadings.docx")

    page = texts(app)
    assert (
        "The document splits into 7 parts: 2 matched by the partner's own markers or numbers, "
        "2 to check, 3 with no question."
    ) in page
    assert "**Part 1** :gray-badge[No question] left out unless you choose a question" in page
    assert "**Part 4** :orange-badge[Check] Q6, likely" in page
    assert "**Part 5** :green-badge[Sure] Q7" in page
    assert "its subtitle 'adult dependent relatives' reads like Q5" in page
    assert "Subtitle (not imported): adult dependent relatives" in page
    ids = question_ids(world)
    assert [s.value for s in choosers(app)] == [
        (),
        (ids["Q1"],),
        (ids["Q1"],),
        (ids["Q6"],),
        (ids["Q7"],),
        (),
        (),
    ]
    assert saved_answers(world) == []  # nothing is saved before the officer imports


def test_officer_gives_an_unmatched_part_to_a_question_and_leaves_another_out(open_page, world):
    app = upload(open_page, world, "17_response_to_with_subheadings.docx")
    parts = choosers(app)
    assert parts[5].format_func(()) == "Leave out"
    parts[5].set_value((question_ids(world)["Q10"],))  # the annex: organisations consulted
    parts[4].set_value(())  # leave the answer to Q7 out
    app.run()

    next(b for b in app.button if b.label.startswith("Import ")).click().run()

    assert not app.exception
    assert saved_answers(world) == [
        (
            "Q1",
            "Disagree",
            "We do not agree with a minimum income threshold.\n\nWhat our members told us\n\n"
            "Members said that couples on modest incomes in Banbridge and Armagh manage without "
            "public funds, with help from their families.",
        ),
        (
            "Q6",
            "Disagree",
            "We disagree. Parents who need care should be able to join the children who can "
            "give it.",
        ),
        (
            "Q10",
            "",
            "Annex A: organisations consulted\n\nArmagh Women's Group; Banbridge Polish "
            "Association; Portadown Ethnic Forum.",
        ),
    ]


def test_a_pdf_letter_imports_its_answers_with_the_positions_read_from_the_words(open_page, world):
    app = upload(open_page, world, "01_council_letter_subtitles.pdf")
    assert "The document splits into 7 parts" in texts(app)

    next(b for b in app.button if b.label.startswith("Import 4 answers")).click().run()

    assert not app.exception
    assert [(number, position) for number, position, _ in saved_answers(world)] == [
        ("Q1", "Disagree"),
        ("Q2", "Disagree"),
        ("Q4", ""),
        ("Q8", ""),
    ]


def test_a_joint_answer_is_offered_for_both_questions(open_page, world):
    app = upload(open_page, world, "05_network_joint_answers.docx")

    ids = question_ids(world)
    joint = choosers(app)[2]
    assert joint.value == (ids["Q3"], ids["Q4"])
    assert joint.format_func(joint.value) == "Q3 and Q4 (one answer for each)"
    button_label = next(b.label for b in app.button if b.label.startswith("Import "))
    assert button_label.startswith("Import 6 answers")  # Q1, Q3, Q4, Q5, Q6, Q8


def test_partner_markup_in_a_letter_is_shown_as_text_never_rendered(open_page, world):
    document = docx.Document()
    document.add_heading("Question 1 – [our report](https://example.org/x) **now**", level=2)
    document.add_paragraph("We disagree. <b>Wages</b> are lower here.")

    app = upload(open_page, world, "letter.docx", saved(document))

    rendered = " ".join(element.value for element in [*app.markdown, *app.caption])
    assert "[our report](https" not in rendered
    assert "<b>" not in rendered
    assert "We disagree. <b>Wages</b> are lower here." in [t.value for t in app.text]


def test_a_file_that_cannot_be_read_is_refused_with_its_message(open_page, world):
    app = upload(open_page, world, "notes.csv", b"just a line of text\nand another\n")

    assert "a header row naming a question column" in " ".join(e.value for e in app.error)
    assert not choosers(app)


def test_a_partners_own_spreadsheet_on_the_template_tab_points_to_the_tab_that_reads_it(
    open_page, world
):
    app = open_page(IMPORT, as_user=world["officer"], query={"consultation": world["cid"]})
    data = (DATA / "15_council_own_spreadsheet.xlsx").read_bytes()
    uploader(app, "Upload a filled template (.xlsx)").set_value(
        ("our answers.xlsx", data, "application/octet-stream")
    ).run()

    assert "it is not a response template from the workbench" in app.error[0].value
    assert "upload it on the tab 'From a letter or the partner's own file'" in app.info[0].value


def test_a_partners_own_csv_of_questions_and_answers_imports_row_by_row(open_page, world):
    with read_scope(world["engine"]) as session:
        wording = {
            q.number: q.text
            for q in session.scalars(
                select(Question).where(Question.consultation_id == int(world["cid"]))
            )
        }
    rows = [
        "Question,Response",
        f'"{wording["Q4"]}","Disagree: classes are full in Lurgan."',
        f'"{wording["Q1"]}",',
    ]
    app = upload(open_page, world, "answers.csv", "\n".join(rows).encode())
    assert "The document splits into 1 part: 1 matched" in texts(app)

    next(b for b in app.button if b.label.startswith("Import 1 answers")).click().run()

    assert saved_answers(world) == [("Q4", "Disagree", "Disagree: classes are full in Lurgan.")]
