"""Accounts: argon2 passwords, logins with lock-out, the first officer, invites, access resets,
deactivation, login sessions that survive a refresh, and the signed cookie that carries them.
Every change of state is checked in the audit log."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import Engine, func, select

from consultations.accounts import (
    LOGIN_FAILED_MESSAGE,
    MAX_EMAIL_LENGTH,
    MIN_PASSWORD_LENGTH,
    LoginPolicy,
    accept_invite,
    attempt_login,
    create_first_officer,
    end_login_session,
    hash_password,
    invite_person,
    needs_first_run,
    open_invite,
    password_problems,
    read_cookie,
    reset_access,
    resume_login_session,
    set_active,
    sign_cookie,
    start_login_session,
    token_hash,
    verify_password,
)
from consultations.db import read_scope, session_scope
from consultations.errors import InviteInvalid, ValidationFailed, WorkbenchError
from consultations.models import AuditEvent, Invite, LoginSession, User
from tests.conftest import (
    NOW,
    PASSWORD,
    PASSWORD_HASH,
    add_organisation,
    add_person,
    later,
)

MISSING = 10**9  # an id that no row in the shared database has
POLICY = LoginPolicy()
IDLE = timedelta(hours=8)
WEEK = timedelta(days=7)
NEW_PASSWORD = "a brand new passphrase"
SECRET = "a test secret key that nobody else knows"


def events(engine: Engine, action: str) -> list[AuditEvent]:
    """Return every audit event of one kind, oldest first."""
    with read_scope(engine) as session:
        return list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )


def login(
    engine: Engine, email: str, password: str = PASSWORD, *, at=NOW, policy=POLICY
) -> int | None:
    """Try to log in as a page would: one transaction; return the person's id or None."""
    with session_scope(engine) as session:
        user = attempt_login(session, email=email, password=password, now=at, policy=policy)
        return user.id if user else None


def fresh(engine: Engine, person_id: int) -> User:
    with read_scope(engine) as session:
        return session.get(User, person_id)


@pytest.fixture(scope="module")
def db(shared_engine: Engine) -> Engine:
    """One migrated database for this module; each test makes people of its own in it.

    Only the first-officer tests need a database with nobody in it: they use ``engine``.
    """
    return shared_engine


@pytest.fixture
def audit(db: Engine) -> Callable[[str], list[AuditEvent]]:
    """Return a function listing the audit events of one kind written since the test began."""
    with read_scope(db) as session:
        since = session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))

    def written(action: str) -> list[AuditEvent]:
        return [event for event in events(db, action) if event.id > since]

    return written


@pytest.fixture
def people(db: Engine, audit) -> dict[str, Any]:
    """An officer, an administrator and a partner with the test password, with addresses of
    their own."""
    tag = uuid.uuid4().hex[:8]
    with session_scope(db) as session:
        organisation = add_organisation(session, name=f"Council {tag}")
        return {
            "tag": tag,
            "officer": add_person(session, "officer", email=f"officer.{tag}@smp.example.org"),
            "admin": add_person(
                session, "officer", email=f"admin.{tag}@smp.example.org", is_admin=True
            ),
            "partner": add_person(
                session,
                "partner",
                email=f"partner.{tag}@council.example.org",
                organisation=organisation,
            ),
            "organisation": organisation,
        }


@pytest.fixture
def invited(db: Engine, people) -> tuple[User, str]:
    """A partner invited by the officer: the person and the link's token."""
    with session_scope(db) as session:
        return invite_person(
            session,
            session.get(User, people["officer"].id),
            email=f" New.Partner.{people['tag']}@Council.example.org ",
            name=" Niamh Partner ",
            role="partner",
            organisation_id=people["organisation"].id,
            now=NOW,
            valid_for=WEEK,
        )


# --- passwords ---------------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2id_and_a_fresh_salt():
    assert PASSWORD_HASH.startswith("$argon2id$")
    assert PASSWORD not in PASSWORD_HASH
    assert hash_password(PASSWORD) != PASSWORD_HASH


