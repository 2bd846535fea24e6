"""Build the partner-response fixtures: Word letters laid out as real published responses are.

Run from the repository root: ``.venv/bin/python tests/data/intake/responses/make_responses.py``
(then ``--pdf`` to remake the PDFs with LibreOffice). The files are committed; this script is
how they were made, so that a change to one is a reviewed change to its code.

Each layout imitates a kind of published response to a Home Office consultation or a
parliamentary call for evidence, found with the project's search tool (the words are ours):

- a council's letter on its letterhead, "Dear Sir or Madam", "Question 1 – subtitle" headings,
  "Yours faithfully" (councils' letters to the Home Office, e.g. LGA / COSLA correspondence);
- a Law Centre's response: title, "About the Law Centre", contacts, then bold "Q1: topic"
  paragraphs (Liberty's and Law Centre (NI)'s responses to Home Office consultations);
- a health trust's "Q.1" ... "Q.6" answers; a faith forum's "QUESTION ONE" headings;
- a network's response answering "Questions 3 and 4" together;
- numbered topic headings, by Word's numbering or typed ("4. English at B1");
- "Question 1", "Question 2" and then a bare "3." (a council officer's working draft);
- written evidence quoting each question before answering (London Borough of Havering's
  comments on the ILF consultation; the Refugee Council's written evidence, NBB0021);
- the Home Office response form filled in (a "No. | Question | Response" table) and a table of
  "Question | Agree/Disagree | Comments" without numbers;
- numbered sections with no question markers ("1. About us", "2. Pre-entry English ..."), as
  COSLA's response on destitution and the Refugee and Asylum Forum's written evidence are set
  out; numbered paragraphs with no headings (Liberty's response on asylum support);
- an email pasted into Word, with no structure at all;
- a response with "Response to Question 1", sub-headings inside answers and an annex;
- a response set out under the consultation paper's own chapter headings, answering the
  paper made by the question import's fixtures (``../questions-ho-family-paper.docx``).

The partner's own spreadsheets (``15_*.xlsx``, ``16_*.csv``) are built here too.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import docx
import openpyxl
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
PDFS = ("01_council_letter_subtitles", "02_law_centre_q_colon", "12_numbered_sections_no_markers")


# --- Small helpers ---------------------------------------------------------------------------


def new_document() -> Document:
    document = docx.Document()
    properties = document.core_properties
    properties.author = "Policy team"
    properties.title = "Consultation response"
    return document


def para(
    document: Document,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    style: str | None = None,
    align: str | None = None,
    size: float | None = None,
):
    paragraph = document.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)
    if align == "right":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif align == "centre":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def with_note(document: Document, text: str, marker: str, rest: str = "") -> None:
    """A paragraph with a footnote marker typed in superscript, as Word shows a note's number."""
    paragraph = document.add_paragraph()
    paragraph.add_run(text)
    paragraph.add_run(marker).font.superscript = True
    if rest:
        paragraph.add_run(rest)


def letterhead(document: Document, lines: Sequence[str]) -> None:
    for index, line in enumerate(lines):
        para(document, line, bold=index == 0, size=14 if index == 0 else None, align="right")


def table(document: Document, rows: Sequence[Sequence[str]], *, bold_header: bool = True) -> None:
    grid = document.add_table(rows=len(rows), cols=len(rows[0]))
    grid.style = "Table Grid"
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            cell = grid.cell(r, c)
            pieces = text.split("\n\n")
            cell.text = pieces[0]
            for piece in pieces[1:]:
                cell.add_paragraph(piece)
            if r == 0 and bold_header:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def number_heading_style(document: Document, style_name: str) -> None:
    """Give a heading style Word's own numbering ("1.", "2.", ...), as a house template does."""
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    level = OxmlElement("w:lvl")
    level.set(qn("w:ilvl"), "0")
    for tag, value in (("w:start", "1"), ("w:numFmt", "decimal"), ("w:lvlText", "%1.")):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        level.append(element)
    abstract.append(level)
    numbering.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    abstract_id = OxmlElement("w:abstractNumId")
    abstract_id.set(qn("w:val"), "90")
    num.append(abstract_id)
    numbering.append(num)
    style = document.styles[style_name]
    p_pr = style.element.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    num_id = OxmlElement("w:numId")
    num_id.set(qn("w:val"), "90")
    num_pr.append(num_id)
    p_pr.insert(0, num_pr)


