"""A real SMTP server on localhost for the tests (aiosmtpd), that keeps what it receives and can
be told to refuse (a 451 or a 550 on RCPT or DATA), to hold a message back, or to go down."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    raw: bytes

    @property
    def subject(self) -> str:
        # Python folds a long subject onto the next line and reads it back with its space.
        return str(self.message["Subject"]).strip()

    @property
    def to(self) -> str:
        return self.rcpt_tos[0]

    def part(self, media_type: str) -> str:
        """The text of the message's text/plain or text/html part."""
        for part in self.message.walk():
            if part.get_content_type() == media_type and not part.get_filename():
                return part.get_content()
        raise AssertionError(f"The message has no {media_type} part.")

    def words(self) -> str:
        """The plain-text part with its lines joined, as a person reads it."""
        return " ".join(self.part("text/plain").split())

    def attachments(self) -> list[tuple[str, str, bytes]]:
        return [
            (part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
            for part in self.message.iter_attachments()
        ]


class Catcher:
    """The server's handler: accepts mail unless told to refuse it."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refusals: deque[tuple[str, str]] = deque()
        self.changed = threading.Condition()
        self.hold = threading.Event()
        self.hold.set()

    def refuse(self, stage: str, reply: str, times: int = 1) -> None:
        """Answer the next ``times`` RCPT or DATA commands with ``reply`` (e.g. '451 ...')."""
        self.refusals.extend([(stage, reply)] * times)

    def _refusal(self, stage: str) -> str | None:
        if self.refusals and self.refusals[0][0] == stage:
            return self.refusals.popleft()[1]
        return None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self._refusal("RCPT")
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        reply = self._refusal("DATA")
        if reply:
            return reply
        while not self.hold.is_set():  # held back by the test: the client waits for our reply
            import asyncio

            await asyncio.sleep(0.01)
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.changed:
            self.received.append(
                Received(envelope.mail_from, tuple(envelope.rcpt_tos), message, envelope.content)
            )
            self.changed.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        """Wait until at least ``count`` messages have arrived; return all of them."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"Expected {count} messages, {len(self.received)} arrived: "
                        f"{[r.subject for r in self.received]}"
                    )
                self.changed.wait(left)
            return list(self.received)

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]


class SmtpServer:
    """An aiosmtpd server on a localhost port, that can be stopped and started again."""

    def __init__(self, port: int, **options: object) -> None:
        self.host = "127.0.0.1"
        self.port = port
        self.catcher = Catcher()
        self._options = options
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(
            self.catcher, hostname=self.host, port=self.port, **self._options
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def received(self) -> list[Received]:
        return self.catcher.received

    def settings(self, **more: str) -> dict[str, str]:
        """The workbench's settings for sending through this server."""
        return {
            "WORKBENCH_SMTP_HOST": self.host,
            "WORKBENCH_SMTP_PORT": str(self.port),
            "WORKBENCH_SMTP_SECURITY": "none",
            "WORKBENCH_MAIL_FROM": "NI Strategic Migration Partnership <workbench@nismp.test>",
            "WORKBENCH_MAIL_REPLY_TO": "policy@nismp.test",
            "WORKBENCH_SMTP_TIMEOUT": "5",
        } | more
