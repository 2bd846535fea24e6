"""The draft in Word, and back: identity in the .docx, edited copies read, compared and saved.

Copies are edited by LibreOffice itself (change tracking on, text replaced, a paragraph deleted,
paragraphs added, a comment; built once for the module) and by hand in Word's own markup
(``w:ins``, ``w:del``, ``w:moveFrom``/``w:moveTo``, paragraph marks, comments).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import replace
from datetime import datetime

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from sqlalchemy import select

from consultations.demo_guard import IDENTITY as DATABASE_IDENTITY
from consultations.errors import WorkbenchError
from consultations.models import AuditEvent, Consultation, Meta, User
from exports.draft_model import Block, Section
from exports.drafts import draft_of, save_section
from exports.models import DraftVersion, ReviewRequest, SectionComment
from exports.word import write_docx
from exports.word_marks import DocumentIdentity, WordComment
from exports.word_return import (
    ACCEPT,
    REVIEW,
    board_comments,
    check_copy,
    draft_docx,
    dry_run,
    main,
    read_upload,
    save_board_copy,
    save_edited_copy,
)
from exports.word_return_compare import apply_copy, review_copy
from exports.word_return_read import read_copy
from tests.conftest import NOW, add_consultation, add_person, later
from tests.libreoffice_edit import Comment, LibreOfficeEditor
from tests.test_word import sample_draft

IDENTITY = DocumentIdentity(7, "HO-2026-ES-04", 1)
QUESTION = "question-1"
# What the LibreOffice editor does to version 1 (sample_draft) of the draft.
ABOUT_PARAGRAPHS = [
    "About the partnership and this response",
    "The partnership brings together",
    "Fourteen partners from five sectors",
]
LIBREOFFICE_CHANGES = [
    ("replace", "9 disagreed", "ten disagreed"),
    ("delete-paragraph", "Longer temporary status makes landlords"),
    ("replace", "38% in 2025", "41% in 2025"),
    ("add-paragraph", "Partners mostly disagreed", "Two partners asked for a longer transition."),
    ("add-paragraph", "The Common Travel Area needs", "Added after the last section end."),
    *(("delete-paragraph", words) for words in ABOUT_PARAGRAPHS),
]
LIBREOFFICE_COMMENT = Comment("Families on temporary leave", "Margaret Doherty", "Name councils.")


APP_COMMENT = WordComment(
    QUESTION, "Margaret Doherty", "Say which councils.", datetime(2026, 12, 1, 9)
)


def ours(draft=None, identity=IDENTITY, comments=()) -> bytes:
    return write_docx(draft or sample_draft(), identity=identity, comments=comments)


@pytest.fixture(scope="module")
def libreoffice(tmp_path_factory) -> dict[str, bytes]:
    """Copies of version 1 that LibreOffice saved: as it was, and edited (a section deleted)."""
    editor = LibreOfficeEditor(tmp_path_factory.mktemp("libreoffice"))
    data = ours()
    return {
        "resaved": editor.save_as_docx(ours(comments=[APP_COMMENT])),
        "edited": editor.edit(
            data, changes=LIBREOFFICE_CHANGES, comments=[LIBREOFFICE_COMMENT], name="edited"
        ),
    }


def statuses(data: bytes) -> dict[str, str]:
    return {line["section"]: line["status"] for line in dry_run(data)}


# --- Identity, and the board's comments, in the .docx -----------------------------------------


def test_docx_carries_consultation_version_and_each_written_section_in_order():
    copy = read_copy(ours())

    assert copy.identity.consultation_id == 7 and copy.identity.version == 1
    assert copy.identity.reference == "HO-2026-ES-04"
    assert [s.key for s in copy.sections] == ["about", "summary", QUESTION, "annex"]
    assert copy.section("summary").texts[0] == "Summary of key points"
    assert copy.outside == [] and copy.comments == []
    assert set(statuses(ours()).values()) == {"unchanged"}


@pytest.mark.slow
def test_identity_and_sections_survive_libreoffice_saving_the_docx(libreoffice):
    copy = read_copy(libreoffice["resaved"])

    assert copy.identity == read_copy(ours()).identity
    assert [s.key for s in copy.sections] == ["about", "summary", QUESTION, "annex"]
    # The annex's table survives too, though LibreOffice rewrites a bookmark around a table.
    assert len(copy.section("annex").texts) == 6
    assert set(statuses(libreoffice["resaved"]).values()) == {"unchanged"}
    [comment] = copy.comments  # the board's comment written by the app, kept by LibreOffice
    assert (comment.author, comment.text, comment.section) == (
        "Margaret Doherty",
        "Say which councils.",
        QUESTION,
    )


def test_app_comments_go_into_the_docx_as_word_comments_with_author_and_date():
    said = WordComment(
        QUESTION, "Margaret Doherty", "Say which councils.", datetime(2026, 12, 1, 9)
    )
    data = ours(comments=[said])

    document = docx.Document(io.BytesIO(data))
    [comment] = list(document.comments)
    assert (comment.author, comment.text, comment.initials) == (
        "Margaret Doherty",
        "Say which councils.",
        "MD",
    )
    assert comment.timestamp.replace(tzinfo=None) == datetime(2026, 12, 1, 9)
    [back] = read_copy(data).comments
    assert back.section == QUESTION and back.covered.startswith("Question 1:")


# --- Reading what editors did ----------------------------------------------------------------


@pytest.mark.slow
def test_libreoffice_tracked_changes_comment_and_added_paragraphs_are_all_read(libreoffice):
    lines = {line["section"]: line for line in dry_run(libreoffice["edited"])}

    assert lines["about"]["status"] == "deleted" and lines["annex"]["status"] == "unchanged"
    assert lines["about"]["deletions"] == 3
    assert lines["summary"]["status"] == "changed" and lines["summary"]["insertions"] == 1
    question = lines[QUESTION]
    assert question["status"] == "changed"
    assert question["insertions"] == 2 and question["deletions"] == 3
    assert question["comments"] == [{"author": "Margaret Doherty", "text": "Name councils."}]
    [added] = [line for line in lines.values() if line["status"] == "new"]
    assert added["after"] == "summary" and added["text"] == ["Added after the last section end."]
    copy = read_copy(libreoffice["edited"])
    assert "Aoife Byrne" in copy.change_authors
    [comment] = copy.comments
    assert comment.covered.startswith("“Families on temporary leave")
    assert comment.written_at == datetime(2026, 12, 7, 9, 30)


def word_edit(data: bytes, words: str, runs_xml: str, *, mark: str = "") -> bytes:
    """Replace the runs of the paragraph holding ``words`` with Word's markup, by hand."""
    document = docx.Document(io.BytesIO(data))
    paragraph = next(p for p in document.paragraphs if words in p.text)
    for run in paragraph._p.findall(qn("w:r")):
        paragraph._p.remove(run)
    for element in parse_xml(f"<w:body {nsdecls('w')}>{runs_xml}</w:body>"):
        paragraph._p.append(element)
    if mark:
        properties = paragraph._p.get_or_add_pPr()
        properties.append(parse_xml(f"<w:rPr {nsdecls('w')}>{mark}</w:rPr>"))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


