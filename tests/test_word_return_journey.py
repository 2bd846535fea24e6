"""The officer's Word round trip in Debian's Chromium: download version 2, edit it (tracked
changes in Word's markup and a comment), upload it, review the changes, save version 3."""

from __future__ import annotations

import io
import os
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from playwright.sync_api import Page, expect

from consultations.db import read_scope, session_scope
from consultations.models import User
from exports.draft_model import Block
from exports.drafts import draft_of, latest, save_section
from exports.word_return_read import read_copy
from tests.board_world import build_board
from tests.browsing import open_tab
from tests.conftest import later
from tests.test_board_journey import email_of, log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Where the closing note's screenshot goes (set WORD_REVIEW_SCREENSHOT to keep one).
SCREENSHOT = os.environ.get("WORD_REVIEW_SCREENSHOT", "")
CHANGE = 'w:id="{0}" w:author="Siobhan Kelly" w:date="2026-12-07T10:00:00Z"'


def edit_in_word(data: bytes) -> bytes:
    """Track a change as Word writes one, and comment on the paragraph, in a question section."""
    question = next(s for s in read_copy(data).sections if s.key.startswith("question-"))
    words = question.texts[1]
    document = docx.Document(io.BytesIO(data))
    paragraph = next(p for p in document.paragraphs if p.text == words)
    for run in list(paragraph.runs):
        paragraph._p.remove(run._r)
    first, rest = words.split(" ", 1)
    markup = (
        f"<w:body {nsdecls('w')}>"
        f"<w:del {CHANGE.format(901)}><w:r><w:delText>{first}</w:delText></w:r></w:del>"
        f"<w:ins {CHANGE.format(902)}><w:r><w:t>In our region, {first.lower()}</w:t></w:r></w:ins>"
        f'<w:r><w:t xml:space="preserve"> {rest}</w:t></w:r></w:body>'
    )
    for element in parse_xml(markup):
        paragraph._p.append(element)
    document.add_comment(paragraph.runs[-1], text="Check the figure.", author="Siobhan Kelly")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_officer_downloads_the_draft_edits_it_in_word_uploads_it_and_saves_version_3(
    live_app, engine, browser_page: Page, tmp_path: Path, monkeypatch
):
    monkeypatch.delenv("WORKBENCH_APPROVAL_RULE", raising=False)
    board = build_board(engine)
    with session_scope(engine) as session:
        newest = latest(session, board.cid)
        section = draft_of(newest).section("recommendations")
        save_section(
            session,
            session.get(User, board.officer),
            board.cid,
            replace(section, blocks=[Block("paragraph", "Fund NRPF support in Belfast.")]),
            seen=newest.number,
            now=later(hours=2),
        )
    page = browser_page
    log_in(page, live_app, email_of(engine, board.officer))
    page.goto(f"{live_app}/draft?consultation={board.cid}")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the draft (.docx)").click()
    edited = tmp_path / "draft-v2 edited.docx"
    edited.write_bytes(edit_in_word(Path(download.value.path()).read_bytes()))

    open_tab(page, "Upload an edited copy")
    page.locator("input[type=file]").set_input_files(str(edited))
    expect(page.get_by_text("A copy of version 2, edited by Siobhan Kelly")).to_be_visible()
    expect(page.get_by_text("Check the figure.")).to_be_visible()
    expect(page.get_by_text("[+In our region,", exact=False).first).to_be_visible()
    if SCREENSHOT:  # the app scrolls inside its own pane: a tall window shows the review
        page.set_viewport_size({"width": 1300, "height": 2200})
        page.get_by_text("Check the figure.").scroll_into_view_if_needed()
        page.screenshot(path=SCREENSHOT)
    page.get_by_role("button", name="Save as version 3").click()
    expect(page.get_by_text("The edited copy is saved as a new version")).to_be_visible()

    with read_scope(engine) as session:
        saved = latest(session, board.cid)
        assert saved.number == 3 and saved.note == "Edited in Word by Siobhan Kelly"
        texts = [b.text for s in draft_of(saved).sections for b in s.blocks if b.included]
        assert any(text.startswith("In our region,") for text in texts)
        assert "Fund NRPF support in Belfast." in texts  # version 2's edit is kept
