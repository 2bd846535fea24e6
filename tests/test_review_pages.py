"""The review and themes pages, driven through AppTest on a real database with real spaCy."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consultations.db import read_scope
from consultations.models import AuditEvent
from evidence.models import TagDecision, TagSuggestion, Theme
from tests.tagging_world import NOTHING, SPOUSE_VISAS, build_world, save, theme_id
from tests.test_pages import texts

REVIEW = "evidence/pages/review.py"
THEMES = "evidence/pages/themes.py"
MARKUP = "The NRPF rule <b>hurts</b> families & children; they are destitute."


@pytest.fixture
def world(engine):
    return build_world(engine)


def officer(world):
    with read_scope(world.engine) as session:
        from consultations.models import User

        return session.get(User, world.officer)


def open_as_officer(open_page, world, page):
    app = open_page(page, as_user=officer(world), query={"consultation": str(world.consultation)})
    assert not app.exception
    return app


def button(app, label):
    return next(b for b in app.button if b.label == label)


def theme(world, key) -> int:
    with read_scope(world.engine) as session:
        return theme_id(session, world, key)


# --- review ----------------------------------------------------------------------------------


def test_review_page_shows_the_matched_phrase_highlighted_and_partner_markup_as_text(
    open_page, world
):
    save(world, 0, 0, MARKUP)
    app = open_as_officer(open_page, world, REVIEW)
    html = [element.body for element in app.html]
    reasons = [body for body in html if "<mark>" in body]
    assert any("<mark>NRPF</mark>" in body for body in reasons)
    assert any("&lt;b&gt;hurts&lt;/b&gt; families &amp; children" in body for body in reasons)
    assert not any("<b>hurts" in body for body in html)
    # The comment itself is plain text: the tag shows as written.
    assert MARKUP in [element.value for element in app.text]
    page = texts(app)
    assert "Waiting for review" in [m.label for m in app.metric]
    assert "No recourse to public funds and destitution" in " ".join(html)
    assert "Q1" in page


def test_review_page_says_why_a_theme_is_suggested_in_the_answers_own_words(open_page, world):
    save(world, 0, 0, MARKUP)
    app = open_as_officer(open_page, world, REVIEW)
    shown = " ".join(element.body for element in app.html)
    assert (
        "<strong>No recourse to public funds and destitution</strong> <small>(suggested because "
        "the answer uses words about this theme: &#x27;NRPF&#x27;, &#x27;destitute&#x27;)</small>"
    ) in shown
    for jargon in ("phrases", "strength", "score", "enough"):
        assert jargon not in shown


def test_an_answer_about_our_region_is_marked_in_words_no_theme_uses(open_page, world):
    # An officer took a "Regional impact" mark for the theme "Regional and devolved impact".
    save(world, 0, 0, "Families in Belfast with no recourse to public funds are destitute.")
    app = open_as_officer(open_page, world, REVIEW)
    marks = [m.value for m in app.markdown if "badge[" in m.value]
    assert any("About our own region" in mark for mark in marks), marks
    assert not any("Regional impact" in mark for mark in marks)


def test_the_reason_gives_each_of_the_answers_words_once_and_at_most_five(open_page, world):
    save(
        world,
        0,
        0,
        "Families with no recourse to public funds are destitute; section 17 support, a crisis "
        "grant and the Scottish Welfare Fund all fall short, and NRPF families wait.",
    )
    shown = " ".join(e.body for e in open_as_officer(open_page, world, REVIEW).html)
    assert (
        "(suggested because the answer uses words about this theme: &#x27;no recourse to public "
        "funds&#x27;, &#x27;destitute&#x27;, &#x27;section 17 support&#x27;, &#x27;crisis "
        "grant&#x27;, &#x27;Scottish Welfare Fund&#x27; and 1 more)"
    ) in shown


def test_accepting_a_suggestion_with_its_button_records_the_officers_decision(open_page, world):
    answer = save(world, 0, 0, MARKUP)
    nrpf = theme(world, "nrpf")
    app = open_as_officer(open_page, world, REVIEW)
    app.button(key=f"accept-{answer.id}-{nrpf}").click().run()
    assert not app.exception
    with read_scope(world.engine) as session:
        [decision] = session.scalars(select(TagDecision)).all()
        others = set(
            session.scalars(
                select(TagSuggestion.theme_id).where(
                    TagSuggestion.answer_id == answer.id, TagSuggestion.theme_id != nrpf
                )
            )
        )
    assert (decision.answer_id, decision.theme_id, decision.accepted) == (answer.id, nrpf, True)
    assert decision.decided_by_id == world.officer
    for other in sorted(others):  # what the default learned model adds, if anything
        app.button(key=f"reject-{answer.id}-{other}").click().run()
    # Reviewed now, so it has left the queue (a browser keeps the card until the page reloads).
    assert "Nothing here: every answer in this view has been reviewed." in texts(app)
    next(r for r in app.radio if r.label == "Show").set_value("reviewed").run()
    assert any("Accepted by Test Officer on" in c.value for c in app.caption)
    # The decided suggestion now offers the other choice only.
    assert [b.label for b in app.button if b.key == f"reject-{answer.id}-{nrpf}"] == [
        "Reject instead"
    ]


def test_each_accept_and_reject_button_says_which_answer_and_theme_it_acts_on(open_page, world):
    answer = save(world, 0, 0, MARKUP)
    nrpf = theme(world, "nrpf")
    app = open_as_officer(open_page, world, REVIEW)
    accept = app.button(key=f"accept-{answer.id}-{nrpf}")
    reject = app.button(key=f"reject-{answer.id}-{nrpf}")
    assert accept.help == (
        "Partner organisation 1's answer to Q1 does raise 'No recourse to public funds and "
        "destitution': file it under that theme."
    )
    assert reject.help == (
        "Partner organisation 1's answer to Q1 does not raise 'No recourse to public funds "
        "and destitution': take that theme off it."
    )


def test_officer_adds_a_theme_the_machine_missed(open_page, world):
    answer = save(world, 0, 0, NOTHING)
    partnership = theme(world, "partnership")
    app = open_as_officer(open_page, world, REVIEW)
    app.selectbox(key=f"add-theme-{answer.id}").set_value(partnership).run()
    app.button(key=f"add-{answer.id}").click().run()
    assert not app.exception
    with read_scope(world.engine) as session:
        [decision] = session.scalars(select(TagDecision)).all()
    assert (decision.theme_id, decision.origin, decision.accepted) == (partnership, "hand", True)


def test_adding_without_choosing_a_theme_says_what_to_do(open_page, world):
    answer = save(world, 0, 0, NOTHING)
    app = open_as_officer(open_page, world, REVIEW)
    app.button(key=f"add-{answer.id}").click().run()
    assert "Choose a theme to add first." in [e.value for e in app.error]


def test_filtering_by_theme_and_accepting_it_for_every_waiting_answer(open_page, world):
    first = save(world, 0, 0, SPOUSE_VISAS)
    second = save(world, 1, 1, SPOUSE_VISAS)
    save(world, 2, 0, NOTHING)
    family = theme(world, "family")
    app = open_as_officer(open_page, world, REVIEW)
    next(s for s in app.selectbox if s.label == "Theme").set_value(family).run()
    assert "2 answers, oldest first." in texts(app)
    next(c for c in app.checkbox if c.label.startswith("I have read enough")).check().run()
    button(app, "Accept for all").click().run()
    assert not app.exception
    assert "Accepted 'Family migration' for 2 answers." in [s.value for s in app.success]
    with read_scope(world.engine) as session:
        rows = session.scalars(select(TagDecision).order_by(TagDecision.answer_id)).all()
    assert [(r.answer_id, r.in_bulk) for r in rows] == [(first.id, True), (second.id, True)]


# --- themes ----------------------------------------------------------------------------------


def test_themes_page_renames_a_theme(open_page, world):
    app = open_as_officer(open_page, world, THEMES)
    next(s for s in app.selectbox if s.label == "Theme").set_value(theme(world, "health")).run()
    next(t for t in app.text_input if t.label == "Name").input("Health and social care")
    button(app, "Save name and description").click().run()
    assert not app.exception
    assert "Saved the theme." in [s.value for s in app.success]
    with read_scope(world.engine) as session:
        assert session.get(Theme, theme_id(session, world, "health")).label == (
            "Health and social care"
        )
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "theme.updated"))
    assert event.actor_id == world.officer


def test_themes_page_refuses_an_empty_name_and_says_why(open_page, world):
    app = open_as_officer(open_page, world, THEMES)
    next(t for t in app.text_input if t.label == "Name").input("  ")
    button(app, "Save name and description").click().run()
    assert "The theme has 1 problem: the name is empty. Nothing was saved." in [
        e.value for e in app.error
    ]


def test_themes_page_adds_a_phrase_then_retags_every_answer(open_page, world):
    answer = save(world, 0, 0, "Dental care is out of reach for new arrivals.")
    app = open_as_officer(open_page, world, THEMES)
    next(s for s in app.selectbox if s.label == "Theme").set_value(theme(world, "health")).run()
    next(t for t in app.text_input if t.label == "New phrase").input("dental care")
    next(s for s in app.selectbox if s.label == "Weight").set_value(2.0)
    button(app, "Add the phrase").click().run()
    assert not app.exception
    assert any("1 answer was tagged with older themes" in w.value for w in app.warning)
    button(app, "Re-tag every answer").click().run()
    assert not app.exception
    assert "Tagged 1 answer with the current themes." in [s.value for s in app.success]
    with read_scope(world.engine) as session:
        keys = session.scalars(
            select(Theme.key)
            .join(TagSuggestion, TagSuggestion.theme_id == Theme.id)
            .where(TagSuggestion.answer_id == answer.id)
        ).all()
    assert keys == ["health"]