@pytest.mark.parametrize(
    ("password_hash", "password", "expected"),
    [
        (PASSWORD_HASH, PASSWORD, True),
        (PASSWORD_HASH, PASSWORD.upper(), False),
        (PASSWORD_HASH, "", False),
        (None, PASSWORD, False),
        ("", PASSWORD, False),
        ("not an argon2 hash", PASSWORD, False),
        ("$argon2id$v=19$m=65536,t=3,p=4$garbage", PASSWORD, False),
    ],
    ids=["right", "wrong case", "empty", "no hash", "empty hash", "not a hash", "broken hash"],
)
def test_verify_password_accepts_only_the_right_password_for_a_real_hash(
    password_hash, password, expected
):
    assert verify_password(password_hash, password) is expected


@pytest.mark.parametrize(
    ("password", "confirm", "expected"),
    [
        ("x" * MIN_PASSWORD_LENGTH, "x" * MIN_PASSWORD_LENGTH, []),
        ("x" * (MIN_PASSWORD_LENGTH - 1), "x" * (MIN_PASSWORD_LENGTH - 1), ["at least 12"]),
        ("x" * MIN_PASSWORD_LENGTH, "y" * MIN_PASSWORD_LENGTH, ["not the same"]),
        ("short", "other", ["at least 12", "not the same"]),
        ("", "", ["at least 12"]),
    ],
)
def test_password_rules_ask_for_twelve_characters_typed_twice_the_same(password, confirm, expected):
    problems = password_problems(password, confirm)
    assert len(problems) == len(expected)
    for problem, fragment in zip(problems, expected, strict=True):
        assert fragment in problem


def test_token_hash_is_the_hex_sha256_of_the_token():
    assert token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


# --- logging in --------------------------------------------------------------------------------


def test_the_right_email_and_password_log_in_and_the_login_is_audited(db, audit, people):
    partner = people["partner"]
    assert login(db, f"  Partner.{people['tag']}@Council.EXAMPLE.org ") == partner.id
    assert fresh(db, partner.id).last_login_at == NOW
    [event] = audit("login")
    assert (event.actor_id, event.object_type, event.object_id) == (
        partner.id,
        "person",
        partner.id,
    )


def test_the_default_policy_locks_after_five_failures_for_fifteen_minutes():
    assert (POLICY.attempts, POLICY.lockout) == (5, timedelta(minutes=15))


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one_until_it_expires(
    db, audit, people
):
    partner = people["partner"]
    for attempt in range(1, 5):
        assert login(db, partner.email, "wrong password", at=later(minutes=attempt)) is None
        assert fresh(db, partner.id).locked_until is None
    assert login(db, partner.email, "wrong password", at=later(minutes=5)) is None
    assert fresh(db, partner.id).locked_until == later(minutes=20)

    assert login(db, partner.email, at=later(minutes=19, seconds=59)) is None
    assert login(db, partner.email, at=later(minutes=20)) == partner.id
    assert fresh(db, partner.id).failed_logins == 0

    failed = audit("login.failed")
    assert [e.detail for e in failed] == [
        {"reason": "wrong password", "count": count} for count in range(1, 6)
    ]
    assert all(e.actor_id == partner.id for e in failed)
    [locked] = audit("account.locked")
    assert locked.detail == {"until": later(minutes=20).isoformat()}
    [refused] = audit("login.refused")
    assert (refused.actor_id, refused.detail) == (partner.id, {"reason": "locked"})


def test_a_successful_login_starts_the_count_of_failures_again(db, people):
    partner = people["partner"]
    three = LoginPolicy(attempts=3)
    for _ in range(2):
        login(db, partner.email, "wrong password", policy=three)
    assert login(db, partner.email, policy=three) == partner.id
    for _ in range(2):
        login(db, partner.email, "wrong password", policy=three)
    assert fresh(db, partner.id).locked_until is None
    assert fresh(db, partner.id).failed_logins == 2


