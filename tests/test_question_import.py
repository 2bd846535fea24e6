"""Question import: real .docx, .xlsx and .csv files are built here, saved and parsed back."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable

import docx
import openpyxl
import pytest
from docx.document import Document
from docx.oxml import parse_xml
from msoffcrypto.format.ooxml import OOXMLFile

from consultations.errors import ValidationFailed
from consultations.question_import import (
    DEFAULT_AGREEMENT_OPTIONS,
    ParsedQuestion,
    parse_questions,
    read_questions,
)

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


# --- Builders ---------------------------------------------------------------------------------


def saved(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def word_file(*paragraphs: str | tuple[str, str]) -> bytes:
    """Build a .docx from paragraphs given as text, or as (text, style name)."""
    document = docx.Document()
    for paragraph in paragraphs:
        text, style = (paragraph, None) if isinstance(paragraph, str) else paragraph
        document.add_paragraph(text, style=style)
    return saved(document)


def workbook_file(*sheets: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for index, rows in enumerate(sheets, start=1):
        sheet = workbook.create_sheet(f"Sheet {index}")
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_file(rows: list[list[str]], *, encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def rezipped(
    data: bytes,
    *,
    extra: dict[str, bytes] | None = None,
    replace: Callable[[str, bytes], bytes] | None = None,
) -> bytes:
    """Copy an Office zip, adding entries or changing one entry's bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            target.writestr(name, replace(name, content) if replace else content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return buffer.getvalue()


def by_number(questions: list[ParsedQuestion]) -> dict[str, ParsedQuestion]:
    return {question.number: question for question in questions}


