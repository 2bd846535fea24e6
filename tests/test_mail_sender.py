"""The outbox and the sender, against a real SMTP server on localhost (aiosmtpd): each message
arrives once with its recipient, subject and link; a server that refuses, or is down, delays a
message and loses none; two senders at once send each message once; a sender killed mid-batch
sends at most one message twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from consultations.db import read_scope, session_scope, utcnow
from consultations.errors import WorkbenchError
from consultations.mail.config import MailConfig, Postbox, mail_config, postbox_for
from consultations.mail.letters import Recipient, invite_letter, trial_letter
from consultations.mail.outbox import LEASE, LINK_REMOVED, backoff, post, resend
from consultations.mail.sender import send_due, send_soon, transport_for
from consultations.models import AuditEvent, OutboxMessage
from consultations.settings import load_settings
from tests.conftest import ROOT, add_person, operator_environ, run_at_once


def config_for(server, tmp_path: Path, **more: str) -> MailConfig:
    """The mail settings for sending through the test server, read as the app reads them."""
    environ = server.settings(**more) | {
        "WORKBENCH_DATA_DIR": str(tmp_path / "data"),
        "WORKBENCH_SECRET_KEY": "test",
        "WORKBENCH_BASE_URL": "https://workbench.nismp.test",
    }
    return mail_config(load_settings(environ, secrets_path=tmp_path / "absent.toml"))


@pytest.fixture
def config(smtp_server, tmp_path) -> MailConfig:
    return config_for(smtp_server, tmp_path)


@pytest.fixture
def postbox(config) -> Postbox:
    box = postbox_for(config)
    assert box is not None
    return box


def queue_trials(engine: Engine, postbox: Postbox, count: int, *, now: datetime | None = None):
    """Queue ``count`` test messages to person-N@example.org; return their addresses."""
    addresses = [f"person-{n}@example.org" for n in range(count)]
    with session_scope(engine) as session:
        for address in addresses:
            post(
                session,
                postbox,
                trial_letter(Recipient(address, address), partnership="NISMP", sent_at=NOW0),
                now=now or utcnow(),
            )
    return addresses


NOW0 = datetime(2026, 12, 8, 10, 0)


def send(engine: Engine, config: MailConfig, *, at: datetime | None = None, **options):
    return send_due(
        engine,
        transport_for(config),
        max_attempts=config.max_attempts,
        clock=(lambda: at) if at else utcnow,
        **options,
    )


def outbox(engine: Engine) -> list[OutboxMessage]:
    with read_scope(engine) as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_an_invite_arrives_once_with_its_recipient_subject_and_link(
    engine, smtp_server, config, postbox
):
    link = "https://workbench.nismp.test/accept_invite?token=abc123secret"
    with session_scope(engine) as session:
        person = add_person(session, "partner", email="aoife@belfastcity.gov.uk")
        post(
            session,
            postbox,
            invite_letter(
                Recipient(person.email, "Aoife Byrne", person.id),
                partnership="NI Strategic Migration Partnership",
                role="partner",
                organisation="Belfast City Council",
                link=link,
                expires_at=NOW0 + timedelta(days=7),
            ),
            now=utcnow(),
        )
    report = send(engine, config)
    assert (report.sent, report.deferred, report.failed, report.stopped) == (1, 0, 0, "")
    [received] = smtp_server.catcher.wait_for(1)
    assert received.rcpt_tos == ("aoife@belfastcity.gov.uk",)
    assert received.subject == (
        "Your invitation to the NI Strategic Migration Partnership consultation workbench"
    )
    assert link in received.part("text/plain")
    assert f'href="{link}"' in received.part("text/html")
    assert received.message["From"] == ("NI Strategic Migration Partnership <workbench@nismp.test>")
    assert received.message["Reply-To"] == "policy@nismp.test"
    assert received.message["Auto-Submitted"] == "auto-generated"
    assert received.mail_from == "workbench@nismp.test"
    # Nothing more goes on the next run.
    assert send(engine, config).sent == 0
    time.sleep(0.2)
    assert len(smtp_server.received) == 1


def test_a_sent_message_is_kept_without_its_login_link_and_on_the_audit_trail(
    engine, smtp_server, config, postbox
):
    token = "S3cr3t-token_value"
    with session_scope(engine) as session:
        post(
            session,
            postbox,
            invite_letter(
                Recipient("new@example.org", "New Person"),
                partnership="NISMP",
                role="board",
                organisation="",
                link=f"https://workbench.nismp.test/accept_invite?token={token}",
                expires_at=NOW0,
            ),
            now=utcnow(),
        )
    send(engine, config)
    [message] = outbox(engine)
    assert message.status == "sent" and message.sent_at is not None
    assert token not in message.text_body + message.html_body
    assert f"token={LINK_REMOVED}" in message.text_body
    assert token in smtp_server.catcher.wait_for(1)[0].part("text/plain")
    with read_scope(engine) as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.object_type == "outbox_message")
        ).all()
    assert actions == ["mail.queued", "mail.sent"]


def test_without_email_settings_nothing_is_written_to_the_outbox(engine, tmp_path):
    settings = load_settings(
        {"WORKBENCH_DATA_DIR": str(tmp_path), "WORKBENCH_SECRET_KEY": "x"},
        secrets_path=tmp_path / "absent.toml",
    )
    config = mail_config(settings)
    assert not config.enabled and postbox_for(config) is None
    with session_scope(engine) as session:
        written = post(
            session,
            postbox_for(config),
            trial_letter(Recipient("a@example.org"), partnership="NISMP", sent_at=NOW0),
            now=NOW0,
        )
    assert written is None
    assert outbox(engine) == []


@pytest.mark.parametrize("stage", ["RCPT", "DATA"])
def test_a_server_that_answers_451_then_accepts_delivers_the_message_once(
    engine, smtp_server, config, postbox, stage
):
    smtp_server.catcher.refuse(stage, "451 4.3.0 Mailbox temporarily unavailable, try later")
    queue_trials(engine, postbox, 1)
    first = send(engine, config)
    assert (first.sent, first.deferred) == (0, 1)
    [waiting] = outbox(engine)
    assert waiting.status == "queued" and waiting.attempts == 1
    assert "451" in waiting.last_error and "tried again later" in waiting.last_error
    assert waiting.next_attempt_at > utcnow()
    # Not due yet: a run now sends nothing.
    assert send(engine, config).sent == 0
    later = send(engine, config, at=waiting.next_attempt_at + timedelta(seconds=1))
    assert later.sent == 1
    [delivered] = smtp_server.catcher.wait_for(1)
    assert delivered.rcpt_tos == ("person-0@example.org",)
    [message] = outbox(engine)
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, "")
    time.sleep(0.2)
    assert len(smtp_server.received) == 1


def test_a_550_refusal_fails_the_message_at_once_and_an_officer_can_send_it_again(
    engine, smtp_server, config, postbox
):
    smtp_server.catcher.refuse("RCPT", "550 5.1.1 No such user here")
    queue_trials(engine, postbox, 2)
    report = send(engine, config)
    # The refusal is for this address only: the next message still goes in the same run.
    assert (report.sent, report.failed, report.stopped) == (1, 1, "")
    failed = outbox(engine)[0]
    assert failed.status == "failed"
    assert "550 5.1.1 No such user here" in failed.last_error
    assert "will not be tried again" in failed.last_error
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        resend(session, officer, failed.id, now=utcnow())
    assert send(engine, config).sent == 1
    arrived = smtp_server.catcher.wait_for(2)
    assert sorted(r.to for r in arrived) == ["person-0@example.org", "person-1@example.org"]
    with read_scope(engine) as session:
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_id == failed.id, AuditEvent.object_type == "outbox_message")
            .order_by(AuditEvent.id)
        ).all()
    assert actions == ["mail.queued", "mail.failed", "mail.resend", "mail.sent"]


def test_only_a_failed_message_can_be_sent_again(engine, postbox):
    queue_trials(engine, postbox, 1)
    [message] = outbox(engine)
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
    with (
        pytest.raises(WorkbenchError, match="Only a failed message can be sent again"),
        session_scope(engine) as session,
    ):
        resend(session, session.get(type(officer), officer.id), message.id, now=utcnow())


def test_a_partner_cannot_send_a_message_again(engine, postbox):
    queue_trials(engine, postbox, 1)
    [message] = outbox(engine)
    with (
        pytest.raises(WorkbenchError, match="Only policy officers can do this"),
        session_scope(engine) as session,
    ):
        partner = add_person(session, "partner")
        resend(session, partner, message.id, now=utcnow())


def test_a_server_that_is_down_delays_the_messages_and_loses_none(
    engine, smtp_server, config, postbox
):
    queue_trials(engine, postbox, 5)
    smtp_server.stop()
    report = send(engine, config)
    # The run stops at the first message: the others are not tried, and not counted.
    assert (report.sent, report.deferred) == (0, 1)
    assert "could not be reached" in report.stopped
    messages = outbox(engine)
    assert [m.attempts for m in messages] == [1, 0, 0, 0, 0]
    assert {m.status for m in messages} == {"queued"}
    assert messages[0].next_attempt_at - utcnow() > timedelta(seconds=50)
    # Still down a minute later: the run tries the message that has waited longest, once.
    send(engine, config, at=messages[0].next_attempt_at + timedelta(seconds=1))
    assert [m.attempts for m in outbox(engine)] == [1, 1, 0, 0, 0]
    smtp_server.start()
    report = send(engine, config, at=utcnow() + timedelta(hours=1))
    assert report.sent == 5
    arrived = smtp_server.catcher.wait_for(5)
    assert sorted(r.to for r in arrived) == [f"person-{n}@example.org" for n in range(5)]
    assert {m.status for m in outbox(engine)} == {"sent"}


def test_each_attempt_waits_twice_as_long_as_the_one_before_up_to_an_hour():
    assert [backoff(n) for n in range(1, 9)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60)
    ]


def test_a_message_is_marked_failed_after_its_last_attempt(engine, smtp_server, tmp_path):
    config = config_for(smtp_server, tmp_path, WORKBENCH_MAIL_MAX_ATTEMPTS="3")
    smtp_server.catcher.refuse("RCPT", "451 4.7.1 Greylisted, try again", times=3)
    queue_trials(engine, postbox_for(config), 1)
    at = utcnow()
    for _ in range(3):
        send(engine, config, at=at)
        at += timedelta(hours=2)
    [message] = outbox(engine)
    assert (message.status, message.attempts) == ("failed", 3)
    assert "Greylisted" in message.last_error
    assert smtp_server.received == []


def test_two_senders_at_once_send_each_message_once(engine, smtp_server, config, postbox):
    addresses = queue_trials(engine, postbox, 24)
    reports, failures = run_at_once([lambda: send(engine, config) for _ in range(3)])
    assert failures == []
    assert sum(r.sent for r in reports) == 24
    smtp_server.catcher.wait_for(24)
    time.sleep(0.3)
    assert sorted(r.to for r in smtp_server.received) == sorted(addresses)


def sender_process(database_url: str, server, tmp_path: Path) -> subprocess.Popen[str]:
    """Start ``python -m evidence.mail send`` as an operator's timer would."""
    environ = operator_environ(
        DATABASE_URL=database_url,
        WORKBENCH_DATA_DIR=str(tmp_path / "sender-data"),
        WORKBENCH_SECRET_KEY="test",
        **server.settings(),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "evidence.mail", "send"],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("accepted_before_kill", [0, 3])
