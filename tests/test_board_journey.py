"""The board's journey in Debian's Chromium through Playwright: a member reads a point's
evidence and requests changes; the officer makes version 2 and sends it; the chair approves;
the officer records it as sent; a partner downloads the approved response."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from consultations.db import read_scope, session_scope
from consultations.models import User
from exports.draft_model import Block
from exports.drafts import draft_of, latest, save_section
from exports.models import Approval
from tests.board_world import build_in_review
from tests.browsing import open_tab
from tests.conftest import PASSWORD, later

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def log_in(page: Page, address: str, email: str, heading: str = "Consultations") -> None:
    page.goto(address)
    page.get_by_role("textbox", name="Email address", exact=True).fill(email)
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()


def email_of(engine, person_id: int) -> str:
    with read_scope(engine) as session:
        return session.get(User, person_id).email


@pytest.mark.every_database  # the whole approval, from review to a partner's download
def test_board_reviews_requests_changes_approves_version_two_and_a_partner_downloads_it(
    live_app, engine, browser_page: Page, monkeypatch
):
    monkeypatch.delenv("WORKBENCH_APPROVAL_RULE", raising=False)
    board = build_in_review(engine)
    page = browser_page

    # A board member opens the draft from their home page, reads a point's evidence, and
    # requests changes.
    log_in(page, live_app, email_of(engine, board.member))
    expect(page.get_by_text("Awaiting your review")).to_be_visible()
    page.get_by_role("link", name="Read and review the draft").click()
    expect(page.get_by_role("heading", name="Review the draft response")).to_be_visible()
    page.get_by_role("combobox", name="Section").click()
    page.get_by_role("option", name=re.compile(r"^Question 1\b")).click()
    page.get_by_text("behind this").first.click()
    expect(page.get_by_text("Partner organisation 1").first).to_be_visible()
    open_tab(page, "Your decision")
    page.get_by_text("Request changes").click()
    page.get_by_role("textbox", name="What should change (needed)").fill(
        "Add a recommendation on NRPF."
    )
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_text("Your request for changes is recorded")).to_be_visible()
    log_out(page)

    # The officer makes version 2 (the draft page's own journey is tested elsewhere) and sends
    # it to the board from the approval page.
    with session_scope(engine) as session:
        newest = latest(session, board.cid)
        section = draft_of(newest).section("recommendations")
        save_section(
            session,
            session.get(User, board.officer),
            board.cid,
            replace(section, blocks=[Block("paragraph", "Fund NRPF support in Belfast.")]),
            seen=newest.number,
            now=later(hours=4),
        )
    log_in(page, live_app, email_of(engine, board.officer))
    page.goto(f"{live_app}/approval?consultation={board.cid}")
    page.get_by_role("button", name="Send version 2 for review").click()
    expect(
        page.get_by_text("Version 2 is with the board. Its members have been told.")
    ).to_be_visible()
    log_out(page)

    # The chair approves version 2.
    log_in(page, live_app, email_of(engine, board.chair))
    page.goto(f"{live_app}/board_review?consultation={board.cid}")
    open_tab(page, "Your decision")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_text("Version 2 was approved on")).to_be_visible()
    log_out(page)

    # The officer sees the hash and records the response as sent.
    with read_scope(engine) as session:
        sha = session.scalar(select(Approval.sha256))
    log_in(page, live_app, email_of(engine, board.officer))
    page.goto(f"{live_app}/approval?consultation={board.cid}")
    expect(page.get_by_text(sha)).to_be_visible()
    page.get_by_role("textbox", name="The department's reference (optional)").fill("HO/42")
    page.get_by_role("button", name="Record as sent").click()
    expect(page.get_by_text("Recorded as sent.")).to_be_visible()
    log_out(page)

    # A partner downloads the approved response: the exact bytes the board approved.
    log_in(page, live_app, email_of(engine, board.partners[0]), heading="Your consultations")
    page.get_by_role("link", name="Read and download the approved response").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the approved response (.docx)").click()
    data = Path(download.value.path()).read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha
