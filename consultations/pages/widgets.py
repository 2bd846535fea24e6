"""Widgets that keep their state across runs: a key that empties a form, and a button that
asks before a step that cannot be undone."""

from __future__ import annotations

import streamlit as st

from consultations.pages.escaping import markup_free


def form_key(name: str) -> str:
    """A widget key that ``clear_form`` can renew, so the widget starts empty on the next run."""
    return f"{name}-{st.session_state.get(('form round', name), 0)}"


def clear_form(name: str) -> None:
    """Empty the widgets keyed with ``form_key(name)`` (an uploaded file, a ticked box)."""
    st.session_state[("form round", name)] = st.session_state.get(("form round", name), 0) + 1


def confirmed(
    key: str,
    *,
    label: str,
    question: str,
    yes: str,
    help: str | None = None,
    disabled: bool = False,
) -> bool:
    """A button for a step that cannot be undone: the first press asks ``question`` (as
    text), and only ``yes`` goes ahead. Return True on the run the person said yes."""
    state = f"confirm:{key}"
    if not st.session_state.get(state):
        if st.button(label, key=f"ask-{key}", help=help, disabled=disabled):
            st.session_state[state] = True
            st.rerun()
        return False
    st.warning(markup_free(question))
    left, right = st.columns(2)
    if left.button(yes, key=f"yes-{key}", type="primary"):
        st.session_state.pop(state, None)
        return True
    if right.button("Cancel", key=f"no-{key}"):
        st.session_state.pop(state, None)
        st.rerun()
    return False
