"""The sidebar: who is logged in, the pages they may open, their notifications, the demo's
role switcher, and the logout button."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import select

from consultations import access
from consultations.db import read_scope, session_scope
from consultations.models import User
from consultations.notifications import unread_count
from consultations.pages.databases import engine
from consultations.pages.demo_mode import is_demo
from consultations.pages.demo_restart import restart_demo_button
from consultations.pages.escaping import plain
from consultations.pages.logins import Viewer, log_in, log_out, snapshot_user
from consultations.pages.start_pages import HOME_PAGES


def sidebar(viewer: Viewer, menu: dict[str, list[tuple[str, str, str]]]) -> None:
    """Show who is logged in, the pages they may open (``menu``: section -> (file, title,
    icon)), the demo's role switcher, and the logout button."""
    with st.sidebar:
        where = f", {viewer.organisation_name}" if viewer.organisation_name else ""
        role = "board chair" if viewer.is_chair else access.ROLE_LABELS[viewer.role]
        st.markdown(f"**{plain(viewer.name)}**  \n{role}{plain(where)}")
        _notifications_link(viewer)
        for section, pages in menu.items():
            st.caption(section)
            for path, title, icon in pages:
                st.page_link(path, label=title, icon=icon)
        st.divider()
        if is_demo():
            _demo_switcher(viewer)
        if st.button("Log out", icon=":material/logout:", width="stretch"):
            log_out()
            st.rerun()


def _notifications_link(viewer: Viewer) -> None:
    with read_scope(engine()) as session:
        count = unread_count(session, snapshot_user(session, viewer))
    st.page_link(
        "consultations/pages/notifications.py",
        label=f"Notifications ({count} new)" if count else "Notifications",
        icon=":material/notifications_active:" if count else ":material/notifications:",
    )


def _demo_switcher(viewer: Viewer) -> None:
    st.info(
        "You are in the demo. Everything here is invented and kept apart from real data. "
        "Switch role to see the workbench as each person sees it."
    )
    people = demo_accounts()
    labels = [label for _, label in people]
    ids = {label: pid for pid, label in people}
    mine = next((label for pid, label in people if pid == viewer.id), labels[0])
    chosen = ids[
        st.selectbox(
            "See the workbench as",
            labels,
            index=labels.index(mine),
            help="Only the demo has this switcher. Real accounts log in with their own password.",
        )
    ]
    if chosen != viewer.id:
        # The person before stays logged in (in the demo only): the browser holds their cookie
        # until the next run writes the new one, and a page loaded in between would otherwise
        # find that login ended and log the visitor out of the demo.
        with session_scope(engine()) as session:
            person = session.get(User, chosen)
            log_in(session, person, database="demo")
            role = person.role
        st.query_params.clear()
        st.switch_page(HOME_PAGES[role])
    if st.button("Leave the demo", icon=":material/exit_to_app:", width="stretch"):
        log_out()
        st.rerun()
    restart_demo_button("sidebar")


def demo_accounts() -> list[tuple[int, str]]:
    """Return (id, label) of the demo's accounts, for the role switcher."""
    with read_scope(engine()) as session:
        people = session.scalars(select(User).where(User.active).order_by(User.role, User.name))
        return [
            (
                p.id,
                f"{p.name} — {p.role}"
                + (" (chair)" if p.is_chair else "")
                + (f", {p.organisation.name}" if p.organisation else ""),
            )
            for p in people
        ]
