"""The mail command, for cron or a systemd timer (see the README's "Email" section).

    python -m evidence.mail send [--limit N]   queue the reminders now due, then send
                                               everything due; exit 1 if the mail server
                                               could not be used (the rest waits)
    python -m evidence.mail status             how many messages wait, failed, were sent
    python -m evidence.mail test ADDRESS       send a test message to ADDRESS now

It lives in ``evidence``, the stage that has all it needs: the outbox and the sender are
``consultations.mail``'s, and the scheduled reminders, which must know who has submitted, are
``evidence.reminders``'. (Imports run one way; no exception to the import contract.)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from consultations.db import make_engine, read_scope, session_scope, utcnow
from consultations.errors import WorkbenchError
from consultations.mail.config import mail_config, postbox_for
from consultations.mail.letters import Recipient, trial_letter
from consultations.mail.outbox import STATUS_LABELS, due_now, post
from consultations.mail.sender import send_due, transport_for
from consultations.migrate import upgrade
from consultations.models import OutboxMessage
from consultations.settings import load_settings
from evidence.reminders import queue_due_reminders


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return its exit status."""
    parser = argparse.ArgumentParser(prog="python -m evidence.mail", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    send = commands.add_parser("send", help="queue due reminders, then send what is due")
    send.add_argument("--limit", type=int, default=None, help="send at most this many")
    commands.add_parser("status", help="count the messages in each state")
    test = commands.add_parser("test", help="send a test message to an address")
    test.add_argument("address")
    arguments = parser.parse_args(argv)
    try:
        return _run(arguments)
    except WorkbenchError as exc:
        print(str(exc), file=sys.stderr)
        return 2


def _run(arguments: argparse.Namespace) -> int:
    settings = load_settings()
    config = mail_config(settings)
    engine = make_engine(settings.database_url)
    try:
        if settings.migrate_on_start:
            upgrade(engine)
        if arguments.command == "status":
            return _status(engine)
        if not config.enabled:
            print(
                "Email is off (no WORKBENCH_SMTP_HOST, or WORKBENCH_MAIL_TRANSPORT=none): "
                "nothing is sent, and the app shows login links on screen."
            )
            return 0
        postbox = postbox_for(config)
        if arguments.command == "test":
            with session_scope(engine) as session:
                post(
                    session,
                    postbox,
                    trial_letter(
                        Recipient(arguments.address),
                        partnership=config.partnership,
                        sent_at=utcnow(),
                    ),
                    now=utcnow(),
                )
        else:
            with session_scope(engine) as session:
                rounds = queue_due_reminders(
                    session, postbox, now=utcnow(), hour=settings.reminder_hour
                )
            for line in rounds:
                print(line)
        report = send_due(
            engine,
            transport_for(config),
            max_attempts=config.max_attempts,
            limit=getattr(arguments, "limit", None),
        )
        print(report)
        return 1 if report.stopped else 0
    finally:
        engine.dispose()


def _status(engine) -> int:
    from sqlalchemy import func, select

    with read_scope(engine) as session:
        counts = dict(
            session.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            ).all()
        )
        due = due_now(session, now=utcnow())
    for status, label in STATUS_LABELS.items():
        print(f"{label}: {counts.get(status, 0)}")
    print(f"Due now: {due}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
