"""Hostile input: any bytes and any text give a result or a clear message, never a crash or a
partial write; partner markup is shown as text; no export cell is a formula; uploads and logins
keep their limits.

The property-based tests use Hypothesis with a fixed seed (``derandomize``) and no example
database, so a run in CI tries the same inputs every time; ``max_examples`` keeps the module
within about a minute on both databases. The database tests share one migrated database per
module (``shared_engine``) and compare row counts before and after each attempt.
"""

from __future__ import annotations

import csv
import io
import re
import threading
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta

import docx
import openpyxl
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import Engine, func, select

from consultations.accounts import (
    LOGIN_FAILED_MESSAGE,
    LoginPolicy,
    attempt_login,
    start_login_session,
)
from consultations.audit_trail import CSV_COLUMNS, AuditRow, audit_csv
from consultations.consultation import create_consultation, move_consultation
from consultations.db import make_engine, read_scope, session_scope, utcnow
from consultations.errors import ValidationFailed, WorkbenchError
from consultations.migrate import upgrade
from consultations.models import AuditEvent, Consultation, Question, User
from consultations.question_import import parse_questions
from consultations.questions import QuestionForm, save_questions
from evidence.analysis import load_evidence
from evidence.attachments import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, add_attachment
from evidence.consent import Policy
from evidence.excel_route import build_template, parse_response_workbook
from evidence.facts import AnswerFact, QuestionFact, ThemeFact
from evidence.intake import propose_response
from evidence.models import Answer, Attachment, Submission, TagSuggestion
from evidence.submissions import AnswerInput, import_answers, save_answer
from evidence.tagger import build_tagger, load_default_taxonomy
from evidence.word_route import answers_from_mapping, propose_mapping
from exports.approval import add_comment, send_for_review
from exports.drafts import assemble_draft
from exports.excel import write_answers_xlsx
from tests import hostile_files as hostile
from tests.conftest import (
    NOW,
    PASSWORD,
    ROOT,
    add_organisation,
    add_person,
    consultation_form,
    fresh_database,
    later,
)
from tests.pdf_builder import paragraphs_page, pdf_file
from tests.tagging_world import (
    ESOL,
    NRPF_BELFAST,
    SPOUSE_VISAS,
    TODAY,
    build_world,
    save,
    submit_all,
)
from tests.test_evidence_pages import button, make_world
from tests.test_intake_pages import answer_page, filled_template, uploader

settings.register_profile(
    "hostile-input",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=25,
    print_blob=True,
)
HOSTILE = settings.get_profile("hostile-input")
# A failing example of a whole file is long; Hypothesis warns while printing it, and the warning
# (an error in this suite) would hide the failure itself.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)

# --- what hostile text looks like ---------------------------------------------------------------

FORMULAS = ("=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", '=HYPERLINK("x")')
MARKUP = (
    "<img src=x onerror=alert(1)>",
    "<script>alert(2)</script>",
    "[x](javascript:alert(3))",
    "**bold**",
)
ODD = (
    "",
    " ",
    "\n\t \n",
    "\u202efdp.exe",  # right-to-left override
    "نحن لا نوافق على هذا الاقتراح",  # Arabic, right to left
    "👩‍👩‍👧‍👦🏳️‍🌈 families",
    "Q1. Do you agree?",
    "Question 2",
    "x" * 12_000,  # longer than a comment may be
    "Belfast " * 2_000,
)
SPECIALS = FORMULAS + MARKUP + ODD
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def hostile_text(*, max_size: int = 200) -> st.SearchStrategy[str]:
    """Any text without lone surrogates, the hostile classics, and the two joined."""
    anything = st.text(st.characters(exclude_categories=("Cs",)), max_size=max_size)
    special = st.sampled_from(SPECIALS)
    return st.one_of(special, anything, st.builds(lambda a, b: a + b, special, anything))


def xml_safe(text: str) -> str:
    """Keep only what a Word or Excel file can hold (XML 1.0 characters, no control codes)."""
    return ILLEGAL_CHARACTERS_RE.sub("", _NOT_XML.sub("", text))


def mutated(valid: bytes) -> st.SearchStrategy[bytes]:
    """A valid file with a few bytes changed and perhaps its end cut off."""
    changes = st.lists(
        st.tuples(st.integers(0, len(valid) - 1), st.integers(0, 255)), min_size=1, max_size=8
    )

    def damage(edits: list[tuple[int, int]], keep: int) -> bytes:
        data = bytearray(valid)
        for where, value in edits:
            data[where] = value
        return bytes(data[:keep])

    # Mostly whole: a cut-off zip loses its directory and is refused before any reader runs.
    keep = st.one_of(st.just(len(valid)), st.just(len(valid)), st.integers(0, len(valid)))
    return st.builds(damage, changes, keep)


def any_bytes(valid: bytes) -> st.SearchStrategy[bytes]:
    """Random bytes, a damaged copy of a valid file, or the start of one glued to junk."""
    return st.one_of(
        st.binary(max_size=2_000),
        mutated(valid),
        st.builds(lambda n, junk: valid[:n] + junk, st.integers(0, 200), st.binary(max_size=200)),
    )


def assert_clear(exc: WorkbenchError) -> None:
    """The message is whole sentences about the file, not a programmer's error; hypothesis's
    statistics count the refusal by what it says."""
    message = str(exc)
    assert message[:1].isupper(), message
    assert message.rstrip().endswith("."), message
    for leak in ("Traceback", "zlib", "BadZipFile", "KeyError", "Errno", "lxml", "NoneType"):
        assert leak not in message, message
    event("refused: " + message.split(": ", 1)[-1][:90])


# --- files built from hostile text --------------------------------------------------------------


def xlsx_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append([xml_safe(v) if isinstance(v, str) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8", errors="surrogatepass")


def docx_bytes(paragraphs: Sequence[str]) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(xml_safe(paragraph))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


VALID_QUESTIONS = {
    "q.xlsx": xlsx_bytes([("Number", "Question"), ("1", "Do you agree with the proposal?")]),
    "q.csv": csv_bytes([("Number", "Question"), ("1", "Do you agree with the proposal?")]),
    "q.docx": docx_bytes(["Q1. Do you agree with the proposal?", "Q2. Why?"]),
    "q.pdf": pdf_file(
        paragraphs_page("Q1. Do you agree with the proposal?", "Q2. Why?"), compress=False
    ),
}
COUNTED = (Question, Submission, Answer, Attachment, TagSuggestion, AuditEvent)


def row_counts(engine: Engine) -> dict[str, int]:
    with read_scope(engine) as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in COUNTED
        }


# --- a partnership to import into ---------------------------------------------------------------


class Place:
    """Ids of an open consultation (three hybrid questions and an open one) and its people."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        with session_scope(engine) as session:
            officer = add_person(session, "officer")
            organisation = add_organisation(session, "Hostile Input Housing Association")
            partner = add_person(session, "partner", organisation=organisation)
            consultation = create_consultation(session, officer, consultation_form(), now=NOW)
            forms = [
                QuestionForm(f"Q{n}", f"Do you agree with proposal {n}?", "hybrid")
                for n in (1, 2, 3)
            ]
            forms.append(QuestionForm("Q4", "What else should the Home Office know?", "open"))
            save_questions(session, officer, consultation.id, forms, now=NOW, source="test")
            move_consultation(session, officer, consultation.id, "open", now=NOW)
            self.officer, self.partner = officer.id, partner.id
            self.organisation, self.consultation = organisation.id, consultation.id
        with read_scope(engine) as session:
            consultation, questions = self.load(session)
            # Built once: a template's bytes carry the time it was made.
            self.template = build_template(
                consultation, questions, organisation_name="Hostile <b>Input</b>"
            )

    def load(self, session) -> tuple[Consultation, list[Question]]:
        consultation = session.get(Consultation, self.consultation)
        return consultation, list(consultation.questions)

    def new_consultation(self) -> int:
        with session_scope(self.engine) as session:
            officer = session.get(User, self.officer)
            return create_consultation(session, officer, consultation_form(), now=NOW).id


@pytest.fixture(scope="module")
def place(shared_engine: Engine) -> Place:
    return Place(shared_engine)


def import_into(place: Place, answers, *, source: str):
    with session_scope(place.engine) as session:
        partner = session.get(User, place.partner)
        return import_answers(
            session, partner, place.consultation, answers, source=source, today=TODAY, now=NOW
        )


def answer_rows(place: Place) -> list[tuple[int, str, str, str, int]]:
    with read_scope(place.engine) as session:
        return [
            (a.question_id, a.position, a.text, a.evidence_note, a.version)
            for a in session.scalars(select(Answer).order_by(Answer.question_id))
        ]


def attempt_import(place: Place, read: Callable[[], list], *, source: str) -> None:
    """Read a file and import it as the page does; a refusal leaves every table as it was, and
    importing the same file again adds and changes nothing."""
    before = row_counts(place.engine)
    try:
        answers = read()
        import_into(place, answers, source=source)
    except WorkbenchError as exc:
        assert_clear(exc)
        assert row_counts(place.engine) == before
        return
    event("imported")
    saved = answer_rows(place)
    after = row_counts(place.engine)
    import_into(place, answers, source=source)
    assert answer_rows(place) == saved
    again = row_counts(place.engine)
    assert again["answer"] == after["answer"]
    assert again["tag_suggestion"] == after["tag_suggestion"]


# --- questions: .xlsx, .csv, .docx --------------------------------------------------------------


@settings(HOSTILE, max_examples=150)
@given(st.sampled_from(sorted(VALID_QUESTIONS)), st.data())
def test_question_import_turns_any_bytes_into_questions_or_a_clear_message(name, data):
    raw = data.draw(any_bytes(VALID_QUESTIONS[name]))
    try:
        found = parse_questions(name, raw)
    except WorkbenchError as exc:
        assert_clear(exc)
        assert str(exc).startswith(f"The file '{name}'")
    else:
        assert found and all(q.text.strip() for q in found)
        event("read")


# A question row: its number (None: the row's own, as most files have), text, kind, options.
question_row = st.tuples(
    st.one_of(st.none(), st.none(), st.none(), hostile_text(max_size=20)),
    hostile_text(),
    st.sampled_from(["", "", "", "open", "closed", "hybrid"]),
    st.one_of(st.just(""), hostile_text()),
)


def question_file(kind: str, rows: list[tuple[str | None, str, str, str]], controls: bool) -> bytes:
    numbered = [(f"Q{i}" if n is None else n, *rest) for i, (n, *rest) in enumerate(rows, 1)]
    if not controls:  # a CSV file with control codes is refused whole: keep most files readable
        numbered = [tuple(xml_safe(cell) for cell in row) for row in numbered]
    if kind == "docx":
        return docx_bytes([f"{number}. {text}" for number, text, _, _ in numbered])
    table = [("Number", "Question", "Kind", "Options"), *numbered]
    return xlsx_bytes(table) if kind == "xlsx" else csv_bytes(table)


@settings(HOSTILE, max_examples=40)
@given(st.sampled_from(["xlsx", "csv", "docx"]), st.lists(question_row, max_size=6), st.booleans())
def test_question_file_of_hostile_text_saves_whole_or_not_at_all(place, kind, rows, controls):
    raw = question_file(kind, rows, controls)
    cid = place.new_consultation()
    before = row_counts(place.engine)

    def save() -> int:
        forms = [
            QuestionForm(q.number, q.text, q.kind, q.options)
            for q in parse_questions(f"questions.{kind}", raw)
        ]
        with session_scope(place.engine) as session:
            officer = session.get(User, place.officer)
            return len(save_questions(session, officer, cid, forms, now=NOW, source="file"))

    try:
        saved = save()
    except WorkbenchError as exc:
        assert_clear(exc)
        assert row_counts(place.engine) == before
        return
    event("saved")
    assert row_counts(place.engine)["question"] == before["question"] + saved
    with pytest.raises(ValidationFailed, match="exists already"):
        save()
    assert row_counts(place.engine)["question"] == before["question"] + saved


def test_an_imported_option_longer_than_a_position_can_hold_is_refused(place):
    long_option = "Agree, " + "and we say more " * 10
    raw = csv_bytes(
        [("Number", "Question", "Kind", "Options"), ("1", "Do you agree?", "closed", long_option)]
    )
    forms = [
        QuestionForm(q.number, q.text, q.kind, q.options) for q in parse_questions("q.csv", raw)
    ]
    cid = place.new_consultation()
    with (
        session_scope(place.engine) as session,
        pytest.raises(ValidationFailed, match="an option has 166 characters and the most is 100"),
    ):
        save_questions(session, session.get(User, place.officer), cid, forms, now=NOW, source="f")


# --- answers: the Excel template ----------------------------------------------------------------


def read_workbook(place: Place, raw: bytes, filename: str = "response.xlsx") -> list:
    with read_scope(place.engine) as session:
        consultation, questions = place.load(session)
        return parse_response_workbook(raw, consultation, questions, filename=filename)


@settings(HOSTILE, max_examples=60)
@given(st.data())
def test_excel_route_turns_any_bytes_into_answers_or_a_clear_message(place, data):
    raw = data.draw(any_bytes(place.template))
    attempt_import(place, lambda: read_workbook(place, raw), source="response.xlsx")


# Mostly a position the question offers, so that most files get as far as the database.
positions = st.sampled_from(["", "Agree", "disagree ", " Don't know", "Neither agree nor disagree"])
answer_cells = st.tuples(
    st.integers(0, 5).flatmap(lambda n: hostile_text(max_size=30) if n == 5 else positions),
    hostile_text(max_size=400),
    hostile_text(max_size=100),
)


@settings(HOSTILE, max_examples=40)
@given(st.lists(answer_cells, min_size=4, max_size=4), st.integers(0, 9))
def test_filled_template_with_hostile_text_imports_whole_or_not_at_all(place, rows, mischief):
    workbook = openpyxl.load_workbook(io.BytesIO(place.template))
    sheet = workbook["Response"]
    for row, cells in enumerate(rows, start=4):
        for column, value in enumerate(cells, start=3):
            cell = sheet.cell(row, column)
            cell.value = xml_safe(value) or None
            cell.data_type = "s"  # typed as text, as Excel keeps "'=cmd" or "+1" typed with a '
    if mischief < 7:
        sheet.cell(7, 3).value = None  # Q4 asks for a written answer only
    if mischief == 8:
        sheet.cell(6, 4).value = "=1+1"  # a formula where a comment belongs
    if mischief == 9:
        sheet.cell(5, 6).value = "a note beside the answers"
    buffer = io.BytesIO()
    workbook.save(buffer)
    raw = buffer.getvalue()
    attempt_import(place, lambda: read_workbook(place, raw), source="response.xlsx")


# --- answers: a partner's Word response ---------------------------------------------------------


def read_word(place: Place, raw: bytes) -> list:
    with read_scope(place.engine) as session:
        _, questions = place.load(session)
        mapping = propose_mapping(raw, questions, filename="response.docx")
        return answers_from_mapping(mapping, {}, questions=questions)


VALID_RESPONSE = docx_bytes(["Q1", "We agree.", "Q4", "Families wait months for a decision."])


@settings(HOSTILE, max_examples=60)
@given(any_bytes(VALID_RESPONSE))
def test_word_route_turns_any_bytes_into_answers_or_a_clear_message(place, raw):
    attempt_import(place, lambda: read_word(place, raw), source="response.docx")


@settings(HOSTILE, max_examples=30)
@given(
    st.lists(
        st.tuples(st.sampled_from(["Q1", "Question 2", "3.", "Q4:", "Q9", ""]), hostile_text()),
        max_size=6,
    )
)
def test_word_response_of_hostile_text_imports_whole_or_not_at_all(place, parts):
    raw = docx_bytes([line for marker, text in parts for line in (marker, text)])
    attempt_import(place, lambda: read_word(place, raw), source="response.docx")


# --- evidence attachments -----------------------------------------------------------------------

VALID_ATTACHMENTS = {
    "evidence.pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    "evidence.docx": VALID_RESPONSE,
    "evidence.xlsx": VALID_QUESTIONS["q.xlsx"],
    "evidence.csv": VALID_QUESTIONS["q.csv"],
    "evidence.png": hostile.png_image(),
}


def attach(place: Place, name: str, data: bytes, **limits: int) -> Attachment:
    with session_scope(place.engine) as session:
        partner = session.get(User, place.partner)
        return add_attachment(
            session,
            partner,
            place.consultation,
            name=name,
            data=data,
            today=TODAY,
            now=NOW,
            **limits,
        )


def remove_attachments(place: Place) -> None:
    with session_scope(place.engine) as session:
        for attachment in session.scalars(select(Attachment)):
            session.delete(attachment)


@settings(HOSTILE, max_examples=60)
@given(st.sampled_from(sorted(VALID_ATTACHMENTS)), st.data())
def test_attachment_of_any_bytes_is_stored_whole_or_refused_clearly(place, name, data):
    raw = data.draw(any_bytes(VALID_ATTACHMENTS[name]))
    remove_attachments(place)
    before = row_counts(place.engine)
    try:
        attachment = attach(place, name, raw)
    except WorkbenchError as exc:
        assert_clear(exc)
        assert row_counts(place.engine) == before
        return
    event("attached")
    assert attachment.size == len(raw)
    with read_scope(place.engine) as session:
        assert session.get(Attachment, attachment.id).data == raw
    with pytest.raises(ValidationFailed, match="it is the same file as"):
        attach(place, "again-" + name, raw)


def test_an_eleventh_file_on_one_submission_is_refused_and_says_how_many_are_allowed(place):
    remove_attachments(place)
    for n in range(MAX_ATTACHMENTS):
        attach(place, f"note {n}.txt", f"Evidence note number {n}.".encode())
    before = row_counts(place.engine)
    with pytest.raises(ValidationFailed, match=f"already has {MAX_ATTACHMENTS} files and at most"):
        attach(place, "one too many.txt", b"One more note.")
    assert row_counts(place.engine) == before


@pytest.mark.parametrize("name", ["big.pdf", "big.csv", "big.docx"])
def test_a_file_one_byte_over_the_limit_is_refused_before_it_is_read(place, name):
    remove_attachments(place)
    data = b"%PDF-1.4\n" + b"0" * (MAX_ATTACHMENT_BYTES - 9 + 1)
    with pytest.raises(
        ValidationFailed, match=r"is 20\.1 MB and the largest file accepted is 20\.0"
    ):
        attach(place, name, data)
    assert row_counts(place.engine)["attachment"] == 0


# --- hostile files through every route that takes an upload -----------------------------------
# Each is refused at once (the 9.5 KB workbook took 25 minutes, its 183 KB Word
# document 2.3 GB) with a message saying what to do, and nothing is written; the timeout makes
# a route that starts the work fail instead of hanging. bench/hostile_files.py measures time and
# memory for each against the 5 s / 300 MB budget.

WHOLE_GRID = (
    "its sheet 'Response' reaches row 1,048,576 and column XFD, beyond the 12,000 rows and 100 "
    "columns"
)
TOO_BIG = r"its part 'word/document\.xml' would unpack to 97\.3 MB of text and layout"
TOO_DEEP = "its layout is nested more than 100 levels deep"
BOMB = r"would unpack to 1,0\d\d times its packed size, which no real Word document does"
ENTITIES = "it declares its own XML entities"
PROGRAM = r"it holds a Windows program, not a PDF \(\.pdf\)"
TOO_MUCH_TEXT = "it holds more than 3,000,000 characters of text"
CSV_ROWS = "it reaches row 12,001, beyond the 12,000 rows and 100 columns"
CSV_CELLS = "it holds more than 75,000 cells"
NOT_PNG = r"its content is not a PNG image \(\.png\), although its name ends in \.png"


@pytest.fixture(scope="module")
def hostile_files(place: Place) -> dict[str, bytes]:
    """The files, built once: the workbook is the partner's own response template."""
    return {
        "response.xlsx": hostile.whole_grid(place.template),
        "paragraphs.docx": hostile.many_paragraphs(),
        "deep.docx": hostile.deep_nesting(),
        "bomb.docx": hostile.zip_bomb(),
        "laughs.docx": hostile.doctype(),
        "question.docx": hostile.enormous_question(),
        "report.pdf": hostile.program_with_pdf_header(),
        "chart.png": hostile.png_then_html(),
        "lines.csv": hostile.csv_lines(),
        "commas.csv": hostile.csv_delimiters(),
    }


def read_own_file(place: Place, name: str, data: bytes) -> list:
    with read_scope(place.engine) as session:
        _, questions = place.load(session)
        return propose_response(data, questions, filename=name)


ROUTES: dict[str, Callable[[Place, str, bytes], object]] = {
    "question import": lambda place, name, data: parse_questions(name, data),
    "Excel template": lambda place, name, data: read_workbook(place, data, name),
    "own file (Word, PDF, spreadsheet)": read_own_file,
    "evidence attachment": lambda place, name, data: attach(place, name, data),
}
# (file, route, what the refusal says). Every route that takes the file's type is listed.
REFUSALS = [
    ("response.xlsx", "question import", WHOLE_GRID),
    ("response.xlsx", "Excel template", WHOLE_GRID),
    ("response.xlsx", "own file (Word, PDF, spreadsheet)", WHOLE_GRID),
    *(
        (name, route, message)
        for name, message in (
            ("paragraphs.docx", TOO_BIG),
            ("deep.docx", TOO_DEEP),
            ("bomb.docx", BOMB),
            ("laughs.docx", ENTITIES),
            ("report.pdf", PROGRAM),
        )
        for route in ("question import", "own file (Word, PDF, spreadsheet)", "evidence attachment")
    ),
    ("chart.png", "evidence attachment", NOT_PNG),
    ("question.docx", "question import", TOO_MUCH_TEXT),
    *(
        (name, route, message)
        for name, message in (("lines.csv", CSV_ROWS), ("commas.csv", CSV_CELLS))
        for route in ("question import", "own file (Word, PDF, spreadsheet)")
    ),
]


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("name", "route", "message"),
    REFUSALS,
    ids=[f"{name} by {route}" for name, route, _ in REFUSALS],
)
def test_hostile_file_is_refused_at_once_with_what_to_do_and_nothing_written(
    place, hostile_files, name, route, message
):
    remove_attachments(place)
    before = row_counts(place.engine)
    with pytest.raises(ValidationFailed, match=message) as refused:
        ROUTES[route](place, name, hostile_files[name])
    assert str(refused.value).startswith(f"The file '{name}' has 1 problem: ")
    assert str(refused.value).endswith(". Nothing was saved.")
    assert row_counts(place.engine) == before


