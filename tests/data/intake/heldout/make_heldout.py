"""Build the held-out intake documents: layouts copied from published papers and responses.

Written without reading the importers or the other fixtures. Each document imitates one real
layout (GOV.UK consultation papers with questions in boxes and an annex, a Scottish Government
paper with tick boxes and a respondent information form, a Lords call for evidence with lettered
sub-questions, a Commons call for evidence whose issues are bullets under sub-headings, a
Welsh Government paper with Word-numbered questions, a government response with summaries
after each question; partners' replies as an association's letter repeating each question, a
council letter with "Q.1" markers, a law society's Question | Response table, written evidence
in numbered paragraphs, a ticked response form saved as PDF, and a partner's own spreadsheet).
The text is our own paraphrase. Run: `python tests/data/intake/heldout/make_heldout.py`; the
PDFs are converted from the .docx with LibreOffice (`soffice --headless --convert-to pdf`).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = Path(__file__).parent


def _list_num_id(doc: Document) -> str:
    style = doc.styles["List Number"]
    num = style.element.pPr.find(qn("w:numPr")).find(qn("w:numId"))
    return num.get(qn("w:val"))


def numbered(paragraph, num_id: str, level: int = 0) -> None:
    """Give a paragraph Word's own list numbering (the number is not in its text)."""
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), str(level))
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), num_id)
    num_pr.append(ilvl)
    num_pr.append(num)
    p_pr.append(num_pr)


def para(doc, text: str = "", style: str | None = None, bold: bool = False):
    p = doc.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold = bold
    return p


def with_footnote(doc, before: str, mark: str, after: str, style: str | None = None):
    """A paragraph with a superscript footnote reference, as Word shows one."""
    p = doc.add_paragraph(style=style)
    p.add_run(before)
    sup = p.add_run(mark)
    sup.font.superscript = True
    p.add_run(after)
    return p


def boxed(doc, lines: list[tuple[str, bool]]) -> None:
    """A question in a one-cell bordered box, as GOV.UK papers set them."""
    table = doc.add_table(rows=1, cols=1)
    table.style = "Table Grid"
    cell = table.rows[0].cells[0]
    first = True
    for text, bold in lines:
        p = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        run = p.add_run(text)
        run.bold = bold


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def footer(doc, text: str) -> None:
    doc.sections[0].footer.paragraphs[0].text = text


def header(doc, text: str) -> None:
    doc.sections[0].header.paragraphs[0].text = text


# --- Consultation papers -------------------------------------------------------------------


def p1_home_office_boxes_annex() -> Document:
    """Home Office: numbered paragraphs in chapters, questions in boxes, repeated in Annex A."""
    doc = Document()
    header(doc, "Powers to tackle antisocial use of e-scooters and e-bikes")
    footer(doc, "OFFICIAL")
    para(doc, "Powers to tackle antisocial use of e-scooters and e-bikes", "Title")
    para(doc, "Consultation")
    para(doc, "Published 4 March 2026")
    para(doc, "This consultation closes at 11:59pm on 27 May 2026.")
    page_break(doc)
    para(doc, "Contents", "Heading 1")
    for line in [
        "Ministerial foreword",
        "Introduction",
        "Chapter 1: Seizure of vehicles",
        "Chapter 2: Fixed penalty notices",
        "Chapter 3: Sharing information with operators",
        "Annex A: Consultation questions",
    ]:
        para(doc, line)
    para(doc, "Ministerial foreword", "Heading 1")
    para(
        doc,
        "Everyone should feel safe on our pavements. Too often, people tell us that they are "
        "frightened by riders who weave between pedestrians at speed.",
    )
    para(doc, "Introduction", "Heading 1")
    para(
        doc,
        "1. This paper asks for views on three changes to police powers. It is aimed at "
        "police forces, local authorities, operators of rental schemes and the public.",
    )
    para(
        doc,
        "2. Please respond using the online survey. If you cannot use the survey you may "
        "email your response to the address at the end of this document.",
    )
    para(doc, "Chapter 1: Seizure of vehicles", "Heading 1")
    with_footnote(
        doc,
        "1.1 Police can already seize a motor vehicle used in a manner causing alarm, distress "
        "or annoyance",
        "3",
        ". The power needs a warning to be given first in most cases.",
    )
    para(
        doc,
        "1.2 We propose to remove the need for a prior warning where the vehicle is an "
        "e-scooter or an e-bike that has been altered to go faster than the legal limit.",
    )
    boxed(
        doc,
        [
            (
                "Question 1: Do you agree that police should be able to seize an e-scooter "
                "or altered e-bike without first giving a warning?",
                True,
            ),
            ("(Yes / No / Don't know)", False),
            ("Please give reasons for your answer.", False),
        ],
    )
    para(
        doc,
        "1.3 Seized vehicles are currently kept for 14 days before they may be destroyed. We "
        "think this period could be shortened.",
    )
    boxed(
        doc,
        [
            (
                "Question 2: How many days should police keep a seized e-scooter before it "
                "may be destroyed or sold?",
                True,
            ),
        ],
    )
    para(
        doc,
        "1.4 The evidence gathered by forces during the pilot is summarised in the impact "
        "assessment published alongside this paper.",
    )
    para(doc, "Chapter 2: Fixed penalty notices", "Heading 1")
    para(
        doc,
        "2.1 Riding on the pavement is an offence under the Highway Act 1835. The fixed "
        "penalty for cycling on a footway is £50.",
    )
    boxed(
        doc,
        [
            (
                "Question 3: Should the fixed penalty for riding an e-scooter on the pavement "
                "be raised to £100?",
                True,
            ),
            ("(Yes / No / Don't know)", False),
        ],
    )
    para(
        doc,
        "2.2 We also want to hear about the practical effect of issuing penalties to riders "
        "who are under 17.",
    )
    boxed(
        doc,
        [
            (
                "Question 4: What practical difficulties, if any, would forces face in issuing "
                "fixed penalty notices to riders aged under 17?",
                True,
            ),
        ],
    )
    para(doc, "Chapter 3: Sharing information with operators", "Heading 1")
    para(
        doc,
        "3.1 Rental operators hold data on who hired a vehicle and when. At present police "
        "must make a separate request each time.",
    )
    boxed(
        doc,
        [
            (
                "Question 5: Do you agree that rental operators should be required to give "
                "police the hirer's details within 48 hours of a request?",
                True,
            ),
            ("(Strongly agree / Agree / Disagree / Strongly disagree)", False),
            ("Please explain your answer.", False),
        ],
    )
    para(
        doc,
        "3.2 Any sharing of personal data would be subject to the UK GDPR and the Data "
        "Protection Act 2018.",
    )
    para(doc, "Annex A: Consultation questions", "Heading 1")
    para(
        doc,
        "Question 1: Do you agree that police should be able to seize an e-scooter or altered "
        "e-bike without first giving a warning? (Yes / No / Don't know) Please give reasons "
        "for your answer.",
    )
    para(
        doc,
        "Question 2: How many days should police keep a seized e-scooter before it may be "
        "destroyed or sold?",
    )
    para(
        doc,
        "Question 3: Should the fixed penalty for riding an e-scooter on the pavement be "
        "raised to £100? (Yes / No / Don't know)",
    )
    para(
        doc,
        "Question 4: What practical difficulties, if any, would forces face in issuing fixed "
        "penalty notices to riders aged under 17?",
    )
    para(
        doc,
        "Question 5: Do you agree that rental operators should be required to give police "
        "the hirer's details within 48 hours of a request? (Strongly agree / Agree / Disagree "
        "/ Strongly disagree) Please explain your answer.",
    )
    para(doc, "About you", "Heading 2")
    para(doc, "Question 6: Are you responding as an individual or on behalf of an organisation?")
    para(doc, "Question 7: If you are responding for an organisation, what is its name?")
    para(doc, "Contact details and how to respond", "Heading 1")
    para(doc, "Email: escooterconsultation@example.gov.uk")
    with_footnote(doc, "", "3", " Police Reform Act 2002, section 59.")
    return doc


def p2_mhclg_inline_questions() -> Document:
    """MHCLG: questions inline in numbered paragraphs, options in square brackets, GOV.UK
    HTML footnotes as "[footnote 2]"."""
    doc = Document()
    para(doc, "Reforming the local audit system: proposals for smaller bodies", "Title")
    para(doc, "Consultation", "Subtitle")
    para(doc, "Scope of this consultation", "Heading 2")
    para(
        doc,
        "Topic of this consultation: This consultation seeks views on proposals to change "
        "how smaller authorities such as parish councils are audited.",
    )
    para(doc, "Geographical scope: These proposals relate to England only.")
    para(doc, "1. Introduction", "Heading 1")
    para(
        doc,
        "1.1 There are around 10,000 smaller authorities in England with annual income or "
        "spending under £6.5 million.[footnote 1] Most are parish and town councils.",
    )
    para(
        doc,
        "1.2 The current regime was set up in 2017 and has not been reviewed since. Feedback "
        "from the sector suggests that the limited assurance review is costly for the "
        "smallest bodies.",
    )
    para(doc, "2. Exemption threshold", "Heading 1")
    para(
        doc,
        "2.1 Authorities with gross income and expenditure of £25,000 or less can already "
        "certify themselves as exempt from a limited assurance review.[footnote 2] We propose "
        "to raise this threshold to £50,000.",
    )
    para(
        doc,
        "Question 1. Do you agree that the exemption threshold should be raised from £25,000 "
        "to £50,000? [Yes/No/Not sure]",
        bold=True,
    )
    para(
        doc,
        "2.2 An authority claiming exemption must still publish its annual governance and "
        "accountability return. We think this safeguard should remain.",
    )
    para(
        doc,
        "Question 2. Are there other safeguards that should apply to exempt authorities? "
        "Please provide details.",
        bold=True,
    )
    para(doc, "3. Appointment of auditors", "Heading 1")
    para(
        doc,
        "3.1 Smaller authorities have their auditors appointed centrally by a sector-led body. "
        "Some councils would prefer to appoint locally.",
    )
    para(
        doc,
        "Question 3. Which of the following approaches to appointing auditors do you prefer? "
        "[Central appointment/Local appointment/No preference]",
        bold=True,
    )
    para(
        doc,
        "Question 4. What would be the main costs to your authority of appointing its own auditor?",
        bold=True,
    )
    para(
        doc,
        "3.2 We estimate that the changes would save the sector between £1 million and £1.5 "
        "million a year in total.",
    )
    para(doc, "4. Public sector equality duty", "Heading 1")
    para(
        doc,
        "Question 5. Do you have any views on the impact of these proposals on people who "
        "share a protected characteristic? Please provide evidence where possible.",
        bold=True,
    )
    para(doc, "About this consultation", "Heading 1")
    para(
        doc,
        "Individual responses will not be acknowledged unless specifically requested. Your "
        "opinions are valuable to us. Thank you for taking the time to read this document "
        "and respond.",
    )
    para(
        doc,
        "1. This was written by the local audit team using data returned for the year "
        "ending 31 March 2025.",
    )
    return doc