def test_a_stricter_policy_locks_sooner_and_longer(db, people):
    partner = people["partner"]
    policy = LoginPolicy(attempts=2, lockout=timedelta(hours=1))
    for _ in range(2):
        login(db, partner.email, "wrong", policy=policy)
    assert fresh(db, partner.id).locked_until == later(hours=1)


def test_an_unknown_email_is_refused_and_audited_with_the_address_tried(db, audit, people):
    assert login(db, f" Nobody.{people['tag']}@Example.org ") is None
    [event] = audit("login.failed")
    assert event.actor_id is None
    assert event.actor_label == f"nobody.{people['tag']}@example.org"
    assert event.detail == {"reason": "unknown email"}


def test_a_huge_typed_email_is_cut_to_an_address_length_before_lookup_and_audit(db, audit, people):
    typed = "  " + "A" * 8_000_000 + "@example.org"
    assert login(db, typed) is None
    [event] = audit("login.failed")
    assert event.actor_label == "a" * MAX_EMAIL_LENGTH
    assert login(db, people["partner"].email.upper() + "   ") == people["partner"].id


def test_a_password_longer_than_the_form_takes_is_refused_when_set():
    assert password_problems("x" * 1_025, "x" * 1_025) == [
        "the password must have at most 1,024 characters"
    ]
    assert password_problems("x" * 1_024, "x" * 1_024) == []


def test_an_inactive_account_cannot_log_in_even_with_the_right_password(db, audit, people):
    partner = people["partner"]
    with session_scope(db) as session:
        session.get(User, partner.id).active = False
    assert login(db, partner.email) is None
    [event] = audit("login.failed")
    assert (event.actor_id, event.detail["reason"]) == (partner.id, "inactive account")


def test_an_invited_person_without_a_password_cannot_log_in(db, invited):
    person, _ = invited
    assert login(db, person.email, "") is None
    assert login(db, person.email, PASSWORD) is None


def test_every_failed_login_gives_the_caller_nothing_but_none_to_show_one_message(db, people):
    partner, officer = people["partner"], people["officer"]
    with session_scope(db) as session:
        session.get(User, officer.id).active = False
        session.get(User, partner.id).locked_until = later(hours=1)
    outcomes = {
        "unknown": login(db, "nobody@example.org"),
        "wrong password": login(db, officer.email.upper(), "wrong"),
        "inactive": login(db, officer.email),
        "locked": login(db, partner.email),
    }
    assert set(outcomes.values()) == {None}
    # The one message a page shows names no reason that would tell an attacker which it was.
    for giveaway in ("unknown", "inactive", "deactivated", "wrong password", "no account"):
        assert giveaway not in LOGIN_FAILED_MESSAGE


# --- the first officer -------------------------------------------------------------------------


def test_the_first_officer_is_an_admin_created_only_on_an_empty_database(engine):
    with session_scope(engine) as session:
        assert needs_first_run(session)
        officer = create_first_officer(
            session,
            email=" Aoife@SMP.example.org",
            name=" Aoife Byrne ",
            password=NEW_PASSWORD,
            confirm=NEW_PASSWORD,
        )
    with read_scope(engine) as session:
        assert not needs_first_run(session)
        stored = session.get(User, officer.id)
        assert (stored.email, stored.name, stored.role) == (
            "aoife@smp.example.org",
            "Aoife Byrne",
            "officer",
        )
        assert stored.is_admin and stored.active
        assert verify_password(stored.password_hash, NEW_PASSWORD)
    [event] = events(engine, "account.first_officer")
    assert (event.actor_id, event.object_id) == (officer.id, officer.id)

    with (
        pytest.raises(
            WorkbenchError, match=re.escape("The first officer account exists already. Log in")
        ),
        session_scope(engine) as session,
    ):
        create_first_officer(
            session,
            email="second@smp.example.org",
            name="Second",
            password=NEW_PASSWORD,
            confirm=NEW_PASSWORD,
        )


