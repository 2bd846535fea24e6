"""Evidence arriving through the pages: attached files, the Excel template, a Word response.

Driven through AppTest on a real database, with files the tests build; the importers themselves
are tested in test_attachments, test_excel_route and test_word_route.
"""

from __future__ import annotations

import hashlib
import io

import docx
import openpyxl
import pytest
from sqlalchemy import select

from consultations.consultation import get_consultation
from consultations.db import read_scope
from consultations.models import AuditEvent
from evidence.excel_route import HEADER_ROW, RESPONSE_SHEET, build_template
from evidence.models import Answer, Attachment
from tests.test_evidence_pages import ANSWER, button, make_world, partner
from tests.test_files import pdf_bytes, windows_program
from tests.test_pages import texts

FIRST = HEADER_ROW + 1
IMPORT = "evidence/pages/import_response.py"


@pytest.fixture
def world(engine):
    return make_world(engine)


MARKUP = "<script>alert('x')</script> **Waiting lists** [doubled](https://example.org)"


def answer_page(open_page, world, person=None):
    person = person or partner(world)
    return open_page(ANSWER, as_user=person, query={"consultation": world["cid"]})


def uploader(app, label):
    return next(u for u in app.file_uploader if u.label == label)


def attachments(world):
    with read_scope(world["engine"]) as session:
        return [(a.name, a.size, a.sha256) for a in session.scalars(select(Attachment))]


def answers(world):
    with read_scope(world["engine"]) as session:
        rows = session.scalars(select(Answer).order_by(Answer.question_id))
        return [(a.position, a.text, a.entered_by_officer) for a in rows]


def test_partner_attaches_a_pdf_and_sees_it_listed(open_page, world):
    app = answer_page(open_page, world)
    data = pdf_bytes("Waiting times in Belfast")
    uploader(app, "Add a file").set_value(("Waiting times.pdf", data, "application/pdf")).run()
    button(app, "Attach this file").click().run()

    assert not app.exception
    assert "Attached Waiting times.pdf." in texts(app)
    assert uploader(app, "Add a file").value is None  # ready for the next file
    assert any(t.value.startswith("Waiting times.pdf (") for t in app.text)
    assert attachments(world) == [
        ("Waiting times.pdf", len(data), hashlib.sha256(data).hexdigest())
    ]


def test_renamed_program_is_refused_on_the_page_and_nothing_is_stored(open_page, world):
    app = answer_page(open_page, world)
    uploader(app, "Add a file").set_value(("report.pdf", windows_program(), "application/pdf"))
    app.run()
    button(app, "Attach this file").click().run()

    assert not app.exception
    assert "program" in " ".join(e.value for e in app.error).lower()
    assert attachments(world) == []


def test_another_organisations_file_is_not_listed_for_a_partner(open_page, world):
    council = answer_page(open_page, world)
    uploader(council, "Add a file").set_value(("ours.pdf", pdf_bytes(), "application/pdf"))
    council.run()
    button(council, "Attach this file").click().run()

    trust = answer_page(open_page, world, partner(world, "trust"))
    assert "ours.pdf" not in texts(trust)
    assert "No files yet." in texts(trust)


def filled_template(app, world, cells: dict[str, str]) -> bytes:
    """The template the page offers, filled in as a partner's Excel would."""
    assert [d for d in app.get("download_button") if "Excel template" in d.proto.label]
    with read_scope(world["engine"]) as session:
        consultation = get_consultation(session, int(world["cid"]))
        data = build_template(consultation, consultation.questions, organisation_name="Council")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for cell, value in cells.items():
        workbook[RESPONSE_SHEET][cell] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_partner_fills_the_excel_template_previews_and_imports_it(open_page, world):
    app = answer_page(open_page, world)
    data = filled_template(
        app,
        world,
        {
            f"C{FIRST}": "Disagree",
            f"D{FIRST}": MARKUP,
            f"C{FIRST + 2}": "Agree",
            f"D{FIRST + 2}": "Schools in Newry need the funding.",
        },
    )
    uploader(app, "Upload a filled template (.xlsx)").set_value(
        ("our response.xlsx", data, "application/octet-stream")
    ).run()
    preview = next(d.value for d in app.dataframe if "Evidence" in d.value.columns)
    assert list(preview["Question"]) == ["Q1", "Q3"]
    assert answers(world) == []  # nothing saved before the partner confirms

    button(app, "Import 2 answers from our response.xlsx").click().run()
    assert not app.exception
    assert "Imported the answers from our response.xlsx" in texts(app)
    assert answers(world) == [
        ("Disagree", MARKUP, False),
        ("Agree", "Schools in Newry need the funding.", False),
    ]


