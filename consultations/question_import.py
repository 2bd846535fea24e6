"""Find the questions in an officer's uploaded consultation paper: .docx, PDF, .xlsx or .csv.

The result is a preview: the officer confirms it before anything is saved. Documents are read
by ``consultations.documents``; ``question_documents`` finds the questions in a Word or PDF
paper (numbered questions, Word's list numbers, response-form tables, bullets in calls for
evidence), ``question_sheets`` in a spreadsheet, and ``question_text`` holds the wording rules
both share (options named in the question, kind, where a question stops, "About you").

What the import cannot decide is shown as a notice beside the questions, not a refusal:

- a question asked twice (in its chapter and again in the annex, the usual Home Office layout)
  is one question; a notice says so when the two wordings differ;
- a question marked closed with no options, or asking to "tick one" of options that are nowhere,
  becomes open, with a notice;
- questions about the respondent ("What is your name?", "Are you responding as an
  individual?") are set apart and listed, not imported;
- a gap in the numbers (Q2 then Q4) is pointed out.

A file is refused, with every problem listed, only when nothing usable can be read from it: not
a file we take, damaged, no questions at all, more than ``MAX_QUESTIONS``, or a spreadsheet with
rows that cannot be read (each with its row and column).

Dry run: ``python -m consultations.question_import FILE`` prints one JSON line per question
(number, text, kind, options, section) and the notices on standard error; it exits with status
2 and the message when the file is refused.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from consultations.documents import Contents, number_sort_key, read_file
from consultations.errors import Problem, ValidationFailed, WorkbenchError
from consultations.file_guards import QUESTION_FILES
from consultations.files import MEGABYTE, display_name
from consultations.question_documents import find_questions
from consultations.question_sheets import MAX_ROWS, read_sheets
from consultations.question_text import (
    DEFAULT_AGREEMENT_OPTIONS,
    Notice,
    ParsedQuestion,
    likeness,
)

__all__ = [
    "ACCEPTED",
    "DEFAULT_AGREEMENT_OPTIONS",
    "MAX_QUESTIONS",
    "Notice",
    "ParsedQuestion",
    "QuestionImport",
    "main",
    "parse_questions",
    "read_questions",
]

MAX_QUESTIONS = MAX_ROWS
ACCEPTED = (".docx", ".pdf", ".xlsx", ".csv")
SAME_QUESTION = 0.9  # two wordings of one number this alike are one question, said once


@dataclass(frozen=True)
class QuestionImport:
    """What a question file holds, for the officer's preview."""

    name: str
    questions: tuple[ParsedQuestion, ...]
    notices: tuple[Notice, ...] = ()  # what to check: merged repeats, options not found, gaps
    left_out: tuple[ParsedQuestion, ...] = ()  # questions about the respondent, not imported


def read_questions(filename: str, data: bytes, *, max_bytes: int = 10 * MEGABYTE) -> QuestionImport:
    """Find the questions in a .docx, PDF, .xlsx or .csv file.

    Raise ``ValidationFailed`` listing every problem when nothing usable can be read.
    """
    name = display_name(filename)
    subject = f"The file '{name}'"
    contents = read_file(
        name, data, accepted=ACCEPTED, max_bytes=max_bytes, subject=subject, limits=QUESTION_FILES
    )
    questions, problems, notices, left_out = _found(contents)
    document = bool(contents.blocks)
    questions, repeats = _one_per_number(questions, repeats_allowed=document)
    if not questions and not problems:
        problems = [_no_questions_problem(contents, left_out)]
    problems += _set_problems(questions)
    if not document:
        problems += [Problem(repeat) for repeat in repeats]
    if problems:
        raise ValidationFailed(problems, subject=subject)
    if document:
        notices = [*(Notice(repeat) for repeat in repeats), *notices]
    notices += _gaps(questions, left_out)
    return QuestionImport(name, tuple(questions), tuple(notices), tuple(left_out))


def parse_questions(
    filename: str, data: bytes, *, max_bytes: int = 10 * MEGABYTE
) -> list[ParsedQuestion]:
    """Return only the questions ``read_questions`` finds."""
    return list(read_questions(filename, data, max_bytes=max_bytes).questions)


def _found(
    contents: Contents,
) -> tuple[list[ParsedQuestion], list[Problem], list[Notice], list[ParsedQuestion]]:
    if contents.blocks:
        found = find_questions(contents.blocks)
        return found.questions, [], found.notices, found.left_out
    if not contents.sheets:
        what = "every sheet is empty" if contents.file_type.key == "xlsx" else "it has no rows"
        return (
            [],
            [Problem(f"{what}; put a header row and the questions on the first sheet")],
            [],
            [],
        )
    found = read_sheets(contents.sheets)
    return found.questions, found.problems, found.notices, found.left_out


# --- Checks on the whole set --------------------------------------------------------------------


