"""A consultation from invite to receipt and on to the board's approval, driven through the
app's pages (AppTest) with email set up, every message arriving in a real SMTP server on
localhost: each once, to the right person, with the right subject and link."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from consultations.db import read_scope, session_scope, utcnow
from consultations.models import Consultation, OutboxMessage, User
from evidence.analysis import load_evidence
from exports.drafts import assemble_draft
from tests.conftest import add_consultation, add_organisation, add_person

pytestmark = pytest.mark.slow
BASE = "http://127.0.0.1:8519"
PASSWORD = "a long enough password 2026"


def button(app, label: str):
    return next(b for b in app.button if b.label == label)


def link_in(received, page: str) -> str:
    found = re.search(rf"{re.escape(BASE)}/{page}\S*", received.part("text/plain"))
    assert found, f"no link to {page} in '{received.subject}'"
    return found.group(0)


def token_in(received, page: str) -> str:
    return re.search(r"token=([\w\-]+)", link_in(received, page)).group(1)


class Inbox:
    """The test server's messages, taken in the order the journey expects them."""

    def __init__(self, server) -> None:
        self.server = server
        self.seen = 0

    def next(self, count: int = 1):
        arrived = self.server.catcher.wait_for(self.seen + count, timeout=60)
        new, self.seen = arrived[self.seen : self.seen + count], self.seen + count
        return sorted(new, key=lambda r: r.to)


def invite(app, name: str, email: str, *, role: str, organisation=None, chair=False) -> None:
    fields = {t.label: t for t in app.text_input}
    fields["Full name"].input(name)
    fields["Email address"].input(email)
    boxes = {s.label: s for s in app.selectbox}
    boxes["Role"].set_value(role)
    if organisation is not None:
        boxes["Organisation"].set_value(organisation)
    if chair:
        next(c for c in app.checkbox if c.label == "Chair of the board").check()
    button(app, "Create the invite link").click().run()
    assert not app.exception
    assert "is on its way to" in app.success[0].value


def accept(open_page, token: str) -> None:
    app = open_page("accept_invite", query={"token": token})
    app.text_input[0].input(PASSWORD)
    app.text_input[1].input(PASSWORD)
    button(app, "Set password and log in").click().run()
    assert not app.exception and app.session_state["login_token"]


