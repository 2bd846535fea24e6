"""Build the question-import fixtures: consultation papers laid out as real ones are.

Run from the repository's root: ``.venv/bin/python tests/data/intake/make_question_fixtures.py``
(add ``--pdf`` to convert the Word papers named in PDF_FROM_WORD with LibreOffice). Each
fixture's questions are declared here first (number, wording, kind, options, section), and
both the document and its expected result (``<name>.json``) are written from that
declaration, never from what the importer reads, so the tests compare the importer with what
a person reading the paper would list.

The layouts imitate published papers (the words are our own):
- Home Office / UK Border Agency consultation papers: a title page, a foreword, chapters with
  numbered paragraphs (1.1, 1.2), each question in a box after the proposal it asks about,
  footnotes, and "Annex A: consultation questions" repeating every question, then a response
  form with "About you";
- UKBA response forms: questions in a table (No. | Question | Response) with tick boxes;
- papers whose questions are Word-numbered ("Question 1:" made by list numbering, so the number
  is not in the text), with lettered sub-questions;
- parliamentary calls for evidence: terms of reference as bullets ending in "?", and
  issues as bullets and sub-bullets under sub-headings (e.g. the Transport Committee's "We
  would welcome written evidence on the following matters");
- summaries of responses: each question followed by "Response rate" figures and a table;
- Welsh Government-style response forms: "Question 1" as a heading, the wording beneath;
- questions lists published as spreadsheets (closed questions without options) and CSV.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import docx
import openpyxl
from docx.document import Document
from docx.oxml import parse_xml
from docx.shared import Pt, RGBColor

HERE = Path(__file__).resolve().parent
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
YND = ("Yes", "No", "Don't know")
AGREE = ("Agree", "Disagree", "Neither agree nor disagree", "Don't know")


@dataclass(frozen=True)
class Q:
    """A question as a person reading the paper would list it."""

    number: str
    text: str
    kind: str = "open"
    options: tuple[str, ...] = ()
    section: str = ""


@dataclass
class Expected:
    """What the import must find in a fixture."""

    layout: str
    questions: list[Q]
    left_out: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # a phrase each notice must contain

    def write(self, name: str) -> None:
        data = {
            "layout": self.layout,
            "questions": [{**asdict(q), "options": list(q.options)} for q in self.questions],
            "left_out": self.left_out,
            "notices": self.notices,
        }
        (HERE / f"{name}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


# --- Word helpers -----------------------------------------------------------------------------


def new_document(title: str, subtitle: str = "") -> Document:
    document = docx.Document()
    document.core_properties.title = title
    document.add_paragraph(title, style="Title")
    if subtitle:
        document.add_paragraph(subtitle, style="Subtitle")
    return document


def save(document: Document, name: str) -> None:
    document.core_properties.author = "Home Office (fixture)"
    document.save(HERE / f"{name}.docx")


def numbered_paragraphs(document: Document, chapter: int, texts: list[str]) -> None:
    for index, text in enumerate(texts, start=1):
        document.add_paragraph(f"{chapter}.{index}\t{text}")


def with_footnote(document: Document, before: str, marker: str, after: str = "") -> None:
    """A paragraph with a footnote marker typed in superscript, as pasted papers have them."""
    paragraph = document.add_paragraph(before)
    paragraph.add_run(marker).font.superscript = True
    if after:
        paragraph.add_run(after)


def boxed(document: Document, *lines: str) -> None:
    """Lines in a bordered one-cell table: the Home Office's question box."""
    table = document.add_table(rows=1, cols=1)
    table.style = "Table Grid"
    cell = table.cell(0, 0)
    cell.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)
    run = cell.paragraphs[0].runs[0]
    run.font.bold = True
    run.font.color.rgb = RGBColor(0x1D, 0x46, 0x7C)


def table(document: Document, rows: list[tuple[str, ...]]) -> None:
    grid = document.add_table(rows=len(rows), cols=len(rows[0]))
    grid.style = "Table Grid"
    for row, values in zip(grid.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value


def add_numbering(document: Document, levels: list[tuple[str, str]], num_id: int) -> int:
    """Add a Word list definition (numFmt, lvlText per level) and a list that uses it."""
    numbering = document.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{index}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{720 * (index + 1)}" w:hanging="720"/></w:pPr></w:lvl>'
        for index, (fmt, text) in enumerate(levels)
    )
    numbering.insert(
        0, parse_xml(f'<w:abstractNum {W_NS} w:abstractNumId="{num_id}">{lvls}</w:abstractNum>')
    )
    numbering.append(
        parse_xml(f'<w:num {W_NS} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>')
    )
    return num_id


