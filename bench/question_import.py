"""Measure the question import on big papers and on PDFs built to exhaust a reader.

Run from the repository root: ``.venv/bin/python bench/question_import.py``.

Each case runs in a process of its own, so that its peak memory (the process's maximum resident
size, the interpreter and libraries included) is its own. DESIGN.md: every upload is parsed
within 5 s and 300 MB of memory, whatever it holds, or refused. The cases:

- a 100-page consultation paper as PDF (about 40 lines a page, a question every two pages);
- the same paper as a Word document, and a Word paper with 500 questions (the most imported);
- a spreadsheet of 10,000 question rows, read whole and refused (more than 500);
- a PDF of 10,000 empty pages; a one-page PDF whose content unpacks to 200 MB; a page of
  30,000 drawing operations: each must be refused, within the same budget.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.budget import report  # noqa: E402

BUDGET_SECONDS, BUDGET_MB = 5.0, 300.0

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from bench.question_import import build
from consultations.errors import WorkbenchError
from consultations.question_import import read_questions
name, data = build({case!r})
started = time.perf_counter()
try:
    found = len(read_questions(name, data, max_bytes=10 * 1024 * 1024).questions)
    outcome = f"{{found}} questions"
except WorkbenchError as exc:
    outcome = "refused: " + str(exc).split(": ", 1)[1][:70]
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "mb": peak, "outcome": outcome, "bytes": len(data)}}))
"""

CASES = (
    "paper-100-pages.pdf",
    "paper-100-pages.docx",
    "paper-500-questions.docx",
    "questions-10000-rows.xlsx",
    "pages-10000.pdf",
    "content-bomb-200mb.pdf",
    "operations-30000.pdf",
)


def _paper_paragraphs(pages: int) -> list[str]:
    paragraphs = []
    for page in range(1, pages + 1):
        for index in range(1, 6):
            paragraphs.append(
                f"{page}.{index} The Government proposes that the arrangements for sponsors and "
                "their families should change, and this paragraph sets out the evidence for "
                "that view, the costs to councils and the effect on each nation of the UK."
            )
        if page % 2 == 0:
            paragraphs.append(
                f"Question {page // 2}: Do you agree with the proposal set out above? "
                "(Yes / No / Don't know)"
            )
    return paragraphs


def build(case: str) -> tuple[str, bytes]:
    """Make the file a case reads: (its name, its bytes)."""
    from tests import pdf_builder

    if case == "paper-100-pages.pdf":
        pages = _paper_paragraphs(100)
        per_page = len(pages) // 100
        return case, pdf_builder.pdf_file(
            *(
                pdf_builder.paragraphs_page(*pages[i : i + per_page])
                for i in range(0, len(pages), per_page)
            )
        )
    if case.endswith(".docx"):
        import docx

        document = docx.Document()
        if case == "paper-100-pages.docx":
            for paragraph in _paper_paragraphs(100):
                document.add_paragraph(paragraph)
        else:
            for number in range(1, 501):
                document.add_paragraph(f"Q{number}. Do you agree with proposal {number}?")
                document.add_paragraph("Please explain your answer.")
        buffer = io.BytesIO()
        document.save(buffer)
        return case, buffer.getvalue()
    if case == "questions-10000-rows.xlsx":
        import openpyxl

        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(["No.", "Section", "Question", "Type", "Options"])
        for number in range(1, 10_001):
            sheet.append(
                [number, "Chapter 1", f"Should proposal {number} go ahead?", "", "Yes; No"]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        return case, buffer.getvalue()
    if case == "pages-10000.pdf":
        return case, pdf_builder.page_tree_bomb(10_000)
    if case == "content-bomb-200mb.pdf":
        return case, pdf_builder.content_bomb(200 * 1024 * 1024)
    return case, pdf_builder.many_operations(30_000)


def measure(case: str) -> dict:
    """Run one case in a fresh process; return its seconds, peak MB and outcome."""
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT), case=case)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    """Measure every case; print each figure and the budget lines; 1 when one is over."""
    over = False
    for case in CASES:
        figures = measure(case)
        within = figures["seconds"] <= BUDGET_SECONDS and figures["mb"] <= BUDGET_MB
        over = over or not within
        print(
            f"{case} ({figures['bytes'] / 1024:,.0f} KB): {figures['seconds']:.2f} s, "
            f"peak {figures['mb']:.0f} MB, {figures['outcome']}"
        )
        report(
            f"question import: {case}",
            f"{figures['seconds']:.2f} s, {figures['mb']:.0f} MB",
            f"{BUDGET_SECONDS:g} s, {BUDGET_MB:g} MB",
            within=within,
        )
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
