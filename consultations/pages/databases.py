"""Which database this browser session uses, its engine and settings, whether the demo may be
opened here, and the start-up check.

``st.session_state`` holds only ids and UI state: ``database`` ("main" or "demo") names the
database; everything below this layer is plain Python and is handed an engine or a session.
"""

from __future__ import annotations

import logging

import streamlit as st
from sqlalchemy import Engine
from streamlit.runtime.scriptrunner import get_script_run_ctx

from consultations import accounts
from consultations.db import make_engine, read_scope, session_scope
from consultations.demo_guard import (
    DEMO_OFF_MESSAGE,
    DemoOff,
    demo_settings,
    has_accounts,
    keep_database_identity,
    refuse_shared_database,
)
from consultations.errors import WorkbenchError
from consultations.migrate import upgrade
from consultations.settings import Settings, load_settings

log = logging.getLogger("workbench")


def settings() -> Settings:
    """Return the settings (read each run: cheap, and tests change them), with the port the
    server runs on, and the demo's smaller limits in a demo session."""
    config = load_settings(server_port=st.get_option("server.port"))
    return demo_settings(config) if database_name() == "demo" else config


@st.cache_resource(show_spinner="Opening the database…", on_release=lambda e: e.dispose())
def _engine(url: str, migrate: bool) -> Engine:
    engine = make_engine(url)
    if migrate:
        upgrade(engine)
    return engine


def secret_key() -> str:
    """Return the key that signs the login cookie: the setting, or the one in the database."""
    return settings().secret_key or _kept_secret_key(settings().database_url)


@st.cache_resource(show_spinner=False)
def _kept_secret_key(url: str) -> str:
    with session_scope(engine("main")) as session:
        return accounts.stored_secret_key(session)


OUTSIDE_A_RUN = (
    "This asks who is viewing, or which database this browser session uses, outside a run of "
    "the page (a download built on click runs in a thread of its own, where the session state "
    "is empty): capture them during the run with downloads.deferred_file."
)


def page_state():
    """Return ``st.session_state``, refusing where no page is running.

    Outside a run Streamlit hands out an empty state shared by every thread: reading the
    database from it would fall back to the main one (a demo session reading real data), and
    the person viewing would be nobody.
    """
    if get_script_run_ctx(suppress_warning=True) is None:
        raise RuntimeError(OUTSIDE_A_RUN)
    return st.session_state


def database_name() -> str:
    """Return which database this browser session uses: "main" or "demo"."""
    return page_state().get("database", "main")


def engine(database: str | None = None) -> Engine:
    """Return the engine of this browser session's database (or the one named).

    The demo's is refused where the demo is switched off, whatever asks for it. (Under "auto",
    ``restore_login`` ends a demo login at the start of the run once a real account exists: that
    needs a query, so it is not repeated here for every engine a run asks for.)
    """
    config = settings()
    name = database or database_name()
    if name == "demo" and config.demo == "off":
        raise DemoOff(DEMO_OFF_MESSAGE)
    url = config.demo_database_url if name == "demo" else config.database_url
    return _engine(url, config.migrate_on_start or name == "demo")


def start_up() -> None:
    """Refuse to serve (with the reason) when the demo's database is the real one."""
    config = settings()
    try:
        _check_databases(config.database_url, config.demo_database_url)
    except WorkbenchError as exc:
        log.error("Refusing to start: %s", exc)
        st.error(str(exc))
        st.stop()


@st.cache_resource(show_spinner=False)
def _check_databases(main_url: str, demo_url: str) -> None:
    """Once per process and pair of URLs (a refusal is not cached: it is checked again)."""
    main = engine("main")
    with session_scope(main) as session:
        keep_database_identity(session)
    demo = make_engine(demo_url)  # looked at, never migrated: it may be the real database
    try:
        refuse_shared_database(main, demo)
    finally:
        demo.dispose()


def demo_available() -> bool:
    """Say whether the demo may be opened here (the WORKBENCH_DEMO setting)."""
    config = load_settings()
    if config.demo != "auto":
        return config.demo == "on"
    return not _real_accounts_exist(config.database_url)


# Accounts are never deleted: once the real database has one, "auto" keeps the demo off.
_with_accounts: set[str] = set()


def _real_accounts_exist(url: str) -> bool:
    if url not in _with_accounts:
        with read_scope(engine("main")) as session:
            if has_accounts(session):
                _with_accounts.add(url)
    return url in _with_accounts
