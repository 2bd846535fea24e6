"""The mail settings as one value, read once at the edge, and the postbox actions write to."""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr
from urllib.parse import urlencode

from consultations.errors import WorkbenchError
from consultations.settings import Settings

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class MailConfig:
    """How mail leaves the workbench: the transport and what it needs."""

    transport: str
    partnership: str
    base_url: str
    mail_from: str = ""
    reply_to: str = ""
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_timeout: int = 30
    notify_api_key: str = ""
    notify_template_id: str = ""
    notify_base_url: str = ""
    send_at_once: bool = True
    max_attempts: int = 12

    @property
    def enabled(self) -> bool:
        """Say whether the workbench sends email at all."""
        return self.transport != "none"


def mail_config(settings: Settings) -> MailConfig:
    """Read the mail settings, refusing a set that cannot send (naming what to change)."""
    transport = settings.mail_transport or ("smtp" if settings.smtp_host.strip() else "none")
    config = MailConfig(
        transport=transport,
        partnership=settings.partnership_name,
        base_url=settings.base_url.rstrip("/"),
        mail_from=settings.mail_from.strip(),
        reply_to=settings.mail_reply_to.strip(),
        smtp_host=settings.smtp_host.strip(),
        smtp_port=settings.smtp_port,
        smtp_security=settings.smtp_security,
        smtp_user=settings.smtp_user.strip(),
        smtp_password=settings.smtp_password,
        smtp_timeout=settings.smtp_timeout,
        notify_api_key=settings.notify_api_key.strip(),
        notify_template_id=settings.notify_template_id.strip(),
        notify_base_url=settings.notify_base_url.strip(),
        send_at_once=settings.mail_send_at_once,
        max_attempts=settings.mail_max_attempts,
    )
    problems = config_problems(config)
    if problems:
        raise WorkbenchError(
            "The email settings cannot send: " + "; ".join(problems) + ". Fix them and restart."
        )
    return config


def config_problems(config: MailConfig) -> list[str]:
    """List what stops these settings from sending (empty when they can, or when mail is off)."""
    if not config.enabled:
        return []
    problems = []
    if config.transport == "smtp":
        if not config.smtp_host:
            problems.append("WORKBENCH_SMTP_HOST is empty: name the mail server")
        if config.smtp_security == "none" and config.smtp_user and not _local(config.smtp_host):
            problems.append(
                "WORKBENCH_SMTP_SECURITY is none, which would send the SMTP password "
                "unprotected: use starttls or tls"
            )
        if config.smtp_user and not config.smtp_password:
            problems.append("WORKBENCH_SMTP_USER is set but WORKBENCH_SMTP_PASSWORD is empty")
    if config.transport == "notify":
        if not config.notify_api_key:
            problems.append("WORKBENCH_NOTIFY_API_KEY is empty")
        if not config.notify_template_id:
            problems.append("WORKBENCH_NOTIFY_TEMPLATE_ID is empty")
    if config.transport == "smtp" and not _address_of(config.mail_from):
        problems.append(
            "WORKBENCH_MAIL_FROM is not an email address (like "
            "'Partnership <workbench@example.org>')"
        )
    if config.reply_to and not _address_of(config.reply_to):
        problems.append("WORKBENCH_MAIL_REPLY_TO is not an email address")
    return problems


def _local(host: str) -> bool:
    return host.lower() in LOCAL_HOSTS


def _address_of(text: str) -> str:
    """The bare address in 'Name <address>' or 'address', or '' when it is not one."""
    _, address = parseaddr(text)
    if "@" not in address or " " in address:
        return ""
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError):
        return ""
    return address


@dataclass(frozen=True)
class Postbox:
    """Where actions post their messages: the partnership's name and the app's address.

    Actions take a ``Postbox`` or None; None (no email set up) means nothing is written and the
    app works as it did before email: links are shown on screen.
    """

    partnership: str
    base_url: str
    domain: str = "workbench.invalid"
    # GOV.UK Notify's templates carry no attachments: a receipt then links to the copy instead.
    attaches_files: bool = True

    def link(self, page: str, **query: object) -> str:
        """Return the address of a page of the app, with its query."""
        address = f"{self.base_url.rstrip('/')}/{page}"
        return f"{address}?{urlencode({k: str(v) for k, v in query.items()})}" if query else address


def postbox_for(config: MailConfig) -> Postbox | None:
    """Return the postbox for these settings, or None when email is off."""
    if not config.enabled:
        return None
    domain = _address_of(config.mail_from).rpartition("@")[2] or "workbench.invalid"
    return Postbox(
        partnership=config.partnership,
        base_url=config.base_url,
        domain=domain,
        attaches_files=config.transport == "smtp",
    )
