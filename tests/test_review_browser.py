"""The review page in Debian's Chromium through Playwright: what a click on one answer redraws."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browsing import idle
from tests.tagging_world import ESOL, NRPF_BELFAST, build_world, save
from tests.test_board_journey import email_of, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def metric(page: Page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def test_the_counters_follow_the_officers_decisions_without_leaving_the_page(
    live_app, engine, browser_page: Page
):
    world = build_world(engine)
    save(world, 0, 0, NRPF_BELFAST)
    save(world, 1, 0, ESOL)
    page = browser_page
    log_in(page, live_app, email_of(engine, world.officer))
    page.goto(f"{live_app}/review?consultation={world.consultation}")
    expect(metric(page, "Waiting for review")).to_have_text("2")
    expect(metric(page, "Reviewed")).to_have_text("0")

    card = page.get_by_test_id("stVerticalBlock").filter(has_text=NRPF_BELFAST).last
    accept = card.get_by_role("button", name="Accept", exact=True)
    suggested = accept.count()
    assert suggested
    for left in range(suggested - 1, -1, -1):  # every theme suggested, one click each
        accept.first.click()
        expect(accept).to_have_count(left)
        idle(page)

    # Counted again, drawn once: the other answer's card does not draw its own older counts.
    expect(metric(page, "Waiting for review")).to_have_text("1")
    expect(metric(page, "Reviewed")).to_have_text("1")