def listed(document: Document, text: str, num_id: int, level: int = 0) -> None:
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W_NS}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def about_you_form(document: Document, heading: str = "Annex B: Response form") -> None:
    """The unnumbered respondent questions every Home Office paper ends with."""
    document.add_heading(heading, 1)
    document.add_heading("About you", 2)
    table(
        document,
        [
            ("Full name", ""),
            ("Job title", ""),
            ("Organisation (if applicable)", ""),
            ("Email address", ""),
        ],
    )
    document.add_paragraph(
        "Are you responding as an individual or on behalf of an organisation? "
        "Individual ☐ Organisation ☐"
    )
    document.add_paragraph("Would you like your response to be treated as confidential? Yes ☐ No ☐")


# --- 1. A Home Office consultation paper: chapters, boxes, footnotes, an annex ---------------

FAMILY = [
    Q(
        "Q1",
        "Do you agree that a sponsor should have to show an annual income of at least the "
        "threshold set out in this chapter before a partner can join them?",
        "closed",
        YND,
        "Chapter 2: The financial requirement",
    ),
    Q(
        "Q2",
        "Should the threshold be higher for each child who is sponsored?",
        "closed",
        YND,
        "Chapter 2: The financial requirement",
    ),
    Q(
        "Q3",
        "What evidence should a sponsor be able to use to show their income? Please give "
        "examples from your own work.",
        "open",
        (),
        "Chapter 2: The financial requirement",
    ),
    Q(
        "Q4",
        "Do you agree that partners should pass an English test at level A1 before they come "
        "to the UK?",
        "hybrid",
        YND,
        "Chapter 3: English language",
    ),
    Q(
        "Q5",
        "What support would partners need to reach level A2 within two years of arriving?",
        "open",
        (),
        "Chapter 3: English language",
    ),
    Q(
        "Q6",
        "How could local services be told when a partner arrives in their area?",
        "open",
        (),
        "Chapter 4: Settlement and local services",
    ),
]


def family_paper() -> None:
    document = new_document(
        "Family migration: a consultation", "Launched 4 March; closes 9 June. Home Office."
    )
    document.add_heading("Foreword by the Minister", 1)
    document.add_paragraph(
        "Family migration must work for families, for sponsors and for the communities that "
        "welcome them. This paper sets out our proposals and asks for your views."
    )
    document.add_heading("Chapter 1: Introduction", 1)
    numbered_paragraphs(
        document,
        1,
        [
            "This consultation seeks views on the rules for partners and children of people "
            "settled in the UK.",
            "The questions are set out in boxes in the chapters and listed again in Annex A.",
        ],
    )
    document.add_heading("Chapter 2: The financial requirement", 1)
    numbered_paragraphs(
        document,
        2,
        [
            "The Government proposes that a sponsor should show a settled income before a "
            "partner joins them.",
        ],
    )
    with_footnote(
        document,
        "2.2\tThe Migration Advisory Committee considered the level of such a threshold",
        "3",
        " and its effect on families in each nation of the UK.",
    )
    boxed(
        document,
        "Question 1: Do you agree that a sponsor should have to show an annual income of at "
        "least the threshold set out in this chapter before a partner can join them?",
        "Yes ☐ No ☐ Don't know ☐",
    )
    document.add_paragraph("The evidence behind this proposal is summarised in Appendix A.")
    boxed(
        document,
        "Question 2: Should the threshold be higher for each child who is sponsored? "
        "(Yes / No / Don't know)",
    )
    document.add_paragraph("2.3\tIncome may come from employment, self-employment or savings.")
    boxed(
        document,
        "Question 3: What evidence should a sponsor be able to use to show their income? "
        "Please give examples from your own work.",
    )
    document.add_heading("Chapter 3: English language", 1)
    with_footnote(
        document,
        "3.1\tSpeaking English helps partners to work, to use services and to take part in "
        "their community.",
        "4",
    )
    boxed(
        document,
        "Question 4: Do you agree that partners should pass an English test at level A1 before "
        "they come to the UK?[5]",
        "Yes ☐ No ☐ Don't know ☐",
        "Please explain your answer.",
    )
    document.add_paragraph("3.2\tThe test would be taken at an approved centre abroad.")
    boxed(
        document,
        "Question 5: What support would partners need to reach level A2 within two years of "
        "arriving?",
    )
    document.add_heading("Chapter 4: Settlement and local services", 1)
    numbered_paragraphs(
        document,
        4,
        ["Councils and health bodies told us they often learn of new arrivals late."],
    )
    boxed(
        document,
        "Question 6: How could local services be told when a partner arrives in their area?",
    )
    document.add_paragraph("Response rate and next steps are set out in Chapter 5.")
    document.add_heading("Chapter 5: How to respond", 1)
    document.add_paragraph(
        "Please respond online, by email or by post by 9 June. Responses will be published in "
        "summary within three months."
    )
    document.add_heading("Annex A: List of consultation questions", 1)
    for question in FAMILY:
        options = " (Yes / No / Don't know)" if question.options else ""
        document.add_paragraph(f"Question {question.number[1:]}: {question.text}{options}")
    about_you_form(document)
    document.add_heading("Footnotes", 2)
    for number, note in [(3, "Report on the financial requirement."), (4, "Integration survey.")]:
        document.add_paragraph(f"{number} {note}")
    save(document, "questions-ho-family-paper")
    Expected(
        "Home Office consultation paper: chapters with numbered paragraphs, questions in boxes "
        "followed by prose, footnote markers, an annex repeating the questions, an unnumbered "
        "About you form",
        FAMILY,
    ).write("questions-ho-family-paper")