def test_no_first_officer_can_be_made_once_anyone_has_an_account(engine):
    with session_scope(engine) as session:
        add_person(session, "board")
    with pytest.raises(WorkbenchError, match="exists already"), session_scope(engine) as session:
        create_first_officer(
            session, email="a@b.example", name="A", password=NEW_PASSWORD, confirm=NEW_PASSWORD
        )


def test_people_pressing_create_first_officer_at_once_make_only_one(engine):
    start = threading.Barrier(3)
    outcomes: list[str] = []

    def first_run(number: int) -> None:
        start.wait()
        try:
            with session_scope(engine) as session:
                create_first_officer(
                    session,
                    email=f"officer{number}@smp.example.org",
                    name=f"Officer {number}",
                    password=NEW_PASSWORD,
                    confirm=NEW_PASSWORD,
                )
            outcomes.append("created")
        except WorkbenchError as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=first_run, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refusal = "The first officer account exists already. Log in instead."
    assert sorted(outcomes) == [refusal, refusal, "created"]
    with read_scope(engine) as session:
        assert len(session.scalars(select(User)).all()) == 1


def test_the_first_officer_form_reports_every_problem_at_once(engine):
    with pytest.raises(ValidationFailed) as caught, session_scope(engine) as session:
        create_first_officer(session, email="aoife@", name=" ", password="short", confirm="other")
    assert [str(p) for p in caught.value.problems] == [
        "the email address is not complete (like name@council.gov.uk)",
        "the name is empty",
        "the password must have at least 12 characters",
        "the two passwords are not the same",
    ]
    assert str(caught.value).startswith("The form has 4 problems: ")
    assert str(caught.value).endswith("Nothing was saved.")
    with read_scope(engine) as session:
        assert needs_first_run(session)


# --- invites -----------------------------------------------------------------------------------


def test_an_invite_creates_a_person_without_a_password_and_keeps_only_the_links_hash(
    db, audit, people, invited
):
    person, token = invited
    with read_scope(db) as session:
        stored = session.get(User, person.id)
        assert (stored.email, stored.name, stored.role) == (
            f"new.partner.{people['tag']}@council.example.org",
            "Niamh Partner",
            "partner",
        )
        assert stored.password_hash is None
        invite = session.scalars(select(Invite).where(Invite.user_id == person.id)).one()
        assert invite.token_hash == token_hash(token) != token
        assert (invite.created_by_id, invite.expires_at) == (people["officer"].id, NOW + WEEK)
    [event] = audit("person.invited")
    assert (event.actor_id, event.object_id) == (people["officer"].id, person.id)
    assert event.detail == {"email": stored.email, "role": "partner", "chair": False}


def test_accepting_an_invite_sets_the_password_and_the_link_works_only_once(db, audit, invited):
    person, token = invited
    with session_scope(db) as session:
        accept_invite(
            session, token=token, password=NEW_PASSWORD, confirm=NEW_PASSWORD, now=later(days=1)
        )
    assert verify_password(fresh(db, person.id).password_hash, NEW_PASSWORD)
    [event] = audit("invite.accepted")
    assert (event.actor_id, event.object_id, event.at) == (person.id, person.id, later(days=1))

    with (
        pytest.raises(
            InviteInvalid, match=re.escape("This link has been used already. Log in with the")
        ),
        session_scope(db) as session,
    ):
        accept_invite(
            session,
            token=token,
            password="another passphrase",
            confirm="another passphrase",
            now=later(days=2),
        )
    assert verify_password(fresh(db, person.id).password_hash, NEW_PASSWORD)


def test_an_invite_with_a_bad_password_is_refused_and_the_link_still_works(db, invited):
    _, token = invited
    with (
        pytest.raises(ValidationFailed, match="The new password has 1 problem: the password must"),
        session_scope(db) as session,
    ):
        accept_invite(session, token=token, password="short", confirm="short", now=NOW)
    with read_scope(db) as session:
        assert open_invite(session, token, now=NOW).used_at is None