def problems_of(error: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


# --- Word: five layouts -----------------------------------------------------------------------


def test_docx_with_question_paragraphs_gives_each_question_with_its_full_text():
    data = word_file(
        ("Consultation on visa fees", "Title"),
        "The Home Office proposes to change fees. Please reply by 5 May.",
        "Question 1: Do you agree that the application fee should rise",
        "for every visa route?",
        "Yes ☐   No ☐   Don't know ☐",
        "Please explain your answer.",
        "",
        "Question 2 – What effect would higher fees have on families in your area?",
        "QUESTION 3",
        "Is there anything else you would like to tell us",
        "about the proposals?",
    )

    questions = parse_questions("fees.docx", data)

    assert [q.number for q in questions] == ["Q1", "Q2", "Q3"]
    first, second, third = questions
    assert first.text == ("Do you agree that the application fee should rise for every visa route?")
    assert (first.kind, first.options) == ("hybrid", ("Yes", "No", "Don't know"))
    assert first.source == "paragraph 3"
    assert second.text == "What effect would higher fees have on families in your area?"
    assert (second.kind, second.options) == ("open", ())
    assert third.text == "Is there anything else you would like to tell us about the proposals?"
    assert third.source == "paragraph 9"


def test_docx_with_q_numbers_leaves_guidance_lists_and_about_you_out_of_the_questions():
    data = word_file(
        ("How to respond", "Heading 1"),
        "1. Read the consultation document.",
        "2. Answer the questions below.",
        ("Questions", "Heading 1"),
        "Q1. Do you agree with the proposed dispersal model? Please explain your answer.",
        "The model is set out in chapter 2 of the consultation document.",
        "Q 2) How could councils be better involved in choosing sites?",
        "Q3 What support do people need in their first month?",
        "Q3a: Which services should provide it?",
        "Q4: Do you have any other comments?",
        ("About you", "Heading 1"),
        "What is the name of your organisation?",
        "Are you responding on behalf of an organisation? Yes ☐ No ☐",
    )

    questions = by_number(parse_questions("dispersal.docx", data))

    assert list(questions) == ["Q1", "Q2", "Q3", "Q3a", "Q4"]
    # The paper's own prose after the question is not part of it.
    assert questions["Q1"].text == (
        "Do you agree with the proposed dispersal model? Please explain your answer."
    )
    assert questions["Q1"].kind == "hybrid"
    assert questions["Q1"].options == DEFAULT_AGREEMENT_OPTIONS
    assert questions["Q2"].text == "How could councils be better involved in choosing sites?"
    assert questions["Q3a"].text == "Which services should provide it?"
    assert questions["Q4"].text == "Do you have any other comments?"
    assert (questions["Q4"].kind, questions["Q4"].options) == ("open", ())


def test_docx_response_form_table_gives_a_question_per_numbered_row():
    document = docx.Document()
    document.add_paragraph("Response form", style="Heading 1")
    rows = [
        ("No.", "Question"),
        ("Q1", "Do you agree that asylum support should be paid weekly?"),
        ("", ""),
        ("Q2", "What are the main pressures on local housing?"),
        ("", ""),
        ("Q3", "Should the right to work start after six months?"),
        ("", "Yes ☐ No ☐"),
        ("", "Comments:"),
        ("", ""),
    ]
    table = document.add_table(rows=len(rows), cols=2)
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("Thank you for your response.")

    questions = parse_questions("form.docx", saved(document))

    assert [(q.number, q.source) for q in questions] == [
        ("Q1", "table 1, row 2"),
        ("Q2", "table 1, row 4"),
        ("Q3", "table 1, row 6"),
    ]
    assert questions[0].options == DEFAULT_AGREEMENT_OPTIONS
    assert questions[1].text == "What are the main pressures on local housing?"
    assert (questions[1].kind, questions[1].options) == ("open", ())
    assert (questions[2].kind, questions[2].options) == ("hybrid", ("Yes", "No"))


def test_docx_auto_numbered_list_paragraphs_ending_in_a_question_mark_keep_the_numbers_word_shows():
    data = word_file(
        "Please answer the questions below.",
        ("Housing and accommodation", "Heading 2"),
        ("Do you agree with the plan to end hotel use?", "List Number"),
        ("How much notice do councils need before a site opens?", "List Number"),
        ("Give figures where you can.", "List Number"),
        ("What else would you like us to consider?", "List Bullet"),
        ("What data do you hold on homelessness after a grant of leave?", "List Number"),
    )

    questions = parse_questions("housing.docx", data)

    # Word shows "4." in front of the last one: the instruction numbered 3 is not a question.
    assert [(q.number, q.source) for q in questions] == [
        ("Q1", "paragraph 3"),
        ("Q2", "paragraph 4"),
        ("Q4", "paragraph 7"),
    ]
    assert questions[0].kind == "closed"
    assert {q.section for q in questions} == {"Housing and accommodation"}
    # A numbered instruction and a bulleted question are part of the question before them.
    assert questions[1].text == (
        "How much notice do councils need before a site opens? Give figures where you can. "
        "What else would you like us to consider?"
    )


def test_docx_with_bare_numbered_paragraphs_takes_the_questions_not_the_numbered_guidance():
    data = word_file(
        "Before you start:",
        "1. Read the impact assessment.",
        "2. Talk to your partners.",
        "3. Send the form to the SMP by 1 June.",
        ("Questions", "Heading 1"),
        "1. Do you agree with the new settlement route?",
        "2) What would the change mean for care leavers?",
        "3. Describe any evidence you hold on the costs to councils.",
        "4. Is there anything else we should know?",
    )

    questions = parse_questions("settlement.docx", data)

    assert [(q.number, q.source) for q in questions] == [
        ("Q1", "paragraph 6"),
        ("Q2", "paragraph 7"),
        ("Q3", "paragraph 8"),
        ("Q4", "paragraph 9"),
    ]
    assert questions[2].text == "Describe any evidence you hold on the costs to councils."


def test_docx_reads_paragraphs_and_tables_in_document_order():
    document = docx.Document()
    document.add_paragraph("Q1. Do you agree with the proposal?")
    table = document.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "Question 2: What would help your council most?"
    document.add_paragraph("Q3. Any other comments?")

    questions = parse_questions("mixed.docx", saved(document))

    assert [(q.number, q.source) for q in questions] == [
        ("Q1", "paragraph 1"),
        ("Q2", "table 1, row 1"),
        ("Q3", "paragraph 2"),
    ]
    assert questions[1].text == "What would help your council most?"


def test_docx_table_with_bare_numbers_and_tick_cells_gives_closed_questions():
    document = docx.Document()
    table = document.add_table(rows=3, cols=5)
    values = [
        ("1", "Should the income threshold rise?", "Yes", "☐", "No ☐"),
        ("", "", "", "", ""),
        ("2", "Should the route stay open?", "Yes ☐", "No ☐", "Don't know ☐"),
    ]
    for row, cells in zip(table.rows, values, strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value

    questions = parse_questions("family.docx", saved(document))

    assert [(q.number, q.kind, q.options) for q in questions] == [
        ("Q1", "closed", ("Yes", "No")),
        ("Q2", "closed", ("Yes", "No", "Don't know")),
    ]


def test_docx_reads_questions_inside_content_controls_and_wingdings_tick_boxes():
    document = docx.Document()
    body = document.element.body
    control = parse_xml(
        f"<w:sdt {W_NS}><w:sdtContent>"
        "<w:p><w:r><w:t>Q1. Should councils be told before a site opens?</w:t></w:r></w:p>"
        "<w:p><w:r><w:t xml:space='preserve'>Yes </w:t></w:r>"
        "<w:r><w:sym w:font='Wingdings' w:char='F06F'/></w:r>"
        "<w:r><w:t xml:space='preserve'> No </w:t></w:r>"
        "<w:r><w:sym w:font='Wingdings' w:char='F06F'/></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )
    body.insert(0, control)

    (question,) = parse_questions("controls.docx", saved(document))

    assert question.text == "Should councils be told before a site opens?"
    assert (question.kind, question.options) == ("closed", ("Yes", "No"))


@pytest.mark.parametrize(
    ("paragraph", "number", "text"),
    [
        ("Question 3(a): Do you agree?", "Q3a", "Do you agree?"),
        ("Question 3 (b) – What else?", "Q3b", "What else?"),
        ("Q3a. What else?", "Q3a", "What else?"),
        ("Q12: What else?", "Q12", "What else?"),
        ("Q 4) What else?", "Q4", "What else?"),
        ("Q5 What else?", "Q5", "What else?"),
        ("Question 06\tWhat else?", "Q6", "What else?"),
        ("Consultation question 7: What else?", "Q7", "What else?"),
    ],
)
def test_docx_question_numbers_are_normalised(paragraph, number, text):
    (question,) = parse_questions("one.docx", word_file(paragraph))

    assert (question.number, question.text) == (number, text)


@pytest.mark.parametrize(
    ("lines", "kind", "options"),
    [
        (["Q1. Do you agree with the proposal?"], "closed", DEFAULT_AGREEMENT_OPTIONS),
        (["Q1. Do you agree? Please give reasons."], "hybrid", DEFAULT_AGREEMENT_OPTIONS),
        (["Q1. Do you agree?", "Comments:"], "hybrid", DEFAULT_AGREEMENT_OPTIONS),
        (["Q1. What would help?"], "open", ()),
        (["Q1. Should fees rise? Yes ☐ No ☐"], "closed", ("Yes", "No")),
        (["Q1. Should fees rise?", "☐ Yes", "☐ No"], "closed", ("Yes", "No")),
        (["Q1. Should fees rise?", "Yes / No / Don’t know"], "closed", ("Yes", "No", "Don't know")),
        (["Q1. Should fees rise?", "[ ] Yes  [ ] No", "Comments:"], "hybrid", ("Yes", "No")),
        (
            [
                "Q1. To what extent do you agree that fees are fair?",
                "Strongly agree ☐ Agree ☐ Neither agree nor disagree ☐ Disagree ☐ "
                "Strongly disagree ☐",
            ],
            "closed",
            (
                "Strongly agree",
                "Agree",
                "Neither agree nor disagree",
                "Disagree",
                "Strongly disagree",
            ),
        ),
    ],
)
def test_docx_question_kind_follows_its_tick_boxes_and_wording(lines, kind, options):
    (question,) = parse_questions("kinds.docx", word_file(*lines))

    assert (question.kind, question.options) == (kind, options)


def test_docx_question_text_stops_at_the_answer_box():
    data = word_file(
        "Q1. Should fees rise?",
        "Yes ☐ No ☐",
        "Your answer will be shared with the board.",
        "Q2. What would help?",
        "Please describe the support you need.",
        "Annex A: summary of the proposals",
        "Q3 appears in the annex for reference only.",
    )

    questions = parse_questions("stops.docx", data)

    assert [q.text for q in questions] == ["Should fees rise?", "What would help?"]
    assert questions[1].kind == "open"


def test_docx_guidance_that_mentions_questions_is_not_taken_for_questions():
    data = word_file(
        "Question 1 asks about fees and question 2 about families.",
        "Q1 2024 saw applications rise.",
        "Questions 1 to 3 are for councils.",
    )

    with pytest.raises(ValidationFailed, match="no numbered questions were found"):
        parse_questions("guidance.docx", data)


def test_docx_without_numbered_questions_says_how_to_number_them():
    data = word_file("Dear partners,", "Please send us your views on the proposals.")

    with pytest.raises(
        ValidationFailed,
        match=r"^The file 'letter.docx' has 1 problem: no numbered questions were found; "
        r"start each question's paragraph with its number, like 'Question 1:', 'Q1.' .* "
        r"Nothing was saved\.$",
    ):
        parse_questions("letter.docx", data)


def test_docx_with_repeated_numbers_keeps_one_question_each_and_names_every_place():
    data = word_file(
        "Q1. Do you agree?",
        "Q2. What would help?",
        "Q1. Do you agree again?",
        "Q2. What else would help?",
        "Q2. Anything more?",
    )

    found = read_questions("twice.docx", data)

    assert [(q.number, q.text) for q in found.questions] == [
        ("Q1", "Do you agree?"),
        ("Q2", "What would help?"),
    ]
    assert [str(notice) for notice in found.notices] == [
        "Q1 appears 2 times with different wording, at paragraph 1 and paragraph 3; the wording "
        "at paragraph 1 was kept: check it is the question partners will answer",
        "Q2 appears 3 times with different wording, at paragraph 2, paragraph 4 and paragraph 5; "
        "the wording at paragraph 2 was kept: check it is the question partners will answer",
    ]


def test_docx_question_number_without_text_is_left_out_with_a_notice_at_its_place():
    data = word_file("Q1. Do you agree?", ("Question 2", "Heading 2"))

    found = read_questions("short.docx", data)

    assert [q.number for q in found.questions] == ["Q1"]
    assert [str(notice) for notice in found.notices] == [
        "Q2, paragraph 2: it has a number but no wording, so it was left out; add it by hand"
    ]


def test_docx_with_more_than_500_questions_is_refused():
    data = word_file(*(f"Q{n}. Question number {n}?" for n in range(1, 502)))

    with pytest.raises(ValidationFailed, match="it has 501 questions and at most 500"):
        parse_questions("long.docx", data)


# --- Spreadsheets -----------------------------------------------------------------------------


def test_xlsx_reads_the_first_sheet_with_a_header_row_and_its_columns():
    data = workbook_file(
        [],
        [
            ["Consultation on family migration"],
            [],
            ["Ref", "Question text", "Type", "Options"],
            ["Q1", "Should the income threshold rise?", "closed", "Yes; No; Don't know"],
            [None, None, None, None],
            [2, "What would the change mean for your area?", "open", None],
            ["3a", "Do you agree with the new route?", "Hybrid", None],
            ["Q3b", "Which sectors would be hit?", "", "Care | Hospitality\nFarming"],
        ],
    )

    questions = parse_questions("family.xlsx", data)

    assert questions == [
        ParsedQuestion(
            "Q1",
            "Should the income threshold rise?",
            "closed",
            ("Yes", "No", "Don't know"),
            "row 4",
        ),
        ParsedQuestion("Q2", "What would the change mean for your area?", "open", (), "row 6"),
        ParsedQuestion(
            "Q3a", "Do you agree with the new route?", "hybrid", DEFAULT_AGREEMENT_OPTIONS, "row 7"
        ),
        ParsedQuestion(
            "Q3b",
            "Which sectors would be hit?",
            "closed",
            ("Care", "Hospitality", "Farming"),
            "row 8",
        ),
    ]


def test_xlsx_without_a_number_column_numbers_the_rows_in_order():
    data = workbook_file(
        [
            ["Question"],
            ["  Do you agree with   the proposal?  "],
            [None],
            ["What else should we know?"],
        ]
    )

    questions = parse_questions("plain.xlsx", data)

    assert [(q.number, q.text, q.kind, q.source) for q in questions] == [
        ("Q1", "Do you agree with the proposal?", "closed", "row 2"),
        ("Q2", "What else should we know?", "open", "row 4"),
    ]


def test_csv_with_a_byte_order_mark_is_read():
    data = csv_file(
        [
            ["No.", "Question", "Options"],
            ["1", "Should fees rise?", "Yes|No"],
            ["2", "Why?", ""],
        ]
    )

    questions = parse_questions("fees.csv", data)

    assert [(q.number, q.kind, q.options, q.source) for q in questions] == [
        ("Q1", "closed", ("Yes", "No"), "row 2"),
        ("Q2", "open", (), "row 3"),
    ]


def test_csv_saved_by_older_excel_in_windows_1252_with_semicolons_is_read():
    data = csv_file(
        [["Q", "Text"], ["Q1", "Is the £1,000 fee fair for people who can’t work?"]],
        encoding="cp1252",
        delimiter=";",
    )

    (question,) = parse_questions("old.csv", data)

    assert question.text == "Is the £1,000 fee fair for people who can’t work?"


def test_spreadsheet_headed_question_and_text_reads_the_question_column_as_numbers():
    data = csv_file([["Question", "Text"], ["Q4", "What else?"], ["5", "Anything more?"]])

    questions = parse_questions("numbers.csv", data)

    assert [(q.number, q.text) for q in questions] == [
        ("Q4", "What else?"),
        ("Q5", "Anything more?"),
    ]


def test_spreadsheet_without_a_question_column_is_refused():
    data = workbook_file([["Number", "Wording of item"], [1, "Do you agree?"]])

    with pytest.raises(
        ValidationFailed,
        match="none of its first 10 rows is a header row with a 'Question', 'Question text' or "
        "'Text' column; add a header row",
    ):
        parse_questions("noheader.xlsx", data)


def test_spreadsheet_lists_every_bad_row_with_its_row_and_column():
    data = workbook_file(
        [
            ["Number", "Question", "Kind", "Options"],
            ["Q1", "Do you agree?", "closed", None],
            ["Q2", None, None, None],
            ["Q3", "What would help?", "sometimes", None],
            ["Q4", "Should fees rise?", "closed", None],
            ["Q5", "What else?", "open", "Yes;No"],
            ["abc", "Anything more?", None, None],
            [None, "And finally?", None, None],
            ["Q1", "Do you agree again?", None, None],
        ]
    )

    # Row 5 (closed, no options) is not a problem: it becomes open, with a notice.
    with pytest.raises(ValidationFailed, match=r"^The file 'bad\.xlsx' has 6 problems") as error:
        parse_questions("bad.xlsx", data)

    assert problems_of(error) == [
        "row 3, column 'Question': it has a number but no question text; add the text or delete "
        "the row",
        "row 4, column 'Kind': 'sometimes' is not one of open, closed, hybrid",
        "row 6, column 'Kind': an open question takes no options; clear the options or mark it "
        "closed or hybrid",
        "row 7, column 'Number': 'abc' is not a question number; use a number like 3, Q3 or Q3a",
        "row 8, column 'Number': the question has no number; add one like 3, Q3 or Q3a",
        "Q1 appears 2 times, at row 2 and row 9; give each question its own number",
    ]
    assert (error.value.problems[0].row, error.value.problems[0].column) == (3, "Question")


def test_spreadsheet_with_a_header_but_no_questions_is_refused():
    with pytest.raises(ValidationFailed, match="no questions were found below the header row"):
        parse_questions("empty.csv", csv_file([["Question"], [""]]))


def test_spreadsheet_with_more_than_500_questions_is_refused():
    rows = [["Question"], *([f"Question number {n}?"] for n in range(1, 502))]

    with pytest.raises(ValidationFailed, match="it has 501 questions and at most 500"):
        parse_questions("long.csv", csv_file(rows))


# --- Files that are refused -------------------------------------------------------------------


def small_docx() -> bytes:
    return word_file("Q1. Do you agree?")


def small_xlsx() -> bytes:
    return workbook_file([["Question"], ["Do you agree?"]])


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w") as entry:
            for _ in range(101):
                entry.write(bytes(1024 * 1024))
    return buffer.getvalue()


def macro_content_type(name: str, content: bytes) -> bytes:
    if name != "[Content_Types].xml":
        return content
    return content.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )


def broken_part(part_name: str) -> Callable[[str, bytes], bytes]:
    def replace(name: str, content: bytes) -> bytes:
        return content[: len(content) // 2] if name == part_name else content

    return replace


def encrypted(data: bytes) -> bytes:
    output = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt("secret", output)
    return output.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "Q1. Do you agree?")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("filename", "make", "message"),
    [
        ("empty.docx", lambda: b"", "it is empty; check you chose the right file"),
        ("notes.pdf", lambda: b"%PDF-1.7\n", "it could not be read as a PDF and may be damaged"),
        ("notes.txt", lambda: b"Q1. Hello", "files '.txt' are not accepted; upload a Word"),
        ("notes", lambda: b"Q1. Hello", "files with no extension are not accepted"),
        (
            "renamed.docx",
            lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
            r"it holds a PDF, not a Word document \(\.docx\), although its name ends in \.docx; "
            r"upload a Word document \(\.docx\), a PDF \(\.pdf\), an Excel workbook "
            r"\(\.xlsx\) or a CSV file",
        ),
        (
            "setup.xlsx",
            lambda: b"MZ\x90\x00\x03\x00\x00\x00",
            r"it holds a Windows program, not an Excel workbook \(\.xlsx\)",
        ),
        ("setup.csv", lambda: b"MZ\x90\x00\x03\x00", r"it holds a Windows program, not a CSV"),
        ("binary.csv", lambda: b"Question\n\x01\x02\x03", "it is not a readable CSV text file"),
        ("archive.docx", plain_zip, r"it is a zip archive but not a Word document \(\.docx\)"),
        (
            "questions.xlsx",
            small_docx,
            r"it is a Word document \(\.docx\) although its name ends in \.xlsx; rename it",
        ),
        (
            "broken.docx",
            lambda: small_docx()[:2000],
            r"it is damaged and cannot be opened as a Word document \(\.docx\)",
        ),
        (
            "halfword.docx",
            lambda: rezipped(small_docx(), replace=broken_part("word/document.xml")),
            "it could not be read as a Word document and may be damaged; open it in Word",
        ),
        (
            "halfbook.xlsx",
            lambda: rezipped(small_xlsx(), replace=broken_part("xl/worksheets/sheet1.xml")),
            "it could not be read as an Excel workbook and may be damaged; open it in Excel",
        ),
        ("bomb.docx", zip_bomb, "it would unpack to more than 100 MB"),
        (
            "macros.xlsx",
            lambda: rezipped(small_xlsx(), extra={"xl/vbaProject.bin": b"\x00" * 64}),
            "it is macro-enabled, and files with macros are refused for safety",
        ),
        (
            "macros2.xlsx",
            lambda: rezipped(small_xlsx(), replace=macro_content_type),
            "it is macro-enabled",
        ),
        ("book.xlsm", small_xlsx, "it is macro-enabled"),
        (
            "locked.docx",
            lambda: encrypted(small_docx()),
            "it is password-protected; open it, save a copy without a password",
        ),
        (
            "locked.xlsx",
            lambda: encrypted(small_xlsx()),
            "it is password-protected; open it, save a copy without a password",
        ),
        (
            "old.doc",
            lambda: bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504),
            r"it is in an old Office format \(Word 97-2003 \.doc",
        ),
    ],
)
def test_unusable_file_is_refused_with_a_message_saying_what_to_do(filename, make, message):
    with pytest.raises(ValidationFailed, match=message) as error:
        parse_questions(filename, make())

    assert str(error.value).startswith(f"The file '{filename}' has 1 problem: ")
    assert str(error.value).endswith(". Nothing was saved.")