def p3_dfe_response_form_tables() -> Document:
    """A department's response form: respondent details, then one table per question with tick
    boxes and a comments row."""
    doc = Document()
    para(doc, "Response form", "Title")
    para(doc, "Consultation on school uniform costs: statutory guidance", "Heading 1")
    para(
        doc,
        "The closing date is 16 October 2026. Please complete this form and return it to "
        "uniform.consultation@example.gov.uk.",
    )
    para(doc, "About you", "Heading 2")
    t = doc.add_table(rows=4, cols=2)
    t.style = "Table Grid"
    rows = [
        ("Name", ""),
        ("Email address", ""),
        (
            "Are you responding as an individual or on behalf of an organisation?",
            "☐ Individual ☐ Organisation",
        ),
        ("Would you like us to keep your response confidential?", "☐ Yes ☐ No"),
    ]
    for row, (a, b) in zip(t.rows, rows, strict=True):
        row.cells[0].text = a
        row.cells[1].text = b
    para(doc, "Section A: Branded items", "Heading 2")
    questions = [
        (
            "1",
            "Do you agree that schools should limit the number of branded items a pupil must "
            "have to three, not counting ties?",
            "☐ Yes ☐ No ☐ Not sure",
        ),
        (
            "2",
            "Should the limit of three branded items also apply to PE kit?",
            "☐ Yes ☐ No ☐ Not sure",
        ),
        ("3", "What effect would a limit on branded items have on uniform suppliers?", None),
    ]
    for number, text, ticks in questions[:2]:
        _question_table(doc, number, text, ticks)
    para(doc, "Section B: Second-hand uniform", "Heading 2")
    _question_table(doc, *questions[2])
    _question_table(
        doc,
        "4",
        "How easy or difficult is it for parents at your school to obtain second-hand uniform?",
        "☐ Very easy ☐ Fairly easy ☐ Fairly difficult ☐ Very difficult",
    )
    para(doc, "Thank you for taking the time to let us have your views.")
    return doc


def _question_table(doc, number: str, text: str, ticks: str | None) -> None:
    rows = 3 if ticks else 2
    t = doc.add_table(rows=rows, cols=1)
    t.style = "Table Grid"
    cell = t.rows[0].cells[0]
    cell.paragraphs[0].add_run(f"Question {number}").bold = True
    cell.add_paragraph(text)
    if ticks:
        t.rows[1].cells[0].text = ticks
    t.rows[-1].cells[0].text = "Comments:"
    para(doc)


def p4_lords_call_for_evidence() -> Document:
    """House of Lords call for evidence: numbered questions with lettered sub-parts."""
    doc = Document()
    para(doc, "Call for Evidence", "Title")
    para(doc, "Public Bodies Inquiries Committee", "Subtitle")
    para(doc, "The inquiry", "Heading 1")
    para(
        doc,
        "The Committee was appointed on 12 February 2026 to consider how well the law on "
        "public inquiries into matters of concern is working. It must report by 30 November "
        "2026.",
    )
    para(doc, "This is a public call for written evidence. The deadline is 5pm on 24 April 2026.")
    para(doc, "The questions", "Heading 1")
    para(
        doc,
        "The Committee would welcome views on whether the law has met its aims. It would in "
        "particular welcome views on the following issues:",
    )
    para(
        doc,
        "1. Does the present law give the right framework for making sure that inquiries are:",
    )
    for item in ["a) Effective", "b) Timely", "c) Properly overseen, and", "d) Followed up?"]:
        para(doc, item)
    para(doc, "2. How could the following be improved?")
    for item in ["a) The powers of the chair.", "b) The rules on disclosure of documents."]:
        para(doc, item)
    para(
        doc,
        "3. The 2014 report made 30 recommendations, of which 17 were accepted. How fully "
        "have the accepted recommendations been put into practice?",
    )
    para(
        doc,
        "4. Should a body be set up to oversee inquiries once they have reported? If so, what "
        "powers should it have?",
    )
    para(doc, "Submitting evidence", "Heading 1")
    para(
        doc,
        "Submissions should be made online and be no longer than 3,000 words. Please number "
        "your paragraphs.",
    )
    para(
        doc,
        "1. Evidence becomes the property of the Committee once it is accepted. It may be "
        "published.",
    )
    para(doc, "2. If you have a question about giving evidence, please contact the clerk.")
    return doc


def p5_commons_issues_as_bullets() -> Document:
    """Commons committee: issues as bullets under sub-headings, no question marks."""
    doc = Document()
    para(doc, "Buses outside London", "Title")
    para(doc, "Call for evidence", "Subtitle")
    para(
        doc,
        "The Transport and Places Committee is holding an inquiry into local bus services "
        "outside London. We would welcome written evidence on the following matters:",
    )
    para(doc, "Funding and fares", "Heading 3")
    for item in [
        "The effect of the £2 fare cap on passenger numbers and on operators' finances;",
        "Whether the present funding for supported services is enough to keep rural routes "
        "running;",
    ]:
        para(doc, item, "List Bullet")
    para(doc, "Franchising and partnerships", "Heading 3")
    for item in [
        "The experience of areas that have moved to franchising, and the lessons for others;",
        "The barriers that stop smaller authorities from taking up franchising; and",
        "How enhanced partnerships could be made more effective.",
    ]:
        para(doc, item, "List Bullet")
    para(doc, "How to submit evidence", "Heading 3")
    para(
        doc,
        "Please submit your evidence through the Committee's website by 9 January 2027. "
        "Submissions should be no longer than 3,000 words.",
    )
    return doc


def p6_scotgov_tickbox_pdf_source() -> Document:
    """Scottish Government: Parts, "Q1." questions, tick boxes on their own line, Respondent
    Information Form at the end. Converted to PDF."""
    doc = Document()
    header(doc, "Consultation on short-term let licensing fees")
    para(doc, "Short-term let licensing: fees and exemptions", "Title")
    para(doc, "A consultation", "Subtitle")
    para(doc, "Part 1: Introduction", "Heading 1")
    para(
        doc,
        "Since October 2023 all short-term lets in Scotland need a licence. This paper "
        "asks about the fees councils charge and about proposed exemptions.",
    )
    para(doc, "Part 2: Licence fees", "Heading 1")
    para(
        doc,
        "Councils set their own fees to recover their costs. Fees for a secondary letting "
        "range from £200 to over £1,000.",
    )
    para(
        doc,
        "Q1. Do you agree that there should be a national maximum fee for a short-term let "
        "licence?",
        bold=True,
    )
    para(doc, "Yes ☐   No ☐   Don't know ☐")
    para(doc, "Please give reasons for your answer.")
    para(
        doc,
        "Q2. What factors should councils take into account when setting fees?",
        bold=True,
    )
    for _ in range(12):
        para(doc, "Councils told us that their costs vary with the size of the area they cover.")
    para(doc, "Part 3: Exemptions", "Heading 1")
    para(
        doc,
        "Q3. Should people who let a room in their own home for fewer than 28 nights a year "
        "be exempt from licensing?",
        bold=True,
    )
    para(doc, "Yes ☐   No ☐   Don't know ☐")
    para(doc, "Please explain your answer.")
    para(
        doc,
        "Q4. Are there any other types of let that should be exempt? Please give examples.",
        bold=True,
    )
    page_break(doc)
    para(doc, "Respondent Information Form", "Heading 1")
    para(
        doc,
        "Please Note this form must be completed and returned with your response. To find "
        "out how we handle your personal data, please see our privacy policy.",
    )
    para(doc, "Are you responding as an individual or an organisation?")
    para(doc, "☐ Individual   ☐ Organisation")
    para(doc, "Full name or organisation's name")
    para(doc, "Phone number")
    para(doc, "Information for organisations:", bold=True)
    para(
        doc,
        "The option 'Publish response only (without name)' is available for individual "
        "respondents only.",
    )
    para(doc, "Do you consent to the Scottish Government contacting you again in the future?")
    para(doc, "☐ Yes   ☐ No")
    return doc


def p7_defra_options_pdf_source() -> Document:
    """Defra-style: lettered options under a question, an agree scale, a question broken by a
    page. Converted to PDF, with a running header and page numbers."""
    doc = Document()
    header(doc, "Consultation on reducing litter from single-use vapes")
    footer(doc, "Page numbers follow the title page")
    para(doc, "Consultation on reducing litter from single-use vapes", "Title")
    para(doc, "Chapter 1: Options for reform", "Heading 1")
    para(
        doc,
        "Single-use vapes are thrown away at a rate of around five million a week. Their "
        "batteries cause fires in bin lorries and at waste sites.",
    )
    para(doc, "Question 1: Which of the following options do you prefer?", bold=True)
    for item in [
        "a) Option 1: a ban on the sale of single-use vapes",
        "b) Option 2: a deposit return scheme for vapes",
        "c) Option 3: no change",
    ]:
        para(doc, item)
    para(doc, "Please explain your choice.")
    for _ in range(18):
        para(
            doc,
            "Local authorities told us that collecting vapes separately would add to their "
            "costs unless producers paid for it.",
        )
    para(
        doc,
        "Question 2: To what extent do you agree that retailers who sell vapes should have to "
        "take back used vapes free of charge?",
        bold=True,
    )
    para(doc, "Strongly agree / Agree / Neither agree nor disagree / Disagree / Strongly disagree")
    para(doc, "Chapter 2: Enforcement", "Heading 1")
    para(
        doc,
        "Question 3: Who should enforce the take-back duty: trading standards, local "
        "authority environmental health officers, or both?",
        bold=True,
    )
    para(
        doc,
        "Question 4: Do you have any further comments on the proposals in this chapter?",
        bold=True,
    )
    return doc