INS = 'w:id="{0}" w:author="Siobhan Kelly" w:date="2026-12-07T10:00:00Z"'


def word_copy() -> bytes:
    """Version 1 edited in Word's own markup: insertions, deletions, a move, a joined paragraph."""
    data = ours()
    data = word_edit(
        data,
        "Of 14 partners who answered",
        f'<w:r><w:t xml:space="preserve">Of 14 partners who answered, </w:t></w:r>'
        f"<w:del {INS.format(1)}><w:r><w:delText>9</w:delText></w:r></w:del>"
        f"<w:ins {INS.format(2)}><w:r><w:t>nine</w:t></w:r></w:ins>"
        f'<w:r><w:t xml:space="preserve"> disagreed, 3 agreed and 2 were unsure.</w:t></w:r>',
    )
    data = word_edit(
        data,
        "The Common Travel Area needs",
        f"<w:moveFrom {INS.format(3)}><w:r><w:t>The Common Travel Area needs explicit guidance."
        f"</w:t></w:r></w:moveFrom>",
        mark=f"<w:del {INS.format(4)}/>",
    )
    data = word_edit(
        data,
        "Partners mostly disagreed",
        f'<w:moveTo {INS.format(5)}><w:r><w:t xml:space="preserve">'
        f"The Common Travel Area needs explicit guidance. </w:t></w:r></w:moveTo>"
        f"<w:r><w:t>Partners mostly disagreed with the proposals.</w:t></w:r>",
    )
    document = docx.Document(io.BytesIO(data))
    target = next(p for p in document.paragraphs if "People stop planning" in p.text)
    document.add_comment(target.runs, text="Too gloomy?", author="Siobhan Kelly", initials="SK")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_insertions_deletions_moves_and_comments_are_read_in_words_own_markup():
    copy = read_copy(word_copy())

    question = copy.section(QUESTION)
    assert (
        question.texts[1]
        == "Of 14 partners who answered, nine disagreed, 3 agreed and 2 were unsure."
    )
    assert question.pieces[1].marked == (
        "Of 14 partners who answered, [-9-][+nine+] disagreed, 3 agreed and 2 were unsure."
    )
    assert (question.insertions, question.deletions) == (1, 1)
    summary = copy.section("summary")
    assert summary.texts[1].startswith("The Common Travel Area needs explicit guidance. Partners")
    assert "The Common Travel Area needs explicit guidance." not in summary.texts[2:]
    assert (summary.insertions, summary.deletions) == (1, 1)
    [comment] = copy.comments
    assert (comment.author, comment.text, comment.section) == (
        "Siobhan Kelly",
        "Too gloomy?",
        QUESTION,
    )
    assert comment.covered == "“People stop planning their lives while they wait.”"
    assert copy.change_authors == ["Siobhan Kelly"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 not really a zip", "not a Word document that can be read"),
        (None, "not a draft from the workbench"),
    ],
)
def test_a_file_that_is_not_one_of_our_drafts_is_refused_plainly(data, message):
    if data is None:
        plain = docx.Document()
        plain.add_paragraph("Our own response, written from scratch.")
        buffer = io.BytesIO()
        plain.save(buffer)
        data = buffer.getvalue()

    with pytest.raises(WorkbenchError, match=message):
        read_copy(data)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("draft.docm", b"PK\x03\x04", "macro"),
        ("draft.docx", b"", "empty"),
        ("draft.pdf", b"%PDF-1.4", "not accepted"),
    ],
)
def test_an_upload_that_is_not_a_safe_docx_is_refused_before_it_is_read(name, data, message):
    with pytest.raises(WorkbenchError, match=message):
        check_copy(name, data, max_bytes=1024 * 1024)