@pytest.mark.timeout(30)
def test_a_workbook_declaring_the_whole_grid_is_kept_as_evidence_without_reading_its_rows(
    place, hostile_files
):
    # An evidence file is stored as it is, never read by row: its range costs nothing.
    remove_attachments(place)
    attachment = attach(place, "figures.xlsx", hostile_files["response.xlsx"])
    assert attachment.size == len(hostile_files["response.xlsx"])


@pytest.mark.timeout(60)
def test_the_whole_grid_template_is_refused_on_the_page_and_read_once_not_on_every_rerun(
    open_page, engine
):
    world = make_world(engine)
    app = answer_page(open_page, world)
    template = filled_template(app, world, {"C4": "Agree", "D4": "Schools need the funding."})
    label = "Upload a filled template (.xlsx)"
    uploader(app, label).set_value(
        ("our response.xlsx", hostile.whole_grid(template), "application/octet-stream")
    ).run()
    assert not app.exception
    assert WHOLE_GRID in " ".join(e.value for e in app.error)
    (refused,) = app.session_state["parsed-uploads"].values()

    uploader(app, label).set_value(("ok.xlsx", template, "application/octet-stream")).run()
    (read,) = app.session_state["parsed-uploads"].values()
    assert read is not refused
    app.run()  # any rerun: a click elsewhere on the page
    (again,) = app.session_state["parsed-uploads"].values()
    assert again is read  # the same result, not the file read a second time