# --- 2. A UKBA response form: questions in a table, About you numbered -------------------------

FORM = [
    Q(
        "Q4",
        "Do you agree that asylum support should be paid weekly rather than every four weeks?",
        "hybrid",
        ("Yes", "No", "Not sure"),
        "Part 2: The proposals",
    ),
    Q(
        "Q5",
        "What are the main pressures on housing for people granted refugee status in your area?",
        "open",
        (),
        "Part 2: The proposals",
    ),
    Q(
        "Q6",
        "Should the move-on period after a grant of status be extended from 28 to 56 days?",
        "closed",
        ("Yes", "No"),
        "Part 2: The proposals",
    ),
    Q(
        "Q7",
        "Is there anything else you would like to tell us about asylum support?",
        "open",
        (),
        "Part 2: The proposals",
    ),
]


def response_form() -> None:
    document = new_document("Asylum support: response form", "UK Border Agency")
    document.add_paragraph(
        "Please complete this form and return it to the address below by 30 September. "
        "You can answer as many or as few questions as you wish."
    )
    document.add_heading("Part 1: About you", 1)
    table(
        document,
        [
            ("No.", "Question", "Response"),
            ("Q1", "What is your name?", ""),
            (
                "Q2",
                "Are you responding as an individual or on behalf of an organisation?",
                "Individual ☐ Organisation ☐",
            ),
            ("Q3", "If you are responding for an organisation, what is its name?", ""),
        ],
    )
    document.add_heading("Part 2: The proposals", 1)
    table(
        document,
        [
            ("No.", "Question", "Response"),
            (
                "Q4",
                "Do you agree that asylum support should be paid weekly rather than every four "
                "weeks?",
                "Yes ☐ No ☐ Not sure ☐",
            ),
            ("", "", "Comments:"),
            (
                "Q5",
                "What are the main pressures on housing for people granted refugee status in "
                "your area?",
                "",
            ),
            (
                "Q6",
                "Should the move-on period after a grant of status be extended from 28 to 56 days?",
                "Yes ☐ No ☐",
            ),
            ("Q7", "Is there anything else you would like to tell us about asylum support?", ""),
        ],
    )
    document.add_heading("Confidentiality", 1)
    document.add_paragraph(
        "Information you provide may be published or disclosed under the Freedom of "
        "Information Act 2000."
    )
    document.add_paragraph("Thank you for taking the time to respond.")
    save(document, "questions-ukba-response-form")
    Expected(
        "UKBA response form: About you and the proposals as No. | Question | Response tables "
        "with tick boxes and a Comments row",
        FORM,
        left_out=["Q1", "Q2", "Q3"],
    ).write("questions-ukba-response-form")