def test_a_consultation_from_invite_to_approval_sends_every_message_once(
    open_page, engine, mail_env
):
    inbox = Inbox(mail_env)
    with session_scope(engine) as session:
        officer = add_person(session, "officer", email="officer@nismp.test", is_admin=True)
        council = add_organisation(session, "Derry City and Strabane District Council")
        cid = add_consultation(session, officer, title="Family migration: a consultation").id
    # 1. The officer invites a partner and the board's chair: each gets their link by email.
    people = open_page("consultations/pages/people.py", as_user=officer)
    invite(
        people, "Ciara Doherty", "ciara@derrystrabane.test", role="partner", organisation=council.id
    )
    [partner_invite] = inbox.next()
    assert partner_invite.to == "ciara@derrystrabane.test"
    assert partner_invite.subject == (
        "Your invitation to the Northern Ireland Strategic Migration Partnership consultation "
        "workbench"
    )
    invite(people, "Margaret Kerr", "chair@nismp-board.test", role="board", chair=True)
    [chair_invite] = inbox.next()
    assert "as the chair of the board" in chair_invite.words()
    accept(open_page, token_in(partner_invite, "accept_invite"))
    accept(open_page, token_in(chair_invite, "accept_invite"))
    with read_scope(engine) as session:
        partner = session.scalar(select(User).where(User.email == "ciara@derrystrabane.test"))
        chair = session.scalar(select(User).where(User.email == "chair@nismp-board.test"))

    # 2. Opened to partners: the partner is told, with the link to answer.
    stage = open_page(
        "consultations/pages/consultation_edit.py",
        as_user=officer,
        query={"consultation": str(cid)},
    )
    button(stage, "Open to partners").click().run()
    [opened] = inbox.next()
    assert (opened.to, opened.subject) == (
        partner.email,
        "Now open for your answers: Family migration: a consultation",
    )
    assert link_in(opened, "answer") == f"{BASE}/answer?consultation={cid}"

    # 3. Reminded, on the officer's say.
    tracker = open_page(
        "evidence/pages/tracker.py", as_user=officer, query={"consultation": str(cid)}
    )
    button(tracker, "Remind the 1 who have not submitted").click().run()
    button(tracker, "Yes, send the reminders").click().run()
    [reminder] = inbox.next()
    assert reminder.to == partner.email and reminder.subject.startswith("Reminder: Family")
    assert "Derry City and Strabane District Council has not yet submitted" in reminder.words()

    # 4. The partner answers and submits: a receipt with the copy; the officer is told.
    answer = open_page(
        "evidence/pages/answer.py", as_user=partner, query={"consultation": str(cid)}
    )
    answer.text_area[0].input("Families in Derry are kept apart by the income threshold.")
    button(answer, "Save").click().run()
    next(r for r in answer.radio if r.label.startswith("How may the partnership")).set_value(
        "named"
    )
    next(c for c in answer.checkbox if c.label.startswith("I have checked")).check()
    answer.run()
    button(answer, "Submit our response").click().run()
    assert not answer.exception
    receipt, told = inbox.next(2)  # by address: ciara@ before officer@
    assert receipt.to == partner.email
    assert receipt.subject == (
        "Received: Derry City and Strabane District Council's response to Family migration: "
        "a consultation"
    )
    [(name, _, content)] = receipt.attachments()
    assert name.endswith(".docx") and content.startswith(b"PK")
    assert told.to == "officer@nismp.test"
    assert told.subject.startswith("Derry City and Strabane District Council submitted")
    assert link_in(told, "tracker") == f"{BASE}/tracker?consultation={cid}"

    # 5. The partner forgets their password and resets it from the login page.
    reset = open_page("reset_password")
    reset.text_input[0].input(partner.email)
    button(reset, "Email me a link").click().run()
    [reset_mail] = inbox.next()
    assert reset_mail.to == partner.email
    choose = open_page("reset_password", query={"token": token_in(reset_mail, "reset_password")})
    choose.text_input[0].input("another long password 2026")
    choose.text_input[1].input("another long password 2026")
    button(choose, "Set the new password and log in").click().run()
    assert not choose.exception and choose.session_state["login_token"]

    # 6. Closed, drafted, sent to the board with a note, approved by the chair.
    stage = open_page(
        "consultations/pages/consultation_edit.py",
        as_user=officer,
        query={"consultation": str(cid)},
    )
    button(stage, "Close to partners").click().run()
    button(stage, "Yes, close it to partners").click().run()
    with session_scope(engine) as session:
        me = session.get(User, officer.id)
        evidence = load_evidence(
            session, me, cid, today=utcnow().date(), partnership="NISMP", region="Northern Ireland"
        )
        assemble_draft(session, me, evidence, cid, now=utcnow())
    approval = open_page(
        "exports/pages/approval.py", as_user=officer, query={"consultation": str(cid)}
    )
    approval.text_area[0].input("Only one partner answered: please read Q1 closely.")
    button(approval, "Send version 1 for review").click().run()
    assert not approval.exception
    [review] = inbox.next()
    assert review.to == chair.email
    assert (
        review.subject
        == "For your review: version 1 of the response to Family migration: a consultation"
    )
    assert "> Only one partner answered: please read Q1 closely." in review.part("text/plain")
    assert link_in(review, "board_review") == f"{BASE}/board_review?consultation={cid}"
    board = open_page(
        "exports/pages/board_review.py", as_user=chair, query={"consultation": str(cid)}
    )
    button(board, "Record my decision").click().run()
    assert not board.exception
    approved = inbox.next(2)
    assert {r.to for r in approved} == {chair.email, "officer@nismp.test"}
    assert {r.subject for r in approved} == {
        "Approved: the response to Family migration: a consultation"
    }
    with read_scope(engine) as session:
        assert session.get(Consultation, cid).status == "approved"
    # The sender marks a message sent just after the server took it.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and set(statuses(engine)) != {"sent"}:
        time.sleep(0.2)
    assert set(statuses(engine)) == {"sent"}

    # Every message arrived once: nothing more comes.
    time.sleep(1)
    assert len(mail_env.received) == inbox.seen == 10
    ids = [r.message["Message-ID"] for r in mail_env.received]
    assert len(set(ids)) == len(ids)


def statuses(engine) -> list[str]:
    with read_scope(engine) as session:
        return list(session.scalars(select(OutboxMessage.status)))
