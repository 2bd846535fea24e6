"""Backup and restore (``python -m consultations.backup``) on SQLite and PostgreSQL: a restore
brings back exactly what was backed up, asks first, refuses a file that is not a whole backup
of ours without changing anything, and a backup taken while the app writes is consistent."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, MetaData, func, inspect, select, text

from consultations.backup import (
    FORMAT,
    MANIFEST,
    backup,
    check_versions,
    find_tool,
    libpq,
    main,
    read_backup,
    restore,
)
from consultations.db import make_engine, session_scope
from consultations.errors import WorkbenchError
from consultations.migrate import alembic_config, current_revision, head_revision, upgrade
from consultations.models import Consultation, Question, User
from evidence.analysis import load_evidence
from evidence.attachments import add_attachment, remove_attachment
from evidence.models import Attachment
from evidence.submissions import submit
from exports.drafts import assemble_draft
from tests.conftest import ROOT, add_consultation, add_person, later, operator_environ
from tests.tagging_world import ESOL, NOW, NRPF_BELFAST, SPOUSE_VISAS, TODAY, build_world, save

EVIDENCE = b"Year,Families helped\n2025,412\n2026,530\n"


def run_command(database_url: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the backup command as an operator would, on the given database."""
    environ = operator_environ(DATABASE_URL=database_url, WORKBENCH_DATA_DIR=str(data_dir))
    return subprocess.run(
        [sys.executable, "-m", "consultations.backup", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def everything(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order: what 'exactly the same' is checked on."""
    with engine.connect() as connection:
        return {
            table: sorted(
                (tuple(row) for row in connection.execute(text(f'SELECT * FROM "{table}"'))),
                key=repr,
            )
            for table in sorted(inspect(connection).get_table_names())
        }


def build_partnership(engine: Engine) -> None:
    """People, an open consultation, two submissions with answers, an attachment and a draft."""
    world = build_world(engine, organisations=2)
    save(world, 0, 0, NRPF_BELFAST)
    save(world, 0, 1, ESOL)
    save(world, 1, 0, SPOUSE_VISAS)
    with session_scope(engine) as session:
        partner = session.get(User, world.partners[0])
        add_attachment(
            session, partner, world.consultation, name="caseload.csv", data=EVIDENCE,
            today=TODAY, now=NOW,
        )  # fmt: skip
    for partner, consent in ((0, "named"), (1, "anonymous")):
        with session_scope(engine) as session:
            person = session.get(User, world.partners[partner])
            submit(session, person, world.consultation, consent=consent, today=TODAY, now=NOW)
    with session_scope(engine) as session:
        officer = session.get(User, world.officer)
        evidence = load_evidence(
            session, officer, world.consultation, today=TODAY, partnership="SMP", region="NI"
        )
        assemble_draft(session, officer, evidence, world.consultation, now=later(hours=1))


def test_a_restore_brings_back_exactly_what_was_backed_up(engine, database_url, tmp_path):
    build_partnership(engine)
    before = everything(engine)
    file = tmp_path / "backups" / "monday.zip"

    made = run_command(database_url, tmp_path / "data", "backup", str(file))
    assert made.returncode == 0, made.stderr
    assert (
        f"to {file}: 4 people, 2 organisations, 1 consultation, 2 submissions, 3 answers, "
        "1 attachment, 1 draft version (" in made.stdout
    )
    assert "workbench:workbench@" not in made.stdout
    assert oct(file.stat().st_mode & 0o777) == "0o600"  # it holds password hashes

    with session_scope(engine) as session:
        attachment = session.scalars(select(Attachment)).one()
        remove_attachment(
            session, attachment.uploaded_by, attachment.id,
            today=TODAY, now=later(hours=2),
        )  # fmt: skip
        add_person(session, "officer", email="newcomer@example.org")
        session.execute(text("UPDATE answer SET text = 'Changed after the backup.'"))
        session.execute(text("DELETE FROM draft_version"))
    assert everything(engine) != before

    restored = run_command(database_url, tmp_path / "data", "restore", str(file), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert f"Restored {engine.url.render_as_string(hide_password=True)} from {file}." in (
        restored.stdout
    )
    assert everything(engine) == before
    with session_scope(engine) as session:
        assert session.scalars(select(Attachment.data)).one() == EVIDENCE
        # Sequences came back too: new rows take new ids.
        add_person(session, "partner", email="after-the-restore@example.org")


def test_a_restore_without_yes_says_what_it_would_replace_and_changes_nothing(
    engine, database_url, tmp_path, monkeypatch, capsys
):
    with session_scope(engine) as session:
        add_consultation(session, add_person(session, "officer"), questions=2)
    file = tmp_path / "backup.zip"
    backup(database_url, file)
    with session_scope(engine) as session:
        add_person(session, "board")
    before = everything(engine)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))

    assert main(["restore", str(file)]) == 1

    said = capsys.readouterr()
    assert "holds 1 person, 1 consultation (" in said.out
    assert "holds 2 people, 1 consultation (" in said.err
    assert "Nothing has been changed: to go ahead" in said.err
    assert "again with --yes (with make: YES=1)." in said.err
    assert everything(engine) == before


@pytest.fixture(scope="module")
def backed_up(shared_engine: Engine, tmp_path_factory) -> tuple[Engine, Path]:
    """A module's database with a person in it, and a good backup of it."""
    with session_scope(shared_engine) as session:
        add_person(session, "officer", email="kept@example.org")
    file = tmp_path_factory.mktemp("backup") / "good.zip"
    backup(url_of(shared_engine), file)
    return shared_engine, file


def rewritten(good: Path, target: Path, change) -> Path:
    """Copy a backup, passing its manifest and database through ``change``."""
    with zipfile.ZipFile(good) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        name = next(n for n in archive.namelist() if n != MANIFEST)
        payload = archive.read(name)
    manifest, name, payload = change(manifest, name, payload)
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(MANIFEST, json.dumps(manifest))
        archive.writestr(name, payload)
    return target


def _flip_a_byte(manifest, name, payload):
    middle = len(payload) // 2
    return (
        manifest,
        name,
        payload[:middle] + bytes([payload[middle] ^ 0xFF]) + payload[middle + 1 :],
    )


def _newer_revision(manifest, name, payload):
    return manifest | {"revision": "9999"}, name, payload


def _someone_elses_manifest(manifest, name, payload):
    return manifest | {"format": "another app's backup"}, name, payload


def _the_other_database(manifest, name, payload):
    other = "postgresql" if manifest["database"] == "sqlite" else "sqlite"
    other_name = "workbench.pgdump" if other == "postgresql" else "workbench.sqlite"
    return manifest | {"database": other}, other_name, payload


def _no_manifest(target: Path, good: Path) -> Path:
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(target, "w") as archive:
        for name in source.namelist():
            if name != MANIFEST:
                archive.writestr(name, source.read(name))
    return target


def _cut_short(target: Path, good: Path) -> Path:
    data = good.read_bytes()
    target.write_bytes(data[: len(data) // 2])
    return target


BAD_FILES = {
    "a text file": (
        lambda target, good: (target.write_text("name,email\n"), target)[1],
        "is not a backup made by the workbench",
    ),
    "a zip file without a manifest": (_no_manifest, "damaged or not a backup made by"),
    "another app's zip file": (
        lambda target, good: rewritten(good, target, _someone_elses_manifest),
        "is not a backup made by the workbench",
    ),
    "a backup cut short": (_cut_short, "is not a backup made by the workbench"),
    "a backup with a damaged database": (
        lambda target, good: rewritten(good, target, _flip_a_byte),
        "its database does not match the checksum",
    ),
    "a backup from a newer version": (
        lambda target, good: rewritten(good, target, _newer_revision),
        "revision 9999, which this version of the workbench does not know",
    ),
    "a backup of the other kind of database": (
        lambda target, good: rewritten(good, target, _the_other_database),
        "Restore it into a (SQLite|PostgreSQL) database; nothing was changed",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_file_that_is_not_a_whole_backup_of_ours_is_refused_and_nothing_changes(
    backed_up, case, tmp_path, monkeypatch, capsys
):
    engine, good = backed_up
    make, message = BAD_FILES[case]
    bad = make(tmp_path / "bad.zip", good)
    before = everything(engine)
    monkeypatch.setenv("DATABASE_URL", url_of(engine))
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))

    assert main(["restore", str(bad), "--yes"]) == 1

    assert capsys.readouterr().err.strip() != ""
    with pytest.raises(WorkbenchError, match=message):
        restore(url_of(engine), bad)
    assert everything(engine) == before


def test_a_backup_never_overwrites_a_file_that_is_there(backed_up, tmp_path):
    engine, good = backed_up
    kept = good.read_bytes()
    with pytest.raises(WorkbenchError, match=r"exists already\. Choose another file name"):
        backup(url_of(engine), good)
    assert good.read_bytes() == kept
    assert read_backup(good).tables["person"] >= 1


def test_a_backup_taken_while_the_app_writes_is_consistent_and_restores_into_an_empty_database(
    engine, database_url, tmp_path, monkeypatch, capsys
):
    # Every writing transaction adds a consultation with its three questions (and audit
    # events): a torn copy would show a consultation without all of them.
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
    stop = threading.Event()
    written: list[int] = []
    failures: list[BaseException] = []

    def write() -> None:
        try:
            while not stop.is_set():
                with session_scope(engine) as session:
                    add_consultation(session, session.get(User, officer.id), questions=3)
                written.append(1)
        except BaseException as exc:  # collected for the assertion below
            failures.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    file = tmp_path / "busy.zip"
    try:
        while len(written) < 5:
            stop.wait(0.01)
        started_with = len(written)
        made = run_command(database_url, tmp_path / "data", "backup", str(file))
        finished_with = len(written)
        while len(written) < finished_with + 3:
            stop.wait(0.01)
    finally:
        stop.set()
        writer.join()
    assert failures == []
    assert made.returncode == 0, made.stderr

    # The database is lost: every table goes. A restore into an empty database needs no --yes.
    everything_there = MetaData()
    everything_there.reflect(engine)
    everything_there.drop_all(engine)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    assert main(["restore", str(file)]) == 0, capsys.readouterr().err

    manifest = read_backup(file)
    with session_scope(engine) as session:
        consultations = session.scalars(select(Consultation)).all()
        assert started_with < len(consultations) <= finished_with + 1
        assert all(len(consultation.questions) == 3 for consultation in consultations)
        assert session.scalar(select(func.count(Question.id))) == (3 * len(consultations))
    assert manifest.tables["consultation"] == len(consultations)


def test_restoring_an_older_backup_replaces_a_newer_schema_and_upgrades_it(
    empty_database_url, tmp_path
):
    database_url = empty_database_url
    older = make_engine(database_url)
    try:
        config = alembic_config()
        with older.connect() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0004")
            connection.commit()
        with older.begin() as connection:
            connection.execute(
                text("INSERT INTO workbench_meta (key, value) VALUES ('kept', 'from 0004')")
            )
        file = tmp_path / "older.zip"
        assert backup(database_url, file).revision == "0004"
        # The app was upgraded since: the database has tables the backup does not know.
        upgrade(older)
        assert "review_decision" in inspect(older).get_table_names()

        result = restore(database_url, file)

        assert (result.restored.revision, result.revision) == ("0004", head_revision())
        assert current_revision(older) == head_revision()
        with older.connect() as connection:
            kept = connection.execute(text("SELECT key, value FROM workbench_meta")).all()
        assert [tuple(row) for row in kept] == [("kept", "from 0004")]
    finally:
        older.dispose()


# --- PostgreSQL's tools, and what the command says about them --------------------------------


def test_a_missing_pg_dump_is_named_with_how_to_install_it(tmp_path):
    with pytest.raises(WorkbenchError, match=r"pg_dump was not found on this machine\. Install"):
        find_tool("pg_dump", search_path=str(tmp_path))


@pytest.mark.parametrize(
    ("tool", "server", "fits"),
    [((15, 18), 15, True), ((16, 4), 15, True), ((14, 12), 15, False), ((13, 1), 17, False)],
)
def test_pg_dump_must_be_the_servers_version_or_newer(tool, server, fits):
    if fits:
        check_versions("pg_dump", tool, server)
    else:
        with pytest.raises(WorkbenchError, match=f"apt-get install postgresql-client-{server}"):
            check_versions("pg_dump", tool, server)


def test_the_password_goes_to_the_tools_in_the_environment_not_on_the_command_line():
    conninfo, environ = libpq(
        "postgresql://workbench:s3cret@db.internal:6432/workbench?sslmode=require"
        "&options=-csearch_path%3Dsmp"
    )
    assert "s3cret" not in conninfo
    assert environ["PGPASSWORD"] == "s3cret"
    assert conninfo == (
        "host='db.internal' port='6432' user='workbench' dbname='workbench' "
        "sslmode='require' options='-csearch_path=smp'"
    )


def test_a_backup_file_says_what_it_is(backed_up):
    _, good = backed_up
    with zipfile.ZipFile(io.BytesIO(good.read_bytes())) as archive:
        manifest = json.loads(archive.read(MANIFEST))
    assert manifest["format"] == FORMAT
    assert manifest["revision"] == head_revision()
    assert manifest["tables"]["alembic_version"] == 1