def sign_off(document: Document, closing: str, name: str, role: str, organisation: str) -> None:
    para(document, closing)
    para(document)
    para(document, name, bold=True)
    para(document, role)
    para(document, organisation)


# --- 01: a council's letter with "Question N – subtitle" headings -----------------------------


def council_letter_subtitles(document: Document) -> None:
    letterhead(
        document,
        [
            "Ardmore and Lisnagarvey District Council",
            "Civic Centre, Lagan Road, Lisnagarvey BT28 9ZZ",
            "Community Planning and Inclusion",
            "14 February 2026",
        ],
    )
    para(document, "Family Migration Consultation")
    para(document, "Immigration and Border Policy Directorate")
    para(document, "Home Office, 2 Marsham Street, London SW1P 4DF")
    para(document)
    para(document, "Dear Sir or Madam,")
    para(
        document,
        "Ardmore and Lisnagarvey District Council welcomes the opportunity to respond to the "
        "consultation on family migration. This response was agreed by the Council's Community "
        "Planning Committee on 9 February 2026 and draws on the experience of our housing "
        "advice, community relations and good relations teams.",
    )
    para(
        document,
        "We have answered the questions most relevant to our work. Where we do not answer a "
        "question, that should not be read as agreement.",
    )
    document.add_heading("Question 1 – Minimum income threshold", level=2)
    para(document, "We disagree.")
    para(
        document,
        "A single threshold set on UK earnings takes no account of wages in this district, "
        "where median full-time pay is well below the UK figure. Many couples in which both "
        "partners work in food processing or social care would not reach it, however settled "
        "and self-reliant they are.",
    )
    para(
        document,
        "If a threshold is kept, it should reflect regional earnings and allow the partner's "
        "own prospective income and the couple's savings to count towards it.",
    )
    document.add_heading("Question 2 – Probationary period", level=2)
    para(document, "Disagree.")
    para(
        document,
        "Five years of uncertainty would make it harder for partners to find secure work and "
        "housing, and would leave those experiencing domestic abuse dependent on a sponsor for "
        "longer. Our housing advice team saw 23 such cases last year.",
    )
    document.add_heading("Question 4 – English language at B1", level=2)
    para(
        document,
        "We support the aim of helping partners learn English, but B1 is too high a bar for "
        "people who have had little schooling. ESOL provision in the district is limited to two "
        "evening classes, both with waiting lists.",
    )
    document.add_heading("Question 8 – Impact on local services", level=2)
    para(
        document,
        "Families who are split by the rules turn to the Council for help with housing and to "
        "local schools for support for children who are separated from a parent.",
    )
    para(
        document,
        "We would expect more presentations to our homelessness service from women whose "
        "relationships break down during a longer probationary period.",
    )
    para(
        document,
        "We would welcome the opportunity to discuss this response with officials.",
    )
    sign_off(
        document,
        "Yours faithfully,",
        "Dr Aoife Keenan",
        "Head of Community Planning and Inclusion",
        "Ardmore and Lisnagarvey District Council",
    )


# --- 02: a Law Centre's response with bold "Q1: topic" paragraphs -----------------------------