def p8_government_response_summary() -> Document:
    """Government response: each question followed by a summary of responses and the
    government's reply."""
    doc = Document()
    para(doc, "Tenant fees in holiday parks: government response", "Title")
    para(doc, "Summary of responses", "Heading 1")
    para(
        doc,
        "The consultation received 214 responses: 151 from park residents, 38 from park "
        "operators and 25 from others.",
    )
    para(doc, "Pitch fee reviews", "Heading 2")
    para(
        doc,
        "Question 1: Do you agree that pitch fees should rise in line with the Consumer "
        "Prices Index rather than the Retail Prices Index?",
        bold=True,
    )
    para(
        doc,
        "Response rate: 198 respondents answered this question. 82% agreed, 12% disagreed "
        "and 6% did not know.",
    )
    para(
        doc,
        "Most residents agreed, noting that the Consumer Prices Index has tended to rise more "
        "slowly. Operators were divided.",
    )
    para(doc, "Government response", bold=True)
    para(doc, "The government will legislate to use the Consumer Prices Index.")
    para(
        doc,
        "Question 2: What evidence should an operator have to provide to justify a rise "
        "above inflation?",
        bold=True,
    )
    para(doc, "Response rate: 120 respondents answered this question.")
    para(
        doc,
        "Respondents suggested invoices for improvement works, a schedule of works agreed with "
        "the residents' association, and independent valuation.",
    )
    para(doc, "Government response", bold=True)
    para(doc, "We will publish guidance on the evidence expected.")
    para(doc, "Sale commission", "Heading 2")
    para(
        doc,
        "Question 3: Should the maximum commission on the sale of a park home be reduced "
        "from 10%? If so, to what level?",
        bold=True,
    )
    para(doc, "Response rate: 176 respondents answered this question.")
    para(doc, "Views were strongly divided between residents and operators.")
    para(doc, "Government response", bold=True)
    para(doc, "We will commission research before making a decision.")
    return doc


def p9_welsh_numbered_list() -> Document:
    """Welsh Government: questions as a Word-numbered list on the last pages, with the Welsh
    language questions and the open closing question that has no question mark."""
    doc = Document()
    para(doc, "Consultation Document", "Title")
    para(doc, "Allotments and community growing: new guidance for councils", "Heading 1")
    para(doc, "Date of issue: 2 February 2026. Action required: Responses by 27 April 2026.")
    para(doc, "Overview", "Heading 2")
    para(
        doc,
        "We want to hear your views on draft guidance for local authorities on providing "
        "allotments and land for community growing.",
    )
    para(doc, "Consultation Questions", "Heading 1")
    num_id = _list_num_id(doc)
    items = [
        "Is the draft guidance clear about what counts as a reasonable waiting time for an "
        "allotment plot?",
        "Should councils be required to publish their allotment waiting lists each year?",
        "What support would community growing groups need to take on the management of a site?",
        "We would like to know your views on the effects that the guidance would have on the "
        "Welsh language, specifically on opportunities for people to use Welsh and on "
        "treating the Welsh language no less favourably than English. What effects do you "
        "think there would be? How could positive effects be increased, or negative effects "
        "be mitigated?",
        "We have asked a number of specific questions. If you have any related issues which "
        "we have not specifically addressed, please use this space to report them:",
    ]
    for item in items:
        p = doc.add_paragraph(item, style="List Paragraph")
        numbered(p, num_id)
    para(
        doc,
        "Responses to consultations are likely to be made public, on the internet or in a "
        "report. If you would prefer your response to remain anonymous, please tick here: ☐",
    )
    return doc


def p10_bullets_with_question_marks() -> Document:
    """A call for evidence whose questions are bullets ending in "?" under themes."""
    doc = Document()
    para(doc, "Loneliness in later life: call for evidence", "Title")
    para(
        doc,
        "The Commission is gathering evidence on what works to reduce loneliness among "
        "people over 75. We are interested in the following questions.",
    )
    para(doc, "Understanding the problem", "Heading 2")
    for item in [
        "Which groups of older people are most at risk of loneliness, and why?",
        "How well do existing surveys measure loneliness in people over 75?",
    ]:
        para(doc, item, "List Bullet")
    para(doc, "What works", "Heading 2")
    for item in [
        "What evidence is there that befriending schemes reduce loneliness?",
        "What role can GP practices play in identifying people who are lonely?",
    ]:
        para(doc, item, "List Bullet")
    para(
        doc,
        "We welcome evidence from older people themselves, from carers and from organisations "
        "that support them. Please send your evidence by 31 March 2027.",
    )
    return doc


# --- Partners' responses ------------------------------------------------------------------


def r1_association_repeats_questions() -> Document:
    """An association's response: letterhead, key messages as bullets, then each question
    repeated in a Heading 3 before the answer, subtitles after some markers."""
    doc = Document()
    para(doc, "Police and Crime Commissioners' Association", bold=True)
    para(doc, "18 Smith Row, London SW1P 3XX")
    para(doc, "Response to the Home Office consultation on e-scooter and e-bike powers", "Title")
    para(doc, "27 May 2026")
    para(doc, "About the Association", "Heading 2")
    para(
        doc,
        "The Association represents the 41 police and crime commissioners in England and "
        "Wales. This response was agreed by its board.",
    )
    para(doc, "Key messages", "Heading 2")
    for item in [
        "Commissioners support stronger seizure powers but want safeguards for young riders.",
        "Any penalty must be matched by resources for enforcement.",
    ]:
        para(doc, item, "List Bullet")
    para(doc, "Responses to the consultation questions", "Heading 2")
    para(
        doc,
        "Question 1: Do you agree that police should be able to seize an e-scooter or altered "
        "e-bike without first giving a warning?",
        "Heading 3",
    )
    para(
        doc,
        "Yes. Commissioners report that the warning stage lets repeat riders escape any "
        "consequence because a different officer stops them each time.",
    )
    para(
        doc,
        "We would ask that the power is used with discretion where the rider is a child.",
    )
    para(doc, "Question 2 – retention period", "Heading 3")
    para(
        doc,
        "Seven days would be enough in most cases. Storage costs fall on forces and most "
        "owners who reclaim a vehicle do so within three days.",
    )
    para(doc, "Question 3", "Heading 3")
    para(
        doc,
        "No. A higher penalty will not deter riders who are never stopped; the problem is "
        "enforcement capacity, not the level of the fine.",
    )
    para(doc, "Question 5", "Heading 3")
    para(
        doc,
        "Agree, provided that the request is made by an officer of at least inspector rank "
        "and is recorded.",
    )
    para(doc, "For further information please contact policy@example-pcca.org.uk.")
    return doc


def r2_council_letter_qdot() -> Document:
    """A town council's letter: "Q.1" markers inline at the start of the answer paragraph,
    a subtitle after a colon, two questions answered together."""
    doc = Document()
    para(doc, "Ashby Parva Town Council")
    para(doc, "The Clerk, Town Hall, Market Street")
    para(doc, "Local Audit Team")
    para(doc, "Dear Sir or Madam,")
    para(doc, "Consultation: reforming the local audit system for smaller bodies", bold=True)
    para(
        doc,
        "The Council considered the consultation at its meeting on 3 June and resolved to "
        "send the following response.",
    )
    para(
        doc,
        "Q.1 Yes. The £25,000 threshold has not changed since 2017 and many small parish "
        "councils now exceed it only because of grant income that passes straight through.",
    )
    para(
        doc,
        "Q.2 The Council would like exempt authorities to publish bank reconciliations "
        "alongside their annual return.",
    )
    para(doc, "Q.3 & Q.4: appointing auditors", bold=True)
    para(
        doc,
        "The Council prefers central appointment. Appointing our own auditor would cost "
        "officer time that a council with one part-time clerk does not have, and fees would "
        "rise without the buying power of a national contract.",
    )
    para(doc, "Yours faithfully,")
    para(doc, "J. Morrow")
    para(doc, "Town Clerk")
    return doc


def r3_law_society_table() -> Document:
    """A professional body's response in a Question | Response table, with the question's
    text (no number) in the first column for some rows."""
    doc = Document()
    para(doc, "Uniform Retailers' Federation", "Title")
    para(doc, "Response to the consultation on school uniform costs", "Heading 1")
    para(
        doc,
        "The Federation represents 120 specialist school uniform suppliers. We set out our "
        "answers below.",
    )
    t = doc.add_table(rows=5, cols=2)
    t.style = "Table Grid"
    rows = [
        ("Question", "Response"),
        (
            "1. Do you agree that schools should limit the number of branded items a pupil "
            "must have to three, not counting ties?",
            "No. A limit of three would push schools to drop blazers, which last longest and "
            "are most often handed down.",
        ),
        (
            "Should the limit of three branded items also apply to PE kit?",
            "Not sure. Our members are divided on PE kit.",
        ),
        (
            "3. What effect would a limit on branded items have on uniform suppliers?",
            "Several smaller suppliers would close; they depend on branded items for most of "
            "their margin.",
        ),
        (
            "4. How easy or difficult is it for parents at your school to obtain second-hand "
            "uniform?",
            "Fairly easy. Most schools our members supply run a second-hand shop.",
        ),
    ]
    for row, (a, b) in zip(t.rows, rows, strict=True):
        row.cells[0].text = a
        row.cells[1].text = b
    para(doc, "Contact: policy@example-urf.org.uk")
    return doc


def r4_written_evidence_numbered_paragraphs() -> Document:
    """Written evidence to a committee: summary bullets, numbered paragraphs under headings that
    paraphrase the issues, no question markers."""
    doc = Document()
    para(
        doc,
        "Written evidence submitted by the Centre for Public Accountability (PBI0042)",
        bold=True,
    )
    para(doc, "Summary", "Heading 2")
    for item in [
        "Inquiries take too long and their recommendations are too often forgotten.",
        "An oversight body should track the response to recommendations.",
    ]:
        para(doc, item, "List Bullet")
    para(doc, "Introduction", "Heading 2")
    para(
        doc,
        "1. The Centre is an independent charity that studies how public bodies learn from "
        "failure. We have reviewed 68 inquiries held since 2005.",
    )
    para(doc, "Whether the framework makes inquiries effective and timely", "Heading 2")
    para(
        doc,
        "2. The framework works well for establishing facts, but inquiries are far from "
        "timely: the median length of the inquiries we reviewed was four years and two "
        "months.",
    )
    para(
        doc,
        "3. Oversight of cost and progress is weak. No one outside the inquiry checks its "
        "timetable once it has started.",
    )
    para(doc, "Implementation of the 2014 recommendations", "Heading 2")
    para(
        doc,
        "4. Of the 17 accepted recommendations, we could find evidence that only nine have "
        "been put into practice in full.",
    )
    para(doc, "A body to oversee inquiries after they report", "Heading 2")
    para(
        doc,
        "5. We support the creation of such a body. It should have the power to require "
        "departments to report each year on recommendations they accepted.",
    )
    para(doc, "April 2026")
    return doc


