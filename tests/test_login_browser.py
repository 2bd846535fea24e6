"""Logging in through an invite or reset link, in Debian's Chromium against the running app:
the person is logged in and the browser keeps the login, so a reload keeps them in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from consultations.accounts import invite_person, reset_access
from consultations.db import session_scope, utcnow
from consultations.models import User
from tests.conftest import PASSWORD, add_organisation, add_person

pytestmark = [pytest.mark.browser, pytest.mark.slow]
NEW_PASSWORD = "a brand new passphrase for the browser"
SLOW = 30_000  # ms: the first page load imports everything, on a busy machine


def link_for(engine, how: str) -> str:
    """An invite link for a new partner, or a reset link for one who has a password."""
    with session_scope(engine) as session:
        officer = add_person(session, "officer", email="officer@example.org")
        council = add_organisation(session, "Mid Ulster District Council")
        if how == "invite":
            _, token = invite_person(
                session,
                officer,
                email="orla@midulster.example.org",
                name="Orla Quinn",
                role="partner",
                organisation_id=council.id,
                now=utcnow(),
                valid_for=timedelta(days=7),
            )
            return token
        partner = add_person(
            session, "partner", email="orla@midulster.example.org", organisation=council
        )
        partner.name = "Orla Quinn"
        return reset_access(
            session, session.get(User, officer.id), partner.id, now=utcnow(), valid_for=timedelta(7)
        )


def login_cookie(page: Page) -> str:
    return next((c["value"] for c in page.context.cookies() if c["name"] == "workbench_login"), "")


@pytest.mark.parametrize("how", ["invite", "reset"])
def test_after_an_invite_or_reset_link_the_person_stays_logged_in_across_a_reload(
    live_app, engine, browser_page: Page, how
):
    token = link_for(engine, how)
    page = browser_page
    page.goto(f"{live_app}/accept_invite?token={token}")
    expect(page.get_by_text("Welcome, Orla Quinn.")).to_be_visible(timeout=SLOW)
    page.get_by_role("textbox", name="Choose a password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("textbox", name="Type the password again", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password and log in").click()
    home = page.get_by_role("heading", name="Your consultations", exact=True)
    expect(home).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("Your password is set and you are logged in.")).to_be_visible()
    # The browser keeps the login: a cookie is set (by the page's script, a moment later).
    page.wait_for_function("document.cookie.includes('workbench_login=')", timeout=10_000)
    assert login_cookie(page)

    page.reload()
    expect(home).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("Orla Quinn", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Log in")).to_have_count(0)

    # A new tab, too, and the used link says it was used.
    other = page.context.new_page()
    other.goto(live_app)
    expect(other.get_by_role("heading", name="Your consultations", exact=True)).to_be_visible(
        timeout=SLOW
    )
    other.goto(f"{live_app}/accept_invite?token={token}")
    expect(other.get_by_text("You are logged in already.")).to_be_visible(timeout=SLOW)
    other.close()

    # Logging out clears the cookie: a reload shows the login screen.
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    page.wait_for_function("!document.cookie.includes('workbench_login=')", timeout=10_000)
    page.reload()
    expect(page.get_by_role("button", name="Log in")).to_be_visible(timeout=SLOW)


@pytest.mark.live_app_env(WORKBENCH_BASE_URL="")
def test_invite_links_use_the_port_the_app_runs_on_when_no_base_url_is_set(
    live_app, engine, browser_page: Page
):
    with session_scope(engine) as session:
        add_person(session, "officer", email="admin@example.org", is_admin=True)
        add_organisation(session, "Mid Ulster District Council")
    port = live_app.rsplit(":", 1)[1]
    assert port != "8501"
    page = browser_page
    page.goto(live_app)
    page.get_by_role("textbox", name="Email address", exact=True).fill("admin@example.org")
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Consultations", exact=True)).to_be_visible(
        timeout=SLOW
    )
    page.goto(f"{live_app}/people")
    expect(page.get_by_role("heading", name="People and invites")).to_be_visible(timeout=SLOW)
    page.get_by_role("textbox", name="Full name").fill("Orla Quinn")
    page.get_by_role("textbox", name="Email address").fill("orla@midulster.example.org")
    page.get_by_role("combobox", name="Organisation").click()
    page.get_by_role("option", name="Mid Ulster District Council").click()
    page.get_by_role("button", name="Create the invite link").click()
    expect(page.get_by_text("Send this link to Orla Quinn.")).to_be_visible(timeout=SLOW)
    link = page.locator("code").filter(has_text="/accept_invite?token=").inner_text()
    assert link.startswith(f"http://localhost:{port}/accept_invite?token=")
