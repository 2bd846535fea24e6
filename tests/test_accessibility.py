"""Accessibility: axe-core in Debian's Chromium on every page, for every role, on the demo.

axe-core is a test tool pinned in tests/accessibility/package-lock.json and installed by
`.ci/install-test-tools` (`npm ci`). The test starts the real app once on an empty SQLite
database (the markup does not depend on the database, so PostgreSQL adds nothing here), checks
the first-run, login and invite screens, opens the demo and, through its role switcher, visits
every page each role may open in the states worth seeing: a partner with saved answers, the
review queue with suggestions, a draft with a section open, a draft with the board.
A serious or critical violation fails the test unless it is one of the named exceptions below
(none now), each of which must come from Streamlit's own markup and be impossible to fix from
our pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app import LOGGED_IN_PAGES
from consultations import access
from consultations.accounts import invite_person
from consultations.db import make_engine, session_scope, utcnow
from consultations.models import Consultation, User
from consultations.pages.start_pages import HOME_PAGES
from tests.conftest import add_person

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).parent / "accessibility" / "node_modules" / "axe-core" / "axe.min.js"
GATED = ("serious", "critical")
# Rules of lesser impact that fail the test all the same: our own markup decides them, and the
# pages were fixed for them.
ALSO_GATED = ("heading-order",)
# vega-embed's name for a chart with no description of its own.
UNDESCRIBED_CHART = "[data-testid=stVegaLiteChart][aria-label='Vega visualization']"
SLOW = 60_000  # ms: the first page load imports everything, and the demo takes a while to build

# Demo people to view the workbench as, one per role, picked for their interesting states.
DEMO_PEOPLE = {
    "officer": "Aoife Byrne — officer",
    # Mourne Food Processors has saved answers but has not submitted yet.
    "partner": "Lisa Campbell — partner, Mourne Food Processors",
    "board": "Margaret Doherty — board (chair)",
}
OPEN = "Family migration"  # the demo's open consultation (answers, tags, a draft)
IN_REVIEW = "Asylum support: rates and payments"  # with the board now
SENT = "English language requirements for settlement"  # approved and sent


# Run axe, then name each node's nearest Streamlit element: its target selector is often only
# generated class names.
AXE_RUN = """async () => {
    const results = await axe.run(document, {resultTypes: ['violations']});
    for (const rule of results.violations) {
        for (const node of rule.nodes) {
            const found = document.querySelector(node.target[0]);
            const named = found && found.closest('[data-testid]');
            node.element = named ? named.dataset.testid : '(outside Streamlit elements)';
        }
    }
    return results;
}"""


@dataclass(frozen=True)
class Known:
    """A violation that comes from Streamlit's own markup and that our pages cannot fix."""

    rule: str
    element: str  # the data-testid of the Streamlit element
    reason: str


# Keep this list short: each entry hides one rule on one Streamlit element, nothing wider. It is
# empty: st.navigation's own sidebar menu put each section's heading inside its list of links
# ("list" and "listitem", serious), so the app hides it and draws its menu with page links.
KNOWN: tuple[Known, ...] = ()