def test_a_sender_killed_mid_batch_sends_at_most_one_message_twice_and_loses_none(
    engine, database_url, smtp_server, config, postbox, tmp_path, accepted_before_kill
):
    addresses = queue_trials(engine, postbox, 8)
    catcher = smtp_server.catcher
    # The server takes ``accepted_before_kill`` messages, then keeps the next one waiting for
    # its reply: the sender is killed with the message in flight.
    catcher.hold.clear() if accepted_before_kill == 0 else None
    child = sender_process(database_url, smtp_server, tmp_path)
    try:
        if accepted_before_kill:
            catcher.wait_for(accepted_before_kill, timeout=60)
            catcher.hold.clear()
        deadline = time.monotonic() + 60
        while not _in_flight(engine) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # the next message's DATA is with the held server
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()
    # The server now takes the message it held: the sender never heard, as when a sender dies
    # between the server's "250" and marking the row sent. The worst case: it goes again.
    catcher.hold.set()
    report = send(engine, config, at=utcnow() + LEASE + timedelta(seconds=1))
    assert report.stopped == ""
    time.sleep(0.5)
    arrived = sorted(r.to for r in smtp_server.received)
    assert set(arrived) == set(addresses), "a message was lost"
    assert len(arrived) - len(addresses) <= 1, f"more than one message went twice: {arrived}"
    assert {m.status for m in outbox(engine)} == {"sent"}