def law_centre_q_colon(document: Document) -> None:
    para(document, "Foyle and Sperrin Law Centre", bold=True, size=16)
    para(
        document,
        "Response to the Home Office consultation on family migration",
        bold=True,
        size=13,
    )
    para(document, "February 2026")
    document.add_heading("About the Law Centre", level=1)
    para(
        document,
        "Foyle and Sperrin Law Centre is an independent charity that gives free advice and "
        "representation on immigration, social security and community care law. Last year our "
        "immigration unit advised 640 people, a third of them about family visas.",
    )
    para(document, "Contact: Niamh Doherty, Immigration Policy Officer")
    para(document, "Telephone: 028 7100 0000   Email: policy@foyle-sperrin-law.example.org")
    para(document, "Q1: minimum income threshold", bold=True)
    para(document, "No.")
    with_note(
        document,
        "The requirement would keep apart families who do not claim public funds, and it falls "
        "hardest on women, young people and those living outside London and the South East",
        "1",
        ".",
    )
    para(
        document,
        "Our clients include British citizens working full time on the minimum wage who would "
        "never be able to sponsor a partner, however long they work.",
    )
    para(document, "Q3: genuine and continuing relationships", bold=True)
    para(
        document,
        "Yes, provided the factors are guidance for caseworkers and not a checklist that "
        "refuses couples whose customs differ from those the Rules assume.",
    )
    para(document, "Q5: adult dependent relatives", bold=True)
    para(document, "Strongly disagree.")
    para(
        document,
        "The proposed test would in practice close the route. An elderly parent who needs care "
        "from their own child is rarely able to show that no care can be had, or afforded, in "
        "the country they live in.",
    )
    para(document, "Q7: Article 8", bold=True)
    para(
        document,
        "Partly. Setting out the factors in the Rules may give more consistent decisions, but "
        "it cannot replace the assessment of each family's circumstances that the courts "
        "require.",
    )
    para(document, "Notes", bold=True)
    para(document, "1 Our casework review of 120 family visa enquiries, 2025.")


# --- 03: a health trust's answers under "Q.1" ... "Q.6" --------------------------------------


def health_trust_q_dot(document: Document) -> None:
    para(document, "Southern Lough Health and Social Care Trust", bold=True, size=14)
    para(document, "Consultation response: Family Migration", bold=True)
    para(
        document,
        "The Trust provides hospital, community health and social care services to 380,000 "
        "people. This response was prepared by the Trust's Equality Unit with its Social Work "
        "and Public Health teams.",
    )
    para(document, "Q.1", bold=True)
    para(
        document,
        "Neither agree nor disagree. The Trust does not take a view on the level of the "
        "threshold, but notes that many of our own overseas-trained staff earn less than the "
        "figures discussed.",
    )
    para(document, "Q.4", bold=True)
    para(
        document,
        "We agree that English matters for health: patients who cannot describe symptoms need "
        "interpreters, and appointments take longer. Classes must be available, though.",
    )
    para(document, "Q.5", bold=True)
    para(document, "Disagree.")
    para(
        document,
        "Older relatives often provide childcare that lets both parents work, including in our "
        "own workforce.",
    )
    para(document, "Q.6", bold=True)
    para(document, "Don't know.")
    para(document, "Q.8", bold=True)
    para(
        document,
        "Demand for mental health support rises when families are kept apart. Our community "
        "mental health teams already see the effects of long separations on children.",
    )


# --- 04: a faith forum's letter with "QUESTION ONE" headings ---------------------------------


def faith_forum_spelled_numbers(document: Document) -> None:
    para(document, "Churches and Faiths Together in Mid Ulster", bold=True, size=14, align="centre")
    para(document, "Response to the consultation on family migration", align="centre")
    para(
        document,
        "Our member congregations include many families in which one partner came to Northern "
        "Ireland from abroad. We respond from what they have told us.",
    )
    document.add_heading("QUESTION ONE", level=1)
    para(
        document,
        "We strongly disagree. Marriage is not a privilege for those on higher incomes, and "
        "the proposal would tell young couples in our congregations that they cannot build a "
        "family life here.",
    )
    document.add_heading("QUESTION THREE", level=1)
    para(document, "No.")
    para(
        document,
        "Ministers who conduct marriages for couples from different traditions tell us that "
        "lists of 'signs' of a sham marriage would penalise couples whose weddings do not look "
        "like a British wedding.",
    )
    document.add_heading("QUESTION SIX", level=1)
    para(
        document,
        "We disagree. Family visits for weddings, funerals and the birth of a child are "
        "precisely the occasions when a wrong refusal cannot be put right later.",
    )
    document.add_heading("QUESTION TEN", level=1)
    para(
        document,
        "We ask the Home Office to publish an assessment of the proposals' effect on women and "
        "on people of particular religions and nationalities before any decision is made.",
    )
    para(document, "Revd Samuel Orr, Convenor")


