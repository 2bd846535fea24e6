"""The database: engine, sessions and the declarative base.

SQLite (the embedded default) runs in WAL mode with foreign keys on, and every writing
transaction starts with ``BEGIN IMMEDIATE`` so that two read-modify-write transactions cannot
interleave and lose an update; reading transactions use a plain deferred ``BEGIN``. On
PostgreSQL, read-modify-write uses ``SELECT ... FOR UPDATE`` (``session.get(...,
with_for_update=True)``), a check for a row that is not there yet takes ``hold_lock``, and
rows people edit carry a version number that every update checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

READ_ONLY = "workbench_read_only"


class Base(DeclarativeBase):
    """Base of every table of the workbench."""


def utcnow() -> datetime:
    """Return the current time in UTC, without tzinfo (how every timestamp is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def normalise_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs that do not name a driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def is_sqlite(engine: Engine) -> bool:
    """Say whether the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    """Create the engine for a database URL, with the workbench's connection rules."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own implicit BEGIN is switched off so that ours (below) is the only one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Run one user action in one writing transaction: committed whole, or rolled back whole."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def read_scope(engine: Engine) -> Iterator[Session]:
    """Open a session for reading only; nothing it does is committed."""
    session = Session(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)
    try:
        yield session
    finally:
        # close() ends the transaction without committing, and leaves what was read loaded.
        session.close()


def hold_lock(session: Session, name: str) -> None:
    """Hold a named lock until the session's transaction ends, so check-then-insert cannot race.

    FOR UPDATE cannot lock a row that does not exist yet ("is there a first officer?"). On SQLite
    every writing transaction holds the database's write lock from its BEGIN IMMEDIATE already;
    PostgreSQL takes a transaction-scoped advisory lock on the name.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a sessionmaker for scripts and tests that manage transactions themselves."""
    return sessionmaker(engine, expire_on_commit=False)
