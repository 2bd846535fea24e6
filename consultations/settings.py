"""Every setting of the workbench, declared once with its help text, read from the environment.

Values come from environment variables first, then from ``.streamlit/secrets.toml`` (where
Streamlit users expect secrets), then the default. The README documents each one; a test fails
when one is missing there.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from consultations.errors import WorkbenchError


@dataclass(frozen=True)
class SettingSpec:
    """One setting: its environment variable, default (as text), help and parser."""

    env: str
    default: str
    help: str
    parse: Callable[[str], object] = str


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"'{text}' is not true or false")


def _positive_int(text: str) -> int:
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"'{text}' is not a positive whole number")
    value = int(digits)
    if value < 1:
        raise ValueError(f"{value} is not a positive whole number")
    return value


def _approval_rule(text: str) -> str:
    rule = text.strip().lower()
    if rule not in APPROVAL_RULES:
        raise ValueError(f"'{text}' is not one of {', '.join(APPROVAL_RULES)}")
    return rule


APPROVAL_RULES = ("chair", "count")
# How mail leaves the workbench: empty means smtp when WORKBENCH_SMTP_HOST is set, else none.
MAIL_TRANSPORTS = ("smtp", "notify", "none")
# How the connection to the SMTP server is protected.
SMTP_SECURITY = ("starttls", "tls", "none")


def _one_of(choices: Sequence[str], *, empty: bool = False) -> Callable[[str], str]:
    """A parser that accepts one of the choices (or nothing, when ``empty``)."""

    def parse(text: str) -> str:
        chosen = text.strip().lower()
        if chosen in choices or (empty and not chosen):
            return chosen
        raise ValueError(f"'{text}' is not one of {', '.join(choices)}")

    return parse


DEMO_MODES = ("auto", "on", "off")


def _port(text: str) -> int:
    port = _positive_int(text)
    if port > 65535:
        raise ValueError(f"{port} is not a port (1 to 65535)")
    return port


def _demo_mode(text: str) -> str:
    mode = text.strip().lower()
    if mode in DEMO_MODES:
        return mode
    try:
        return "on" if _bool(mode) else "off"
    except ValueError:
        raise ValueError(f"'{text}' is not one of {', '.join(DEMO_MODES)}") from None


def _hour(text: str) -> int:
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()) or int(digits) > 23:
        raise ValueError(f"'{text}' is not an hour of the day (0 to 23)")
    return int(digits)


SETTINGS: dict[str, SettingSpec] = {
    "data_dir": SettingSpec(
        "WORKBENCH_DATA_DIR",
        "./data",
        "Folder for the embedded SQLite database, the demo database and the generated secret "
        "key. Never inside the code folders.",
    ),
    "database_url": SettingSpec(
        "DATABASE_URL",
        "",
        "SQLAlchemy URL of the database. Empty means SQLite at <data dir>/workbench.db. "
        "Use postgresql://user:password@host/dbname for PostgreSQL (psycopg 3).",
    ),
    "demo_database_url": SettingSpec(
        "WORKBENCH_DEMO_DATABASE_URL",
        "",
        "Database for the one-click demo, kept apart from the real one. Empty means SQLite at "
        "<data dir>/demo.db.",
    ),
    "secret_key": SettingSpec(
        "WORKBENCH_SECRET_KEY",
        "",
        "Key that signs the login cookie. Empty means a random key made once and kept in "
        "<data dir>/secret_key with SQLite, or in the database with PostgreSQL (so that every "
        "replica shares it). If you set it, set the same value on every replica.",
    ),
    "base_url": SettingSpec(
        "WORKBENCH_BASE_URL",
        "",
        "Address people use to reach the app; invite links start with it. Empty means "
        "http://localhost:<port>, with the port the app runs on.",
    ),
    "port": SettingSpec(
        "PORT",
        "8501",
        "The port `make run` serves the app on. The default WORKBENCH_BASE_URL uses the port the "
        "app really runs on (Streamlit's server.port), which `make run` takes from PORT.",
        _port,
    ),
    "partnership_name": SettingSpec(
        "WORKBENCH_PARTNERSHIP_NAME",
        "Northern Ireland Strategic Migration Partnership",
        "The partnership's name, shown in the app and on the response.",
    ),
    "home_region": SettingSpec(
        "WORKBENCH_HOME_REGION",
        "Northern Ireland",
        "The partnership's own region or nation, used to flag regional impact.",
    ),
    "partnership_about": SettingSpec(
        "WORKBENCH_PARTNERSHIP_ABOUT",
        "",
        "A paragraph about the partnership for the response's 'About' section (empty: the "
        "draft writes one from the partners who contributed).",
    ),
    "contact": SettingSpec(
        "WORKBENCH_CONTACT",
        "",
        "Who to contact about the response, on its cover: a name, a role and an email address "
        "(empty: the cover has no contact line).",
    ),
    "login_attempts": SettingSpec(
        "WORKBENCH_LOGIN_ATTEMPTS",
        "5",
        "Failed logins in a row that lock an account.",
        _positive_int,
    ),
    "lockout_minutes": SettingSpec(
        "WORKBENCH_LOCKOUT_MINUTES",
        "15",
        "How long a locked account stays locked, in minutes.",
        _positive_int,
    ),
    "invite_days": SettingSpec(
        "WORKBENCH_INVITE_DAYS",
        "7",
        "How many days an invite or access-reset link works.",
        _positive_int,
    ),
    "session_idle_hours": SettingSpec(
        "WORKBENCH_SESSION_IDLE_HOURS",
        "8",
        "Hours without activity after which a login expires.",
        _positive_int,
    ),
    "session_max_hours": SettingSpec(
        "WORKBENCH_SESSION_MAX_HOURS",
        "24",
        "Hours after logging in when a login ends, however active it was; then log in again.",
        _positive_int,
    ),
    "cookie_secure": SettingSpec(
        "WORKBENCH_COOKIE_SECURE",
        "false",
        "Mark the login cookie Secure (send it over HTTPS only). Turn on behind HTTPS.",
        _bool,
    ),
    "migrate_on_start": SettingSpec(
        "WORKBENCH_MIGRATE_ON_START",
        "true",
        "Upgrade the database schema when the app starts. Safe with several replicas (the "
        "upgrade takes a lock); turn off to run `python -m consultations.migrate` yourself.",
        _bool,
    ),
    "default_model": SettingSpec(
        "WORKBENCH_DEFAULT_MODEL",
        "true",
        "Let the learned model that ships with the workbench add themes the rules missed (shown "
        "as 'learned' with its score). Turn off to tag with the rules alone; a consultation's "
        "own model, once switched on, replaces it.",
        _bool,
    ),
    "max_attachment_mb": SettingSpec(
        "WORKBENCH_MAX_ATTACHMENT_MB",
        "20",
        "Largest evidence file a partner can attach, in megabytes.",
        _positive_int,
    ),
    "max_attachments": SettingSpec(
        "WORKBENCH_MAX_ATTACHMENTS",
        "10",
        "Most evidence files on one organisation's submission.",
        _positive_int,
    ),
    "max_import_mb": SettingSpec(
        "WORKBENCH_MAX_IMPORT_MB",
        "10",
        "Largest question file (.docx, .xlsx, .csv) an officer can import, in megabytes.",
        _positive_int,
    ),
    "approval_rule": SettingSpec(
        "WORKBENCH_APPROVAL_RULE",
        "chair",
        "When a draft counts as approved by the board: 'chair' (the chair has approved and no "
        "member has an open request for changes) or 'count' (at least "
        "WORKBENCH_APPROVALS_NEEDED approvals and no open request for changes).",
        _approval_rule,
    ),
    "demo": SettingSpec(
        "WORKBENCH_DEMO",
        "auto",
        "Whether anyone may open the demo: 'auto' (only while the real database has no account, "
        "as on a new install), 'on' (always, for a demonstration server) or 'off'.",
        _demo_mode,
    ),
    "demo_max_upload_mb": SettingSpec(
        "WORKBENCH_DEMO_MAX_UPLOAD_MB",
        "2",
        "Largest file the demo takes (evidence, imports), in megabytes; the real limits apply "
        "when they are smaller.",
        _positive_int,
    ),
    "demo_max_organisations": SettingSpec(
        "WORKBENCH_DEMO_MAX_ORGANISATIONS",
        "30",
        "Most organisations the demo holds; adding more is refused.",
        _positive_int,
    ),
    "demo_jobs_per_minute": SettingSpec(
        "WORKBENCH_DEMO_JOBS_PER_MINUTE",
        "4",
        "Heavy jobs (re-tagging, training a model, assembling or regenerating a draft) the demo "
        "runs a minute, for all its visitors together, per app process.",
        _positive_int,
    ),
    "approvals_needed": SettingSpec(
        "WORKBENCH_APPROVALS_NEEDED",
        "2",
        "How many board members must approve a draft under the 'count' approval rule.",
        _positive_int,
    ),
    "mail_transport": SettingSpec(
        "WORKBENCH_MAIL_TRANSPORT",
        "",
        "How email leaves the workbench: 'smtp' (the partnership's mail server), 'notify' "
        "(GOV.UK Notify) or 'none' (no email: links are shown on screen for the officer to "
        "pass on). Empty means smtp when WORKBENCH_SMTP_HOST is set, otherwise none.",
        _one_of(MAIL_TRANSPORTS, empty=True),
    ),
    "mail_from": SettingSpec(
        "WORKBENCH_MAIL_FROM",
        "",
        "The address email comes from, with a name if you like: "
        "'NI Strategic Migration Partnership <workbench@example.org>'. Needed for email.",
    ),
    "mail_reply_to": SettingSpec(
        "WORKBENCH_MAIL_REPLY_TO",
        "",
        "Where replies to the workbench's email go, such as the policy team's shared mailbox "
        "(empty: to the from-address).",
    ),
    "smtp_host": SettingSpec(
        "WORKBENCH_SMTP_HOST",
        "",
        "The SMTP server that sends the workbench's email (empty: no SMTP).",
    ),
    "smtp_port": SettingSpec(
        "WORKBENCH_SMTP_PORT",
        "587",
        "The SMTP server's port: usually 587 with starttls, 465 with tls, 25 inside a network.",
        _port,
    ),
    "smtp_security": SettingSpec(
        "WORKBENCH_SMTP_SECURITY",
        "starttls",
        "How the connection to the SMTP server is protected: 'starttls' (upgrade a plain "
        "connection, port 587), 'tls' (encrypted from the start, port 465) or 'none' (only for "
        "a relay on the same machine or network).",
        _one_of(SMTP_SECURITY),
    ),
    "smtp_user": SettingSpec(
        "WORKBENCH_SMTP_USER",
        "",
        "The user name for the SMTP server (empty: send without logging in).",
    ),
    "smtp_password": SettingSpec(
        "WORKBENCH_SMTP_PASSWORD",
        "",
        "The SMTP user's password. Keep it in the environment or in .streamlit/secrets.toml, "
        "never in the repository.",
    ),
    "smtp_timeout": SettingSpec(
        "WORKBENCH_SMTP_TIMEOUT",
        "30",
        "Seconds to wait for the SMTP server before trying again later.",
        _positive_int,
    ),
    "notify_api_key": SettingSpec(
        "WORKBENCH_NOTIFY_API_KEY",
        "",
        "The GOV.UK Notify API key, for WORKBENCH_MAIL_TRANSPORT=notify. Keep it secret like "
        "a password.",
    ),
    "notify_template_id": SettingSpec(
        "WORKBENCH_NOTIFY_TEMPLATE_ID",
        "",
        "The GOV.UK Notify email template the workbench sends through: its subject is "
        "((subject)) and its body ((body)).",
    ),
    "notify_base_url": SettingSpec(
        "WORKBENCH_NOTIFY_BASE_URL",
        "https://api.notifications.service.gov.uk",
        "The GOV.UK Notify API's address (change it only for a test service).",
    ),
    "mail_send_at_once": SettingSpec(
        "WORKBENCH_MAIL_SEND_AT_ONCE",
        "true",
        "Send a message from the app as soon as the action that wrote it is saved, as well as "
        "from the `python -m evidence.mail send` timer (which retries what could not go).",
        _bool,
    ),
    "mail_max_attempts": SettingSpec(
        "WORKBENCH_MAIL_MAX_ATTEMPTS",
        "12",
        "How many times a message is tried, waiting longer each time (1, 2, 4 ... then 60 "
        "minutes: about 7 hours in all), before it is marked failed on the Outbox page.",
        _positive_int,
    ),
    "reminder_hour": SettingSpec(
        "WORKBENCH_REMINDER_HOUR",
        "9",
        "The hour of the day (UK time, 0 to 23) from which the day's scheduled reminders go out.",
        _hour,
    ),
    "password_reset_minutes": SettingSpec(
        "WORKBENCH_PASSWORD_RESET_MINUTES",
        "60",
        "How long a password-reset link asked for on the login page works, in minutes.",
        _positive_int,
    ),
}


@dataclass(frozen=True)
class Settings:
    """The workbench's settings, read once per process (or per test)."""

    data_dir: Path
    database_url: str
    demo_database_url: str
    secret_key: str
    base_url: str
    port: int
    partnership_name: str
    home_region: str
    partnership_about: str
    contact: str
    login_attempts: int
    lockout_minutes: int
    invite_days: int
    session_idle_hours: int
    session_max_hours: int
    cookie_secure: bool
    migrate_on_start: bool
    default_model: bool
    max_import_mb: int
    max_attachment_mb: int
    max_attachments: int
    approval_rule: str
    approvals_needed: int
    mail_transport: str
    mail_from: str
    mail_reply_to: str
    smtp_host: str
    smtp_port: int
    smtp_security: str
    smtp_user: str
    smtp_password: str
    smtp_timeout: int
    notify_api_key: str
    notify_template_id: str
    notify_base_url: str
    mail_send_at_once: bool
    mail_max_attempts: int
    reminder_hour: int
    password_reset_minutes: int
    demo: str
    demo_max_upload_mb: int
    demo_max_organisations: int
    demo_jobs_per_minute: int


