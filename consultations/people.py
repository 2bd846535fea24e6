"""The people of the partnership as the officer manages them: who, what role, what state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.accounts import ADMIN_MANAGED
from consultations.dates import plain_datetime
from consultations.models import Invite, LoginSession, Role, User

# Officers first, then the board, then partners: the order the officer looks for them in.
_ROLE_ORDER = case(
    {Role.OFFICER.value: 0, Role.BOARD.value: 1, Role.PARTNER.value: 2}, value=User.role, else_=3
)


@dataclass(frozen=True)
class PersonRow:
    """One line of the people table."""

    id: int
    name: str
    email: str
    role: str
    organisation: str
    state: str
    last_login: datetime | None
    active: bool
    # An officer's or a board member's account: only an administrator resets or deactivates it.
    admin_managed: bool


def person_state(person: User, *, now: datetime, pending_invite: Invite | None) -> str:
    """Say in a few words where a person's account stands."""
    if not person.active:
        return "deactivated"
    if person.locked_until and person.locked_until > now:
        return "locked after failed logins"
    if person.password_hash:
        return "active"
    if pending_invite is None:
        return "no password and no valid link: reset their access"
    if pending_invite.expires_at <= now:
        return "invite link expired: reset their access"
    return "invited, has not set a password yet"


def list_people(session: Session, actor: User, *, now: datetime) -> list[PersonRow]:
    """Return everyone, officers first, then board members, then partners, with their state."""
    require(actor, "person.manage")
    pending = {
        invite.user_id: invite
        for invite in session.scalars(
            select(Invite)
            .where(Invite.used_at.is_(None), Invite.revoked_at.is_(None))
            .order_by(Invite.created_at)
        )
    }
    people = session.scalars(select(User).order_by(_ROLE_ORDER, User.name, User.id))
    # Every way in starts a login session (a password, an invite link, the demo's switcher).
    started = dict(
        session.execute(
            select(LoginSession.user_id, func.max(LoginSession.created_at)).group_by(
                LoginSession.user_id
            )
        ).all()
    )
    return [
        PersonRow(
            id=p.id,
            name=p.name,
            email=p.email,
            role=("board (chair)" if p.is_chair else p.role) + (", admin" if p.is_admin else ""),
            organisation=p.organisation.name if p.organisation else "",
            state=person_state(p, now=now, pending_invite=pending.get(p.id)),
            last_login=max(
                (t for t in (p.last_login_at, started.get(p.id)) if t is not None), default=None
            ),
            active=p.active,
            admin_managed=p.role in ADMIN_MANAGED,
        )
        for p in people
    ]


# What each role does, as the invite form offers it.
ROLE_CHOICES = {
    Role.PARTNER: "Partner (answers for an organisation)",
    Role.OFFICER: "Policy officer (runs consultations)",
    Role.BOARD: "Board member (reviews and approves)",
}


def people_table_row(row: PersonRow) -> dict[str, str]:
    """One person as the people table shows them, in words."""
    return {
        "Name": row.name,
        "Email": row.email,
        "Role": row.role,
        "Organisation": row.organisation,
        "Account": row.state,
        "Last login": plain_datetime(row.last_login) if row.last_login else "never",
    }