# --- 05: a network's response answering two questions together ------------------------------


def network_joint_answers(document: Document) -> None:
    para(document, "Northern Ireland Migrant Support Network", bold=True, size=14)
    para(document, "Response to Family Migration: a consultation", bold=True)
    para(
        document,
        "The Network brings together 34 voluntary and community organisations that support "
        "migrants across Northern Ireland. Members met on 3 February 2026 to agree this "
        "response.",
    )
    document.add_heading("Question 1", level=2)
    para(
        document,
        "We disagree. The threshold would mean that a British citizen's right to live with "
        "their partner depends on where they live and what they earn.",
    )
    document.add_heading("Questions 3 and 4", level=2)
    para(
        document,
        "We answer these together, because our members' concern is the same: both proposals "
        "add tests that fall hardest on women from rural areas and on couples who married "
        "abroad in the customs of their own community.",
    )
    para(
        document,
        "English classes and guidance on what counts as a genuine relationship should come "
        "before any new requirement, not after it.",
    )
    document.add_heading("Q5 & Q6", level=2)
    para(
        document,
        "Members report that visits from parents and grandparents are the main support for new "
        "mothers in migrant families. Removing appeal rights and closing the dependent "
        "relative route would take that away.",
    )
    document.add_heading("Question 8", level=2)
    para(
        document,
        "Advice services in the Network already turn people away. Any change in the Rules "
        "brings a rise in enquiries that small charities cannot meet without funding.",
    )
    para(document, "Kind regards,")
    para(document, "Grace Mulholland, Network Coordinator")


# --- 06: a housing association's response with Word-numbered headings ------------------------


def housing_numbered_headings(document: Document) -> None:
    number_heading_style(document, "Heading 2")
    para(document, "Clanmore Housing Association", bold=True, size=14)
    para(document, "Response to the Home Office consultation on family migration")
    para(
        document,
        "Clanmore manages 4,200 homes across the north west. Our tenancy sustainment officers "
        "work with many households in which one partner is from outside the UK.",
    )
    document.add_heading("Minimum income requirement", level=2)
    para(
        document,
        "We disagree. An income threshold for sponsoring a partner ignores the housing costs "
        "that decide whether a family can support itself; rents here are far below the UK "
        "average.",
    )
    document.add_heading("The probationary period", level=2)
    para(
        document,
        "We disagree with extending the probationary period to five years. Tenants on a "
        "probationary visa cannot plan, and some stay in unsafe relationships.",
    )
    document.add_heading("Genuine and continuing relationships", level=2)
    para(document, "We have no view on this question.")
    document.add_heading("English at B1 for settlement", level=2)
    para(
        document,
        "We agree that partners should be supported to reach a good level of English before "
        "settlement, provided free classes are available where they live.",
    )


# --- 07: a college's response with typed "4. English at B1" headings -------------------------


def college_topic_headings(document: Document) -> None:
    para(document, "North Coast Regional College", bold=True, size=14)
    para(document, "Consultation on family migration: response from the College", bold=True)
    para(
        document,
        "The College teaches English for Speakers of Other Languages (ESOL) to 900 adult "
        "learners a year on four campuses. We answer the questions on which our learners and "
        "staff have the most to say.",
    )
    document.add_heading("1. The income threshold", level=1)
    para(
        document,
        "We disagree. Many of our ESOL learners' spouses work in hospitality and would not "
        "earn enough to sponsor them under a minimum income rule.",
    )
    document.add_heading("4. English at B1", level=1)
    para(
        document,
        "We disagree with requiring B1 at settlement. Learners who start with little English "
        "take on average three years of part-time study to reach B1, and our waiting list has "
        "210 names on it.",
    )
    para(
        document,
        "If the requirement is introduced, funding for ESOL classes should rise to match it.",
    )
    document.add_heading("8. Effect on the College and the town", level=1)
    para(
        document,
        "Demand for ESOL places would rise sharply in the two years before the change, and "
        "employers in the town would lose staff who cannot stay.",
    )


# --- 08: "Question 1", "Question 2", then a bare "3." -----------------------------------------


