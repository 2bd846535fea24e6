"""The demo on a real server: whether it is on, what it accepts, and never the real database.

The demo lets anyone who can reach the app in without an account, as the demo's officer, its
partners and its board. So (ARCHITECTURE.md, "The demo"):
- it is on by default only while the real database has no account yet (``demo_enabled``), and
  the ``WORKBENCH_DEMO`` setting turns it on or off for good;
- it never shares a database with the real one, however the two URLs are spelled
  (``refuse_shared_database``, at start-up), and it never empties a database that is not a demo
  (``refuse_to_reset``, before every rebuild);
- what it accepts is capped (``demo_settings``, ``organisation_room``, ``JobAllowance``), so
  that an anonymous visitor cannot load the server.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import socket
import threading
import uuid
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session

from consultations.db import hold_lock, normalise_url, read_scope
from consultations.errors import WorkbenchError
from consultations.models import Meta, Organisation, User
from consultations.settings import Settings
from consultations.words import counted

DEMO_MARKER = "demo"  # workbench_meta key: this database is the demo and may be rebuilt
IDENTITY = "database_id"  # workbench_meta key: a random id the real database keeps for good
POSTGRES_PORT = 5432
_LOCAL_HOSTS = {"", "localhost", "localhost.localdomain"}


# --- on or off ----------------------------------------------------------------------------------


def demo_enabled(mode: str, *, real_accounts: bool) -> bool:
    """Say whether the demo may be opened: ``mode`` is the WORKBENCH_DEMO setting."""
    if mode == "on":
        return True
    if mode == "off":
        return False
    return not real_accounts


def has_accounts(session: Session) -> bool:
    """Say whether the database holds anyone's account."""
    return session.scalar(select(User.id).limit(1)) is not None


class DemoOff(WorkbenchError):
    """Someone asked for the demo where it is switched off."""


DEMO_OFF_MESSAGE = (
    "The demo is switched off on this workbench: it is for trying the workbench, not for a "
    "partnership's real work. Log in with your own account, or ask your administrator."
)


# --- what the demo accepts ----------------------------------------------------------------------


def demo_settings(settings: Settings) -> Settings:
    """The settings as the demo applies them: its smaller upload limits where they are smaller."""
    cap = settings.demo_max_upload_mb
    return replace(
        settings,
        max_import_mb=min(settings.max_import_mb, cap),
        max_attachment_mb=min(settings.max_attachment_mb, cap),
    )


def organisation_room(session: Session, *, limit: int | None) -> None:
    """Refuse one more organisation when the database holds ``limit`` already (None: no cap)."""
    if limit is None:
        return
    held = session.scalar(select(func.count()).select_from(Organisation))
    if held >= limit:
        raise WorkbenchError(
            f"The demo holds at most {limit} organisations, and has {held}. Everything in it "
            "is shared by everyone trying it: edit an organisation that is there instead."
        )


class JobAllowance:
    """At most ``per_minute`` heavy jobs started in any minute, across every thread.

    The demo's visitors share one process's CPU with everyone else; one allowance per demo
    database and process keeps them from queueing re-tagging or training back to back.
    """

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._started: deque[float] = deque()
        self._lock = threading.Lock()

    def try_start(self, now: float) -> float | None:
        """Count a job starting at ``now`` (seconds, monotonic); or return how many seconds
        to wait before one may start, without counting it."""
        with self._lock:
            while self._started and now - self._started[0] >= 60:
                self._started.popleft()
            if len(self._started) >= self.per_minute:
                return max(0.0, 60 - (now - self._started[0]))
            self._started.append(now)
            return None


# --- never the real database ----------------------------------------------------------------------


@dataclass(frozen=True)
class DatabasePlace:
    """Where a database URL leads, spelled one way: the same place means the same tables."""

    backend: str
    host: str
    port: int | None
    database: str
    schema: str


def database_place(url: str, *, cwd: Path | None = None) -> DatabasePlace:
    """Reduce a database URL to where it leads, whatever its spelling.

    SQLite: the file's real path (relative to ``cwd``, symlinks followed). PostgreSQL: the host
    ("local" for this machine's names, addresses and sockets), the port, the database (libpq's
    default: the user's name) and the schema a ``search_path`` option selects; the driver's
    name and other query options do not matter.
    """
    parsed = make_url(normalise_url(url))
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return DatabasePlace("sqlite", "", None, _sqlite_path(parsed, cwd), "")
    query = {key: _first(value) for key, value in parsed.query.items()}
    host = parsed.host or query.get("host", "") or os.environ.get("PGHOST", "")
    port = parsed.port or int(query.get("port") or os.environ.get("PGPORT") or POSTGRES_PORT)
    database = (
        parsed.database
        or query.get("dbname", "")
        or parsed.username
        or query.get("user", "")
        or os.environ.get("PGDATABASE", "")
    )
    return DatabasePlace(backend, _host(host), port, database, _schema(query.get("options", "")))


def same_database(first: str, second: str, *, cwd: Path | None = None) -> bool:
    """Say whether two database URLs lead to the same tables."""
    one, other = database_place(first, cwd=cwd), database_place(second, cwd=cwd)
    if one.backend != other.backend:
        return False
    if one.backend == "sqlite":
        if one.database == other.database:
            return one.database != ":memory:"
        with contextlib.suppress(OSError):  # hard links, bind mounts
            return os.path.samefile(one.database, other.database)
        return False
    return (one.port, one.database, one.schema) == (other.port, other.database, other.schema) and (
        one.host == other.host or _addresses(one.host) & _addresses(other.host) != set()
    )


