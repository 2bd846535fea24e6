"""The Excel route: real templates are built, filled in with openpyxl, read back and imported."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from consultations.consultation import move_consultation
from consultations.dates import plain_date
from consultations.errors import ValidationFailed
from consultations.models import AuditEvent, Consultation, Organisation, User
from consultations.questions import QuestionForm, add_question, save_questions
from evidence.excel_route import (
    HEADER_ROW,
    HEADERS,
    META_SHEET,
    RESPONSE_SHEET,
    build_template,
    parse_response_workbook,
)
from evidence.models import Answer, Submission
from evidence.submissions import import_answers
from tests.conftest import NOW, PARTNER_DEADLINE, add_consultation, add_organisation, add_person
from tests.test_files import encrypted, rezipped, with_macros, word_bytes, zip_bomb

TODAY = NOW.date()
AGREEMENT = "Agree, Disagree, Neither agree nor disagree, Don't know"
FIRST = HEADER_ROW + 1  # the row of the first question


@dataclass
class World:
    officer: User
    council: Organisation
    partner: User
    consultation: Consultation


@pytest.fixture
def world(session: Session) -> World:
    """A consultation with three hybrid questions (the usual agreement options), a yes/no one
    and an open one."""
    officer = add_person(session, "officer")
    council = add_organisation(session)
    consultation = add_consultation(session, officer)
    save_questions(
        session,
        officer,
        consultation.id,
        [
            QuestionForm("Q4", "Should care workers bring dependants?", "closed", ("Yes", "No")),
            QuestionForm("Q5", "What would the changes mean for your area?", "open"),
        ],
        now=NOW,
        source="test",
    )
    move_consultation(session, officer, consultation.id, "open", now=NOW)
    return World(
        officer, council, add_person(session, "partner", organisation=council), consultation
    )


def template(world: World, organisation_name: str | None = "Belfast City Council") -> bytes:
    return build_template(
        world.consultation, world.consultation.questions, organisation_name=organisation_name
    )


def filled(data: bytes, answers: dict[str, object]) -> bytes:
    """Fill cells of the Response sheet ("C4": "Agree") and save, as a partner's Excel would."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook[RESPONSE_SHEET]
    for cell, value in answers.items():
        sheet[cell] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse(world: World, data: bytes, name: str = "response.xlsx", **options):
    return parse_response_workbook(
        data, world.consultation, world.consultation.questions, filename=name, **options
    )


def ids(world: World) -> list[int]:
    return [question.id for question in world.consultation.questions]


# --- The template ---------------------------------------------------------------------------


def test_template_has_instructions_with_the_deadline_in_words(world):
    workbook = openpyxl.load_workbook(io.BytesIO(template(world)))

    assert workbook.sheetnames[:2] == ["Instructions", RESPONSE_SHEET]
    instructions = "\n".join(
        str(cell.value) for row in workbook["Instructions"].iter_rows() for cell in row
    )
    assert "Family migration: a consultation" in instructions
    assert f"Please return your answers by {plain_date(PARTNER_DEADLINE)}." in instructions
    assert "For: Belfast City Council" in instructions
    assert "chosen in the workbench when you submit, not in this file" in instructions


def test_template_comes_filled_in_with_the_saved_answers_and_reads_back_the_same(world):
    from evidence.submissions import AnswerInput

    first, _, third, fourth, _ = ids(world)
    saved = {
        first: AnswerInput(first, "Disagree", "It splits families in Belfast.", "Case files, 2025"),
        fourth: AnswerInput(fourth, "", "=Longer waits in Newry.", ""),
    }
    data = build_template(
        world.consultation,
        world.consultation.questions,
        organisation_name="Belfast City Council",
        answers=saved,
    )

    read = {a.question_id: a for a in parse(world, data)}
    assert read[first] == saved[first]
    assert read[fourth].text == "=Longer waits in Newry."  # kept as text, not a formula
    assert third not in read


