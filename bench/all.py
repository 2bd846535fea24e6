"""Run every benchmark under bench/ and print their figures against DESIGN.md's budgets.

Run from the repository root: ``.venv/bin/python bench/all.py`` (``make bench``). Each benchmark
runs in a process of its own, one after another, on the data set it generates: the pages, the draft
and memory on 200 partner organisations, 20 questions and 5,000 answers; the import on 10,000 rows;
hostile uploads (and the largest accepted) through every route; the tagger on a million words; the
load with 30 partners and 3 officers on SQLite, and on PostgreSQL too when ``BENCH_DATABASE_URL`` or
``TEST_DATABASE_URL`` names one on this machine. Their own output goes to the screen as they run; at
the end, a table of every budget line they reported (``bench/budget.py``). The exit status is 1 when
a benchmark failed or a figure is over its budget. ``--only NAME`` runs some.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.budget import parse  # noqa: E402

# In this order: the quick ones first, the load (which wants the machine to itself) last.
BENCHMARKS = (
    "draft",
    "word_return",
    "import_xlsx",
    "question_import",
    "hostile_files",
    "learning",
    "mail",
    "pages",
    "tagging",
    "load",
)


def run(name: str) -> tuple[int, list[tuple[str, str, str, str]], float]:
    """Run one benchmark, echoing its output; return its exit status, budget lines, seconds."""
    started = time.perf_counter()
    lines: list[tuple[str, str, str, str]] = []
    with subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / f"{name}.py")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            print(f"  {line}", end="", flush=True)
            if (found := parse(line.strip())) is not None:
                lines.append(found)
    return process.returncode, lines, time.perf_counter() - started


def table(rows: Sequence[tuple[str, str, str, str]]) -> str:
    """The budget lines as a plain text table."""
    header = ("measure", "figure", "budget", "verdict")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks, print the table; 1 when any failed or is over budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, help="run only these")
    options = parser.parse_args(argv)
    rows: list[tuple[str, str, str, str]] = []
    failed: list[str] = []
    for name in options.only or BENCHMARKS:
        print(f"== bench/{name}.py", flush=True)
        status, lines, seconds = run(name)
        print(f"== bench/{name}.py: exit status {status}, {seconds:.0f} s\n", flush=True)
        rows += lines
        if not lines:
            rows.append((f"bench/{name}.py", "no figure reported", "-", "FAILED"))
        if status != 0 and all(verdict == "within" for *_, verdict in lines):
            failed.append(name)  # it stopped for a reason other than a budget: say so
    print(table(rows))
    over = [row for row in rows if row[3] != "within"]
    if failed:
        print(f"Failed to run: {', '.join(failed)}.")
    print(
        f"{len(rows) - len(over)} of {len(rows)} figures within budget."
        + (f" Over or failed: {len(over)}." if over else "")
    )
    return 1 if over or failed else 0


if __name__ == "__main__":
    sys.exit(main())