@pytest.mark.parametrize(
    ("when", "good"),
    [(timedelta(0), True), (WEEK - timedelta(seconds=1), True), (WEEK, False), (WEEK * 2, False)],
    ids=["at once", "a second before expiry", "at expiry", "long after"],
)
def test_an_invite_link_expires_after_its_validity(db, invited, when, good):
    _, token = invited
    with read_scope(db) as session:
        if good:
            assert open_invite(session, token, now=NOW + when).used_at is None
        else:
            with pytest.raises(
                InviteInvalid, match=re.escape("This link has expired. Ask your policy")
            ):
                open_invite(session, token, now=NOW + when)


def test_an_unknown_link_is_refused(db, invited):
    with (
        read_scope(db) as session,
        pytest.raises(InviteInvalid, match="This link is not valid"),
    ):
        open_invite(session, "made-up-token", now=NOW)


def test_an_invite_to_a_deactivated_account_is_refused(db, people, invited):
    person, token = invited
    with session_scope(db) as session:
        set_active(
            session, session.get(User, people["officer"].id), person.id, active=False, now=NOW
        )
    with read_scope(db) as session, pytest.raises(InviteInvalid, match="has been closed"):
        open_invite(session, token, now=NOW)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"email": "not an email"}, "the email address is not complete (like name@council.gov.uk)"),
        ({"name": "  "}, "the name is empty"),
        ({"role": "admin"}, "'admin' is not a role (choose partner, officer or board)"),
        ({"organisation_id": None}, "a partner must belong to an organisation"),
        ({"organisation_id": MISSING}, "the organisation does not exist"),
        (
            {"email": "PARTNER.{tag}@council.example.org"},
            "partner.{tag}@council.example.org has an account already (reset their access instead)",
        ),
    ],
)
def test_an_invitation_with_a_problem_is_refused_and_names_it(db, people, changes, expected):
    values = {
        "email": "someone@council.example.org",
        "name": "Someone",
        "role": "partner",
        "organisation_id": people["organisation"].id,
    } | changes
    values["email"] = values["email"].format(tag=people["tag"])
    expected = expected.format(tag=people["tag"])
    with read_scope(db) as session:
        invites_before = session.scalar(select(func.count()).select_from(Invite))
    with (
        pytest.raises(
            ValidationFailed, match=re.escape(f"The invitation has 1 problem: {expected}.")
        ),
        session_scope(db) as session,
    ):
        invite_person(
            session,
            session.get(User, people["officer"].id),
            **values,
            now=NOW,
            valid_for=WEEK,
        )
    with read_scope(db) as session:
        assert session.scalar(select(func.count()).select_from(Invite)) == invites_before


def test_an_invitation_lists_every_problem_at_once(db, people):
    with (
        pytest.raises(ValidationFailed, match="The invitation has 4 problems") as caught,
        session_scope(db) as session,
    ):
        invite_person(
            session,
            session.get(User, people["officer"].id),
            email="x",
            name="",
            role="admin",
            organisation_id=MISSING,
            now=NOW,
            valid_for=WEEK,
        )
    assert [str(p) for p in caught.value.problems] == [
        "the email address is not complete (like name@council.gov.uk)",
        "the name is empty",
        "'admin' is not a role (choose partner, officer or board)",
        "the organisation does not exist",
    ]


@pytest.mark.parametrize(("role", "chair"), [("board", True), ("officer", False)])
def test_only_a_board_member_can_be_invited_as_chair(db, people, role, chair):
    with session_scope(db) as session:
        person, _ = invite_person(
            session,
            session.get(User, people["admin"].id),
            email=f"{role}.{people['tag']}@example.org",
            name="Chair?",
            role=role,
            organisation_id=None,
            is_chair=True,
            now=NOW,
            valid_for=WEEK,
        )
    assert fresh(db, person.id).is_chair is chair


# --- resetting access and deactivating ---------------------------------------------------------


