"""Accounts: the first officer, logins with lock-out, invites, access resets, login sessions.

Passwords are hashed with argon2. Invite and login-session tokens are random; only their
SHA-256 is stored, so a copy of the database does not let anyone in.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.audit import record_event
from consultations.db import hold_lock
from consultations.errors import AccessDenied, InviteInvalid, ValidationFailed, WorkbenchError
from consultations.mail.config import Postbox
from consultations.mail.notices import mail_board_change
from consultations.models import ROLES, Invite, LoginSession, Meta, Organisation, Role, User
from consultations.notifications import notify

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1_024
# The longest an email address can be (RFC 5321); a login form's field takes no more, and a
# failed login looks up and audits no more of what was typed.
MAX_EMAIL_LENGTH = 254
# How long a login lasts from the moment it started, however active (WORKBENCH_SESSION_MAX_HOURS).
DEFAULT_LIFETIME = timedelta(hours=24)
_hasher = PasswordHasher()
# Verifying against this keeps the time of a login for an unknown email like a known one.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

LOGIN_FAILED_MESSAGE = (
    "That email and password do not match an active account, or the account is locked for a "
    "while after too many attempts. Check them and try again, or ask your policy officer for a "
    "new link."
)


def hash_password(password: str) -> str:
    """Hash a password with argon2."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Say whether the password matches the hash (always False without a hash)."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    """Return the SHA-256 of a token, which is what the database keeps."""
    return hashlib.sha256(token.encode()).hexdigest()


def password_problems(password: str, confirm: str) -> list[str]:
    """List what is wrong with a new password (empty when it is fine)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"the password must have at most {MAX_PASSWORD_LENGTH:,} characters")
    if password != confirm:
        problems.append("the two passwords are not the same")
    return problems


def normalise_email(email: str) -> str:
    """Return the email trimmed and in lower case, as it is stored."""
    return email.strip().lower()


def person_problems(email: str, name: str) -> list[str]:
    """List what is wrong with a person's email and name."""
    problems = []
    if not _EMAIL.match(normalise_email(email)):
        problems.append("the email address is not complete (like name@council.gov.uk)")
    if not name.strip():
        problems.append("the name is empty")
    return problems


def needs_first_run(session: Session) -> bool:
    """Say whether the database has no accounts yet."""
    return not session.scalar(select(func.count()).select_from(User))


def create_first_officer(
    session: Session, *, email: str, name: str, password: str, confirm: str
) -> User:
    """Create the first account: an officer with the admin flag. Only on an empty database."""
    # Two people at the first-run page at once must not both become the first admin.
    hold_lock(session, "first officer")
    if not needs_first_run(session):
        raise WorkbenchError("The first officer account exists already. Log in instead.")
    problems = person_problems(email, name) + password_problems(password, confirm)
    if problems:
        raise ValidationFailed(problems, subject="The form")
    officer = User(
        email=normalise_email(email),
        name=name.strip(),
        role="officer",
        is_admin=True,
        password_hash=hash_password(password),
    )
    session.add(officer)
    session.flush()
    record_event(
        session,
        actor=officer,
        action="account.first_officer",
        object_type="person",
        object_id=officer.id,
    )
    return officer


@dataclass(frozen=True)
class LoginPolicy:
    """How many failed logins lock an account, and for how long."""

    attempts: int = 5
    lockout: timedelta = timedelta(minutes=15)


def attempt_login(
    session: Session, *, email: str, password: str, now: datetime, policy: LoginPolicy
) -> User | None:
    """Return the person if the email and password are right and the account may log in.

    Failures return None rather than raising, so that the caller commits the failure count
    and the audit event; the caller shows ``LOGIN_FAILED_MESSAGE`` and nothing more specific.
    """
    # Whatever was typed (megabytes, from a script) is cut to what an address can be before it
    # is looked up or written to the audit log.
    address = normalise_email(email)[:MAX_EMAIL_LENGTH]
    user = session.scalar(select(User).where(User.email == address).with_for_update())
    if user is None:
        verify_password(None, password)
        record_event(
            session,
            actor=None,
            actor_label=address,
            action="login.failed",
            detail={"reason": "unknown email"},
            now=now,
        )
        return None
    if user.locked_until and user.locked_until > now:
        # The same work as a real check, so a locked account answers no faster than any other.
        verify_password(None, password)
        record_event(
            session,
            actor=user,
            action="login.refused",
            object_type="person",
            object_id=user.id,
            detail={"reason": "locked"},
            now=now,
        )
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        _count_failure(session, user, now=now, policy=policy)
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    record_event(
        session, actor=user, action="login", object_type="person", object_id=user.id, now=now
    )
    return user