@dataclass(frozen=True)
class Violation:
    where: str
    role: str
    rule: str
    impact: str
    help: str
    target: str
    element: str  # the nearest Streamlit element around it, by its data-testid
    html: str

    def __str__(self) -> str:
        return (
            f"{self.where} ({self.role}): {self.rule} [{self.impact}] {self.help}; "
            f"in {self.element} at {self.target}: {self.html}"
        )


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: the test reads the markup, which is the same on either database."""
    return f"sqlite:///{tmp_path / 'workbench.db'}"


def settled(page: Page) -> None:
    """Wait until Streamlit has drawn the page: a title, the run over, nothing stale."""
    expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible(timeout=SLOW)
    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=SLOW
    )
    expect(page.locator("[data-stale='true']")).to_have_count(0)
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0)
    # A page that reruns at once (as one does after writing its choice into the address) is
    # redrawn again just after the first run ends: wait for that run too, so that axe never
    # reads a half-drawn sidebar.
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=SLOW
    )
    if page.get_by_test_id("stSidebarUserContent").count():
        expect(
            page.get_by_test_id("stSidebarUserContent").get_by_role("link").first
        ).to_be_visible()


def audit(page: Page, where: str, role: str) -> list[Violation]:
    """Run axe-core on the page as drawn; return its serious and critical violations."""
    settled(page)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(AXE_RUN)
    return undescribed_charts(page, where, role) + [
        Violation(
            where,
            role,
            rule["id"],
            node["impact"],
            rule["help"],
            " ".join(node["target"]),
            node["element"],
            node["html"][:200],
        )
        for rule in results["violations"]
        for node in rule["nodes"]
        if node["impact"] in GATED or rule["id"] in ALSO_GATED
    ]


def undescribed_charts(page: Page, where: str, role: str) -> list[Violation]:
    """Charts that a screen reader can only call "Vega visualization": axe cannot tell that
    this name says nothing, so the test checks it itself."""
    charts = page.locator(UNDESCRIBED_CHART)
    return [
        Violation(
            where,
            role,
            "chart-description",
            "serious",
            "Charts must say in words what they show (Altair: .properties(description=...))",
            UNDESCRIBED_CHART,
            "stVegaLiteChart",
            "",
        )
        for _ in range(charts.count())
    ]


def audit_states(page: Page, where: str, role: str) -> list[Violation]:
    """Audit the page with every expander open, once per tab (a hidden tab is not checked)."""
    settled(page)
    page.evaluate(
        "document.querySelectorAll('[data-testid=stMain] details').forEach(d => d.open = true)"
    )
    found = audit(page, where, role)
    tabs = page.get_by_test_id("stMain").get_by_role("tab")
    for n in range(1, tabs.count()):
        tab = tabs.nth(n)
        tab.click()
        expect(tab).to_have_attribute("aria-selected", "true")
        settled(page)  # a tracked tab (st.tabs with on_change) reruns the page when chosen
        found += audit(page, f"{where}, tab '{tab.inner_text()}'", role)
    return found


def open_question_section(page: Page) -> None:
    """On the draft, open the first question's section: points, quotes and their sources."""
    page.get_by_test_id("stMain").get_by_role("combobox", name="Section").click()
    page.get_by_role("option", name=re.compile(r"^Question 1\b")).click()
    expect(page.get_by_role("textbox", name="Point").first).to_be_visible(timeout=SLOW)


def choose_first_question(page: Page) -> None:
    """On the analysis, pick the first question: its positions chart and shared points."""
    page.get_by_test_id("stMain").get_by_role("combobox", name="Question").click()
    page.get_by_role("option", name="Q1: ").click()
    expect(page.get_by_role("heading", name="Positions")).to_be_visible(timeout=SLOW)


# page key -> what to do on it before the audit, to show it in a state worth checking
PREPARE = {"draft": open_question_section, "analysis": choose_first_question}


def covers(known: Known, violation: Violation) -> bool:
    return known.rule == violation.rule and known.element == violation.element


def url_path(key: str, role: str) -> str:
    """The address of a page: the root for the role's start page, otherwise Streamlit names
    it after the page's file."""
    file = LOGGED_IN_PAGES[key][0]
    return "/" if file == HOME_PAGES[role] else f"/{Path(file).stem}"


def pages_for(role: str) -> list[str]:
    """Every page the role may open, in app.py's order."""
    return [key for key in LOGGED_IN_PAGES if role in access.PAGES[key]]


def demo_consultations(data_dir: Path) -> dict[str, int]:
    """The demo's consultations by the first words of their titles."""
    engine = make_engine(f"sqlite:///{data_dir / 'demo.db'}")
    with session_scope(engine) as session:
        rows = session.execute(select(Consultation.title, Consultation.id)).all()
    engine.dispose()
    return {title: cid for title, cid in rows}


def consultation_of(titles: dict[str, int], start: str) -> int:
    return next(cid for title, cid in titles.items() if title.startswith(start))


def switch_to(page: Page, role: str) -> None:
    """Become the demo's person for the role with the sidebar's role switcher, and wait until
    the browser holds their login (a page load before that would find the old one ended)."""
    before = login_cookie(page)
    switcher = page.get_by_test_id("stSidebar").get_by_role("combobox", name="See the workbench as")
    switcher.click()
    # The list shows a few people at a time: typing narrows it to the one wanted.
    page.keyboard.type(name_of(role))
    page.get_by_role("option", name=DEMO_PEOPLE[role]).click()
    page.wait_for_function(f"!document.cookie.includes({before!r})", timeout=SLOW)
    expect(page.get_by_test_id("stSidebar")).to_contain_text(name_of(role))
    settled(page)