def test_reset_access_clears_the_password_ends_logins_and_replaces_older_links(
    db, audit, people, invited
):
    officer = people["officer"]
    person, old_token = invited
    with session_scope(db) as session:
        accept_invite(
            session, token=old_token, password=NEW_PASSWORD, confirm=NEW_PASSWORD, now=NOW
        )
        stored = session.get(User, person.id)
        stored.failed_logins, stored.locked_until = 3, later(minutes=10)
        login_token = start_login_session(session, stored, now=NOW)
        new_token = reset_access(
            session, session.get(User, officer.id), person.id, now=later(hours=1), valid_for=WEEK
        )
    stored = fresh(db, person.id)
    assert (stored.password_hash, stored.failed_logins, stored.locked_until) == (None, 0, None)
    with session_scope(db) as session:
        assert resume_login_session(session, login_token, now=later(hours=2), idle=IDLE) is None
        with pytest.raises(InviteInvalid, match="used already"):
            open_invite(session, old_token, now=later(hours=2))
        assert open_invite(session, new_token, now=later(hours=2)).user_id == person.id
    [event] = audit("person.access_reset")
    assert (event.actor_id, event.object_id) == (officer.id, person.id)


def test_a_link_replaced_by_a_newer_one_is_refused_and_the_newer_one_works(db, people, invited):
    person, old_token = invited
    with session_scope(db) as session:
        new_token = reset_access(
            session, session.get(User, people["officer"].id), person.id, now=NOW, valid_for=WEEK
        )
    with (
        pytest.raises(InviteInvalid, match="it may have been replaced by a newer one"),
        session_scope(db) as session,
    ):
        accept_invite(
            session, token=old_token, password=NEW_PASSWORD, confirm=NEW_PASSWORD, now=NOW
        )
    with session_scope(db) as session:
        accept_invite(
            session, token=new_token, password=NEW_PASSWORD, confirm=NEW_PASSWORD, now=NOW
        )
    assert verify_password(fresh(db, person.id).password_hash, NEW_PASSWORD)


def test_deactivating_a_person_ends_their_logins_and_reactivating_lets_them_back(db, audit, people):
    officer, partner = people["officer"], people["partner"]
    with session_scope(db) as session:
        token = start_login_session(session, session.get(User, partner.id), now=NOW)
        set_active(session, session.get(User, officer.id), partner.id, active=False, now=NOW)
    with session_scope(db) as session:
        assert resume_login_session(session, token, now=later(minutes=1), idle=IDLE) is None
    assert login(db, partner.email) is None
    with session_scope(db) as session:
        set_active(
            session, session.get(User, officer.id), partner.id, active=True, now=later(hours=1)
        )
    assert login(db, partner.email, at=later(hours=2)) == partner.id
    with session_scope(db) as session:
        # The old login stays ended: reactivation does not bring back a closed session.
        assert resume_login_session(session, token, now=later(hours=2), idle=IDLE) is None
    [off] = audit("person.deactivated")
    [on] = audit("person.activated")
    assert (off.actor_id, off.object_id, on.actor_id, on.object_id) == (
        officer.id,
        partner.id,
        officer.id,
        partner.id,
    )


def test_an_officer_cannot_deactivate_their_own_account(db, audit, people):
    officer = people["admin"]  # only an administrator deactivates officers at all
    with (
        pytest.raises(
            WorkbenchError, match=re.escape("You cannot deactivate your own account. Ask another")
        ),
        session_scope(db) as session,
    ):
        set_active(session, session.get(User, officer.id), officer.id, active=False, now=NOW)
    assert fresh(db, officer.id).active
    assert audit("person.deactivated") == []


def test_resetting_or_deactivating_someone_who_does_not_exist_says_so(db, people):
    with session_scope(db) as session:
        officer = session.get(User, people["officer"].id)
        with pytest.raises(
            WorkbenchError, match=re.escape("That person does not exist. Reload the page")
        ):
            reset_access(session, officer, MISSING, now=NOW, valid_for=WEEK)
        with pytest.raises(WorkbenchError, match="That person does not exist"):
            set_active(session, officer, MISSING, active=False, now=NOW)