def council_bare_numbers(document: Document) -> None:
    para(document, "Draft response: Family migration consultation", bold=True, size=13)
    para(document, "Prepared by the Policy Unit, Causeway Glens Borough Council")
    para(document, "Question 1", bold=True)
    para(document, "We disagree, for three reasons:")
    para(document, "1. local wages are below the UK average;")
    para(document, "2. the threshold ignores housing costs, which are low here;")
    para(document, "3. it would split families who have never claimed benefits.")
    para(document, "Question 2", bold=True)
    para(document, "Disagree. Five years is too long for a couple to wait for settled status.")
    para(document, "The steps partners would take in that time:", style=None)
    para(
        document, "renew their visa twice, at a cost of over £2,000 each time;", style="List Number"
    )
    para(document, "keep proof of living together for five years;", style="List Number")
    para(document, "pass the English test before applying.", style="List Number")
    para(document, "3.", bold=True)
    para(document, "No. The factors would become a checklist that caseworkers apply rigidly.")
    para(document, "4. English at B1")
    para(
        document,
        "We disagree. B1 is too high a bar for partners with little schooling, and English "
        "classes in the borough are full.",
    )


# --- 09: written evidence that quotes each question before answering -------------------------


def forum_quotes_questions(document: Document) -> None:
    para(
        document,
        "Written evidence submitted by the Omagh and Strabane Refugee and Migrant Forum",
        bold=True,
        size=13,
    )
    para(
        document,
        "The Forum is an informal network of organisations that support asylum seekers, "
        "refugees and other migrants in the west of Northern Ireland. Its members include "
        "community groups, two churches, a women's aid group and a GP practice.",
    )
    para(document, "Question 2", bold=True)
    para(
        document,
        "Do you agree that the probationary period before a spouse or partner can apply to "
        "settle should increase from two years to five years?",
        italic=True,
    )
    para(document, "No. We disagree.")
    para(
        document,
        "The women's aid group in the Forum supported eleven women last year whose visas "
        "depended on an abusive partner. A longer probationary period would keep more women "
        "in that position for longer.",
    )
    para(
        document,
        "The domestic violence concession must be kept and made known to every partner who "
        "arrives.",
    )
    document.add_heading(
        "Should adult and elderly dependent relatives only be able to come to the UK if they "
        "need long-term care they cannot get in their own country?",
        level=3,
    )
    para(
        document,
        "We disagree. Families in the Forum tell us that a parent who is widowed and alone "
        "abroad is cared for by their children here whether or not care is available there.",
    )
    para(document, "Question 9", bold=True)
    para(
        document,
        "What evidence do you hold on the costs to local services of families who cannot "
        "support themselves, including those with no recourse to public funds?",
        italic=True,
    )
    para(
        document,
        "The GP practice in the Forum registered 48 patients with no recourse to public funds "
        "in 2025. The council's support for two families with no recourse cost over £30,000.",
    )
    para(document, "February 2026")


# --- 10: the Home Office response form, filled in -------------------------------------------


def response_form_table(document: Document, questions: Sequence[tuple[str, str]]) -> None:
    para(document, "Family migration: a consultation", bold=True, size=14)
    para(document, "Response form", bold=True)
    para(document, "About you", bold=True)
    table(
        document,
        [
            ("Name", "Ciara Byrne"),
            ("Organisation", "Newry Mourne Ethnic Minorities Support Centre"),
            ("Are you responding on behalf of an organisation?", "Yes"),
            ("Email", "ciara.byrne@nmemsc.example.org"),
        ],
        bold_header=False,
    )
    para(document)
    para(document, "Your response", bold=True)
    text = dict(questions)
    table(
        document,
        [
            ("No.", "Question", "Response"),
            (
                "1",
                text["Q1"],
                "Disagree.\n\nMost of the families we support work in the food and farming "
                "industries. Few of them would meet a threshold based on UK average earnings.",
            ),
            ("2", text["Q2"], ""),
            (
                "3",
                text["Q3"],
                "Yes. Clear guidance would help caseworkers and couples, if it allows for "
                "different customs.",
            ),
            ("4", text["Q4"], "Disagree. Free classes must come first."),
            (
                "8",
                text["Q8"],
                "Schools in Newry report more children arriving part way through the year; "
                "split families would add to that.",
            ),
        ],
    )
    para(document)
    para(document, "Annex: enquiries to our advice service", bold=True)
    table(
        document,
        [
            ("Year", "Family visa enquiries", "Of which about income"),
            ("2023", "140", "52"),
            ("2024", "171", "67"),
            ("2025", "198", "81"),
        ],
    )


