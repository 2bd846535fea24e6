"""Markers partners write at the start of an answer, read from one line."""

from __future__ import annotations

import pytest

from evidence.markers import find_bare, find_explicit, is_date_line, is_sign_off, is_signature


@pytest.mark.parametrize(
    ("line", "numbers", "found", "rest"),
    [
        ("Question 3 – subtitle", ("Q3",), "Question 3", "subtitle"),
        ("Q1: minimum income threshold", ("Q1",), "Q1", "minimum income threshold"),
        ("Q.6", ("Q6",), "Q.6", ""),
        ("Q. 6 Family visit appeals", ("Q6",), "Q. 6", "Family visit appeals"),
        ("QUESTION THREE", ("Q3",), "QUESTION THREE", ""),
        (
            "Question three: genuine relationships",
            ("Q3",),
            "Question three",
            "genuine relationships",
        ),
        ("QUESTION TWENTY-ONE", ("Q21",), "QUESTION TWENTY-ONE", ""),
        ("Questions 3 and 4", ("Q3", "Q4"), "Questions 3 and 4", ""),
        ("Q3 & Q4", ("Q3", "Q4"), "Q3 & Q4", ""),
        ("Q3 and Q4", ("Q3", "Q4"), "Q3 and Q4", ""),
        ("Q3/Q4", ("Q3", "Q4"), "Q3/Q4", ""),
        ("Questions 3-5", ("Q3", "Q4", "Q5"), "Questions 3-5", ""),
        ("Questions 3, 4 and 5", ("Q3", "Q4", "Q5"), "Questions 3, 4 and 5", ""),
        ("Questions 6 to 7", ("Q6", "Q7"), "Questions 6 to 7", ""),
        ("Q3–Q5", ("Q3", "Q4", "Q5"), "Q3–Q5", ""),
        (
            "Questions 3 & 4: English and dependants",
            ("Q3", "Q4"),
            "Questions 3 & 4",
            "English and dependants",
        ),
        ("Question 2 – 5 years is too long", ("Q2",), "Question 2", "5 years is too long"),
        ("Q3 Local services are stretched.", ("Q3",), "Q3", "Local services are stretched."),
        ("Response to Question 3", ("Q3",), "Response to Question 3", ""),
        ("Our response to Q2: We agree.", ("Q2",), "Our response to Q2", "We agree."),
        ("Question 3(a)", ("Q3a",), "Question 3(a)", ""),
        ("Q3a. text", ("Q3a",), "Q3a", "text"),
        ("Qu. 7", ("Q7",), "Qu. 7", ""),
        ("Question No. 4", ("Q4",), "Question No. 4", ""),
        ("Consultation question 8 - impacts", ("Q8",), "Consultation question 8", "impacts"),
        ("• Q4 – English language", ("Q4",), "Q4", "English language"),
        ("Question 2.1 – the threshold", ("Q2.1",), "Question 2.1", "the threshold"),
        ("Q2.1", ("Q2.1",), "Q2.1", ""),
        ("Questions 2.1 and 2.2", ("Q2.1", "Q2.2"), "Questions 2.1 and 2.2", ""),
    ],
)
def test_find_explicit_reads_every_way_partners_mark_a_question(line, numbers, found, rest):
    marker = find_explicit(line)

    assert marker is not None
    assert (marker.numbers, marker.found, marker.rest) == (numbers, found, rest)


@pytest.mark.parametrize(
    "line",
    [
        "Question 1 asks about income",  # prose about a question, not a marker
        "Q1 2024 figures",
        "Quality of housing is poor",
        "Questions about funding remain",
        "Q.2.1 asks about the threshold",
    ],
)
def test_find_explicit_leaves_prose_alone(line):
    assert find_explicit(line) is None


@pytest.mark.parametrize(
    ("line", "numbers", "rest"),
    [
        ("3.", ("Q3",), ""),
        ("3. English at B1", ("Q3",), "English at B1"),
        ("4) Dependants", ("Q4",), "Dependants"),
        ("12 – Funding", ("Q12",), "Funding"),
    ],
)
def test_find_bare_reads_a_plain_number(line, numbers, rest):
    marker = find_bare(line)

    assert marker is not None
    assert (marker.numbers, marker.rest, marker.explicit) == (numbers, rest, False)


@pytest.mark.parametrize("line", ["1.1 The council", "2023. A year", "3", "3 councils agree"])
def test_find_bare_leaves_paragraph_numbers_and_figures_alone(line):
    assert find_bare(line) is None


@pytest.mark.parametrize(
    ("line", "sign_off"),
    [
        ("Yours sincerely,", True),
        ("Yours faithfully", True),
        ("Kind regards,", True),
        ("Thanks, Maria", True),
        ("Many thanks", True),
        ("Thanks to the council's support, families stayed together.", False),
        ("Regardless of the threshold, we disagree.", False),
    ],
)
def test_is_sign_off_knows_how_letters_and_emails_end(line, sign_off):
    assert is_sign_off(line) is sign_off


@pytest.mark.parametrize(
    ("line", "signature"),
    [
        ("Revd Samuel Orr, Convenor", True),
        ("Pat Hughes, Chief Officer", True),
        ("Dr Aoife Keenan", True),
        ("Jo Brown, Policy Lead", True),
        ("Northern Ireland, Scotland", False),
        ("Belfast, Derry and Newry", False),
        ("Minimum income threshold", False),
    ],
)
def test_is_signature_knows_a_name_and_role_from_a_heading(line, signature):
    assert is_signature(line) is signature


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("February 2026", True),
        ("14 February 2026", True),
        ("Friday 12 December 2026", True),
        ("14/02/2026", True),
        ("February 2026 saw 40 new families arrive.", False),
    ],
)
def test_is_date_line_knows_a_date_on_its_own(line, date):
    assert is_date_line(line) is date