def test_file_over_the_size_limit_is_refused_before_it_is_read():
    with pytest.raises(
        ValidationFailed, match=r"it is 1\.0 MB and the largest file accepted is 0\.5 MB"
    ):
        parse_questions("big.csv", b"x" * 1024 * 1024, max_bytes=512 * 1024)


def test_file_named_with_a_windows_path_is_reported_by_its_name():
    with pytest.raises(ValidationFailed, match=r"^The file 'empty\.csv' has 1 problem"):
        parse_questions("C:\\Users\\officer\\empty.csv", b"")


# --- Real layouts (issue 14) --------------------------------------------------------------------


def test_questions_in_chapters_and_again_in_the_annex_are_one_question_each_in_its_chapter():
    data = word_file(
        ("Family migration: a consultation", "Title"),
        ("Chapter 1: The financial requirement", "Heading 1"),
        "1.1 The Government proposes a minimum income threshold for sponsors.",
        "Question 1: Do you agree that sponsors should meet a minimum income threshold before "
        "their partner and dependants?",
        "The evidence behind this proposal is summarised in Appendix A.",
        ("Chapter 2: English language", "Heading 1"),
        "Question 2: What effect would a higher English requirement have in your area?",
        "Response rate - 36 respondents answered this question.",
        ("Annex A: List of questions", "Heading 1"),
        "Question 1: Do you agree that sponsors should meet a minimum income threshold before "
        "their partner and dependants? (Yes / No / Don't know)",
        "Question 2: What effect would a higher English requirement have in your area?",
    )

    found = read_questions("family.docx", data)

    assert [(q.number, q.text, q.section) for q in found.questions] == [
        (
            "Q1",
            "Do you agree that sponsors should meet a minimum income threshold before their "
            "partner and dependants?",
            "Chapter 1: The financial requirement",
        ),
        (
            "Q2",
            "What effect would a higher English requirement have in your area?",
            "Chapter 2: English language",
        ),
    ]
    # The annex named the options; the chapter's wording and section are kept.
    assert (found.questions[0].kind, found.questions[0].options) == (
        "closed",
        ("Yes", "No", "Don't know"),
    )
    assert found.notices == ()