def test_dry_run_prints_a_json_line_per_section_and_refuses_with_status_2(tmp_path, capsys):
    copy = tmp_path / "copy.docx"
    copy.write_bytes(word_copy())
    other = tmp_path / "other.docx"
    docx.Document().save(other)

    assert main([str(copy)]) == 0
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["section"] for line in lines] == ["about", "summary", QUESTION, "annex"]
    assert lines[2] == {
        "section": QUESTION,
        "status": "changed",
        "insertions": 1,
        "deletions": 1,
        "comments": [{"author": "Siobhan Kelly", "text": "Too gloomy?"}],
    }
    assert "Consultation 7 (HO-2026-ES-04), version 1" in err
    assert main([str(other)]) == 2
    assert "not a draft from the workbench" in capsys.readouterr().err


# --- Saving on a real database ----------------------------------------------------------------


def restamped(
    data: bytes, consultation_id: int, version: int, reference="HO-FM-1", database=None
) -> bytes:
    """The copy carrying another identity (the consultation the test's database gave)."""
    values = {
        "WorkbenchConsultationId": str(consultation_id),
        "WorkbenchVersion": str(version),
        "WorkbenchReference": reference,
    }
    if database is not None:
        values["WorkbenchDatabase"] = database
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/custom.xml":
                text = content.decode()
                for name, value in values.items():
                    text = re.sub(
                        rf'(name="{name}"[^>]*>\s*<vt:lpwstr>)[^<]*', rf"\g<1>{value}", text
                    )
                content = text.encode()
            target.writestr(item, content)
    return buffer.getvalue()


