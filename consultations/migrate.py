"""Bring a database's schema up to date: ``python -m consultations.migrate``.

The app runs this at start (setting ``WORKBENCH_MIGRATE_ON_START``); deployments may run it as
a step of their own. Several replicas starting at once do not race: on PostgreSQL the upgrade
holds an advisory lock, on SQLite an exclusive lock file beside the database.
"""

from __future__ import annotations

import fcntl
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url

from consultations.db import make_engine

# Any fixed number will do; it only has to be the same for every replica of the workbench.
ADVISORY_LOCK_KEY = 7_240_311_206


def alembic_config() -> Config:
    """Return the Alembic configuration of the workbench's migrations."""
    config = Config()
    config.set_main_option("script_location", "consultations:migrations")
    return config


def head_revision() -> str:
    """Return the newest migration's revision id."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    """Return the revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@dataclass(frozen=True)
class UpgradeResult:
    """What an upgrade found and left: revisions, read while holding the lock."""

    before: str | None
    after: str

    @property
    def changed(self) -> bool:
        """Say whether this upgrade (not another process's) changed the schema."""
        return self.before != self.after


def upgrade(engine: Engine) -> UpgradeResult:
    """Upgrade the schema to the newest revision, holding a lock against other processes."""
    with _exclusive(engine), engine.connect() as connection:
        # Read under the lock: a replica that waited for another's upgrade finds nothing to do.
        before = MigrationContext.configure(connection).get_current_revision()
        if before == head_revision():
            return UpgradeResult(before, before)
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()
        return UpgradeResult(before, MigrationContext.configure(connection).get_current_revision())


@contextmanager
def _exclusive(engine: Engine) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            _advisory(connection, "pg_advisory_lock")
            try:
                yield
            finally:
                _advisory(connection, "pg_advisory_unlock")
        return
    database = make_url(str(engine.url)).database
    if not database or database == ":memory:":
        yield
        return
    lock_path = Path(database).with_suffix(".migrate.lock")
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _advisory(connection: Connection, function: str) -> None:
    connection.execute(text(f"SELECT {function}(:key)"), {"key": ADVISORY_LOCK_KEY})
    connection.commit()


def main(argv: list[str] | None = None) -> int:
    """Upgrade the configured database and say what happened."""
    from consultations.settings import load_settings

    argv = sys.argv[1:] if argv is None else argv
    settings = load_settings()
    url = settings.demo_database_url if "--demo" in argv else settings.database_url
    engine = make_engine(url)
    result = upgrade(engine)
    where = engine.url.render_as_string(hide_password=True)
    if result.changed:
        done = f"schema upgraded from {result.before or 'empty'} to {result.after}."
    else:
        done = f"schema at {result.after}, the newest already; nothing to do."
    print(f"Database {where}: {done}")
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
