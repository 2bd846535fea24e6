"""The page guard and the person's actions: one transaction each, refusals audited, and
every WorkbenchError shown in one place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy.orm import Session

from consultations import access
from consultations.audit import record_event
from consultations.db import session_scope
from consultations.errors import AccessDenied, StaleEdit, WorkbenchError
from consultations.models import User
from consultations.pages.databases import engine
from consultations.pages.escaping import markup_free, plain
from consultations.pages.logins import Viewer, current_viewer
from consultations.pages.outgoing_mail import send_mail_soon

T = TypeVar("T")


def page_guard(page: str) -> Viewer:
    """Refuse (and audit) a person who may not open this page; show any pending message."""
    viewer = current_viewer()
    try:
        access.require_page(viewer, page)
    except AccessDenied as exc:
        _audit_refusal(viewer, {"page": page})
        st.error(markup_free(str(exc)))
        st.stop()
    flash = st.session_state.pop("flash", None)
    if flash:  # may name a file, a person or an organisation: shown as text
        st.success(markup_free(flash))
    assert viewer is not None
    return viewer


def refuse(exc: WorkbenchError, detail: dict[str, Any]) -> None:
    """Show why the page cannot go on (auditing a refusal of access) and stop the page."""
    if isinstance(exc, AccessDenied):
        _audit_refusal(current_viewer(), detail | {"refusal": str(exc)})
    st.error(markup_free(str(exc)))
    st.stop()


def _audit_refusal(viewer: Viewer | None, detail: dict[str, Any]) -> None:
    with session_scope(engine()) as session:
        actor = session.get(User, viewer.id) if viewer else None
        record_event(session, actor=actor, action="access.refused", detail=detail)


def _as_viewer(viewer: Viewer | None, fn: Callable[[Session, User], T]) -> tuple[T, bool]:
    """Run ``fn`` in one transaction as the logged-in person, if still active; return its
    result and whether it queued mail."""
    with session_scope(engine()) as session:
        me = session.get(User, viewer.id) if viewer else None
        if me is None or not me.active:
            raise AccessDenied("You are not logged in any more. Log in again.")
        result = fn(session, me)
    return result, bool(session.info.get("mail_queued", False))


def act(
    fn: Callable[[Session, User], T], *, success: str | None = None, rerun: bool = True
) -> T | None:
    """Run one user action in one transaction as the logged-in person; show what went wrong.

    On success the message is shown after the page reloads. A WorkbenchError is shown to the
    person; a refusal is audited; anything else is a bug, logged, and shown as such.
    """
    viewer = current_viewer()
    try:
        result, queued = _as_viewer(viewer, fn)
    except StaleEdit as exc:
        st.error(markup_free(str(exc)))
        show_current(exc.current)
        return None
    except AccessDenied as exc:
        _audit_refusal(viewer, {"action": getattr(fn, "__name__", "action"), "refusal": str(exc)})
        st.error(markup_free(str(exc)))
        return None
    except WorkbenchError as exc:
        show_problems(exc)
        return None
    if queued:
        send_mail_soon()
    if success:
        st.session_state["flash"] = success
    if rerun:
        st.rerun()
    return result


def act_in_callback(fn: Callable[[Session, User], object]) -> str | None:
    """Run one action like ``act``, from a widget callback: return what went wrong, or None.

    Callbacks must not draw (inside a fragment their elements would land at the top of the
    app), so the page shows the returned message itself. Refusals are audited as in ``act``.
    """
    viewer = current_viewer()
    try:
        _, queued = _as_viewer(viewer, fn)
    except AccessDenied as exc:
        _audit_refusal(viewer, {"action": getattr(fn, "__name__", "action"), "refusal": str(exc)})
        return str(exc)
    except WorkbenchError as exc:
        return str(exc)
    if queued:
        send_mail_soon()
    return None


def show_current(current: dict[str, object]) -> None:
    """Show the newer version someone else saved, field by field, as plain text."""
    if not current:
        return
    with st.container(border=True):
        st.caption("The version saved by the other person")
        for field, value in current.items():
            if isinstance(value, list | tuple):
                value = ", ".join(str(v) for v in value)
            st.text(f"{str(field).capitalize()}: {value}")


def show_problems(exc: WorkbenchError) -> None:
    """Show an error; list its problems one per line when it has several."""
    problems = getattr(exc, "problems", None)
    st.error(
        markup_free(str(exc)) if not problems or len(problems) < 3 else "Some things need fixing:"
    )
    if problems and len(problems) >= 3:
        st.markdown("\n".join(f"- {plain(str(p))}" for p in problems))
