"""The annex in or out of the document, always its own download; the export command writes the
same bytes as the page's buttons."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date

import docx
import openpyxl
import pytest

from consultations.db import read_scope
from consultations.errors import WorkbenchError
from consultations.models import Consultation, User
from consultations.settings import load_settings
from evidence.analysis import partnership_evidence
from evidence.consent import Policy
from evidence.facts import AnswerFact, Evidence, QuestionFact
from exports.annex import ANNEX_IN_DOCUMENT_UP_TO, annex_in_document, annex_section
from exports.drafts import draft_of, latest, set_annex
from exports.excel import ALL_ANSWERS_SHEET
from exports.export import answers_file, draft_file, export_file
from tests.board_world import build_board
from tests.conftest import ROOT, later, operator_environ
from tests.test_drafts import first_draft
from tests.test_drafts import world as world

QUESTION = QuestionFact(1, "Q1", "Do you agree?", "hybrid")


def evidence_with(answers: int) -> Evidence:
    facts = tuple(
        AnswerFact(n, 1, f"Organisation {n % 40}", "health", "anonymous", "Agree", "Text.")
        for n in range(1, answers + 1)
    )
    return Evidence("SMP", "NI", "Family migration", "HO-1", "Home Office", None, "",
                    (QUESTION,), (), facts, date(2026, 12, 7))  # fmt: skip


@pytest.mark.parametrize(
    ("answers", "in_document"),
    [(ANNEX_IN_DOCUMENT_UP_TO, True), (ANNEX_IN_DOCUMENT_UP_TO + 1, False)],
)
def test_the_annex_is_in_the_document_only_while_it_is_short(answers, in_document):
    evidence = evidence_with(answers)
    section = annex_section(evidence, Policy.of(evidence.answers, reference="HO-1"))

    assert all(block.included == in_document for block in section.blocks)
    table = next(block for block in section.blocks if block.kind == "table")
    assert len(table.rows) == answers + 1  # kept in the version either way


def tables_of(data: bytes) -> list[str]:
    return [t.rows[0].cells[0].text for t in docx.Document(io.BytesIO(data)).tables]


def test_the_officer_takes_the_annex_out_and_it_stays_its_own_download(session, world):
    first_draft(session, world)
    officer, cid = world["officer"], world["cid"]
    draft = draft_of(latest(session, cid))
    assert annex_in_document(draft)
    assert "Partner" in tables_of(draft_file(draft, 1).content)

    out = set_annex(session, officer, cid, include=False, seen=1, now=later(hours=1))
    without = draft_of(out)

    assert out.note == "Took the annex out of the document"
    assert "Partner" not in tables_of(draft_file(without, 2).content)
    annex = export_file(session, officer, cid, "annex", today=date(2026, 12, 7),
                   settings=load_settings())  # fmt: skip
    assert annex.file_name == "family-migration-a-consultation-annex-v2.docx"
    assert "Partner" in tables_of(annex.content)
    with pytest.raises(WorkbenchError, match="The annex is out of the document already"):
        set_annex(session, officer, cid, include=False, seen=2, now=later(hours=2))


def test_the_export_command_writes_what_the_page_gives(engine, database_url, tmp_path):
    board = build_board(engine)
    environ = operator_environ(
        DATABASE_URL=database_url,
        WORKBENCH_DATA_DIR=str(tmp_path / "data"),
        WORKBENCH_SECRET_KEY="test",
    )
    with read_scope(engine) as session:
        reference = session.get(Consultation, board.cid).reference
        officer = session.get(User, board.officer)
        evidence = partnership_evidence(
            session, officer, board.cid, today=date(2026, 12, 7), settings=load_settings()
        )
    page = answers_file(evidence, sharing=True).content
    out = tmp_path / "sharing.xlsx"

    done = run_export("--consultation", reference, "--what", "sharing", "--out", str(out),
                      environ=environ)  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Wrote {out} (")
    assert cells(out.read_bytes()) == cells(page)
    missing = tmp_path / "draft.docx"
    refused = run_export("--consultation", "NO-SUCH-REF", "--what", "draft", "--out",
                         str(missing), environ=environ)  # fmt: skip
    assert refused.returncode == 2
    assert "No consultation has the reference 'NO-SUCH-REF'" in refused.stderr
    assert not missing.exists()


def run_export(*arguments: str, environ: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "exports.export", *arguments],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def cells(data: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(data))[ALL_ANSWERS_SHEET]
    return list(sheet.iter_rows(values_only=True))
