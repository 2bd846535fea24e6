"""The app killed in the middle of an action: on restart the database holds none of it, and the
action can be done again.

Each test runs the real action in a child process (tests/fault_child.py) against the test's
database, lets it write part of its rows inside its transaction, and kills it with SIGKILL
there. The database is then opened as the app opens it on restart (``make_engine`` and the
schema upgrade) and every table's row count is compared with the count before the action.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, func, select

import evidence.models  # noqa: F401 - every table in the metadata, for the row counts
import exports.models  # noqa: F401
from consultations.consultation import move_consultation
from consultations.dates import uk_today
from consultations.db import Base, make_engine, read_scope, session_scope, utcnow
from consultations.migrate import upgrade
from consultations.models import AuditEvent, Consultation, Question, User
from consultations.question_import import parse_questions
from consultations.questions import QuestionForm, save_questions
from evidence.analysis import load_evidence
from evidence.excel_route import RESPONSE_SHEET, build_template, parse_response_workbook
from evidence.models import Answer, Submission, TagSuggestion
from evidence.submissions import AnswerInput, import_answers, save_answer, submit
from exports.draft_model import Block
from exports.drafts import assemble_draft, draft_of, save_section, versions
from tests.conftest import ROOT, add_consultation, add_organisation, add_person

CHILD = ROOT / "tests" / "fault_child.py"
COMMENTS = (
    "Councils need new burdens funding to support families with no recourse to public funds.",
    "Demand for social housing in Belfast is already very high, with long waiting lists.",
    "ESOL classes in Newry have waiting lists of over 200 learners.",
)


@pytest.fixture(scope="module")
def fault_server(tmp_path_factory) -> Iterator[subprocess.Popen]:
    """tests/fault_child.py, started once: it imports the app, then forks a child per action."""
    log = tmp_path_factory.mktemp("faults") / "server.log"
    with log.open("wb") as errors:
        server = subprocess.Popen(
            [sys.executable, str(CHILD)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        yield server
        server.stdin.close()
        server.wait(timeout=30)
        server.stdout.close()


@pytest.fixture
def kill_midway(fault_server, database_url, tmp_path):
    """Run an action in a child process, kill it with SIGKILL at the stop; return its writes."""

    def kill(action: str, stop: str, **arguments: object) -> list[str]:
        marker, log = tmp_path / f"{action}.marker", tmp_path / f"{action}.log"
        request = {
            "action": action,
            "url": database_url,
            "marker": str(marker),
            "stop": stop,
            "log": str(log),
            "arguments": arguments,
        }
        fault_server.stdin.write(json.dumps(request) + "\n")
        fault_server.stdin.flush()
        pid = int(fault_server.stdout.readline())
        deadline = time.monotonic() + 60
        while not (marker.exists() and marker.read_text()):
            if not alive(pid) or time.monotonic() > deadline:
                if alive(pid):
                    os.kill(pid, signal.SIGKILL)
                fault_server.stdout.readline()
                pytest.fail(f"The child did not reach '{stop}': {log.read_text()[-3000:]}")
            time.sleep(0.02)
        os.kill(pid, signal.SIGKILL)
        status = int(fault_server.stdout.readline())
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        return marker.read_text().splitlines()

    return kill


def alive(pid: int) -> bool:
    """Say whether the process is still there (the server reaps its children at once)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def restarted(url: str) -> Engine:
    """Open the database as the app does when it starts again."""
    engine = make_engine(url)
    upgrade(engine)
    return engine


def row_counts(engine: Engine) -> dict[str, int]:
    """How many rows every table of the workbench holds."""
    with read_scope(engine) as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


def open_consultation(session, officer, questions: int = 3):
    """A consultation open to partners today (the child's actions use the real date)."""
    today = uk_today()
    consultation = add_consultation(
        session,
        officer,
        questions=questions,
        opens_on=today - timedelta(days=7),
        partner_deadline=today + timedelta(days=14),
        closes_on=today + timedelta(days=21),
    )
    move_consultation(session, officer, consultation.id, "open", now=utcnow())
    return consultation


