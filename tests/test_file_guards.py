"""The file guards: what a Word or Excel file may cost to open, checked before any library opens it.

Each hostile file is built once per module (``tests/hostile_files.py``) and goes through
``check_file``, the door every upload passes. The limits that would need tens of megabytes to
reach are proved with small limits on small real files; the routes themselves are in
``test_hostile_input.py`` and the figures in ``bench/hostile_files.py``.
"""

from __future__ import annotations

import functools
import io
import zipfile
from pathlib import Path

import pytest

from consultations.documents import read_xlsx
from consultations.errors import ValidationFailed
from consultations.file_guards import (
    KEEPING,
    QUESTION_FILES,
    READING,
    ParseLimits,
    column_letters,
    guard_office,
    sheet_bounds,
)
from consultations.files import check_file, check_opens
from consultations.question_import import read_questions
from consultations.question_text import likeness
from tests import hostile_files as hostile

ROOT = Path(__file__).resolve().parents[1]
OFFICE = (".docx", ".xlsx")
# Refusals take milliseconds; today's code took minutes on some of these, so a test that
# reaches this has failed.
pytestmark = pytest.mark.timeout(20)


@functools.cache
def questions_workbook() -> bytes:
    return hostile.workbook(("Number", "Question"), ("1", "Do you agree with the proposal?"))


@functools.cache
def letter() -> bytes:
    return hostile.word_document("Q1", "We agree.", "Q2", "Families wait months.")


def check(name: str, data: bytes, limits: ParseLimits = READING) -> None:
    check_file(name, data, accepted=OFFICE, max_bytes=20 * 1024 * 1024, limits=limits)


# --- Excel: sheets beyond what any reader needs ---------------------------------------------


def test_a_sheet_declaring_the_whole_grid_is_refused_naming_the_sheet_and_what_to_do():
    with pytest.raises(
        ValidationFailed,
        match=r"its sheet 'Sheet' reaches row 1,048,576 and column XFD, beyond the 12,000 rows "
        r"and 100 columns \(to CV\) .*; delete the rows and columns below and to the right of "
        "your data",
    ):
        check("grid.xlsx", hostile.whole_grid(questions_workbook()))


def test_a_cell_far_beyond_the_data_is_refused_even_when_no_range_is_declared():
    with pytest.raises(ValidationFailed, match="reaches row 1,048,576 and column XFD"):
        check("far.xlsx", hostile.far_cell(questions_workbook()))


def test_a_kept_evidence_workbook_may_declare_any_range_because_it_is_never_read_by_row():
    data = hostile.whole_grid(questions_workbook())
    file_type = check_file("figures.xlsx", data, accepted=OFFICE, max_bytes=10**7, limits=KEEPING)
    check_opens(data, file_type, subject="The file")  # opened once, read-only: no rows walked


def test_the_sheet_reader_reads_no_further_than_its_bounds_whatever_the_sheet_declares():
    # Past the guard (as a file from before it would be): the reader itself stops at its bounds.
    sheets = read_xlsx(hostile.whole_grid(questions_workbook()), subject="The file")
    rows, columns = sheet_bounds()
    assert len(sheets[0].rows) == rows
    assert max(len(cells) for _, cells in sheets[0].rows) == columns
    assert sheets[0].rows[1][1][:2] == ("1", "Do you agree with the proposal?")


@pytest.mark.parametrize(
    ("column", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (100, "CV"), (16_384, "XFD")]
)
def test_columns_are_named_as_excel_names_them(column, letters):
    assert column_letters(column) == letters


# --- Word: too much XML, too deep, entities -------------------------------------------------


def test_a_word_document_of_17_million_paragraphs_is_refused_by_its_unpacked_size():
    data = hostile.many_paragraphs()
    assert len(data) < 200 * 1024
    with pytest.raises(
        ValidationFailed,
        match=r"its part 'word/document\.xml' would unpack to 97\.3 MB of text and layout, more "
        "than the 25 MB any real Word document needs; it was refused before being read",
    ):
        check("paragraphs.docx", data)


def test_more_paragraphs_than_any_response_are_refused_before_python_docx_reads_them():
    data = hostile.many_text_paragraphs(READING.paragraphs + 1)
    with pytest.raises(
        ValidationFailed, match="it holds more than 50,000 paragraphs and table rows"
    ):
        check("long.docx", data)
    check("long.docx", data, KEEPING)  # an evidence file is kept, not read paragraph by paragraph