@pytest.mark.parametrize(
    ("wording", "text", "kind", "options"),
    [
        (
            "Q1. Should the fee rise? (Yes / No / Don't know)",
            "Should the fee rise?",
            "closed",
            ("Yes", "No", "Don't know"),
        ),
        (
            "Q1. Do you agree with the cap? (Yes/No) Please explain your answer.",
            "Do you agree with the cap? Please explain your answer.",
            "hybrid",
            ("Yes", "No"),
        ),
        (
            "Q1. Agree/Disagree: the route should stay open.",
            "the route should stay open.",
            "closed",
            ("Agree", "Disagree"),
        ),
        (
            "Q1. Which option do you prefer? Please tick one.",
            "Which option do you prefer? Please tick one.",
            "open",
            (),
        ),
    ],
)
def test_options_are_read_from_the_questions_own_words_and_taken_out_of_its_text(
    wording, text, kind, options
):
    (question,) = parse_questions("options.docx", word_file(wording))

    assert (question.text, question.kind, question.options) == (text, kind, options)


def test_a_question_asking_for_a_choice_whose_options_are_missing_becomes_open_with_a_notice():
    found = read_questions("tick.docx", word_file("Q1. Which option do you prefer? Tick one."))

    assert [str(n) for n in found.notices] == [
        "Q1, paragraph 1: it asks for a choice but its options were not found, so it was "
        "imported as an open question; add its options after importing"
    ]