@pytest.fixture
def world(session):
    officer = add_person(session, "officer")
    officer.name = "Niamh Officer"
    consultation = add_consultation(session, officer, questions=1)
    session.add(
        DraftVersion(
            consultation_id=consultation.id,
            number=1,
            created_at=NOW,
            created_by_id=officer.id,
            note="First draft",
            change="assembled",
            content=sample_draft(reference="HO-FM-1").to_json(),
        )
    )
    session.flush()
    return {"officer": officer, "cid": consultation.id}


def save(session, world, data, *, mode=ACCEPT, take_copy=(), hours=1):
    return save_edited_copy(
        session,
        world["officer"],
        world["cid"],
        data,
        mode=mode,
        take_copy=take_copy,
        now=later(hours=hours),
    )


@pytest.mark.slow
def test_officer_saves_a_libreoffice_copy_as_a_new_version_with_every_change_accepted(
    session, world, libreoffice
):
    data = restamped(libreoffice["edited"], world["cid"], 1)

    saved = save(session, world, data)

    draft = draft_of(saved)
    assert (
        saved.number == 2 and saved.change == "word" and saved.created_by_id == world["officer"].id
    )
    assert saved.note == "Edited in Word by Aoife Byrne, Margaret Doherty"
    assert len(saved.word_sha256) == 64
    question = draft.section(QUESTION).blocks
    assert question[0].text.startswith("Of 14 partners who answered, ten disagreed")
    assert question[2].text.startswith("Longer temporary status") and not question[2].included
    assert question[2].answer_ids == [1, 2, 3, 4]  # the trace to the evidence is kept
    figure = question[4]
    assert figure.text.endswith("rose by 41% in 2025.")
    assert figure.attribution == "Northern Ireland Housing Executive"
    summary = [b.text for b in draft.section("summary").blocks]
    assert summary[1] == "Two partners asked for a longer transition."
    keys = [s.key for s in draft.sections]
    added = draft.sections[keys.index("summary") + 1]
    assert [b.text for b in added.blocks] == ["Added after the last section end."]
    [comment] = session.scalars(select(SectionComment)).all()
    assert comment.section_key == QUESTION and comment.draft_version_id == saved.id
    assert comment.text.startswith("Name councils.\n— Margaret Doherty in Word")
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "draft.word"))
    # The new version written out again reads as unchanged against itself.
    again = draft_docx(session, world["officer"], world["cid"], 2)
    assert set(statuses(again).values()) == {"unchanged"}


@pytest.mark.slow
def test_changes_left_for_review_keep_the_text_and_propose_each_change_beside_it(
    session, world, libreoffice
):
    data = restamped(libreoffice["edited"], world["cid"], 1)

    draft = draft_of(save(session, world, data, mode=REVIEW))

    question = draft.section(QUESTION).blocks
    assert question[0].text.startswith("Of 14 partners who answered, 9 disagreed")
    assert question[0].included
    assert question[1].text.startswith("Of 14 partners who answered, ten disagreed")
    assert not question[1].included and question[1].answer_ids == question[0].answer_ids
    assert question[3].text.startswith("Longer temporary status") and question[3].included
    written = read_copy(ours(draft)).section(QUESTION).texts
    assert "9 disagreed" in written[1] and not any("ten disagreed" in t for t in written)
    suggestions = session.scalars(
        select(SectionComment.text).where(SectionComment.section_key == QUESTION)
    ).all()
    assert any("− Longer temporary status" in text for text in suggestions)


