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


def kept_text(key: str) -> str:
    """A text box's key whose words outlive the box: Streamlit forgets a widget's value once a
    run leaves it out (another page, another choice), so the box, when new, starts from the copy
    ``keep`` made. ``forget`` drops the copy once the words are used."""
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(("kept", key), "")
    return key


def keep(key: str, text: str | None = None) -> None:
    """Keep a copy of the box's words (``text``, or what the box holds now)."""
    st.session_state[("kept", key)] = st.session_state.get(key, "") if text is None else text


def forget(key: str) -> None:
    """Drop the kept copy of a box's words."""
    st.session_state.pop(("kept", key), None)


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