def r5_issues_response() -> Document:
    """A campaign group's evidence answering issue bullets under the committee's sub-headings
    and with "QUESTION THREE" style markers."""
    doc = Document()
    para(doc, "Rural Transport Alliance: written evidence", "Title")
    para(
        doc,
        "We are a network of 300 community transport groups. Our evidence covers the issues "
        "the Committee listed in the order it set them out.",
    )
    para(doc, "Funding and fares", "Heading 2")
    para(doc, "ISSUE ONE", bold=True)
    para(
        doc,
        "The fare cap brought passengers back to rural routes, but operators in our network "
        "say the compensation they receive does not cover the fares they have lost.",
    )
    para(doc, "ISSUE TWO", bold=True)
    para(
        doc,
        "Funding for supported services is not enough. Eleven of the routes our members ran "
        "in 2024 have since been withdrawn.",
    )
    para(doc, "Franchising and partnerships", "Heading 2")
    para(doc, "ISSUE FOUR", bold=True)
    para(
        doc,
        "Smaller authorities lack the staff to run a franchising assessment, which can cost "
        "over £1 million.",
    )
    para(doc, "ISSUE FIVE", bold=True)
    para(doc, "Partnerships would work better with binding targets for punctuality.")
    return doc


def r6_filled_tickbox_form_pdf_source() -> Document:
    """A respondent's filled-in Scottish Government form: ticked box ☒ gives the answer.
    Converted to PDF."""
    doc = Document()
    para(doc, "Short-term let licensing: fees and exemptions – response", "Title")
    para(doc, "Highland Self-Catering Association", bold=True)
    para(
        doc,
        "Q1. Do you agree that there should be a national maximum fee for a short-term let "
        "licence?",
        bold=True,
    )
    para(doc, "Yes ☒   No ☐   Don't know ☐")
    para(
        doc,
        "Fees in some areas are five times those in neighbouring councils for the same "
        "inspection work.",
    )
    para(
        doc,
        "Q2. What factors should councils take into account when setting fees?",
        bold=True,
    )
    para(doc, "The number of bedrooms and whether an inspection visit is actually needed.")
    para(
        doc,
        "Q3. Should people who let a room in their own home for fewer than 28 nights a year "
        "be exempt from licensing?",
        bold=True,
    )
    para(doc, "Yes ☐   No ☒   Don't know ☐")
    para(doc, "Safety standards should apply however few nights a room is let.")
    para(
        doc,
        "Q4. Are there any other types of let that should be exempt? Please give examples.",
        bold=True,
    )
    para(doc, "No comment.")
    return doc


def r7_combined_markers() -> Document:
    """A producer body's response: "Questions 2 and 3" together, "Q4:" with a subtitle,
    position in the answer's first words for a chosen option."""
    doc = Document()
    para(doc, "Vape Producers' Forum – response", "Title")
    para(
        doc,
        "The Forum speaks for 45 manufacturers and importers. We welcome the chance to respond.",
    )
    para(doc, "Question 1", "Heading 2")
    para(
        doc,
        "Option 2. A deposit return scheme would keep vapes out of bins without pushing "
        "adults who are quitting smoking back to cigarettes.",
    )
    para(doc, "Questions 2 and 3", "Heading 2")
    para(
        doc,
        "We disagree that take-back should be free in every shop. Small shops lack the "
        "storage for batteries. Trading standards should enforce any duty, as they already "
        "enforce age-of-sale rules.",
    )
    para(doc, "Q4: costs to producers", "Heading 2")
    para(
        doc,
        "Producers would need at least 18 months to design and fund a collection network.",
    )
    return doc


def r8_partner_spreadsheet() -> openpyxl.Workbook:
    """A partner's own spreadsheet: the department's question list copied in, with a Response
    column, a title row and a blank row above the header."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Response"
    ws.append(["Park Home Residents' Federation – response to the holiday parks consultation"])
    ws.append([])
    ws.append(["Q no.", "Question", "Our response"])
    ws.append(
        [
            "Q1",
            "Do you agree that pitch fees should rise in line with the Consumer Prices Index "
            "rather than the Retail Prices Index?",
            "Yes. The Retail Prices Index has overstated inflation for years.",
        ]
    )
    ws.append(
        [
            "Q2",
            "What evidence should an operator have to provide to justify a rise above inflation?",
            "Invoices for completed works and the residents' written agreement.",
        ]
    )
    ws.append(
        [
            "Q3",
            "Should the maximum commission on the sale of a park home be reduced from 10%? If "
            "so, to what level?",
            "Yes, to 5%.",
        ]
    )
    return wb


def r9_numbered_headings_topics() -> Document:
    """A response whose headings are numbered by Word's list (no number in the text) and name
    the topic, answered in order."""
    doc = Document()
    para(doc, "Community Growers Cymru", "Title")
    para(doc, "Response to the consultation on allotments guidance", "Subtitle")
    num_id = _list_num_id(doc)
    answers = [
        (
            "Waiting times",
            "The guidance is not clear. It should say that no one should wait "
            "more than two years for a plot.",
        ),
        ("Publishing waiting lists", "Yes. Councils should publish them each April."),
        (
            "Support for community groups",
            "Groups need help with insurance and with leases of at least ten years.",
        ),
    ]
    for title, answer in answers:
        h = para(doc, title, "Heading 2")
        numbered(h, num_id)
        para(doc, answer)
    return doc


def r10_pdf_letter_source() -> Document:
    """A charity's letter saved as PDF, with "Question 4" and "Question 1" markers out of order
    and a closing paragraph."""
    doc = Document()
    header(doc, "Living Streets Trust")
    footer(doc, "Registered charity number 1234567")
    para(doc, "Living Streets Trust")
    para(doc, "Antisocial Vehicles Unit, Home Office")
    para(doc, "26 May 2026")
    para(doc, "Dear Minister,")
    para(
        doc,
        "We are writing on behalf of our 9,000 members, many of them disabled or older people "
        "who no longer feel safe on the pavement.",
    )
    para(doc, "Question 4", bold=True)
    para(
        doc,
        "Officers will not always be able to establish a child's age or address at the "
        "roadside. A penalty that cannot be served is no deterrent.",
    )
    para(doc, "Question 1", bold=True)
    para(
        doc,
        "Yes. Our members describe the same riders returning day after day while the "
        "warning is still in force.",
    )
    para(doc, "We would be happy to meet officials to discuss our response.")
    para(doc, "Yours sincerely,")
    para(doc, "A. Patel, Chief Executive")
    return doc


def r11_filled_response_form() -> Document:
    """The department's own response form filled in: ticked boxes and comments in the
    question's table."""
    doc = Document()
    para(doc, "Response form", "Title")
    para(doc, "Consultation on school uniform costs: statutory guidance", "Heading 1")
    para(doc, "About you", "Heading 2")
    t = doc.add_table(rows=2, cols=2)
    t.style = "Table Grid"
    t.rows[0].cells[0].text = "Name"
    t.rows[0].cells[1].text = "Meadowbank Primary School"
    t.rows[1].cells[0].text = "Would you like us to keep your response confidential?"
    t.rows[1].cells[1].text = "☐ Yes ☒ No"
    filled = [
        (
            "1",
            "Do you agree that schools should limit the number of branded items a pupil must "
            "have to three, not counting ties?",
            "☒ Yes ☐ No ☐ Not sure",
            "Comments: Parents at our school spend over £150 a year on branded items.",
        ),
        (
            "2",
            "Should the limit of three branded items also apply to PE kit?",
            "☐ Yes ☒ No ☐ Not sure",
            "Comments: PE kit is already plain.",
        ),
        (
            "3",
            "What effect would a limit on branded items have on uniform suppliers?",
            None,
            "Comments: Little effect; our supplier sells mostly plain items.",
        ),
        (
            "4",
            "How easy or difficult is it for parents at your school to obtain second-hand uniform?",
            "☐ Very easy ☒ Fairly easy ☐ Fairly difficult ☐ Very difficult",
            "Comments: The PTA runs a sale each term.",
        ),
    ]
    for number, text, ticks, comment in filled:
        rows = 3 if ticks else 2
        q = doc.add_table(rows=rows, cols=1)
        q.style = "Table Grid"
        cell = q.rows[0].cells[0]
        cell.paragraphs[0].add_run(f"Question {number}").bold = True
        cell.add_paragraph(text)
        if ticks:
            q.rows[1].cells[0].text = ticks
        q.rows[-1].cells[0].text = comment
        para(doc)
    return doc


def p11_annex_table() -> Document:
    """A paper whose questions are listed only in an annex table: Number | Question."""
    doc = Document()
    para(doc, "Modernising the registration of births and deaths", "Title")
    para(doc, "1. Introduction", "Heading 1")
    para(
        doc,
        "1.1 Registration has changed little since 1953. We propose to let births be "
        "registered online and deaths be registered by telephone.",
    )
    para(doc, "Annex B: List of consultation questions", "Heading 1")
    t = doc.add_table(rows=5, cols=2)
    t.style = "Table Grid"
    rows = [
        ("Number", "Question"),
        (
            "1",
            "Do you agree that parents should be able to register a birth online? "
            "Yes/No/Don't know",
        ),
        ("2", "What safeguards would be needed to prevent false registrations?"),
        (
            "3",
            "Should a death be able to be registered by telephone without the informant "
            "attending in person? Yes/No/Don't know",
        ),
        ("4", "Is there anything else you would like to tell us about these proposals?"),
    ]
    for row, (a, b) in zip(t.rows, rows, strict=True):
        row.cells[0].text = a
        row.cells[1].text = b
    return doc


# --- Round 2: written after round 1's fixes, before the importers were run on them ----------


def p12_question_headings_bullet_options() -> Document:
    """GOV.UK HTML publication saved as PDF: "Question 6" as a heading, the wording under it,
    options as a bulleted list, "[footnote 4]" in the wording, numbering running on across
    chapters."""
    doc = Document()
    para(doc, "Raising the minimum energy efficiency standard for private rented homes", "Title")
    para(doc, "Chapter 1: The new standard", "Heading 1")
    para(
        doc,
        "All privately rented homes must currently have an Energy Performance Certificate "
        "rating of E or above.",
    )
    para(doc, "Question 1", "Heading 3")
    para(
        doc,
        "Do you agree that the minimum standard should rise to EPC band C by 2030?[footnote 4]",
    )
    for item in ["Yes", "No", "Don't know"]:
        para(doc, item, "List Bullet")
    para(doc, "Please explain your answer.")
    para(doc, "Question 2", "Heading 3")
    para(doc, "What would be a reasonable cost cap per property for landlords?")
    para(doc, "Chapter 2: Exemptions", "Heading 1")
    para(
        doc,
        "Landlords can register an exemption where improvements would cost more than the "
        "cap.",
    )
    para(doc, "Question 3", "Heading 3")
    para(
        doc,
        "Should the exemption for high-cost improvements last for five years, as now?",
    )
    for item in ["Yes", "No, it should be shorter", "No, it should be longer"]:
        para(doc, item, "List Bullet")
    para(doc, "Question 4", "Heading 3")
    para(
        doc,
        "What evidence should a landlord provide when registering an exemption?",
    )
    para(doc, "Footnotes", "Heading 2")
    para(doc, "4. Energy Performance of Buildings Regulations 2012.")
    return doc


