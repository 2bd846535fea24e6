"""The database: engine, sessions and the declarative base.

SQLite (the embedded default) runs in WAL mode with foreign keys on, and every writing
transaction starts with ``BEGIN IMMEDIATE`` so that two read-modify-write transactions cannot
interleave and lose an update; reading transactions use a plain deferred ``BEGIN``. On
PostgreSQL, read-modify-write uses ``SELECT ... FOR UPDATE`` (``session.get(...,
with_for_update=True)``), a check for a row that is not there yet takes ``hold_lock``, and
rows people edit carry a version number that every update checks.

SQLite lets one writer in at a time, and its busy handler lets waiting writers in by polling,
not in turn: measured with 30 partners saving at once (bench/load.py), some writers waited more
than the 30 s busy timeout and were told "database is locked", while others went in again and
again, and the waiting writers held every pooled connection, so readers timed out too. So this
process's writers to a SQLite file queue here, in arrival order, before taking a connection.
"""

from __future__ import annotations

import threading
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from consultations.errors import WorkbenchError

READ_ONLY = "workbench_read_only"
# How long a writer waits for its turn on a SQLite file before the person is told to try again.
WRITER_WAIT_SECONDS = 60.0


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


class DatabaseBusy(WorkbenchError):
    """A writer waited too long for its turn on the database."""


class WriterQueue:
    """Let one thread at a time write, in the order they asked; a thread may re-enter its turn."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._waiting: deque[object] = deque()
        self._owner: int | None = None
        self._depth = 0

    @contextmanager
    def turn(self, timeout: float = WRITER_WAIT_SECONDS) -> Iterator[None]:
        """Wait for this thread's turn, hold it while the block runs, then let the next in."""
        self._enter(timeout)
        try:
            yield
        finally:
            self._leave()

    def _enter(self, timeout: float) -> None:
        me = threading.get_ident()
        with self._changed:
            if self._owner == me:
                self._depth += 1
                return
            ticket = object()
            self._waiting.append(ticket)
            if not self._changed.wait_for(
                lambda: self._owner is None and self._waiting[0] is ticket, timeout
            ):
                self._waiting.remove(ticket)
                self._changed.notify_all()
                raise DatabaseBusy(
                    "The workbench is very busy, so your change was not saved. "
                    "Try again in a minute."
                )
            self._waiting.popleft()
            self._owner, self._depth = me, 1

    def _leave(self) -> None:
        with self._changed:
            self._depth -= 1
            if self._depth == 0:
                self._owner = None
                self._changed.notify_all()


_writer_queues: dict[str, WriterQueue] = {}
_writer_queues_lock = threading.Lock()


def writer_turn(engine: Engine) -> AbstractContextManager[None]:
    """The turn a writing transaction waits for: this process's queue for a SQLite file."""
    database = engine.url.database
    if not is_sqlite(engine) or not database or database == ":memory:":
        return nullcontext()
    path = str(Path(database).resolve())
    with _writer_queues_lock:
        queue = _writer_queues.setdefault(path, WriterQueue())
    return queue.turn()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """Run one user action in one writing transaction: committed whole, or rolled back whole."""
    with writer_turn(engine):
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


def hold_lock(session: Session, name: str) -> bool:
    """Hold a named lock until the session's transaction ends, so check-then-insert cannot race.

    FOR UPDATE cannot lock a row that does not exist yet ("is there a first officer?"). On SQLite
    every writing transaction holds the database's write lock from its BEGIN IMMEDIATE already;
    PostgreSQL takes a transaction-scoped advisory lock on the name. Return whether a lock was
    taken now, so that what another transaction did meanwhile must be read again.
    """
    if session.get_bind().dialect.name != "postgresql":
        return False
    session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})
    return True


@contextmanager
def scratch_schema(url: str, *, prefix: str) -> Iterator[str]:
    """For scripts and tests: an empty PostgreSQL schema of its own on the server at ``url``,
    for as long as the block runs (dropped afterwards); yield a URL whose tables live in it."""
    base = normalise_url(url)
    schema = f"{prefix}_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a sessionmaker for scripts and tests that manage transactions themselves."""
    return sessionmaker(engine, expire_on_commit=False)