# --- the tagger ----------------------------------------------------------------------------------

HUGE = ("Families with NRPF in Belfast wait 40% longer. " * 4_000)[:150_000]
tagger_texts = st.one_of(
    hostile_text(max_size=2_000),
    st.text(st.sampled_from(" \t\n\r\u00a0\u2028\u3000"), max_size=50),  # only whitespace
    st.text(st.sampled_from("😀👩‍👧🏳️‍🌈\u200d\ufe0f"), max_size=50),  # emoji and joiners
    st.text(st.characters(min_codepoint=0x590, max_codepoint=0x6FF), max_size=200),  # RTL
    st.lists(st.sampled_from(["NRPF", "Belfast", "40%", "£3m", "asylum", "ESOL", "\n\n"])).map(
        " ".join
    ),
)


def spans_inside(text: str, result) -> None:
    size = len(text)
    for suggestion in result.suggestions:
        for match in suggestion.matches:
            assert 0 <= match.start_char < match.end_char <= size
            assert text[match.start_char : match.end_char] == match.phrase
        for start, end in suggestion.sentences:
            assert 0 <= start < end <= size
    for figure in result.figures:
        assert 0 <= figure.start_char < figure.end_char <= size
    for place in result.places:
        assert 0 <= place.start_char < place.end_char <= size


