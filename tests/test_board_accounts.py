"""Board, chair and officer accounts belong to the administrator: only an admin creates, resets
or deactivates them, the chair (or the board) hears of each change, and nobody else ever holds
the login link of such an account. Partners stay any officer's to manage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consultations.accounts import invite_person, reset_access, set_active
from consultations.db import read_scope, session_scope
from consultations.errors import AccessDenied, ValidationFailed
from consultations.links import hand_over_link, login_link
from consultations.models import AuditEvent, Invite, Notification, Role, User
from tests.conftest import NOW, PASSWORD_HASH, add_organisation, add_person, later
from tests.test_pages import texts

WEEK = timedelta(days=7)
ADMIN_ONLY = "Only an administrator can"


@dataclass(frozen=True)
class Partnership:
    admin: int
    officer: int
    chair: int
    member: int
    other: int
    partner: int
    organisation: int


@pytest.fixture
def partnership(engine) -> Partnership:
    with session_scope(engine) as session:
        organisation = add_organisation(session)
        people = {
            "admin": add_person(session, "officer", email="admin@smp.example.org", is_admin=True),
            "officer": add_person(session, "officer", email="officer@smp.example.org"),
            "chair": add_person(session, "board", email="chair@board.example.org", is_chair=True),
            "member": add_person(session, "board", email="member@board.example.org"),
            "other": add_person(session, "board", email="other@board.example.org"),
            "partner": add_person(
                session, "partner", email="p@council.example.org", organisation=organisation
            ),
        }
        for key, person in people.items():
            person.name = key.title()
        return Partnership(**{k: p.id for k, p in people.items()}, organisation=organisation.id)


def as_(session, person_id: int) -> User:
    return session.get(User, person_id)


def invite(
    engine, actor: int, *, role="board", chair=False, email="new@board.example.org", org=None
):
    with session_scope(engine) as session:
        return invite_person(
            session,
            as_(session, actor),
            email=email,
            name="New Person",
            role=role,
            organisation_id=org,
            is_chair=chair,
            now=NOW,
            valid_for=WEEK,
        )


def messages_for(engine, person_id: int) -> list[str]:
    with read_scope(engine) as session:
        return list(
            session.scalars(
                select(Notification.message)
                .where(Notification.person_id == person_id, Notification.kind == "account")
                .order_by(Notification.id)
            )
        )


def counts(engine) -> tuple[int, int, int]:
    with read_scope(engine) as session:
        return (
            session.scalar(select(func.count()).select_from(User)),
            session.scalar(select(func.count()).select_from(Invite)),
            session.scalar(select(func.count()).select_from(Notification)),
        )


# --- only an administrator --------------------------------------------------------------------


def test_officer_cannot_create_a_board_chair(engine, partnership):
    before = counts(engine)
    with pytest.raises(AccessDenied, match=f"{ADMIN_ONLY} invite a board member"):
        invite(engine, partnership.officer, chair=True, email="my.own.chair@example.org")
    assert counts(engine) == before
    with read_scope(engine) as session:
        assert session.scalar(select(User).where(User.email == "my.own.chair@example.org")) is None


@pytest.mark.parametrize("role", ["board", "officer"])
def test_officer_cannot_invite_a_board_member_or_another_officer(engine, partnership, role):
    before = counts(engine)
    with pytest.raises(AccessDenied, match=ADMIN_ONLY):
        invite(engine, partnership.officer, role=role)
    assert counts(engine) == before


@pytest.mark.parametrize("subject", ["chair", "member", "admin", "officer"])
def test_officer_cannot_reset_the_access_of_a_board_member_or_an_officer(
    engine, partnership, subject
):
    target = getattr(partnership, subject)
    if subject == "officer":  # another, non-admin officer
        with session_scope(engine) as session:
            target = add_person(session, "officer", email="colleague@smp.example.org").id
    before = counts(engine)
    with (
        pytest.raises(AccessDenied, match=f"{ADMIN_ONLY} reset the access of"),
        session_scope(engine) as session,
    ):
        reset_access(session, as_(session, partnership.officer), target, now=NOW, valid_for=WEEK)
    assert counts(engine) == before
    with read_scope(engine) as session:
        assert session.get(User, target).password_hash == PASSWORD_HASH


@pytest.mark.parametrize("subject", ["chair", "member", "admin"])
def test_officer_cannot_deactivate_a_board_member_or_the_administrator(
    engine, partnership, subject
):
    target = getattr(partnership, subject)
    with (
        pytest.raises(AccessDenied, match=f"{ADMIN_ONLY} deactivate"),
        session_scope(engine) as session,
    ):
        set_active(session, as_(session, partnership.officer), target, active=False, now=NOW)
    with read_scope(engine) as session:
        assert session.get(User, target).active
        assert not session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "person.deactivated")
        )


def test_officer_cannot_reactivate_a_deactivated_board_member(engine, partnership):
    with session_scope(engine) as session:
        set_active(
            session, as_(session, partnership.admin), partnership.member, active=False, now=NOW
        )
    with (
        pytest.raises(AccessDenied, match=f"{ADMIN_ONLY} reactivate a board member"),
        session_scope(engine) as session,
    ):
        set_active(
            session, as_(session, partnership.officer), partnership.member, active=True, now=NOW
        )


def test_an_officer_still_invites_resets_and_deactivates_partners(engine, partnership):
    person, token = invite(
        engine,
        partnership.officer,
        role="partner",
        email="new@council.org",
        org=partnership.organisation,
    )
    with session_scope(engine) as session:
        officer = as_(session, partnership.officer)
        assert reset_access(session, officer, person.id, now=NOW, valid_for=WEEK) != token
        assert not set_active(session, officer, partnership.partner, active=False, now=NOW).active


# --- the administrator, and the board told --------------------------------------------------------


def test_the_administrator_makes_a_chair_and_the_board_is_told(engine, partnership):
    with session_scope(engine) as session:
        set_active(
            session, as_(session, partnership.admin), partnership.chair, active=False, now=NOW
        )
    person, _ = invite(engine, partnership.admin, chair=True)
    with read_scope(engine) as session:
        assert session.get(User, person.id).is_chair
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "person.invited"))
    assert event.detail == {"email": "new@board.example.org", "role": "board", "chair": True}
    told = (
        "Admin invited New Person (new@board.example.org) to join the workbench as the board's "
        "chair."
    )
    # The chair is the subject: the rest of the board hears of it, the new chair does not.
    assert messages_for(engine, partnership.member)[-1] == told
    assert messages_for(engine, partnership.other)[-1] == told
    assert messages_for(engine, person.id) == []
    assert messages_for(engine, partnership.officer) == []


def test_a_change_to_a_members_account_is_told_to_the_chair_only(engine, partnership):
    with session_scope(engine) as session:
        reset_access(
            session, as_(session, partnership.admin), partnership.member, now=NOW, valid_for=WEEK
        )
    assert messages_for(engine, partnership.chair) == [
        "Admin reset the access of board member Member: their password no longer works, and "
        "they have a new link to set one."
    ]
    assert messages_for(engine, partnership.other) == []
    assert messages_for(engine, partnership.member) == []
    with session_scope(engine) as session:
        set_active(
            session, as_(session, partnership.admin), partnership.member, active=False, now=NOW
        )
        set_active(
            session, as_(session, partnership.admin), partnership.member, active=True, now=later()
        )
    deactivated, reactivated = messages_for(engine, partnership.chair)[1:]
    assert deactivated.startswith("Admin deactivated the account of board member Member. Their")
    assert "still holds the draft back, marked as from a former member" in deactivated
    assert reactivated == "Admin reactivated the account of board member Member."


def test_resetting_the_chairs_access_is_told_to_the_rest_of_the_board(engine, partnership):
    with session_scope(engine) as session:
        reset_access(
            session, as_(session, partnership.admin), partnership.chair, now=NOW, valid_for=WEEK
        )
    told = (
        "Admin reset the access of the board's chair Chair: their password no longer works, "
        "and they have a new link to set one."
    )
    assert messages_for(engine, partnership.member) == [told]
    assert messages_for(engine, partnership.other) == [told]
    assert messages_for(engine, partnership.chair) == []


def test_the_administrator_can_make_another_administrator_so_the_partnership_keeps_one(
    engine, partnership
):
    with session_scope(engine) as session:
        admin = as_(session, partnership.admin)
        officer, _ = invite_person(
            session,
            admin,
            email="deputy@smp.example.org",
            name="Deputy",
            role="officer",
            organisation_id=None,
            is_admin=True,
            now=NOW,
            valid_for=WEEK,
        )
        member, _ = invite_person(
            session,
            admin,
            email="not.an.admin@board.example.org",
            name="Member",
            role="board",
            organisation_id=None,
            is_admin=True,
            now=NOW,
            valid_for=WEEK,
        )
    with read_scope(engine) as session:
        assert session.get(User, officer.id).is_admin
        assert not session.get(User, member.id).is_admin  # only an officer is an administrator
        [event, _] = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "person.invited").order_by(AuditEvent.id)
        )
    assert event.detail["admin"] is True


def test_a_second_chair_is_refused_while_the_board_has_one(engine, partnership):
    with pytest.raises(ValidationFailed, match=r"the board has a chair already \(Chair\)"):
        invite(engine, partnership.admin, chair=True)


# --- the login link -------------------------------------------------------------------------------


def test_a_board_members_login_link_is_handed_only_to_an_administrator(engine, partnership):
    person, token = invite(engine, partnership.admin)
    with read_scope(engine) as session:
        board_member, expires = as_(session, person.id), later(days=7)
        handed = hand_over_link(
            as_(session, partnership.admin),
            board_member,
            token,
            base_url="https://workbench.example.org/",
            expires_at=expires,
        )
        with pytest.raises(AccessDenied, match=f"{ADMIN_ONLY} see the login link"):
            hand_over_link(
                as_(session, partnership.officer),
                board_member,
                token,
                base_url="https://workbench.example.org",
                expires_at=expires,
            )
    assert handed.link == f"https://workbench.example.org/accept_invite?token={token}"
    assert (handed.name, handed.email, handed.expires_at) == (
        "New Person",
        "new@board.example.org",
        expires,
    )


def test_a_login_link_carries_its_token_safely_in_the_address():
    assert login_link("http://localhost:8601", "a/b+c") == (
        "http://localhost:8601/accept_invite?token=a%2Fb%2Bc"
    )


# --- the page -----------------------------------------------------------------------------------


PEOPLE = "consultations/pages/people.py"


def test_the_people_page_offers_a_plain_officer_partner_invites_only(
    engine, partnership, open_page
):
    with read_scope(engine) as session:
        officer = as_(session, partnership.officer)
    app = open_page(PEOPLE, as_user=officer)
    assert not app.exception
    role = next(s for s in app.selectbox if s.label == "Role")
    assert role.options == ["Partner (answers for an organisation)"]
    assert not [c for c in app.checkbox if c.label in ("Chair of the board", "Administrator")]
    assert "invited by your partnership's administrator" in texts(app)
    person = next(s for s in app.selectbox if s.label == "Person")
    chair = next(i for i, o in enumerate(person.options) if o.startswith("Chair ("))
    person.select_index(chair).run()
    buttons = {b.label: b for b in app.button}
    assert buttons["Reset access with a new link"].disabled
    assert buttons["Deactivate the account"].disabled


def test_the_administrator_invites_a_board_member_and_alone_sees_the_link(
    engine, partnership, open_page
):
    with read_scope(engine) as session:
        admin = as_(session, partnership.admin)
    app = open_page(PEOPLE, as_user=admin)
    inputs = {t.label: t for t in app.text_input}
    inputs["Full name"].input("Niamh Board")
    inputs["Email address"].input("niamh@board.example.org")
    role = next(s for s in app.selectbox if s.label == "Role")
    role.select(Role.BOARD)
    next(b for b in app.button if b.label == "Create the invite link").click().run()
    assert not app.exception
    assert "Send this link to Niamh Board" in texts(app)
    [link] = [c.value for c in app.code]
    assert "/accept_invite?token=" in link
    assert messages_for(engine, partnership.chair)[-1].startswith("Admin invited Niamh Board")
