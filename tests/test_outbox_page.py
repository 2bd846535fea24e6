"""The Outbox page: officers see every message with its status, tries and the mail server's
answer, send a failed one again, and never read a message that holds a login link."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consultations.db import read_scope, session_scope, utcnow
from consultations.mail.letters import Recipient, invite_letter, trial_letter
from consultations.mail.outbox import mark_not_sent, post
from consultations.models import OutboxMessage
from tests.conftest import add_person
from tests.test_mail_messages import POSTBOX

PAGE = "consultations/pages/outbox.py"


def queue_two(engine) -> tuple[int, int]:
    """A test message that failed (550) and an invite that waits; return their ids."""
    now = utcnow()
    with session_scope(engine) as session:
        failed = post(
            session,
            POSTBOX,
            trial_letter(Recipient("gone@example.org", "Gone Away"), partnership="P", sent_at=now),
            now=now,
        )
        invite = post(
            session,
            POSTBOX,
            invite_letter(
                Recipient("new@example.org", "New Member"),
                partnership="P",
                role="board",
                organisation="",
                link="https://workbench.nismp.test/accept_invite?token=TOPSECRET",
                expires_at=now + timedelta(days=7),
            ),
            now=now,
        )
        failed.attempts = 1
        mark_not_sent(
            session,
            failed.id,
            error="The mail server refused gone@example.org: 550 5.1.1 No such user.",
            permanent=True,
            now=now,
            max_attempts=12,
        )
        return failed.id, invite.id


def test_an_officer_sees_each_message_with_its_status_tries_and_the_servers_answer(
    open_page, engine
):
    queue_two(engine)
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
    page = open_page(PAGE, as_user=officer)
    assert not page.exception
    table = page.dataframe[0].value
    assert list(table["To"]) == ["New Member <new@example.org>", "Gone Away <gone@example.org>"]
    assert list(table["Status"]) == ["Waiting to go", "Failed: not sent"]
    assert list(table["What"]) == ["Invitation", "Test message"]
    assert "550 5.1.1 No such user." in table["What the mail server said"][1]
    assert [m.value for m in page.metric] == ["1", "1", "0"]
    assert any("Email is off" in i.value for i in page.info)


def test_an_officer_sends_a_failed_message_again(open_page, engine):
    failed, _ = queue_two(engine)
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
    page = open_page(PAGE, as_user=officer)
    [again] = [b for b in page.button if b.label == "Send it again"]
    again.click().run()
    assert not page.exception
    with read_scope(engine) as session:
        message = session.get(OutboxMessage, failed)
        assert (message.status, message.attempts) == ("queued", 0)
    assert page.success[0].value == "It is waiting to go again."


def test_a_message_holding_a_login_link_is_never_shown_on_the_page(open_page, engine):
    _, invite = queue_two(engine)
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
    page = open_page(PAGE, as_user=officer)
    [chooser] = [s for s in page.selectbox if s.label == "Message"]
    chooser.select(invite).run()
    shown = "\n".join(t.value for t in page.text)
    assert "TOPSECRET" not in shown
    assert "holds a personal login link, so its words are not shown here" in shown
    with read_scope(engine) as session:
        assert session.scalar(select(OutboxMessage.text_body).where(OutboxMessage.id == invite))


def test_a_partner_cannot_open_the_outbox(open_page, engine):
    with session_scope(engine) as session:
        partner = add_person(session, "partner")
    page = open_page(PAGE, as_user=partner)
    assert "Only policy officers can open this page" in page.error[0].value
