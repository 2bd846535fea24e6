"""The demo on a real server: never the real database however its URL is spelled, never an
emptied real database, on only where it should be, and capped in what it accepts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url

from consultations.accounts import create_first_officer
from consultations.db import make_engine, read_scope, session_scope
from consultations.demo import build_demo
from consultations.demo_guard import (
    WORKBENCH_TABLES,
    JobAllowance,
    database_identity,
    demo_enabled,
    demo_settings,
    keep_database_identity,
    refuse_shared_database,
    refuse_to_reset,
    same_database,
)
from consultations.errors import WorkbenchError
from consultations.migrate import upgrade
from consultations.models import Consultation, Meta, Organisation, User
from consultations.organisations import OrganisationForm, create_organisation
from consultations.settings import load_settings
from tests.conftest import PASSWORD, ROOT, add_person, operator_environ
from tests.test_pages import texts

SHARED = "WORKBENCH_DEMO_DATABASE_URL names the real database (DATABASE_URL) under another"
NOT_A_DEMO = "The demo will not empty"


def real_database(url: str) -> Engine:
    """A migrated real database with the first officer's account."""
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        create_first_officer(
            session,
            email="aoife@smp.example.org",
            name="Aoife",
            password=PASSWORD,
            confirm=PASSWORD,
        )
    return engine


def people(engine: Engine) -> int:
    with read_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(User))


def sqlite_spellings(folder: Path) -> list[str]:
    """The real database at folder/data/workbench.db, spelled every way a person might."""
    data = folder / "data"
    data.mkdir(exist_ok=True)
    (folder / "elsewhere").mkdir(exist_ok=True)
    link = folder / "elsewhere" / "linked.db"
    link.symlink_to(data / "workbench.db")
    return [
        f"sqlite:///{data / 'workbench.db'}",  # sqlite:////abs/...
        "sqlite:///data/workbench.db",  # relative to the working folder
        "sqlite:///./data/../data/workbench.db",
        f"sqlite+pysqlite:///{data / 'workbench.db'}",
        f"sqlite:///{link}",
        f"sqlite:///{folder / 'elsewhere' / '..' / 'data' / 'workbench.db'}?timeout=5",
        f"sqlite:///file:{data / 'workbench.db'}?mode=rw&uri=true",
    ]


def postgres_spellings(url: str) -> list[str]:
    """The same PostgreSQL database and schema under other driver names, hosts and options."""
    parsed = make_url(url)
    host = parsed.host or "localhost"
    other = "127.0.0.1" if host == "localhost" else "localhost"

    def spelled(driver: str, **changes) -> str:
        return parsed.set(drivername=driver, **changes).render_as_string(hide_password=False)

    return [
        spelled("postgresql"),
        spelled("postgres", host=other),
        spelled("postgresql", host=other, port=parsed.port or 5432),
        spelled("postgresql+psycopg", query={**parsed.query, "sslmode": "prefer"}),
        spelled("postgresql", query={**parsed.query, "application_name": "demo"}),
    ]


# --- the URLs, read as places ---------------------------------------------------------------


def test_the_same_sqlite_file_is_recognised_however_its_url_is_spelled(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    spellings = sqlite_spellings(tmp_path)
    (tmp_path / "data" / "workbench.db").write_bytes(b"")
    for spelling in spellings:
        assert same_database(spellings[0], spelling), spelling
    os.link(tmp_path / "data" / "workbench.db", tmp_path / "elsewhere" / "hard.db")
    assert same_database(spellings[0], f"sqlite:///{tmp_path / 'elsewhere' / 'hard.db'}")


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("sqlite:////srv/a/workbench.db", "sqlite:////srv/a/demo.db", False),
        ("sqlite://", "sqlite://", False),  # two in-memory databases are two databases
        ("postgresql://u:p@localhost/wb", "postgresql+psycopg://u:x@127.0.0.1:5432/wb", True),
        ("postgresql://u@localhost/wb", "postgresql://u@[::1]/wb?sslmode=require", True),
        ("postgresql://u@/wb?host=/var/run/postgresql", "postgresql://u@localhost/wb", True),
        ("postgresql://wb@localhost", "postgresql://wb@localhost/wb", True),  # libpq's default
        ("postgresql://u@localhost/wb", "postgresql://u@localhost/wb_demo", False),
        ("postgresql://u@localhost/wb", "postgresql://u@localhost:5433/wb", False),
        (
            "postgresql://u@localhost/wb",
            "postgresql://u@localhost/wb?options=-csearch_path%3Ddemo",
            False,
        ),
        (
            "postgresql://u@localhost/wb?options=-csearch_path%3Dsmp",
            "postgresql://u@127.0.0.1/wb?options=-c%20search_path%3Dsmp,public",
            True,
        ),
        ("postgresql://u@db.invalid/wb", "postgresql://u@localhost/wb", False),
        ("sqlite:////srv/wb.db", "postgresql://u@localhost/wb", False),
    ],
)
def test_database_urls_are_compared_by_where_they_lead(first, second, same):
    assert same_database(first, second) is same