def test_the_partners_excel_template_says_it_holds_the_answers_saved_so_far(open_page, world):
    app = answer_page(open_page, world)
    filled_in = "The template comes filled in with the answers saved so far."
    assert filled_in not in texts(app)
    app.text_area[0].input("Waiting lists have doubled.")
    button(app, "Save").click().run()
    assert filled_in in texts(app)


def test_excel_with_a_position_not_in_the_list_names_its_row_and_column(open_page, world):
    app = answer_page(open_page, world)
    data = filled_template(app, world, {f"C{FIRST}": "Strongly agree", f"D{FIRST}": "Yes."})
    uploader(app, "Upload a filled template (.xlsx)").set_value(
        ("response.xlsx", data, "application/octet-stream")
    ).run()

    problems = " ".join(e.value for e in app.error) + texts(app)
    assert f"row {FIRST}" in problems.lower()
    assert "Strongly agree" in problems
    assert not [b for b in app.button if b.label.startswith("Import ")]
    assert answers(world) == []


def test_markup_in_a_comment_is_shown_as_text_never_rendered(open_page, world):
    app = answer_page(open_page, world)
    app.text_area[0].input(MARKUP)
    button(app, "Save").click().run()
    app = answer_page(open_page, world)

    assert app.text_area[0].value == MARKUP
    shown_as_markdown = " ".join(m.value for m in app.markdown)
    assert "<script>" not in shown_as_markdown
    assert "[doubled](" not in shown_as_markdown


def word_response() -> bytes:
    document = docx.Document()
    document.add_paragraph("Response from the Eastern Health and Care Trust")
    document.add_paragraph("Question 1")
    document.add_paragraph("We disagree. GP registration is already slow for new arrivals.")
    document.add_paragraph("Question 2")
    document.add_paragraph("We agree, provided interpreters are funded.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_officer_imports_a_word_response_for_a_partner_after_checking_the_mapping(open_page, world):
    app = open_page(IMPORT, as_user=world["officer"], query={"consultation": world["cid"]})
    assert not app.exception
    organisation = next(s for s in app.selectbox if s.label == "Organisation")
    organisation.set_value("Eastern Health and Care Trust").run()
    uploader(app, "A partner's response: a Word or PDF letter, or their own spreadsheet").set_value(
        ("trust.docx", word_response(), "application/octet-stream")
    ).run()

    assert "The document splits into" in texts(app)
    mapped = [s.value for s in app.selectbox if s.label == "Answers the question"]
    assert len(mapped) >= 2
    import_button = next(b for b in app.button if b.label.startswith("Import "))
    import_button.click().run()

    assert not app.exception
    assert answers(world) == [
        ("Disagree", "We disagree. GP registration is already slow for new arrivals.", True),
        ("Agree", "We agree, provided interpreters are funded.", True),
    ]
    with read_scope(world["engine"]) as session:
        imported = session.scalar(select(AuditEvent).where(AuditEvent.action == "answers.imported"))
        assert imported.actor_id == world["officer"].id


def test_the_import_page_says_answers_cannot_change_before_any_file_is_chosen(open_page, world):
    from consultations.db import session_scope
    from consultations.models import Consultation

    with session_scope(world["engine"]) as session:
        session.get(Consultation, int(world["cid"])).status = "in_review"
    app = open_page(IMPORT, as_user=world["officer"], query={"consultation": world["cid"]})
    assert not app.exception
    assert "The draft is with the board, so answers can no longer change." in texts(app)
    assert not app.file_uploader


def test_partner_cannot_open_the_officers_import_page(open_page, world):
    app = open_page(IMPORT, as_user=partner(world), query={"consultation": world["cid"]})
    assert not app.file_uploader
    with read_scope(world["engine"]) as session:
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "access.refused"))