def test_spreadsheet_closed_question_without_options_is_imported_open_with_a_notice():
    data = workbook_file(
        [
            ["No.", "Question", "Type"],
            [1, "Should the threshold rise?", "closed"],
            [2, "Should it apply to students? (Yes / No)", "closed"],
        ]
    )

    found = read_questions("closed.xlsx", data)

    assert [(q.number, q.text, q.kind, q.options) for q in found.questions] == [
        ("Q1", "Should the threshold rise?", "open", ()),
        ("Q2", "Should it apply to students?", "closed", ("Yes", "No")),
    ]
    assert [str(n) for n in found.notices] == [
        "row 2: it is marked closed but has no options, so it was imported as an open question; "
        "add its options after importing, or list them in an 'Options' column"
    ]


def test_about_you_questions_are_left_out_and_listed():
    data = word_file(
        ("About you", "Heading 1"),
        "Q1. What is your name?",
        "Q2. Are you responding as an individual or on behalf of an organisation?",
        "Q3. Which sector does your organisation work in?",
        ("The proposals", "Heading 1"),
        "Q4. Would you like your response to be treated as confidential?",
        "Q5. Do you agree with the proposal to end hotel use?",
    )

    found = read_questions("about.docx", data)

    assert [q.number for q in found.questions] == ["Q5"]
    assert [q.number for q in found.left_out] == ["Q1", "Q2", "Q3", "Q4"]
    assert found.notices == ()


