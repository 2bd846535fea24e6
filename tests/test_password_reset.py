"""Self-service password reset: an email with a single-use link; the same answer, and the same
database work, whether or not the address has an account; nothing changes until the link is
used; the login page offers it only when email is set up."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from consultations.accounts import LoginPolicy, attempt_login, start_login_session
from consultations.db import read_scope, session_scope, utcnow
from consultations.errors import InviteInvalid, WorkbenchError
from consultations.mail.letters import Kind
from consultations.mail.sender import send_due, transport_for
from consultations.models import AuditEvent, LoginSession, OutboxMessage, PasswordReset, User
from consultations.password_reset import (
    ASKED_ANSWER,
    MAX_PER_HOUR,
    ask_for_password_reset,
    open_password_reset,
    reset_password,
)
from tests.conftest import NOW, PASSWORD, add_person, later
from tests.test_mail_messages import POSTBOX
from tests.test_mail_sender import config_for

HOUR = timedelta(minutes=60)
NEW_PASSWORD = "a much better password 2026"


def ask(engine, email: str, *, now=NOW, postbox=POSTBOX) -> str:
    with session_scope(engine) as session:
        return ask_for_password_reset(session, postbox, email, now=now, valid_for=HOUR)


def token_in(message: OutboxMessage) -> str:
    return re.search(r"reset_password\?token=([A-Za-z0-9_\-]+)", message.text_body).group(1)


def outbox(engine) -> list[OutboxMessage]:
    with read_scope(engine) as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.fixture
def aoife(engine) -> User:
    with session_scope(engine) as session:
        person = add_person(session, "partner", email="aoife@belfastcity.gov.uk")
        person.name = "Aoife Byrne"
        return person


def test_asking_emails_the_person_a_link_that_works_once(engine, aoife, smtp_server, tmp_path):
    answer = ask(engine, "  Aoife@BelfastCity.gov.uk ")
    assert answer == ASKED_ANSWER.format(minutes=60)
    send_due(engine, transport_for(config_for(smtp_server, tmp_path)), max_attempts=3)
    [received] = smtp_server.catcher.wait_for(1)
    assert received.to == "aoife@belfastcity.gov.uk"
    assert received.subject == (
        "Reset your password for the NI Strategic Migration Partnership workbench"
    )
    token = re.search(r"reset_password\?token=([\w\-]+)", received.part("text/plain")).group(1)
    with session_scope(engine) as session:
        person = reset_password(
            session, token=token, password=NEW_PASSWORD, confirm=NEW_PASSWORD, now=later(minutes=5)
        )
        assert person.id == aoife.id
    with pytest.raises(InviteInvalid, match="may have been used already"), read_scope(engine) as s:
        open_password_reset(s, token, now=later(minutes=6))
    with session_scope(engine) as session:
        policy = LoginPolicy()
        assert attempt_login(
            session, email=aoife.email, password=NEW_PASSWORD, now=later(minutes=7), policy=policy
        )


def test_an_unknown_address_gets_the_same_answer_and_no_email(engine, aoife):
    assert ask(engine, "nobody@example.org") == ask(engine, aoife.email, now=later(seconds=1))
    unknown, known = outbox(engine)
    assert (unknown.status, unknown.to_address, unknown.text_body) == (
        "withheld",
        "nobody@example.org",
        "",
    )
    assert unknown.last_error == "Not sent: no active account."
    assert known.status == "queued" and known.kind == Kind.PASSWORD_RESET


def statements(engine, email: str, now) -> list[str]:
    """The statements asking for a reset runs, as verb and table, in order."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        match = re.match(r"\s*(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b(.*)", statement, re.S)
        if match:
            table = re.search(r"(?:FROM|INTO|UPDATE)\s+(\w+)", statement).group(1)
            seen.append(f"{match.group(1)} {table}")

    event.listen(engine, "before_cursor_execute", note)
    try:
        ask(engine, email, now=now)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def test_asking_for_an_unknown_address_does_the_same_database_work_as_for_a_known_one(
    engine, aoife
):
    known = statements(engine, aoife.email, NOW)
    unknown = statements(engine, "nobody@example.org", later(seconds=1))
    assert known == unknown
    assert known.count("INSERT INTO password_reset") == 1
    assert known.count("INSERT INTO outbox_message") == 1


def test_asking_changes_nothing_until_the_link_is_used(engine, aoife):
    with session_scope(engine) as session:
        start_login_session(session, session.get(User, aoife.id), now=NOW)
    ask(engine, aoife.email)
    with session_scope(engine) as session:
        assert attempt_login(
            session,
            email=aoife.email,
            password=PASSWORD,
            now=later(minutes=1),
            policy=LoginPolicy(),
        )
        assert session.scalar(select(LoginSession.ended_at)) is None


def test_using_the_link_ends_the_persons_logins_and_their_other_links(engine, aoife):
    with session_scope(engine) as session:
        start_login_session(session, session.get(User, aoife.id), now=NOW)
    ask(engine, aoife.email)
    ask(engine, aoife.email, now=later(minutes=1))
    first, second = (token_in(m) for m in outbox(engine))
    with session_scope(engine) as session:
        reset_password(
            session, token=second, password=NEW_PASSWORD, confirm=NEW_PASSWORD, now=later(minutes=2)
        )
    with read_scope(engine) as session:
        assert session.scalar(select(LoginSession.ended_at)) is not None
        with pytest.raises(InviteInvalid):
            open_password_reset(session, first, now=later(minutes=3))
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("password_reset.asked") == 2 and "password_reset.used" in actions


def test_a_link_stops_working_when_it_expires(engine, aoife):
    ask(engine, aoife.email)
    token = token_in(outbox(engine)[0])
    with pytest.raises(InviteInvalid, match="have expired"), read_scope(engine) as session:
        open_password_reset(session, token, now=NOW + HOUR)


def test_a_weak_new_password_is_refused_and_the_link_still_works(engine, aoife):
    ask(engine, aoife.email)
    token = token_in(outbox(engine)[0])
    with (
        pytest.raises(WorkbenchError, match="at least 12 characters"),
        session_scope(engine) as session,
    ):
        reset_password(session, token=token, password="short", confirm="short", now=NOW)
    with read_scope(engine) as session:
        open_password_reset(session, token, now=later(minutes=1))


def test_an_address_gets_at_most_a_few_reset_emails_an_hour(engine, aoife):
    for minute in range(MAX_PER_HOUR + 2):
        ask(engine, aoife.email, now=later(minutes=minute))
    statuses = [m.status for m in outbox(engine)]
    assert statuses == ["queued"] * MAX_PER_HOUR + ["withheld"] * 2
    assert outbox(engine)[-1].last_error == "Not sent: too many asked for in an hour."
    ask(engine, aoife.email, now=later(minutes=65))
    assert outbox(engine)[-1].status == "queued"


def test_a_deactivated_account_gets_no_link(engine, aoife):
    with session_scope(engine) as session:
        session.get(User, aoife.id).active = False
    ask(engine, aoife.email)
    [message] = outbox(engine)
    assert message.status == "withheld"
    with read_scope(engine) as session:
        assert session.scalar(select(PasswordReset.person_id)) is None


def test_without_email_asking_says_to_ask_the_officer(engine, aoife):
    with pytest.raises(WorkbenchError, match="Ask your policy officer to reset your access"):
        ask(engine, aoife.email, postbox=None)


# --- the pages ---------------------------------------------------------------------------------


def test_the_login_page_offers_a_reset_only_when_email_is_set_up(open_page, engine, monkeypatch):
    with session_scope(engine) as session:
        add_person(session, "officer")
    monkeypatch.delenv("WORKBENCH_SMTP_HOST", raising=False)
    page = open_page()
    assert any("Forgotten your password? Ask them for a new link." in c.value for c in page.caption)
    assert not [link for link in page.get("page_link") if "reset" in link.proto.page]
    monkeypatch.setenv("WORKBENCH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("WORKBENCH_MAIL_FROM", "workbench@nismp.test")
    page = open_page()
    [link] = [link for link in page.get("page_link") if "reset_password" in link.proto.page]
    assert link.proto.label == "Forgotten your password?"


def answer_on_the_page(open_page, email: str) -> str:
    page = open_page("reset_password")
    page.text_input[0].input(email)
    page.button[0].click().run()
    assert not page.exception
    return page.success[0].value


def test_the_reset_page_answers_the_same_for_an_unknown_address_and_emails_a_known_one(
    open_page, engine, aoife, mail_env
):
    unknown = answer_on_the_page(open_page, "nobody@example.org")
    known = answer_on_the_page(open_page, aoife.email)
    assert unknown == known == ASKED_ANSWER.format(minutes=60)
    [received] = mail_env.catcher.wait_for(1)
    assert received.to == aoife.email
    assert "http://127.0.0.1:8519/reset_password?token=" in received.part("text/plain")


def test_following_the_link_sets_the_password_and_logs_the_person_in(open_page, engine, aoife):
    ask(engine, aoife.email, now=utcnow())  # the page reads the real clock
    token = token_in(outbox(engine)[0])
    page = open_page("reset_password", query={"token": token})
    assert f"Choose a new password for {aoife.email}" in page.markdown[0].value.replace("\\", "")
    page.text_input[0].input(NEW_PASSWORD)
    page.text_input[1].input(NEW_PASSWORD)
    page.button[0].click().run()
    assert not page.exception
    assert page.session_state["login_token"]
    with read_scope(engine) as session:
        assert session.scalar(
            select(AuditEvent.id).where(AuditEvent.action == "password_reset.used")
        )
