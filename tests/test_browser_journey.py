"""Journeys a person makes, in Debian's Chromium through Playwright, against the running app."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta
from pathlib import Path
from unittest.mock import ANY

import pytest
from docx import Document
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from consultations.accounts import invite_person
from consultations.consultation import move_consultation
from consultations.dates import plain_date, uk_today
from consultations.db import session_scope, utcnow
from consultations.models import User
from consultations.questions import QuestionForm, save_questions
from evidence.models import Submission
from evidence.submissions import AnswerInput, save_answer, submit
from evidence.tagging import tagging_status
from tests.browsing import open_tab
from tests.conftest import (
    CLOSES_ON,
    NOW,
    PARTNER_DEADLINE,
    PASSWORD,
    add_consultation,
    add_organisation,
    add_person,
)
from tests.tagging_world import (
    CHILDREN,
    ESOL,
    HOTELS,
    NRPF_BELFAST,
    SPOUSE_VISAS,
    TODAY,
    build_world,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def consultation_document() -> bytes:
    """A small consultation document with three numbered questions."""
    document = Document()
    document.add_heading("Asylum accommodation: working with councils", 0)
    document.add_paragraph("Please send your answers by the closing date.")
    for number, text in enumerate(
        [
            "How should the Home Office involve councils before opening new accommodation?",
            "Do you agree that accommodation should be spread across all council areas?",
            "What support do councils need when people receive a decision on their claim?",
        ],
        start=1,
    ):
        document.add_paragraph(f"Question {number}: {text}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def log_in(page: Page, address: str, email: str) -> None:
    page.goto(address)
    page.get_by_role("textbox", name="Email address", exact=True).fill(email)
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Consultations", exact=True)).to_be_visible()


def fill_date(page: Page, label: str, day_month_year: str) -> None:
    """Type a date into Streamlit's date field (day, month and year boxes that auto-advance)."""
    page.get_by_role("spinbutton", name=f"day, {label}").click()
    page.keyboard.type(day_month_year.replace("/", ""))
    page.keyboard.press("Tab")


def test_officer_stays_logged_in_sets_up_a_consultation_imports_questions_and_logs_out(
    live_app, engine, browser_page: Page, tmp_path
):
    with session_scope(engine) as session:
        add_person(session, "officer", email="officer@example.org")
    page = browser_page
    log_in(page, live_app, "officer@example.org")

    page.reload()
    expect(page.get_by_role("heading", name="Consultations", exact=True)).to_be_visible()
    expect(page.get_by_text("Test Officer")).to_be_visible()

    page.get_by_role("link", name="Set up a consultation").click()
    page.get_by_role("textbox", name="Title", exact=True).fill(
        "Asylum accommodation: working with councils"
    )
    fill_date(page, "Partner deadline", f"{PARTNER_DEADLINE:%d/%m/%Y}")
    fill_date(page, "Government closing date", f"{CLOSES_ON:%d/%m/%Y}")
    page.get_by_role("button", name="Save").click()
    deadline = f"Partners' deadline: {plain_date(PARTNER_DEADLINE)}"
    expect(page.get_by_text(deadline)).to_be_visible()

    page.get_by_role("link", name="Questions").click()
    open_tab(page, "Import questions from a file")
    upload = tmp_path / "consultation.docx"
    upload.write_bytes(consultation_document())
    page.locator("input[type=file]").set_input_files(str(upload))
    expect(page.get_by_text("Found 3 questions in consultation.docx")).to_be_visible()
    page.get_by_role("button", name="Add these 3 questions").click()
    expect(page.get_by_text("Added 3 questions from consultation.docx")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"^Q2\. Do you agree that accommodation")).first
    ).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    page.reload()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    expect(page.get_by_text("Test Officer")).to_have_count(0)