# --- 3. Word-numbered questions: the numbers are in numbering.xml, not the text --------------

NUMBERED = [
    Q(
        "Q1",
        "Do you agree with the proposal to house people seeking asylum in large sites?",
        "closed",
        AGREE,
        "Section A: Accommodation",
    ),
    Q(
        "Q1a",
        "Should councils be consulted before a large site opens?",
        "open",
        (),
        "Section A: Accommodation",
    ),
    Q(
        "Q1b",
        "How much notice would your council need?",
        "open",
        (),
        "Section A: Accommodation",
    ),
    Q(
        "Q2",
        "What would help people leaving asylum accommodation to find a home?",
        "open",
        (),
        "Section A: Accommodation",
    ),
    Q(
        "Q3",
        "How should the health needs of new arrivals be assessed? Where possible, give "
        "figures from your area.",
        "open",
        (),
        "Section B: Health",
    ),
    Q(
        "Q4",
        "Do you agree that GP registration should be offered on arrival?",
        "hybrid",
        AGREE,
        "Section B: Health",
    ),
]


def word_numbered() -> None:
    document = new_document("Asylum accommodation and health: consultation")
    questions = add_numbering(
        document, [("decimal", "Question %1:"), ("lowerLetter", "(%2)")], num_id=70
    )
    guidance = add_numbering(document, [("decimal", "%1.")], num_id=71)
    document.add_heading("How to respond", 1)
    listed(document, "Read the proposals in each section.", guidance)
    listed(document, "Answer the questions that concern your work.", guidance)
    listed(document, "Send the form to the address at the end by 1 May.", guidance)
    document.add_heading("Section A: Accommodation", 1)
    document.add_paragraph(
        "A.1 Large sites have been used to house people while their claims are decided."
    )
    listed(
        document,
        "Do you agree with the proposal to house people seeking asylum in large sites?",
        questions,
    )
    listed(document, "Should councils be consulted before a large site opens?", questions, 1)
    listed(document, "How much notice would your council need?", questions, 1)
    document.add_paragraph("A.2 Move-on support is described in the impact assessment.")
    listed(
        document,
        "What would help people leaving asylum accommodation to find a home?",
        questions,
    )
    document.add_heading("Section B: Health", 1)
    document.add_paragraph("B.1 Most new arrivals have not seen a doctor in the UK before.")
    listed(document, "How should the health needs of new arrivals be assessed?", questions)
    document.add_paragraph("Where possible, give figures from your area.")
    listed(document, "Do you agree that GP registration should be offered on arrival?", questions)
    document.add_paragraph("Please give reasons for your answer.")
    document.add_paragraph("B.2 The NHS already offers registration without proof of address.")
    save(document, "questions-word-numbered")
    Expected(
        "Questions numbered by Word's list numbering ('Question %1:'), lettered sub-questions, "
        "a numbered guidance list in 'How to respond', instructions after questions",
        NUMBERED,
        # "Please give reasons ..." in its own paragraph is read as the answer box's prompt.
    ).write("questions-word-numbered")


# --- 4. A parliamentary call for evidence: bullets ending in "?" ------------------------------

CALL = [
    Q(
        "Q1",
        "How well does the Home Office work with councils when it places people in hotels?",
        section="Terms of reference",
    ),
    Q(
        "Q2",
        "What has been the effect of hotel use on local health, education and social care "
        "services?",
        section="Terms of reference",
    ),
    Q(
        "Q3",
        "Are the current contracts for asylum accommodation value for money?",
        section="Terms of reference",
    ),
    Q(
        "Q4",
        "What should replace hotels, and how quickly could it be done?",
        section="Terms of reference",
    ),
]


def call_for_evidence() -> None:
    document = new_document("Asylum accommodation: call for evidence", "Home Affairs Committee")
    document.add_paragraph(
        "The Committee is holding an inquiry into the use of hotels and large sites. The "
        "deadline for written evidence is 12 January."
    )
    document.add_heading("Terms of reference", 1)
    document.add_paragraph("The Committee invites written evidence on the following questions:")
    for question in CALL:
        document.add_paragraph(question.text, style="List Bullet")
    document.add_heading("How to submit evidence", 1)
    document.add_paragraph(
        "Submissions should be no longer than 3,000 words and should use numbered paragraphs."
    )
    document.add_paragraph("Is your evidence about one person's case?", style="List Bullet")
    document.add_paragraph(
        "If so, please remove their name before you send it.", style="List Bullet 2"
    )
    save(document, "questions-call-for-evidence")
    Expected(
        "Parliamentary committee call for evidence: terms of reference as bullets ending in "
        "'?', and a guidance bullet later that is not a question",
        CALL,
    ).write("questions-call-for-evidence")