def read_secrets_file(path: Path) -> dict[str, str]:
    """Read flat string values from a Streamlit secrets file, if there is one."""
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        try:
            loaded = tomllib.load(handle)
        except tomllib.TOMLDecodeError as exc:
            raise WorkbenchError(f"{path} is not valid TOML ({exc}). Fix it and restart.") from exc
    return {key: str(value) for key, value in loaded.items() if not isinstance(value, dict)}


def load_settings(
    environ: Mapping[str, str] | None = None,
    *,
    secrets_path: Path = Path(".streamlit/secrets.toml"),
    server_port: int | None = None,
) -> Settings:
    """Read every setting from the environment, the secrets file and the defaults.

    ``server_port`` is the port the app really runs on, where the caller knows it (the pages
    read Streamlit's ``server.port``): the default base URL uses it rather than PORT.
    """
    environ = os.environ if environ is None else environ
    from_file = read_secrets_file(secrets_path)
    values: dict[str, object] = {}
    problems = []
    for name, spec in SETTINGS.items():
        try:
            values[name] = _value(spec, environ, from_file)
        except ValueError as exc:
            problems.append(f"{spec.env}: {exc}")
    if problems:
        raise WorkbenchError(_not_valid(problems))
    data_dir = Path(str(values["data_dir"])).expanduser()
    values["data_dir"] = data_dir
    if not values["database_url"]:
        values["database_url"] = f"sqlite:///{(data_dir / 'workbench.db').as_posix()}"
    if not values["demo_database_url"]:
        values["demo_database_url"] = f"sqlite:///{(data_dir / 'demo.db').as_posix()}"
    if server_port is not None:
        values["port"] = server_port
    if not values["base_url"]:
        values["base_url"] = f"http://localhost:{values['port']}"
    if not values["secret_key"] and str(values["database_url"]).startswith("sqlite"):
        values["secret_key"] = _stored_secret_key(data_dir)
    # Otherwise an empty key means the one kept in the database (accounts.stored_secret_key):
    # replicas on several machines have a data folder each, but share the database.
    return Settings(**values)  # type: ignore[arg-type]