@pytest.mark.slow
def test_a_stale_copy_never_overwrites_a_section_changed_in_the_app_since(
    session, world, libreoffice
):
    one = draft_of(session.scalar(select(DraftVersion)))
    section = one.section(QUESTION)
    edited = replace(section, blocks=[replace(section.blocks[0], text="The app's own words.")])
    save_section(session, world["officer"], world["cid"], edited, seen=1, now=later(hours=1))
    data = restamped(libreoffice["edited"], world["cid"], 1)

    review = read_upload(session, world["officer"], world["cid"], data).review
    kept = draft_of(save(session, world, data, hours=2))

    assert review.stale and [s.key for s in review.conflicts] == [QUESTION]
    conflict = review.conflicts[0]
    assert "The app's own words." in conflict.app_text
    assert any("ten disagreed" in text for text in conflict.copy_text)
    blocks = kept.section(QUESTION).blocks
    assert blocks[0].text == "The app's own words." and blocks[0].included
    assert not blocks[-1].included and "ten disagreed" in blocks[-1].text
    assert kept.section("summary").blocks[1].text == "Two partners asked for a longer transition."


@pytest.mark.slow
def test_a_stale_copy_takes_the_copys_section_only_when_the_officer_chooses_it(
    session, world, libreoffice
):
    one = draft_of(session.scalar(select(DraftVersion)))
    section = one.section(QUESTION)
    edited = replace(section, blocks=[replace(section.blocks[0], text="The app's own words.")])
    save_section(session, world["officer"], world["cid"], edited, seen=1, now=later(hours=1))
    data = restamped(libreoffice["edited"], world["cid"], 1)

    saved = save(session, world, data, take_copy=[QUESTION], hours=2)

    assert draft_of(saved).section(QUESTION).blocks[0].text.startswith("Of 14 partners")
    assert "ten disagreed" in draft_of(saved).section(QUESTION).blocks[0].text


@pytest.mark.slow
def test_a_section_deleted_in_the_copy_is_left_out_of_the_new_version_and_kept_in_it(
    session, world, libreoffice
):
    data = restamped(libreoffice["edited"], world["cid"], 1)

    draft = draft_of(save(session, world, data))

    about = draft.section("about")
    assert about.blocks and all(not block.included for block in about.blocks)
    assert "about" not in [s.key for s in read_copy(ours(draft)).sections]


@pytest.mark.slow
def test_another_consultations_copy_and_the_same_copy_twice_are_refused(
    session, world, libreoffice
):
    other = add_consultation(session, world["officer"], questions=0, reference="HO-OTHER-9")

    with pytest.raises(
        WorkbenchError, match=r"another consultation's draft \(reference HO-OTHER-9\)"
    ):
        save(session, world, restamped(libreoffice["resaved"], other.id, 1, "HO-OTHER-9"))
    data = restamped(libreoffice["resaved"], world["cid"], 1)
    save(session, world, data)
    with pytest.raises(WorkbenchError, match="already saved as version 2"):
        save(session, world, data, hours=2)
    with pytest.raises(WorkbenchError, match="version 9 of the draft, which this consultation"):
        save(session, world, restamped(libreoffice["resaved"], world["cid"], 9))
    with pytest.raises(WorkbenchError, match="no changes or comments that are not already"):
        save(session, world, restamped(ours(sample_draft()), world["cid"], 2), hours=3)


def test_a_copy_from_another_workbench_is_refused_and_an_edited_reference_is_not(session, world):
    session.add(Meta(key=DATABASE_IDENTITY, value="our-database"))
    session.get(Consultation, world["cid"]).reference = "HO-FM-1 (revised)"
    session.flush()
    data = draft_docx(session, world["officer"], world["cid"], 1)
    assert read_copy(data).identity.database == "our-database"

    demo = restamped(data, world["cid"], 1, "HO-FM-1 (revised)", database="the-demo")
    with pytest.raises(WorkbenchError, match="comes from another workbench"):
        read_upload(session, world["officer"], world["cid"], demo)
    session.get(Consultation, world["cid"]).reference = "HO-FM-2"  # edited since the download
    read = read_upload(session, world["officer"], world["cid"], data)
    assert {s.status for s in read.review.sections} == {"unchanged"}


@pytest.mark.slow
def test_the_boards_comment_the_app_wrote_into_the_copy_is_not_added_again(
    session, world, libreoffice
):
    member = add_person(session, "board", email="margaret@example.org")
    version = session.scalar(select(DraftVersion))
    session.add(
        SectionComment(
            consultation_id=world["cid"],
            draft_version_id=version.id,
            member_id=member.id,
            section_key=QUESTION,
            text=APP_COMMENT.text,
            created_at=NOW,
        )
    )
    session.flush()

    with pytest.raises(WorkbenchError, match="no changes or comments that are not already"):
        save(session, world, restamped(libreoffice["resaved"], world["cid"], 1))

    assert session.scalars(select(SectionComment.text)).all() == [APP_COMMENT.text]


