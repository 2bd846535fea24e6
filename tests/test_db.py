"""The database layer: SQLite's pragmas, write transactions that do not lose updates, read-only
sessions, and the version check on rows people edit."""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from consultations.db import is_sqlite, make_engine, normalise_url, read_scope, session_scope
from consultations.models import Meta, Organisation, Question
from tests.conftest import add_organisation

THREADS = 8
INCREMENTS = 25


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:p@db/workbench", "postgresql+psycopg://u:p@db/workbench"),
        ("postgres://u:p@db/workbench", "postgresql+psycopg://u:p@db/workbench"),
        ("postgresql+psycopg://u:p@db/workbench", "postgresql+psycopg://u:p@db/workbench"),
        ("sqlite:///data/workbench.db", "sqlite:///data/workbench.db"),
    ],
)
def test_normalise_url_uses_psycopg_3_for_postgresql_urls_without_a_driver(url, expected):
    assert normalise_url(url) == expected


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'workbench.db'}")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    finally:
        engine.dispose()
    assert (tmp_path / "sub" / "workbench.db").exists()


def test_the_database_refuses_a_row_that_points_at_nothing(engine):
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(Question(consultation_id=999, position=1, number="Q1", text="Orphan?"))
        session.flush()
    with read_scope(engine) as session:
        assert session.scalars(select(Question)).all() == []


def _increment_meta(engine: Engine) -> None:
    with session_scope(engine) as session:
        counter = session.get(Meta, "counter", with_for_update=True)
        counter.value = str(int(counter.value) + 1)


def _increment_area(engine: Engine, organisation_id: int) -> None:
    with session_scope(engine) as session:
        organisation = session.get(Organisation, organisation_id, with_for_update=True)
        organisation.area = str(int(organisation.area) + 1)


def _hammer(action) -> None:
    start = threading.Barrier(THREADS)

    def worker() -> None:
        start.wait()
        for _ in range(INCREMENTS):
            action()

    with ThreadPoolExecutor(THREADS) as pool:
        for future in [pool.submit(worker) for _ in range(THREADS)]:
            future.result()


def test_concurrent_read_modify_write_of_a_plain_row_loses_no_update(engine):
    # Meta has no version column: without BEGIN IMMEDIATE (SQLite) or FOR UPDATE (PostgreSQL)
    # an interleaved increment would be lost silently, not refused.
    with session_scope(engine) as session:
        session.add(Meta(key="counter", value="0"))
    _hammer(lambda: _increment_meta(engine))
    with read_scope(engine) as session:
        assert session.get(Meta, "counter").value == str(THREADS * INCREMENTS)


def test_concurrent_read_modify_write_of_a_versioned_row_loses_no_update_and_never_clashes(
    engine,
):
    with session_scope(engine) as session:
        organisation_id = add_organisation(session, area="0").id
    _hammer(lambda: _increment_area(engine, organisation_id))
    with read_scope(engine) as session:
        organisation = session.get(Organisation, organisation_id)
        assert organisation.area == str(THREADS * INCREMENTS)
        assert organisation.version == 1 + THREADS * INCREMENTS


def test_session_scope_commits_the_action_whole(engine):
    with session_scope(engine) as session:
        add_organisation(session, name="Kept Council")
    with read_scope(engine) as session:
        assert session.scalar(select(Organisation.name)) == "Kept Council"


def test_session_scope_rolls_back_the_whole_action_when_it_fails(engine):
    with pytest.raises(RuntimeError, match="half way"), session_scope(engine) as session:
        add_organisation(session, name="Lost Council")
        raise RuntimeError("failed half way")
    with read_scope(engine) as session:
        assert session.scalars(select(Organisation)).all() == []


@pytest.mark.parametrize("flush", [False, True], ids=["unflushed", "flushed"])
def test_read_scope_never_commits_what_its_session_changed(engine, flush):
    with session_scope(engine) as session:
        organisation_id = add_organisation(session, name="Original Council").id
    with read_scope(engine) as session:
        session.get(Organisation, organisation_id).name = "Changed Council"
        session.add(Meta(key="stray", value="x"))
        if flush:
            session.flush()
    with read_scope(engine) as session:
        assert session.get(Organisation, organisation_id).name == "Original Council"
        assert session.get(Meta, "stray") is None


def test_read_scope_keeps_what_it_read_usable_after_it_ends(engine):
    with session_scope(engine) as session:
        add_organisation(session, name="Readable Council")
    with read_scope(engine) as session:
        organisation = session.scalars(select(Organisation)).one()
    assert organisation.name == "Readable Council"


def test_a_reader_is_not_blocked_by_an_open_write_transaction(engine):
    with session_scope(engine) as session:
        add_organisation(session, name="Before Council")
    with session_scope(engine) as writer:
        writer.scalars(select(Organisation)).all()
        writer.add(Organisation(name="Uncommitted Council", sector="health"))
        writer.flush()
        with read_scope(engine) as reader:
            names = reader.scalars(select(Organisation.name)).all()
    assert names == ["Before Council"]


def test_saving_a_row_read_before_someone_elses_save_raises_stale_data_error(engine):
    with session_scope(engine) as session:
        organisation_id = add_organisation(session, name="Versioned Council").id
    with read_scope(engine) as session:
        seen = session.get(Organisation, organisation_id)
    assert seen.version == 1
    with session_scope(engine) as session:
        session.get(Organisation, organisation_id).area = "changed by someone else"
    with (
        pytest.raises(StaleDataError, match="expected to update 1 row"),
        session_scope(engine) as session,
    ):
        session.add(seen)
        seen.area = "my stale change"
        session.flush()
    with read_scope(engine) as session:
        current = session.get(Organisation, organisation_id)
        assert (current.area, current.version) == ("changed by someone else", 2)


def test_is_sqlite_tells_the_backends_apart(engine, database_url):
    assert is_sqlite(engine) == database_url.startswith("sqlite")


def test_sqlite_write_transactions_take_the_write_lock_at_begin(tmp_path):
    # A writer that has only read so far already holds the lock, so a second writer cannot start
    # (here it gives up at once instead of waiting) and both cannot read the same value.
    path = tmp_path / "workbench.db"
    engine = make_engine(f"sqlite:///{path}")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with session_scope(engine) as first:
            first.execute(text("SELECT 1"))
            with pytest.raises(sqlite3.OperationalError, match="database is locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()
        engine.dispose()


def test_sqlite_read_scope_does_not_take_the_write_lock(tmp_path):
    path = tmp_path / "workbench.db"
    engine = make_engine(f"sqlite:///{path}")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with read_scope(engine) as reader:
            reader.execute(text("SELECT 1"))
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()
        engine.dispose()
