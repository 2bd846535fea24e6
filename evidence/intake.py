"""Partners' responses in their own files: Word and PDF letters, and their own spreadsheets.

``propose_response`` reads any of them (through ``consultations.documents``, which checks the
file first) into parts, each matched to a question with how sure the match is and why
(``evidence.parts.ProposedAnswer``); the officer checks the parts before anything is imported.

The dry run shows what a file would give without the app or a database, for operators and for
anyone checking a partner's file::

    python -m evidence.intake RESPONSE --questions QUESTIONS

QUESTIONS is any file the question import takes (the consultation paper, its response form, or
a list of questions). It prints one JSON line per part found, in document order::

    {"question": "Q1", "questions": ["Q1"], "position": "Disagree", "text": "...",
     "confidence": "high", "reason": "heading 'Question 1' matches Q1; ...", "source": "..."}

``question`` is null for a part matched to no question; ``questions`` lists every question of a
joint answer ("Questions 3 and 4"). When either file cannot be read, it prints the message on
stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from consultations.documents import read_file
from consultations.errors import WorkbenchError
from consultations.files import MEGABYTE, refuse
from consultations.question_import import parse_questions
from evidence.parts import ProposedAnswer
from evidence.positions import QuestionLike
from evidence.sheet_route import propose_sheet_parts
from evidence.word_route import propose_parts

ACCEPTED = (".docx", ".pdf", ".xlsx", ".csv")
MAX_RESPONSE_BYTES = 10 * MEGABYTE


def propose_response(
    data: bytes,
    questions: Sequence[QuestionLike],
    *,
    filename: str,
    max_bytes: int = MAX_RESPONSE_BYTES,
) -> list[ProposedAnswer]:
    """Read a partner's Word, PDF or spreadsheet response into parts matched to the questions."""
    contents = read_file(filename, data, accepted=ACCEPTED, max_bytes=max_bytes)
    subject = f"The file '{contents.name}'"
    if contents.blocks:
        parts = propose_parts(contents.blocks, questions)
    elif contents.sheets:
        parts = propose_sheet_parts(contents.sheets, questions, subject=subject)
    else:
        parts = []
    if not any(part.text or part.question_ids or part.position for part in parts):
        refuse(subject, "it has no text to import; check you chose the partner's response")
    return parts


# --- The dry run ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaperQuestion:
    """A question read from a file by the question import, numbered for the dry run."""

    id: int
    number: str
    text: str
    kind: str
    options: tuple[str, ...]


def questions_from_file(path: Path) -> list[PaperQuestion]:
    """Read the questions of a consultation paper, response form or list of questions."""
    parsed = parse_questions(path.name, path.read_bytes())
    return [
        PaperQuestion(index, q.number, q.text, q.kind, tuple(q.options))
        for index, q in enumerate(parsed, start=1)
    ]


def part_line(part: ProposedAnswer) -> str:
    """Return one part as the dry run's JSON line."""
    return json.dumps(
        {
            "question": part.numbers[0] if part.question_ids else None,
            "questions": list(part.numbers) if part.question_ids else [],
            "position": part.position,
            "text": part.text,
            "confidence": part.confidence,
            "reason": part.why,
            "source": part.source,
        },
        ensure_ascii=False,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print what a partner's file would give, one JSON line per part; 2 if it cannot be read."""
    parser = argparse.ArgumentParser(
        prog="python -m evidence.intake",
        description="Show how a partner's response (Word, PDF, Excel or CSV) splits into answers.",
    )
    parser.add_argument("response", type=Path, help="the partner's file")
    parser.add_argument(
        "--questions",
        type=Path,
        required=True,
        help="the consultation's questions: any file the question import takes",
    )
    args = parser.parse_args(argv)
    try:
        questions = questions_from_file(args.questions)
        parts = propose_response(args.response.read_bytes(), questions, filename=args.response.name)
    except WorkbenchError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"The file could not be opened: {exc.strerror} ({exc.filename}).", file=sys.stderr)
        return 2
    for part in parts:
        print(part_line(part))
    return 0


if __name__ == "__main__":
    sys.exit(main())