def _in_flight(engine: Engine) -> bool:
    with read_scope(engine) as session:
        return bool(
            session.scalar(select(OutboxMessage.id).where(OutboxMessage.status == "sending"))
        )


def test_a_message_meant_to_go_once_is_written_once(engine, postbox):
    letter = trial_letter(Recipient("a@example.org"), partnership="NISMP", sent_at=NOW0)
    with session_scope(engine) as session:
        first = post(session, postbox, letter, now=NOW0, dedupe_key="reminder:1:7:1")
        second = post(session, postbox, letter, now=NOW0, dedupe_key="reminder:1:7:1")
    assert first is not None and second is None
    assert len(outbox(engine)) == 1


def test_the_app_sends_at_once_in_a_thread_of_its_own(engine, smtp_server, config, postbox):
    queue_trials(engine, postbox, 2)
    thread = send_soon(engine, config)
    assert thread is not None
    thread.join(timeout=30)
    assert sorted(r.to for r in smtp_server.catcher.wait_for(2)) == [
        "person-0@example.org",
        "person-1@example.org",
    ]


def test_the_send_command_says_what_it_sent_and_exits_0(
    database_url, engine, smtp_server, postbox, tmp_path
):
    queue_trials(engine, postbox, 2)
    child = sender_process(database_url, smtp_server, tmp_path)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert "Sent 2, put off 0, failed 0." in out
    assert len(smtp_server.catcher.wait_for(2)) == 2


def test_the_send_command_exits_1_while_the_server_is_down(
    database_url, engine, smtp_server, postbox, tmp_path
):
    queue_trials(engine, postbox, 1)
    smtp_server.stop()
    child = sender_process(database_url, smtp_server, tmp_path)
    out, _err = child.communicate(timeout=120)
    assert child.returncode == 1
    assert "could not be reached" in out