def test_footnote_markers_are_taken_out_of_the_question():
    document = docx.Document()
    paragraph = document.add_paragraph("Q1. Do you agree with the threshold")
    paragraph.add_run("2").font.superscript = True
    paragraph.add_run("? It is set out in the annex.[3]")
    document.add_paragraph("Q2. Is the fee¹ fair to families?[4]")

    questions = parse_questions("notes.docx", saved(document))

    assert [q.text for q in questions] == [
        "Do you agree with the threshold? It is set out in the annex.",
        "Is the fee fair to families?",
    ]


def test_word_numbering_that_shows_question_and_its_number_gives_those_numbers():
    from tests.test_documents import add_list, listed

    document = docx.Document()
    questions = add_list(document, [("decimal", "Question %1:"), ("lowerLetter", "(%2)")])
    document.add_paragraph("Chapter 1", style="Heading 1")
    listed(document, "Do you agree with the proposal?", questions)
    listed(document, "Should it apply to dependants?", questions, level=1)
    document.add_paragraph("The evidence is in Appendix A.")
    document.add_paragraph("Chapter 2", style="Heading 1")
    listed(document, "What would it cost councils?", questions)

    found = parse_questions("numbered.docx", saved(document))

    assert [(q.number, q.text, q.section) for q in found] == [
        ("Q1", "Do you agree with the proposal?", "Chapter 1"),
        ("Q1a", "Should it apply to dependants?", "Chapter 1"),
        ("Q2", "What would it cost councils?", "Chapter 2"),
    ]