@settings(HOSTILE, max_examples=200)
@given(st.lists(tagger_texts, min_size=1, max_size=4))
def test_tagger_gives_every_text_a_result_whose_spans_lie_inside_it(texts):
    tagger = build_tagger(load_default_taxonomy())
    results = list(tagger.tag(texts))
    assert len(results) == len(texts)
    for text, result in zip(texts, results, strict=True):
        spans_inside(text, result)


def test_tagger_reads_a_huge_answer_and_keeps_its_spans_inside_it():
    tagger = build_tagger(load_default_taxonomy())
    (result,) = tagger.tag([HUGE])
    spans_inside(HUGE, result)
    assert {s.theme_id for s in result.suggestions} >= {"nrpf"}


# --- formula-shaped text in every export -------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def assert_no_live_formula(raw: bytes) -> int:
    """Every cell of the workbook that starts like a formula is text Excel will not run."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    workbook = openpyxl.load_workbook(io.BytesIO(raw))
    checked = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
                    assert cell.quotePrefix, (sheet.title, cell.coordinate, cell.value)
                    checked += 1
    return checked


@settings(HOSTILE, max_examples=30)
@given(
    st.lists(
        st.tuples(hostile_text(max_size=60), hostile_text(max_size=60), hostile_text()),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
)
def test_answers_export_never_holds_a_formula_named_or_for_sharing(rows, sharing):
    questions = [QuestionFact(1, "=Q1", "-Is this a formula?", "hybrid", ("+Agree", "@No"))]
    themes = [ThemeFact("nrpf", "=No recourse"), ThemeFact("cmd", "@cmd")]
    facts = [
        AnswerFact(
            answer_id=n,
            question_id=1,
            organisation=xml_safe(organisation) or f"Org {n}",
            sector=xml_safe(sector),
            consent="named",
            position="+Agree",
            text=xml_safe(text),
            evidence_note="-40% " + xml_safe(text),
            themes=("nrpf", "cmd", "=unknown"),
        )
        for n, (organisation, sector, text) in enumerate(rows, start=1)
    ]
    policy = Policy.of(facts, reference="-HO-1")
    raw = write_answers_xlsx(
        facts, themes=themes, questions=questions, policy=policy, sharing=sharing
    )
    assert assert_no_live_formula(raw) >= 5


def test_partner_template_never_holds_a_formula(place):
    with session_scope(place.engine) as session:
        officer = session.get(User, place.officer)
        consultation = create_consultation(
            session,
            officer,
            consultation_form(title="=cmd|' /C calc'!A0", reference="-HO-1"),
            now=NOW,
        )
        forms = [
            QuestionForm("Q1", '=HYPERLINK("http://example.org")', "closed", ("+1", "-1")),
            QuestionForm("Q2", "\t=1+1 is this text?", "open"),
        ]
        save_questions(session, officer, consultation.id, forms, now=NOW, source="test")
        raw = build_template(consultation, consultation.questions, organisation_name="@SUM(A1)")
    assert assert_no_live_formula(raw) >= 5


def test_audit_csv_cells_never_start_like_a_formula():
    hostile = [*FORMULAS, "\r\n=1+1", "plain"]
    rows = [
        AuditRow(n, NOW, who, "=action", "@object", n, "+consultation", text, about="-about")
        for n, (who, text) in enumerate(zip(hostile, reversed(hostile), strict=True), start=1)
    ]
    text = audit_csv(rows).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert len(cells) == len(CSV_COLUMNS) * (len(rows) + 1)
    assert "'-about" in cells
    for cell in cells:
        assert not cell.startswith(FORMULA_START), cell
    assert "'=cmd|' /C calc'!A0" in cells


# --- login: brute force -------------------------------------------------------------------------


def try_login(engine: Engine, email: str, password: str, *, minutes: float = 0) -> bool:
    with session_scope(engine) as session:
        user = attempt_login(
            session,
            email=email,
            password=password,
            now=later(minutes=minutes),
            policy=LoginPolicy(attempts=5, lockout=timedelta(minutes=15)),
        )
        return user is not None


def login_events(engine: Engine, email: str) -> list[str]:
    with read_scope(engine) as session:
        user = session.scalar(select(User).where(User.email == email))
        return list(
            session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.object_id == user.id, AuditEvent.action.like("%login%"))
                .order_by(AuditEvent.id)
            )
        )


def test_wrong_passwords_from_many_threads_at_once_lock_the_account_without_losing_a_count(
    shared_engine,
):
    email = "target@example.org"
    with session_scope(shared_engine) as session:
        add_person(session, "partner", email=email)
    outcomes: list[bool] = []
    threads = [
        threading.Thread(target=lambda: outcomes.append(try_login(shared_engine, email, "guess")))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == [False] * 8
    events = login_events(shared_engine, email)
    # Each attempt was counted one after another: five failures lock it, the rest are refused.
    assert events == ["login.failed"] * 5 + ["login.refused"] * 3
    assert not try_login(shared_engine, email, PASSWORD, minutes=14)
    assert login_events(shared_engine, email)[-1] == "login.refused"
    assert try_login(shared_engine, email, PASSWORD, minutes=16)


def test_the_login_page_says_the_same_for_a_wrong_password_and_a_locked_account(
    open_page, engine, monkeypatch
):
    monkeypatch.setenv("WORKBENCH_LOGIN_ATTEMPTS", "2")
    with session_scope(engine) as session:
        add_person(session, "partner", email="locked@example.org")
    app = open_page()
    messages = []
    for password in ("wrong", "wrong", PASSWORD):  # the right one, once the account is locked
        app.text_input[0].input("locked@example.org")
        app.text_input[1].input(password)
        app.button[0].click().run()
        messages.append([e.value for e in app.error])
    assert messages == [[LOGIN_FAILED_MESSAGE]] * 3
    assert login_events(engine, "locked@example.org")[-2:] == ["login.failed", "login.refused"]


# --- partner markup on every page that shows it ------------------------------------------------

MARK = "<img src=x onerror=alert(1)> <script>alert(2)</script> [x](javascript:alert(3)) **bold**"
# What would make MARK live markup: in markdown (labels, captions, messages) and in st.html. A
# backslash before it is markdown's escape, so "\\<img" shows as text.
LIVE_IN_MARKDOWN = re.compile(
    r"(?<!\\)<img src=x|(?<!\\)<script|(?<!\\)\]\(javascript:|(?<!\\)\*\*bold\*\*"
)
LIVE_IN_HTML = re.compile(r"<img src=x|<script")
# Elements that show their text as it is (never as markdown): only their labels are markdown.
PLAIN_ELEMENTS = {"text", "code", "dataframe", "text_area", "text_input", "selectbox"}


def strings(message) -> Iterator[tuple[str, str]]:
    """Yield (field name, text) for every string a protobuf message holds, however deep."""
    for field, value in message.ListFields():
        single = isinstance(value, str | bytes | int | float) or hasattr(value, "ListFields")
        values = [value] if single else value
        for item in values:
            if isinstance(item, str):
                yield field.name, item
            elif isinstance(item, bytes):  # a table's data: its text is stored as UTF-8
                yield field.name, item.decode("utf-8", errors="ignore")
            elif hasattr(item, "ListFields"):
                yield from strings(item)


class Showcase:
    """A consultation at board review whose partners, people and files all carry MARK."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine, self.url = engine, url
        world = build_world(engine, prefix=f"{MARK} Org")
        with session_scope(engine) as session:  # a question as an imported file may word it
            officer = session.get(User, world.officer)
            form = QuestionForm("Q4", f"What else? {MARK}", "closed", (f"Yes {MARK}", "No"))
            save_questions(session, officer, world.consultation, [form], now=NOW, source="f")
        save(world, 0, 0, f"{NRPF_BELFAST} {MARK}")
        save(world, 1, 0, f"{SPOUSE_VISAS} {MARK}")
        save(world, 2, 1, f"{ESOL} {MARK}")
        with session_scope(engine) as session:
            for partner in world.partners:
                session.get(User, partner).name = f"{MARK} Partner"
            session.get(User, world.board).name = f"{MARK} Board"
            add_attachment(
                session,
                session.get(User, world.partners[0]),
                world.consultation,
                name=f"{MARK}.txt",
                data=b"Figures for Belfast.",
                today=TODAY,
                now=NOW,
            )
        submit_all(world)
        with session_scope(engine) as session:
            officer = session.get(User, world.officer)
            move_consultation(session, officer, world.consultation, "closed", now=NOW)
            add_person(session, "board", is_chair=True, email="chair@example.org")
            evidence = load_evidence(
                session, officer, world.consultation, today=TODAY, partnership="SMP", region="NI"
            )
            assemble_draft(session, officer, evidence, world.consultation, now=later(hours=1))
        with session_scope(engine) as session:
            send_for_review(
                session,
                session.get(User, world.officer),
                world.consultation,
                number=1,
                review_by=TODAY + timedelta(days=14),
                today=TODAY,
                now=later(hours=2),
            )
        with session_scope(engine) as session:
            add_comment(
                session,
                session.get(User, world.board),
                world.consultation,
                number=1,
                section_key="summary",
                text=f"Lead with this: {MARK}",
                now=later(hours=3),
            )
        self.world = world

    def person(self, role: str) -> int:
        return {
            "officer": self.world.officer,
            "partner": self.world.partners[0],
            "board": self.world.board,
        }[role]


