"""Email: how long asking for a password reset takes for an address with an account and for one
without (they must not be told apart), and how fast the sender delivers a full outbox to a real
SMTP server on localhost (aiosmtpd), each message once.

Run from the repository root: ``.venv/bin/python bench/mail.py [--asks 300] [--messages 500]``.
On a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.budget import report  # noqa: E402
from consultations.db import make_engine, session_scope, utcnow  # noqa: E402
from consultations.mail.config import MailConfig, Postbox  # noqa: E402
from consultations.mail.letters import Recipient, trial_letter  # noqa: E402
from consultations.mail.outbox import post  # noqa: E402
from consultations.mail.sender import send_due, transport_for  # noqa: E402
from consultations.migrate import upgrade  # noqa: E402
from consultations.models import User  # noqa: E402
from consultations.password_reset import ask_for_password_reset  # noqa: E402

POSTBOX = Postbox("Bench Partnership", "https://workbench.example.org", "example.org")
# The two answers may differ by less than this (or this share of the answer), median to median.
TIMING_BUDGET_MS = 2.0
TIMING_BUDGET_SHARE = 0.10


def ask_times(engine, asks: int) -> tuple[list[float], list[float]]:
    """Time asking for a reset, alternating an address with an account and one without."""
    known: list[float] = []
    unknown: list[float] = []
    now = utcnow()
    for n in range(asks):
        for address, times in (
            (f"person{n}@example.org", known),
            (f"nobody{n}@example.org", unknown),
        ):
            started = time.perf_counter()
            with session_scope(engine) as session:
                ask_for_password_reset(
                    session, POSTBOX, address, now=now, valid_for=timedelta(hours=1)
                )
            times.append((time.perf_counter() - started) * 1000)
    return known, unknown


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def delivery(engine, messages: int) -> tuple[float, int, int]:
    """Queue ``messages`` and send them all to aiosmtpd; return seconds, received, distinct."""
    from aiosmtpd.controller import Controller

    class Count:
        def __init__(self) -> None:
            self.seen: list[str] = []

        async def handle_DATA(self, server, session, envelope):
            self.seen.append(envelope.rcpt_tos[0])
            return "250 OK"

    handler = Count()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        now = utcnow()
        with session_scope(engine) as session:
            for n in range(messages):
                post(
                    session,
                    POSTBOX,
                    trial_letter(Recipient(f"m{n}@example.org"), partnership="Bench", sent_at=now),
                    now=now,
                )
        config = MailConfig(
            transport="smtp",
            partnership="Bench",
            base_url="https://workbench.example.org",
            mail_from="bench@example.org",
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_security="none",
        )
        started = time.perf_counter()
        send_due(engine, transport_for(config), max_attempts=3)
        seconds = time.perf_counter() - started
        time.sleep(0.5)
        return seconds, len(handler.seen), len(set(handler.seen))
    finally:
        controller.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--asks", type=int, default=300, help="resets asked for, of each kind")
    parser.add_argument("--messages", type=int, default=500, help="messages to deliver")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        upgrade(engine)
        with session_scope(engine) as session:
            for n in range(options.asks):
                session.add(
                    User(email=f"person{n}@example.org", name=f"Person {n}", role="partner")
                )
        known, unknown = ask_times(engine, options.asks)
        k, u = statistics.median(known), statistics.median(unknown)
        print(
            f"Asking for a password reset, {options.asks} of each: with an account median "
            f"{k:.2f} ms (90th percentile {statistics.quantiles(known, n=10)[-1]:.2f} ms), "
            f"without one {u:.2f} ms ({statistics.quantiles(unknown, n=10)[-1]:.2f} ms)."
        )
        gap = abs(k - u)
        allowed = max(TIMING_BUDGET_MS, TIMING_BUDGET_SHARE * max(k, u))
        report(
            "password reset: known vs unknown address",
            f"{gap:.2f} ms apart (medians {k:.1f} and {u:.1f} ms)",
            f"under {allowed:.1f} ms",
            within=gap < allowed,
        )
        engine.dispose()
        engine = make_engine(f"sqlite:///{folder}/delivery.db")
        upgrade(engine)
        seconds, received, distinct = delivery(engine, options.messages)
        print(
            f"Delivered {received} of {options.messages} messages in {seconds:.1f} s "
            f"({options.messages / seconds:.0f} a second), {distinct} distinct recipients."
        )
        report(
            "mail sender: each message once",
            f"{received} received, {distinct} distinct, of {options.messages}",
            "all, once each",
            within=received == distinct == options.messages,
        )
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