def test_template_has_one_row_per_question_under_the_headers(world):
    sheet = openpyxl.load_workbook(io.BytesIO(template(world)))[RESPONSE_SHEET]

    assert [cell.value for cell in sheet[HEADER_ROW]] == list(HEADERS)
    assert [sheet.cell(row, 1).value for row in range(FIRST, FIRST + 6)] == [
        "Q1",
        "Q2",
        "Q3",
        "Q4",
        "Q5",
        None,
    ]
    assert sheet.cell(FIRST, 2).value == "Do you agree with proposal 1?"
    assert sheet.cell(FIRST, 2).alignment.wrap_text


def test_template_drop_downs_offer_each_questions_own_options(world):
    workbook = openpyxl.load_workbook(io.BytesIO(template(world)))
    sheet, positions = workbook[RESPONSE_SHEET], workbook["Positions"]

    def options_at(cell: str) -> list[str] | None:
        for validation in sheet.data_validations.dataValidation:
            if validation.type == "list" and cell in validation.sqref:
                sheet_name, cells = validation.formula1.split("!")
                assert sheet_name == "Positions"
                return [c.value for row in positions[cells.replace("$", "")] for c in row]
        return None

    assert options_at(f"C{FIRST}") == AGREEMENT.split(", ")
    assert options_at(f"C{FIRST + 2}") == AGREEMENT.split(", ")
    assert options_at(f"C{FIRST + 3}") == ["Yes", "No"]
    assert options_at(f"C{FIRST + 4}") is None  # the open question: nothing to choose
    assert positions.sheet_state == "hidden"
    validations = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert all(v.showErrorMessage for v in validations)


def test_template_locks_everything_but_the_answer_cells(world):
    workbook = openpyxl.load_workbook(io.BytesIO(template(world)))
    sheet = workbook[RESPONSE_SHEET]

    assert sheet.protection.sheet
    assert workbook.security.lockStructure
    assert sheet.cell(FIRST, 1).protection.locked
    assert sheet.cell(FIRST, 2).protection.locked
    assert sheet.cell(HEADER_ROW, 3).protection.locked
    for column in (3, 4, 5):
        assert not sheet.cell(FIRST, column).protection.locked
    assert sheet.cell(FIRST + 4, 3).protection.locked  # no position on an open question
    assert not sheet.cell(FIRST + 4, 4).protection.locked
    assert workbook[META_SHEET].sheet_state == "veryHidden"


def test_template_neutralises_formula_shaped_text(session, world):
    add_question(
        session,
        world.officer,
        world.consultation.id,
        QuestionForm("Q6", '=HYPERLINK("http://evil.example","Click")', "open"),
        now=NOW,
    )
    session.refresh(world.consultation)

    data = template(world, organisation_name="@SUM(1+1) Trust")

    sheet = openpyxl.load_workbook(io.BytesIO(data))[RESPONSE_SHEET]
    cell = sheet.cell(FIRST + 5, 2)
    assert cell.value == '=HYPERLINK("http://evil.example","Click")'
    assert cell.data_type == "s"
    assert cell.quotePrefix
    assert sheet.cell(2, 1).value.startswith("From @SUM(1+1) Trust.")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(name) for name in sheets)


# --- Reading a filled template back --------------------------------------------------------------


def test_filled_template_round_trip_imports_every_answer(session, world):
    data = filled(
        template(world),
        {
            f"C{FIRST}": "Disagree",
            f"D{FIRST}": "The threshold would split families in Belfast.",
            f"E{FIRST}": "120 families in 2025 (council records)",
            f"C{FIRST + 3}": "Yes",
            f"D{FIRST + 4}": "<script>alert('x')</script> **Waiting lists** doubled.",
        },
    )

    answers = parse(world, data)
    import_answers(
        session,
        world.partner,
        world.consultation.id,
        answers,
        source="response.xlsx",
        today=TODAY,
        now=NOW,
    )

    saved = {
        a.question.number: (a.position, a.text, a.evidence_note)
        for a in session.scalars(select(Answer))
    }
    assert saved == {
        "Q1": (
            "Disagree",
            "The threshold would split families in Belfast.",
            "120 families in 2025 (council records)",
        ),
        "Q4": ("Yes", "", ""),
        "Q5": ("", "<script>alert('x')</script> **Waiting lists** doubled.", ""),
    }