def test_more_xml_elements_than_the_limit_are_refused_while_streaming():
    with pytest.raises(
        ValidationFailed,
        match=r"it holds more than 2,000 pieces of text and layout .* far more than any real "
        "Word document",
    ):
        guard_office(letter(), "docx", subject="The file", limits=ParseLimits(elements=2_000))


def test_more_text_than_any_paper_is_refused_before_it_is_read_but_kept_as_evidence():
    data = hostile.enormous_question()
    with pytest.raises(
        ValidationFailed, match="it holds more than 3,000,000 characters of text, more than any"
    ):
        check("question.docx", data, QUESTION_FILES)
    check("question.docx", data, KEEPING)
    with pytest.raises(ValidationFailed, match="more than 1,000 characters of text"):
        guard_office(letter(), "docx", subject="The file", limits=ParseLimits(characters=1_000))


def test_a_csv_file_with_more_text_than_the_question_import_reads_is_refused():
    data = b"Question\n" + b"Do you agree with this long proposal? " * 80_000
    with pytest.raises(ValidationFailed, match="more than 3,000,000 characters of text"):
        read_questions("questions.csv", data)


def test_comparing_two_enormous_wordings_reads_only_their_first_words():
    # Two repeats of a question, each a megabyte of words: difflib alone took minutes on them.
    words = " ".join(["families council housing visa income"] * 40_000)
    assert likeness(words, words + " more") == 1.0


def test_layout_nested_deeper_than_any_document_is_refused():
    with pytest.raises(
        ValidationFailed,
        match="its layout is nested more than 100 levels deep, which no real Word document is",
    ):
        check("deep.docx", hostile.deep_nesting())


def test_xml_after_a_long_run_of_spaces_is_still_counted():
    deep = hostile.deep_nesting()
    with zipfile.ZipFile(io.BytesIO(deep)) as archive:
        body = archive.read("word/document.xml").split(b"?>", 1)[1]
    with pytest.raises(ValidationFailed, match="nested more than 100 levels deep"):
        check("spaces.docx", hostile.main_part(b" " * 400_000 + body))


def test_xml_in_an_encoding_word_never_writes_is_refused_as_damaged_rather_than_skipped():
    # expat cannot read Shift_JIS, which libxml2 can: a part the guard cannot count is refused.
    body = f'<w:document xmlns:w="{hostile.W_NAMESPACE}"><w:body>'.encode()
    xml = (
        b'<?xml version="1.0" encoding="Shift_JIS"?>'
        + body
        + b"<w:p/>" * 10
        + b"</w:body></w:document>"
    )
    with pytest.raises(ValidationFailed, match="it could not be read as a Word document"):
        check("encoded.docx", hostile.main_part(xml))


def test_xml_declaring_entities_that_expand_a_billion_times_is_refused():
    with pytest.raises(ValidationFailed, match="it declares its own XML entities"):
        check("laughs.docx", hostile.doctype())


def test_a_part_packed_a_thousand_to_one_is_refused_as_a_zip_bomb_without_unpacking():
    with pytest.raises(
        ValidationFailed,
        match=r"one of its parts \('word/media/image1\.png'\) would unpack to 1,0\d\d times its "
        "packed size, which no real Word document does",
    ):
        check("bomb.docx", hostile.zip_bomb())


def test_a_list_of_parts_padded_to_megabytes_is_refused_before_it_is_read():
    with pytest.raises(
        ValidationFailed,
        match=r"its list of parts \(\[Content_Types\]\.xml\) would unpack to 90\.0 MB",
    ):
        check("padded.docx", hostile.padded_listing())


def test_an_office_file_whose_main_part_is_missing_is_not_taken_for_one():
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(letter())) as source,
        zipfile.ZipFile(buffer, "w") as target,
    ):
        for item in source.infolist():
            if item.filename != "word/document.xml":
                target.writestr(item.filename, source.read(item.filename))
    with pytest.raises(ValidationFailed, match="it is a zip archive but not a Word document"):
        check("empty.docx", buffer.getvalue())


# --- Real files pass ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "tests/data/intake").rglob("*.docx"))
    + sorted((ROOT / "tests/data/intake").rglob("*.xlsx")),
    ids=lambda path: path.name,
)
def test_every_real_paper_and_response_in_the_repository_passes_the_guards(path):
    check(path.name, path.read_bytes())