def test_board_comments_written_out_are_the_versions_and_earlier_open_ones(session, world):
    board = add_person(session, "board", email="chair@example.org")
    board.name = "Margaret Doherty"
    version = session.scalar(select(DraftVersion))
    for text, addressed in (("Open still.", None), ("Dealt with.", NOW)):
        session.add(
            SectionComment(
                consultation_id=world["cid"],
                draft_version_id=version.id,
                member_id=board.id,
                section_key=QUESTION,
                text=text,
                created_at=NOW,
                addressed_at=addressed,
            )
        )
    session.flush()

    assert [c.text for c in board_comments(session, world["cid"], 1)] == [
        "Open still.",
        "Dealt with.",
    ]
    assert [c.text for c in board_comments(session, world["cid"], 2)] == ["Open still."]
    data = draft_docx(session, world["officer"], world["cid"], 1)
    assert {(c.author, c.section) for c in read_copy(data).comments} == {
        ("Margaret Doherty", QUESTION)
    }


def in_review(session, world) -> User:
    """Version 1 with the board (as sending it would leave it); return a board member."""
    version = session.scalar(select(DraftVersion))
    session.add(
        ReviewRequest(
            consultation_id=world["cid"],
            draft_version_id=version.id,
            sent_by_id=world["officer"].id,
            sent_at=NOW,
            review_by=NOW.date(),
        )
    )
    session.get(Consultation, world["cid"]).status = "in_review"
    member = add_person(session, "board", email="david@example.org")
    member.name = "David Kerr"
    session.flush()
    return member


def test_a_board_members_copy_becomes_their_comments_on_the_version_in_review(session, world):
    member = in_review(session, world)
    data = draft_docx(session, member, world["cid"], 1)
    document = docx.Document(io.BytesIO(data))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Of 14 partners"))
    document.add_comment(paragraph.runs, text="Lead with the ask.", author="David Kerr")
    paragraph.add_run(" Ask for a review in a year.")
    buffer = io.BytesIO()
    document.save(buffer)

    saved = save_board_copy(session, member, world["cid"], buffer.getvalue(), now=later(hours=3))

    comments = session.scalars(select(SectionComment).order_by(SectionComment.id)).all()
    assert saved == 2
    assert session.scalars(select(DraftVersion.number)).all() == [1]  # the draft is not edited
    assert [(c.member_id, c.section_key, c.text.splitlines()[0]) for c in comments] == [
        (member.id, QUESTION, "Lead with the ask."),
        (member.id, QUESTION, "The Word copy (David Kerr) changed this section:"),
    ]
    assert "+ Of 14 partners who answered, 9 disagreed" in comments[1].text
    with pytest.raises(WorkbenchError, match="no comments or changes"):
        save_board_copy(session, member, world["cid"], buffer.getvalue(), now=later(hours=4))


def moved_section(data: bytes, key: str, before: str) -> bytes:
    """The copy with a section's paragraphs cut and pasted before another section."""
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    starts = {
        mark.get(qn("w:name")): next(a for a in mark.iterancestors() if a.getparent() is body)
        for mark in body.iter(qn("w:bookmarkStart"))
        if mark.get(qn("w:name")).startswith("wb_")
    }
    names = list(starts)
    first = next(name for name in names if name.endswith(key.replace("-", "_")))
    following = starts[names[names.index(first) + 1]]
    moving = []
    element = starts[first]
    while element is not following:
        moving.append(element)
        element = element.getnext()
    target = next(starts[n] for n in names if n.endswith(before.replace("-", "_")))
    for element in moving:
        target.addprevious(element)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_section_moved_in_the_copy_is_reported_moved_and_unchanged():
    draft = sample_draft()
    copy = read_copy(moved_section(ours(draft), "about", "annex"))

    review = review_copy(copy, draft, draft, base_number=1, latest_number=1)

    assert [s.key for s in copy.sections] == ["summary", QUESTION, "about", "annex"]
    about = next(s for s in review.sections if s.key == "about")
    assert about.moved and about.status == "unchanged"
    assert not any(s.moved for s in review.sections if s.key != "about")


