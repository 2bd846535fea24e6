"""How a message leaves: the partnership's SMTP server (or GOV.UK Notify), behind one interface.

A transport delivers one claimed message and either returns (the server took it) or raises
``MailError``, which says whether the refusal is for good (a 5xx reply: the address does not
exist) or for now (a 4xx reply, a server that does not answer), and whether the sender should
stop for this run (the server is down or refuses us: trying the next message would only wait
for it again).
"""

from __future__ import annotations

import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from typing import Protocol

from consultations.errors import WorkbenchError
from consultations.mail.config import MailConfig
from consultations.mail.outbox import Outgoing


class MailError(WorkbenchError):
    """A message that did not go: for good (``permanent``), or for now; ``stop`` says the server
    itself is not taking mail, so the run should end and the rest wait for the next one."""

    def __init__(self, message: str, *, permanent: bool = False, stop: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.stop = stop


class Transport(Protocol):
    """Something that delivers messages: one connection for a run, closed at its end."""

    def deliver(self, outgoing: Outgoing) -> None:
        """Hand the message over; raise MailError when it did not go."""

    def close(self) -> None:
        """End the connection, if one is open."""


def build_email(
    outgoing: Outgoing, *, sender: str, reply_to: str, partnership: str
) -> EmailMessage:
    """Return the message as an RFC 5322 email: plain text and HTML, and any attachments."""
    email = EmailMessage()
    email["From"] = _from_header(sender, partnership)
    try:
        email["To"] = Address(display_name=outgoing.to.name, addr_spec=outgoing.to.address)
    except (ValueError, IndexError) as exc:
        raise MailError(
            f"'{outgoing.to.address}' is not an email address that can be written to. Correct "
            "the person's address on People and invites.",
            permanent=True,
        ) from exc
    if reply_to:
        email["Reply-To"] = reply_to
    email["Subject"] = outgoing.subject
    email["Date"] = formatdate(localtime=False, usegmt=True)
    # The same id on every attempt, so that a copy sent twice reads as one in most mail clients.
    email["Message-ID"] = outgoing.message_id
    # Automatic mail (RFC 3834): out-of-office replies and auto-forwarders leave it alone.
    email["Auto-Submitted"] = "auto-generated"
    email["X-Auto-Response-Suppress"] = "All"
    email.set_content(outgoing.text)
    email.add_alternative(outgoing.html, subtype="html")
    if outgoing.attachments:
        email.make_mixed()
    for attachment in outgoing.attachments:
        main, _, sub = attachment.media_type.partition("/")
        part = EmailMessage()
        part.set_content(attachment.content, maintype=main, subtype=sub, filename=attachment.name)
        email.attach(part)
    return email


def _from_header(sender: str, partnership: str) -> str:
    name, address = parseaddr(sender)
    return str(Address(display_name=name or partnership, addr_spec=address))


class SmtpTransport:
    """The partnership's SMTP server: one connection per run, opened when the first message is
    ready, protected by STARTTLS or TLS as the settings say."""

    def __init__(self, config: MailConfig) -> None:
        self._config = config
        self._smtp: smtplib.SMTP | None = None

    def deliver(self, outgoing: Outgoing) -> None:
        """Send one message; raise MailError when the server did not take it."""
        config = self._config
        email = build_email(
            outgoing,
            sender=config.mail_from,
            reply_to=config.reply_to,
            partnership=config.partnership,
        )
        try:
            smtp = self._connection()
            smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            raise _refused(code, reply, f"The mail server refused {outgoing.to.address}") from exc
        except smtplib.SMTPSenderRefused as exc:
            self._drop()
            raise MailError(
                f"The mail server refused the from-address {config.mail_from} ({exc.smtp_code} "
                f"{_said(exc.smtp_error)}). Check WORKBENCH_MAIL_FROM.",
                stop=True,
            ) from exc
        except smtplib.SMTPAuthenticationError as exc:
            self._drop()
            raise MailError(
                f"The mail server did not accept the user name and password ({exc.smtp_code} "
                f"{_said(exc.smtp_error)}). Check WORKBENCH_SMTP_USER and WORKBENCH_SMTP_PASSWORD.",
                stop=True,
            ) from exc
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code >= 500:
                raise _refused(exc.smtp_code, exc.smtp_error, "The mail server refused it") from exc
            self._drop()
            raise _refused(exc.smtp_code, exc.smtp_error, "The mail server put it off") from exc
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise MailError(
                f"The mail server {config.smtp_host}:{config.smtp_port} could not be reached or "
                f"stopped answering ({type(exc).__name__}: {exc}). It will be tried again later.",
                stop=True,
            ) from exc

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        config = self._config
        context = ssl.create_default_context()
        if config.smtp_security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                config.smtp_host, config.smtp_port, timeout=config.smtp_timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=config.smtp_timeout)
        try:
            smtp.ehlo()
            if config.smtp_security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if config.smtp_user:
                smtp.login(config.smtp_user, config.smtp_password)
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return smtp

    def _drop(self) -> None:
        """Forget a connection that failed, so the next message opens a new one."""
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None

    def close(self) -> None:
        """Say goodbye to the server and close the connection."""
        if self._smtp is None:
            return
        try:
            self._smtp.quit()
        except (smtplib.SMTPException, OSError):
            self._smtp.close()
        self._smtp = None


def _said(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(text.split())


def _refused(code: int, reply: bytes | str, what: str) -> MailError:
    """A refusal with the server's reply: for good with a 5xx code, for now with a 4xx one."""
    permanent = code >= 500
    then = (
        "It will not be tried again: check the address, then send it again from the Outbox."
        if permanent
        else "It will be tried again later."
    )
    return MailError(f"{what}: {code} {_said(reply)}. {then}", permanent=permanent)