# --- login sessions ----------------------------------------------------------------------------


def test_a_login_session_resumes_after_a_refresh_and_keeps_only_the_tokens_hash(db, people):
    partner = people["partner"]
    with session_scope(db) as session:
        token = start_login_session(session, session.get(User, partner.id), now=NOW)
    with session_scope(db) as session:
        assert resume_login_session(session, token, now=later(hours=1), idle=IDLE).id == partner.id
        stored = session.scalars(
            select(LoginSession).where(LoginSession.user_id == partner.id)
        ).one()
        assert stored.token_hash == token_hash(token) != token
        assert stored.last_seen_at == later(hours=1)


def test_a_login_session_is_touched_at_most_once_a_minute(db, people):
    with session_scope(db) as session:
        token = start_login_session(session, session.get(User, people["partner"].id), now=NOW)
    with session_scope(db) as session:
        resume_login_session(session, token, now=later(seconds=59), idle=IDLE)
        stored = session.scalars(
            select(LoginSession).where(LoginSession.token_hash == token_hash(token))
        ).one()
        assert stored.last_seen_at == NOW


@pytest.mark.parametrize(
    ("idle_for", "alive"),
    [(timedelta(hours=7, minutes=59), True), (IDLE, False), (timedelta(days=3), False)],
    ids=["just inside", "at the limit", "days later"],
)
def test_a_login_session_expires_after_eight_idle_hours(db, people, idle_for, alive):
    with session_scope(db) as session:
        token = start_login_session(session, session.get(User, people["partner"].id), now=NOW)
    with session_scope(db) as session:
        resumed = resume_login_session(session, token, now=NOW + idle_for, idle=IDLE)
    assert (resumed is not None) is alive
    with session_scope(db) as session:
        # Once expired it stays ended, even if asked again within the idle time of its last use.
        again = resume_login_session(session, token, now=NOW + idle_for, idle=IDLE)
        assert (again is not None) is alive


def test_activity_keeps_a_login_session_alive_past_eight_hours_from_its_start(db, people):
    with session_scope(db) as session:
        token = start_login_session(session, session.get(User, people["partner"].id), now=NOW)
    for hours in (6, 12, 18):
        with session_scope(db) as session:
            assert resume_login_session(session, token, now=later(hours=hours), idle=IDLE)


