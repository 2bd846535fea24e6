"""Login links (invites and access resets): the one place that hands a person their link.

Today the link goes to the officer or administrator who made it, shown on "People and invites"
for them to send on. Email (issue 16) will send it from ``hand_over_link`` instead and return
nothing to show. Either way, a link to an officer's or a board member's account reaches only an
administrator or its owner: whoever holds the link can take the account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from consultations.accounts import ADMIN_MANAGED, require_admin
from consultations.models import User

INVITE_PAGE = "accept_invite"


@dataclass(frozen=True)
class LinkHandover:
    """A person's login link, for the person who is to pass it on (or None once email does)."""

    name: str
    email: str
    link: str
    expires_at: datetime


def login_link(base_url: str, token: str) -> str:
    """Return the address of the page where a link's owner sets their password."""
    return f"{base_url.rstrip('/')}/{INVITE_PAGE}?token={quote(token, safe='')}"


def hand_over_link(
    actor: User, person: User, token: str, *, base_url: str, expires_at: datetime
) -> LinkHandover:
    """Give the person their login link, through the person who made it.

    Refuses to show a link to an officer's or a board member's account to anyone but an
    administrator, whichever function made it.
    """
    if person.role in ADMIN_MANAGED:
        require_admin(actor, "see the login link of an officer or a board member")
    return LinkHandover(
        name=person.name,
        email=person.email,
        link=login_link(base_url, token),
        expires_at=expires_at,
    )