def p13_lettered_sub_questions() -> Document:
    """Questions numbered "Q2a", "Q2b" for a question and its follow-up."""
    doc = Document()
    para(doc, "Consultation on bus shelter advertising licences", "Title")
    para(doc, "Section 1: Licence length", "Heading 1")
    para(
        doc,
        "Q1. Should licences for advertising on bus shelters run for ten years rather than "
        "five?",
        bold=True,
    )
    para(doc, "Section 2: Revenue sharing", "Heading 1")
    para(
        doc,
        "Q2a. Do you agree that councils should receive at least half of the advertising "
        "revenue?",
        bold=True,
    )
    para(doc, "Q2b. If not, what share would you propose, and why?", bold=True)
    para(
        doc,
        "Q3. What other conditions, if any, should be attached to a licence?",
        bold=True,
    )
    return doc


def p14_law_commission() -> Document:
    """Law Commission: numbered paragraphs "3.45", then a boxed "Consultation Question 7" that
    states a provisional proposal and asks "Do consultees agree?"."""
    doc = Document()
    para(doc, "Leasehold enfranchisement: valuation", "Title")
    para(doc, "Consultation Paper No 999", "Subtitle")
    para(doc, "Chapter 3: Marriage value", "Heading 1")
    para(
        doc,
        "3.44 Marriage value is the increase in the value of a property that comes from "
        "bringing the freehold and leasehold interests together.",
    )
    para(
        doc,
        "3.45 At present, marriage value is payable only where the lease has 80 years or less "
        "to run.",
    )
    boxed(
        doc,
        [
            ("Consultation Question 7.", True),
            (
                "We provisionally propose that marriage value should no longer be payable "
                "on any lease extension. Do consultees agree?",
                False,
            ),
        ],
    )
    para(
        doc,
        "3.46 Removing marriage value would reduce the premium for leaseholders with short "
        "leases.",
    )
    boxed(
        doc,
        [
            ("Consultation Question 8.", True),
            (
                "We invite consultees to share their views on how the deferment rate should be "
                "set.",
                False,
            ),
        ],
    )
    para(doc, "Chapter 4: Costs", "Heading 1")
    boxed(
        doc,
        [
            ("Consultation Question 9.", True),
            (
                "Should each party bear its own legal costs of a lease extension? Please give "
                "reasons.",
                False,
            ),
        ],
    )
    return doc


def p18_agree_scale_table() -> Document:
    """An agree scale printed as a table under the question: labels in one row, boxes below."""
    doc = Document()
    para(doc, "Library opening hours: consultation", "Title")
    para(doc, "Your views", "Heading 1")
    para(
        doc,
        "1. To what extent do you agree or disagree with the proposal to open the central "
        "library on Sundays?",
        bold=True,
    )
    t = doc.add_table(rows=2, cols=5)
    t.style = "Table Grid"
    labels = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree",
              "Strongly disagree"]
    for cell, label in zip(t.rows[0].cells, labels, strict=True):
        cell.text = label
    for cell in t.rows[1].cells:
        cell.text = "☐"
    para(doc)
    para(
        doc,
        "2. Which days do you currently use the library?",
        bold=True,
    )
    para(doc, "3. What else could the library service do to meet your needs?", bold=True)
    return doc


def p16_sheet_with_options() -> openpyxl.Workbook:
    """A question list as a department shares it: reference, chapter, question, options."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Questions"
    ws.append(["Ref", "Chapter", "Question", "Options"])
    ws.append(["1", "Eligibility", "Should the scheme be open to sole traders?",
               "Yes; No; Don't know"])
    ws.append(["2", "Eligibility", "What turnover limit should apply?", ""])
    ws.append(["3", "Delivery", "Which body should run the scheme?",
               "Local authorities; Growth hubs; A national body"])
    return wb


def r12_email_bare_numbers() -> Document:
    """An email pasted into Word: headers, then answers "1)", "2)", "3)" in order."""
    doc = Document()
    para(doc, "From: Karen Lowe <k.lowe@example-ta.org.uk>")
    para(doc, "Sent: 12 March 2026 16:02")
    para(doc, "To: Bus Shelters Consultation")
    para(doc, "Subject: Response from Ashvale Tenants' Association")
    para(doc, "Hello,")
    para(doc, "Please find our answers below.")
    para(doc, "1) No - ten years is too long to be tied to one advertiser.")
    para(doc, "2) Yes, we agree. Half should be the minimum.")
    para(doc, "3) Adverts for gambling and fast food should not be allowed near schools.")
    para(doc, "Thanks,")
    para(doc, "Karen")
    return doc


def r13_law_commission_response() -> Document:
    """A response to a Law Commission paper answering "Consultation Question 7" and so on,
    with the proposal quoted in italics."""
    doc = Document()
    para(doc, "Response of the Leasehold Advice Network", "Title")
    para(doc, "Consultation Question 7", "Heading 2")
    q = doc.add_paragraph()
    r = q.add_run(
        "We provisionally propose that marriage value should no longer be payable on any "
        "lease extension. Do consultees agree?"
    )
    r.italic = True
    para(
        doc,
        "We agree. Marriage value penalises leaseholders whose leases have fallen below 80 "
        "years, often without their knowledge.",
    )
    para(doc, "Consultation Question 9", "Heading 2")
    para(
        doc,
        "No. Leaseholders should not pay the landlord's costs: it deters them from "
        "exercising their rights.",
    )
    return doc


def r16_response_label() -> Document:
    """Each question quoted in bold, then a "Response:" line, then the answer."""
    doc = Document()
    para(doc, "Sunderland Friends of Libraries", bold=True)
    para(
        doc,
        "1. To what extent do you agree or disagree with the proposal to open the central "
        "library on Sundays?",
        bold=True,
    )
    para(doc, "Response: Strongly agree. Families cannot visit on weekdays.")
    para(doc, "3. What else could the library service do to meet your needs?", bold=True)
    para(doc, "Response: Longer evening opening on Thursdays.")
    return doc


def r18_sheet_position_column() -> openpyxl.Workbook:
    """A partner's spreadsheet with a separate Yes/No column and a Comments column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Question number", "Question", "Yes / No / Don't know", "Comments"])
    ws.append(["1", "Should the scheme be open to sole traders?", "Yes",
               "Sole traders make up most of the rural economy."])
    ws.append(["2", "What turnover limit should apply?", "", "£2 million."])
    ws.append(["3", "Which body should run the scheme?", "", "Growth hubs know local firms."])
    return wb


def r19_in_response_to() -> Document:
    """A council's letter in numbered paragraphs that names the question inside the prose:
    "In response to question 2, ..."."""
    doc = Document()
    para(doc, "Northfield District Council")
    para(doc, "Dear Sir or Madam,")
    para(
        doc,
        "1. Thank you for the opportunity to comment on the proposals for private rented "
        "homes.",
    )
    para(
        doc,
        "2. In response to question 1, the Council agrees that the standard should rise to "
        "band C, but 2030 leaves too little time for older stock.",
    )
    para(
        doc,
        "3. With regard to question 4, landlords should provide three quotes from accredited "
        "installers.",
    )
    para(doc, "Yours faithfully,")
    para(doc, "Head of Private Sector Housing")
    return doc


def r20_numbered_topic_headings() -> Document:
    """A response whose typed numbered headings give a topic, not the question's words, and
    follow the paper's numbering ("2. Cost cap")."""
    doc = Document()
    para(doc, "National Landlords Forum", "Title")
    para(doc, "Introduction", "Heading 2")
    para(doc, "The Forum represents 12,000 landlords. We answer the questions in turn.")
    para(doc, "1. Band C by 2030", "Heading 2")
    para(doc, "We disagree. Many older terraced homes cannot reach band C at a sensible cost.")
    para(doc, "2. Cost cap", "Heading 2")
    para(doc, "£10,000 per property, including the cost of the assessment.")
    para(doc, "3. Length of exemptions", "Heading 2")
    para(doc, "Five years is right; a shorter period adds costs for no gain.")
    return doc


# --- Round 3: PDFs drawn line by line, stances, numbered sections, three-column tables -------


def _pdf_lines(lines: list[tuple[str, float, bool]], top: float = 780) -> list:
    """Place lines down a page, 1.2 line spacing, a gap after a paragraph's last line
    (marked by a trailing "¶")."""
    from pdf_builder import Text  # tests/ is on the path when the builder runs

    texts, y = [], top
    for text, size, bold in lines:
        gap = text.endswith("¶")
        texts.append(Text(text.rstrip("¶"), 72, y, size, bold))
        y -= size * 1.2 + (size * 0.8 if gap else 0)
    return texts


def p19_question_across_pages() -> bytes:
    """A GOV.UK PDF with a running header and page numbers, one question broken by the page."""
    from pdf_builder import Text, pdf_file

    header = "Preventing sexual harassment at work: consultation"
    page1 = [Text(header, 72, 810, 8)] + _pdf_lines(
        [
            ("Preventing sexual harassment at work", 18, True),
            ("Chapter 1: The scope of the duty¶", 14, True),
            ("1.1 Employers already have a duty to take reasonable steps to prevent¶", 11, False),
            ("harassment of their staff. We propose to extend it.¶", 11, False),
            ("Question 1: Do you agree that the new duty should apply to", 11, True),
        ],
        top=760,
    ) + [Text("4", 297, 40, 9)]
    page2 = [Text(header, 72, 810, 8)] + _pdf_lines(
        [
            ("all employers with 10 or more staff? (Yes / No / Don't know)¶", 11, True),
            ("Please explain your answer.¶", 11, False),
            ("1.2 Smaller employers told us that written policies would be a burden.¶", 11, False),
            ("Question 2: What support would small employers need to meet the duty?¶", 11, True),
            ("Chapter 2: Enforcement¶", 14, True),
            ("Question 3: Should the Equality and Human Rights Commission be able to¶", 11, True),
            ("fine employers who breach the duty? (Yes / No / Don't know)¶", 11, True),
        ],
        top=760,
    ) + [Text("5", 297, 40, 9)]
    return pdf_file(page1, page2)


