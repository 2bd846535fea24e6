"""Back up and restore the workbench's database: ``python -m consultations.backup``.

    python -m consultations.backup backup [FILE]       # FILE defaults to <data dir>/backups/
    python -m consultations.backup restore FILE [--yes]
    (--demo: the demo's database instead of the configured one)

A backup is one zip file: ``manifest.json`` (what it is, the kind of database, its schema
revision, the row count of every table and the SHA-256 of the database inside) and the database
itself. SQLite is copied with SQLite's online backup API, a consistent copy even while the app
writes (WAL included). PostgreSQL is dumped with ``pg_dump`` in its custom format, the row counts
read in the same snapshot; only the schema the app uses (the URL's search_path, usually
``public``) is dumped.

A restore checks the file is one of ours and whole before it touches anything, says what it
would replace and goes ahead only with ``--yes`` (unless the database is empty). It makes the
database exactly the backup: SQLite through the backup API in one transaction; PostgreSQL with
``pg_restore --clean --if-exists`` applied by ``psql`` in one transaction, which also drops the
tables the backup does not have (a newer schema's). A backup from an older version is then
upgraded to this version's schema.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import URL, Connection, Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from consultations.dates import plain_datetime
from consultations.db import READ_ONLY, make_engine, normalise_url
from consultations.errors import WorkbenchError
from consultations.migrate import alembic_config, upgrade
from consultations.words import counted

FORMAT = "consultation-response-workbench backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
PAYLOADS = {"sqlite": "workbench.sqlite", "postgresql": "workbench.pgdump"}
# What the summary of a database names, in this order: table -> (one, many).
SUMMARY = {
    "person": ("person", "people"),
    "organisation": ("organisation", "organisations"),
    "consultation": ("consultation", "consultations"),
    "submission": ("submission", "submissions"),
    "answer": ("answer", "answers"),
    "attachment": ("attachment", "attachments"),
    "draft_version": ("draft version", "draft versions"),
}


@dataclass(frozen=True)
class Manifest:
    """What a backup holds, written beside the database in the zip file."""

    database: str
    revision: str | None
    created: str
    tables: dict[str, int]
    sha256: str
    schema: str = ""
    tool: str = ""

    @property
    def created_at(self) -> datetime:
        """Return when the backup was made (UTC)."""
        return datetime.fromisoformat(self.created)


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the backup's revision and the revision the database is at now."""

    restored: Manifest
    revision: str


# --- the command -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run ``backup`` or ``restore`` on the configured database and say what happened."""
    from consultations.settings import load_settings

    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    url = ""
    try:
        settings = load_settings()
        url = settings.demo_database_url if args.demo else settings.database_url
        if args.action == "backup":
            path = Path(args.file) if args.file else default_backup_path(settings.data_dir)
            manifest = backup(url, path)
            print(f"Backed up {where(url)} to {path}: {summary(manifest.tables)}.")
            return 0
        if not args.file:
            raise WorkbenchError("Say which backup file to restore: restore FILE.")
        return _restore_command(url, Path(args.file), confirmed=args.yes)
    except WorkbenchError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OperationalError as exc:
        reason = (str(exc.orig).strip().splitlines() or ["no reason given"])[0]
        print(
            f"The database {where(url)} could not be reached ({reason}). Check DATABASE_URL and "
            "that the database server is running, then run the command again.",
            file=sys.stderr,
        )
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m consultations.backup",
        description="Back up the workbench's database to a file, or restore it from one.",
    )
    parser.add_argument("action", choices=("backup", "restore"))
    parser.add_argument("file", nargs="?", help="the backup file")
    parser.add_argument("--yes", action="store_true", help="replace the database's contents")
    parser.add_argument("--demo", action="store_true", help="the demo database instead")
    return parser


