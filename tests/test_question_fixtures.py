"""Question import on documents laid out as real consultation papers are (tests/data/intake/).

Each fixture has its expected result beside it (``questions-*.json``: numbers, wording, kinds,
options, sections, the About-you questions left out, and a phrase of each notice), declared by
``tests/data/intake/make_question_fixtures.py`` from the paper's content, not from what the
importer reads. Each is read through ``read_questions`` and through the dry-run command; a few go
through the questions page.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from consultations.db import read_scope, session_scope
from consultations.models import Question
from consultations.question_import import read_questions
from consultations.questions import KIND_WORDS
from tests.conftest import ROOT, add_consultation, add_person
from tests.test_intake_pages import uploader
from tests.test_pages import texts

FIXTURES = ROOT / "tests" / "data" / "intake"
EXPECTED = sorted(FIXTURES.glob("questions-*.json"))


def document_of(expected: Path) -> Path:
    (found,) = [
        path
        for path in FIXTURES.glob(f"{expected.stem}.*")
        if path.suffix in (".docx", ".pdf", ".xlsx", ".csv")
    ]
    return found


def expected_of(path: Path) -> dict:
    return json.loads(path.read_text())


def as_listed(questions) -> list[dict]:
    return [
        {
            "number": q.number,
            "text": q.text,
            "kind": q.kind,
            "options": list(q.options),
            "section": q.section,
        }
        for q in questions
    ]


def test_there_are_at_least_thirteen_question_documents_of_every_kind():
    documents = [document_of(path) for path in EXPECTED]
    assert len(documents) >= 13
    assert {path.suffix for path in documents} == {".docx", ".pdf", ".xlsx", ".csv"}


@pytest.mark.parametrize("expected_file", EXPECTED, ids=lambda path: path.stem)
def test_fixture_imports_as_a_person_reading_it_would_list_its_questions(expected_file):
    expected = expected_of(expected_file)
    document = document_of(expected_file)

    found = read_questions(document.name, document.read_bytes())

    assert as_listed(found.questions) == expected["questions"]
    assert [q.number for q in found.left_out] == expected["left_out"]
    notices = [str(notice) for notice in found.notices]
    assert len(notices) == len(expected["notices"]), notices
    for phrase, notice in zip(expected["notices"], notices, strict=True):
        assert phrase in notice


def dry_run(path: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "consultations.question_import", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=environment,
        cwd=ROOT,
        check=False,
    )


@pytest.mark.parametrize("expected_file", EXPECTED, ids=lambda path: path.stem)
def test_dry_run_prints_one_json_line_per_question_and_the_notices_on_stderr(expected_file):
    expected = expected_of(expected_file)

    result = dry_run(document_of(expected_file))

    assert result.returncode == 0, result.stderr
    assert [json.loads(line) for line in result.stdout.splitlines()] == expected["questions"]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == len(expected["notices"])
    left_out = [line for line in result.stderr.splitlines() if line.startswith("left out")]
    assert [line.split()[5] for line in left_out] == expected["left_out"]


def test_dry_run_refuses_a_file_with_status_2_and_the_message(tmp_path):
    letter = tmp_path / "letter.csv"
    letter.write_text("Dear partners,\nplease reply by Friday.\n")

    result = dry_run(letter)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        "The file 'letter.csv' has 1 problem: none of its first 10 rows"
    )


def test_dry_run_says_when_the_file_cannot_be_opened(tmp_path):
    result = dry_run(tmp_path / "missing.docx")

    assert result.returncode == 2
    assert "could not be opened" in result.stderr


# --- Through the questions page -------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "questions-ho-family-paper.docx",
        "questions-ukba-response-form.docx",
        "questions-word-numbered-pdf.pdf",
        "questions-closed-without-options.xlsx",
    ],
)
def test_officer_imports_a_real_layout_through_the_questions_page(open_page, engine, name):
    expected = expected_of(FIXTURES / f"{Path(name).stem}.json")
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        consultation = add_consultation(session, officer, questions=0)
        cid = consultation.id
    app = open_page("questions", as_user=officer, query={"consultation": str(cid)})
    data = (FIXTURES / name).read_bytes()

    uploader(app, "Question file").set_value((name, data, "application/octet-stream")).run()

    assert not app.exception
    page = texts(app)
    assert f"Found {len(expected['questions'])} questions in " in page
    shown = app.dataframe[0].value
    assert list(shown["Number"]) == [q["number"] for q in expected["questions"]]
    assert list(shown["Section"]) == [q["section"] for q in expected["questions"]]
    # Each kind in words, as on the questions page ("Both: choose an option and explain").
    assert list(shown["Kind"]) == [KIND_WORDS[q["kind"]] for q in expected["questions"]]
    for number in expected["left_out"]:
        assert f"- {number}: " in page
    for phrase in expected["notices"]:
        assert phrase.split(": ", 1)[-1][:40] in page

    next(b for b in app.button if b.label.startswith("Add these")).click().run()
    assert not app.exception
    with read_scope(engine) as session:
        saved = session.scalars(
            select(Question).where(Question.consultation_id == cid).order_by(Question.position)
        ).all()
        assert [(q.number, q.text, q.section) for q in saved] == [
            (q["number"], q["text"], q["section"]) for q in expected["questions"]
        ]

    assert f"Added {len(expected['questions'])} questions from {name}." in texts(app)

    # The same file again adds nothing twice.
    uploader(app, "Question file").set_value((name, data, "application/octet-stream")).run()
    next(b for b in app.button if b.label.startswith("Add these")).click().run()
    assert not app.exception
    assert f"Every question in {name} is here already; nothing was added." in texts(app)
    with read_scope(engine) as session:
        count = len(session.scalars(select(Question).where(Question.consultation_id == cid)).all())
        assert count == len(expected["questions"])


def test_importing_questions_whose_numbers_exist_warns_and_numbers_them_on(open_page, engine):
    from tests.test_question_import import csv_file

    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        cid = add_consultation(session, officer, questions=3).id
    app = open_page("questions", as_user=officer, query={"consultation": str(cid)})
    data = csv_file([["No.", "Question"], ["1", "Should fees rise?"], ["2", "Why?"]])

    uploader(app, "Question file").set_value(("more.csv", data, "text/csv")).run()

    assert not app.exception
    assert "This consultation has Q1 and Q2 already, with other words." in texts(app)
    choice = next(r for r in app.radio if r.label == "The file's questions with those numbers")
    choice.set_value("after").run()
    assert "They will be numbered Q4, Q5." in texts(app)
    next(b for b in app.button if b.label.startswith("Add these")).click().run()
    assert not app.exception
    assert "Added 2 questions from more.csv." in texts(app)
    with read_scope(engine) as session:
        saved = session.scalars(
            select(Question).where(Question.consultation_id == cid).order_by(Question.position)
        ).all()
        assert [(q.number, q.text) for q in saved][3:] == [
            ("Q4", "Should fees rise?"),
            ("Q5", "Why?"),
        ]
