"""Invites and access resets by email: with email set up the link goes to the person's inbox
(arriving in a real SMTP server), never to the officer's screen; resetting access asks first."""

from __future__ import annotations

import re

from consultations.accounts import open_invite
from consultations.db import read_scope, session_scope, utcnow
from consultations.models import User
from tests.conftest import add_organisation, add_person

PEOPLE = "consultations/pages/people.py"


def token_from(received) -> str:
    text = received.part("text/plain")
    return re.search(r"http://127\.0\.0\.1:8519/accept_invite\?token=([\w\-]+)", text).group(1)


def test_with_email_an_invite_goes_to_the_persons_inbox_not_the_officers_screen(
    open_page, engine, mail_env
):
    with session_scope(engine) as session:
        officer = add_person(session, "officer", is_admin=True)
        organisation = add_organisation(session)
    app = open_page(PEOPLE, as_user=officer)
    fields = {t.label: t for t in app.text_input}
    fields["Full name"].input("Siobhan McAllister")
    fields["Email address"].input("siobhan@belfastmetro.example.org")
    {s.label: s for s in app.selectbox}["Organisation"].set_value(organisation.id)
    next(b for b in app.button if b.label == "Create the invite link").click().run()
    assert not app.exception
    assert app.success[0].value.startswith(
        "An invitation is on its way to Siobhan McAllister's email."
    )
    assert not [c for c in app.code if "token=" in c.value]
    [received] = mail_env.catcher.wait_for(1)
    assert received.to == "siobhan@belfastmetro.example.org"
    assert "to answer consultations for Belfast Metropolitan Council" in received.words()
    with read_scope(engine) as session:
        invite = open_invite(session, token_from(received), now=utcnow())
        assert invite.user.email == "siobhan@belfastmetro.example.org"


def test_resetting_access_asks_first_then_emails_the_new_link(open_page, engine, mail_env):
    with session_scope(engine) as session:
        officer = add_person(session, "officer", is_admin=True)
        partner = add_person(
            session,
            "partner",
            email="niamh@trust.example.org",
            organisation=add_organisation(session),
        )
    app = open_page(PEOPLE, as_user=officer)
    next(b for b in app.button if b.label == "Reset access with a new link").click().run()
    assert "Their password stops working at once" in app.warning[0].value
    with read_scope(engine) as session:
        assert session.get(User, partner.id).password_hash  # nothing changed yet
    next(b for b in app.button if b.label == "Yes, reset their access").click().run()
    assert not app.exception
    assert app.success[0].value.startswith("A new link is on its way to Test Partner's email.")
    [received] = mail_env.catcher.wait_for(1)
    assert received.to == "niamh@trust.example.org"
    assert received.subject.startswith("A new link to log in to the")
    with read_scope(engine) as session:
        assert session.get(User, partner.id).password_hash is None
        assert open_invite(session, token_from(received), now=utcnow()).user_id == partner.id


def test_a_change_to_a_board_account_is_emailed_to_the_chair(engine):
    from datetime import timedelta

    from sqlalchemy import select

    from consultations.accounts import invite_person, set_active
    from consultations.mail.letters import Kind
    from consultations.models import OutboxMessage
    from tests.conftest import NOW
    from tests.test_mail_messages import POSTBOX

    with session_scope(engine) as session:
        admin = add_person(session, "officer", is_admin=True)
        chair = add_person(session, "board", is_chair=True, email="chair@board.example.org")
        member, _ = invite_person(
            session,
            admin,
            email="new.member@board.example.org",
            name="Ruth Quinn",
            role="board",
            organisation_id=None,
            now=NOW,
            valid_for=timedelta(days=7),
            postbox=POSTBOX,
        )
        set_active(session, admin, member.id, active=False, now=NOW, postbox=POSTBOX)
    with read_scope(engine) as session:
        sent = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(m.kind, m.to_address) for m in sent] == [
        (Kind.ACCOUNT, chair.email),
        (Kind.ACCOUNT, chair.email),
    ]
    assert sent[0].subject == "A change to the board's accounts: Ruth Quinn"
    assert "invited Ruth Quinn (new.member@board.example.org)" in " ".join(
        sent[0].text_body.split()
    )
    assert "deactivated the account of board member Ruth Quinn" in " ".join(
        sent[1].text_body.split()
    )