def _restore_command(url: str, path: Path, *, confirmed: bool) -> int:
    manifest = read_backup(path)
    current = describe(url)
    print(
        f"The backup {path}, made on {plain_datetime(manifest.created_at)} from a "
        f"{_kind(manifest.database)} database, holds {summary(manifest.tables)}."
    )
    if current is not None and not confirmed:
        print(
            f"The database {where(url)} holds {summary(current)} now. Restoring replaces "
            "everything in it with the backup. Nothing has been changed: to go ahead, stop the "
            "app and run the command again with --yes (with make: YES=1).",
            file=sys.stderr,
        )
        return 1
    result = restore(url, path)
    upgraded = (
        f" and upgraded its schema from {result.restored.revision or 'empty'} to {result.revision}"
        if result.restored.revision != result.revision
        else ""
    )
    print(f"Restored {where(url)} from {path}{upgraded}.")
    return 0


def default_backup_path(data_dir: Path, *, now: datetime | None = None) -> Path:
    """Return a new backup's file name under the data folder, named by the time (UTC)."""
    moment = now or datetime.now(UTC)
    return data_dir / "backups" / f"workbench-{moment:%Y-%m-%d-%H%M%S}.zip"


def where(url: str) -> str:
    """Return the database's URL as people may see it: without the password."""
    return make_url(normalise_url(url)).render_as_string(hide_password=True)


def summary(tables: dict[str, int]) -> str:
    """Say in words what a database holds: '4 people, 1 consultation, 3 answers'."""
    parts = []
    for table, (one, many) in SUMMARY.items():
        count = tables.get(table, 0)
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    rows = sum(tables.values())
    held = ", ".join(parts) or "no people, consultations or answers"
    return f"{held} ({counted(rows, 'row')} in {counted(len(tables), 'table')})"


