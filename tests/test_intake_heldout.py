"""Documents laid out as published ones are, built by someone who had not read the importers.

Each consultation paper in ``tests/data/intake/heldout`` imitates a real layout (Home Office
questions in boxes repeated in an annex, MHCLG questions inline with options in brackets, a
department's response form in tables, a Lords call for evidence with lettered sub-questions, a
Commons call for evidence with issues as bullets, a Scottish Government PDF with tick boxes, a
Defra PDF with lettered options, a government response, a Welsh Government numbered list, an
annex table), and each partner's response a real one (an association repeating the questions,
a town council's "Q.1" letter, a Question | Response table, written evidence in numbered
paragraphs, a ticked form, a partner's own spreadsheet, a charity's PDF letter). What a
careful reader would import from each is written down in ``expected.json`` before the
importers were run; ``make_heldout.py`` rebuilds the files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consultations.question_import import read_questions
from consultations.question_text import named_options
from evidence.intake import propose_response, questions_from_file
from evidence.markers import find_explicit
from evidence.positions import named_option, read_ticks

HELDOUT = Path(__file__).parent / "data" / "intake" / "heldout"
EXPECTED = json.loads((HELDOUT / "expected.json").read_text(encoding="utf-8"))


def _expectation(table: dict, name: str) -> dict:
    entry = table[name]
    return table[entry["same_as"]] if "same_as" in entry else entry


def _question_mismatches(name: str) -> list[str]:
    expected = _expectation(EXPECTED["papers"], name)
    found = read_questions(name, (HELDOUT / name).read_bytes())
    got = [
        {
            "number": q.number,
            "text": " ".join(q.text.split()),
            "kind": q.kind,
            "options": list(q.options),
            "section": q.section,
        }
        for q in found.questions
    ]
    wrong = []
    numbers = [q["number"] for q in got]
    if numbers != [q["number"] for q in expected["questions"]]:
        wrong.append(f"numbers {numbers}")
    by_number = {q["number"]: q for q in got}
    for want in expected["questions"]:
        have = by_number.get(want["number"])
        if have is None:
            continue
        for key in ("text", "kind", "options", "section"):
            if have[key] != want[key]:
                wrong.append(f"{want['number']} {key}: {have[key]!r}, expected {want[key]!r}")
    left_out = [q.number for q in found.left_out]
    if "left_out" in expected and left_out != expected["left_out"]:
        wrong.append(f"left out {left_out}, expected {expected['left_out']}")
    for number in expected.get("no_warning_about", []):
        for notice in found.notices:
            if str(notice).startswith(f"{number} "):
                wrong.append(f"warning: {notice}")
    return wrong


def _response_mismatches(name: str) -> list[str]:
    expected = _expectation(EXPECTED["responses"], name)
    questions = questions_from_file(HELDOUT / expected["questions_file"])
    parts = propose_response((HELDOUT / name).read_bytes(), questions, filename=name)
    wrong = []
    for number, want in expected["answers"].items():
        mine = [p for p in parts if p.question_ids and p.numbers[0] == number]
        text = " ".join(" ".join(p.text for p in mine).split())
        for snippet in want["contains"]:
            if snippet not in text:
                wrong.append(f"{number} lacks {snippet!r}")
        for snippet in want.get("excludes", []):
            if snippet in text:
                wrong.append(f"{number} holds {snippet!r}")
        if "position" in want and [p.position for p in mine][:1] != [want["position"]]:
            wrong.append(
                f"{number} position {[p.position for p in mine]}, expected {want['position']!r}"
            )
        for other in want.get("together_with", []):
            if not any(other in p.numbers for p in mine):
                wrong.append(f"{number} is not proposed for {other} as well")
        for part in parts:
            if not part.question_ids or number in part.numbers:
                continue
            flat = " ".join(part.text.split())
            wrong += [
                f"{number}'s answer {snippet!r} went to {part.numbers[0]}"
                for snippet in want["contains"]
                if snippet in flat
            ]
    for snippet in expected["unassigned"]:
        for part in parts:
            if part.question_ids and snippet in " ".join(part.text.split()):
                wrong.append(f"{snippet!r} was given to {part.numbers[0]}")
    return wrong


@pytest.mark.parametrize("name", sorted(EXPECTED["papers"]))
def test_real_layout_paper_imports_the_questions_a_careful_reader_finds(name):
    assert _question_mismatches(name) == []


@pytest.mark.parametrize("name", sorted(EXPECTED["responses"]))
def test_real_layout_response_puts_each_answer_with_its_question(name):
    assert _response_mismatches(name) == []


# --- What the fixes above must not catch -------------------------------------------------------


def test_choices_in_brackets_are_options_only_after_the_question_mark():
    assert named_options("Which do you prefer? [Central appointment/Local appointment]") == (
        "Which do you prefer?",
        ["Central appointment", "Local appointment"],
    )
    assert named_options("Having read [Annex A/B], what do you think?")[1] == []


def test_a_question_named_inside_a_sentence_is_not_a_marker():
    assert find_explicit("In response to question 2, the council agrees.").numbers == ("Q2",)
    assert find_explicit("4. With regard to Question 3, we think not.").numbers == ("Q3",)
    assert find_explicit("We said in response to question 2, that fees are high.") is None
    assert find_explicit("Issue 3 of our newsletter covered this.") is None
    assert find_explicit("ISSUE TWO").numbers == ("Q2",)


def test_tick_boxes_give_the_one_ticked_option_and_nothing_else():
    options = ["Yes", "No", "Don't know"]
    assert read_ticks("Yes ☐ No ☒ Don't know ☐", options) == (True, "No", "")
    assert read_ticks("☒ ☐ ☐Yes No Don't know Comments: fine.", options) == (
        True,
        "Yes",
        "Comments: fine.",
    )
    assert read_ticks("Yes ☒ No ☒ Don't know ☐", options) == (True, "", "")  # two ticked
    assert read_ticks("We ticked ☒ the box marked ☐ yes", options)[0] is False
    assert read_ticks("Yes ☒ No ☐", [])[0] is False  # an open question has no boxes to read


def test_an_answer_opening_with_an_options_name_takes_that_option_only_when_unambiguous():
    options = ["Option 1: a ban", "Option 2: a deposit scheme", "Option 3: no change"]
    assert named_option("Option 2. A deposit scheme would work.", options) == options[1]
    assert named_option("Options 2 and 3 both have merit.", options) == ""
    assert named_option("Fairly easy, mostly.", ["Very easy", "Fairly easy"]) == "Fairly easy"
    assert named_option("Fairly easily done.", ["Very easy", "Fairly easy"]) == ""


def test_a_pdf_with_broken_form_fields_still_gives_its_text():
    import io

    import pypdf
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    from consultations.documents import read_file
    from tests.pdf_builder import Text, pdf_file

    writer = pypdf.PdfWriter(
        clone_from=pypdf.PdfReader(io.BytesIO(pdf_file([Text("Question 1: Why?", 72, 700)])))
    )
    broken = DictionaryObject(
        {
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/Rect"): ArrayObject([NumberObject(1)]),  # a rectangle of one number
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([NumberObject(7), broken])
    buffer = io.BytesIO()
    writer.write(buffer)

    contents = read_file("form.pdf", buffer.getvalue(), accepted=(".pdf",), max_bytes=10**6)

    assert [block.text for block in contents.blocks] == ["Question 1: Why?"]


def test_a_question_named_by_its_order_marks_an_answer_only_opening_a_paragraph():
    assert find_explicit("On your first question, we agree.").numbers == ("Q1",)
    assert find_explicit("Turning to the third question, we would keep it.").numbers == ("Q3",)
    assert find_explicit("We said on the first question, that it works.") is None
    assert find_explicit("On the first question of fees we say nothing.") is None


def test_a_reply_headed_re_or_response_names_its_question():
    assert find_explicit("Re: Question 4").numbers == ("Q4",)
    assert find_explicit("Q4 response: We agree").rest == "We agree"
    assert find_explicit("In relation to Question 4, we do.").numbers == ("Q4",)
    assert find_explicit("Q4 responses were mixed") is None
    assert find_explicit("Re: the consultation") is None


@pytest.mark.parametrize("marker", ["Question one:", "QUESTION ONE", "Q.1", "Q.1:"])
def test_a_paper_numbering_its_questions_in_words_or_with_a_dot_is_read(marker):
    import io

    from docx import Document

    document = Document()
    document.add_paragraph("These are our proposals.")
    document.add_paragraph(f"{marker} Do you agree with the fee?")
    second = marker.replace("1", "2").replace("one", "two").replace("ONE", "TWO")
    document.add_paragraph(f"{second} What else should we consider?")
    data = io.BytesIO()
    document.save(data)

    found = read_questions("paper.docx", data.getvalue())

    assert [(q.number, q.text) for q in found.questions] == [
        ("Q1", "Do you agree with the fee?"),
        ("Q2", "What else should we consider?"),
    ]


def test_questions_about_who_responds_are_set_apart_and_questions_about_people_are_not():
    from consultations.question_text import asks_about_respondent

    assert asks_about_respondent("Which of these best describes you? (Resident / Business)")
    assert asks_about_respondent("In which local authority area do you live?")
    assert asks_about_respondent("Which age group are you in?")
    assert not asks_about_respondent("Which age groups would benefit most from the scheme?")
    assert not asks_about_respondent("Would the proposals affect people who live nearby?")
    assert not asks_about_respondent("Which option best describes the impact on your business?")


def test_an_x_typed_over_a_forms_box_is_its_tick_but_an_x_in_words_is_not():
    options = ["Yes", "No", "Don't know"]
    assert read_ticks("Yes X   No ☐   Don't know ☐", options) == (True, "Yes", "")
    assert read_ticks("Option X is best", options)[0] is False  # no boxes: nothing to tick
