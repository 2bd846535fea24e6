"""The Word and PDF route: real .docx and PDF responses in partners' layouts, split into parts.

The splitter needs only the questions' numbers, wording, kinds and options, so most tests use
questions as plain values; the officer's corrections and the import go through a real database.
Whole documents laid out as real published responses are in ``test_intake``.
"""

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
from evidence.parts import ProposedAnswer, answers_from_mapping
from evidence.submissions import import_answers
from evidence.word_route import propose_mapping
from tests.conftest import NOW, add_organisation, add_person, consultation_form
from tests.pdf_builder import paragraphs_page, pdf_file
from tests.test_files import encrypted, rezipped, windows_program, word_bytes

TODAY = NOW.date()
AGREEMENT = ("Agree", "Disagree", "Neither agree nor disagree", "Don't know")
Q1 = "Do you agree that the minimum income requirement should rise to £38,700?"
Q2 = "Should care workers be allowed to bring their dependants to the UK?"
Q3 = "What impact would these changes have on public services in your area?"


@dataclass(frozen=True)
class PaperQuestion:
    """A question as the splitter needs it, without a database."""

    id: int
    number: str
    text: str
    kind: str
    options: tuple[str, ...]


QUESTIONS = [
    PaperQuestion(1, "Q1", Q1, "hybrid", AGREEMENT),
    PaperQuestion(2, "Q2", Q2, "closed", ("Yes", "No")),
    PaperQuestion(3, "Q3", Q3, "open", ()),
]