def _kind(database: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(database, database)


# --- backing up ------------------------------------------------------------------------------


def backup(url: str, path: Path) -> Manifest:
    """Write a backup of the database at ``url`` to a new file at ``path``."""
    if path.exists():
        raise WorkbenchError(
            f"{path} exists already. Choose another file name; an old backup is never overwritten."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    try:
        with tempfile.TemporaryDirectory(prefix="workbench-backup-") as folder:
            payload = Path(folder) / "payload"
            if engine.dialect.name == "sqlite":
                manifest = _sqlite_backup(_sqlite_path(engine), payload)
            else:
                manifest = _postgresql_backup(engine, payload)
            _write_zip(path, manifest, payload)
    finally:
        engine.dispose()
    return manifest


def _write_zip(path: Path, manifest: Manifest, payload: Path) -> None:
    # Written under a temporary name (readable by its owner only: it holds password hashes and
    # every attachment) and renamed, so a file with the backup's name is always a whole one.
    partial = path.with_name(f".{path.name}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle, zipfile.ZipFile(handle, "w") as archive:
            about = {"format": FORMAT, "version": FORMAT_VERSION, **asdict(manifest)}
            archive.writestr(MANIFEST, json.dumps(about, indent=2))
            # A pg_dump archive is compressed already; a SQLite file is not.
            compression = zipfile.ZIP_DEFLATED if manifest.database == "sqlite" else None
            archive.write(
                payload,
                PAYLOADS[manifest.database],
                compress_type=compression or zipfile.ZIP_STORED,
            )
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise WorkbenchError("An in-memory database cannot be backed up or restored.")
    return Path(database)


def _sqlite_backup(database: Path, payload: Path) -> Manifest:
    if not database.is_file():
        raise WorkbenchError(f"There is no database at {database} to back up.")
    # The backup API copies every page in one step under a read transaction: a consistent
    # copy, with what is still in the WAL file, while the app goes on writing.
    with _sqlite(database) as source, _sqlite(payload) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    tables, revision = _sqlite_contents(payload)
    return Manifest(
        database="sqlite",
        revision=revision,
        created=_now(),
        tables=tables,
        sha256=_sha256(payload),
        tool=f"SQLite {sqlite3.sqlite_version}",
    )


@contextmanager
def _sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        yield connection
    finally:
        connection.close()


def _sqlite_contents(path: Path) -> tuple[dict[str, int], str | None]:
    """The row count of every table in a SQLite file, and its migration revision."""
    engine = create_engine(URL.create("sqlite", database=str(path)))
    try:
        with engine.connect() as connection:
            tables = _counts(connection)
            return tables, _revision(connection, tables)
    finally:
        engine.dispose()


def _postgresql_backup(engine: Engine, payload: Path) -> Manifest:
    pg_dump = find_tool("pg_dump")
    tool = tool_version(pg_dump)
    conninfo, environ = libpq(engine.url.render_as_string(hide_password=False))
    with engine.connect() as connection:
        check_versions("pg_dump", tool, _server_major(connection))
        schema = _current_schema(connection)
        connection.rollback()
        # Row counts and the revision are read in the snapshot that pg_dump dumps, so the
        # manifest describes exactly what the archive holds, however busy the app is.
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
        tables = _counts(connection)
        revision = _revision(connection, tables)
        _run(
            [
                pg_dump,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--schema={_pattern(schema)}",
                f"--snapshot={snapshot}",
                f"--file={payload}",
                f"--dbname={conninfo}",
            ],
            environ,
            "pg_dump could not back up the database",
        )
        connection.rollback()
    return Manifest(
        database="postgresql",
        revision=revision,
        created=_now(),
        tables=tables,
        sha256=_sha256(payload),
        schema=schema,
        tool=f"pg_dump {'.'.join(map(str, tool))}",
    )


def _now() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- PostgreSQL's tools ----------------------------------------------------------------------


def find_tool(name: str, search_path: str | None = None) -> str:
    """Return the path of a PostgreSQL client tool, or say how to install it."""
    found = shutil.which(name, path=search_path)
    if found is None:
        raise WorkbenchError(
            f"{name} was not found on this machine. Install PostgreSQL's client tools of the "
            "database server's version (on Debian and Ubuntu: apt-get install "
            "postgresql-client) and make sure they are on PATH, then run the command again."
        )
    return found


def tool_version(tool: str) -> tuple[int, ...]:
    """Return a PostgreSQL tool's version, such as (16, 4), from its --version."""
    output = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?", output)
    if match is None:
        raise WorkbenchError(f"{tool} did not say its version ({output.strip()!r}).")
    return tuple(int(part) for part in match.groups() if part is not None)


def check_versions(name: str, tool: tuple[int, ...], server_major: int) -> None:
    """Refuse a pg_dump older than the server: it cannot dump a newer server's database."""
    if tool[0] < server_major:
        raise WorkbenchError(
            f"{name} is from PostgreSQL {tool[0]}, but the database server runs PostgreSQL "
            f"{server_major}, and {name} must be the server's version or newer. Install the "
            f"client tools of PostgreSQL {server_major} (on Debian and Ubuntu: apt-get install "
            f"postgresql-client-{server_major}) and run the command again."
        )


def libpq(url: str) -> tuple[str, dict[str, str]]:
    """Return the libpq connection string for a database URL, and the environment to run a
    tool in: the password goes in PGPASSWORD, not on the command line other users can read."""
    parsed = make_url(normalise_url(url))
    params: dict[str, str] = {}
    for key, value in (
        ("host", parsed.host),
        ("port", parsed.port),
        ("user", parsed.username),
        ("dbname", parsed.database),
    ):
        if value not in (None, ""):
            params[key] = str(value)
    for key, value in parsed.query.items():
        params[key] = value if isinstance(value, str) else value[-1]
    conninfo = " ".join(f"{key}={_quote(value)}" for key, value in params.items())
    environ = dict(os.environ)
    if parsed.password:
        environ["PGPASSWORD"] = str(parsed.password)
    return conninfo, environ


def _quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def _pattern(schema: str) -> str:
    # A pg_dump pattern in double quotes matches the name exactly, capitals and all.
    return '"' + schema.replace('"', '""') + '"'


def _run(command: list[str], environ: dict[str, str], failed: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, env=environ, check=False)
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()
        raise WorkbenchError(f"{failed}: {' '.join(detail[-3:]) or 'no reason given'}.")
    return done.stdout


def _server_major(connection: Connection) -> int:
    number = int(connection.scalar(text("SHOW server_version_num")))
    return number // 10000


def _current_schema(connection: Connection) -> str:
    schema = connection.scalar(text("SELECT current_schema()"))
    if not schema:
        raise WorkbenchError(
            "The database URL's search_path names no schema that exists. Create the schema or "
            "correct the URL, then run the command again."
        )
    return str(schema)


# --- reading a backup ------------------------------------------------------------------------


def read_backup(path: Path) -> Manifest:
    """Return a backup's manifest once the file is checked to be one of ours and whole."""
    if not path.is_file():
        raise WorkbenchError(f"There is no file at {path}.")
    not_ours = f"{path} is not a backup made by the workbench, so nothing was changed."
    if not zipfile.is_zipfile(path):
        raise WorkbenchError(not_ours)
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _manifest(archive.read(MANIFEST), not_ours)
            digest = hashlib.sha256()
            with archive.open(PAYLOADS[manifest.database]) as payload:
                for block in iter(lambda: payload.read(1 << 20), b""):
                    digest.update(block)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise WorkbenchError(
            f"{path} is damaged or not a backup made by the workbench ({exc}), so nothing was "
            "changed. Use another backup."
        ) from exc
    if digest.hexdigest() != manifest.sha256:
        raise WorkbenchError(
            f"{path} is damaged: its database does not match the checksum written when it was "
            "made, so nothing was changed. Use another backup."
        )
    _check_revision_known(manifest.revision)
    return manifest


def _manifest(data: bytes, not_ours: str) -> Manifest:
    try:
        loaded = json.loads(data)
    except ValueError as exc:
        raise WorkbenchError(not_ours) from exc
    if not isinstance(loaded, dict) or loaded.get("format") != FORMAT:
        raise WorkbenchError(not_ours)
    if loaded.get("version") != FORMAT_VERSION:
        raise WorkbenchError(
            f"The backup is in format {loaded.get('version')}, which this version of the "
            "workbench does not read. Restore it with the version that made it."
        )
    fields = {key: loaded.get(key) for key in Manifest.__dataclass_fields__}
    if fields["database"] not in PAYLOADS or not isinstance(fields["tables"], dict):
        raise WorkbenchError(not_ours)
    return Manifest(**fields)  # type: ignore[arg-type]


def _check_revision_known(revision: str | None) -> None:
    if revision is None:
        return
    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except CommandError as exc:
        raise WorkbenchError(
            f"The backup's schema is at revision {revision}, which this version of the workbench "
            "does not know: a newer version made it. Nothing was changed: install that version "
            "(or a newer one) and restore with it."
        ) from exc


# --- restoring -------------------------------------------------------------------------------


def describe(url: str) -> dict[str, int] | None:
    """Return the row count of every table in the database, or None when it has no tables."""
    engine = make_engine(url)
    try:
        if engine.dialect.name == "sqlite" and not _sqlite_path(engine).exists():
            return None
        # A reading transaction: on SQLite it does not queue behind the app's writes.
        with engine.execution_options(**{READ_ONLY: True}).connect() as connection:
            tables = _counts(connection)
    finally:
        engine.dispose()
    return tables or None


def restore(url: str, path: Path) -> RestoreResult:
    """Make the database at ``url`` exactly the backup at ``path``, then upgrade its schema."""
    manifest = read_backup(path)
    engine = make_engine(url)
    try:
        if manifest.database != engine.dialect.name:
            raise WorkbenchError(
                f"The backup is of a {_kind(manifest.database)} database, but the database to "
                f"restore is {_kind(engine.dialect.name)}. Restore it into a "
                f"{_kind(manifest.database)} database; nothing was changed."
            )
        with tempfile.TemporaryDirectory(prefix="workbench-restore-") as folder:
            payload = Path(folder) / "payload"
            with (
                zipfile.ZipFile(path) as archive,
                archive.open(PAYLOADS[manifest.database]) as source,
                payload.open("wb") as out,
            ):
                shutil.copyfileobj(source, out)
            if manifest.database == "sqlite":
                _sqlite_restore(payload, _sqlite_path(engine), manifest)
            else:
                _postgresql_restore(engine, payload, manifest, Path(folder))
        with engine.connect() as connection:
            restored = _counts(connection)
        if restored != manifest.tables:
            raise WorkbenchError(
                "The restored database does not hold what the backup's manifest lists. Check "
                "the database and restore again."
            )
        revision = upgrade(engine).after
    finally:
        engine.dispose()
    return RestoreResult(restored=manifest, revision=revision)


def _sqlite_restore(payload: Path, database: Path, manifest: Manifest) -> None:
    with _sqlite(payload) as copy:
        problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        if problems != ["ok"] or _sqlite_contents(payload)[0] != manifest.tables:
            raise WorkbenchError(
                "The database inside the backup is damaged, so nothing was changed. Use "
                "another backup."
            )
        database.parent.mkdir(parents=True, exist_ok=True)
        # The backup API writes the whole copy into the live database in one transaction,
        # through SQLite's own locking: the app's connections see the old or the new database.
        with _sqlite(database) as target:
            copy.backup(target)


def _postgresql_restore(engine: Engine, payload: Path, manifest: Manifest, folder: Path) -> None:
    pg_restore, psql = find_tool("pg_restore"), find_tool("psql")
    conninfo, environ = libpq(engine.url.render_as_string(hide_password=False))
    made_by = manifest.tool or "pg_dump"
    listing = _run(
        [pg_restore, "--list", str(payload)],
        environ,
        f"{pg_restore} cannot read the backup (made by {made_by}); use the client tools of "
        "that PostgreSQL version or newer. Nothing was changed",
    )
    with engine.connect() as connection:
        schema = _current_schema(connection)
        extra = sorted(set(_counts(connection)) - set(manifest.tables))
    if schema != manifest.schema:
        raise WorkbenchError(
            f"The backup holds the schema '{manifest.schema}', but the database URL uses the "
            f"schema '{schema}'. Point DATABASE_URL's search_path at '{manifest.schema}' (or "
            "restore into a database that uses it); nothing was changed."
        )
    # The schema itself is left as it is (with its owner and grants): only what is in it is
    # replaced.
    kept = [line for line in listing.splitlines() if not re.search(r"\d+ \d+ SCHEMA ", line)]
    (folder / "list").write_text("\n".join(kept) + "\n")
    script = folder / "restore.sql"
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            f"--use-list={folder / 'list'}",
            f"--file={script}",
            str(payload),
        ],
        environ,
        "pg_restore could not read the backup; nothing was changed",
    )
    # psql runs the drop of the tables the backup does not have and the whole restore in one
    # transaction: it all happens, or (on any error) none of it.
    drops = [f"DROP TABLE IF EXISTS {_name(schema)}.{_name(table)} CASCADE;" for table in extra]
    command = [psql, "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1"]
    if drops:
        command.append(f"--command={' '.join(drops)}")
    command += [f"--file={script}", f"--dbname={conninfo}"]
    _run(command, environ, "The restore failed and was rolled back, so nothing was changed")


def _name(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


# --- both databases --------------------------------------------------------------------------


def _counts(connection: Connection) -> dict[str, int]:
    names = sorted(inspect(connection).get_table_names())
    return {
        name: int(connection.scalar(text(f"SELECT count(*) FROM {_name(name)}"))) for name in names
    }


def _revision(connection: Connection, tables: dict[str, int]) -> str | None:
    if "alembic_version" not in tables:
        return None
    return connection.scalar(text("SELECT version_num FROM alembic_version"))


if __name__ == "__main__":
    sys.exit(main())