# --- 5. Issues as bullets and sub-bullets (no question marks) --------------------------------

ISSUES = [
    Q(
        "Q1",
        "The demand for English classes (ESOL) in each region, and how long people wait for "
        "a place: waiting lists held by colleges; classes for people working shifts.",
        section="English language provision",
    ),
    Q(
        "Q2",
        "The funding of ESOL by the devolved governments and by councils.",
        section="English language provision",
    ),
    Q(
        "Q3",
        "How schools find places for children who arrive during the school year.",
        section="Schools and children",
    ),
    Q(
        "Q4",
        "The support given to unaccompanied children in care and to care leavers: age "
        "assessment; the National Transfer Scheme.",
        section="Schools and children",
    ),
]


def inquiry_issues() -> None:
    document = new_document("Integration of new arrivals: inquiry", "Call for written evidence")
    document.add_paragraph(
        "We would welcome written evidence on the following matters, under either heading:"
    )
    document.add_heading("English language provision", 2)
    document.add_paragraph(
        "The demand for English classes (ESOL) in each region, and how long people wait for a "
        "place:",
        style="List Bullet",
    )
    document.add_paragraph("waiting lists held by colleges;", style="List Bullet 2")
    document.add_paragraph("classes for people working shifts.", style="List Bullet 2")
    document.add_paragraph(
        "The funding of ESOL by the devolved governments and by councils.", style="List Bullet"
    )
    document.add_heading("Schools and children", 2)
    document.add_paragraph(
        "How schools find places for children who arrive during the school year.",
        style="List Bullet",
    )
    document.add_paragraph(
        "The support given to unaccompanied children in care and to care leavers:",
        style="List Bullet",
    )
    document.add_paragraph("age assessment;", style="List Bullet 2")
    document.add_paragraph("the National Transfer Scheme.", style="List Bullet 2")
    document.add_paragraph("Submissions should not exceed 3,000 words.")
    save(document, "questions-inquiry-issues")
    Expected(
        "Inquiry call for evidence: issues as bullets and sub-bullets under sub-headings, no "
        "question marks, after 'We would welcome written evidence on the following matters'",
        ISSUES,
    ).write("questions-inquiry-issues")


# --- 6. A summary of responses ------------------------------------------------------------------

SUMMARY = [
    Q(
        "Q1",
        "Do you agree that the right to work should begin six months after an asylum claim is "
        "made?",
        "closed",
        AGREE,
        "Summary of responses",
    ),
    Q(
        "Q2",
        "What barriers stop people with refugee status from finding work?",
        "open",
        (),
        "Summary of responses",
    ),
    Q(
        "Q3",
        "Should employers be able to check a person's right to work online?",
        "closed",
        ("Yes", "No"),
        "Summary of responses",
    ),
]


def summary_of_responses() -> None:
    document = new_document(
        "Right to work for people seeking asylum: summary of responses", "Home Office"
    )
    document.add_heading("Introduction", 1)
    document.add_paragraph(
        "The consultation ran for twelve weeks and received 45 responses, 30 of them from "
        "organisations."
    )
    document.add_heading("Summary of responses", 1)
    document.add_paragraph(
        "Question 1: Do you agree that the right to work should begin six months after an "
        "asylum claim is made?"
    )
    document.add_paragraph("Response rate - 36 respondents (80%) answered this question.")
    table(document, [("Agree", "21", "58%"), ("Disagree", "11", "31%"), ("Don't know", "4", "11%")])
    document.add_paragraph(
        "Most respondents agreed. Several councils said that earlier work would ease pressure "
        "on support budgets."
    )
    document.add_paragraph(
        "Question 2: What barriers stop people with refugee status from finding work?"
    )
    document.add_paragraph("Response rate - 40 respondents (89%).")
    document.add_paragraph(
        "Respondents most often named English language, recognition of qualifications and "
        "childcare."
    )
    document.add_paragraph(
        "Question 3: Should employers be able to check a person's right to work online? (Yes/No)"
    )
    document.add_paragraph("Response rate - 33 respondents.")
    document.add_heading("Government response", 1)
    document.add_paragraph(
        "The Government will introduce online checks and keep the six-month rule under review."
    )
    save(document, "questions-summary-of-responses")
    Expected(
        "Summary of responses: each question followed by 'Response rate' figures, a table of "
        "counts and prose",
        SUMMARY,
    ).write("questions-summary-of-responses")


