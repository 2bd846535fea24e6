"""Journeys a person makes, in Debian's Chromium through Playwright, against the running app."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from consultations.db import session_scope
from tests.conftest import PASSWORD, add_person

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
    fill_date(page, "Partner deadline", "11/12/2026")
    fill_date(page, "Government closing date", "24/12/2026")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Partners' deadline: Friday 11 December 2026")).to_be_visible()

    page.get_by_role("link", name="Questions").click()
    page.get_by_role("tab", name="Import questions from a file").click()
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
