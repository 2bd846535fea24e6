"""The demo from the pages: opening it in one click, its allowance of heavy jobs, and
rebuilding it."""

from __future__ import annotations

import math
import time

import streamlit as st
from sqlalchemy import select

from consultations.db import read_scope, session_scope
from consultations.demo_guard import DEMO_OFF_MESSAGE, JobAllowance
from consultations.models import Meta, User
from consultations.pages.databases import database_name, demo_available, engine, settings
from consultations.pages.later_stages import build_demo
from consultations.pages.logins import log_in


def allow_heavy_job(what: str, *, in_demo: bool = False) -> bool:
    """In the demo (or for it: ``in_demo``), count a heavy job against the minute's allowance;
    say if it may run.

    Outside the demo every job may run. A refusal is shown where the page is.
    """
    if database_name() != "demo" and not in_demo:
        return True
    config = settings()
    allowance = _demo_jobs(config.demo_database_url, config.demo_jobs_per_minute)
    wait = allowance.try_start(time.monotonic())
    if wait is None:
        return True
    st.error(
        f"The demo runs at most {allowance.per_minute} heavy jobs a minute (re-tagging, "
        f"training a model, assembling a draft), for everyone trying it at once, so {what} "
        f"did not start. Try again in {math.ceil(wait)} seconds."
    )
    return False


@st.cache_resource(show_spinner=False)
def _demo_jobs(url: str, per_minute: int) -> JobAllowance:
    return JobAllowance(per_minute)


def is_demo() -> bool:
    """Say whether this browser session is in the demo database."""
    if database_name() != "demo":
        return False
    with read_scope(engine()) as session:
        return session.get(Meta, "demo") is not None


def rebuild_demo() -> object:
    """Build the demo database afresh (it is emptied first: only a demo database ever is)."""
    return build_demo(engine("demo"))


def open_demo() -> None:
    """Build the demo database if needed and enter it as the demo's policy officer."""
    from consultations.demo import DEMO_OFFICER_EMAIL

    if not demo_available():
        st.error(DEMO_OFF_MESSAGE)
        return
    demo = engine("demo")
    with read_scope(demo) as session:
        built = session.get(Meta, "demo") is not None
    if not built:
        with st.spinner("Building the demo: a consultation, ten partners and a board…"):
            build_demo(demo)
    with session_scope(demo) as session:
        officer = session.scalar(select(User).where(User.email == DEMO_OFFICER_EMAIL))
        log_in(session, officer, database="demo")
    st.rerun()


def demo_button(key: str) -> None:
    """Offer the one-click demo, where it is switched on."""
    if not demo_available():
        return
    st.subheader("Just looking?")
    st.caption(
        "The demo opens a separate, invented partnership with a live consultation, ten partner "
        "organisations and a board. You can switch between the officer, partner and board "
        "views. Nothing you do there touches real data."
    )
    if st.button("Open the demo", icon=":material/play_circle:", key=key):
        open_demo()