# --- 7. Bare typed numbers, after a numbered guidance list ----------------------------------

BARE = [
    Q(
        "Q1",
        "Do you agree that the fee for indefinite leave to remain should be waived for care "
        "leavers?",
        "closed",
        AGREE,
        "Consultation questions",
    ),
    Q(
        "Q2",
        "Which option for the fee do you prefer? Please tick one.",
        "open",
        (),
        "Consultation questions",
    ),
    Q(
        "Q3",
        "Describe any evidence you hold on the cost of fees to families in your area.",
        "open",
        (),
        "Consultation questions",
    ),
    Q(
        "Q4",
        "If the fee were lowered, how should the cost be met? Consider the options in chapter 2.",
        "open",
        (),
        "Consultation questions",
    ),
]


def bare_numbers() -> None:
    document = new_document("Settlement fees: consultation")
    document.add_heading("Before you respond", 1)
    for index, text in enumerate(
        [
            "Read the impact assessment published with this paper.",
            "Discuss the questions with colleagues who work with families.",
            "Send one response for your organisation.",
        ],
        start=1,
    ):
        document.add_paragraph(f"{index}. {text}")
    document.add_heading("Consultation questions", 1)
    document.add_paragraph(
        "1. Do you agree that the fee for indefinite leave to remain should be waived for care "
        "leavers?"
    )
    document.add_paragraph("2. Which option for the fee do you prefer? Please tick one.")
    document.add_paragraph(
        "3. Describe any evidence you hold on the cost of fees to families in your area."
    )
    document.add_paragraph("4. If the fee were lowered, how should the cost be met?")
    document.add_paragraph("Consider the options in chapter 2.")
    document.add_paragraph("The Home Office will publish its response in the autumn.")
    save(document, "questions-bare-numbers")
    Expected(
        "Questions typed as '1.' after a typed numbered guidance list; 'Please tick one' with "
        "no options printed",
        BARE,
        notices=["Q2, paragraph 8: it asks for a choice but its options were not found"],
    ).write("questions-bare-numbers")


# --- 8. Welsh Government-style form: "Question 1" headings, wording beneath ------------------

WELSH = [
    Q(
        "Q1",
        "Do you agree with the proposed duty on councils to plan for the resettlement of "
        "refugee families?",
        "hybrid",
        AGREE,
    ),
    Q("Q2", "What would councils need to meet the duty?", "open", ()),
    Q(
        "Q3",
        "We would like to know your views on the effects the proposals would have on the Welsh "
        "language. What effects do you think there would be?",
        "open",
        (),
    ),
]


def welsh_form() -> None:
    document = new_document("Refugee resettlement duty: consultation response form")
    document.add_paragraph("Your name:")
    document.add_paragraph("Organisation (if applicable):")
    document.add_paragraph("Email / telephone number:")
    document.add_paragraph("Question 1", style="Heading 2")
    document.add_paragraph(
        "Do you agree with the proposed duty on councils to plan for the resettlement of "
        "refugee families?"
    )
    document.add_paragraph("Agree ☐ Disagree ☐ Neither agree nor disagree ☐ Don't know ☐")
    document.add_paragraph("Please explain your answer:")
    document.add_paragraph("Question 2", style="Heading 2")
    document.add_paragraph("What would councils need to meet the duty?")
    document.add_paragraph(
        "If you have any related issues which we have not addressed, please tell us."
    )
    document.add_paragraph("Question 3", style="Heading 2")
    document.add_paragraph(
        "We would like to know your views on the effects the proposals would have on the "
        "Welsh language."
    )
    document.add_paragraph("What effects do you think there would be?")
    document.add_paragraph(
        "Responses to consultations are likely to be made public. If you would prefer your "
        "response to remain anonymous, please tick here: ☐"
    )
    save(document, "questions-welsh-style-form")
    Expected(
        "Welsh Government-style response form: 'Question 1' as a heading with the wording in "
        "the paragraphs beneath, tick boxes, 'Please explain your answer:'",
        WELSH,
    ).write("questions-welsh-style-form")


