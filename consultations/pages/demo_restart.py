"""Start the demo again: rebuild it from nothing, after a confirmation.

The demo is shared by everyone who opens it on the server and never resets by itself, so a
visitor who wants it as it was (or whose made-up history has grown old) rebuilds it here.
"""

from __future__ import annotations

import streamlit as st

from consultations.db import read_scope
from consultations.models import Meta
from consultations.pages import databases, demo_mode, widgets


def restart_demo_button(key: str) -> None:
    """Offer to rebuild the demo, once it has been built, where it is switched on."""
    if not databases.demo_available():
        return
    with read_scope(databases.engine("demo")) as session:
        if session.get(Meta, "demo") is None:
            return  # "Open the demo" builds it the first time
    if not widgets.confirmed(
        f"restart-demo-{key}",
        label="Start the demo again",
        question="Start the demo again? Everything done in the demo since it was built, by "
        "anyone on this server, is lost, and everyone in it is logged out. It is then built "
        "afresh and you are in it as its policy officer.",
        yes="Yes, start the demo again",
        help="Rebuilds the demo as it was first built, with its dates around today.",
    ):
        return
    if not demo_mode.allow_heavy_job("starting the demo again", in_demo=True):
        return
    with st.spinner("Building the demo again: a consultation, ten partners and a board…"):
        demo_mode.rebuild_demo()
    demo_mode.open_demo()
