"""Self-service password reset: a person who forgot their password asks on the login page, and
gets an email with a single-use link that works for a short while.

Asking tells nobody whether the address has an account: the page gives the same answer, and
both cases do the same work (the same lookups, the same rows written: a reset row, an outbox
row and the audit events; for an address with no account the outbox row is "withheld" and the
reset row belongs to nobody). Asking changes nothing until the link is used, so nobody can lock
a person out by asking for them; and an address gets at most a few such emails an hour.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from consultations.accounts import (
    end_all_login_sessions,
    hash_password,
    normalise_email,
    password_problems,
    token_hash,
)
from consultations.audit import record_event
from consultations.errors import InviteInvalid, ValidationFailed, WorkbenchError
from consultations.mail.config import Postbox
from consultations.mail.letters import Recipient, password_reset_letter
from consultations.mail.outbox import post, withhold
from consultations.models import PasswordReset, User

RESET_PAGE = "reset_password"
MAX_ADDRESS = 254
MAX_PER_HOUR = 3
ASKED_ANSWER = (
    "If that address belongs to an account, an email with a link to choose a new password is "
    "on its way. The link works once, for {minutes} minutes. If nothing arrives within a few "
    "minutes, check your spam folder, or ask your policy officer."
)
INVALID_LINK = (
    "This link is not valid: it may have been used already, replaced by a newer one, or have "
    "expired. Ask for a new one with 'Forgotten your password?' on the login page."
)


def ask_for_password_reset(
    session: Session, postbox: Postbox | None, email: str, *, now: datetime, valid_for: timedelta
) -> str:
    """Email a single-use reset link to the address if it has an active account; return the
    answer to show, which is the same either way."""
    if postbox is None:
        raise WorkbenchError(
            "The workbench cannot send email, so it cannot send you a link. Ask your policy "
            "officer to reset your access."
        )
    address = normalise_email(email)[:MAX_ADDRESS]
    person = session.scalar(select(User).where(User.email == address).with_for_update())
    recent = session.scalar(
        select(func.count())
        .select_from(PasswordReset)
        .where(
            PasswordReset.address == address, PasswordReset.created_at > now - timedelta(hours=1)
        )
    )
    token = secrets.token_urlsafe(32)
    letter = password_reset_letter(
        Recipient(address, person.name if person else address, person.id if person else None),
        partnership=postbox.partnership,
        link=postbox.link(RESET_PAGE, token=token),
        expires_at=now + valid_for,
    )
    sends = person is not None and person.active and recent < MAX_PER_HOUR
    session.add(
        PasswordReset(
            person_id=person.id if sends else None,
            address=address,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + valid_for,
        )
    )
    if sends:
        post(session, postbox, letter, now=now, actor=person)
    else:
        why = "too many asked for in an hour" if person and person.active else "no active account"
        withhold(session, postbox, letter, now=now, reason=f"Not sent: {why}.")
    record_event(
        session,
        actor=person,
        actor_label=address,
        action="password_reset.asked",
        object_type="person",
        object_id=person.id if person else None,
        detail={"sent": sends},
        now=now,
    )
    session.flush()
    return ASKED_ANSWER.format(minutes=int(valid_for.total_seconds() // 60))


def open_password_reset(session: Session, token: str, *, now: datetime) -> PasswordReset:
    """Return the reset a link carries, if it can still be used; refuse it otherwise."""
    reset = session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == token_hash(token))
    )
    if (
        reset is None
        or reset.person_id is None
        or reset.used_at is not None
        or reset.expires_at <= now
    ):
        raise InviteInvalid(INVALID_LINK)
    person = session.get(User, reset.person_id)
    if person is None or not person.active:
        raise InviteInvalid("This account has been closed. Ask your policy officer.")
    return reset


def reset_password(
    session: Session, *, token: str, password: str, confirm: str, now: datetime
) -> User:
    """Set a new password from a reset link, which then cannot be used again; end the person's
    other logins and make their other reset links useless."""
    reset = open_password_reset(session, token, now=now)
    problems = password_problems(password, confirm)
    if problems:
        raise ValidationFailed(problems, subject="The new password")
    used = session.execute(
        update(PasswordReset)
        .where(PasswordReset.person_id == reset.person_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    if used.rowcount < 1:
        raise InviteInvalid(INVALID_LINK)
    person = session.get(User, reset.person_id, with_for_update=True)
    person.password_hash = hash_password(password)
    person.failed_logins = 0
    person.locked_until = None
    end_all_login_sessions(session, person, now=now)
    record_event(
        session,
        actor=person,
        action="password_reset.used",
        object_type="person",
        object_id=person.id,
        now=now,
    )
    return person
