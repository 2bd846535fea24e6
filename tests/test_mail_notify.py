"""GOV.UK Notify as the transport, through the real client library, against a stand-in for
Notify's API on localhost that checks the signed token as Notify does and answers as Notify
answers: 201 sends, 400 refuses for good, 429 and 500 put off, 403 stops the run."""

from __future__ import annotations

import json
import threading
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import jwt
import pytest

from consultations.db import session_scope, utcnow
from consultations.mail.config import mail_config, postbox_for
from consultations.mail.letters import Recipient, trial_letter
from consultations.mail.sender import send_due, transport_for
from consultations.settings import load_settings
from tests.test_mail_sender import NOW0, outbox

SERVICE = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"workbench_test-{SERVICE}-{SECRET}"
TEMPLATE = str(uuid.uuid4())


class NotifyStandIn(BaseHTTPRequestHandler):
    """Answers POST /v2/notifications/email as Notify does, checking the bearer token."""

    received: ClassVar[list[dict]] = []
    answers: ClassVar[deque[tuple[int, dict]]] = deque()

    def do_POST(self):
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_iat": True})
            assert claims["iss"] == SERVICE
        except (jwt.PyJWTError, AssertionError):
            return self._answer(
                403, {"errors": [{"error": "AuthError", "message": "Invalid token"}]}
            )
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path != "/v2/notifications/email":
            return self._answer(404, {"errors": [{"message": "Not found"}]})
        if self.answers:
            return self._answer(*self.answers.popleft())
        self.received.append(body)
        return self._answer(201, {"id": str(uuid.uuid4()), "reference": body.get("reference")})

    def _answer(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        """Quiet."""


@pytest.fixture
def notify(tmp_path):
    NotifyStandIn.received = []
    NotifyStandIn.answers = deque()
    server = ThreadingHTTPServer(("127.0.0.1", 0), NotifyStandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings = load_settings(
        {
            "WORKBENCH_DATA_DIR": str(tmp_path),
            "WORKBENCH_SECRET_KEY": "x",
            "WORKBENCH_MAIL_TRANSPORT": "notify",
            "WORKBENCH_NOTIFY_API_KEY": API_KEY,
            "WORKBENCH_NOTIFY_TEMPLATE_ID": TEMPLATE,
            "WORKBENCH_NOTIFY_BASE_URL": f"http://127.0.0.1:{server.server_port}",
        },
        secrets_path=tmp_path / "absent.toml",
    )
    yield mail_config(settings)
    server.shutdown()
    server.server_close()


def queue(engine, config, count: int = 1) -> None:
    with session_scope(engine) as session:
        for n in range(count):
            from consultations.mail.outbox import post

            post(
                session,
                postbox_for(config),
                trial_letter(Recipient(f"p{n}@example.org"), partnership="NISMP", sent_at=NOW0),
                now=utcnow(),
            )


def test_notify_sends_the_subject_and_the_plain_text_through_the_template(engine, notify):
    queue(engine, notify)
    report = send_due(engine, transport_for(notify), max_attempts=3)
    assert report.sent == 1
    [sent] = NotifyStandIn.received
    assert sent["email_address"] == "p0@example.org"
    assert sent["template_id"] == TEMPLATE
    assert sent["personalisation"]["subject"] == ("Test message from the NISMP workbench")
    assert "This message shows that the workbench can send email" in sent["personalisation"]["body"]
    [message] = outbox(engine)
    assert message.status == "sent" and sent["reference"] == message.message_id.strip("<>")


def test_notify_refusing_an_address_fails_the_message_and_the_next_still_goes(engine, notify):
    NotifyStandIn.answers.append(
        (
            400,
            {
                "errors": [
                    {
                        "error": "ValidationError",
                        "message": "email_address Not a valid email address",
                    }
                ]
            },
        )
    )
    queue(engine, notify, 2)
    report = send_due(engine, transport_for(notify), max_attempts=3)
    assert (report.sent, report.failed) == (1, 1)
    failed = outbox(engine)[0]
    assert failed.status == "failed"
    assert "400: email_address Not a valid email address" in failed.last_error


@pytest.mark.parametrize("status", [429, 500])
def test_notify_busy_or_down_puts_the_message_off_and_ends_the_run(engine, notify, status):
    NotifyStandIn.answers.append((status, {"errors": [{"message": "Try later"}]}))
    queue(engine, notify, 2)
    report = send_due(engine, transport_for(notify), max_attempts=3)
    assert (report.sent, report.deferred) == (0, 1)
    assert "tried again later" in report.stopped
    assert [m.status for m in outbox(engine)] == ["queued", "queued"]


def test_a_wrong_notify_key_stops_the_run_and_says_which_setting(engine, notify, tmp_path):
    from dataclasses import replace

    wrong = replace(notify, notify_api_key=f"workbench_test-{SERVICE}-{uuid.uuid4()}")
    queue(engine, wrong)
    report = send_due(engine, transport_for(wrong), max_attempts=3)
    assert "Check WORKBENCH_NOTIFY_API_KEY" in report.stopped
    assert NotifyStandIn.received == []


def test_a_receipt_through_notify_links_to_the_copy_instead_of_attaching_it(notify):
    assert postbox_for(notify).attaches_files is False
