"""Received email, rendered in Debian's Chromium as a mail program would show its HTML part: it
reads as written, fetches nothing from anywhere, and runs nothing a person wrote."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from consultations.db import read_scope, session_scope
from consultations.mail.sender import send_due, transport_for
from consultations.models import User
from tests.board_world import build_in_review
from tests.tagging_world import NRPF_BELFAST, build_world, save
from tests.test_mail_messages import HOSTILE, POSTBOX, submit_with
from tests.test_mail_sender import config_for

pytestmark = [pytest.mark.browser, pytest.mark.slow]
# Where the screenshots go: a folder of the tests' own, or MAIL_SHOTS to keep them.
SHOTS_ENV = "MAIL_SHOTS"


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get(SHOTS_ENV) or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def render(browser_page, html: str, path: Path, screenshot: Path) -> list[str]:
    """Open the HTML in Chromium from a file, as a mail program shows it; return every request
    the page made besides the file itself, and keep a screenshot."""
    path.write_text(html, encoding="utf-8")
    requests: list[str] = []
    dialogs: list[str] = []
    browser_page.on("request", lambda request: requests.append(request.url))
    browser_page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    browser_page.set_viewport_size({"width": 760, "height": 1000})
    browser_page.goto(path.as_uri())
    browser_page.wait_for_load_state("networkidle")
    browser_page.screenshot(path=str(screenshot), full_page=True)
    assert dialogs == [], "a script in the message ran"
    return [url for url in requests if url != path.as_uri()]


def test_a_receipt_renders_as_written_and_fetches_nothing(
    engine, smtp_server, tmp_path, browser_page
):
    world = build_world(engine)
    save(world, 0, 0, NRPF_BELFAST)
    submit_with(world, 0, "sector")
    send_due(engine, transport_for(config_for(smtp_server, tmp_path)), max_attempts=3)
    with read_scope(engine) as session:
        partner = session.get(User, world.partners[0]).email
    [receipt] = [r for r in smtp_server.catcher.wait_for(2) if r.to == partner]
    fetched = render(
        browser_page,
        receipt.part("text/html"),
        tmp_path / "receipt.html",
        shots(tmp_path) / "email-receipt.png",
    )
    assert fetched == []
    body = browser_page.locator("body").inner_text()
    assert "NI Strategic Migration Partnership" in body
    assert "Thank you. The partnership has received Partner organisation 1's response" in body
    assert "How the partnership may quote you" in body
    button = browser_page.get_by_role("link", name="See your response")
    assert button.get_attribute("href").startswith("https://workbench.nismp.test/answer?")
    assert browser_page.locator("img").count() == 0


def test_a_board_alert_with_hostile_words_shows_them_as_text(
    engine, smtp_server, tmp_path, browser_page
):
    build_in_review(engine, note=HOSTILE, postbox=POSTBOX)
    send_due(engine, transport_for(config_for(smtp_server, tmp_path)), max_attempts=3)
    received = smtp_server.catcher.wait_for(2)
    fetched = render(
        browser_page,
        received[0].part("text/html"),
        tmp_path / "review.html",
        shots(tmp_path) / "email-board-review.png",
    )
    assert fetched == []  # the <img src="https://tracker.example/p.gif"> is text, not an image
    quote = browser_page.locator("blockquote").inner_text()
    assert '<script>alert("x")</script>' in quote
    assert '<img src="https://tracker.example/p.gif">' in quote
    assert browser_page.locator("script, img").count() == 0


@pytest.fixture
def mail_settings(monkeypatch, smtp_server):
    """The app started by live_app sends through the test SMTP server."""
    for name, value in smtp_server.settings().items():
        monkeypatch.setenv(name, value)
    return smtp_server


def test_a_forgotten_password_is_reset_from_the_login_page_and_the_login_survives_a_reload(
    mail_settings, live_app, engine, browser_page, tmp_path
):
    import re

    from playwright.sync_api import expect

    from tests.conftest import add_person

    with session_scope(engine) as session:
        person = add_person(session, "partner", email="orla@midulster.example.org")
        person.name = "Orla Quinn"
    page = browser_page
    page.goto(live_app)
    page.get_by_role("link", name="Forgotten your password?").click(timeout=30_000)
    expect(page.get_by_role("button", name="Email me a link")).to_be_visible(timeout=30_000)
    settled(page)
    page.get_by_role("textbox", name="Email address").fill("Orla@MidUlster.example.org")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_text("If that address belongs to an account")).to_be_visible(timeout=30_000)
    page.screenshot(path=str(shots(tmp_path) / "reset-asked.png"))
    [received] = mail_settings.catcher.wait_for(1, timeout=60)
    assert received.to == "orla@midulster.example.org"
    link = re.search(r"http://\S+/reset_password\?token=[\w\-]+", received.part("text/plain"))
    page.goto(link.group(0))
    expect(page.get_by_text("Choose a new password for orla@midulster.example.org")).to_be_visible(
        timeout=30_000
    )
    settled(page)
    page.get_by_role("textbox", name="New password", exact=True).fill("a new long password 2026")
    page.get_by_role("textbox", name="Type the new password again").fill("a new long password 2026")
    page.get_by_role("button", name="Set the new password and log in").click()
    expect(page.get_by_text("Your new password is set and you are logged in.")).to_be_visible(
        timeout=30_000
    )
    page.reload()
    expect(page.get_by_role("heading", name="Your consultations", exact=True)).to_be_visible(
        timeout=30_000
    )
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    # The link worked once.
    page.get_by_role("button", name="Log out").click()
    # The logout is done (login form drawn, cookie gone) before the link is opened again:
    # otherwise the cookie could still log the person in on the next page.
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    page.wait_for_function("!document.cookie.includes('workbench_login=')", timeout=20_000)
    page.goto(link.group(0))
    expect(page.get_by_text("may have been used already")).to_be_visible(timeout=30_000)


def test_a_partner_downloads_a_copy_of_what_they_submitted_in_chromium(
    live_app, engine, browser_page, tmp_path
):
    import io

    import docx
    from playwright.sync_api import expect

    from tests.conftest import PASSWORD

    world = build_world(engine)
    save(world, 0, 0, NRPF_BELFAST)
    submit_with(world, 0, "anonymous", postbox=None)
    with read_scope(engine) as session:
        email = session.get(User, world.partners[0]).email
    page = browser_page
    page.goto(live_app)
    expect(page.get_by_role("button", name="Log in")).to_be_visible(timeout=30_000)
    settled(page)
    page.get_by_role("textbox", name="Email address").fill(email)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your consultations", exact=True)).to_be_visible(
        timeout=30_000
    )
    page.goto(f"{live_app}/answer?consultation={world.consultation}")
    expect(page.get_by_text("How the partnership may quote you:")).to_be_visible(timeout=30_000)
    settled(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download a copy of what you submitted (.docx)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == (
        "partner-organisation-1-response-to-family-migration-a-consultation-submission-1.docx"
    )
    paragraphs = [p.text for p in docx.Document(io.BytesIO(saved.read_bytes())).paragraphs]
    assert NRPF_BELFAST in paragraphs
    assert any(p.startswith("How the partnership may quote you: Not at all") for p in paragraphs)


def settled(page) -> None:
    """Wait until Streamlit has finished the run, so that what is typed next is kept."""
    from playwright.sync_api import expect

    expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=30_000)
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=30_000)
