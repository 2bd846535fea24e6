"""Choosing the consultation a page is about, kept in the URL and for the rest of the visit."""

from __future__ import annotations

import streamlit as st

from consultations.db import read_scope
from consultations.pages.actions import page_guard
from consultations.pages.databases import engine
from consultations.pages.logins import Viewer, snapshot_user

NO_CONSULTATION = "Set up a consultation first."


def consultation_page(
    page: str, title: str, *, none_yet: str = NO_CONSULTATION
) -> tuple[Viewer, int]:
    """Open a page about one consultation: the access guard, the title and the consultation
    picker; say ``none_yet`` and stop when there is no consultation to choose.

    Return the person viewing and the chosen consultation's id.
    """
    viewer = page_guard(page)
    st.title(title)
    cid = choose_consultation(viewer)
    if cid is None:
        st.info(none_yet)
        st.stop()
    return viewer, cid


def choose_consultation(viewer: Viewer, *, label: str = "Consultation") -> int | None:
    """Let the person pick one of the consultations they may see. The choice is kept in the URL
    (so a refresh keeps it) and for the other pages of this visit; a page opened without one
    starts on the live consultation (open to partners, or with the board), not the first."""
    from consultations.consultation import STATUS_LABELS, live_first, visible_consultations

    with read_scope(engine()) as session:
        visible = visible_consultations(session, snapshot_user(session, viewer))
        options = [(c.id, f"{c.title} ({STATUS_LABELS[c.status].lower()})") for c in visible]
        live = live_first(visible, role=viewer.role)
    if not options:
        return None
    ids = [cid for cid, _ in options]
    chosen = wanted_consultation(ids) or live.id
    chosen = st.selectbox(label, ids, index=ids.index(chosen), format_func=dict(options).get)
    remember_consultation(chosen)
    return chosen


CHOSEN = "chosen consultation"


def wanted_consultation(ids: list[int]) -> int | None:
    """The consultation asked for in the URL, else the one chosen on another page, if it is
    one of ``ids``."""
    wanted = st.query_params.get("consultation", "")
    if wanted.isdigit() and int(wanted) in ids:
        return int(wanted)
    kept = st.session_state.get(CHOSEN)
    return kept if kept in ids else None


def remember_consultation(cid: int) -> None:
    """Keep the chosen consultation in the URL and for the other pages of this visit."""
    st.query_params["consultation"] = str(cid)
    st.session_state[CHOSEN] = cid