def r21_letter_across_pages() -> bytes:
    """A partner's PDF letter: running header, "Page 1 of 2", an answer broken by the page."""
    from pdf_builder import Text, pdf_file

    header = "Federation of Small Employers – response"
    page1 = [Text(header, 72, 810, 8)] + _pdf_lines(
        [
            ("Federation of Small Employers¶", 14, True),
            ("We represent 40,000 businesses with fewer than 50 staff.¶", 11, False),
            ("Question 1¶", 11, True),
            ("No. Firms with 10 to 20 staff rarely have anyone working in human resources,", 11,
             False),
            ("and a written policy on its own would not prevent harassment. The duty", 11, False),
        ],
        top=760,
    ) + [Text("Page 1 of 2", 270, 40, 9)]
    page2 = [Text(header, 72, 810, 8)] + _pdf_lines(
        [
            ("should start at 50 staff.¶", 11, False),
            ("Question 2¶", 11, True),
            ("Free template policies and a telephone advice line.¶", 11, False),
        ],
        top=760,
    ) + [Text("Page 2 of 2", 270, 40, 9)]
    return pdf_file(page1, page2)


def r24_stances() -> Document:
    """A response whose answers open with the positions partners write in letters."""
    doc = Document()
    para(doc, "Metropolitan Cycling Campaign", "Title")
    para(doc, "Question 1", "Heading 2")
    para(doc, "Don't know. Our members are split on seizure without warning.")
    para(doc, "Question 3", "Heading 2")
    para(doc, "Yes, provided that the money raised goes to road safety.")
    para(doc, "Question 5", "Heading 2")
    para(doc, "We strongly disagree with this proposal. Hire data is personal data.")
    para(doc, "Question 1 (continued)", "Heading 2")
    para(doc, "Some members would accept seizure after a second offence.")
    return doc


def r26_numbered_sections() -> Document:
    """A response in numbered sections of its own: "1. About us", "2. Summary", then topics."""
    doc = Document()
    para(doc, "Response from the Association of Rental Operators", "Title")
    para(doc, "1. About us", "Heading 1")
    para(doc, "We represent the six companies that run e-scooter rental schemes in England.")
    para(doc, "2. Summary", "Heading 1")
    para(doc, "We support faster data sharing but not a 48-hour deadline.")
    para(doc, "3. Sharing hirer details with the police", "Heading 1")
    para(
        doc,
        "A 48-hour deadline for giving police the hirer's details cannot be met at weekends "
        "by small operators. Five working days would be workable.",
    )
    para(doc, "4. Seizing e-scooters without a warning", "Heading 1")
    para(
        doc,
        "Seizure without a warning should not apply to rental e-scooters, which belong to "
        "the operator, not the rider.",
    )
    return doc


