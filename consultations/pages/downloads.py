"""Download buttons whose file is built when the person clicks, not on every run of the page.

Streamlit (1.67) runs a download button's deferred function in a worker thread of its own, where
``st.session_state`` is empty: there is no run of the page there, so nobody is logged in and
the browser session's database is unknown. Asking the page helpers then found no viewer
("'NoneType' object has no attribute 'id'") and, worse, would have fallen back to the main
database in a demo session. So ``deferred_file`` captures the person viewing and this browser
session's engine during the page run, and the file is built in the thread from those only;
the helpers that read the session state (``logins.current_viewer``, ``databases.database_name``
and everything built on them) refuse to run outside a page run.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from consultations.db import read_scope, session_scope
from consultations.errors import AccessDenied
from consultations.models import User
from consultations.pages import databases, logins

NOT_LOGGED_IN = "You are not logged in any more. Log in again."


def deferred_file(
    build: Callable[[Session, User], bytes], *, writes: bool = False
) -> Callable[[], bytes]:
    """Return a download button's ``data``: ``build(session, person)`` run on click, as the
    person viewing now, in this browser session's database (captured now, during the run).

    ``writes``: the build records something (a download of evidence is audited), so it runs in
    a writing transaction; otherwise it only reads.
    """
    viewer = logins.current_viewer()
    if viewer is None:
        raise AccessDenied(NOT_LOGGED_IN)
    return file_builder(databases.engine(), viewer.id, build, writes=writes)


def file_builder(
    engine: Engine,
    person_id: int,
    build: Callable[[Session, User], bytes],
    *,
    writes: bool = False,
) -> Callable[[], bytes]:
    """Return a function that builds the file from this engine as this person, and from
    nothing else: it may run in any thread, with or without a page run."""

    def run() -> bytes:
        scope = session_scope if writes else read_scope
        with scope(engine) as session:
            person = session.get(User, person_id)
            if person is None or not person.active:
                raise AccessDenied(NOT_LOGGED_IN)
            return build(session, person)

    return run