def partner_world(engine: Engine):
    """An officer, a partner of a council and an open consultation of three questions."""
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        partner = add_person(session, "partner", organisation=add_organisation(session))
        consultation = open_consultation(session, officer)
        return officer.id, partner.id, consultation.id, [q.id for q in consultation.questions]


def as_person(session, user_id: int) -> User:
    return session.get(User, user_id)


def save_three_answers(engine: Engine, partner: int, consultation: int, questions: list[int]):
    for question, comment in zip(questions, COMMENTS, strict=True):
        with session_scope(engine) as session:
            save_answer(
                session,
                as_person(session, partner),
                consultation,
                AnswerInput(question, position="Disagree", text=comment),
                seen_version=0,
                today=uk_today(),
                now=utcnow(),
            )


def submit_as(engine: Engine, partner: int, consultation: int):
    with session_scope(engine) as session:
        return submit(
            session,
            as_person(session, partner),
            consultation,
            consent="named",
            today=uk_today(),
            now=utcnow(),
        ).number


def submission_state(engine: Engine, consultation: int):
    with read_scope(engine) as session:
        submission = session.scalar(
            select(Submission).where(Submission.consultation_id == consultation)
        )
        return (
            submission.status,
            submission.submitted_at is not None,
            [s.number for s in submission.snapshots],
            len(submission.answers),
        )


def test_submission_killed_midway_is_not_submitted_and_can_be_submitted_again(
    engine, database_url, kill_midway
):
    _, partner, consultation, questions = partner_world(engine)
    save_three_answers(engine, partner, consultation, questions)
    before = row_counts(engine)

    written = kill_midway(
        "submit", "INSERT submission_snapshot", user=partner, consultation=consultation
    )
    engine = restarted(database_url)

    assert written == ["UPDATE submission", "INSERT submission_snapshot"]
    assert row_counts(engine) == before
    assert submission_state(engine, consultation) == ("draft", False, [], 3)
    assert submit_as(engine, partner, consultation) == 1
    assert submission_state(engine, consultation) == ("submitted", True, [1], 3)
    engine.dispose()


def test_submission_killed_just_after_its_commit_is_kept_whole(engine, database_url, kill_midway):
    _, partner, consultation, questions = partner_world(engine)
    save_three_answers(engine, partner, consultation, questions)
    before = row_counts(engine)

    written = kill_midway("submit", "commit", user=partner, consultation=consultation)
    engine = restarted(database_url)

    assert written == ["committed"]
    after = row_counts(engine)
    changed = {
        table: after[table] - before[table] for table in after if after[table] != before[table]
    }
    assert changed == {"submission_snapshot": 1, "audit_event": 1}
    assert submission_state(engine, consultation) == ("submitted", True, [1], 3)
    assert submit_as(engine, partner, consultation) == 2
    engine.dispose()


def first_draft(engine: Engine) -> tuple[int, int]:
    """An officer and the first version of a draft assembled from one partner's answers."""
    officer, partner, consultation, questions = partner_world(engine)
    save_three_answers(engine, partner, consultation, questions)
    submit_as(engine, partner, consultation)
    with session_scope(engine) as session:
        me = as_person(session, officer)
        evidence = load_evidence(
            session,
            me,
            consultation,
            today=uk_today(),
            partnership="Northern Ireland Strategic Migration Partnership",
            region="Northern Ireland",
        )
        assemble_draft(session, me, evidence, consultation, now=utcnow())
    return officer, consultation