def test_call_for_evidence_bullets_and_sub_bullets_are_the_questions():
    document = docx.Document()
    document.add_paragraph("Inquiry into asylum accommodation", style="Title")
    document.add_paragraph("The Committee would welcome written evidence on the following matters:")
    document.add_paragraph("Large sites", style="Heading 2")
    document.add_paragraph(
        "The suitability of large sites for people seeking asylum;", style="List Bullet"
    )
    document.add_paragraph("the effect on local health services;", style="List Bullet 2")
    document.add_paragraph("and on schools.", style="List Bullet 2")
    document.add_paragraph("Dispersal", style="Heading 2")
    document.add_paragraph(
        "How councils are engaged before people are placed.", style="List Bullet"
    )
    document.add_paragraph("Submissions should be no longer than 3,000 words.")

    found = read_questions("inquiry.docx", saved(document))

    assert [(q.number, q.text, q.kind, q.section) for q in found.questions] == [
        (
            "Q1",
            "The suitability of large sites for people seeking asylum; the effect on local "
            "health services; and on schools.",
            "open",
            "Large sites",
        ),
        ("Q2", "How councils are engaged before people are placed.", "open", "Dispersal"),
    ]


def test_bullets_ending_in_a_question_mark_are_questions_when_nothing_is_numbered():
    data = word_file(
        "We are seeking views on the following:",
        ("Is the current cap on places right?", "List Bullet"),
        ("What would help councils plan?", "List Bullet"),
        "Thank you for taking part.",
    )

    questions = parse_questions("views.docx", data)

    assert [(q.number, q.text) for q in questions] == [
        ("Q1", "Is the current cap on places right?"),
        ("Q2", "What would help councils plan?"),
    ]