# --- 11: a table by question wording, with a position column --------------------------------


def table_by_wording(document: Document) -> None:
    para(document, "Mid Ulster Chamber of Commerce", bold=True, size=14)
    para(document, "Family migration consultation – Chamber response", bold=True)
    para(
        document,
        "The Chamber represents 310 businesses. We consulted members through our Employment "
        "and Skills Forum in January 2026.",
    )
    table(
        document,
        [
            ("Consultation question", "Agree / Disagree", "Comments"),
            (
                "Should a sponsor have to show a minimum income so that the family can support "
                "itself without claiming public funds?",
                "Disagree",
                "Employers struggle to recruit already; the rule would deter skilled staff "
                "whose partners earn less.",
            ),
            (
                "Should the full right of appeal against refusal of a family visit visa be "
                "removed, or limited to close family members?",
                "Neither agree nor disagree",
                "",
            ),
            (
                "Should the Immigration Rules set out how Article 8 family life is weighed "
                "against the public interest?",
                "Yes",
                "Consistency in decisions would help employers plan.",
            ),
        ],
    )


# --- 12: numbered sections with no question markers (COSLA-like) ----------------------------


def numbered_sections(document: Document) -> None:
    para(document, "Western Councils' Partnership", bold=True, size=16)
    para(document, "Response to the Home Office consultation on family migration", bold=True)
    para(document, "February 2026")
    document.add_heading("1. About us", level=1)
    para(
        document,
        "1.1 The Western Councils' Partnership brings together the five councils of the west "
        "of the region to work on population, migration and community relations.",
    )
    para(
        document,
        "1.2 This response sets out the councils' shared view on the proposals that most "
        "affect local government.",
    )
    document.add_heading("2. Pre-entry English and settlement", level=1)
    para(
        document,
        "2.1 The councils do not support requiring partners to show English at B1 level "
        "before settlement without funded ESOL classes across the region.",
    )
    para(
        document,
        "2.2 Rural learners face journeys of over an hour to the nearest class, and most "
        "classes run only in term time.",
    )
    document.add_heading("3. Visits by family members", level=1)
    para(
        document,
        "3.1 Removing the right of appeal for family visitors would affect many households "
        "in the region. Refusals of visit visas for weddings and funerals are often overturned "
        "on appeal.",
    )
    document.add_heading("4. Local services and communities", level=1)
    para(
        document,
        "4.1 Councils, schools, housing and health and social care services would see the "
        "effects of these proposals first, when families are split or fall into hardship.",
    )
    para(
        document,
        "4.2 Local services in the west already report rising demand for interpreting and "
        "for advice.",
    )
    document.add_heading("5. Conclusion", level=1)
    para(
        document,
        "5.1 The Partnership would welcome a meeting with officials to discuss the regional "
        "effects of the proposals.",
    )


# --- 13: numbered paragraphs and no headings (Liberty-like) -----------------------------------


def numbered_paragraphs(document: Document) -> None:
    para(
        document,
        "Belfast Centre for Human Rights: response to the consultation on family migration",
        bold=True,
    )
    paragraphs = [
        "The Centre welcomes the chance to respond and has consulted the people who use its "
        "advice clinics.",
        "We oppose a minimum income requirement for sponsoring a spouse or partner. The "
        "income threshold would mean that only wealthier British citizens could live here with "
        "a foreign partner.",
        "The threshold would fall hardest on women and on young people, whose earnings are "
        "lower, and on sponsors outside London.",
        "The right of appeal for family visit visas should be kept: visit visa refusals are "
        "frequently wrong, and an appeal is the only remedy for a family refused a visit.",
        "We ask the Home Office to publish its equality impact assessment of these proposals, "
        "including their impact on people with protected characteristics such as sex, race and "
        "religion.",
    ]
    for text in paragraphs:
        para(document, text, style="List Number")


