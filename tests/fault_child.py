"""Run real actions of the workbench, as their pages do, each in a process of its own that
freezes in the middle of the action so that it can be killed there.

``python tests/fault_child.py`` reads one request a line on its input (JSON: action, url,
marker, stop, log, arguments). For each it forks a child, which runs the action and freezes;
it writes the child's process id, and, once the child has ended, its wait status. Starting one
server per test module and forking from it spares every child the seconds of importing the app.

tests/test_faults.py kills the child with SIGKILL, as a crash, a reboot or the out-of-memory
killer would. The action's code is not changed: a SQLAlchemy listener watches the statements it
sends and, right after the first write named by ``stop`` (say "INSERT submission_snapshot"),
lists the writes so far in ``marker`` and sleeps inside the open transaction. ``stop``
"commit" sleeps once the action has been committed instead.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, event  # noqa: E402

from consultations.consultation import get_consultation  # noqa: E402
from consultations.dates import uk_today  # noqa: E402
from consultations.db import make_engine, read_scope, session_scope, utcnow  # noqa: E402
from consultations.models import User  # noqa: E402
from consultations.question_import import parse_questions  # noqa: E402
from consultations.questions import QuestionForm, save_questions  # noqa: E402
from evidence.excel_route import parse_response_workbook  # noqa: E402
from evidence.submissions import import_answers, submit  # noqa: E402
from exports.draft_model import Block  # noqa: E402
from exports.drafts import draft_of, save_section  # noqa: E402
from exports.models import version_by_number  # noqa: E402

WRITES = ("INSERT", "UPDATE", "DELETE")


def table_written(statement: str) -> str | None:
    """The table a writing statement writes to ("INSERT INTO answer ..." -> "answer")."""
    words = statement.split(None, 3)
    if not words or words[0].upper() not in WRITES:
        return None
    target = words[1] if words[0].upper() == "UPDATE" else words[2]
    return target.strip('"')


def freeze_after_writing(engine: Engine, stop: str, marker: Path) -> None:
    """Sleep inside the transaction right after the first write named by ``stop`` ("INSERT
    answer"); the marker lists every write so far, one a line ("UPDATE submission")."""
    written: list[str] = []

    def after_cursor_execute(connection, cursor, statement, parameters, context, executemany):
        target = table_written(statement)
        if target is None:
            return
        written.append(f"{statement.split()[0].upper()} {target}")
        if written[-1] == stop:
            marker.write_text("\n".join(written))
            time.sleep(600)

    event.listen(engine, "after_cursor_execute", after_cursor_execute)


def act(engine: Engine, user_id: int, fn: Callable) -> object:
    """One button press: one transaction as the person (consultations.pages.actions.act)."""
    with session_scope(engine) as session:
        return fn(session, session.get(User, user_id))


def submit_answers(engine: Engine, args: dict) -> None:
    """Press "Submit our response" (evidence/pages/answer.py)."""
    act(
        engine,
        args["user"],
        lambda s, me: submit(
            s, me, args["consultation"], consent="named", today=uk_today(), now=utcnow()
        ),
    )


def save_draft_section(engine: Engine, args: dict) -> None:
    """Add a paragraph to a section, press "Save as a new version" (exports/pages/draft.py)."""
    with read_scope(engine) as session:
        shown = version_by_number(session, args["consultation"], args["seen"])
        section = draft_of(shown).section(args["section"])
    edited = replace(section, blocks=[*section.blocks, Block("paragraph", text=args["words"])])
    act(
        engine,
        args["user"],
        lambda s, me: save_section(
            s, me, args["consultation"], edited, seen=args["seen"], now=utcnow()
        ),
    )


def import_excel_answers(engine: Engine, args: dict) -> None:
    """Upload a filled template and press "Import" (evidence/pages/intake.py)."""
    data = Path(args["file"]).read_bytes()
    with read_scope(engine) as session:
        consultation = get_consultation(session, args["consultation"])
        answers = parse_response_workbook(
            data, consultation, consultation.questions, filename="response.xlsx"
        )
    act(
        engine,
        args["user"],
        lambda s, me: import_answers(
            s,
            me,
            args["consultation"],
            answers,
            source="response.xlsx",
            today=uk_today(),
            now=utcnow(),
        ),
    )


def import_question_file(engine: Engine, args: dict) -> None:
    """Upload a question file and press "Add these questions" (consultations/pages/questions.py)."""
    found = parse_questions("questions.csv", Path(args["file"]).read_bytes())
    forms = [QuestionForm(q.number, q.text, q.kind, q.options) for q in found]
    act(
        engine,
        args["user"],
        lambda s, me: save_questions(
            s, me, args["consultation"], forms, now=utcnow(), source="questions.csv"
        ),
    )


ACTIONS = {
    "submit": submit_answers,
    "draft": save_draft_section,
    "excel": import_excel_answers,
    "questions": import_question_file,
}


def run(action: str, url: str, marker: str, stop: str, arguments: dict) -> None:
    """Run the action, freezing at the stop; the test kills this process there."""
    engine = make_engine(url)
    if stop != "commit":
        freeze_after_writing(engine, stop, Path(marker))
    ACTIONS[action](engine, arguments)
    if stop == "commit":
        Path(marker).write_text("committed")
        time.sleep(600)
    raise SystemExit(f"The action finished without '{stop}'.")


def in_child(request: dict) -> None:
    """The forked child: output to the request's log, run the action, never return."""
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    try:
        run(
            request["action"],
            request["url"],
            request["marker"],
            request["stop"],
            request["arguments"],
        )
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
    os._exit(1)


def serve() -> None:
    """Fork a child per request line; report its process id, then its wait status."""
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            in_child(request)
        print(pid, flush=True)
        _, status = os.waitpid(pid, 0)
        print(status, flush=True)


if __name__ == "__main__":
    serve()