def r27_three_column_table() -> Document:
    """A response in a table: No. | Question | Response, one row answering two questions."""
    doc = Document()
    para(doc, "Leeds Community Safety Partnership – response", "Heading 1")
    t = doc.add_table(rows=4, cols=3)
    t.style = "Table Grid"
    rows = [
        ("No.", "Question", "Response"),
        ("1", "Seizure without a warning", "Yes. Warnings are rarely recorded, so riders "
         "receive one again and again."),
        ("2", "Retention period", "14 days should stay: owners often need time to find proof "
         "of ownership."),
        ("3 and 4", "Penalty level; riders under 17", "The penalty should rise, but riders "
         "under 17 should be referred to youth services instead."),
    ]
    for row, cells in zip(t.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    return doc


# --- Round 4: Word's "Question %1:" numbering, tick-all bullets, an Excel CSV, mixed markers --


def _question_list_num_id(doc) -> str:
    """Add a Word list whose numbers read "Question 1:", as Home Office templates have."""
    numbering = doc.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), "0")
    for tag, value in (("w:start", "1"), ("w:numFmt", "decimal"), ("w:lvlText", "Question %1:")):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        lvl.append(element)
    abstract.append(lvl)
    first_num = numbering.find(qn("w:num"))
    first_num.addprevious(abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    numbering.append(num)
    return "90"


def p21_word_question_numbering() -> Document:
    """Questions numbered by Word's list ("Question 1:" is not in the text), across chapters."""
    doc = Document()
    num_id = _question_list_num_id(doc)
    para(doc, "Charging for replacement wheelie bins", "Title")
    para(doc, "Chapter 1: Charging for bins", "Heading 1")
    para(
        doc,
        "1.1 Councils may not currently charge for a replacement bin where the old one was "
        "lost or damaged.",
    )
    q = para(
        doc,
        "Do you agree that councils should be able to charge for replacement wheelie bins?",
        bold=True,
    )
    numbered(q, num_id)
    para(doc, "(Yes / No / Don't know)")
    q = para(doc, "What would be a fair charge for a replacement bin?", bold=True)
    numbered(q, num_id)
    para(doc, "Chapter 2: Exemptions", "Heading 1")
    para(doc, "2.1 Some councils already exempt households on low incomes.")
    q = para(
        doc,
        "Should households that receive council tax support be exempt?",
        bold=True,
    )
    numbered(q, num_id)
    para(doc, "Yes / No / Don't know")
    para(doc, "Please give reasons.")
    q = para(doc, "What other groups, if any, should be exempt?", bold=True)
    numbered(q, num_id)
    para(doc, "2.2 We will publish a summary of responses within 12 weeks.")
    return doc


def p22_tick_all_bullets() -> Document:
    """A question asking to tick all that apply, its choices as bullets."""
    doc = Document()
    para(doc, "Garden waste charge: exemptions", "Title")
    para(
        doc,
        "Q1: Which of the following should be exempt from the garden waste charge? Tick all "
        "that apply.",
        bold=True,
    )
    for item in ["Charities", "Schools", "Places of worship", "None of these"]:
        para(doc, item, "List Bullet")
    para(doc, "Q2: Why do you think these groups should be exempt?", bold=True)
    return doc


P20_CSV = (
    "Question number,Question text,Question type,Answer options\r\n"
    "1,Do you agree that the council\u2019s charge should be \u00a35 a week?,Closed,"
    "Agree;Disagree;Not sure\r\n"
    "2,Please explain your answer to question 1.,Open,\r\n"
    "3,Should the charge apply to second homes?,Closed,\r\n"
    "4,What is your postcode?,Open,\r\n"
)


def r28_numbered_paragraphs_under_headings() -> Document:
    """Written evidence: "Question 1" headings with the partner's own paragraphs numbered by
    Word straight through (1 to 6) beneath them."""
    doc = Document()
    num_id = _list_num_id(doc)
    para(doc, "Response from the Bin Collection Users' Group", "Title")
    sections = [
        ("Question 1", ["We agree. Bins stolen or damaged by residents should be paid for.",
                        "Councils should waive the charge where a crew damaged the bin."]),
        ("Question 2", ["£25 covers the cost of a bin and its delivery.",
                        "A higher charge would lead to more fly-tipping."]),
        ("Question 4", ["Care leavers should be exempt for their first year in a tenancy.",
                        "People over 85 living alone should also be exempt."]),
    ]
    for heading, paragraphs in sections:
        para(doc, heading, "Heading 2")
        for text in paragraphs:
            numbered(para(doc, text, "List Paragraph"), num_id)
    return doc


def r29_mixed_markers() -> Document:
    """"QUESTION ONE", "Q2 & Q3" and a bare "4." once the other markers are there."""
    doc = Document()
    para(doc, "Clean Streets Network", bold=True)
    para(doc, "QUESTION ONE", bold=True)
    para(doc, "No. Charging will lead to more dumped rubbish.")
    para(doc, "Q2 & Q3", bold=True)
    para(
        doc,
        "We have no view on the level of the charge, but those receiving council tax support "
        "must be exempt.",
    )
    para(doc, "4. Disabled residents who need assisted collections.")
    return doc


def r30_workbook_with_cover() -> openpyxl.Workbook:
    """A partner's workbook: a cover sheet, then the answers with a position column."""
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Cover"
    cover.append(["Response to the garden and bin charges consultation"])
    cover.append(["Organisation", "Hillside Residents' Association"])
    answers = wb.create_sheet("Answers")
    answers.append(["Question number", "Question text", "Agree / Disagree / Not sure", "Comments"])
    answers.append([1, "Do you agree that the council’s charge should be £5 a week?", "Disagree",
                    "£5 a week is too much for pensioners."])
    answers.append([2, "Please explain your answer to question 1.", "",
                    "Bins last ten years."])
    answers.append([3, "Should the charge apply to second homes?", "", "Yes, at double the rate."])
    return wb


# --- Round 7: Word's own tick boxes (legacy form fields, Wingdings symbols) -----------------


def _legacy_checkbox(paragraph, checked: bool) -> None:
    """A FORMCHECKBOX field, as Word's legacy form tools (and many department forms) make."""
    def run_with(child) -> None:
        run = OxmlElement("w:r")
        run.append(child)
        paragraph._p.append(run)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    data = OxmlElement("w:ffData")
    box = OxmlElement("w:checkBox")
    box.append(OxmlElement("w:sizeAuto"))
    default = OxmlElement("w:default")
    default.set(qn("w:val"), "0")
    box.append(default)
    if checked:
        box.append(OxmlElement("w:checked"))
    data.append(box)
    begin.append(data)
    run_with(begin)
    code = OxmlElement("w:instrText")
    code.text = " FORMCHECKBOX "
    run_with(code)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _wingdings_box(paragraph, checked: bool) -> None:
    """A box inserted with Insert > Symbol from Wingdings: ☑ is F0FE, an empty one F0A8."""
    run = OxmlElement("w:r")
    sym = OxmlElement("w:sym")
    sym.set(qn("w:font"), "Wingdings")
    sym.set(qn("w:char"), "F0FE" if checked else "F0A8")
    run.append(sym)
    paragraph._p.append(run)


def r33_word_checkboxes() -> Document:
    """The department's Word form filled in with its own check boxes: legacy form fields for
    the yes/no questions, Wingdings symbols for the scale."""
    doc = Document()
    para(doc, "Response form", "Title")
    para(doc, "Consultation on school uniform costs: statutory guidance", "Heading 1")
    rows = [
        ("1", "Do you agree that schools should limit the number of branded items a pupil must "
         "have to three, not counting ties?", ["Yes", "No", "Not sure"], 0, _legacy_checkbox,
         "Comments: Branded blazers cost families most."),
        ("2", "Should the limit of three branded items also apply to PE kit?",
         ["Yes", "No", "Not sure"], 1, _legacy_checkbox, "Comments: PE kit is cheap already."),
        ("4", "How easy or difficult is it for parents at your school to obtain second-hand "
         "uniform?", ["Very easy", "Fairly easy", "Fairly difficult", "Very difficult"], 2,
         _wingdings_box, "Comments: There is no second-hand shop nearby."),
    ]
    for number, text, labels, ticked, box, comment in rows:
        table = doc.add_table(rows=3, cols=1)
        table.style = "Table Grid"
        cell = table.rows[0].cells[0]
        cell.paragraphs[0].add_run(f"Question {number}").bold = True
        cell.add_paragraph(text)
        ticks = table.rows[1].cells[0].paragraphs[0]
        for index, label in enumerate(labels):
            box(ticks, index == ticked)
            ticks.add_run(f" {label}   ")
        table.rows[2].cells[0].text = comment
        para(doc)
    return doc


# --- Round 8: chapter-numbered questions, a bilingual form, a summary of positions ----------


def p24_chapter_numbered() -> Document:
    """Questions numbered within chapters: "Question 2.1", as Treasury and HMRC papers do."""
    doc = Document()
    para(doc, "Simplifying business rates relief for small firms", "Title")
    para(doc, "Chapter 2: Eligibility", "Heading 1")
    para(doc, "2.1 Relief is currently given to properties with a rateable value below £15,000.")
    para(
        doc,
        "Question 2.1: Should the threshold for full relief rise from £12,000 to £15,000?",
        bold=True,
    )
    para(
        doc,
        "Question 2.2: How should relief taper for properties valued between the thresholds?",
        bold=True,
    )
    para(doc, "Chapter 3: Administration", "Heading 1")
    para(
        doc,
        "Question 3.1: Would you support relief being applied automatically, without an "
        "application? Please explain why.",
        bold=True,
    )
    return doc


def r35_chapter_numbered_response() -> Document:
    """A response to chapter-numbered questions: "Q2.1", "Question 2.2 –", "Q3.1:"."""
    doc = Document()
    para(doc, "Federation of Independent Retailers", "Title")
    para(doc, "Q2.1", bold=True)
    para(doc, "Yes. £15,000 reflects the rise in rental values since 2017.")
    para(doc, "Question 2.2 – taper", bold=True)
    para(doc, "A straight-line taper to £51,000 would avoid cliff edges.")
    para(doc, "Q3.1: We support automatic relief; many owners never apply.")
    return doc


def p25_bilingual_form() -> Document:
    """A Welsh Government response form: Welsh on the left, English on the right."""
    doc = Document()
    para(doc, "Ffurflen ymateb / Response form", "Title")
    table = doc.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    rows = [
        ("Cwestiwn 1: A ydych chi'n cytuno y dylai cynghorau gyhoeddi eu rhestrau aros?",
         "Question 1: Do you agree that councils should publish their waiting lists?"),
        ("Ydw / Nac ydw / Ddim yn gwybod", "Yes / No / Don't know"),
        ("Cwestiwn 2: Pa gymorth fyddai ei angen ar grwpiau cymunedol?",
         "Question 2: What support would community groups need?"),
        ("Sylwadau:", "Comments:"),
    ]
    for row, (welsh, english) in zip(table.rows, rows, strict=True):
        row.cells[0].text = welsh
        row.cells[1].text = english
    return doc


def p25b_bilingual_english_first() -> Document:
    """The same form with English on the left and Welsh on the right."""
    doc = p25_bilingual_form()
    for row in doc.tables[0].rows:
        welsh, english = row.cells[0].text, row.cells[1].text
        row.cells[0].text, row.cells[1].text = english, welsh
    return doc


def r34_positions_then_prose() -> Document:
    """A response that lists its positions in a small table first, then explains each."""
    doc = Document()
    para(doc, "Ashworth Parish Council", "Title")
    para(doc, "Summary of our positions", "Heading 2")
    table = doc.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    for row, (a, b) in zip(table.rows, [("Question", "Position"), ("1", "Yes"), ("3", "No")],
                           strict=True):
        row.cells[0].text = a
        row.cells[1].text = b
    para(doc, "Question 1", "Heading 2")
    para(doc, "Repeat riders on our village green ignore warnings.")
    para(doc, "Question 3", "Heading 2")
    para(doc, "A higher fine will not be paid by riders who give false names.")
    return doc


# --- Round 9: recommendations after the answers, questions copied without numbers ------------


def r36_recommendations_after() -> Document:
    """Answers under "Question N" headings, then the organisation's numbered recommendations
    and a note about itself."""
    doc = Document()
    para(doc, "Walking Matters: response", "Title")
    para(doc, "Question 1", "Heading 2")
    para(doc, "Yes. Warnings are not recorded consistently between forces.")
    para(doc, "Question 5", "Heading 2")
    para(doc, "Agree. Operators already hold the data and can send it quickly.")
    para(doc, "Our recommendations", "Heading 2")
    para(doc, "1. Fund a national register of seized e-scooters.")
    para(doc, "2. Publish data on pavement collisions each year.")
    para(doc, "About Walking Matters", "Heading 2")
    para(doc, "Walking Matters is a charity working for safer pavements.")
    return doc


def r37_copied_wording() -> Document:
    """A partner who copied each question's words from the online survey, without numbers,
    and typed the answer under it."""
    doc = Document()
    para(doc, "Response from the Tees Valley Safety Forum")
    para(
        doc,
        "How many days should police keep a seized e-scooter before it may be destroyed or "
        "sold?",
        bold=True,
    )
    para(doc, "Twenty-eight days, as for other seized vehicles.")
    para(
        doc,
        "What practical difficulties, if any, would forces face in issuing fixed penalty "
        "notices to riders aged under 17?",
        bold=True,
    )
    para(doc, "Proving age at the roadside is the main difficulty.")
    return doc


# --- Round 10: issues with sub-bullets, a footnote in a question, issues quoted back ---------


def p26_issues_with_sub_bullets() -> Document:
    """A Lords committee call: issues as bullets with sub-bullets, a "[1]" footnote marker."""
    doc = Document()
    para(doc, "Inquiry into rural mental health services", "Title")
    para(doc, "Terms of reference", "Heading 1")
    para(doc, "The Committee invites written evidence on the following issues:")
    para(doc, "The availability of crisis support in rural areas,[1] including:", "List Bullet")
    para(doc, "out-of-hours telephone services;", "List Bullet 2")
    para(doc, "the distance to the nearest place of safety.", "List Bullet 2")
    para(doc, "How well services for young people work with schools.", "List Bullet")
    para(doc, "The effect of staff shortages on waiting times.", "List Bullet")
    para(doc, "[1] Rural areas as defined by the Office for National Statistics.")
    return doc


def r38_issues_quoted() -> Document:
    """A health trust's evidence quoting each issue back in bold before its answer."""
    doc = Document()
    para(doc, "Written evidence from Moorland Health NHS Trust", bold=True)
    para(doc, "How well services for young people work with schools", bold=True)
    para(doc, "Every secondary school in our area now has a named mental health worker.")
    para(doc, "The effect of staff shortages on waiting times", bold=True)
    para(doc, "Waiting times for a first appointment have doubled since 2023.")
    return doc


# --- Round 12: a fillable PDF response form, filled in ----------------------------------------


def r39_fillable_pdf() -> bytes:
    """A department's fillable PDF form as a partner returns it: the answers are in the form's
    fields (typed text, ticked check boxes), not in the page's text."""
    import io

    import pypdf
    from pdf_builder import Text, pdf_file
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        TextStringObject,
    )

    page_text = [
        Text("Response form: e-scooter and e-bike powers", 72, 780, 16, True),
        Text("Organisation:", 72, 750),
        Text("Question 1: Do you agree that police should be able to seize an e-scooter or", 72,
             720, 11, True),
        Text("altered e-bike without first giving a warning?", 72, 706, 11, True),
        Text("Yes", 84, 690), Text("No", 122, 690), Text("Don't know", 157, 690),
        Text("Please give reasons for your answer:", 72, 670),
        Text("Question 2: How many days should police keep a seized e-scooter before it may be",
             72, 590, 11, True),
        Text("destroyed or sold?", 72, 576, 11, True),
        Text("Question 3: Should the fixed penalty for riding an e-scooter on the pavement be",
             72, 500, 11, True),
        Text("raised to £100?", 72, 486, 11, True),
        Text("Yes", 84, 468), Text("No", 122, 468), Text("Don't know", 157, 468),
    ]
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_file(page_text))))
    widgets = []

    def widget(name: str, kind: str, rect: list[float], **extra: object) -> None:
        entries = {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject(kind),
            NameObject("/T"): TextStringObject(name),
            NameObject("/Rect"): ArrayObject(FloatObject(v) for v in rect),
        }
        entries.update(extra)
        widgets.append(writer._add_object(DictionaryObject(entries)))

    def checkbox(name: str, x: float, y: float, on: bool) -> None:
        state = NameObject("/Yes" if on else "/Off")
        widget(name, "/Btn", [x, y, x + 9, y + 9], **{NameObject("/V"): state,
                                                       NameObject("/AS"): state})

    def text_field(name: str, rect: list[float], value: str) -> None:
        widget(name, "/Tx", rect, **{NameObject("/V"): TextStringObject(value),
                                     NameObject("/DA"): TextStringObject("/Helv 10 Tf 0 g")})

    text_field("organisation", [150, 746, 520, 760], "Riverside Residents' Group")
    for place, (x, on) in enumerate([(72, True), (110, False), (145, False)]):
        checkbox(f"q1_{place}", x, 688, on)
    text_field("q1_reasons", [72, 610, 520, 660],
               "Riders on our estate ignore warnings.\rA seizure power would end repeat riding.")
    text_field("q2", [72, 520, 520, 566], "Seven days.")
    for place, (x, on) in enumerate([(72, False), (110, True), (145, False)]):
        checkbox(f"q3_{place}", x, 466, on)
    writer.pages[0][NameObject("/Annots")] = ArrayObject(widgets)
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(widgets)}
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --- Round 13: positions in other words, questions named by their order ---------------------


def r40_position_phrasings() -> Document:
    """Positions as letters put them: "Our answer is no", "Answer: Yes –", "We tend to
    disagree"."""
    doc = Document()
    para(doc, "Borough Residents' Forum", "Title")
    para(doc, "Question 1", "Heading 2")
    para(doc, "Our answer is no: warnings protect young riders from losing a parent's scooter.")
    para(doc, "Question 3", "Heading 2")
    para(doc, "Answer: Yes – £100 matches the penalty for other pavement offences.")
    para(doc, "Question 5", "Heading 2")
    para(doc, "We tend to disagree with this proposal; 48 hours is too short at weekends.")
    return doc


def r41_ordinal_questions() -> Document:
    """A letter that names the questions by their order: "On your first question, ..."."""
    doc = Document()
    para(doc, "Dear Minister,")
    para(
        doc,
        "On your first question, we agree that the warning stage should go: it is rarely "
        "recorded.",
    )
    para(
        doc,
        "Turning to the third question, we would keep the fixed penalty at its present level.",
    )
    para(doc, "Yours sincerely,")
    para(doc, "Chair, Safer Pavements Alliance")
    return doc