def name_of(role: str) -> str:
    """The name of the demo's person for the role."""
    return DEMO_PEOPLE[role].split(" — ")[0]


def login_cookie(page: Page) -> str:
    """The browser's login cookie, as `name=value`."""
    cookies = page.evaluate("document.cookie").split("; ")
    return next(c for c in cookies if c.startswith("workbench_login="))


def visits(role: str, ids: dict[str, int]) -> list[tuple[str, str]]:
    """(label, address after the app's root) of each page for the role, in its interesting
    state: the open consultation where the work is, the one with the board for reviewing."""
    open_, review, sent = (consultation_of(ids, t) for t in (OPEN, IN_REVIEW, SENT))
    chosen = {
        "answer": open_,
        "tracker": open_,
        "questions": open_,
        "consultation_edit": open_,
        "review": open_,
        "themes": open_,
        "learning": open_,
        "analysis": open_,
        "draft": open_,
        "approval": review,
        "board_review": review,
        "response": sent,
    }
    result = []
    for key in pages_for(role):
        query = f"?consultation={chosen[key]}" if key in chosen else ""
        result.append((key, f"{url_path(key, role)}{query}"))
    return result


# The demo is opened after a real account exists: a demonstration server's setting.
@pytest.mark.live_app_env(WORKBENCH_DEMO="on")
def test_every_page_for_every_role_has_no_serious_or_critical_accessibility_violations(
    live_app: str, engine, browser_page: Page, tmp_path: Path
):
    assert AXE.exists(), "axe-core is missing: run `bash .ci/install-test-tools`."
    page = browser_page
    found: list[Violation] = []

    # Logged out: the first-run screen of an empty workbench, then the login and an invite.
    page.goto(live_app)
    expect(page.get_by_role("heading", name="Set up the workbench")).to_be_visible(timeout=SLOW)
    found += audit_states(page, "first run", "nobody")
    with session_scope(engine) as session:
        officer = add_person(session, "officer", email="officer@example.org", is_admin=True)
        _, token = invite_person(
            session,
            session.get(User, officer.id),
            email="new.member@example.org",
            name="New Board Member",
            role="board",
            organisation_id=None,
            now=utcnow(),
            valid_for=timedelta(days=7),
        )
    page.goto(live_app)
    expect(page.get_by_role("button", name="Log in")).to_be_visible(timeout=SLOW)
    found += audit_states(page, "login", "nobody")
    page.goto(f"{live_app}/accept_invite?token={token}")
    expect(page.get_by_role("button", name="Set password and log in")).to_be_visible()
    found += audit_states(page, "accept invite", "nobody")

    # The demo, as its officer first; the cookie keeps the login across page loads.
    page.goto(live_app)
    page.get_by_role("button", name="Open the demo").click()
    expect(page.get_by_role("heading", name="Consultations", exact=True)).to_be_visible(
        timeout=SLOW
    )
    page.wait_for_function("document.cookie.includes('workbench_login=')")
    ids = demo_consultations(tmp_path / "data")
    for role in ("officer", "partner", "board"):
        if role != "officer":
            switch_to(page, role)
        for key, address in visits(role, ids):
            page.goto(f"{live_app}{address}")
            settled(page)
            # Still on the page asked for, as the person: an unknown address or a lost login
            # would land on another page.
            assert urlsplit(page.url).path == urlsplit(address).path, (key, page.url)
            expect(page.get_by_test_id("stSidebar")).to_contain_text(name_of(role))
            if key in PREPARE:
                PREPARE[key](page)
            found += audit_states(page, key, role)

    problems = [v for v in found if not any(covers(k, v) for k in KNOWN)]
    assert not problems, f"{len(problems)} accessibility violations:\n" + "\n".join(
        str(v) for v in problems
    )
    # An exception that nothing needs any more (Streamlit fixed it) goes from the list.
    stale = [k for k in KNOWN if not any(covers(k, v) for v in found)]
    assert not stale, f"These known exceptions no longer happen; remove them: {stale}"