def partner_saves(world, person, question: int, text: str, seen: int) -> None:
    from consultations.dates import uk_today
    from consultations.db import session_scope
    from evidence.submissions import AnswerInput, save_answer
    from tests.conftest import NOW

    with session_scope(world["engine"]) as session:
        with read_scope(world["engine"]) as reading:
            qid = get_consultation(reading, int(world["cid"])).questions[question].id
        save_answer(
            session,
            session.merge(person),
            int(world["cid"]),
            AnswerInput(question_id=qid, text=text),
            seen_version=seen,
            today=uk_today(),
            now=NOW,
        )


def test_an_import_shows_the_answers_it_replaces_and_keeps_newer_ones_without_a_yes(
    open_page, world
):
    colleague = partner(world, "trust")
    from consultations.dates import plain_datetime
    from tests.conftest import NOW

    partner_saves(world, colleague, 0, "Our first thoughts on GP registration.", seen=0)
    app = open_page(IMPORT, as_user=world["officer"], query={"consultation": world["cid"]})
    organisation = next(s for s in app.selectbox if s.label == "Organisation")
    organisation.set_value("Eastern Health and Care Trust").run()
    uploader(app, "A partner's response: a Word or PDF letter, or their own spreadsheet").set_value(
        ("trust.docx", word_response(), "application/octet-stream")
    ).run()
    preview = next(d.value for d in app.dataframe if "What importing does" in d.value.columns)
    assert list(preview["What importing does"]) == [
        f"Replaces the answer saved by {colleague.name} on {plain_datetime(NOW)}",
        "New: nothing saved yet",
    ]
    assert list(preview["The saved answer it replaces"]) == [
        "Our first thoughts on GP registration.",
        "",
    ]

    # The colleague saves a newer answer to Q2 while the officer is reading the preview.
    partner_saves(world, colleague, 1, "Interpreters are the whole point.", seen=0)
    next(b for b in app.button if b.label.startswith("Import ")).click().run()
    assert not app.exception
    assert "someone saved newer answers to Q2" in texts(app)
    assert [a[1] for a in answers(world)] == [
        "Our first thoughts on GP registration.",
        "Interpreters are the whole point.",
    ]

    next(c for c in app.checkbox if c.label.startswith("Replace the newer answer")).check().run()
    next(b for b in app.button if b.label.startswith("Import ")).click().run()
    assert not app.exception
    assert [a[1] for a in answers(world)] == [
        "We disagree. GP registration is already slow for new arrivals.",
        "We agree, provided interpreters are funded.",
    ]


def test_a_file_chosen_but_not_attached_is_warned_about_before_submitting(open_page, world):
    app = answer_page(open_page, world)
    app.text_area[0].input("Our answer.")
    button(app, "Save").click().run()
    uploader(app, "Add a file").set_value(("Waiting times.pdf", pdf_bytes(), "application/pdf"))
    app.run()

    warned = " ".join(w.value for w in app.warning)
    assert "You chose the file 'Waiting times.pdf' under Evidence files but have not attached" in (
        warned
    )
    confirm = next(c for c in app.checkbox if c.label.startswith("I have checked the answers"))
    assert confirm.label.endswith("without the file 'Waiting times.pdf'.")

    button(app, "Attach this file").click().run()
    assert "have not attached" not in " ".join(w.value for w in app.warning)
    assert attachments(world)[0][0] == "Waiting times.pdf"
