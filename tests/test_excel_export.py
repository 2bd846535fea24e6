"""The answers as an Excel workbook: saved, reopened with openpyxl, and read back."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from evidence.consent import SECTOR_NOT_GIVEN, Policy
from exports.draft_model import AnswerFact, QuestionFact, ThemeFact
from exports.excel import (
    ALL_ANSWERS_SHEET,
    MAX_CELL_TEXT,
    NOT_SHARED,
    THEMES_SHEET,
    organisation_labels,
    sheet_name,
    write_answers_xlsx,
)
from tests.test_word import needs_libreoffice, pdf_text

QUESTIONS = (
    QuestionFact(
        1, "Q1", "Should the qualifying period for settlement rise to ten years?", "hybrid"
    ),
    QuestionFact(2, "Q2", "Should the English language requirement rise to B2?", "closed"),
)
THEMES = (
    ThemeFact("accommodation", "Housing and accommodation"),
    ThemeFact("health", "Health and wellbeing"),
    ThemeFact("funding", "Funding and resources for local services"),
)


def answer(
    answer_id: int, organisation: str, question_id: int = 1, **changes: object
) -> AnswerFact:
    values: dict[str, object] = {
        "answer_id": answer_id,
        "question_id": question_id,
        "organisation": organisation,
        "sector": "Council",
        "consent": "named",
        "position": "disagree",
        "text": f"Answer {answer_id}: the wait is too long for families.",
    }
    values.update(changes)
    return AnswerFact(**values)  # type: ignore[arg-type]


def sample_answers() -> list[AnswerFact]:
    return [
        answer(
            1,
            "Belfast City Council",
            evidence_note="Housing Executive figures, 2025",
            themes=("accommodation", "funding"),
            figures=("Presentations rose by 38%.",),
            regional=True,
        ),
        answer(
            2,
            "Western Health and Social Care Trust",
            sector="Health",
            consent="sector",
            themes=("health",),
        ),
        answer(
            3,
            "Refugee Action Group",
            sector="Voluntary and community sector",
            consent="anonymous",
            position="unsure",
        ),
        answer(4, "Belfast City Council", question_id=2, themes=("accommodation",)),
        answer(
            5, "Refugee Action Group", question_id=2, consent="anonymous", themes=("accommodation",)
        ),
    ]


REFERENCE = "HO-FM-2026"


def numbered(rows, name: str) -> str:
    return f"Partner {Policy.of(rows, reference=REFERENCE).number(name)}"


def workbook_of(rows=None, *, sharing: bool = False, questions=QUESTIONS, themes=THEMES):
    rows = sample_answers() if rows is None else rows
    data = write_answers_xlsx(
        rows,
        themes=themes,
        questions=questions,
        policy=Policy.of(rows, reference=REFERENCE),
        sharing=sharing,
    )
    return openpyxl.load_workbook(io.BytesIO(data)), data


def values(sheet, *, first_row: int = 1) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(min_row=first_row, values_only=True)]


def every_text(workbook) -> str:
    return "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def test_write_answers_xlsx_has_all_answers_a_sheet_per_question_and_a_theme_summary():
    workbook, _ = workbook_of()

    assert workbook.sheetnames == [ALL_ANSWERS_SHEET, "Q1", "Q2", THEMES_SHEET]


def test_all_answers_sheet_has_a_row_per_answer_with_names_labels_themes_and_flags():
    workbook, _ = workbook_of()

    rows = values(workbook[ALL_ANSWERS_SHEET])

    assert rows[0] == [
        "Organisation",
        "Sector",
        "Question",
        "Question text",
        "Position",
        "Comment",
        "Evidence note",
        "Themes",
        "Has figures",
        "Regional",
    ]
    assert rows[1] == [
        "Belfast City Council",
        "Council",
        "Q1",
        "Should the qualifying period for settlement rise to ten years?",
        "disagree",
        "Answer 1: the wait is too long for families.",
        "Housing Executive figures, 2025",
        "Housing and accommodation; Funding and resources for local services",
        "Yes",
        "Yes",
    ]
    group = numbered(sample_answers(), "Refugee Action Group")
    trust = numbered(sample_answers(), "Western Health and Social Care Trust")
    first, second = sorted([group, trust], key=lambda label: int(label.split()[1]))
    assert [row[:3] for row in rows[1:]] == [
        ["Belfast City Council", "Council", "Q1"],
        [first, SECTOR_NOT_GIVEN, "Q1"],
        [second, SECTOR_NOT_GIVEN, "Q1"],
        ["Belfast City Council", "Council", "Q2"],
        [group, SECTOR_NOT_GIVEN, "Q2"],
    ]
    assert rows[3 if first == trust else 2][8:] == ["No", "No"]


def test_question_sheet_is_headed_by_the_question_and_lists_its_answers():
    workbook, _ = workbook_of()
    sheet = workbook["Q2"]

    assert sheet["A1"].value == "Q2. Should the English language requirement rise to B2?"
    assert values(sheet, first_row=2)[0][:3] == ["Organisation", "Sector", "Position"]
    assert [row[0] for row in values(sheet, first_row=3)] == [
        "Belfast City Council",
        numbered(sample_answers(), "Refugee Action Group"),
    ]


@pytest.mark.parametrize(
    "text", ["=SUM(A1)", "+1", "-2", "@x", "\t=1", "\r=1", '=HYPERLINK("http://evil.example")']
)
def test_formula_shaped_text_is_kept_as_text_and_never_runs(text):
    rows = [
        answer(1, text, text=text, evidence_note=text, sector=text, position=text, themes=("t",))
    ]
    workbook, data = workbook_of(
        rows, themes=(ThemeFact("t", text),), questions=(QuestionFact(1, "Q1", text, "open"),)
    )

    sheet = workbook[ALL_ANSWERS_SHEET]
    for cell in sheet[2]:
        if cell.column_letter in "CIJ":
            continue  # the question's number, and Yes/No
        assert cell.value == text
        assert cell.data_type == "s"
        assert cell.quotePrefix, cell.coordinate
    themes = workbook[THEMES_SHEET]["A2"]
    assert (themes.value, themes.quotePrefix) == (text, True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(name) for name in sheets)


def test_ordinary_text_has_no_quote_prefix():
    workbook, _ = workbook_of()

    assert not workbook[ALL_ANSWERS_SHEET]["F2"].quotePrefix


def test_the_copy_for_sharing_names_no_organisation_and_keeps_only_named_partners_words():
    workbook, _ = workbook_of(sharing=True)
    text = every_text(workbook)

    for name in ("Belfast", "Western Health", "Refugee Action Group"):
        assert name not in text
    rows = values(workbook[ALL_ANSWERS_SHEET], first_row=2)
    by_label = {row[0]: row for row in rows if row[2] == "Q1"}
    names = ("Belfast City Council", "Western Health and Social Care Trust", "Refugee Action Group")
    assert set(by_label) == {numbered(sample_answers(), name) for name in names}
    council = by_label[numbered(sample_answers(), "Belfast City Council")]
    assert council[5] == "Answer 1: the wait is too long for families."
    for name in names[1:]:
        assert by_label[numbered(sample_answers(), name)][5] == NOT_SHARED
    assert "Answer 2:" not in text
    assert "Answer 3:" not in text


def test_a_partner_has_the_same_number_in_both_copies_whatever_the_answer_order():
    rows = sample_answers()
    policy = Policy.of(rows, reference=REFERENCE)

    named = organisation_labels(policy, rows, sharing=False)
    shared = organisation_labels(policy, rows, sharing=True)
    reversed_policy = Policy.of(rows[::-1], reference=REFERENCE)

    assert named["Belfast City Council"] == "Belfast City Council"
    assert named["Refugee Action Group"] == shared["Refugee Action Group"]
    assert named["Western Health and Social Care Trust"] == numbered(
        rows, "Western Health and Social Care Trust"
    )
    assert shared["Belfast City Council"] == numbered(rows, "Belfast City Council")
    assert organisation_labels(reversed_policy, rows, sharing=True) == shared


def test_partners_are_listed_by_number_in_natural_order():
    rows = [answer(i, f"Organisation {i}", consent="anonymous") for i in range(1, 12)]
    workbook, _ = workbook_of(rows)

    labels = [row[0] for row in values(workbook[ALL_ANSWERS_SHEET], first_row=2)]

    assert labels == [f"Partner {n}" for n in range(1, 12)]


@pytest.mark.parametrize(
    ("wanted", "taken", "expected"),
    [
        ("Q1", (), "Q1"),
        ("Q1", ("q1",), "Q1 (2)"),
        ("Q1", ("Q1", "Q1 (2)"), "Q1 (3)"),
        ("Q3/4 [part]: what*?", (), "Q3 4 part what"),
        ("Q12 " + "x" * 40, (), "Q12 " + "x" * 27),
        ("Q12 " + "x" * 40, ("Q12 " + "x" * 27,), "Q12 " + "x" * 23 + " (2)"),
        ("'Quoted'", (), "Quoted"),
        ("History", (), "History (question)"),
        ("All answers", ("all answers",), "All answers (2)"),
        ("?*:", (), "Question"),
        ("", (), "Question"),
    ],
)
def test_sheet_name_is_safe_short_and_unique(wanted, taken, expected):
    name = sheet_name(wanted, taken=taken)

    assert name == expected
    assert len(name) <= 31


def test_long_and_odd_question_numbers_make_distinct_valid_sheets():
    questions = (
        QuestionFact(1, "Q1", "First?", "open"),
        QuestionFact(2, "Q1", "A second question numbered Q1?", "open"),
        QuestionFact(3, "Question 4 [part b]: housing/asylum accommodation?", "Third?", "open"),
        QuestionFact(
            4, "Question 4 [part b]: housing/asylum accommodation, again", "Fourth?", "open"
        ),
        QuestionFact(5, "Themes", "A question numbered like a summary sheet?", "open"),
    )
    rows = [answer(i, f"Organisation {i}", question_id=i) for i in range(1, 6)]
    workbook, _ = workbook_of(rows, questions=questions)

    names = workbook.sheetnames

    assert names == [
        ALL_ANSWERS_SHEET,
        "Q1",
        "Q1 (2)",
        "Question 4 part b housing asylu",
        "Question 4 part b housing a (2)",
        "Themes (2)",
        THEMES_SHEET,
    ]
    assert len({name.casefold() for name in names}) == len(names)
    assert workbook["Q1 (2)"]["A1"].value == "Q1. A second question numbered Q1?"


def test_header_rows_are_bold_frozen_and_filtered():
    workbook, _ = workbook_of()

    answers = workbook[ALL_ANSWERS_SHEET]
    assert answers.freeze_panes == "A2"
    assert answers.auto_filter.ref == "A1:J6"
    assert all(cell.font.b for cell in answers[1])
    assert answers.column_dimensions["F"].width >= 60
    assert answers["F2"].alignment.wrap_text

    question = workbook["Q1"]
    assert question.freeze_panes == "A3"
    assert question.auto_filter.ref == "A2:H5"
    assert all(cell.font.b for cell in question[2])

    themes = workbook[THEMES_SHEET]
    assert themes.freeze_panes == "A2"
    assert themes.auto_filter.ref == "A1:E4"


def test_themes_sheet_counts_answers_partners_and_answers_per_question():
    workbook, _ = workbook_of()

    rows = values(workbook[THEMES_SHEET])

    assert rows == [
        ["Theme", "Answers", "Partners", "Q1", "Q2"],
        ["Housing and accommodation", 3, 2, 1, 2],
        ["Funding and resources for local services", 1, 1, 1, 0],
        ["Health and wellbeing", 1, 1, 1, 0],
    ]


def test_themes_sheet_shows_a_theme_id_that_has_no_label():
    workbook, _ = workbook_of([answer(1, "Belfast City Council", themes=("retired_theme",))])

    assert ["retired_theme", 1, 1, 1, 0] in values(workbook[THEMES_SHEET])


def test_answer_to_a_question_not_given_is_refused():
    with pytest.raises(
        ValueError, match=r"questions that were not given: question ids 9\. Pass every"
    ):
        workbook_of([answer(1, "Belfast City Council", question_id=9)])


def test_no_answers_still_makes_every_sheet_with_its_header():
    workbook, _ = workbook_of([])

    assert workbook.sheetnames == [ALL_ANSWERS_SHEET, "Q1", "Q2", THEMES_SHEET]
    assert workbook[ALL_ANSWERS_SHEET].max_row == 1
    assert workbook[ALL_ANSWERS_SHEET].auto_filter.ref == "A1:J1"
    assert values(workbook[THEMES_SHEET])[1] == [
        "Funding and resources for local services",
        0,
        0,
        0,
        0,
    ]


def test_control_characters_are_removed_and_overlong_text_is_cut():
    comment = "Bell\x07 and nul\x00 " + "x" * (MAX_CELL_TEXT + 100)
    workbook, _ = workbook_of([answer(1, "Belfast\x01 City Council", text=comment)])

    row = values(workbook[ALL_ANSWERS_SHEET], first_row=2)[0]

    assert row[0] == "Belfast City Council"
    assert row[5].startswith("Bell and nul xxx")
    assert len(row[5]) <= MAX_CELL_TEXT
    assert row[5].endswith("…")


@pytest.mark.slow
@needs_libreoffice
def test_libreoffice_opens_the_xlsx_and_shows_formula_text_as_written(tmp_path):
    rows = [
        *sample_answers(),
        answer(6, "Causeway Coast and Glens", text="=SUM(A1) is what we typed"),
    ]
    path = tmp_path / "answers.xlsx"
    _, data = workbook_of(rows)
    path.write_bytes(data)

    text = " ".join(pdf_text(path, tmp_path).split())

    assert "Belfast City Council" in text
    assert numbered(rows, "Refugee Action Group") in text
    assert "Housing and accommodation" in text
    assert "=SUM(A1) is what we typed" in text


def test_a_hidden_partners_sector_shows_only_when_three_organisations_share_it():
    rows = [
        answer(1, "Belfast City Council", consent="anonymous"),
        answer(2, "Derry City and Strabane District Council"),
        answer(3, "Newry, Mourne and Down District Council"),
        answer(4, "PSNI", sector="Police", consent="anonymous"),
        answer(5, "Western Trust", sector="Health", consent="named"),
    ]
    named, _ = workbook_of(rows, sharing=False)
    shared, _ = workbook_of(rows, sharing=True)

    def sectors(workbook) -> dict[str, str]:
        return {row[0]: row[1] for row in values(workbook[ALL_ANSWERS_SHEET])[1:]}

    # Three councils: an anonymous one can say it is a council; the only police partner cannot.
    assert sectors(named) == {
        numbered(rows, "Belfast City Council"): "Council",
        "Derry City and Strabane District Council": "Council",
        "Newry, Mourne and Down District Council": "Council",
        numbered(rows, "PSNI"): SECTOR_NOT_GIVEN,
        "Western Trust": "Health",
    }
    assert sectors(shared) == {
        numbered(rows, "Belfast City Council"): "Council",
        numbered(rows, "Derry City and Strabane District Council"): "Council",
        numbered(rows, "Newry, Mourne and Down District Council"): "Council",
        numbered(rows, "PSNI"): SECTOR_NOT_GIVEN,
        numbered(rows, "Western Trust"): "Health",
    }