def refuse_shared_database(main: Engine, demo: Engine) -> None:
    """Refuse to start when the demo's database is the real one, by its URL or its identity.

    The URLs are compared as ``same_database`` reads them; then the real database's identity
    (a random id it keeps) is looked for in the demo's, which catches every spelling the URLs
    cannot tell apart (a DNS alias, a forwarded port, a copy of the file under another name is
    not caught: it is another database).
    """
    real = main.url.render_as_string(hide_password=False)
    other = demo.url.render_as_string(hide_password=False)
    identity = database_identity(main)
    if same_database(real, other) or (identity is not None and database_identity(demo) == identity):
        raise WorkbenchError(
            "WORKBENCH_DEMO_DATABASE_URL names the real database (DATABASE_URL) under another "
            "spelling, and building the demo would empty it. Point it at a database of its own, "
            "or leave it empty for SQLite at <data dir>/demo.db, and start the app again."
        )


def keep_database_identity(session: Session) -> str:
    """Give the real database its random identity, once; return it."""
    hold_lock(session, IDENTITY)
    kept = session.get(Meta, IDENTITY)
    if kept is None:
        kept = Meta(key=IDENTITY, value=uuid.uuid4().hex)
        session.add(kept)
        session.flush()
    return kept.value


def database_identity(engine: Engine) -> str | None:
    """The identity a database keeps, or None (no table for it yet, or no identity).

    A SQLite file that does not exist yet is not made by looking.
    """
    path = engine.url.database
    if engine.dialect.name == "sqlite" and (not path or not Path(path).exists()):
        return None
    if not inspect(engine).has_table(Meta.__tablename__):
        return None
    with read_scope(engine) as session:
        kept = session.get(Meta, IDENTITY)
        return kept.value if kept else None


# Every table the workbench's migrations make, whichever stage's models define it: the demo
# command runs without the later stages' models imported, so Base.metadata alone would call
# their tables foreign (tests/test_demo_guard.py holds this list to the models).
WORKBENCH_TABLES = frozenset(
    {
        "answer",
        "answer_evidence",
        "approval",
        "attachment",
        "audit_event",
        "consultation",
        "draft_version",
        "invite",
        "login_session",
        "notification",
        "organisation",
        "outbox_attachment",
        "outbox_message",
        "password_reset",
        "person",
        "question",
        "reminder_round",
        "reminder_schedule",
        "response_sent",
        "review_decision",
        "review_request",
        "section_comment",
        "submission",
        "submission_snapshot",
        "tag_decision",
        "tag_model",
        "tag_suggestion",
        "theme",
        "workbench_meta",
    }
)


def refuse_to_reset(engine: Engine) -> None:
    """Refuse to empty a database that is not the demo's: one with accounts, or with tables the
    workbench did not make, and no demo marker."""
    tables = set(inspect(engine).get_table_names())
    if not tables:
        return
    with read_scope(engine) as session:
        if Meta.__tablename__ in tables and session.get(Meta, DEMO_MARKER) is not None:
            return
        accounts = (
            session.scalar(select(func.count()).select_from(User)) if "person" in tables else 0
        )
    foreign = sorted(tables - WORKBENCH_TABLES - {"alembic_version"})
    if not accounts and not foreign:
        return
    held = (
        counted(accounts, "account")
        if accounts
        else f"tables the workbench did not make ({', '.join(foreign[:5])})"
    )
    raise WorkbenchError(
        f"The demo will not empty {engine.url.render_as_string(hide_password=True)}: it is not "
        f"a demo database (it has no demo marker) and it holds {held}. Point "
        "WORKBENCH_DEMO_DATABASE_URL at a database of its own, or leave it empty for SQLite at "
        "<data dir>/demo.db."
    )


def _sqlite_path(parsed: URL, cwd: Path | None) -> str:
    database = parsed.database or ""
    if database in ("", ":memory:") or parsed.query.get("mode") == "memory":
        return ":memory:"
    if database.startswith("file:"):  # a URI filename: file:path?options
        database = unquote(database[len("file:") :].split("?", 1)[0])
    path = Path(database).expanduser()
    if not path.is_absolute():
        path = (cwd or Path.cwd()) / path
    return str(path.resolve())


def _first(value: str | tuple[str, ...]) -> str:
    return value[0] if isinstance(value, tuple) else value


def _host(host: str) -> str:
    host = host.strip().strip("[]").lower()
    if host in _LOCAL_HOSTS or host.startswith("/"):  # a Unix socket's folder is this machine
        return "local"
    with contextlib.suppress(ValueError):
        if ipaddress.ip_address(host).is_loopback:
            return "local"
    return host


def _schema(options: str) -> str:
    """The first schema of a ``-c search_path=...`` in libpq's options (default: public)."""
    found = re.search(r"search_path\s*=\s*([^\s,]+)", unquote(options))
    return found.group(1).strip("\"'").lower() if found else "public"


def _addresses(host: str) -> set[str]:
    """The addresses a host name resolves to ("local" stands for this machine's loopback)."""
    if host == "local":
        return {"local"}
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return set()
    return {"local" if ipaddress.ip_address(a.split("%")[0]).is_loopback else a for a in found}
