"""Every download button of every role, clicked in Debian's Chromium against the running app, and
every file it gives opened: the officer's evidence file, a partner's copy and template, the draft,
both Excel exports, the approved response and the audit trail; the board's draft and approved
response; a partner's template, own copy and the approved response once sent.
(Files built on click run in a Streamlit worker thread: consultations/pages/downloads.py.)"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect

from exports.approval import APPROVE
from tests.board_world import build_board, send
from tests.conftest import PASSWORD
from tests.test_approval import decide
from tests.test_board_journey import email_of
from tests.test_downloads import EVIDENCE, with_evidence_file
from tests.test_seen_by_a_new_user import sent

pytestmark = [pytest.mark.browser, pytest.mark.slow]
# Generous for a loaded machine: each wait ends as soon as its condition holds.
WAIT = 60_000


def settled(page: Page) -> None:
    """Wait until Streamlit has finished the run: no element still loading or stale, no
    running icon (a deferred download's file id changes with each run of the page)."""
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=WAIT)
    expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=WAIT)
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=WAIT)


def logged_in(browser: Browser, address: str, email: str, heading: str) -> Page:
    """A browser of the person's own, logged in and on their start page."""
    page = browser.new_context(viewport={"width": 1300, "height": 1000}).new_page()
    page.set_default_timeout(WAIT)
    page.goto(address)
    page.get_by_role("textbox", name="Email address", exact=True).fill(email)
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    settled(page)
    return page


def open_at(page: Page, url: str, heading: str) -> None:
    page.goto(url)
    expect(page.get_by_role("heading", name=heading).first).to_be_visible()
    settled(page)


def downloaded(page: Page, label: str) -> tuple[str, bytes]:
    """Click the download button and return the file's name and bytes."""
    button = page.get_by_role("button", name=label, exact=True)
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=WAIT) as download:
        button.click()
    return download.value.suggested_filename, Path(download.value.path()).read_bytes()


def words(data: bytes) -> str:
    """The paragraphs of a .docx, which must open."""
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def cells(data: bytes) -> str:
    """Every cell of an .xlsx, which must open."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return repr([list(sheet.values) for sheet in book.worksheets])


def test_every_role_downloads_every_file_it_is_offered_and_each_opens(
    live_app, engine, browser_page: Page, monkeypatch
):
    monkeypatch.delenv("WORKBENCH_APPROVAL_RULE", raising=False)
    board = build_board(engine)
    with_evidence_file(board)
    send(board)
    browser = browser_page.context.browser
    cid, organisation = board.cid, board.world.organisations[0]

    # The officer: the evidence file a partner sent, the copy of what they submitted and the
    # template on their behalf, the draft and both Excel exports.
    officer = logged_in(browser, live_app, email_of(engine, board.officer), "Consultations")
    open_at(
        officer,
        f"{live_app}/answer?consultation={cid}&organisation={organisation}",
        "Evidence files",
    )
    assert downloaded(officer, "Download") == ("waiting-lists.csv", EVIDENCE)
    name, data = downloaded(officer, "Download a copy of what was submitted (.docx)")
    assert name.endswith(".docx") and "Partner organisation 1" in words(data)
    officer.get_by_text("Prefer a spreadsheet? Answer in Excel and upload it").click()
    name, data = downloaded(officer, "Download the Excel template")
    assert name.endswith(".xlsx") and "Partner organisation 1" in cells(data)
    open_at(officer, f"{live_app}/draft?consultation={cid}", "Draft response")
    name, data = downloaded(officer, "Download the draft (.docx)")
    assert name.endswith("-draft-v1.docx") and "Partner organisation 1" in words(data)
    name, data = downloaded(officer, "Download the answers (.xlsx)")
    assert name.endswith("-answers.xlsx") and "Partner organisation 1" in cells(data)
    name, data = downloaded(officer, "Download for sharing (.xlsx)")
    assert name.endswith("-answers-anonymised.xlsx")
    assert "Partner 1" in cells(data) and "Partner organisation 1" not in cells(data)

    # A board member: the version sent for review; then, once the chair approved, the response.
    member = logged_in(browser, live_app, email_of(engine, board.member), "Consultations")
    open_at(member, f"{live_app}/board_review?consultation={cid}", "Review the draft response")
    name, data = downloaded(member, "Download version 1 (.docx)")
    assert name == "family-migration-a-consultation-draft-v1-for-review.docx"
    assert "Partner organisation 1" in words(data)
    decide(board, board.chair, APPROVE)
    open_at(member, f"{live_app}/response?consultation={cid}", "The approved response")
    name, approved = downloaded(member, "Download the approved response (.docx)")
    assert name.endswith(".docx") and "Partner organisation 1" in words(approved)

    # The officer downloads the same approved document from the approval page, records it as
    # sent, and downloads the audit trail, which says what happened in words.
    open_at(officer, f"{live_app}/approval?consultation={cid}", "Board approval")
    assert downloaded(officer, "Download the approved response (.docx)")[1] == approved
    sent(board)
    open_at(officer, f"{live_app}/audit", "Audit trail")
    name, data = downloaded(officer, "Download these events (.csv)")
    trail = data.decode("utf-8-sig")
    assert name.startswith("audit-trail-") and "Recorded the approved response as sent" in trail

    # A partner: the copy of what they submitted, and the Excel template.
    partner = logged_in(
        browser, live_app, email_of(engine, board.partners[0]), "Your consultations"
    )
    open_at(partner, f"{live_app}/answer?consultation={cid}", "Evidence files")
    name, data = downloaded(partner, "Download a copy of what you submitted (.docx)")
    assert name.endswith(".docx") and "Partner organisation 1" in words(data)
    partner.get_by_text("Prefer a spreadsheet? Answer in Excel and upload it").click()
    name, data = downloaded(partner, "Download the Excel template")
    assert name.endswith(".xlsx") and "Partner organisation 1" in cells(data)
    # Once it is sent, the partner downloads the approved response too.
    open_at(partner, f"{live_app}/response?consultation={cid}", "The approved response")
    assert downloaded(partner, "Download the approved response (.docx)")[1] == approved