def test_empty_template_gives_no_answers(world):
    assert parse(world, template(world)) == []


def test_position_is_matched_whatever_its_case_and_spacing(world):
    data = filled(template(world), {f"C{FIRST}": "  neither AGREE nor  disagree "})

    assert [a.position for a in parse(world, data)] == ["Neither agree nor disagree"]


def test_numbers_typed_as_plain_numbers_still_find_their_questions(world):
    data = filled(template(world), {f"A{FIRST}": 1, f"D{FIRST}": "Plain number."})

    assert [(a.question_id, a.text) for a in parse(world, data)] == [
        (ids(world)[0], "Plain number.")
    ]


def test_position_not_in_the_list_is_reported_with_its_row_and_column(world):
    data = filled(template(world), {f"C{FIRST}": "agreee"})

    with pytest.raises(
        ValidationFailed,
        match=rf"^The file 'response\.xlsx' has 1 problem: row 4, column 'Your position': "
        rf"'agreee' is not one of {AGREEMENT}; choose one from the drop-down list\. "
        r"Nothing was saved\.$",
    ):
        parse(world, data)


def test_every_bad_row_is_listed_with_its_row_and_column(world):
    data = filled(
        template(world),
        {
            f"C{FIRST}": "Maybe",
            f"D{FIRST + 1}": "x" * 10_001,
            f"E{FIRST + 2}": "y" * 2_001,
            f"C{FIRST + 4}": "Agree",
            f"D{FIRST + 3}": "=1+1",
            f"A{FIRST + 6}": "Q9",
            f"D{FIRST + 6}": "An answer to a question that is not there.",
            f"A{FIRST + 7}": "Q1",
            f"D{FIRST + 7}": "Q1 answered twice.",
            f"D{FIRST + 8}": "An answer with no number.",
            f"F{FIRST + 1}": "A note outside the columns.",
        },
    )

    with pytest.raises(ValidationFailed) as error:
        parse(world, data)

    found = [(p.row, p.column, p.message.split(";")[0]) for p in error.value.problems]
    assert found == [
        (4, "Your position", f"'Maybe' is not one of {AGREEMENT}"),
        (5, "F", "there is text outside the answer columns"),
        (5, "Your comment", "it has 10,001 characters and the most is 10,000"),
        (
            6,
            "Evidence (figure, case study or source)",
            "it has 2,001 characters and the most is 2,000",
        ),
        (7, "Your comment", "it holds a formula"),
        (8, "Your position", "Q5 asks for a written answer only"),
        (10, "Number", "'Q9' is not a question of this consultation"),
        (11, "Number", "Q1 is also answered on row 4"),
        (12, "Number", "there is an answer but no question number"),
    ]
    assert str(error.value).startswith("The file 'response.xlsx' has 9 problems: row 4, column")


def test_template_for_another_consultation_is_refused_naming_it(session, world):
    other = add_consultation(
        session, world.officer, title="Asylum accommodation: call for evidence"
    )
    other_template = build_template(other, other.questions, organisation_name=None)

    with pytest.raises(
        ValidationFailed,
        match=r"it is the response template for another consultation, 'Asylum accommodation: "
        r"call for evidence'; download the template for 'Family migration: a consultation' from "
        "the workbench",
    ):
        parse(world, filled(other_template, {f"C{FIRST}": "Agree"}))


