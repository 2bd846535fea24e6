"""Fixtures: a real database per test (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
and small builders of people, organisations and consultations that double as demo-like data."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from consultations.accounts import hash_password
from consultations.consultation import ConsultationForm, create_consultation
from consultations.dates import UK, uk_today
from consultations.db import make_engine, normalise_url, scratch_schema, session_scope, utcnow
from consultations.migrate import upgrade
from consultations.models import Organisation, User
from consultations.questions import QuestionForm, save_questions

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
PASSWORD = "correct horse battery staple"
# The tests' day moves with the calendar: the pages read the real clock, so a consultation built
# with fixed dates would close under them as time passes. TODAY is yesterday (the UK date), so
# that everything the builders do (at NOW, 10:00 UK time, plus a few hours) comes before anything
# a page does at the real time, as it would in life: a page's newest decision is the newest.
# NOW is stored as the app stores times (UTC, without tzinfo) and reads "at 10:00" in winter and
# summer alike. The default consultation keeps the gaps the tests rely on: it opened 23 days
# before TODAY, partners answer within 17 days of it, the government closes 30 days after it.
TODAY = uk_today() - timedelta(days=1)
NOW = datetime.combine(TODAY, time(10, 0), tzinfo=UK).astimezone(UTC).replace(tzinfo=None)
OPENS_ON = TODAY - timedelta(days=23)
PARTNER_DEADLINE = TODAY + timedelta(days=17)
CLOSES_ON = TODAY + timedelta(days=30)
# One hash for every test person: argon2 is slow on purpose.
PASSWORD_HASH = hash_password(PASSWORD)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the journeys that drive the running app in Chromium (``live_app``) one at a time and
    on SQLite, the database `make run` gives a newcomer.

    What they test is the app as a person sees it, the same on either database; PostgreSQL is
    tested below them, by every page (AppTest) and database test, and by the journeys marked
    ``every_database``, which also run on it. One at a time: under ``pytest -n`` they go to one
    worker (the ``xdist_group``), so that two browsers and two apps never share the two cores
    a CI machine has and a slow draw is not mistaken for a failure.
    """
    kept, dropped = [], []
    for item in items:
        if "live_app" not in getattr(item, "fixturenames", ()):
            kept.append(item)
            continue
        params = getattr(getattr(item, "callspec", None), "params", {})
        on_postgresql = params.get("database_url") == "postgresql"
        if on_postgresql and item.get_closest_marker("every_database") is None:
            dropped.append(item)
            continue
        item.add_marker(pytest.mark.xdist_group("browser"))
        kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """An empty database for as long as the block runs: a SQLite file in the folder, or a
    PostgreSQL schema of its own (dropped afterwards) on TEST_DATABASE_URL's server."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'workbench.db'}"
        return
    with scratch_schema(os.environ["TEST_DATABASE_URL"], prefix="test") as url:
        yield url


class MigratedTemplates:
    """Migrate once per test run and backend, then give each test a copy: a SQLite file copied
    from a migrated one, or a PostgreSQL database created from a migrated template database
    (CREATE DATABASE ... TEMPLATE). Running the migrations for every test cost about a second a
    test on PostgreSQL; a copy costs a few hundredths. The copy is the migrated schema exactly,
    alembic's version row included, so the app and `upgrade` find nothing to do."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.tag = uuid.uuid4().hex[:10]
        self._sqlite: Path | None = None
        self._admin: Engine | None = None
        self._template: str | None = None

    def sqlite_copy(self, folder: Path) -> str:
        import shutil

        if self._sqlite is None:
            template = self.folder / "template.db"
            engine = make_engine(f"sqlite:///{template}")
            upgrade(engine)
            engine.dispose()
            self._sqlite = template
        target = folder / "workbench.db"
        shutil.copyfile(self._sqlite, target)
        return f"sqlite:///{target}"

    def _server(self) -> Engine:
        from sqlalchemy import create_engine

        if self._admin is None:
            base = normalise_url(os.environ["TEST_DATABASE_URL"])
            self._admin = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        return self._admin

    def _url_of(self, database: str) -> str:
        return (
            make_url(normalise_url(os.environ["TEST_DATABASE_URL"]))
            .set(database=database)
            .render_as_string(hide_password=False)
        )

    @contextmanager
    def postgresql_copy(self) -> Iterator[str]:
        if self._template is None:
            template = f"wbtpl_{self.tag}"
            with self._server().connect() as connection:
                connection.execute(text(f"CREATE DATABASE {template}"))
            engine = make_engine(self._url_of(template))
            upgrade(engine)
            engine.dispose()
            self._template = template
        name = f"wbt_{self.tag}_{uuid.uuid4().hex[:10]}"
        with self._server().connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {self._template}"))
        try:
            yield self._url_of(name)
        finally:
            self._drop(name)

    def _drop(self, name: str) -> None:
        """Drop a test's database. FORCE ends the test's own leftover connections; it can
        still fail for a moment when an autovacuum worker has just started on the new
        database (not the test role's process), so try again briefly, then leave it."""
        import time

        from sqlalchemy.exc import DBAPIError

        for attempt in range(20):
            try:
                with self._server().connect() as connection:
                    connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                return
            except DBAPIError:
                time.sleep(0.1 * (attempt + 1))

    def close(self) -> None:
        if self._template is not None:
            with self._server().connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {self._template} WITH (FORCE)"))
        if self._admin is not None:
            self._admin.dispose()


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory) -> Iterator[MigratedTemplates]:
    templates = MigratedTemplates(tmp_path_factory.mktemp("templates"))
    yield templates
    templates.close()


