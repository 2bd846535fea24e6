"""Downloads built on click: Streamlit runs their function in a worker thread where the session
state is empty, so each page captures the person and the database during its run, and nothing
falls back to the main database there (consultations/pages/downloads.py)."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable

import docx
import openpyxl
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from consultations.db import make_engine, read_scope, session_scope
from consultations.errors import AccessDenied
from consultations.migrate import upgrade
from consultations.models import AuditEvent, Organisation, User
from consultations.pages import databases, logins
from consultations.pages.downloads import file_builder
from evidence.attachments import add_attachment, attachment_for_download
from tests.board_world import Board, build_board, send
from tests.conftest import NOW, later
from tests.tagging_world import TODAY

EVIDENCE = b"place,families waiting\nBelfast,40\nDerry,12\n"


def in_a_worker_thread(fn: Callable[[], object]) -> object:
    """Run ``fn`` as Streamlit runs a deferred download: in a thread with no run of the page."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = fn()
        except Exception as exc:  # handed back to the test, which says what it expected
            outcome["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(60)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]


def record_deferred(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], object]]:
    """Keep every deferred download a page registers with Streamlit: file name -> function."""
    kept: dict[str, Callable[[], object]] = {}
    register = MediaFileManager.add_deferred

    def keeping(self, data, mimetype, coordinates, file_name=None, **options):
        kept[file_name] = data
        return register(self, data, mimetype, coordinates, file_name=file_name, **options)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keeping)
    return kept


def with_evidence_file(board: Board) -> int:
    """The officer attaches a spreadsheet to the first partner's submission; return its id."""
    with session_scope(board.engine) as session:
        return add_attachment(
            session,
            session.get(User, board.officer),
            board.cid,
            name="waiting-lists.csv",
            data=EVIDENCE,
            organisation_id=board.world.organisations[0],
            today=TODAY,
            now=later(hours=1),
        ).id


def user(board: Board, person_id: int) -> User:
    with read_scope(board.engine) as session:
        return session.get(User, person_id)


def test_every_deferred_download_builds_its_file_in_a_thread_where_the_session_state_is_empty(
    open_page, engine, monkeypatch
):
    monkeypatch.delenv("WORKBENCH_APPROVAL_RULE", raising=False)
    board = build_board(engine)
    with_evidence_file(board)
    send(board)
    kept = record_deferred(monkeypatch)
    query = {"consultation": str(board.cid)}
    officer, member = user(board, board.officer), user(board, board.member)
    organisation = {**query, "organisation": str(board.world.organisations[0])}
    for page, person, where in [
        ("evidence/pages/answer.py", officer, organisation),
        ("exports/pages/draft.py", officer, query),
        ("exports/pages/board_review.py", member, query),
    ]:
        assert not open_page(page, as_user=person, query=where).exception

    names = sorted(kept)
    assert len(names) == 6, names  # the draft, its annex, two workbooks, the evidence, review
    files = {name: in_a_worker_thread(kept[name]) for name in names}
    assert files["waiting-lists.csv"] == EVIDENCE
    for name, data in files.items():
        if name.endswith(".docx"):
            assert "Draft" in "".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
        if name.endswith(".xlsx"):
            rows = list(openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].values)
            assert len(rows) > 3, name
    anonymised = next(files[n] for n in names if n.endswith("answers-anonymised.xlsx"))
    named = next(files[n] for n in names if n.endswith("answers.xlsx"))
    assert b"Partner organisation 1" not in _cells(anonymised)
    assert b"Partner organisation 1" in _cells(named)
    with read_scope(engine) as session:  # the evidence download is audited, as the officer
        event = session.query(AuditEvent).filter_by(action="attachment.downloaded").one()
        assert event.actor_id == board.officer


def _cells(workbook: bytes) -> bytes:
    sheets = openpyxl.load_workbook(io.BytesIO(workbook)).worksheets
    return repr([list(sheet.values) for sheet in sheets]).encode()


def test_outside_a_page_run_nothing_falls_back_to_the_main_database_or_a_person():
    for ask in (
        databases.database_name,
        logins.current_viewer,
        databases.engine,
        databases.settings,
    ):
        with pytest.raises(RuntimeError, match="outside a run of the page"):
            in_a_worker_thread(ask)


def test_a_file_builder_reads_only_the_database_and_person_it_was_given(engine, tmp_path):
    board = build_board(engine)
    attachment = with_evidence_file(board)

    def evidence(session, me):
        return attachment_for_download(session, me, attachment, now=NOW)[2]

    assert in_a_worker_thread(file_builder(engine, board.officer, evidence, writes=True)) == (
        EVIDENCE
    )
    # Another organisation's partner is refused, as on the page.
    outsider = file_builder(engine, board.partners[1], evidence, writes=True)
    with pytest.raises(AccessDenied):
        in_a_worker_thread(outsider)
    # A person gone from the database the builder was given is refused, not looked up elsewhere.
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    upgrade(other)
    with pytest.raises(AccessDenied, match="not logged in any more"):
        in_a_worker_thread(file_builder(other, board.officer, evidence))
    other.dispose()


def test_a_demo_sessions_download_reads_the_demo_and_never_the_real_database(
    open_page, engine, monkeypatch
):
    monkeypatch.setenv("WORKBENCH_DEMO", "on")
    real = build_board(engine)  # the real database has answers of its own
    kept = record_deferred(monkeypatch)
    app = open_page()
    next(b for b in app.button if b.label == "Open the demo").click().run()
    assert app.session_state["database"] == "demo"
    app.switch_page("exports/pages/draft.py").run()
    assert not app.exception
    workbook = next(kept[n] for n in kept if n.endswith("-answers.xlsx"))
    shown = _cells(in_a_worker_thread(workbook))
    assert b"Refugee and Asylum Forum NI" in shown
    with read_scope(real.engine) as session:
        real_names = [o.name for o in session.query(Organisation)]
    assert real_names and not any(name.encode() in shown for name in real_names)