# --- 14: an email pasted into Word, with no structure ----------------------------------------


def email_plain(document: Document) -> None:
    lines = [
        "From: Maria Santos <maria@dungannon-migrant-women.example.org>",
        "Sent: 12 February 2026 16:41",
        "Subject: our views on the family migration consultation",
        "Hi Sam,",
        "Sorry this is late, and thanks for chasing. Here are our group's views for the "
        "partnership's response on the family migration proposals.",
        "Most of our members came here as spouses. The probationary period going from two years "
        "to five years would frighten them: five years before they can apply to settle is a long "
        "time to depend on a husband's goodwill.",
        "On English, our members want to learn, but there are not enough classes and none with "
        "a crèche. Requiring English at B1 level would stop many of them settling.",
        "Thanks, Maria",
    ]
    for line in lines:
        para(document, line)


# --- 17: "Response to Question N", sub-headings inside answers, an annex --------------------


def response_to_with_subheadings(document: Document) -> None:
    para(document, "Armagh Banbridge Voluntary Action", bold=True, size=14)
    para(document, "Family migration consultation: our response", bold=True)
    document.add_heading("Response to Question 1", level=1)
    para(document, "We do not agree with a minimum income threshold.")
    document.add_heading("What our members told us", level=2)
    para(
        document,
        "Members said that couples on modest incomes in Banbridge and Armagh manage without "
        "public funds, with help from their families.",
    )
    document.add_heading("Response to Question 6 – adult dependent relatives", level=1)
    para(
        document,
        "We disagree. Parents who need care should be able to join the children who can give it.",
    )
    document.add_heading("Response to Question 7", level=1)
    para(document, "Yes, provided the Rules still allow for exceptional circumstances.")
    document.add_heading("Annex A: organisations consulted", level=1)
    para(document, "Armagh Women's Group; Banbridge Polish Association; Portadown Ethnic Forum.")
    para(document, "Kind regards,")
    para(document, "Pat Hughes, Chief Officer")


# --- 18: answers following the paper's own chapters ------------------------------------------


def chapters_of_the_paper(document: Document) -> None:
    """A response to the Home Office paper in ``../questions-ho-family-paper.docx``, set out under
    the paper's chapter headings, as many partners copy them."""
    para(document, "Fermanagh and Omagh Migrant Advice Network", bold=True, size=14)
    para(document, "Response to 'Family migration: a consultation'", bold=True)
    para(
        document,
        "We answer the questions of chapters 2 to 4. Our members advised 230 families on "
        "partner visas last year.",
    )
    document.add_heading("Chapter 2: The financial requirement", level=1)
    document.add_heading("Question 1", level=2)
    para(document, "No.")
    para(
        document,
        "An income threshold set for the whole UK ignores wages west of the Bann, which are "
        "among the lowest in the UK.",
    )
    document.add_heading("Question 3", level=2)
    para(
        document,
        "Sponsors should be able to show income from seasonal farm work, self-employment and "
        "a partner's job offer, and savings held jointly.",
    )
    document.add_heading("Chapter 3: English language", level=1)
    document.add_heading("Questions 4 and 5", level=2)
    para(
        document,
        "Yes, provided classes are free and within reach: a test at A1 before arrival is "
        "achievable, but reaching A2 within two years needs ESOL places that do not exist here "
        "today.",
    )
    document.add_heading("Chapter 4: Settlement and local services", level=1)
    document.add_heading("Question 6", level=2)
    para(
        document,
        "The Home Office should tell the council's community planning team, with the "
        "partner's consent, so that GP registration and school places can be arranged.",
    )
    para(document, "Yours sincerely,")
    para(document, "Eimear Quinn, Coordinator")


# --- Spreadsheets -------------------------------------------------------------------------------


