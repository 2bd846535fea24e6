"""Where each person starts: a role's home page, and the set-up screen or the login for
someone logged out."""

from __future__ import annotations

import streamlit as st

from consultations import accounts
from consultations.db import read_scope
from consultations.pages.databases import engine
from consultations.pages.escaping import plain

# Where each role starts. Paths, not imports: the pages of later stages register themselves
# with app.py, and the layering of the packages stays one-way.
HOME_PAGES = {
    "partner": "evidence/pages/partner_home.py",
    "officer": "consultations/pages/home.py",
    "board": "consultations/pages/home.py",
}


def needs_first_run() -> bool:
    """Say whether the real database has no accounts yet."""
    with read_scope(engine("main")) as session:
        return accounts.needs_first_run(session)


FIRST_RUN_PAGE = "consultations/pages/first_run.py"
LOGIN_PAGE = "consultations/pages/login.py"


def entry_page() -> str:
    """The page a logged-out person starts on: the set-up screen on an empty real database
    (app.py registers no login page then), otherwise the login."""
    return FIRST_RUN_PAGE if needs_first_run() else LOGIN_PAGE


def entry_page_link(label: str = "Go to the login page") -> None:
    """Link a logged-out person to the page they start on (the set-up screen, if that is it)."""
    if needs_first_run():
        st.page_link(FIRST_RUN_PAGE, label="Go to the start page", icon=":material/home:")
    else:
        st.page_link(LOGIN_PAGE, label=plain(label), icon=":material/login:")
