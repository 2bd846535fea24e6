"""Who is logged in: the page's snapshot of the person, logging in and out, the login cookie.

``st.session_state`` holds ``login_token`` (the login session's token, also kept in a signed
cookie) and, for this run, the snapshot ``app.py`` restored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import streamlit as st
from sqlalchemy.orm import Session

from consultations import accounts
from consultations.db import session_scope, utcnow
from consultations.errors import AccessDenied
from consultations.models import User
from consultations.pages.databases import (
    database_name,
    demo_available,
    engine,
    page_state,
    secret_key,
    settings,
)

COOKIE = "workbench_login"


@dataclass(frozen=True)
class Viewer:
    """A snapshot of the logged-in person for this run of the page."""

    id: int
    name: str
    email: str
    role: str
    is_admin: bool
    is_chair: bool
    active: bool
    organisation_id: int | None
    organisation_name: str


def restore_login() -> Viewer | None:
    """Return the logged-in person, restoring the login from the cookie after a refresh.

    A login in the demo ends where the demo has been switched off (or, under "auto", since the
    first real account was made).
    """
    token = st.session_state.get("login_token")
    if token is None:
        cookie = accounts.read_cookie(secret_key(), _cookie_value())
        if cookie is None:
            return None
        st.session_state["database"], token = cookie
    if database_name() == "demo" and not demo_available():
        forget_login()
        st.session_state["database"] = "main"
        st.session_state["cookie_to_set"] = ""
        return None
    viewer = _resume(token)
    if viewer is None:
        forget_login()
    else:
        st.session_state["login_token"] = token
    return viewer


def _cookie_value() -> str | None:
    cookies = st.context.cookies
    return cookies.get(COOKIE) if cookies is not None else None


def _resume(token: str) -> Viewer | None:
    config = settings()
    idle = timedelta(hours=config.session_idle_hours)
    lifetime = timedelta(hours=config.session_max_hours)
    with session_scope(engine()) as session:
        user = accounts.resume_login_session(
            session, token, now=utcnow(), idle=idle, lifetime=lifetime
        )
        return snapshot(user) if user else None


def snapshot(user: User) -> Viewer:
    """Return the page's snapshot of a person."""
    return Viewer(
        id=user.id,
        name=user.name,
        email=user.email,
        role=user.role,
        is_admin=user.is_admin,
        is_chair=user.is_chair,
        active=user.active,
        organisation_id=user.organisation_id,
        organisation_name=user.organisation.name if user.organisation else "",
    )


def log_in(session: Session, user: User, *, database: str) -> None:
    """Start a login session for the person, and have the browser keep it in a cookie."""
    token = accounts.start_login_session(session, user, now=utcnow())
    st.session_state["database"] = database
    st.session_state["login_token"] = token
    st.session_state["cookie_to_set"] = accounts.sign_cookie(
        secret_key(), database=database, token=token
    )


def log_out() -> None:
    """End the login session, clear the cookie and forget the person."""
    token = st.session_state.get("login_token")
    if token:
        with session_scope(engine()) as session:
            accounts.end_login_session(session, token, now=utcnow())
    forget_login()
    st.session_state["database"] = "main"
    st.session_state["cookie_to_set"] = ""


def forget_login() -> None:
    """Forget the login in this browser session (the database is not touched)."""
    st.session_state.pop("login_token", None)


def write_cookie() -> None:
    """Set or clear the login cookie in the browser, while a change to it is on its way.

    The script goes out with every run until one finishes (``cookie_delivered``): a run that
    ends by going to another page (``st.switch_page``, as the invite page does for a person
    who is logged in already) drops its elements before the browser runs them, so a cookie
    written only then was never set, and a reload logged the person out.
    """
    value = st.session_state.get("cookie_to_set")
    if value is None:
        return
    # The cookie lasts no longer than a login can (the database ends it sooner when idle).
    seconds = settings().session_max_hours * 3600 if value else 0
    secure = "; Secure" if settings().cookie_secure else ""
    script = (
        f"<script>document.cookie = {json.dumps(COOKIE)} + '=' + {json.dumps(value)} + "
        f"'; path=/; max-age={seconds}; SameSite=Strict{secure}';</script>"
    )
    st.html(script, unsafe_allow_javascript=True)


def cookie_delivered() -> None:
    """Note that this run finished, so the browser has run the cookie script it carried."""
    st.session_state.pop("cookie_to_set", None)


def current_viewer() -> Viewer | None:
    """Return the person logged in during this run (set by ``app.py``)."""
    return page_state().get("_viewer_for_run")


def snapshot_user(session: Session, viewer: Viewer) -> User:
    """Return the ORM row of the person viewing (for read-only checks inside a session)."""
    user = session.get(User, viewer.id)
    if user is None:
        raise AccessDenied("You are not logged in any more. Log in again.")
    return user