def _count_failure(session: Session, user: User, *, now: datetime, policy: LoginPolicy) -> None:
    user.failed_logins += 1
    reason = "inactive account" if not user.active else "wrong password"
    record_event(
        session,
        actor=user,
        action="login.failed",
        object_type="person",
        object_id=user.id,
        detail={"reason": reason, "count": user.failed_logins},
        now=now,
    )
    if user.failed_logins >= policy.attempts:
        user.locked_until = now + policy.lockout
        user.failed_logins = 0
        record_event(
            session,
            actor=user,
            action="account.locked",
            object_type="person",
            object_id=user.id,
            detail={"until": user.locked_until.isoformat()},
            now=now,
        )


def invite_person(
    session: Session,
    actor: User,
    *,
    email: str,
    name: str,
    role: str,
    organisation_id: int | None,
    is_chair: bool = False,
    is_admin: bool = False,
    now: datetime,
    valid_for: timedelta,
    postbox: Postbox | None = None,
) -> tuple[User, str]:
    """Create a person without a password and an invite link for them; return both.

    A board account is announced to the chair (or the board): in the notifications, and by
    email when email is set up (``postbox``).

    Partners may be invited by any officer; officers and board members (the chair too) only by
    an administrator, and the chair (or, for a new chair, the board) is told. An administrator
    may make another officer an administrator, so that the partnership is never left without.
    """
    require(actor, "person.invite")
    if role in ADMIN_MANAGED:
        require_admin(actor, f"invite {ROLE_WORDS[Role(role)]}")
    problems = person_problems(email, name)
    if role not in ROLES:
        problems.append(f"'{role}' is not a role (choose partner, officer or board)")
    if is_chair and role == Role.BOARD:
        chair = session.scalar(select(User).where(User.is_chair, User.active, User.role == role))
        if chair is not None:
            problems.append(
                f"the board has a chair already ({chair.name}): invite this person as a member, "
                "or deactivate the chair's account first"
            )
    if role == "partner" and organisation_id is None:
        problems.append("a partner must belong to an organisation")
    if organisation_id is not None and session.get(Organisation, organisation_id) is None:
        problems.append("the organisation does not exist")
    address = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == address)):
        problems.append(f"{address} has an account already (reset their access instead)")
    if problems:
        raise ValidationFailed(problems, subject="The invitation")
    person = User(
        email=address,
        name=name.strip(),
        role=role,
        organisation_id=organisation_id,
        is_chair=is_chair and role == Role.BOARD,
        is_admin=is_admin and role == Role.OFFICER,
    )
    session.add(person)
    session.flush()
    token = _new_invite(session, actor, person, now=now, valid_for=valid_for)
    record_event(
        session,
        actor=actor,
        action="person.invited",
        object_type="person",
        object_id=person.id,
        detail={"email": address, "role": role, "chair": person.is_chair}
        | ({"admin": True} if person.is_admin else {}),
        now=now,
    )
    if person.role == Role.BOARD:
        what = "the board's chair" if person.is_chair else "a member of the board"
        _tell_the_board(
            session,
            actor,
            person,
            f"{actor.name} invited {person.name} ({address}) to join the workbench as {what}.",
            now=now,
            postbox=postbox,
        )
    return person, token


