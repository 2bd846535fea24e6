"""The officer's analysis and draft pages, driven through AppTest on a real, tagged database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consultations.db import read_scope
from consultations.models import User
from exports.drafts import draft_of, latest
from exports.models import DraftVersion
from tests.tagging_world import (
    ESOL,
    HOTELS,
    NRPF_BELFAST,
    SPOUSE_VISAS,
    build_world,
    save,
    submit_all,
)
from tests.test_pages import texts

ANALYSIS = "exports/pages/analysis.py"
DRAFT = "exports/pages/draft.py"
MARKUP = "<script>alert('x')</script> **Bold** families with NRPF wait for months."


@pytest.fixture
def world(engine):
    world = build_world(engine)
    save(world, 0, 0, NRPF_BELFAST)
    save(world, 0, 1, SPOUSE_VISAS)
    save(world, 1, 0, ESOL)
    save(world, 1, 1, MARKUP)
    save(world, 2, 0, HOTELS)
    submit_all(world)
    with read_scope(engine) as session:
        officer = session.get(User, world.officer)
    return world, officer


def open_as_officer(open_page, world, page):
    world, officer = world
    return open_page(page, as_user=officer, query={"consultation": str(world.consultation)})


def button(app, label):
    return next(b for b in app.button if b.label == label)


def test_analysis_shows_counts_charts_and_answers_as_text(open_page, world):
    app = open_as_officer(open_page, world, ANALYSIS)

    assert not app.exception
    assert "5 answers from 3 partners match" in texts(app)
    table = next(d.value for d in app.dataframe if "Comment" in d.value.columns)
    assert MARKUP in list(table["Comment"])
    assert "<script>" not in " ".join(m.value for m in app.markdown)
    assert len(app.get("vega_lite_chart")) >= 2  # themes, and themes by sector
    assert (  # what counts as a theme, said where the themes are counted
        "from the workbench's own suggestions: 5 of the 5 submitted answers have suggestions "
        "waiting for review" in texts(app)
    )


def test_themes_by_sector_labels_every_sector_and_its_numbers_stay_readable(open_page, world):
    import json

    app = open_as_officer(open_page, world, ANALYSIS)
    heat = next(
        spec
        for spec in (json.loads(c.proto.spec) for c in app.get("vega_lite_chart"))
        if spec.get("description", "").startswith("Heat map")
    )
    rect, text = heat["layer"]
    assert rect["encoding"]["x"]["axis"]["labelOverlap"] is False  # no sector label dropped
    cells = heat["description"].split(": ", 1)[1].rstrip(".").split("; ")
    most = max(int(cell.rsplit(": ", 1)[1]) for cell in cells)
    # White numbers from halfway up the scale: the darkest cell is never black on dark blue.
    assert text["encoding"]["color"]["condition"]["test"] == f"(datum.Partners > {most / 2})"


def test_analysis_filters_by_question_and_shows_its_positions(open_page, world):
    app = open_as_officer(open_page, world, ANALYSIS)
    question = next(s for s in app.selectbox if s.label == "Question")
    question.select_index(1).run()

    assert not app.exception
    assert "3 answers from 3 partners match" in texts(app)
    assert "Positions" in texts(app)


def theme_chart_words(app) -> str:
    """What the themes chart says it shows, in the words given to screen readers."""
    import json

    specs = [json.loads(c.proto.spec) for c in app.get("vega_lite_chart")]
    return next(
        spec["description"]
        for spec in specs
        if spec.get("description", "").startswith("Bar chart of the number of partners raising")
    )


def test_analysis_search_narrows_the_answers_and_the_charts(open_page, world):
    app = open_as_officer(open_page, world, ANALYSIS)
    everyone = theme_chart_words(app)
    app.text_input[0].input("spouse VISAS").run()
    assert "1 answer from 1 partner matches." in texts(app)
    assert "The charts below count only these matching answers." in texts(app)
    narrowed = theme_chart_words(app)
    assert narrowed != everyone
    listed = narrowed.split(": ", 1)[1].rstrip(".").split("; ")
    counts = [int(part.rsplit(": ", 1)[1]) for part in listed]
    assert set(counts) == {1}  # one answer, from one partner


def test_officer_assembles_edits_and_compares_the_draft(open_page, world):
    engine_world, _ = world
    app = open_as_officer(open_page, world, DRAFT)
    button(app, "Assemble the first draft").click().run()
    assert not app.exception
    assert "A new version of the draft is ready." in texts(app)

    section = next(s for s in app.selectbox if s.label == "Section")
    section.set_value("recommendations").run()
    first_text = next(t for t in app.text_area if t.label == "Paragraph")
    first_text.input("Ask the Home Office for a Northern Ireland impact assessment.")
    next(b for b in app.button if b.label == "Save as a new version").click().run()

    assert not app.exception
    with read_scope(engine_world.engine) as session:
        newest = latest(session, engine_world.consultation)
        assert newest.number == 2
        blocks = draft_of(newest).section("recommendations").blocks
        assert blocks[0].text == "Ask the Home Office for a Northern Ireland impact assessment."
    compare_text = texts(app)
    assert "sections differ" in compare_text
    assert "+ Ask the Home Office for a Northern Ireland impact assessment." in compare_text


def test_a_stale_section_save_is_refused_and_shows_the_other_text(open_page, world):
    engine_world, _ = world
    first = open_as_officer(open_page, world, DRAFT)
    button(first, "Assemble the first draft").click().run()
    second = open_as_officer(open_page, world, DRAFT)

    second_section = next(s for s in second.selectbox if s.label == "Section")
    second_section.set_value("recommendations").run()  # the second officer starts editing
    next(s for s in first.selectbox if s.label == "Section").set_value("recommendations").run()
    next(t for t in first.text_area if t.label == "Paragraph").input("First officer's words.")
    next(b for b in first.button if b.label == "Save as a new version").click().run()

    next(t for t in second.text_area if t.label == "Paragraph").input("Second officer's words.")
    next(b for b in second.button if b.label == "Save as a new version").click().run()

    assert "saved a new version of" in " ".join(e.value for e in second.error)
    assert "First officer's words." in texts(second)
    # Nothing typed is lost: the second officer's words are still in the form.
    assert "Second officer's words." in [t.value for t in second.text_area]
    with read_scope(engine_world.engine) as session:
        assert session.scalars(select(DraftVersion.number)).all() == [1, 2]


def test_officer_adds_a_covering_note_and_reads_the_whole_document_as_text(open_page, world):
    engine_world, _ = world
    app = open_as_officer(open_page, world, DRAFT)
    button(app, "Assemble the first draft").click().run()

    next(t for t in app.text_input if t.label == "Heading of the new section").input("Covering")
    next(t for t in app.text_area if t.label == "Its first paragraph").input(MARKUP)
    button(app, "Add the section").click().run()

    assert not app.exception
    with read_scope(engine_world.engine) as session:
        draft = draft_of(latest(session, engine_world.consultation))
    assert [s.key for s in draft.sections][:2] == ["cover", "added-1"]
    assert draft.section("added-1").blocks[0].text == MARKUP
    # The whole document, on one page: the officer's words shown as written, never as markup.
    assert MARKUP in [t.value for t in app.text]
    assert "Covering" in [h.value for h in app.header]
    assert "<script>" not in " ".join(m.value for m in app.markdown)
    assert "What you added" in texts(app)


def test_officer_takes_the_annex_out_of_the_document_with_one_box(open_page, world):
    engine_world, _ = world
    app = open_as_officer(open_page, world, DRAFT)
    button(app, "Assemble the first draft").click().run()
    box = next(c for c in app.checkbox if c.label == "Include the annex in the document")
    assert box.value  # three partners: a short annex is in the document

    box.uncheck().run()

    assert not app.exception
    with read_scope(engine_world.engine) as session:
        newest = latest(session, engine_world.consultation)
        assert newest.note == "Took the annex out of the document"
        assert not any(b.included for b in draft_of(newest).section("annex").blocks)
    assert "Download the annex (.docx)" in [d.label for d in app.get("download_button")]


@pytest.mark.parametrize("role", ["partner", "board"])
def test_partners_and_board_cannot_open_the_draft_page(open_page, world, role):
    engine_world, _ = world
    with read_scope(engine_world.engine) as session:
        person = session.get(
            User, engine_world.partners[0] if role == "partner" else engine_world.board
        )
    app = open_page(DRAFT, as_user=person, query={"consultation": str(engine_world.consultation)})
    assert not [b for b in app.button if b.label == "Assemble the first draft"]
    assert "Only policy officers" in texts(app) or "cannot open" in texts(app).lower()


def test_each_block_of_the_draft_names_the_partners_behind_it(open_page, world):
    app = open_as_officer(open_page, world, DRAFT)
    button(app, "Assemble the first draft").click().run()
    section = next(s for s in app.selectbox if s.label == "Section")
    section.set_value(f"question-{world[0].questions[0]}").run()

    captions = [c.value for c in app.caption]
    assert any("from Partner organisation 1 (Q1)" in c for c in captions), captions


def test_assembling_again_asks_first_and_an_older_version_can_be_made_newest(open_page, world):
    """A new user lost edits with one click on "Assemble a new draft from the evidence", and
    found no way back from "This is an older version"."""
    engine_world, _ = world
    app = open_as_officer(open_page, world, DRAFT)
    button(app, "Assemble the first draft").click().run()
    next(s for s in app.selectbox if s.label == "Section").set_value("recommendations").run()
    next(t for t in app.text_area if t.label == "Paragraph").input("Our own recommendation.")
    button(app, "Save as a new version").click().run()

    button(app, "Assemble a new draft from the evidence").click().run()
    assert "your edits to generated text are not carried over" in texts(app)
    button(app, "Cancel").click().run()
    with read_scope(engine_world.engine) as session:
        assert latest(session, engine_world.consultation).number == 2
    button(app, "Assemble a new draft from the evidence").click().run()
    button(app, "Assemble a new draft").click().run()

    next(s for s in app.selectbox if s.label == "Version").set_value(2).run()
    button(app, "Make this version the newest again").click().run()
    button(app, "Restore version 2").click().run()
    assert not app.exception
    with read_scope(engine_world.engine) as session:
        newest = latest(session, engine_world.consultation)
        assert newest.number == 4 and newest.note == "Restored version 2"
        blocks = draft_of(newest).section("recommendations").blocks
        assert blocks[0].text == "Our own recommendation."


def test_the_officer_is_not_warned_of_their_own_versions_in_another_section(open_page, world):
    """After adding a section of their own, a new user was told on every page that "Version 2
    was saved after you opened this section": a change elsewhere is no reason to warn."""
    app = open_as_officer(open_page, world, DRAFT)
    button(app, "Assemble the first draft").click().run()
    next(s for s in app.selectbox if s.label == "Section").set_value("recommendations").run()
    next(t for t in app.text_input if t.label == "Heading of the new section").input("Covering")
    next(t for t in app.text_area if t.label == "Its first paragraph").input("Dear Minister.")
    button(app, "Add the section").click().run()
    assert not app.exception
    assert "was saved after you opened this section" not in texts(app)


def test_an_older_version_without_the_chosen_section_opens_at_its_first(open_page, world):
    """The section chosen is kept across versions; where an older version lacks it (a section
    the officer added later), the page opens that version at its first section."""
    app = open_as_officer(open_page, world, DRAFT)
    button(app, "Assemble the first draft").click().run()
    next(t for t in app.text_input if t.label == "Heading of the new section").input("Covering")
    next(t for t in app.text_area if t.label == "Its first paragraph").input("Dear Minister.")
    button(app, "Add the section").click().run()
    next(s for s in app.selectbox if s.label == "Section").set_value("added-1").run()
    next(s for s in app.selectbox if s.label == "Version").set_value(1).run()
    assert not app.exception
    assert next(s for s in app.selectbox if s.label == "Section").value == "cover"
