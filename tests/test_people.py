"""The people table the officer manages: who, in what role, and where each account stands."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consultations.accounts import invite_person, set_active
from consultations.db import read_scope, session_scope
from consultations.models import User
from consultations.people import list_people
from tests.conftest import NOW, add_organisation, add_person, later


def invite(session, officer: User, email: str, **kwargs) -> User:
    person, _ = invite_person(
        session,
        officer,
        email=email,
        name=kwargs.pop("name", email.split("@")[0].title()),
        role=kwargs.pop("role", "partner"),
        organisation_id=kwargs.pop("organisation_id"),
        now=kwargs.pop("now", NOW),
        valid_for=kwargs.pop("valid_for", timedelta(days=7)),
        **kwargs,
    )
    return person


@pytest.fixture
def partnership(engine):
    """One person in each state an account can be in, by the email that names it."""
    with session_scope(engine) as session:
        council = add_organisation(session)
        officer = add_person(session, "officer", email="officer@smp.example.org", is_admin=True)
        officer.last_login_at = later(hours=-1)
        add_person(session, "board", email="chair@board.example.org", is_chair=True)
        add_person(session, "partner", email="active@council.example.org", organisation=council)
        invite(session, officer, "invited@council.example.org", organisation_id=council.id)
        invite(
            session,
            officer,
            "expired@council.example.org",
            organisation_id=council.id,
            now=NOW - timedelta(days=8),
        )
        locked = add_person(
            session, "partner", email="locked@council.example.org", organisation=council
        )
        locked.locked_until = later(minutes=10)
        was_locked = add_person(
            session, "partner", email="unlocked@council.example.org", organisation=council
        )
        was_locked.locked_until = later(minutes=-1)
        gone = add_person(
            session, "partner", email="deactivated@council.example.org", organisation=council
        )
        set_active(session, officer, gone.id, active=False, now=NOW)
        add_person(
            session,
            "partner",
            email="nolink@council.example.org",
            organisation=council,
            password=False,
        )
        return officer


@pytest.mark.parametrize(
    ("email", "state"),
    [
        ("officer@smp.example.org", "active"),
        ("chair@board.example.org", "active"),
        ("active@council.example.org", "active"),
        ("invited@council.example.org", "invited, has not set a password yet"),
        ("expired@council.example.org", "invite link expired: reset their access"),
        ("locked@council.example.org", "locked after failed logins"),
        ("unlocked@council.example.org", "active"),
        ("deactivated@council.example.org", "deactivated"),
        ("nolink@council.example.org", "no password and no valid link: reset their access"),
    ],
)
def test_each_account_shows_where_it_stands(engine, partnership, email, state):
    with read_scope(engine) as session:
        rows = {row.email: row for row in list_people(session, partnership, now=NOW)}
    assert rows[email].state == state
    assert rows[email].active is (state != "deactivated")


def test_an_invite_that_expires_changes_the_state_when_its_time_comes(engine, partnership):
    with read_scope(engine) as session:
        before = {r.email: r.state for r in list_people(session, partnership, now=NOW)}
        after = {r.email: r.state for r in list_people(session, partnership, now=later(days=7))}
    assert before["invited@council.example.org"] == "invited, has not set a password yet"
    assert after["invited@council.example.org"] == "invite link expired: reset their access"


def test_people_are_listed_officers_first_then_board_then_partners_by_name(engine, partnership):
    with read_scope(engine) as session:
        rows = list_people(session, partnership, now=NOW)
    assert [r.role for r in rows] == ["officer, admin", "board (chair)"] + ["partner"] * 7
    partners = [r.name for r in rows[2:]]
    assert partners == sorted(partners)


def test_each_row_names_the_organisation_and_the_last_login(engine, partnership):
    with read_scope(engine) as session:
        rows = {row.email: row for row in list_people(session, partnership, now=NOW)}
    assert rows["officer@smp.example.org"].last_login == later(hours=-1)
    assert rows["officer@smp.example.org"].organisation == ""
    assert rows["active@council.example.org"].organisation == "Belfast Metropolitan Council"
    assert rows["active@council.example.org"].last_login is None


def test_the_last_login_counts_every_way_in_such_as_the_demos_switcher(engine, partnership):
    from sqlalchemy import select

    from consultations.accounts import start_login_session
    from consultations.models import User

    with session_scope(engine) as session:
        chair = session.scalar(select(User).where(User.email == "chair@board.example.org"))
        start_login_session(session, chair, now=later(hours=2))  # no password typed
    with read_scope(engine) as session:
        rows = {row.email: row for row in list_people(session, partnership, now=NOW)}
    assert rows["chair@board.example.org"].last_login == later(hours=2)
    assert rows["officer@smp.example.org"].last_login == later(hours=-1)