def load_setting(
    name: str,
    environ: Mapping[str, str] | None = None,
    *,
    secrets_path: Path = Path(".streamlit/secrets.toml"),
) -> object:
    """Read one setting as ``load_settings`` reads it, without reading (or making) the others.

    For settings that stand alone, such as ``home_region`` on every save: ``load_settings`` also
    makes the data folder and its secret key.
    """
    environ = os.environ if environ is None else environ
    spec = SETTINGS[name]
    try:
        return _value(spec, environ, read_secrets_file(secrets_path))
    except ValueError as exc:
        raise WorkbenchError(_not_valid([f"{spec.env}: {exc}"])) from exc


def _value(spec: SettingSpec, environ: Mapping[str, str], from_file: Mapping[str, str]) -> object:
    """A setting's value: from the environment, else the secrets file, else its default."""
    return spec.parse(environ.get(spec.env, from_file.get(spec.env, spec.default)))


def _not_valid(problems: Sequence[str]) -> str:
    return "Some settings are not valid: " + "; ".join(problems) + ". Fix them and restart."


def _stored_secret_key(data_dir: Path) -> str:
    """Return the key kept in the data folder, making it on first use."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "secret_key"
    if not path.exists():
        # Written to a private temporary file (mode 0600, a name unique to this thread) and
        # linked into place, so that processes and threads starting at once agree on one key and
        # never read a half-written one.
        fd, temporary = tempfile.mkstemp(prefix=".secret_key.", dir=data_dir)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
        os.unlink(temporary)
    return path.read_text().strip()