def partner_spreadsheet(path: Path, questions: Sequence[tuple[str, str]]) -> None:
    """The asylum questions copied from the paper into a council's own workbook, with answers."""
    text = dict(questions)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Consultation response"
    sheet["A1"] = (
        "Asylum accommodation: consultation questions – response from Mid and East Coast Council"
    )
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = "Completed by the Housing Solutions team, 6 March 2026"
    rows = [
        ("Ref", "Question", "Agree / Disagree", "Our response"),
        (
            1,
            text["1"],
            None,
            "The Home Office should tell the council and the health trust at least four weeks "
            "before any property is used, and agree arrangements for GP registration and school "
            "places first.",
        ),
        ("Q2", text["2"], "Agree", "Every area should play its part, with funding to match."),
        (
            3,
            text["3"],
            None,
            "Yes, provided the grant covers the cost of housing advice and interpreting.",
        ),
        (
            "Q4",
            text["5"],
            "Agree",
            "28 days is not enough to find a home; 56 days would reduce homelessness.",
        ),
        (6, text["6"], None, None),
    ]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(4 + offset, column, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if offset == 0:
                cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (8, 70, 18, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    notes = workbook.create_sheet("Notes")
    notes["A1"] = "Figures used in our response: 41 households presented as homeless after a "
    notes["A1"].value += "positive decision in 2025."
    workbook.save(path)


def partner_csv(path: Path, questions: Sequence[tuple[str, str]]) -> None:
    """A charity's answers saved as CSV: the question's wording and a response, no numbers."""
    text = dict(questions)
    with path.open("w", newline="", encoding="utf-8-sig") as file:
        writer = csv.writer(file)
        writer.writerow(["Question", "Response"])
        writer.writerow(
            [
                text["4"],
                "A named caseworker for each new refugee from the day of the decision, and "
                "funding for the council's housing team to find homes in time.",
            ]
        )
        writer.writerow(
            [
                text["5"],
                "We agree. Most people we support cannot open a bank account, find a home and "
                "claim Universal Credit in 28 days.",
            ]
        )
        writer.writerow([text["2"], "Strongly disagree: population alone ignores housing supply."])


# --- Building ----------------------------------------------------------------------------------


def read_questions(name: str) -> list[tuple[str, str]]:
    with (HERE / name).open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    return [(row["Number"], row["Question"]) for row in rows]


def build() -> None:
    family = [(number, text) for number, text in read_questions("family_questions.csv")]
    asylum = read_questions("asylum_questions.csv")
    documents: dict[str, Callable[[Document], None]] = {
        "01_council_letter_subtitles": council_letter_subtitles,
        "02_law_centre_q_colon": law_centre_q_colon,
        "03_health_trust_q_dot": health_trust_q_dot,
        "04_faith_forum_spelled_numbers": faith_forum_spelled_numbers,
        "05_network_joint_answers": network_joint_answers,
        "06_housing_numbered_headings": housing_numbered_headings,
        "07_college_topic_headings": college_topic_headings,
        "08_council_bare_numbers": council_bare_numbers,
        "09_forum_quotes_questions": forum_quotes_questions,
        "10_response_form_table": lambda d: response_form_table(d, family),
        "11_table_by_wording": table_by_wording,
        "12_numbered_sections_no_markers": numbered_sections,
        "13_numbered_paragraphs_no_headings": numbered_paragraphs,
        "14_email_plain": email_plain,
        "17_response_to_with_subheadings": response_to_with_subheadings,
        "18_chapters_of_the_paper": chapters_of_the_paper,
    }
    for name, fill in documents.items():
        document = new_document()
        fill(document)
        document.save(HERE / f"{name}.docx")
    partner_spreadsheet(HERE / "15_council_own_spreadsheet.xlsx", asylum)
    partner_csv(HERE / "16_charity_questions_and_answers.csv", asylum)


def make_pdfs() -> None:
    """Convert some of the Word letters to PDF with LibreOffice, as partners' PDFs are made."""
    sources = [str(HERE / f"{name}.docx") for name in PDFS]
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(HERE), *sources],
        check=True,
        capture_output=True,
        timeout=300,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", action="store_true", help="also remake the PDFs (LibreOffice)")
    args = parser.parse_args(argv)
    build()
    if args.pdf:
        make_pdfs()
    return 0


if __name__ == "__main__":
    sys.exit(main())