def _new_invite(
    session: Session, actor: User | None, person: User, *, now: datetime, valid_for: timedelta
) -> str:
    session.execute(
        update(Invite)
        .where(Invite.user_id == person.id, Invite.used_at.is_(None), Invite.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    token = secrets.token_urlsafe(32)
    session.add(
        Invite(
            user_id=person.id,
            token_hash=token_hash(token),
            created_by_id=actor.id if actor else None,
            created_at=now,
            expires_at=now + valid_for,
        )
    )
    session.flush()
    return token


def reset_access(
    session: Session,
    actor: User,
    person_id: int,
    *,
    now: datetime,
    valid_for: timedelta,
    postbox: Postbox | None = None,
) -> str:
    """Clear a person's password, end their logins and give them a new invite link.

    An officer's or a board member's access is reset only by an administrator: whoever resets
    it holds the new link, and with it the account.
    """
    require(actor, "person.manage")
    person = _person(session, person_id)
    if person.role in ADMIN_MANAGED:
        require_admin(actor, f"reset the access of {ROLE_WORDS[Role(person.role)]}")
    person.password_hash = None
    person.failed_logins = 0
    person.locked_until = None
    end_all_login_sessions(session, person, now=now)
    token = _new_invite(session, actor, person, now=now, valid_for=valid_for)
    record_event(
        session,
        actor=actor,
        action="person.access_reset",
        object_type="person",
        object_id=person.id,
        now=now,
    )
    if person.role == Role.BOARD:
        _tell_the_board(
            session,
            actor,
            person,
            f"{actor.name} reset the access of {_board_title(person)} {person.name}: their "
            "password no longer works, and they have a new link to set one.",
            now=now,
            postbox=postbox,
        )
    return token


def set_active(
    session: Session,
    actor: User,
    person_id: int,
    *,
    active: bool,
    now: datetime,
    postbox: Postbox | None = None,
) -> User:
    """Deactivate (ending their logins) or reactivate a person's account.

    Officers' and board members' accounts only by an administrator. A board member's decisions
    stay: their open request for changes keeps holding a draft back, marked as from a former
    member, until an officer marks it addressed (``exports.approval``).
    """
    require(actor, "person.manage")
    person = _person(session, person_id)
    if person.role in ADMIN_MANAGED:
        verb = "reactivate" if active else "deactivate"
        require_admin(actor, f"{verb} {ROLE_WORDS[Role(person.role)]}")
    if person.id == actor.id and not active:
        raise WorkbenchError("You cannot deactivate your own account. Ask another officer.")
    person.active = active
    if not active:
        end_all_login_sessions(session, person, now=now)
    record_event(
        session,
        actor=actor,
        action="person.activated" if active else "person.deactivated",
        object_type="person",
        object_id=person.id,
        now=now,
    )
    if person.role == Role.BOARD and active:
        _tell_the_board(
            session,
            actor,
            person,
            f"{actor.name} reactivated the account of {_board_title(person)} {person.name}.",
            now=now,
            postbox=postbox,
        )
    elif person.role == Role.BOARD:
        _tell_the_board(
            session,
            actor,
            person,
            f"{actor.name} deactivated the account of {_board_title(person)} {person.name}. "
            "Their decisions stay on record; a request for changes they made still holds the "
            "draft back, marked as from a former member, until an officer marks it addressed.",
            now=now,
            postbox=postbox,
        )
    return person


# --- accounts only an administrator manages ---------------------------------------------------

# Whoever creates or resets an account holds its login link, and with it the account: an officer
# who could do so for the board could make their own chair and approve alone (ARCHITECTURE.md,
# "Who does what"); for another officer, or the administrator, take over their account.
ADMIN_MANAGED = frozenset({Role.OFFICER, Role.BOARD})
ROLE_WORDS = {
    Role.PARTNER: "a partner",
    Role.OFFICER: "an officer",
    Role.BOARD: "a board member",
}


def require_admin(actor: User, what: str) -> User:
    """Return the person if they are an administrator; refuse otherwise, saying what and why."""
    if actor.is_admin and actor.active and actor.role == Role.OFFICER:
        return actor
    raise AccessDenied(
        f"Only an administrator can {what}: whoever makes or resets such an account holds its "
        "login link. Ask your partnership's administrator (an officer with the admin flag). "
        "This attempt has been recorded."
    )


def _board_title(person: User) -> str:
    return "the board's chair" if person.is_chair else "board member"


def _tell_the_board(
    session: Session,
    actor: User,
    subject: User,
    message: str,
    *,
    now: datetime,
    postbox: Postbox | None = None,
) -> None:
    """Tell the chair of a change to a board account; the rest of the board if the chair is
    the subject (or there is no chair). The subject is not told of their own change."""
    board = session.scalars(
        select(User)
        .where(User.role == Role.BOARD, User.active, User.id != subject.id)
        .order_by(User.name)
    ).all()
    chairs = [member for member in board if member.is_chair]
    told = board if subject.is_chair or not chairs else chairs
    told = [p for p in told if p.id != actor.id]
    notify(session, told, "account", message, now=now)
    mail_board_change(session, postbox, told, subject, message, actor=actor, now=now)


def _person(session: Session, person_id: int) -> User:
    person = session.get(User, person_id, with_for_update=True)
    if person is None:
        raise WorkbenchError("That person does not exist. Reload the page and try again.")
    return person


def open_invite(session: Session, token: str, *, now: datetime) -> Invite:
    """Return the invite a link carries, if it is still good to use."""
    invite = session.scalar(select(Invite).where(Invite.token_hash == token_hash(token)))
    if invite is None or invite.revoked_at is not None:
        raise InviteInvalid(
            "This link is not valid: it may have been replaced by a newer one. "
            "Ask your policy officer to send you a new link."
        )
    if invite.used_at is not None:
        raise InviteInvalid(
            "This link has been used already. Log in with the password you set, or ask your "
            "policy officer for a new link if you have forgotten it."
        )
    if invite.expires_at <= now:
        raise InviteInvalid(
            "This link has expired. Ask your policy officer to send you a new link."
        )
    if not invite.user.active:
        raise InviteInvalid("This account has been closed. Ask your policy officer.")
    return invite


def accept_invite(
    session: Session, *, token: str, password: str, confirm: str, now: datetime
) -> User:
    """Set the person's password from their invite link, which then cannot be used again."""
    invite = open_invite(session, token, now=now)
    problems = password_problems(password, confirm)
    if problems:
        raise ValidationFailed(problems, subject="The new password")
    used = session.execute(
        update(Invite).where(Invite.id == invite.id, Invite.used_at.is_(None)).values(used_at=now)
    )
    if used.rowcount != 1:
        raise InviteInvalid("This link has been used already. Log in with your password.")
    person = invite.user
    person.password_hash = hash_password(password)
    person.failed_logins = 0
    person.locked_until = None
    record_event(
        session,
        actor=person,
        action="invite.accepted",
        object_type="person",
        object_id=person.id,
        now=now,
    )
    return person


def start_login_session(session: Session, user: User, *, now: datetime) -> str:
    """Record a new login and return its token (the cookie carries it, signed)."""
    token = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            user_id=user.id, token_hash=token_hash(token), created_at=now, last_seen_at=now
        )
    )
    session.flush()
    return token


