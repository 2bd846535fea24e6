"""Time an edited Word copy of the 5,000-answer draft coming back: read, compare, merge.

Run from the repository root: ``.venv/bin/python bench/word_return.py``.

The draft is bench/draft.py's (200 organisations, 20 questions, 5,000 answers), written with its
identity as the draft page hands it out; the copy has a tracked replacement in Word's markup in
every question section and a comment. DESIGN.md's budget: every upload is parsed within 5 s, so
reading the copy and comparing it with its version (what the page does when the file arrives)
must fit in 5 s; a stale copy (compared three ways) is timed too, and the merge on saving.
"""

from __future__ import annotations

import io
import sys
import time
from dataclasses import replace
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.budget import report  # noqa: E402
from bench.draft import assemble, build_evidence  # noqa: E402  (wherever assembly lives)
from exports.draft_model import Block  # noqa: E402
from exports.word import write_docx  # noqa: E402
from exports.word_marks import DocumentIdentity  # noqa: E402
from exports.word_return_compare import apply_copy, review_copy  # noqa: E402
from exports.word_return_read import read_copy  # noqa: E402

BUDGET_SECONDS = 5.0
ROUNDS = 3
CHANGE = 'w:id="{0}" w:author="Bench Editor" w:date="2026-12-07T10:00:00Z"'


def edited(data: bytes) -> bytes:
    """The copy with a tracked replacement at the start of each question's first paragraph."""
    copy = read_copy(data)
    firsts = {s.texts[1] for s in copy.sections if s.key.startswith("question-") and s.texts[1:]}
    document = docx.Document(io.BytesIO(data))
    number = 1000
    for paragraph in document.paragraphs:
        if paragraph.text not in firsts or not paragraph.runs:
            continue
        words = paragraph.text
        for run in list(paragraph.runs):
            paragraph._p.remove(run._r)
        number += 2
        first, _, rest = words.partition(" ")
        paragraph._p.append(
            parse_xml(
                f"<w:del {nsdecls('w')} {CHANGE.format(number)}><w:r><w:delText>{first}"
                "</w:delText></w:r></w:del>"
            )
        )
        paragraph._p.append(
            parse_xml(
                f"<w:ins {nsdecls('w')} {CHANGE.format(number + 1)}><w:r><w:t>Overall,"
                "</w:t></w:r></w:ins>"
            )
        )
        paragraph.add_run(f" {first.lower()} {rest}")
        if number == 1002:
            document.add_comment(paragraph.runs[-1], text="Check this.", author="Bench Editor")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def best(step, rounds: int = ROUNDS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> int:
    draft = assemble(build_evidence())
    data = edited(write_docx(draft, identity=DocumentIdentity(1, "BENCH-1", 1)))
    reading, copy = best(lambda: read_copy(data))
    pieces = sum(len(s.pieces) for s in copy.sections)
    print(f"Copy read: {reading:.2f} s ({len(data) / 1024:,.0f} KiB, {pieces:,} paragraphs/rows)")
    comparing, review = best(
        lambda: review_copy(copy, draft, draft, base_number=1, latest_number=1)
    )
    changed = len(review.changed)
    print(f"Compared with its version: {comparing:.2f} s ({changed} sections changed)")
    key = next(s.key for s in draft.sections if s.key.startswith("question-"))
    later = replace(
        draft,
        sections=[
            replace(s, blocks=[Block("paragraph", "The app's own words."), *s.blocks])
            if s.key == key
            else s
            for s in draft.sections
        ],
    )
    stale, three_way = best(lambda: review_copy(copy, draft, later, base_number=1, latest_number=2))
    print(f"Compared three ways (stale copy): {stale:.2f} s ({len(three_way.conflicts)} conflict)")
    merging, _ = best(lambda: apply_copy(three_way, copy, draft, later, mode="accept"))
    print(f"Merged into the newest version: {merging:.2f} s")
    upload = reading + max(comparing, stale)
    report(
        "an edited Word copy of the 5,000-answer draft, read and compared",
        f"{upload:.2f} s",
        f"under {BUDGET_SECONDS:.0f} s",
        within=upload <= BUDGET_SECONDS,
    )
    return 0 if upload <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