# --- 9. A repeat whose wording changed in the annex ------------------------------------------

REPEATED = [
    Q(
        "Q1",
        "Should partners of students be allowed to work full time?",
        "closed",
        ("Yes", "No"),
        "Chapter 1: Students' dependants",
    ),
    Q(
        "Q2",
        "What would the change mean for employers in your area?",
        "open",
        (),
        "Chapter 1: Students' dependants",
    ),
]


def repeated_differently() -> None:
    document = new_document("Students' dependants: consultation")
    document.add_heading("Chapter 1: Students' dependants", 1)
    document.add_paragraph("1.1 Partners of some students may work up to 20 hours a week.")
    document.add_paragraph(
        "Q1. Should partners of students be allowed to work full time? Yes ☐ No ☐"
    )
    document.add_paragraph("Q2. What would the change mean for employers in your area?")
    document.add_heading("Annex A: Questions", 1)
    document.add_paragraph(
        "Q1. Should partners of students be allowed to work full time? Yes ☐ No ☐"
    )
    document.add_paragraph(
        "Q2. What would the change mean for colleges and universities in your region?"
    )
    save(document, "questions-repeated-differently")
    Expected(
        "Questions in a chapter and again in an annex, one of them reworded in the annex",
        REPEATED,
        notices=["Q2 appears 2 times with different wording, at paragraph 5 and paragraph 8"],
    ).write("questions-repeated-differently")


# --- 10. Questions in shaded boxes with tick rows, and hidden drafting notes -----------------

BOXES = [
    Q(
        "Q1",
        "Do you agree that the Common Travel Area should be reflected in the new rules for "
        "visitors?",
        "hybrid",
        ("Strongly agree", "Agree", "Disagree", "Strongly disagree"),
        "Northern Ireland and the Common Travel Area",
    ),
    Q(
        "Q2",
        "What checks, if any, should apply to journeys between Northern Ireland and Great Britain?",
        "open",
        (),
        "Northern Ireland and the Common Travel Area",
    ),
]


def boxes_with_ticks() -> None:
    document = new_document("Visitors and the Common Travel Area: consultation")
    document.add_heading("Northern Ireland and the Common Travel Area", 1)
    document.add_paragraph(
        "The Common Travel Area allows free movement between the UK and Ireland."
    )
    grid = document.add_table(rows=4, cols=5)
    grid.style = "Table Grid"
    first = grid.rows[0].cells[0].merge(grid.rows[0].cells[4])
    first.text = (
        "Q1. Do you agree that the Common Travel Area should be reflected in the new rules for "
        "visitors?"
    )
    for cell, text in zip(
        grid.rows[1].cells,
        ["Strongly agree ☐", "Agree ☐", "Disagree ☐", "Strongly disagree ☐", ""],
        strict=True,
    ):
        cell.text = text
    grid.rows[2].cells[0].merge(grid.rows[2].cells[4]).text = "Please explain your answer."
    grid.rows[3].cells[0].merge(grid.rows[3].cells[4]).text = ""
    note = document.add_paragraph("")
    hidden = note.add_run("Drafting note: confirm the wording with the NIO.")
    hidden.font.hidden = True
    document.add_paragraph(
        "Q2. What checks, if any, should apply to journeys between Northern Ireland and Great "
        "Britain?"
    ).runs[0].font.size = Pt(12)
    document.add_paragraph("There are no routine checks on these journeys today.")
    save(document, "questions-boxes-with-ticks")
    Expected(
        "Questions in bordered boxes with a row of tick boxes and an explanation row; a hidden "
        "drafting note",
        BOXES,
    ).write("questions-boxes-with-ticks")


# --- 11. A spreadsheet of closed questions without options -----------------------------------

SHEET = [
    Q(
        "Q1",
        "Should the skilled worker salary threshold rise with earnings each year?",
        "open",
        (),
        "Work routes",
    ),
    Q(
        "Q2",
        "Should care workers be able to bring dependants?",
        "closed",
        ("Yes", "No"),
        "Work routes",
    ),
    Q(
        "Q3",
        "What would a higher threshold mean for employers in your region?",
        "open",
        (),
        "Work routes",
    ),
    Q(
        "Q4",
        "Do you agree that the shortage occupation list should be replaced?",
        "closed",
        AGREE,
        "Shortage occupations",
    ),
]


