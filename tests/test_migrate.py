"""Migrations: an empty database reaches the newest schema, once, however many start at once,
and the migrations build exactly the tables the models describe."""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from consultations.db import Base, make_engine
from consultations.migrate import (
    UpgradeResult,
    alembic_config,
    current_revision,
    head_revision,
    upgrade,
)
from tests.conftest import ROOT, operator_environ, run_at_once

# One migration history serves every package; their models register on the one Base.
MODEL_MODULES = ("consultations.models", "evidence.models", "exports.models")
for module in MODEL_MODULES:
    if importlib.util.find_spec(module) is not None:
        importlib.import_module(module)


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    """Every test here starts from a database with no schema at all."""
    return empty_database_url


@pytest.fixture
def engine(database_url: str):
    """An engine on the test's database, migrated here from nothing to the newest revision."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def empty_engine(database_url: str):
    """An engine on the test's database, with no schema at all."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def version_rows(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


def migrate_command(database_url: str, data_dir: Path, *args: str) -> subprocess.Popen[str]:
    environ = operator_environ(DATABASE_URL=database_url, WORKBENCH_DATA_DIR=str(data_dir))
    return subprocess.Popen(
        [sys.executable, "-m", "consultations.migrate", *args],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_migrations_form_one_line_with_one_head():
    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_heads() == [head_revision()]
    assert [r.revision for r in scripts.walk_revisions()][-1] == "0001"


def test_upgrading_an_empty_database_reaches_the_newest_revision(empty_engine):
    assert current_revision(empty_engine) is None
    assert upgrade(empty_engine) == UpgradeResult(before=None, after=head_revision())
    assert current_revision(empty_engine) == head_revision()
    tables = set(inspect(empty_engine).get_table_names())
    assert tables == set(Base.metadata.tables) | {"alembic_version"}


def test_upgrading_twice_changes_nothing_the_second_time(empty_engine):
    upgrade(empty_engine)
    with empty_engine.begin() as connection:
        connection.execute(text("INSERT INTO workbench_meta (key, value) VALUES ('kept', 'yes')"))
    again = upgrade(empty_engine)
    assert not again.changed
    assert again == UpgradeResult(before=head_revision(), after=head_revision())
    assert version_rows(empty_engine) == [head_revision()]
    with empty_engine.connect() as connection:
        assert connection.execute(text("SELECT value FROM workbench_meta")).scalar() == "yes"


def test_threads_upgrading_a_fresh_database_at_once_all_succeed_once(database_url):
    engines = [make_engine(database_url) for _ in range(4)]
    results, failures = run_at_once([lambda e=e: upgrade(e) for e in engines])
    try:
        assert failures == []
        assert sorted(result.changed for result in results) == [False, False, False, True]
        assert version_rows(engines[0]) == [head_revision()]
    finally:
        for engine in engines:
            engine.dispose()


def test_processes_running_the_migrate_command_at_once_all_succeed_once(database_url, tmp_path):
    commands = [migrate_command(database_url, tmp_path / "data") for _ in range(3)]
    results = [command.communicate(timeout=120) for command in commands]
    assert [command.returncode for command in commands] == [0, 0, 0], results
    outputs = sorted(stdout for stdout, _ in results)
    # Exactly one of them did the upgrade; the others found the schema at head already.
    assert (
        sum(f"schema upgraded from empty to {head_revision()}." in out for out in outputs) == 1
    ), outputs
    assert sum("nothing to do." in out for out in outputs) == 2, outputs
    engine = make_engine(database_url)
    try:
        assert version_rows(engine) == [head_revision()]
    finally:
        engine.dispose()


def test_the_migrate_command_says_which_database_it_upgraded_and_hides_the_password(
    database_url, tmp_path
):
    stdout, stderr = migrate_command(database_url, tmp_path / "data").communicate(timeout=120)
    assert stderr == ""
    assert stdout.startswith("Database ")
    assert stdout.endswith(f": schema upgraded from empty to {head_revision()}.\n")
    assert "workbench:workbench@" not in stdout


def test_the_migrate_command_run_again_says_there_was_nothing_to_do(database_url, tmp_path):
    migrate_command(database_url, tmp_path / "data").communicate(timeout=120)
    stdout, _ = migrate_command(database_url, tmp_path / "data").communicate(timeout=120)
    assert stdout.endswith(f": schema at {head_revision()}, the newest already; nothing to do.\n")


def test_the_migrate_command_upgrades_the_demo_database_when_asked(tmp_path):
    main = tmp_path / "main.db"
    command = migrate_command(f"sqlite:///{main}", tmp_path / "data", "--demo")
    stdout, _ = command.communicate(timeout=120)
    assert command.returncode == 0
    assert f"demo.db: schema upgraded from empty to {head_revision()}." in stdout
    assert not main.exists()
    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'demo.db'}")
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_the_migrations_build_exactly_what_the_models_describe(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