def saved(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def paragraphs(*lines: str | tuple[str, str]) -> bytes:
    """A Word document of paragraphs; ("Heading 2", text) gives a paragraph in that style."""
    document = docx.Document()
    for line in lines:
        style, text = line if isinstance(line, tuple) else (None, line)
        document.add_paragraph(text, style=style)
    return saved(document)


def propose(data: bytes, name: str = "response.docx") -> list[ProposedAnswer]:
    return propose_mapping(data, QUESTIONS, filename=name)


def summary(mapping: list[ProposedAnswer]) -> list[tuple[str, str, str]]:
    """Each part as (its questions or "-", position, text) for compact assertions."""
    return [("+".join(p.numbers) if p.question_ids else "-", p.position, p.text) for p in mapping]


# --- Layouts -----------------------------------------------------------------------------------


def test_question_headings_split_the_answers_and_positions_are_recognised():
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

    mapping = propose(saved(document))

    assert summary(mapping) == [
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
    assert mapping[1].why == (
        "heading 'Question 1' matches Q1; the question's own wording, quoted before the answer, "
        "is left out; position 'Disagree' read from the words 'We disagree'"
    )
    assert mapping[0].why.startswith("before the first answer")
    assert (mapping[0].confidence, mapping[4].confidence) == ("medium", "high")


def test_the_workbenchs_own_not_answered_lines_in_a_submission_copy_are_not_answers():
    import datetime as dt

    from evidence.models import SubmissionSnapshot
    from evidence.receipts import build_copy

    consultation = Consultation(title="Family migration")
    consultation.questions = [Question(id=q.id, number=q.number, text=q.text) for q in QUESTIONS]
    snapshot = SubmissionSnapshot(
        number=1,
        submitted_at=dt.datetime(2026, 12, 1, 10),
        consent="sector",
        entered_by_officer=False,
        answers=[{"question_id": 2, "position": "Yes", "text": "Newry's care homes need staff."}],
    )
    copy = build_copy(
        consultation, Organisation(name="Newry Advice Centre"), snapshot, partnership="SMP"
    )

    mapping = propose(copy.content)

    assert [p for p in summary(mapping) if p[0] != "-"] == [
        ("Q1", "", ""),
        ("Q2", "Yes", "Newry's care homes need staff."),
        ("Q3", "", ""),
    ]
    assert "'Not answered.' is the workbench's own words for no answer" in mapping[1].why
    answers = answers_from_mapping(mapping, {}, questions=QUESTIONS)
    assert [(a.question_id, a.text) for a in answers] == [(2, "Newry's care homes need staff.")]


def test_q_numbered_paragraphs_split_the_answers():
    mapping = propose(
        paragraphs(
            "Q1. We strongly agree with the direction, though not the level.",
            "Q2: No, because care homes would close.",
            "Q3 Local services are stretched.",
            "GP lists in Derry are closed to new patients.",
        )
    )

    assert summary(mapping) == [
        ("Q1", "Agree", "We strongly agree with the direction, though not the level."),
        ("Q2", "No", "No, because care homes would close."),
        (
            "Q3",
            "",
            "Local services are stretched.\n\nGP lists in Derry are closed to new patients.",
        ),
    ]
    assert "position 'Agree' read from the words 'We strongly agree'" in mapping[0].why


@pytest.mark.parametrize(
    "marker",
    [
        "Question 1 – Minimum income threshold",
        "Q1: minimum income threshold",
        "Q.1",
        "Q. 1 The income threshold",
        "QUESTION ONE",
        "Question one: the threshold",
        "Response to Question 1",
        "Our response to Q1 – income",
        "Consultation question 1 - the income requirement",
        "Question No. 1",
        "Q 1)",
    ],
)
def test_every_marker_starts_its_answer_and_its_subtitle_is_not_the_answer(marker):
    mapping = propose(paragraphs("Our response follows.", marker, "We disagree.", "It is high."))

    answer = mapping[1]
    assert (answer.numbers, answer.confidence, answer.position) == (("Q1",), "high", "Disagree")
    assert answer.text == "It is high."  # the subtitle is not the answer; "We disagree." is
    assert "position 'Disagree' read from the words 'We disagree'" in answer.why


@pytest.mark.parametrize(
    ("marker", "subtitle"),
    [
        ("Q1: minimum income threshold", "minimum income threshold"),
        ("Question 1 – Minimum income threshold", "Minimum income threshold"),
        ("Q1 – the £38,700 figure?", "the £38,700 figure?"),
    ],
)
def test_a_subtitle_after_the_marker_is_kept_apart_and_no_is_read_as_the_position(marker, subtitle):
    mapping = propose(paragraphs(marker, "No.", "Wages here are lower."))

    [answer] = mapping
    assert (answer.subtitle, answer.position, answer.text) == (
        subtitle,
        "Disagree",
        "Wages here are lower.",
    )
    assert f"'{subtitle}' after it is the subtitle, not the answer" in answer.why


def test_words_after_a_marker_that_begin_the_answer_stay_in_it():
    mapping = propose(paragraphs("Q3 We see longer waits for school places in Newry."))

    assert summary(mapping) == [("Q3", "", "We see longer waits for school places in Newry.")]
    assert mapping[0].subtitle == ""


@pytest.mark.parametrize(
    ("marker", "numbers"),
    [
        ("Questions 1 and 2", ("Q1", "Q2")),
        ("Q1 & Q2", ("Q1", "Q2")),
        ("Q1/Q2", ("Q1", "Q2")),
        ("Questions 1-3", ("Q1", "Q2", "Q3")),
        ("Questions 1, 2 and 3", ("Q1", "Q2", "Q3")),
    ],
)
def test_one_answer_for_several_questions_is_proposed_for_each_with_a_note(marker, numbers):
    [part] = propose(paragraphs(marker, "Both proposals would split families in Derry."))

    assert part.numbers == numbers
    assert part.joint
    assert "proposed for each; choose one if it answers only one" in part.why


def test_a_joint_answer_goes_to_both_questions_or_to_the_one_the_officer_chooses():
    mapping = propose(paragraphs("Questions 1 and 3", "We disagree; families in Derry split."))
    q1, _, q3 = QUESTIONS

    both = answers_from_mapping(mapping, {}, questions=QUESTIONS)
    one = answers_from_mapping(mapping, {0: q3.id}, questions=QUESTIONS)

    assert [(a.question_id, a.position) for a in both] == [(q1.id, "Disagree"), (q3.id, "")]
    assert [a.question_id for a in one] == [q3.id]


def test_a_bare_number_after_markers_starts_the_next_answer_but_a_list_in_an_answer_does_not():
    mapping = propose(
        paragraphs(
            "Question 1",
            "We disagree, for two reasons:",
            "1. wages are lower here;",
            "2. housing costs are lower too.",
            "3.",
            "ESOL classes are full.",
        )
    )

    assert summary(mapping) == [
        (
            "Q1",
            "Disagree",
            "We disagree, for two reasons:\n\n1. wages are lower here;\n\n"
            "2. housing costs are lower too.",
        ),
        ("Q3", "", "ESOL classes are full."),
    ]
    assert mapping[1].confidence == "low"  # Q2 was skipped: "3." could still be a list's item
    assert mapping[1].why.startswith("'3.' follows the answer to Q1 in order")


def test_a_numbered_heading_whose_topic_is_not_the_questions_wording_is_matched_by_number():
    mapping = propose(
        paragraphs(
            ("Heading 1", "1. The £38,700 figure"),
            "We disagree: the minimum income would split families.",
            ("Heading 1", "3. Public services"),
            "Schools and GP practices in our area are full.",
        )
    )

    assert summary(mapping) == [
        ("Q1", "Disagree", "We disagree: the minimum income would split families."),
        ("Q3", "", "Schools and GP practices in our area are full."),
    ]
    assert [p.subtitle for p in mapping] == ["The £38,700 figure", "Public services"]
    assert mapping[1].why.startswith("heading '3.' is numbered like Q3 and its text is about it")


def test_numbered_sections_without_markers_are_matched_by_content_never_by_number():
    mapping = propose(
        paragraphs(
            ("Heading 1", "1. About us"),
            "We are a network of advice centres in the north west.",
            ("Heading 1", "2. Services in our area"),
            "Public services in our area, from GP practices to schools, are full already.",
        )
    )

    assert summary(mapping) == [
        ("-", "", "1. About us\n\nWe are a network of advice centres in the north west."),
        ("Q3", "", "Public services in our area, from GP practices to schools, are full already."),
    ]
    assert "the numbers in this response are its own" in mapping[1].why
    assert "text similar to Q3" in mapping[1].why


def test_numbered_paragraphs_with_nothing_else_to_go_on_are_proposed_at_low_confidence():
    # This test used to expect "medium": numbers alone now say little, and the officer checks.
    mapping = propose(paragraphs("1. Disagree. It is too high.", "2. Yes.", "3. School places."))

    assert summary(mapping) == [
        ("Q1", "Disagree", "Disagree. It is too high."),
        ("Q2", "Yes", ""),
        ("Q3", "", "School places."),
    ]
    assert {p.confidence for p in mapping} == {"low"}
    assert "nothing else says which question it answers, so check it" in mapping[0].why


def test_a_response_form_table_gives_each_row_to_its_question():
    document = docx.Document()
    table = document.add_table(rows=5, cols=3)
    rows = [
        ("No.", "Question", "Response"),
        ("1", Q1, "Disagree.\nThe level is too high for Northern Ireland's wages."),
        ("Q2", Q2, "Yes - we support it"),
        ("3", Q3, ""),
        ("", "", ""),
    ]
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text

    mapping = propose(saved(document))

    assert summary(mapping) == [
        ("Q1", "Disagree", "The level is too high for Northern Ireland's wages."),
        ("Q2", "Yes", "Yes - we support it"),
    ]
    assert mapping[0].source == "table 1, row 2"
    assert mapping[0].why.startswith("the table row '1' matches Q1")


def test_table_rows_are_matched_by_the_wording_of_their_question_column():
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    for row, cells in enumerate(
        [
            ("Question", "Agree/Disagree", "Comments"),
            ("Should care workers bring their dependants?", "No", "Care homes would close."),
            ("The minimum income requirement rising to £38,700", "Agree", ""),
        ]
    ):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text

    mapping = propose(saved(document))

    assert summary(mapping) == [("Q2", "No", "Care homes would close."), ("Q1", "Agree", "")]
    assert "read from the table's position column" in mapping[0].why


def test_a_table_of_figures_inside_an_answer_is_kept_as_rows():
    document = docx.Document()
    document.add_paragraph("Question 3")
    document.add_paragraph("Presentations to our homelessness service:")
    table = document.add_table(rows=3, cols=3)
    for row, cells in enumerate([("Year", "Households", "With children"), ("2024", "312", "41")]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text

    [part] = propose(saved(document))

    assert part.text == (
        "Presentations to our homelessness service:\n\nYear | Households | With children\n\n"
        "2024 | 312 | 41"
    )


def test_a_table_with_the_question_above_the_answer_row_reads_both_rows():
    document = docx.Document()
    table = document.add_table(rows=4, cols=1)
    for row, text in enumerate(
        [f"Question 1: {Q1}", "We agree.", f"Question 2: {Q2}", "No opinion yet."]
    ):
        table.cell(row, 0).text = text

    mapping = propose(saved(document))

    assert summary(mapping) == [("Q1", "Agree", ""), ("Q2", "", "No opinion yet.")]
    assert "it says 'No opinion', which matches none of Q2's options" in mapping[1].why


def test_a_heading_that_repeats_the_question_wording_starts_its_answer():
    document = docx.Document()
    document.add_heading("The minimum income requirement rising to £38,700", level=1)
    document.add_paragraph("Agree.")
    document.add_paragraph("It is fair to families who can meet it.")
    document.add_heading("Care workers bringing their dependants", level=1)
    document.add_paragraph("No.")
    document.add_heading("Annex: figures", level=1)
    document.add_paragraph("Table 4 of the council's housing report.")

    mapping = propose(saved(document))

    assert summary(mapping) == [
        ("Q1", "Agree", "It is fair to families who can meet it."),
        ("Q2", "No", ""),
        ("-", "", "Annex: figures\n\nTable 4 of the council's housing report."),
    ]
    assert mapping[0].why.startswith("the heading repeats the wording of Q1")
    assert mapping[0].marker == "The minimum income requirement rising to £38,700"


def test_a_sub_heading_inside_an_answer_stays_with_its_question_as_a_part_of_its_own():
    document = docx.Document()
    document.add_heading("Question 1", level=2)
    document.add_paragraph("We disagree. It is too high.")
    document.add_heading("Impact on housing", level=3)
    document.add_paragraph("Rents in Belfast rose 9% in 2025.")

    mapping = propose(saved(document))

    assert summary(mapping) == [
        ("Q1", "Disagree", "We disagree. It is too high."),
        ("Q1", "", "Impact on housing\n\nRents in Belfast rose 9% in 2025."),
    ]
    assert mapping[1].confidence == "medium"
    assert mapping[1].why.startswith("a sub-heading inside the answer to Q1")


def test_a_number_that_is_not_a_question_is_shown_unmatched():
    [part] = propose(word_bytes("Question 9: We have more to say about enforcement."))

    assert (part.question_id, part.numbers, part.confidence) == (None, ("Q9",), "low")
    assert part.why.startswith("'Question 9' is not a question of this consultation")


def test_closing_remarks_a_signature_and_a_date_never_join_the_last_answer():
    mapping = propose(
        paragraphs(
            "Q3",
            "Schools are full.",
            "We would welcome a meeting to discuss our response.",
            "Revd Samuel Orr, Convenor",
            "February 2026",
        )
    )

    assert summary(mapping) == [
        ("Q3", "", "Schools are full."),
        (
            "-",
            "",
            "We would welcome a meeting to discuss our response.\n\n"
            "Revd Samuel Orr, Convenor\n\nFebruary 2026",
        ),
    ]


def test_answers_to_questions_numbered_by_chapter_go_to_those_questions():
    chapters = [
        PaperQuestion(21, "Q2.1", Q1, "hybrid", AGREEMENT),
        PaperQuestion(22, "Q2.2", Q2, "closed", ("Yes", "No")),
    ]
    data = paragraphs(
        "Question 2.1 – the threshold", "We disagree.", "Q2.2", "No; care homes close."
    )

    mapping = propose_mapping(data, chapters, filename="response.docx")

    assert [(p.numbers, p.position, p.text) for p in mapping] == [
        (("Q2.1",), "Disagree", ""),
        (("Q2.2",), "No", "No; care homes close."),
    ]


def test_a_letter_with_no_markers_is_split_into_paragraphs_matched_by_what_they_say():
    mapping = propose(
        paragraphs(
            "Dear Sam,",
            "Thank you for asking for our views, which we set out below for the partnership.",
            "Care workers must be able to bring their dependants, or care homes will lose staff "
            "they cannot replace.",
            "Kind regards, Ann",
        )
    )

    assert [part[:2] for part in summary(mapping)] == [("-", ""), ("Q2", ""), ("-", "")]
    assert mapping[0].text.startswith("Dear Sam,\n\nThank you for asking for our views")
    assert mapping[1].why.startswith("no marker; text similar to Q2")
    assert mapping[1].confidence == "medium"
    assert mapping[2].text == "Kind regards, Ann"


def test_a_pdf_letter_is_read_like_a_word_one():
    data = pdf_file(
        paragraphs_page(
            ("Ardmore Council", 14, True),
            "Our response to the consultation follows.",
            ("Question 1 – the income threshold", 11, True),
            "We disagree.",
            "Wages here are lower than in London.",
            ("Q2", 11, True),
            "Yes, provided they can work.",
        )
    )

    mapping = propose_mapping(data, QUESTIONS, filename="response.pdf")

    assert summary(mapping) == [
        ("-", "", "Ardmore Council\n\nOur response to the consultation follows."),
        ("Q1", "Disagree", "Wages here are lower than in London."),
        ("Q2", "Yes", "Yes, provided they can work."),
    ]
    assert mapping[1].subtitle == "the income threshold"


# --- The officer's corrections ----------------------------------------------------------------


def test_corrections_move_parts_between_questions_and_leave_parts_out():
    mapping = propose(
        paragraphs(
            "Thank you for the chance to respond.",
            ("Heading 2", "Question 1"),
            "We disagree. It is too high.",
            ("Heading 2", "Annex A"),
            "Rents in Belfast rose 9% in 2025.",
            ("Heading 2", "Question 2"),
            "We agree.",
        )
    )
    assert summary(mapping) == [
        ("-", "", "Thank you for the chance to respond."),
        ("Q1", "Disagree", "We disagree. It is too high."),
        ("-", "", "Annex A\n\nRents in Belfast rose 9% in 2025."),
        ("Q2", "Yes", ""),  # the line that only gives the position is not the comment
    ]
    q1, _, q3 = QUESTIONS

    answers = answers_from_mapping(mapping, {2: q1.id, 3: q3.id}, questions=QUESTIONS)

    assert [(a.question_id, a.position, a.text) for a in answers] == [
        (
            q1.id,
            "Disagree",
            "We disagree. It is too high.\n\nAnnex A\n\nRents in Belfast rose 9% in 2025.",
        ),
        (q3.id, "", "We agree."),  # no position on an open question: the words stay as text
    ]


def test_part_moved_to_another_question_has_its_position_read_again():
    mapping = propose(word_bytes("Q2. We disagree: families need their carers."))
    assert mapping[0].position == "No"

    [answer] = answers_from_mapping(mapping, {0: QUESTIONS[0].id}, questions=QUESTIONS)

    assert (answer.question_id, answer.position) == (QUESTIONS[0].id, "Disagree")


def test_two_parts_with_different_positions_for_one_question_are_refused():
    mapping = propose(paragraphs("Q1. We agree.", "Q2. No."))

    with pytest.raises(
        ValidationFailed,
        match=r"Q1 would get two positions, 'Agree' \(part 1\) and 'Disagree' \(part 2\)",
    ):
        answers_from_mapping(mapping, {1: QUESTIONS[0].id}, questions=QUESTIONS)


def test_correction_to_a_question_of_another_consultation_is_refused():
    mapping = propose(word_bytes("Q1. We agree."))

    with pytest.raises(ValidationFailed, match="part 1 is given to a question that is not part"):
        answers_from_mapping(mapping, {0: 999_999}, questions=QUESTIONS)


# --- Importing through the real write path --------------------------------------------------


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


def test_confirmed_mapping_is_imported_through_the_real_write_path(session, world):
    data = paragraphs(
        "Q1. We disagree. It is too high.", "Questions 2 and 3", "No; schools are full."
    )
    mapping = propose_mapping(data, world.questions, filename="response.docx")
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
        ("Q2", "No", "No; schools are full.", True),
        ("Q3", "", "No; schools are full.", True),
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
        ("response.pdf", lambda: b"%PDF-1.7\n", "it could not be read as a PDF"),
        ("response.xlsx", lambda: b"PK", r"files '\.xlsx' are not accepted"),
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
def test_bad_word_files_are_refused_with_a_clear_message(name, make, message):
    with pytest.raises(ValidationFailed, match=message) as error:
        propose(make(), name)

    assert str(error.value).startswith(f"The file '{name}' has 1 problem: ")