def test_pdf_paper_gives_its_questions_with_their_chapters():
    from tests.pdf_builder import paragraphs_page, pdf_file

    data = pdf_file(
        paragraphs_page(
            ("Asylum support: a consultation", 22, True),
            ("Chapter 1: Payments", 14, True),
            "1.1 The Home Office proposes to pay asylum support weekly rather than monthly.",
            "Question 1: Do you agree that asylum support should be paid weekly? (Yes / No)",
            "The evidence behind this proposal is summarised in Appendix A.",
            ("Chapter 2: Accommodation", 14, True),
            "Question 2: What notice do councils need before accommodation opens?",
        )
    )

    found = read_questions("support.pdf", data)

    assert [(q.number, q.text, q.kind, q.options, q.section) for q in found.questions] == [
        (
            "Q1",
            "Do you agree that asylum support should be paid weekly?",
            "closed",
            ("Yes", "No"),
            "Chapter 1: Payments",
        ),
        (
            "Q2",
            "What notice do councils need before accommodation opens?",
            "open",
            (),
            "Chapter 2: Accommodation",
        ),
    ]


def test_questions_numbered_by_chapter_keep_their_chapter_numbers():
    data = word_file(
        ("Chapter 2: Fees", "Heading 1"),
        "2.1 The fee for a partner visa covers the cost of the decision.",
        "Question 2.1: Should the fee for children be lower?",
        "Question 2.2: What would a lower fee cost councils?",
        ("Chapter 3: Appeals", "Heading 1"),
        "3.1 Appeals are heard by the First-tier Tribunal.",
        "Question 3.1: Should appeals be decided within 12 weeks?",
    )

    questions = parse_questions("chapters.docx", data)

    assert [(q.number, q.text, q.section) for q in questions] == [
        ("Q2.1", "Should the fee for children be lower?", "Chapter 2: Fees"),
        ("Q2.2", "What would a lower fee cost councils?", "Chapter 2: Fees"),
        ("Q3.1", "Should appeals be decided within 12 weeks?", "Chapter 3: Appeals"),
    ]


def test_a_why_question_under_the_tick_boxes_makes_the_question_ask_for_reasons_too():
    data = word_file(
        "Consultation Question 1",
        "Do you think the scheme should be extended to Northern Ireland?",
        "☐ Yes ☐ No ☐ Not sure",
        "Why do you think this?",
        "The scheme began in 2022.",
        "Consultation Question 2",
        "Would you like to be kept informed about this consultation? Yes ☐ No ☐",
    )

    found = read_questions("why.docx", data)

    assert [(q.number, q.text, q.kind, q.options) for q in found.questions] == [
        (
            "Q1",
            "Do you think the scheme should be extended to Northern Ireland?",
            "hybrid",
            ("Yes", "No", "Not sure"),
        )
    ]
    assert [q.number for q in found.left_out] == ["Q2"]


def test_spreadsheet_of_ten_thousand_rows_is_refused_once_not_row_by_row():
    rows = [["No.", "Question"], *([n, f"Should proposal {n} go ahead?"] for n in range(1, 10_001))]

    with pytest.raises(ValidationFailed, match=r"has 1 problem: it has 10,000 questions") as error:
        parse_questions("huge.xlsx", workbook_file(rows))

    assert len(error.value.problems) == 1