def test_draft_save_killed_midway_leaves_no_new_version_and_can_be_saved_again(
    engine, database_url, kill_midway
):
    officer, consultation = first_draft(engine)
    before = row_counts(engine)
    words = "The partnership asks for a longer transition period."

    written = kill_midway(
        "draft", "INSERT draft_version", user=officer, consultation=consultation, seen=1,
        section="summary", words=words,
    )  # fmt: skip
    engine = restarted(database_url)

    assert written[-1] == "INSERT draft_version"
    assert row_counts(engine) == before
    with session_scope(engine) as session:
        me = as_person(session, officer)
        first = draft_of(versions(session, me, consultation)[0])
        summary = first.section("summary")
        edited = replace(summary, blocks=[*summary.blocks, Block("paragraph", text=words)])
        save_section(session, me, consultation, edited, seen=1, now=utcnow())
    with read_scope(engine) as session:
        saved = versions(session, as_person(session, officer), consultation)
        second = draft_of(saved[0])
    assert [v.number for v in saved] == [2, 1]
    assert [s.key for s in second.sections] == [s.key for s in first.sections]
    assert second.section("summary").blocks[-1].text == words
    engine.dispose()


def filled_template(engine: Engine, consultation: int, folder: Path) -> Path:
    """The consultation's Excel template with a position and a comment on each question."""
    with read_scope(engine) as session:
        found = session.get(Consultation, consultation)
        data = build_template(found, found.questions, organisation_name="Belfast City Council")
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook[RESPONSE_SHEET]
    for row, comment in enumerate(COMMENTS, start=4):
        sheet[f"C{row}"], sheet[f"D{row}"] = "Disagree", comment
    path = folder / "response.xlsx"
    workbook.save(path)
    return path


def test_excel_import_killed_midway_leaves_nothing_and_imports_whole_again(
    engine, database_url, kill_midway, tmp_path
):
    _, partner, consultation, _ = partner_world(engine)
    path = filled_template(engine, consultation, tmp_path)
    before = row_counts(engine)

    written = kill_midway(
        "excel", "INSERT tag_suggestion", user=partner, consultation=consultation, file=str(path)
    )
    engine = restarted(database_url)

    assert {"INSERT submission", "INSERT answer", "INSERT tag_suggestion"} <= set(written)
    assert row_counts(engine) == before
    with session_scope(engine) as session:
        found = session.get(Consultation, consultation)
        answers = parse_response_workbook(
            path.read_bytes(), found, found.questions, filename="response.xlsx"
        )
        import_answers(
            session,
            as_person(session, partner),
            consultation,
            answers,
            source="response.xlsx",
            today=uk_today(),
            now=utcnow(),
        )
    with read_scope(engine) as session:
        assert session.scalar(select(func.count(Answer.id))) == 3
        assert session.scalar(select(func.count(TagSuggestion.id))) > 0
        assert (
            session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action == "answers.imported")
            )
            == 1
        )
    engine.dispose()


def test_question_import_killed_midway_adds_no_question_and_imports_whole_again(
    engine, database_url, kill_midway, tmp_path
):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        consultation = add_consultation(session, officer, questions=0).id
        officer = officer.id
    rows = [["No.", "Question", "Options"]] + [
        [str(n), f"Do you agree with proposal {n}?", "Yes|No"] for n in range(1, 6)
    ]
    path = tmp_path / "questions.csv"
    path.write_text("\n".join(",".join(row) for row in rows), encoding="utf-8")
    before = row_counts(engine)

    written = kill_midway(
        "questions", "INSERT question", user=officer, consultation=consultation, file=str(path)
    )
    engine = restarted(database_url)

    assert written == ["INSERT question"]
    assert row_counts(engine) == before
    found = parse_questions("questions.csv", path.read_bytes())
    with session_scope(engine) as session:
        save_questions(
            session,
            as_person(session, officer),
            consultation,
            [QuestionForm(q.number, q.text, q.kind, q.options) for q in found],
            now=utcnow(),
            source="questions.csv",
        )
    with read_scope(engine) as session:
        numbers = session.scalars(
            select(Question.number)
            .where(Question.consultation_id == consultation)
            .order_by(Question.position)
        ).all()
    assert numbers == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    engine.dispose()