def small_pdf(text: str) -> bytes:
    """A valid one-page PDF that shows a line of text (the cross-reference offsets are exact)."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


SHOTS = Path("/tmp/journey")


def settled(page: Page) -> None:
    """Wait until Streamlit has finished the run: no stale elements left, no running icon."""
    expect(page.locator("[data-stale='true']")).to_have_count(0)
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0)


def grid_row(page: Page, containing: str) -> Locator:
    """A row of a data grid. The grid draws on a canvas; once it is on screen it keeps a
    hidden table of its visible cells for screen readers, which is what this reads."""
    return page.get_by_test_id("stDataFrame").first.locator("tr").filter(has_text=containing)


def grid_cell(page: Page, row: str, column: str) -> Locator:
    """The cell of a data grid in the row containing `row`, under the header `column`."""
    header = page.get_by_test_id("stDataFrame").first.locator(
        "th", has_text=re.compile(rf"^{re.escape(column)}$")
    )
    index = header.get_attribute("aria-colindex")
    return grid_row(page, row).locator(f"td[aria-colindex='{index}']")


def shot(page: Page, name: str, *, showing: Locator | None = None) -> None:
    """Keep a screenshot of what the person sees (scrolled to `showing`), for a human to read."""
    settled(page)
    if showing is not None:
        showing.scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def next_question(page: Page) -> None:
    """Press the one 'Save and go to the next question' (the last question's is gone first)."""
    button = page.get_by_role("button", name="Save and go to the next question")
    expect(button).to_have_count(1)
    button.click()


def test_partner_joins_by_invite_answers_attaches_a_pdf_submits_and_the_officer_sees_it(
    live_app, engine, browser_page: Page, tmp_path
):
    today = uk_today()
    with session_scope(engine) as session:
        officer = add_person(session, "officer", email="officer@example.org")
        trust = add_organisation(
            session, "Northern Health and Social Care Trust", "health", "Antrim"
        )
        add_organisation(session, "Derry City and Strabane District Council")
        consultation = add_consultation(
            session,
            officer,
            questions=0,
            opens_on=today - timedelta(days=7),
            partner_deadline=today + timedelta(days=14),
            closes_on=today + timedelta(days=28),
        )
        save_questions(
            session,
            officer,
            consultation.id,
            [
                QuestionForm(
                    "Q1",
                    "Do you agree that the minimum income for a partner visa should rise?",
                    "closed",
                    ("Agree", "Disagree", "Don't know"),
                ),
                QuestionForm("Q2", "What would the change mean for the families you support?"),
                QuestionForm(
                    "Q3",
                    "Should children's needs be considered in every family decision?",
                    "hybrid",
                ),
            ],
            now=utcnow(),
            source="test",
        )
        move_consultation(session, officer, consultation.id, "open", now=utcnow())
        _, token = invite_person(
            session,
            officer,
            email="niamh.kelly@northerntrust.example",
            name="Niamh Kelly",
            role="partner",
            organisation_id=trust.id,
            now=utcnow(),
            valid_for=timedelta(days=14),
        )
        cid, trust_id = consultation.id, trust.id
    page = browser_page

    # The invite link: welcome, choose a password, land on the partner's home.
    page.goto(f"{live_app}/accept_invite?token={token}")
    expect(page.get_by_text("Welcome, Niamh Kelly.")).to_be_visible()
    expect(page.get_by_text("for Northern Health and Social Care Trust")).to_be_visible()
    shot(page, "01-invite")
    page.get_by_role("textbox", name="Choose a password", exact=True).fill(PASSWORD)
    page.get_by_role("textbox", name="Type the password again", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Set password and log in").click()
    expect(page.get_by_role("heading", name="Your consultations", exact=True)).to_be_visible()
    expect(page.get_by_text("Your password is set and you are logged in.")).to_be_visible()
    expect(page.get_by_text("Family migration: a consultation")).to_be_visible()
    expect(page.get_by_text("0 of 3 questions answered")).to_be_visible()
    expect(page.get_by_text("Status: not started")).to_be_visible()
    shot(page, "02-partner-home")

    # Answer three questions, moving between them (which saves), and saving the last.
    page.get_by_role("link", name="Open and answer").click()
    expect(page.get_by_text("Do you agree that the minimum income")).to_be_visible()
    page.get_by_role("radiogroup", name="Your position").get_by_text("Disagree").click()
    page.get_by_role("textbox", name="Your comment").fill(
        "A higher threshold would split families in Antrim whose income is below the UK median."
    )
    shot(page, "03-question-1")
    next_question(page)
    expect(page.get_by_text("What would the change mean for the families")).to_be_visible()
    expect(page.get_by_role("radiogroup", name="Your position")).to_have_count(0)
    page.get_by_role("textbox", name="Your comment").fill(
        "Health visitors see stress and separation; 40 families a year would be affected."
    )
    next_question(page)
    expect(page.get_by_text("Should children's needs be considered")).to_be_visible()
    page.get_by_role("radiogroup", name="Your position").get_by_text("Agree", exact=True).click()
    page.get_by_role("textbox", name="Your comment").fill(
        "Yes: a child's best interests should be weighed in every decision."
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    expect(page.get_by_text("3 of 3 questions answered")).to_be_visible()
    picker = page.get_by_role("combobox", name="Question")
    expect(picker).to_have_value(re.compile(r"^✓ Q3: Should children's needs"))
    shot(page, "04-answered")

    # Attach a small PDF as evidence.
    evidence = tmp_path / "family-income-survey.pdf"
    evidence.write_bytes(small_pdf("Family income survey, Northern Trust, 2026"))
    page.get_by_test_id("stFileUploader").filter(has_text="Add a file").locator(
        "input[type=file]"
    ).set_input_files(str(evidence))
    page.get_by_role("button", name="Attach this file").click()
    expect(page.get_by_text("Attached family-income-survey.pdf.")).to_be_visible()
    expect(
        page.get_by_text(
            re.compile(
                r"^family-income-survey\.pdf \([\d.,]+ (bytes|KB)\), added .* by Niamh Kelly$"
            )
        )
    ).to_be_visible()
    expect(page.get_by_role("button", name="Attach this file")).to_have_count(0)  # emptied
    expect(picker).to_have_value(re.compile(r"^✓ Q3: "))
    shot(page, "05-attached", showing=page.get_by_text("Attached family-income-survey.pdf."))

    # Choose how to be quoted, confirm the summary and submit.
    page.get_by_role("radiogroup", name="How may the partnership quote you").get_by_text(
        "By our sector only"
    ).click()
    page.get_by_text("I have checked the answers above and want to submit them.").click()
    expect(page.get_by_role("button", name="Submit our response")).to_be_enabled()
    settled(page)
    page.get_by_role("heading", name="Submit your response").scroll_into_view_if_needed()
    expect(grid_row(page, "Q1")).to_contain_text("Disagree")
    expect(grid_row(page, "Q2")).to_contain_text("Health visitors see stress")
    expect(grid_row(page, "Q3")).to_contain_text("Agree")
    shot(page, "06-before-submit")
    page.get_by_role("button", name="Submit our response").click()
    expect(page.get_by_text("Submitted. Thank you")).to_be_visible()
    shot(page, "07-submitted", showing=page.get_by_text("Submitted. Thank you"))

    with session_scope(engine) as session:
        submission = session.scalar(
            select(Submission).where(
                Submission.consultation_id == cid, Submission.organisation_id == trust_id
            )
        )
        assert submission.status == "submitted"
        assert submission.consent == "sector"
        assert submission.submitted_by.name == "Niamh Kelly"
        answers = {a.question.number: (a.position, a.text) for a in submission.answers}
        assert answers == {
            "Q1": ("Disagree", ANY),
            "Q2": ("", ANY),
            "Q3": ("Agree", ANY),
        }
        assert answers["Q2"][1].startswith("Health visitors see stress")
        [attachment] = submission.attachments
        assert attachment.name == "family-income-survey.pdf"
        assert attachment.kind == "pdf"
        assert attachment.sha256 == hashlib.sha256(evidence.read_bytes()).hexdigest()
        assert attachment.size == len(evidence.read_bytes())
        submitted_on = plain_date(submission.submitted_at)
    expect(page.get_by_text(f"submitted on {submitted_on} by Niamh Kelly")).to_be_visible()

    # The officer logs in and sees the organisation as submitted, with the date in words.
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    log_in(page, live_app, "officer@example.org")
    page.get_by_role("link", name="Responses").click()
    expect(page.get_by_role("heading", name="Responses", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stMetric").filter(has_text="Submitted")).to_contain_text("1 of 2")
    trust_name = "Northern Health and Social Care Trust"
    expect(grid_cell(page, trust_name, "Status")).to_have_text(
        f"submitted on {submitted_on} by Niamh Kelly"
    )
    expect(grid_cell(page, trust_name, "Answered")).to_have_text("3 of 3")
    expect(grid_cell(page, trust_name, "Last activity")).to_have_text(
        re.compile(rf"^{submitted_on} at \d\d:\d\d$")
    )
    expect(grid_cell(page, "Derry City", "Status")).to_have_text("not started")
    # Who has not submitted yet, with whom to remind: the council has no partner account.
    waiting = page.get_by_test_id("stDataFrame").nth(2)
    waiting.scroll_into_view_if_needed()
    expect(waiting.locator("tr").filter(has_text="Derry City")).to_contain_text(
        "no partner account yet: invite someone"
    )
    expect(waiting).not_to_contain_text("Northern Health")
    shot(page, "08-tracker")


DRAFT_SHOTS = Path("/tmp/draft_journey")
SLOW = 20_000  # ms, for the waits on a first page load or a draft being assembled


def draft_shot(page: Page, name: str, *, showing: Locator | None = None) -> None:
    """Keep a screenshot of the draft journey, scrolled to `showing`, for a human to read."""
    settled(page)
    if showing is not None:
        showing.scroll_into_view_if_needed()
    DRAFT_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DRAFT_SHOTS / f"{name}.png"))


def tagged_submitted_world(engine) -> tuple[int, str]:
    """A consultation of three questions answered and submitted by six partners in four
    sectors, every answer tagged on its save; return the consultation's id and the officer's
    email."""
    world = build_world(engine, organisations=3, prefix="Migrant support group")
    with session_scope(engine) as session:
        others = [
            add_organisation(session, *details)
            for details in (
                ("Belfast City Council", "local authority", "Belfast"),
                ("Western Health and Social Care Trust", "health", "Derry"),
                ("Radius Housing", "housing", "Newry"),
            )
        ]
        partners = [add_person(session, "partner", organisation=org).id for org in others]
        officer_email = session.get(User, world.officer).email
    everyone = world.partners + partners
    comments = (
        (NRPF_BELFAST, SPOUSE_VISAS, ESOL),
        (HOTELS, SPOUSE_VISAS, CHILDREN),
        (ESOL, NRPF_BELFAST, HOTELS),
        (NRPF_BELFAST, HOTELS, SPOUSE_VISAS),
        (CHILDREN, ESOL, NRPF_BELFAST),
        (HOTELS, CHILDREN, ESOL),
    )
    positions = ("Disagree", "Agree", "Disagree", "Don't know", "Disagree", "Agree")
    consents = ("named", "sector", "anonymous", "named", "sector", "named")
    for n, partner in enumerate(everyone):
        with session_scope(engine) as session:
            person = session.get(User, partner)
            for q, question in enumerate(world.questions):
                save_answer(
                    session,
                    person,
                    world.consultation,
                    AnswerInput(question, positions[(n + q) % 6], comments[n][q]),
                    seen_version=0,
                    today=TODAY,
                    now=NOW,
                )
            submit(session, person, world.consultation, consent=consents[n], today=TODAY, now=NOW)
    with session_scope(engine) as session:
        tagged = tagging_status(session, world.consultation)
    assert (tagged.answers, tagged.current) == (18, 18)  # the draft has themes to work from
    return world.consultation, officer_email


def test_officer_assembles_the_draft_edits_a_section_compares_versions_and_downloads_it(
    live_app, engine, browser_page: Page, tmp_path
):
    consultation, officer_email = tagged_submitted_world(engine)
    page = browser_page
    # The app's first page load imports everything: on a busy machine it can take longer than
    # an assertion's usual five seconds, so the first waits (and the assembly's) are longer.
    page.goto(live_app)
    expect(page.get_by_role("button", name="Log in")).to_be_visible(timeout=SLOW)
    log_in(page, live_app, officer_email)

    # No draft yet: one button assembles the first from the evidence. The page is opened by
    # its address (with every officer page listed, the sidebar folds some under "View more"),
    # once the browser holds the login cookie that keeps the officer logged in.
    page.wait_for_function("document.cookie.includes('workbench_login=')")
    page.goto(f"{live_app}/draft?consultation={consultation}")
    expect(page.get_by_role("heading", name="Draft response", exact=True)).to_be_visible(
        timeout=SLOW
    )
    expect(page.get_by_text("The first draft is assembled from the partners'")).to_be_visible()
    draft_shot(page, "01-before-assembly")
    page.get_by_role("button", name="Assemble the first draft").click()
    expect(page.get_by_text("A new version of the draft is ready.")).to_be_visible(timeout=SLOW)
    version = page.get_by_role("combobox", name="Version")
    expect(version).to_have_value(
        re.compile(r"^Version 1: First draft, assembled from the evidence \(Test Officer, ")
    )
    draft_shot(page, "02-assembled")

    # Pick the first question's section and reword its first point.
    section = page.get_by_role("combobox", name="Section")
    section.click()
    page.get_by_role("option", name=re.compile(r"^Question 1\b")).click()
    # The section's own words first: until the rerun ends, the old choice is still on screen.
    expect(page.get_by_role("textbox", name="Paragraph").first).to_have_value(
        "Do you agree with proposal 1?", timeout=SLOW
    )
    settled(page)
    expect(section).to_have_value(re.compile(r"^Question 1\b"))
    point = page.get_by_role("textbox", name="Point").first
    expect(point).to_have_value(re.compile(r"\w"))
    old_text = point.input_value()
    new_text = (
        "Partners told us that families with no recourse to public funds in Belfast are "
        "left destitute, and that asylum support rates are too low to live on."
    )
    assert old_text != new_text
    point.fill(new_text)
    page.get_by_role("textbox", name="Note for this version (optional)").fill(
        "Reworded the first point on Question 1"
    )
    draft_shot(page, "03-edited", showing=point)
    page.get_by_role("button", name="Save as a new version").click()

    # Version 2 is shown, in the Version choice and in the history.
    saved = re.compile(r"^Saved 'Question 1: [^']+' as a new version\.$")
    expect(page.get_by_text(saved)).to_be_visible(timeout=SLOW)
    expect(version).to_have_value(
        re.compile(r"^Version 2: Reworded the first point on Question 1 \(Test Officer, ")
    )
    expect(page.get_by_role("textbox", name="Point").first).to_have_value(new_text)
    draft_shot(page, "04-saved")
    open_tab(page, "History")
    settled(page)
    expect(grid_cell(page, "Reworded the first point", "Version")).to_have_text("2")
    expect(grid_cell(page, "Reworded the first point", "By")).to_have_text("Test Officer")
    expect(grid_cell(page, "First draft, assembled", "Version")).to_have_text("1")
    draft_shot(page, "05-history", showing=page.get_by_role("tab", name="History"))

    # The comparison marks the change: the old wording taken out, the new one added.
    open_tab(page, "Compare versions")
    # The cover's status line moved to "Draft v2", which is the version, not a change of words.
    expect(page.get_by_text("1 of 8 sections differs.")).to_be_visible()
    expect(page.get_by_text("Family migration: a consultation (changed)")).to_have_count(0)
    expect(page.get_by_text("+ Draft v2 for board review", exact=True)).to_have_count(0)
    changed = re.compile(r"^Question 1: .+ \(changed\)$")
    expect(page.get_by_text(changed)).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Question 2: .+ \(changed\)$"))).to_have_count(0)
    expect(page.get_by_text(f"− {old_text}", exact=True)).to_be_visible()
    expect(page.get_by_text(f"+ {new_text}", exact=True)).to_be_visible()
    draft_shot(page, "06-compare", showing=page.get_by_text(changed))

    # The .docx of version 2 carries the edit and its status in the footer.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the draft (.docx)").click()
    download = download_info.value
    assert download.suggested_filename == "family-migration-a-consultation-draft-v2.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    document = Document(str(saved))
    paragraphs = [p.text for p in document.paragraphs]
    assert new_text in paragraphs
    assert old_text not in paragraphs
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Draft v2 for board review")
    assert "Draft v2 for board review" in paragraphs  # the cover