def test_a_section_added_in_the_app_since_the_copy_is_neither_deleted_nor_touched():
    base = sample_draft()
    extra = Section("added-1", "A section the officer added", [Block("paragraph", "Our own.")])
    latest = replace(base, sections=[*base.sections, extra])
    copy = read_copy(ours(base))

    review = review_copy(copy, base, latest, base_number=1, latest_number=2)
    merged = apply_copy(review, copy, base, latest, mode=ACCEPT)

    assert {s.status for s in review.sections} == {"unchanged"}
    assert merged == latest


def test_a_table_row_deleted_with_tracking_in_word_leaves_the_annex_without_it():
    draft = sample_draft()
    document = docx.Document(io.BytesIO(ours(draft)))
    row = document.tables[0].rows[2]._tr  # "A health partner | Health | ..."
    row.get_or_add_trPr().append(parse_xml(f"<w:del {nsdecls('w')} {INS.format(7)}/>"))
    for text in list(row.iter(qn("w:t"))):
        run = text.getparent()
        deleted = parse_xml(f"<w:del {nsdecls('w')} {INS.format(8)}/>")
        run.addprevious(deleted)
        deleted.append(run)
        text.tag = qn("w:delText")
    buffer = io.BytesIO()
    document.save(buffer)
    copy = read_copy(buffer.getvalue())

    review = review_copy(copy, draft, draft, base_number=1, latest_number=1)
    merged = apply_copy(review, copy, draft, draft, mode=ACCEPT)

    annex = next(s for s in review.sections if s.key == "annex")
    assert annex.status == "changed" and annex.deletions == 6  # the row and its five cells
    assert ("-", "A health partner | Health | Q1 | Disagree | Health and wellbeing") in annex.lines
    rows = merged.section("annex").blocks[0].rows
    assert len(rows) == 4 and not any("A health partner" in row[0] for row in rows)


def test_a_copy_in_words_own_markup_comes_back_as_a_version_with_every_change_and_comment(
    session, world
):
    saved = save(session, world, restamped(word_copy(), world["cid"], 1))

    draft = draft_of(saved)
    assert saved.note == "Edited in Word by Siobhan Kelly"
    question = draft.section(QUESTION).blocks
    assert (
        question[0].text
        == "Of 14 partners who answered, nine disagreed, 3 agreed and 2 were unsure."
    )
    summary = draft.section("summary").blocks
    assert summary[0].text.startswith("The Common Travel Area needs explicit guidance. Partners")
    moved_away = summary[2]
    assert moved_away.text == "The Common Travel Area needs explicit guidance."
    assert not moved_away.included and moved_away.answer_ids == [8]
    [comment] = session.scalars(select(SectionComment)).all()
    assert comment.section_key == QUESTION and comment.text.startswith("Too gloomy?")


def test_a_copy_with_an_entity_bomb_is_refused_plainly_without_expanding_it():
    data = ours()
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    laughs = '<!ENTITY a "lol">' + "".join(
        f'<!ENTITY {chr(98 + n)} "{"&" + chr(97 + n) + ";" * 1}'
        + f'{("&" + chr(97 + n) + ";") * 9}">'
        for n in range(9)
    )
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                text = content.decode()
                head, _, rest = text.partition("?>")
                text = f"{head}?><!DOCTYPE w:document [{laughs}]>{rest}"
                text = text.replace("Partners mostly disagreed", "&j; Partners mostly disagreed")
                content = text.encode()
            target.writestr(item, content)

    with pytest.raises(WorkbenchError, match="damaged inside, so it cannot be read"):
        read_copy(buffer.getvalue())
    with pytest.raises(WorkbenchError, match="declares its own XML entities"):
        check_copy("copy.docx", buffer.getvalue(), max_bytes=1024 * 1024)