@contextmanager
def migrated_database(backend: str, folder: Path, templates: MigratedTemplates) -> Iterator[str]:
    """A database with the newest schema for as long as the block runs (a copy of a template)."""
    if backend == "sqlite":
        yield templates.sqlite_copy(folder)
        return
    with templates.postgresql_copy() as url:
        yield url


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_templates: MigratedTemplates
) -> Iterator[str]:
    """Give each test its own database with the newest schema and no rows: a SQLite file, or a
    PostgreSQL database. Tests of migrating itself use `empty_database_url`."""
    with migrated_database(request.param, tmp_path, migrated_templates) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Give each test its own empty database (no tables): a SQLite file, or a PostgreSQL schema."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=BACKENDS)
def shared_engine(
    request: pytest.FixtureRequest, tmp_path_factory, migrated_templates: MigratedTemplates
) -> Iterator[Engine]:
    """One migrated database for a whole module, for table-driven tests that each make rows
    of their own."""
    folder = tmp_path_factory.mktemp("shared")
    with migrated_database(request.param, folder, migrated_templates) as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the test's database (a copy of the migrated template: the newest schema)."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """One session whose work is committed at the end of the test's action blocks."""
    with session_scope(engine) as session:
        yield session


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str) -> Iterator[str]:
    """Point the app's settings at the test's databases and data folder."""
    import streamlit as st

    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("WORKBENCH_DEMO_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.chdir(ROOT)
    yield database_url
    st.cache_resource.clear()


def add_organisation(
    session: Session,
    name: str = "Belfast Metropolitan Council",
    sector: str = "local authority",
    area: str = "Belfast",
) -> Organisation:
    """Add an organisation."""
    organisation = Organisation(name=name, sector=sector, area=area)
    session.add(organisation)
    session.flush()
    return organisation


def add_person(
    session: Session,
    role: str = "officer",
    *,
    email: str | None = None,
    organisation: Organisation | None = None,
    is_admin: bool = False,
    is_chair: bool = False,
    password: bool = True,
) -> User:
    """Add a person with the test password (or none, as if only invited)."""
    person = User(
        email=email or f"{role}-{uuid.uuid4().hex[:6]}@example.org",
        name=f"Test {role.title()}",
        role=role,
        organisation_id=organisation.id if organisation else None,
        is_admin=is_admin,
        is_chair=is_chair,
        password_hash=PASSWORD_HASH if password else None,
    )
    session.add(person)
    session.flush()
    return person


def run_at_once(calls: Sequence[Callable[[], T]]) -> tuple[list[T], list[BaseException]]:
    """Run each call in a thread of its own, all released together; wait for every one.

    Return what the calls returned and what they raised, each in the order they finished.
    """
    start = threading.Barrier(len(calls))
    results: list[T] = []
    failures: list[BaseException] = []

    def run(call: Callable[[], T]) -> None:
        start.wait()
        try:
            results.append(call())
        except BaseException as exc:  # collected for the caller's assertions
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, failures


def operator_environ(**settings: str) -> dict[str, str]:
    """The environment a command run by an operator sees: this one without any workbench
    setting of the test run, plus ``settings``."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("WORKBENCH_") and key != "DATABASE_URL"
    }
    return clean | settings


