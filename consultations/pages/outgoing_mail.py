"""Where a page's actions post their email, and sending it once the action has committed."""

from __future__ import annotations

from consultations.mail.config import MailConfig, Postbox, mail_config, postbox_for
from consultations.mail.sender import send_soon
from consultations.pages.databases import database_name, engine, settings


def mail() -> MailConfig:
    """Return the email settings (refusing a set that cannot send, with what to change)."""
    return mail_config(settings())


def postbox() -> Postbox | None:
    """Where actions post their email: None when email is off, and always in the demo, whose
    invented people must never be written to."""
    if database_name() == "demo":
        return None
    return postbox_for(mail())


def send_mail_soon() -> None:
    """Send the email an action just wrote, in a thread of its own (when the settings ask)."""
    if database_name() != "demo":
        send_soon(engine(), mail())