def closed_sheet() -> None:
    workbook = openpyxl.Workbook()
    cover = workbook.active
    cover.title = "About this consultation"
    cover.append(["Work visas: consultation questions"])
    cover.append(["Published by the Home Office. Respond by 1 March."])
    sheet = workbook.create_sheet("Questions")
    sheet.append(["Work visas: list of questions"])
    sheet.append([])
    sheet.append(["Ref", "Chapter", "Question", "Type"])
    sheet.append([0, "About you", "What is the name of your organisation?", "open"])
    sheet.append(
        [
            1,
            "Work routes",
            "Should the skilled worker salary threshold rise with earnings each year?",
            "closed",
        ]
    )
    sheet.append(
        [2, "Work routes", "Should care workers be able to bring dependants? (Yes / No)", "closed"]
    )
    sheet.append(
        [
            3,
            "Work routes",
            "What would a higher threshold mean for employers in your region?",
            "open",
        ]
    )
    sheet.append(
        [
            4,
            "Shortage occupations",
            "Do you agree that the shortage occupation list should be replaced?",
            "closed",
        ]
    )
    workbook.save(HERE / "questions-closed-without-options.xlsx")
    Expected(
        "Spreadsheet of questions with a Type column: closed questions without options, options "
        "named in the text, an About you row, a cover sheet without a header",
        SHEET,
        left_out=["Q0"],
        notices=["row 5: it is marked closed but has no options"],
    ).write("questions-closed-without-options")


# --- 12. A CSV question list saved by Excel: semicolons, Windows-1252, a section column ------

CSV = [
    Q(
        "Q1",
        "Is £1,048 a fair fee for a child’s citizenship application?",
        "closed",
        ("Yes", "No", "Don't know"),
        "Citizenship fees",
    ),
    Q("Q2", "How do fees affect children in care in your area?", "open", (), "Citizenship fees"),
    Q(
        "Q3",
        "Should fee waivers be decided within four weeks?",
        "hybrid",
        ("Yes", "No"),
        "Fee waivers",
    ),
]


def csv_list() -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["Question number", "Section", "Question text", "Kind", "Options"])
    first, second, third = CSV
    writer.writerow(["1", first.section, first.text, "", "Yes; No; Don't know"])
    writer.writerow(["2", second.section, second.text, "", ""])
    writer.writerow(["3", third.section, third.text, "hybrid", "Yes|No"])
    (HERE / "questions-excel-csv.csv").write_bytes(buffer.getvalue().encode("cp1252"))
    Expected(
        "CSV saved by Excel in Windows-1252 with semicolons, a Section column and options in "
        "one cell",
        CSV,
    ).write("questions-excel-csv")


FIXTURES = [
    family_paper,
    response_form,
    word_numbered,
    call_for_evidence,
    inquiry_issues,
    summary_of_responses,
    bare_numbers,
    welsh_form,
    repeated_differently,
    boxes_with_ticks,
    closed_sheet,
    csv_list,
]
# Word papers also published as PDF (GOV.UK publishes most papers as PDF).
PDF_FROM_WORD = [
    "questions-ho-family-paper",
    "questions-word-numbered",
    "questions-call-for-evidence",
    "questions-summary-of-responses",
    "questions-welsh-style-form",
]


def make_pdfs() -> None:
    """Convert the Word papers to PDF with LibreOffice; their expected results are the same."""
    with tempfile.TemporaryDirectory() as folder:
        for name in PDF_FROM_WORD:
            subprocess.run(
                [
                    "soffice",
                    f"-env:UserInstallation=file://{folder}/profile",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    folder,
                    str(HERE / f"{name}.docx"),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
            shutil.copy(Path(folder) / f"{name}.pdf", HERE / f"{name}-pdf.pdf")
            expected = json.loads((HERE / f"{name}.json").read_text())
            expected["layout"] += " (the same paper saved as PDF by LibreOffice)"
            (HERE / f"{name}-pdf.json").write_text(
                json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
            )


if __name__ == "__main__":
    for make in FIXTURES:
        make()
    if "--pdf" in sys.argv:
        make_pdfs()