# --- refused at start-up, and never emptied ---------------------------------------------------


def test_demo_refuses_to_reset_the_real_database(tmp_path, monkeypatch, database_url):
    monkeypatch.chdir(tmp_path)
    if database_url.startswith("sqlite"):
        spellings = sqlite_spellings(tmp_path)
        real = real_database(spellings[0])
    else:
        spellings = postgres_spellings(database_url)
        real = real_database(database_url)
    try:
        for spelling in spellings:
            demo = make_engine(spelling)
            try:
                with pytest.raises(WorkbenchError, match=re.escape(SHARED)):
                    refuse_shared_database(real, demo)
                # Even asked directly, the demo will not empty a database with accounts.
                with pytest.raises(WorkbenchError, match=f"{NOT_A_DEMO} .* it holds 1 account"):
                    build_demo(demo)
            finally:
                demo.dispose()
            assert people(real) == 1, spelling
    finally:
        real.dispose()


def test_the_demo_command_refuses_the_real_database_and_leaves_it_whole(tmp_path):
    real = real_database(f"sqlite:///{tmp_path / 'data' / 'workbench.db'}")
    environ = operator_environ(
        WORKBENCH_DATA_DIR=str(tmp_path / "data"),
        WORKBENCH_DEMO_DATABASE_URL=f"sqlite:///{tmp_path / 'data' / '.' / 'workbench.db'}",
    )
    for module in ("exports.demo", "consultations.demo"):
        done = subprocess.run(
            [sys.executable, "-m", module],
            cwd=ROOT,
            env=environ,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 1
        assert SHARED in done.stderr
    assert people(real) == 1
    real.dispose()


def test_a_demo_database_holding_the_real_databases_identity_is_refused(tmp_path):
    real = real_database(f"sqlite:///{tmp_path / 'real.db'}")
    copy = make_engine(f"sqlite:///{tmp_path / 'restored-copy.db'}")
    with session_scope(real) as session:
        identity = keep_database_identity(session)
    with session_scope(real) as session:
        assert keep_database_identity(session) == identity  # kept once, for good
    upgrade(copy)
    with session_scope(copy) as session:
        session.add(Meta(key="database_id", value=identity))
    assert database_identity(copy) == identity
    with pytest.raises(WorkbenchError, match=re.escape(SHARED)):
        refuse_shared_database(real, copy)
    real.dispose()
    copy.dispose()


def test_an_empty_or_demo_database_may_be_rebuilt_and_others_are_refused(tmp_path, database_url):
    engine = make_engine(database_url)
    try:
        refuse_to_reset(engine)  # nothing in it at all
        build_demo(engine)
        refuse_to_reset(engine)  # the demo marker
        with session_scope(engine) as session:
            session.execute(text("DELETE FROM workbench_meta WHERE key = 'demo'"))
        with pytest.raises(WorkbenchError, match=f"{NOT_A_DEMO} .* it holds 15 accounts"):
            build_demo(engine)
        assert people(engine) == 15
    finally:
        engine.dispose()


def test_a_database_with_tables_the_workbench_did_not_make_is_never_emptied(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'shared.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    with pytest.raises(WorkbenchError, match=r"tables the workbench did not make \(invoices\)"):
        build_demo(engine)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM invoices")).scalar() == 0
    engine.dispose()


# --- on or off, and the caps --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "accounts", "enabled"),
    [
        ("auto", False, True),
        ("auto", True, False),
        ("on", True, True),
        ("off", False, False),
    ],
)
def test_the_demo_is_on_by_default_only_while_no_real_account_exists(mode, accounts, enabled):
    assert demo_enabled(mode, real_accounts=accounts) is enabled


@pytest.mark.parametrize(("text", "mode"), [("", "auto"), ("ON", "on"), ("false", "off")])
def test_the_demo_setting_takes_auto_on_off_and_the_usual_yes_and_no(tmp_path, text, mode):
    environ = {"WORKBENCH_DATA_DIR": str(tmp_path)}
    if text:
        environ["WORKBENCH_DEMO"] = text
    assert load_settings(environ, secrets_path=tmp_path / "none.toml").demo == mode


def test_a_demo_setting_that_is_not_a_mode_is_refused_by_name(tmp_path):
    with pytest.raises(WorkbenchError, match="WORKBENCH_DEMO: 'sometimes' is not one of auto"):
        load_settings(
            {"WORKBENCH_DATA_DIR": str(tmp_path), "WORKBENCH_DEMO": "sometimes"},
            secrets_path=tmp_path / "none.toml",
        )


def test_the_demo_takes_smaller_files_than_the_real_limits(tmp_path):
    settings = load_settings(
        {"WORKBENCH_DATA_DIR": str(tmp_path), "WORKBENCH_MAX_IMPORT_MB": "1"},
        secrets_path=tmp_path / "none.toml",
    )
    capped = demo_settings(settings)
    assert (capped.max_attachment_mb, capped.max_import_mb) == (2, 1)
    assert settings.max_attachment_mb == 20


def test_heavy_jobs_are_allowed_a_few_a_minute_for_everyone_together():
    allowance = JobAllowance(per_minute=2)
    assert allowance.try_start(100.0) is None
    assert allowance.try_start(110.0) is None
    assert allowance.try_start(130.0) == pytest.approx(30.0)
    assert allowance.try_start(160.5) is None  # the first has left the minute
    assert allowance.try_start(161.0) == pytest.approx(9.0)


def test_the_demo_holds_no_more_organisations_than_its_cap(engine):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        for n in range(3):
            create_organisation(
                session, officer, OrganisationForm(f"Council {n}", "health"), demo_cap=3
            )
        with pytest.raises(WorkbenchError, match="The demo holds at most 3 organisations"):
            create_organisation(
                session, officer, OrganisationForm("One more", "health"), demo_cap=3
            )
        create_organisation(session, officer, OrganisationForm("Real", "health"))
        assert session.scalar(select(func.count()).select_from(Organisation)) == 4


# --- the app --------------------------------------------------------------------------------------


def demo_buttons(app) -> list:
    return [b for b in app.button if b.label == "Open the demo"]


def test_the_app_refuses_to_start_on_a_demo_url_that_is_the_real_database(
    open_page, engine, monkeypatch, tmp_path
):
    if engine.dialect.name != "sqlite":
        url = postgres_spellings(engine.url.render_as_string(hide_password=False))[1]
    else:
        url = f"sqlite:///{Path(engine.url.database).parent / '.' / 'workbench.db'}"
    with session_scope(engine) as session:
        add_person(session, "officer")
    monkeypatch.setenv("WORKBENCH_DEMO_DATABASE_URL", url)
    monkeypatch.setenv("WORKBENCH_DEMO", "on")
    app = open_page()
    assert SHARED in texts(app)
    assert demo_buttons(app) == []
    assert people(engine) == 1


def test_with_the_demo_off_there_is_no_demo_button_even_on_a_new_install(open_page, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DEMO", "off")
    app = open_page()
    assert "Set up the workbench" in texts(app)
    assert demo_buttons(app) == []


def test_by_default_the_demo_goes_once_the_first_real_account_exists(open_page, engine):
    assert len(demo_buttons(open_page())) == 1
    with session_scope(engine) as session:
        add_person(session, "officer")
    app = open_page()
    assert "Log in" in texts(app)
    assert demo_buttons(app) == []


def test_a_demonstration_server_keeps_the_demo_on_after_accounts_exist(
    open_page, engine, monkeypatch
):
    monkeypatch.setenv("WORKBENCH_DEMO", "on")
    with session_scope(engine) as session:
        add_person(session, "officer")
    app = open_page()
    demo_buttons(app)[0].click().run()
    assert not app.exception
    assert app.session_state["database"] == "demo"
    assert "You are in the demo" in texts(app)


def test_a_demo_login_ends_when_the_demo_is_switched_off(open_page, monkeypatch):
    app = open_page()
    demo_buttons(app)[0].click().run()
    token = app.session_state["login_token"]
    monkeypatch.setenv("WORKBENCH_DEMO", "off")
    again = open_page(query={})
    again.session_state["database"] = "demo"
    again.session_state["login_token"] = token
    again.run()
    assert not again.exception
    assert "Set up the workbench" in texts(again)
    assert "You are in the demo" not in texts(again)
    assert again.session_state["database"] == "main"


def test_the_demo_refuses_a_heavy_job_past_its_allowance(open_page, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DEMO_JOBS_PER_MINUTE", "1")
    app = open_page()
    demo_buttons(app)[0].click().run()
    app.switch_page("exports/pages/draft.py").run()
    demo = make_engine(load_settings().demo_database_url)
    with read_scope(demo) as session:
        family = session.scalar(select(Consultation.id).where(Consultation.status == "open"))
    demo.dispose()
    next(s for s in app.selectbox if s.label == "Consultation").select(family).run()

    def assemble() -> None:  # the button asks first: assembling again replaces edited text
        next(b for b in app.button if b.label == "Assemble a new draft from the evidence").click()
        app.run()
        next(b for b in app.button if b.label == "Assemble a new draft").click().run()

    assemble()
    assert not app.exception
    assert "A new version of the draft is ready." in texts(app)
    assemble()
    assert "The demo runs at most 1 heavy jobs a minute" in texts(app)
    assert "so assembling the draft did not start" in texts(app)


def test_the_guard_knows_every_table_the_workbench_makes_whichever_stage_defines_it():
    import evidence.models  # noqa: F401
    import exports.models  # noqa: F401
    from consultations.db import Base

    assert set(Base.metadata.tables) == WORKBENCH_TABLES