def resume_login_session(
    session: Session,
    token: str,
    *,
    now: datetime,
    idle: timedelta,
    lifetime: timedelta = DEFAULT_LIFETIME,
) -> User | None:
    """Return the person of a still-valid login token, and note that they were seen.

    A login ends after ``idle`` without activity, and ``lifetime`` after it started however
    active it was, so a stolen cookie does not work for ever.
    """
    login = session.scalar(select(LoginSession).where(LoginSession.token_hash == token_hash(token)))
    if login is None or login.ended_at is not None:
        return None
    expired = login.last_seen_at + idle <= now or login.created_at + lifetime <= now
    if expired or not login.user.active:
        login.ended_at = now
        return None
    # Touching the row on every rerun would make every click a write; once a minute is enough.
    if now - login.last_seen_at > timedelta(minutes=1):
        login.last_seen_at = now
    return login.user


def end_login_session(session: Session, token: str, *, now: datetime) -> None:
    """End the login that the token belongs to (logout)."""
    login = session.scalar(select(LoginSession).where(LoginSession.token_hash == token_hash(token)))
    if login is not None and login.ended_at is None:
        login.ended_at = now
        record_event(
            session,
            actor=login.user,
            action="logout",
            object_type="person",
            object_id=login.user_id,
            now=now,
        )


def end_all_login_sessions(session: Session, user: User, *, now: datetime) -> None:
    """End every open login of a person."""
    session.execute(
        update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .values(ended_at=now)
    )


SECRET_KEY_META = "login_secret_key"


def stored_secret_key(session: Session) -> str:
    """Return the login cookie's key kept in the database, making it on first use.

    Used when WORKBENCH_SECRET_KEY is not set on PostgreSQL: replicas on several machines each
    have a data folder of their own, but they share the database, so they share this key and a
    login cookie made by one is good on every other.
    """
    hold_lock(session, SECRET_KEY_META)
    kept = session.get(Meta, SECRET_KEY_META)
    if kept is None:
        kept = Meta(key=SECRET_KEY_META, value=secrets.token_urlsafe(48))
        session.add(kept)
        session.flush()
    return kept.value


def sign_cookie(secret_key: str, *, database: str, token: str) -> str:
    """Return the cookie value for a login: which database, and the token, signed."""
    return URLSafeSerializer(secret_key, salt="workbench-login").dumps({"db": database, "t": token})


def read_cookie(secret_key: str, value: str | None) -> tuple[str, str] | None:
    """Return (database, token) from a cookie value, or None if it is missing or forged."""
    if not value:
        return None
    try:
        loaded = URLSafeSerializer(secret_key, salt="workbench-login").loads(value)
    except BadSignature:
        return None
    if not isinstance(loaded, dict) or not isinstance(loaded.get("t"), str):
        return None
    return str(loaded.get("db", "main")), loaded["t"]