@pytest.fixture(scope="module")
def showcase(tmp_path_factory) -> Iterator[Showcase]:
    # One SQLite database for every page: how a page escapes text does not depend on the database.
    folder = tmp_path_factory.mktemp("showcase")
    with fresh_database("sqlite", folder) as url:
        engine = make_engine(url)
        upgrade(engine)
        yield Showcase(engine, url)
        engine.dispose()


@pytest.fixture
def open_showcase(showcase, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DATABASE_URL", showcase.url)
    monkeypatch.setenv("WORKBENCH_DEMO_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.chdir(ROOT)

    def open_(page: str, role: str, query: dict[str, str]) -> AppTest:
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        with session_scope(showcase.engine) as session:
            person = session.get(User, showcase.person(role))
            app.session_state["login_token"] = start_login_session(session, person, now=utcnow())
        for key, value in query.items():
            app.query_params[key] = value
        app.run()
        app.switch_page(page).run()
        return app

    yield open_
    import streamlit as st

    st.cache_resource.clear()


def elements(node) -> Iterator:
    for child in getattr(node, "children", {}).values():
        if getattr(child, "proto", None) is not None:  # blocks too: an expander's label
            yield child
        yield from elements(child)


def live_markup(app) -> list[str]:
    """Name every element that would render partner markup as markup, not as text."""
    found = []
    for element in elements(app._tree):
        for field, text in strings(element.proto):
            if element.type == "html":
                live = LIVE_IN_HTML.search(text)
            elif element.type in PLAIN_ELEMENTS and field not in ("label", "help"):
                live = None
            else:
                live = LIVE_IN_MARKDOWN.search(text)
            if live:
                found.append(f"{element.type} {field}: {text[max(0, live.start() - 50) :][:120]}")
    return found


def shows_mark(app) -> bool:
    """Say whether the page shows MARK's words at all (escaped or as plain text)."""
    return any("onerror=alert" in text for e in elements(app._tree) for _, text in strings(e.proto))


PAGES_THAT_SHOW_PARTNER_TEXT = [
    ("officer", "evidence/pages/tracker.py", {}),
    ("officer", "evidence/pages/answer.py", {}),
    ("officer", "evidence/pages/import_response.py", {}),
    ("officer", "evidence/pages/review.py", {}),
    ("officer", "exports/pages/analysis.py", {}),
    ("officer", "exports/pages/draft.py", {}),
    ("officer", "exports/pages/approval.py", {}),
    ("officer", "consultations/pages/organisations.py", {}),
    ("officer", "consultations/pages/people.py", {}),
    ("officer", "consultations/pages/audit.py", {}),
    ("officer", "consultations/pages/questions.py", {}),
    ("partner", "evidence/pages/partner_home.py", {}),
    ("partner", "evidence/pages/answer.py", {}),
    ("board", "exports/pages/board_review.py", {}),
    ("board", "consultations/pages/home.py", {}),
]


@pytest.mark.parametrize(("role", "page", "query"), PAGES_THAT_SHOW_PARTNER_TEXT)
def test_partner_markup_is_shown_as_text_on_every_page(open_showcase, showcase, role, page, query):
    app = open_showcase(page, role, {"consultation": str(showcase.world.consultation), **query})
    sections = [box for box in app.selectbox if box.label == "Section"]
    if sections:  # a draft: open the first question's section, where partners are quoted
        sections[0].set_value(f"question-{showcase.world.questions[0]}").run()
    assert not app.exception
    assert shows_mark(app), "the page should show the partner's text, escaped"
    live = live_markup(app)
    assert not live, "\n".join(live)


def test_file_names_and_cell_text_in_messages_are_shown_as_text(open_page, engine):
    world = make_world(engine)
    app = answer_page(open_page, world)
    uploader(app, "Add a file").set_value((f"{MARK}.txt", b"Figures.", "text/plain")).run()
    button(app, "Attach this file").click().run()
    flashes = [s.value for s in app.success]
    assert any("onerror=alert" in text for text in flashes), flashes
    assert live_markup(app) == []

    data = filled_template(app, world, {"C4": "[x](javascript:alert(3)) **bold**", "D4": "Yes."})
    uploader(app, "Upload a filled template (.xlsx)").set_value(
        (f"{MARK}.xlsx", data, "application/octet-stream")
    ).run()
    assert any("javascript" in e.value for e in app.error)
    assert live_markup(app) == []


ROLES = ("officer", "partner")
OFFICER_PATHS = ("review", "approval")  # the highlighted reasons (st.html); board comments
PARTNER_PATHS = ("answer",)


@pytest.mark.slow
@pytest.mark.browser
def test_partner_markup_injects_nothing_and_fires_no_dialog_in_a_real_browser(
    live_app, engine, database_url, browser_page
):
    from playwright.sync_api import expect

    from tests.test_browser_journey import settled

    showcase = Showcase(engine, database_url)
    cid = showcase.world.consultation
    with read_scope(engine) as session:
        officer, partner = (session.get(User, showcase.person(r)).email for r in ROLES)
    page = browser_page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for email, paths in ((officer, OFFICER_PATHS), (partner, PARTNER_PATHS)):
        page.context.clear_cookies()
        page.goto(live_app)
        page.get_by_role("textbox", name="Email address", exact=True).fill(email)
        page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible(timeout=30_000)
        for path in paths:
            page.goto(f"{live_app}/{path}?consultation={cid}")
            expect(page.get_by_text("onerror=alert(1)").first).to_be_attached(timeout=30_000)
            settled(page)
            assert page.locator("main img[src='x'], main script").count() == 0, path
            assert page.locator("a[href^='javascript']").count() == 0, path
            assert page.locator("main strong", has_text="bold").count() == 0, path
    assert dialogs == []


def test_an_answer_holding_a_nul_character_is_refused_on_either_database(place):
    before = row_counts(place.engine)
    with session_scope(place.engine) as session, pytest.raises(ValidationFailed, match="NUL"):
        save_answer(
            session,
            session.get(User, place.partner),
            place.consultation,
            AnswerInput(
                question_id=session.get(Consultation, place.consultation).questions[0].id,
                text="We disagree.\x00",
            ),
            seen_version=0,
            today=TODAY,
            now=NOW,
        )
    assert row_counts(place.engine) == before