# --- Round 14: a department's question spreadsheet in its own words -------------------------


def p27_sheet_own_words() -> openpyxl.Workbook:
    """A question list as a policy team keeps it: a title above the header, "About you" rows
    numbered A1, A2, and question types in the team's words ("Open text", "Multiple choice",
    "Yes/No"), options one per line in their cell."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Consultation on parking charges: questions"])
    ws.append([])
    ws.append(["No.", "Section", "Question", "Type", "Options"])
    ws.append(["A1", "About you", "What is your name?", "Open text", None])
    ws.append(["A2", "About you", "Are you responding on behalf of an organisation?",
               "Multiple choice", "Yes\nNo"])
    ws.append([1, "Charges", "Do you agree that charges should rise to £2 an hour?",
               "Multiple choice", "Agree\nDisagree\nDon't know"])
    ws.append([2, "Charges", "Why?", "Open text", None])
    ws.append([3, "Permits", "Should residents' permits be free?", "Yes/No", None])
    ws.append([4, "Permits", "How should permits be priced for second cars?",
               "Multiple choice with comments", "The same\nDouble\nNot allowed"])
    return wb



def r42_survey_export() -> openpyxl.Workbook:
    """One partner's answers as an online survey tool exports them: a row of questions as
    column headings, a row of answers, an ID and the organisation in front."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Responses"
    ws.append(
        [
            "Respondent ID",
            "Organisation",
            "Q1. Do you agree that police should be able to seize an e-scooter or altered "
            "e-bike without first giving a warning?",
            "Q1 comments",
            "Q2. How many days should police keep a seized e-scooter before it may be "
            "destroyed or sold?",
            "Q3. Should the fixed penalty for riding an e-scooter on the pavement be raised "
            "to £100?",
        ]
    )
    ws.append(["R-0042", "Northgate Neighbourhood Watch", "Yes",
               "Warnings are never recorded.", "7 days", "No"])
    return wb



def r43_short_answers() -> Document:
    """A short reply: one line per question, "Q2 – 14 days", nothing under any of them."""
    doc = Document()
    para(doc, "Response of the Cycling Trust")
    for line in ["Q1 – Yes", "Q2 – 14 days", "Q3 – No", "Q5 – Strongly agree"]:
        para(doc, line)
    return doc



def r44_form_ticked_by_hand() -> Document:
    """The department's form filled in as people do without the check boxes: an X typed over a
    box, "[x]", or the other options deleted; the comments under a "Comments:" label."""
    doc = Document()
    para(doc, "Response form", "Title")
    rows = [
        ("Do you agree that schools should limit the number of branded items a pupil must have "
         "to three, not counting ties?", "Yes X   No ☐   Not sure ☐", "Blazers are the cost."),
        ("Should the limit of three branded items also apply to PE kit?",
         "Yes ☐   No [x]   Not sure ☐", "PE kit is plain already."),
        ("What effect would a limit on branded items have on uniform suppliers?", "",
         "Little effect."),
        ("How easy or difficult is it for parents at your school to obtain second-hand "
         "uniform?", "Fairly easy", "There is a sale each term."),
    ]
    for number, (text, ticks, comment) in enumerate(rows, start=1):
        table = doc.add_table(rows=3, cols=1)
        table.style = "Table Grid"
        cell = table.rows[0].cells[0]
        cell.paragraphs[0].add_run(f"Question {number}").bold = True
        cell.add_paragraph(text)
        table.rows[1].cells[0].text = ticks
        table.rows[2].cells[0].text = "Comments:"
        table.rows[2].cells[0].add_paragraph(comment)
        para(doc)
    return doc


DOCUMENTS = {
    "paper-home-office-boxes-annex.docx": p1_home_office_boxes_annex,
    "paper-mhclg-inline.docx": p2_mhclg_inline_questions,
    "paper-response-form-tables.docx": p3_dfe_response_form_tables,
    "paper-lords-lettered.docx": p4_lords_call_for_evidence,
    "paper-commons-issue-bullets.docx": p5_commons_issues_as_bullets,
    "paper-scotgov-tickboxes.docx": p6_scotgov_tickbox_pdf_source,
    "paper-defra-options.docx": p7_defra_options_pdf_source,
    "paper-government-response.docx": p8_government_response_summary,
    "paper-welsh-numbered.docx": p9_welsh_numbered_list,
    "paper-question-bullets.docx": p10_bullets_with_question_marks,
    "response-association-headings.docx": r1_association_repeats_questions,
    "response-council-qdot.docx": r2_council_letter_qdot,
    "response-question-table.docx": r3_law_society_table,
    "response-written-evidence.docx": r4_written_evidence_numbered_paragraphs,
    "response-issue-words.docx": r5_issues_response,
    "response-ticked-form.docx": r6_filled_tickbox_form_pdf_source,
    "response-combined-markers.docx": r7_combined_markers,
    "response-numbered-headings.docx": r9_numbered_headings_topics,
    "response-charity-letter.docx": r10_pdf_letter_source,
    "response-filled-form.docx": r11_filled_response_form,
    "paper-annex-table.docx": p11_annex_table,
    "paper-question-headings.docx": p12_question_headings_bullet_options,
    "paper-lettered-numbers.docx": p13_lettered_sub_questions,
    "paper-law-commission.docx": p14_law_commission,
    "paper-agree-scale-table.docx": p18_agree_scale_table,
    "response-email-numbers.docx": r12_email_bare_numbers,
    "response-law-commission.docx": r13_law_commission_response,
    "response-label-line.docx": r16_response_label,
    "response-in-response-to.docx": r19_in_response_to,
    "response-numbered-topics.docx": r20_numbered_topic_headings,
    "response-stances.docx": r24_stances,
    "response-numbered-sections.docx": r26_numbered_sections,
    "response-three-columns.docx": r27_three_column_table,
    "paper-word-question-numbering.docx": p21_word_question_numbering,
    "paper-tick-all.docx": p22_tick_all_bullets,
    "response-numbered-paragraphs.docx": r28_numbered_paragraphs_under_headings,
    "response-mixed-markers.docx": r29_mixed_markers,
    "response-word-checkboxes.docx": r33_word_checkboxes,
    "paper-chapter-numbered.docx": p24_chapter_numbered,
    "response-chapter-numbered.docx": r35_chapter_numbered_response,
    "paper-bilingual-form.docx": p25_bilingual_form,
    "paper-bilingual-english-first.docx": p25b_bilingual_english_first,
    "response-positions-first.docx": r34_positions_then_prose,
    "response-recommendations-after.docx": r36_recommendations_after,
    "response-copied-wording.docx": r37_copied_wording,
    "paper-issues-sub-bullets.docx": p26_issues_with_sub_bullets,
    "response-issues-quoted.docx": r38_issues_quoted,
    "response-position-phrasings.docx": r40_position_phrasings,
    "response-ordinal-questions.docx": r41_ordinal_questions,
    "response-short-answers.docx": r43_short_answers,
    "response-ticked-by-hand.docx": r44_form_ticked_by_hand,
}
DRAWN_PDFS = {
    "paper-question-across-pages.pdf": p19_question_across_pages,
    "response-across-pages.pdf": r21_letter_across_pages,
    "response-fillable-form.pdf": r39_fillable_pdf,
}
WORKBOOKS = {
    "response-own-spreadsheet.xlsx": r8_partner_spreadsheet,
    "paper-sheet-options.xlsx": p16_sheet_with_options,
    "response-position-column.xlsx": r18_sheet_position_column,
    "response-cover-sheet.xlsx": r30_workbook_with_cover,
    "paper-sheet-own-words.xlsx": p27_sheet_own_words,
    "response-survey-export.xlsx": r42_survey_export,
}
# Word documents also kept as PDF, as partners and GOV.UK save them.
ALSO_PDF = [
    "paper-home-office-boxes-annex.docx",
    "paper-lords-lettered.docx",
    "response-council-qdot.docx",
    "response-filled-form.docx",
    "paper-response-form-tables.docx",
    "paper-welsh-numbered.docx",
    "paper-word-question-numbering.docx",
    "response-question-table.docx",
    "response-numbered-paragraphs.docx",
    "response-three-columns.docx",
    "response-numbered-headings.docx",
    "response-written-evidence.docx",
    "response-association-headings.docx",
    "response-stances.docx",
    "response-mixed-markers.docx",
    "response-numbered-sections.docx",
    "response-law-commission.docx",
    "response-label-line.docx",
    "response-email-numbers.docx",
    "paper-mhclg-inline.docx",
    "paper-commons-issue-bullets.docx",
    "paper-question-bullets.docx",
    "paper-tick-all.docx",
    "paper-law-commission.docx",
    "paper-lettered-numbers.docx",
    "paper-agree-scale-table.docx",
    "paper-annex-table.docx",
    "paper-government-response.docx",
    "paper-chapter-numbered.docx",
    "response-chapter-numbered.docx",
    "paper-bilingual-form.docx",
    "response-positions-first.docx",
    "response-recommendations-after.docx",
    "response-copied-wording.docx",
    "paper-issues-sub-bullets.docx",
    "response-issues-quoted.docx",
]
TO_PDF = [
    "paper-question-headings.docx",
    "response-in-response-to.docx",
    "paper-scotgov-tickboxes.docx",
    "paper-defra-options.docx",
    "response-ticked-form.docx",
    "response-charity-letter.docx",
]


def main() -> None:
    for name, build in DOCUMENTS.items():
        doc = build()
        for style in ("Normal",):
            doc.styles[style].font.size = Pt(11)
        doc.save(HERE / name)
    for name, build in WORKBOOKS.items():
        build().save(HERE / name)
    # Excel's "CSV (Comma delimited)" writes Windows-1252: "’" is one byte, 0x92.
    (HERE / "paper-excel-export.csv").write_bytes(P20_CSV.encode("cp1252"))
    sys.path.insert(0, str(HERE.parents[2]))  # tests/, for pdf_builder
    for name, draw in DRAWN_PDFS.items():
        (HERE / name).write_bytes(draw())
    if "--pdf" in sys.argv:
        for name in ALSO_PDF:
            copy = HERE / name.replace(".docx", "-pdf.docx")
            copy.write_bytes((HERE / name).read_bytes())
            TO_PDF.append(copy.name)
        subprocess.run(
            [
                "soffice",
                "-env:UserInstallation=file:///tmp/heldout-lo",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(HERE),
            ]
            + [str(HERE / name) for name in TO_PDF],
            check=True,
        )
        for name in TO_PDF:  # the PDF stands for the document; the Word source is not kept
            (HERE / name).unlink()


if __name__ == "__main__":
    main()
