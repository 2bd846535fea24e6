"""Read an uploaded file once per upload, not on every Streamlit rerun.

Streamlit runs the whole page again on every click; an upload stays in its widget, so without
this each click (choosing a question for a part, ticking a box) would check and read the file
again: seconds of work for a large file, repeated for as long as the page is open. Not a page
of its own: the question import and the evidence pages call ``parsed_once``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st

from consultations.errors import WorkbenchError

STATE_KEY = "parsed-uploads"
T = TypeVar("T")


def parsed_once(slot: str, data: bytes, parse: Callable[[], T], *, depends_on: Hashable = ()) -> T:
    """Return what ``parse`` gives for these bytes, reading them once per upload.

    ``slot`` names the uploader (one result is kept per slot: a new file replaces the last);
    ``depends_on`` holds whatever else the result depends on (the file's name, the questions),
    so that a change to it reads the file again. A refusal is remembered and raised again, so a
    file refused after seconds of work is not read again on the next click either.
    """
    key = (hashlib.sha256(data).hexdigest(), depends_on)
    store: dict[str, tuple[object, object, WorkbenchError | None]] = st.session_state.setdefault(
        STATE_KEY, {}
    )
    held = store.get(slot)
    if held is None or held[0] != key:
        try:
            held = (key, parse(), None)
        except WorkbenchError as exc:
            held = (key, None, exc)
        store[slot] = held
    _, value, error = held
    if error is not None:
        raise error.with_traceback(None)
    return value  # type: ignore[return-value]