def _one_per_number(
    questions: list[ParsedQuestion], *, repeats_allowed: bool
) -> tuple[list[ParsedQuestion], list[str]]:
    """Keep one question per number: the first, with the options a repeat may add.

    A document repeats its questions (chapter, then annex); a repeat whose wording differs is
    reported. In a spreadsheet every row is meant as a question, so a repeated number whose
    wording differs is a problem to fix.
    """
    kept: dict[str, ParsedQuestion] = {}
    places: dict[str, list[str]] = {}
    differing: set[str] = set()
    for question in questions:
        first = kept.get(question.number)
        places.setdefault(question.number, []).append(question.source)
        if first is None:
            kept[question.number] = question
            continue
        if likeness(first.text, question.text) < SAME_QUESTION:
            differing.add(question.number)
        if _more_specific(question.options, first.options):
            kept[question.number] = ParsedQuestion(
                first.number,
                first.text,
                question.kind,
                question.options,
                first.source,
                first.section,
            )
    reports = []
    for number in sorted(differing, key=number_sort_key):
        sources = places[number]
        if repeats_allowed:
            reports.append(
                f"{number} appears {len(sources)} times with different wording, at "
                f"{_and_list(sources)}; the wording at {sources[0]} was kept: check it is the "
                "question partners will answer"
            )
        else:
            reports.append(
                f"{number} appears {len(sources)} times, at {_and_list(sources)}; give each "
                "question its own number"
            )
    return list(kept.values()), reports


def _more_specific(options: tuple[str, ...], than: tuple[str, ...]) -> bool:
    """Say whether a repeat's options say more than the first's: printed beats guessed."""
    return bool(options) and (not than or than == DEFAULT_AGREEMENT_OPTIONS != options)


def _set_problems(questions: list[ParsedQuestion]) -> list[Problem]:
    if len(questions) <= MAX_QUESTIONS:
        return []
    return [
        Problem(
            f"it has {len(questions)} questions and at most {MAX_QUESTIONS} can be imported; "
            "split the questions across smaller files or consultations"
        )
    ]


def _gaps(questions: list[ParsedQuestion], left_out: list[ParsedQuestion]) -> list[Notice]:
    numbers = {number_sort_key(q.number)[0] for q in (*questions, *left_out)}
    if len(numbers) < 2:
        return []
    missing = [n for n in range(min(numbers), max(numbers)) if n not in numbers]
    if not missing or len(missing) > 20:
        return []
    listed = _and_list([f"Q{n}" for n in missing])
    them = "it" if len(missing) == 1 else "them"
    return [
        Notice(
            f"no {listed} was found, though the numbers around {them} were; check the document "
            "and add what is missing by hand"
        )
    ]


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _no_questions_problem(contents: Contents, left_out: list[ParsedQuestion]) -> Problem:
    if left_out:
        return Problem(
            f"its only questions ({len(left_out)}) ask about the respondent, such as "
            f"'{left_out[0].text[:80]}'; upload the consultation's own questions"
        )
    if contents.blocks:
        return Problem(
            "no numbered questions were found; start each question's paragraph with its number, "
            "like 'Question 1:', 'Q1.' or '1.', or put the questions in a table with the number "
            "in the first column"
        )
    return Problem(
        "no questions were found below the header row; put one question per row under the "
        "'Question' column"
    )


# --- The dry run ---------------------------------------------------------------------------------


def question_line(question: ParsedQuestion) -> str:
    """Write one question as the dry run's JSON line."""
    return json.dumps(
        {
            "number": question.number,
            "text": question.text,
            "kind": question.kind,
            "options": list(question.options),
            "section": question.section,
        },
        ensure_ascii=False,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print the questions a file holds, one JSON line each; notices go to standard error."""
    parser = argparse.ArgumentParser(
        prog="python -m consultations.question_import",
        description="Show the questions the workbench would import from a consultation paper, "
        "response form or spreadsheet (.docx, .pdf, .xlsx, .csv), without saving anything.",
    )
    parser.add_argument("file", type=Path, help="the file to read")
    parser.add_argument(
        "--max-mb", type=int, default=10, help="the largest file to read, in MB (default 10)"
    )
    arguments = parser.parse_args(argv)
    try:
        data = arguments.file.read_bytes()
        found = read_questions(arguments.file.name, data, max_bytes=arguments.max_mb * MEGABYTE)
    except OSError as exc:
        print(f"The file '{arguments.file}' could not be opened: {exc.strerror}.", file=sys.stderr)
        return 2
    except WorkbenchError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    for question in found.questions:
        print(question_line(question))
    for notice in found.notices:
        print(f"warning: {notice}", file=sys.stderr)
    for question in found.left_out:
        print(
            f"left out (about the respondent): {question.number} {question.text}", file=sys.stderr
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