@pytest.mark.parametrize(
    ("after", "alive"),
    [(timedelta(hours=23, minutes=59), True), (timedelta(hours=24), False)],
    ids=["just inside", "at the limit"],
)
def test_a_login_ends_at_its_absolute_lifetime_however_active_it_was(db, people, after, alive):
    with session_scope(db) as session:
        token = start_login_session(session, session.get(User, people["partner"].id), now=NOW)
    # Active every few hours, so the idle limit never ends it.
    for hours in range(2, int(after.total_seconds() // 3600), 2):
        with session_scope(db) as session:
            assert resume_login_session(
                session, token, now=later(hours=hours), idle=IDLE, lifetime=timedelta(hours=24)
            )
    with session_scope(db) as session:
        resumed = resume_login_session(
            session, token, now=NOW + after, idle=IDLE, lifetime=timedelta(hours=24)
        )
    assert (resumed is not None) is alive


def test_a_shorter_lifetime_from_the_settings_ends_a_login_sooner(db, people):
    with session_scope(db) as session:
        token = start_login_session(session, session.get(User, people["partner"].id), now=NOW)
    with session_scope(db) as session:
        four = timedelta(hours=4)
        assert resume_login_session(session, token, now=later(hours=3), idle=IDLE, lifetime=four)
    with session_scope(db) as session:
        assert not resume_login_session(
            session, token, now=later(hours=4), idle=IDLE, lifetime=four
        )


def test_logging_out_ends_the_login_session_and_is_audited_once(db, audit, people):
    partner = people["partner"]
    with session_scope(db) as session:
        token = start_login_session(session, session.get(User, partner.id), now=NOW)
        other = start_login_session(session, session.get(User, partner.id), now=NOW)
    for _ in range(2):
        with session_scope(db) as session:
            end_login_session(session, token, now=later(minutes=5))
    with session_scope(db) as session:
        assert resume_login_session(session, token, now=later(minutes=6), idle=IDLE) is None
        # Logging out in one browser leaves the person's other logins alone.
        assert resume_login_session(session, other, now=later(minutes=6), idle=IDLE) is not None
    [event] = audit("logout")
    assert (event.actor_id, event.object_id, event.at) == (partner.id, partner.id, later(minutes=5))


def test_a_login_of_a_person_deactivated_meanwhile_is_ended_on_their_next_click(db, people):
    partner = people["partner"]
    with session_scope(db) as session:
        token = start_login_session(session, session.get(User, partner.id), now=NOW)
        session.get(User, partner.id).active = False
    with session_scope(db) as session:
        assert resume_login_session(session, token, now=later(minutes=1), idle=IDLE) is None
    with session_scope(db) as session:
        session.get(User, partner.id).active = True
    with session_scope(db) as session:
        assert resume_login_session(session, token, now=later(minutes=2), idle=IDLE) is None


def test_an_unknown_login_token_resumes_nobody(db, audit, people):
    with session_scope(db) as session:
        assert resume_login_session(session, "made-up", now=NOW, idle=IDLE) is None
        end_login_session(session, "made-up", now=NOW)
    assert audit("logout") == []


# --- the signed cookie -------------------------------------------------------------------------


def test_a_signed_cookie_gives_back_its_database_and_token():
    value = sign_cookie(SECRET, database="demo", token="the-token")
    assert "the-token" not in value
    assert read_cookie(SECRET, value) == ("demo", "the-token")


def test_a_cookie_signed_without_a_database_means_the_main_one():
    value = URLSafeSerializer(SECRET, salt="workbench-login").dumps({"t": "the-token"})
    assert read_cookie(SECRET, value) == ("main", "the-token")


def _swap_payload(value: str) -> str:
    """Keep the signature of ``value`` but carry someone else's token in its payload."""
    forged = sign_cookie(SECRET, database="main", token="someone-elses-token")
    return forged.split(".")[0] + "." + value.split(".")[1]


def _tamper_signature(value: str) -> str:
    payload, signature = value.split(".")
    middle = len(signature) // 2
    swapped = "A" if signature[middle] != "A" else "B"
    return f"{payload}.{signature[:middle]}{swapped}{signature[middle + 1 :]}"


@pytest.mark.parametrize(
    "forge",
    [
        lambda value: None,
        lambda value: "",
        lambda value: "garbage",
        lambda value: "a.b.c",
        lambda value: value + "x",
        _swap_payload,
        _tamper_signature,
        lambda value: sign_cookie("another key", database="main", token="the-token"),
        lambda value: (
            __import__("itsdangerous")
            .URLSafeSerializer(SECRET)
            .dumps({"db": "main", "t": "the-token"})
        ),
        lambda value: (
            __import__("itsdangerous")
            .URLSafeSerializer(SECRET, salt="workbench-login")
            .dumps(["main", "the-token"])
        ),
        lambda value: (
            __import__("itsdangerous")
            .URLSafeSerializer(SECRET, salt="workbench-login")
            .dumps({"db": "main", "t": 42})
        ),
    ],
    ids=[
        "missing",
        "empty",
        "garbage",
        "three parts",
        "extra character",
        "payload swapped",
        "signature changed",
        "another key",
        "another salt",
        "signed list",
        "token not text",
    ],
)
def test_a_forged_or_tampered_cookie_gives_nobody(forge):
    value = sign_cookie(SECRET, database="main", token="the-token")
    assert read_cookie(SECRET, forge(value)) is None
