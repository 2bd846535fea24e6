"""Measure hostile uploads: time and peak memory for each file through each route that takes it.

Run from the repository root: ``.venv/bin/python bench/hostile_files.py``.

DESIGN.md's budget: every upload is parsed within 5 s and 300 MB of memory, whatever it holds, or
refused. The files are those of ``tests/hostile_files.py`` (issue 12's 9.5 KB workbook declaring the
whole grid, its 183 KB Word document of 17 million paragraphs, a program with a PDF header, a PNG
signature before a web page, a zip bomb, nesting, entities, CSV files of millions of rows or cells)
and, because the budget holds for what is accepted too, the largest files the limits let through: a
Word document of 50,000 paragraphs and a workbook of 12,000 rows of 6 cells.

Routes: the question import (``read_questions``), a partner's own file (``propose_response``),
the Excel template (``parse_response_workbook``) and an evidence attachment
(``add_attachment``, rolled back), each as the page calls it. Each file and route runs in a
process of its own, started after its imports, so that the figures are the upload's alone:
seconds of wall time and of the process's CPU time, and memory as the growth of the process's
peak resident set (VmHWM, which counts what lxml and zlib allocate as well as Python) over its
size before the upload. The reading is single-threaded, so on an idle machine the two times
agree; on a shared one the wall time also counts the waits for a core, so the budget is judged
on CPU time and both are printed. ``--only WORDS`` runs the files whose names hold the words.
The script exits with status 1 when any run is over budget.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_SECONDS = 5.0
BUDGET_MB = 300.0
ROUTES = {
    "question import": (".docx", ".pdf", ".xlsx", ".csv"),
    "own file": (".docx", ".pdf", ".xlsx", ".csv"),
    "Excel template": (".xlsx",),
    "evidence attachment": (".pdf", ".docx", ".xlsx", ".csv", ".txt", ".png", ".jpg"),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Build the files, run each through each route in a child process, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=3, metavar=("ROUTE", "FILE", "DATABASE"))
    parser.add_argument("--only", default="", help="run only the files whose names hold this")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    if args.child:
        print(json.dumps(_child(*args.child)))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.db"
        files = _build(Path(folder), database)
        results = []
        for path in (path for path in files if args.only in path.name):
            for route, extensions in ROUTES.items():
                if path.suffix in extensions:
                    results.append((path.name, route, _run(route, path, database)))
    return _report(results)


# --- the parent: build, run, report ------------------------------------------------------------


def _build(folder: Path, database: Path) -> list[Path]:
    from tests import hostile_files as hostile

    started = time.perf_counter()
    template = _set_up(database)
    files = {
        "whole-grid template.xlsx": hostile.whole_grid(template),
        "far cell, no range.xlsx": hostile.far_cell(template),
        "17 million paragraphs.docx": hostile.many_paragraphs(),
        "nested 2,000 deep.docx": hostile.deep_nesting(),
        "zip bomb.docx": hostile.zip_bomb(),
        "billion laughs.docx": hostile.doctype(),
        "list of parts padded to 90 MB.docx": hostile.padded_listing(),
        "program with a PDF header.pdf": hostile.program_with_pdf_header(),
        "PNG then HTML.png": hostile.png_then_html(),
        "a million CSV lines.csv": hostile.csv_lines(),
        "2.9 million commas.csv": hostile.csv_delimiters(),
        "two questions of 10.5 million characters.docx": hostile.enormous_question(10_500_000),
        "2.9 million characters (the most questions read).docx": hostile.enormous_question(
            2_900_000
        ),
        "9.9 million characters (the most read).docx": hostile.enormous_question(9_900_000),
        "50,000 paragraphs (the most read).docx": hostile.many_text_paragraphs(50_000),
        "12,000 rows of 6 cells (the most read).xlsx": _largest_workbook(),
    }
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
        print(f"built {name}: {len(data) / 1024:,.1f} KB")
    print(f"built {len(files)} files in {time.perf_counter() - started:.1f} s\n")
    return paths


def _largest_workbook() -> bytes:
    """A partner's own sheet at the row and cell limits: number, question, position, comment."""
    import io

    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Our response")
    sheet.append(["No.", "Question", "Agree/Disagree", "Our response", "Comments", "Evidence"])
    for row in range(2, 12_001):
        number = row % 20 + 1
        sheet.append(
            [
                f"Q{number}",
                f"Do you agree with proposal {number}?",
                "Disagree",
                f"Families in area {row} wait {row % 40} weeks for a decision.",
                "Schools and advice services feel it first.",
                f"Our casework, {row % 12 + 1} cases",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _set_up(database: Path) -> bytes:
    """A consultation of 20 questions open to one partner; return its response template."""
    from consultations.db import make_engine, read_scope, session_scope
    from consultations.migrate import upgrade
    from consultations.models import Consultation, Organisation, Question, User
    from evidence.excel_route import build_template

    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    with session_scope(engine) as session:
        consultation = Consultation(
            title="Family migration: a consultation",
            department="Home Office",
            reference="HO-FM-1",
            opens_on=date(2026, 11, 1),
            partner_deadline=date(2099, 12, 11),
            closes_on=date(2099, 12, 24),
            status="open",
        )
        session.add(consultation)
        organisation = Organisation(name="Belfast Council", sector="local authority")
        session.add(organisation)
        session.flush()
        for number in range(1, 21):
            session.add(
                Question(
                    consultation_id=consultation.id,
                    position=number,
                    number=f"Q{number}",
                    text=f"Do you agree with proposal {number}?",
                    kind="hybrid",
                    options=["Agree", "Disagree"],
                )
            )
        session.add(
            User(
                email="partner@example.org",
                name="Partner",
                role="partner",
                organisation_id=organisation.id,
            )
        )
    with read_scope(engine) as session:
        consultation = session.get(Consultation, 1)
        template = build_template(consultation, consultation.questions, organisation_name="Council")
    engine.dispose()
    return template


def _run(route: str, path: Path, database: Path) -> dict:
    command = [sys.executable, str(Path(__file__)), "--child", route, str(path), str(database)]
    # The child stops itself after twice the budget; a run that long is over budget anyway.
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=600)
    if done.returncode != 0:
        outcome = done.stderr.strip()[-300:]
        return {"seconds": None, "cpu": None, "megabytes": None, "outcome": outcome}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _report(results: list[tuple[str, str, dict]]) -> int:
    from bench.budget import report

    width = max(len(name) for name, _, _ in results)
    print(f"{'file'.ljust(width)}  {'route':20}  {'wall':>7}  {'CPU':>7}  {'memory':>8}  outcome")
    worst: dict[str, tuple[float, float, bool]] = {}
    for name, route, result in results:
        seconds, megabytes = result["cpu"], result["megabytes"]
        failed = seconds is None
        shown = (
            "failed"
            if failed
            else f"{result['seconds']:5.2f} s  {seconds:5.2f} s  {megabytes:6.1f} MB"
        )
        print(f"{name.ljust(width)}  {route:20}  {shown}  {result['outcome'][:110]}")
        before = worst.get(name, (0.0, 0.0, False))
        worst[name] = (
            max(before[0], float("inf") if failed else seconds),
            max(before[1], float("inf") if failed else megabytes),
            before[2] or failed,
        )
    print()
    over = False
    for name, (seconds, megabytes, failed) in worst.items():
        within = not failed and seconds <= BUDGET_SECONDS and megabytes <= BUDGET_MB
        over = over or not within
        report(
            f"hostile upload: {Path(name).stem}",
            "failed to run"
            if failed
            else f"{seconds:.2f} s of CPU, {megabytes:.0f} MB (worst route)",
            f"{BUDGET_SECONDS:.0f} s and {BUDGET_MB:.0f} MB",
            within=within,
        )
    return 1 if over else 0


# --- the child: one file through one route -----------------------------------------------------


def _memory(field: str) -> float:
    """Return a field of /proc/self/status (VmRSS, VmHWM) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _child(route: str, file: str, database: str) -> dict:
    import resource

    from consultations.db import make_engine, read_scope, session_scope
    from consultations.errors import WorkbenchError
    from consultations.models import Consultation, User
    from consultations.question_import import read_questions
    from evidence.attachments import add_attachment
    from evidence.excel_route import parse_response_workbook
    from evidence.intake import PaperQuestion, propose_response

    limit = 2 * int(BUDGET_SECONDS)
    resource.setrlimit(resource.RLIMIT_CPU, (limit * 3, limit * 3))
    path = Path(file)
    data = path.read_bytes()
    engine = make_engine(f"sqlite:///{database}")
    with read_scope(engine) as session:
        consultation = session.get(Consultation, 1)
        questions = list(consultation.questions)
        paper = [PaperQuestion(q.id, q.number, q.text, q.kind, tuple(q.options)) for q in questions]
        session.expunge_all()

    def upload() -> object:
        if route == "question import":
            return read_questions(path.name, data)
        if route == "own file":
            return propose_response(data, paper, filename=path.name)
        if route == "Excel template":
            return parse_response_workbook(data, consultation, questions, filename=path.name)
        with session_scope(engine) as session:
            partner = session.get(User, 1)
            add_attachment(
                session,
                partner,
                1,
                name=path.name,
                data=data,
                today=date.today(),
                now=datetime.now(),
            )
            session.rollback()
        return "attached"

    with contextlib.suppress(OSError):  # the peak starts here: the imports are not the upload
        Path("/proc/self/clear_refs").write_text("5")
    before = _memory("VmRSS")
    cpu = time.process_time()
    started = time.perf_counter()
    try:
        upload()
        outcome = "read (within the limits)"
    except WorkbenchError as exc:
        outcome = "refused: " + str(exc).split(" problem: ", 1)[-1]
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "seconds": seconds,
        "cpu": cpu,
        "megabytes": _memory("VmHWM") - before,
        "outcome": outcome,
    }


if __name__ == "__main__":
    sys.exit(main())