def test_workbook_that_is_not_a_template_is_refused(world):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Number", "Question", "Your position"])
    workbook.active.append(["Q1", "Do you agree?", "Agree"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(
        ValidationFailed, match="it is not a response template from the workbench; download"
    ):
        parse(world, buffer.getvalue())


def test_template_from_before_the_questions_changed_is_refused(session, world):
    old = template(world)
    add_question(
        session, world.officer, world.consultation.id, QuestionForm("Q6", "Anything else?"), now=NOW
    )
    session.refresh(world.consultation)

    with pytest.raises(ValidationFailed, match="the consultation's questions have changed since"):
        parse(world, old)


def test_changed_header_row_is_refused(world):
    data = filled(template(world), {f"C{HEADER_ROW}": "Position"})

    with pytest.raises(
        ValidationFailed, match="row 3 of the 'Response' sheet should be the header"
    ):
        parse(world, data)


def test_workbook_with_100000_rows_is_refused_without_reading_them_all(world):
    workbook = openpyxl.load_workbook(io.BytesIO(template(world)))
    sheet = workbook[RESPONSE_SHEET]
    for row in range(FIRST + 5, FIRST + 100_000):
        sheet.cell(row, 1, "Q1")
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(
        ValidationFailed,
        match=r"^The file 'big\.xlsx' has 1 problem: it holds more than 75,000 cells, more "
        "than any response, template or list of questions the workbench reads",
    ):
        parse(world, buffer.getvalue(), "big.xlsx")


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("response.xlsm", lambda data: data, "it is macro-enabled"),
        ("response.xlsx", with_macros, "it is macro-enabled"),
        ("response.xlsx", encrypted, "it is password-protected"),
        ("response.xlsx", lambda data: data[:3000], "it is damaged and cannot be opened"),
        (
            "response.xlsx",
            lambda data: rezipped(
                data,
                replace=lambda part, content: (
                    content[:100] if part == "xl/worksheets/sheet2.xml" else content
                ),
            ),
            "it could not be read as an Excel workbook and may be damaged",
        ),
        ("response.xlsx", lambda data: zip_bomb(), "it would unpack to more than 100 MB"),
        (
            "response.xlsx",
            lambda data: word_bytes(),
            r"it is a Word document \(\.docx\), not an Excel workbook \(\.xlsx\)",
        ),
        ("response.csv", lambda data: b"Q1,Agree", r"files '\.csv' are not accepted"),
    ],
)
def test_unsafe_or_unusable_files_are_refused_before_reading(world, name, make, message):
    with pytest.raises(ValidationFailed, match=message):
        parse(world, make(template(world)), name)


# --- Importing through the real write path ---------------------------------------------------


def test_importing_the_same_file_twice_creates_no_duplicates(session, world):
    data = filled(
        template(world),
        {f"C{FIRST}": "Agree", f"D{FIRST}": "We agree.", f"C{FIRST + 1}": "Don't know"},
    )

    for _ in range(2):
        import_answers(
            session,
            world.partner,
            world.consultation.id,
            parse(world, data),
            source="response.xlsx",
            today=TODAY,
            now=NOW,
        )

    answers = session.scalars(select(Answer)).all()
    assert sorted(a.question.number for a in answers) == ["Q1", "Q2"]
    assert all(a.version == 1 for a in answers)
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "answers.imported").order_by(AuditEvent.id)
    ).all()
    assert [event.detail["changed"] for event in events] == [["Q1", "Q2"], []]


def test_officer_imports_a_partners_file_on_their_behalf(session, world):
    data = filled(template(world), {f"C{FIRST + 3}": "No", f"D{FIRST + 3}": "Emailed to us."})

    import_answers(
        session,
        world.officer,
        world.consultation.id,
        parse(world, data),
        organisation_id=world.council.id,
        source="response.xlsx",
        today=TODAY,
        now=NOW,
    )

    submission = session.scalar(select(Submission))
    assert submission.organisation_id == world.council.id
    assert [(a.position, a.entered_by_officer) for a in submission.answers] == [("No", True)]
