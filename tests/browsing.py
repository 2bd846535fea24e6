"""Helpers for the browser journeys: wait for Streamlit to finish a run before the next click.

A click that lands while the app is still running the previous one (a selectbox's choice, say)
can be drawn over by that run: a tab chosen mid-run comes back unselected. A person waits for
the page to settle; these helpers make the journeys wait the same way.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

SETTLE_MS = 30_000


def idle(page: Page) -> None:
    """Wait until the app has finished running its script and nothing on the page is stale."""
    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=SETTLE_MS
    )
    expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=SETTLE_MS)


def open_tab(page: Page, name: str) -> None:
    """Choose a tab once the page has settled, and wait until it is the one shown."""
    idle(page)
    tab = page.get_by_role("tab", name=name)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true", timeout=SETTLE_MS)
    idle(page)
