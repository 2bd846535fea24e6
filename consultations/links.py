"""Login links (invites and access resets): the one place that hands a person their link.

With email set up (a ``Postbox``), the link goes to the person's own inbox, in the transaction
that made it, and nothing is shown to the officer. Without email it goes to the officer or
administrator who made it, shown on "People and invites" for them to send on. Either way, a link
to an officer's or a board member's account reaches only an administrator or its owner: whoever
holds the link can take the account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from sqlalchemy.orm import Session

from consultations.accounts import ADMIN_MANAGED, require_admin
from consultations.mail.config import Postbox
from consultations.mail.notices import mail_login_link
from consultations.models import User

INVITE_PAGE = "accept_invite"


@dataclass(frozen=True)
class LinkHandover:
    """A person's login link, for the person who is to pass it on; ``link`` is None when it
    went to the person's own email."""

    name: str
    email: str
    link: str | None
    expires_at: datetime

    @property
    def emailed(self) -> bool:
        """Say whether the link went to the person by email (and so is not shown)."""
        return self.link is None


def login_link(base_url: str, token: str) -> str:
    """Return the address of the page where a link's owner sets their password."""
    return f"{base_url.rstrip('/')}/{INVITE_PAGE}?token={quote(token, safe='')}"


def hand_over_link(
    actor: User,
    person: User,
    token: str,
    *,
    base_url: str,
    expires_at: datetime,
    session: Session | None = None,
    postbox: Postbox | None = None,
    reset: bool = False,
    now: datetime | None = None,
) -> LinkHandover:
    """Give the person their login link: by email when email is set up (``postbox``, written
    in ``session``'s transaction), otherwise through the person who made it.

    Refuses to show a link to an officer's or a board member's account to anyone but an
    administrator, whichever function made it.
    """
    link = login_link(base_url, token)
    if session is not None and mail_login_link(
        session,
        postbox,
        person,
        link=link,
        expires_at=expires_at,
        reset=reset,
        actor=actor,
        now=now or expires_at,
    ):
        return LinkHandover(name=person.name, email=person.email, link=None, expires_at=expires_at)
    if person.role in ADMIN_MANAGED:
        require_admin(actor, "see the login link of an officer or a board member")
    return LinkHandover(name=person.name, email=person.email, link=link, expires_at=expires_at)