def consultation_form(**changes: object) -> ConsultationForm:
    """A valid consultation form, with any fields changed."""
    values: dict[str, object] = {
        "title": "Family migration: a consultation",
        "department": "Home Office",
        "reference": "HO-FM-1",
        "url": "https://www.gov.uk/consultations/family-migration",
        "description": "Proposals on spouses, partners and dependants.",
        "opens_on": OPENS_ON,
        "partner_deadline": PARTNER_DEADLINE,
        "closes_on": CLOSES_ON,
    }
    values.update(changes)
    return ConsultationForm(**values)  # type: ignore[arg-type]


def add_consultation(session: Session, officer: User, *, questions: int = 3, **changes: object):
    """Add a consultation with some hybrid questions."""
    consultation = create_consultation(session, officer, consultation_form(**changes), now=NOW)
    if questions:
        save_questions(
            session,
            officer,
            consultation.id,
            [
                QuestionForm(f"Q{n}", f"Do you agree with proposal {n}?", "hybrid")
                for n in range(1, questions + 1)
            ],
            now=NOW,
            source="test",
        )
    return consultation


def later(**kwargs: float) -> datetime:
    """NOW plus a timedelta."""
    return NOW + timedelta(**kwargs)


@pytest.fixture
def open_page(app_env: str, engine: Engine):
    """Return a function that opens a page of the app in AppTest, logged in as someone."""
    from streamlit.testing.v1 import AppTest

    from consultations.accounts import start_login_session

    def open_(
        page: str | None = None, *, as_user: User | None = None, query: dict[str, str] | None = None
    ) -> AppTest:
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        if as_user is not None:
            with session_scope(engine) as session:
                token = start_login_session(session, session.get(User, as_user.id), now=utcnow())
            app.session_state["login_token"] = token
        for key, value in (query or {}).items():
            app.query_params[key] = value
        app.run()
        if page is not None:
            app.switch_page(page if "/" in page else f"consultations/pages/{page}.py").run()
        return app

    return open_


def free_port() -> int:
    """Return a TCP port on localhost that nothing listens on."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def live_app(
    request: pytest.FixtureRequest, tmp_path: Path, database_url: str, engine: Engine
) -> Iterator[str]:
    """Run the real app with `streamlit run` on a free localhost port; yield its address.

    A test marked ``@pytest.mark.live_app_env(NAME="value")`` starts it with those settings too.
    """
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    marker = request.node.get_closest_marker("live_app_env")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "WORKBENCH_DATA_DIR": str(tmp_path / "data"),
        "WORKBENCH_BASE_URL": f"http://127.0.0.1:{port}",
        **(marker.kwargs if marker else {}),
    }
    log_path = tmp_path / "streamlit.log"
    log = log_path.open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    address = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{address}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        log.close()
        raise RuntimeError(f"The app did not start: {log_path.read_text()[-2000:]}")
    yield address
    server.terminate()
    server.wait(timeout=20)
    log.close()


@pytest.fixture
def browser_page():
    """A page in Debian's Chromium, driven by Playwright (no browser download)."""
    from playwright.sync_api import expect, sync_playwright

    # A loaded machine can take seconds to draw a page: wait up to 20 s for what a test expects
    # to see (actions and assertions alike). A page that is right on time costs nothing extra.
    expect.set_options(timeout=20_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(viewport={"width": 1300, "height": 1000})
        context.set_default_timeout(20_000)
        # The workbench runs offline: every request a page makes stays on this machine (a
        # new user's browser asked fonts.gstatic.com for the favicon on every page).
        outside: list[str] = []
        context.on("request", lambda request: _note_outside(request.url, outside))
        page = context.new_page()
        yield page
        context.close()
        browser.close()
        assert not outside, f"The app's pages asked the internet for: {sorted(set(outside))[:5]}"


def _note_outside(url: str, outside: list[str]) -> None:
    """Keep a request's address if it leaves this machine."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "file") or parts.hostname in (
        "localhost",
        "127.0.0.1",
    ):
        return
    outside.append(url)


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free localhost port, keeping what it receives."""
    from tests.smtp_catcher import SmtpServer

    server = SmtpServer(free_port())
    server.start()
    yield server
    server.catcher.hold.set()
    server.stop()


@pytest.fixture
def mail_env(monkeypatch: pytest.MonkeyPatch, smtp_server):
    """The app (AppTest) sends through the test SMTP server, with links to port 8519; at the
    end, the test waits for the app's sending thread, so none outlives its database."""
    from consultations.mail.sender import wait_until_idle

    for name, value in smtp_server.settings().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("WORKBENCH_BASE_URL", "http://127.0.0.1:8519")
    yield smtp_server
    assert wait_until_idle(60), "the app's sending thread did not finish"
