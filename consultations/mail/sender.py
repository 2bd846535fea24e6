"""The sender: deliver what is due, one message at a time, each claimed before it goes and marked
sent only after the server took it.

``send_due`` is what ``python -m evidence.mail send`` runs from cron or a systemd timer, and
what the app runs in a thread of its own just after an action that wrote a message is saved.
Several senders at once (replicas, a timer that fires while the app sends) are safe: a message
is claimed by one of them only.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine

from consultations.db import session_scope, utcnow
from consultations.mail.config import MailConfig
from consultations.mail.outbox import LEASE, claim_next, mark_not_sent, mark_sent
from consultations.mail.transport import MailError, SmtpTransport, Transport

log = logging.getLogger("workbench.mail")


@dataclass(frozen=True)
class SendReport:
    """What one run of the sender did."""

    sent: int = 0
    deferred: int = 0
    failed: int = 0
    # Why the run ended early (the server is down or refuses us), or "" when nothing was left.
    stopped: str = ""

    def __str__(self) -> str:
        said = f"Sent {self.sent}, put off {self.deferred}, failed {self.failed}."
        return f"{said} Stopped early: {self.stopped}" if self.stopped else said


def transport_for(config: MailConfig) -> Transport:
    """Return the transport the settings name."""
    if config.transport == "notify":
        from consultations.mail.notify import NotifyTransport

        return NotifyTransport(config)
    return SmtpTransport(config)


def send_due(
    engine: Engine,
    transport: Transport,
    *,
    max_attempts: int,
    clock: Callable[[], datetime] = utcnow,
    lease: timedelta = LEASE,
    limit: int | None = None,
    owner: str | None = None,
) -> SendReport:
    """Deliver every message that is due (at most ``limit``), then close the transport."""
    owner = owner or uuid.uuid4().hex
    sent = deferred = failed = 0
    stopped = ""
    try:
        while limit is None or sent + deferred + failed < limit:
            with session_scope(engine) as session:
                outgoing = claim_next(session, now=clock(), owner=owner, lease=lease)
            if outgoing is None:
                break
            try:
                transport.deliver(outgoing)
            except MailError as exc:
                with session_scope(engine) as session:
                    status = mark_not_sent(
                        session,
                        outgoing.id,
                        error=str(exc),
                        permanent=exc.permanent,
                        now=clock(),
                        max_attempts=max_attempts,
                    )
                failed += status == "failed"
                deferred += status == "queued"
                log.warning("Message %s not sent: %s", outgoing.id, exc)
                if exc.stop:
                    stopped = str(exc)
                    break
                continue
            with session_scope(engine) as session:
                mark_sent(session, outgoing.id, now=clock())
            sent += 1
    finally:
        transport.close()
    return SendReport(sent=sent, deferred=deferred, failed=failed, stopped=stopped)


# --- sending from the app, just after an action ------------------------------------------------

_running = threading.Lock()
_again = threading.Event()


def send_soon(engine: Engine, config: MailConfig) -> threading.Thread | None:
    """Send what is due in a thread of this process, so that nobody waits for the mail server.

    One such thread at a time: a call while one runs asks it to look again when it finishes.
    Return the thread started, if one was.
    """
    if not (config.enabled and config.send_at_once):
        return None
    _again.set()
    if not _running.acquire(blocking=False):
        return None
    thread = threading.Thread(
        target=_send_while_asked, args=(engine, config), name="workbench-mail", daemon=True
    )
    thread.start()
    return thread


def _send_while_asked(engine: Engine, config: MailConfig) -> None:
    while True:
        try:
            while _again.is_set():
                _again.clear()
                report = send_due(engine, transport_for(config), max_attempts=config.max_attempts)
                if report.stopped:
                    # The server is not taking mail: the timer tries again later, not this loop.
                    _again.clear()
        except Exception:  # a thread of its own: logged; the timer sends what is left
            log.exception("Sending mail from the app failed; the sender command will try again.")
            _again.clear()
        finally:
            _running.release()
        # Asked again between the last look and the release: look once more, unless another
        # thread has taken over.
        if not _again.is_set() or not _running.acquire(blocking=False):
            return


def wait_until_idle(timeout: float = 30.0) -> bool:
    """Wait until no sending thread of this process runs (for tests and a clean shutdown);
    return whether it is idle."""
    if not _running.acquire(timeout=timeout):
        return False
    _running.release()
    return True
