"""Uploading an edited Word copy on the draft page (officer) and the review page (board)."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace

import docx
import pytest
from sqlalchemy import Engine, select

from consultations.db import read_scope, session_scope
from consultations.models import Consultation
from exports.draft_model import Block
from exports.drafts import draft_of, latest, save_section
from exports.models import DraftVersion, ReviewRequest, SectionComment
from exports.word_return import REVIEW as LEAVE_FOR_REVIEW
from exports.word_return import draft_docx
from exports.word_return_read import read_copy
from tests.conftest import NOW, add_consultation, add_person
from tests.test_approval import as_
from tests.test_board_pages import button, open_as
from tests.test_pages import texts
from tests.test_word import sample_draft

DRAFT = "exports/pages/draft.py"
REVIEW = "exports/pages/board_review.py"
UPLOAD = "Edited copy of the draft (.docx)"


@dataclass(frozen=True)
class World:
    """A consultation with version 1 of its draft (tests/test_word.py's), an officer, a member."""

    engine: Engine
    cid: int
    officer: int
    member: int


@pytest.fixture
def board(engine) -> World:
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        member = add_person(session, "board", email="member@example.org")
        consultation = add_consultation(session, officer, questions=1)
        session.add(
            DraftVersion(
                consultation_id=consultation.id,
                number=1,
                created_at=NOW,
                created_by_id=officer.id,
                note="First draft",
                change="assembled",
                content=sample_draft(reference=consultation.reference).to_json(),
            )
        )
        session.flush()
        return World(engine, consultation.id, officer.id, member.id)


def send(b: World) -> None:
    """Version 1 with the board, as sending it for review leaves it."""
    with session_scope(b.engine) as session:
        version = session.scalar(select(DraftVersion))
        session.add(
            ReviewRequest(
                consultation_id=b.cid,
                draft_version_id=version.id,
                sent_by_id=b.officer,
                sent_at=NOW,
                review_by=NOW.date(),
            )
        )
        session.get(Consultation, b.cid).status = "in_review"


def edited_copy(b: World, who: int, *, comment: str = "", added: str = "") -> bytes:
    """Version 1 as downloaded, with a sentence added to a paragraph and a comment on it."""
    with session_scope(b.engine) as session:
        data = draft_docx(session, as_(session, who), b.cid, 1)
    question = next(s for s in read_copy(data).sections if s.key.startswith("question-"))
    document = docx.Document(io.BytesIO(data))
    paragraph = next(p for p in document.paragraphs if p.text == question.texts[1])
    if added:
        paragraph.add_run(added)
    if comment:
        document.add_comment(paragraph.runs, text=comment, author="Siobhan Kelly")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(app, data: bytes, name: str = "draft-v1 edited.docx"):
    uploader = next(u for u in app.file_uploader if u.label == UPLOAD)
    return uploader.set_value((name, data, "application/octet-stream")).run()


def test_officer_uploads_an_edited_copy_reviews_each_section_and_saves_version_2(open_page, board):
    data = edited_copy(board, board.officer, comment="Say which councils.", added=" Sadly so.")
    app = open_as(open_page, board, board.officer, DRAFT)

    app = upload(app, data)

    assert not app.exception and not app.error
    shown = texts(app)
    assert "Sadly so." in shown and "Say which councils." in shown
    assert any("sections changed, 1 comment" in m.value for m in app.markdown)
    next(b for b in app.button if b.label == "Save as version 2").click().run()
    assert not app.exception and not app.error
    with read_scope(board.engine) as session:
        saved = latest(session, board.cid)
        assert saved.number == 2 and saved.note == "Edited in Word by Siobhan Kelly"
        assert any("Sadly so." in b.text for s in draft_of(saved).sections for b in s.blocks)
        [comment] = session.scalars(select(SectionComment)).all()
        assert comment.text.startswith("Say which councils.")


def test_officer_sees_a_plain_refusal_for_a_file_that_is_not_our_draft(open_page, board):
    plain = docx.Document()
    plain.add_paragraph("Our own words.")
    buffer = io.BytesIO()
    plain.save(buffer)
    app = open_as(open_page, board, board.officer, DRAFT)

    app = upload(app, buffer.getvalue(), "letter.docx")

    assert [e.value for e in app.error] == [
        "This file is not a draft from the workbench: it does not carry the draft's identity. "
        "Download the draft from the workbench, edit that copy in Word or LibreOffice, and "
        "upload it."
    ]
    assert not [b for b in app.button if b.label.startswith("Save as version")]


def test_a_board_member_uploads_a_copy_and_its_comment_is_saved_on_its_section(open_page, board):
    send(board)
    data = edited_copy(board, board.member, comment="Lead with the ask.")
    app = open_as(open_page, board, board.member, REVIEW)

    app = upload(app, data)
    assert "Lead with the ask." in texts(app)
    button(app, "Save as my comments").click().run()

    assert not app.exception and not app.error
    with read_scope(board.engine) as session:
        [comment] = session.scalars(select(SectionComment)).all()
        assert comment.member_id == board.member
        assert comment.text.startswith("Lead with the ask.\n— Siobhan Kelly in Word")
        assert latest(session, board.cid).number == 1


def test_a_stale_copy_shows_the_conflict_side_by_side_and_keeps_the_apps_text(open_page, board):
    data = edited_copy(board, board.officer, added=" From the copy.")
    with session_scope(board.engine) as session:
        newest = latest(session, board.cid)
        key = next(s.key for s in read_copy(data).sections if s.key.startswith("question-"))
        section = draft_of(newest).section(key)
        edited = replace(
            section, blocks=[Block("paragraph", "The app's own words."), *section.blocks]
        )
        save_section(session, as_(session, board.officer), board.cid, edited, seen=1, now=NOW)
    app = open_as(open_page, board, board.officer, DRAFT)

    app = upload(app, data)

    assert any("the newest is version 2" in w.value for w in app.warning)
    assert "The app's own words." in texts(app) and "From the copy." in texts(app)
    [choice] = [c for c in app.checkbox if c.label.startswith("Use the copy's text for")]
    assert choice.value is False
    app.radio[0].set_value(LEAVE_FOR_REVIEW)  # in the form: sent with its button
    button(app, "Save as version 3").click().run()
    assert not app.exception and not app.error
    with read_scope(board.engine) as session:
        saved = latest(session, board.cid)
        assert saved.note.endswith("kept the app's text of 1 section changed since")
        blocks = draft_of(saved).section(key).blocks
        assert blocks[0].text == "The app's own words." and blocks[0].included
        assert not blocks[-1].included and "From the copy." in blocks[-1].text
        suggestions = session.scalars(select(SectionComment.text)).all()
        assert any("+" in text and "From the copy." in text for text in suggestions)
