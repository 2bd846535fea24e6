"""What every page shares: the engine, who is logged in, the page guard, actions and errors.

Streamlit lives here and in the pages; everything below this layer is plain Python.
``st.session_state`` holds only ids and UI state: ``database`` ("main" or "demo") and
``login_token`` (the login session's token, also kept in a signed cookie).
"""

from __future__ import annotations

import functools
import gc
import json
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from streamlit.runtime.scriptrunner import get_script_run_ctx

from consultations import access, accounts
from consultations.audit import record_event
from consultations.db import make_engine, read_scope, session_scope, utcnow
from consultations.demo_guard import (
    DEMO_OFF_MESSAGE,
    DemoOff,
    JobAllowance,
    demo_settings,
    has_accounts,
    keep_database_identity,
    refuse_shared_database,
)
from consultations.errors import AccessDenied, StaleEdit, WorkbenchError
from consultations.mail.config import MailConfig, Postbox, mail_config, postbox_for
from consultations.mail.sender import send_soon
from consultations.migrate import upgrade
from consultations.models import Meta, User
from consultations.notifications import unread_count
from consultations.settings import Settings, load_settings

log = logging.getLogger("workbench")
# Where each role starts. Paths, not imports: the pages of later stages register themselves
# with app.py, and the layering of the packages stays one-way.
HOME_PAGES = {
    "partner": "evidence/pages/partner_home.py",
    "officer": "consultations/pages/home.py",
    "board": "consultations/pages/home.py",
}
COOKIE = "workbench_login"
T = TypeVar("T")


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


def settings() -> Settings:
    """Return the settings (read each run: cheap, and tests change them), with the port the
    server runs on, and the demo's smaller limits in a demo session."""
    config = load_settings(server_port=st.get_option("server.port"))
    return demo_settings(config) if database_name() == "demo" else config


@st.cache_resource(show_spinner="Opening the database…", on_release=lambda e: e.dispose())
def _engine(url: str, migrate: bool) -> Engine:
    engine = make_engine(url)
    if migrate:
        upgrade(engine)
    return engine


def secret_key() -> str:
    """Return the key that signs the login cookie: the setting, or the one in the database."""
    return settings().secret_key or _kept_secret_key(settings().database_url)


@st.cache_resource(show_spinner=False)
def _kept_secret_key(url: str) -> str:
    with session_scope(engine("main")) as session:
        return accounts.stored_secret_key(session)


OUTSIDE_A_RUN = (
    "This asks who is viewing, or which database this browser session uses, outside a run of "
    "the page (a download built on click runs in a thread of its own, where the session state "
    "is empty): capture them during the run with downloads.deferred_file."
)


def page_state():
    """Return ``st.session_state``, refusing where no page is running.

    Outside a run Streamlit hands out an empty state shared by every thread: reading the
    database from it would fall back to the main one (a demo session reading real data), and
    the person viewing would be nobody.
    """
    if get_script_run_ctx(suppress_warning=True) is None:
        raise RuntimeError(OUTSIDE_A_RUN)
    return st.session_state


def database_name() -> str:
    """Return which database this browser session uses: "main" or "demo"."""
    return page_state().get("database", "main")


def engine(database: str | None = None) -> Engine:
    """Return the engine of this browser session's database (or the one named).

    The demo's is refused where the demo is switched off, whatever asks for it. (Under "auto",
    ``restore_login`` ends a demo login at the start of the run once a real account exists: that
    needs a query, so it is not repeated here for every engine a run asks for.)
    """
    config = settings()
    name = database or database_name()
    if name == "demo" and config.demo == "off":
        raise DemoOff(DEMO_OFF_MESSAGE)
    url = config.demo_database_url if name == "demo" else config.database_url
    return _engine(url, config.migrate_on_start or name == "demo")


def mail() -> MailConfig:
    """Return the email settings (refusing a set that cannot send, with what to change)."""
    return mail_config(settings())


def postbox() -> Postbox | None:
    """Where actions post their email: None when email is off, and always in the demo, whose
    invented people must never be written to."""
    if database_name() == "demo":
        return None
    return postbox_for(mail())


def send_mail_soon() -> None:
    """Send the email an action just wrote, in a thread of its own (when the settings ask)."""
    if database_name() != "demo":
        send_soon(engine(), mail())


def start_up() -> None:
    """Refuse to serve (with the reason) when the demo's database is the real one."""
    config = settings()
    try:
        _check_databases(config.database_url, config.demo_database_url)
    except WorkbenchError as exc:
        log.error("Refusing to start: %s", exc)
        st.error(str(exc))
        st.stop()


@st.cache_resource(show_spinner=False)
def _check_databases(main_url: str, demo_url: str) -> None:
    """Once per process and pair of URLs (a refusal is not cached: it is checked again)."""
    main = engine("main")
    with session_scope(main) as session:
        keep_database_identity(session)
    demo = make_engine(demo_url)  # looked at, never migrated: it may be the real database
    try:
        refuse_shared_database(main, demo)
    finally:
        demo.dispose()


def demo_available() -> bool:
    """Say whether the demo may be opened here (the WORKBENCH_DEMO setting)."""
    config = load_settings()
    if config.demo != "auto":
        return config.demo == "on"
    return not _real_accounts_exist(config.database_url)


# Accounts are never deleted: once the real database has one, "auto" keeps the demo off.
_with_accounts: set[str] = set()


def _real_accounts_exist(url: str) -> bool:
    if url not in _with_accounts:
        with read_scope(engine("main")) as session:
            if has_accounts(session):
                _with_accounts.add(url)
    return url in _with_accounts


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


# --- who is logged in -----------------------------------------------------------------------


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


# --- guards and actions ---------------------------------------------------------------------


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


def act(
    fn: Callable[[Session, User], T], *, success: str | None = None, rerun: bool = True
) -> T | None:
    """Run one user action in one transaction as the logged-in person; show what went wrong.

    On success the message is shown after the page reloads. A WorkbenchError is shown to the
    person; a refusal is audited; anything else is a bug, logged, and shown as such.
    """
    viewer = current_viewer()
    try:
        with session_scope(engine()) as session:
            me = session.get(User, viewer.id) if viewer else None
            if me is None or not me.active:
                raise AccessDenied("You are not logged in any more. Log in again.")
            result = fn(session, me)
        queued = session.info.get("mail_queued", False)
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


def act_in_callback(fn: Callable[[Session, User], object]) -> str | None:
    """Run one action like ``act``, from a widget callback: return what went wrong, or None.

    Callbacks must not draw (inside a fragment their elements would land at the top of the
    app), so the page shows the returned message itself. Refusals are audited as in ``act``.
    """
    viewer = current_viewer()
    try:
        with session_scope(engine()) as session:
            me = session.get(User, viewer.id) if viewer else None
            if me is None or not me.active:
                raise AccessDenied("You are not logged in any more. Log in again.")
            fn(session, me)
            queued = session.info.get("mail_queued", False)
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


def current_viewer() -> Viewer | None:
    """Return the person logged in during this run (set by ``app.py``)."""
    return page_state().get("_viewer_for_run")


def show_problems(exc: WorkbenchError) -> None:
    """Show an error; list its problems one per line when it has several."""
    problems = getattr(exc, "problems", None)
    st.error(
        markup_free(str(exc)) if not problems or len(problems) < 3 else "Some things need fixing:"
    )
    if problems and len(problems) >= 3:
        st.markdown("\n".join(f"- {plain(str(p))}" for p in problems))


def _escaping(characters: str) -> dict[int, str]:
    """A ``str.translate`` table that puts a backslash before each of these characters."""
    return {ord(character): "\\" + character for character in characters}


# What makes links, emphasis, code, maths and HTML; and, for ``plain``, every other markdown sign.
_MARKUP_SIGNS = _escaping("\\`*_[]<>~$")
_MARKDOWN_SIGNS = _escaping("\\`*_[]<>~${}()#+-.!|")


# A line that starts like a heading, quote or list item ("# Big", "> ", "- ", "1. ").
_LINE_START_SIGN = re.compile(r"(?m)^(\s*(?:\d+)?)([#>+-]|(?<=\d)[.)])")


# Bare addresses that markdown would turn into links by themselves ("http://3232235777/",
# "www.example.org"): a backslash before the ":" or "." keeps them text, shown as written.
_AUTOLINK = re.compile(r"(?i)\b(https?|mailto)(:)|\b(www)(\.)")


def _no_autolinks(text: str) -> str:
    return _AUTOLINK.sub(lambda m: f"{m[1] or m[3]}\\{m[2] or m[4]}", text)


def markup_free(text: str) -> str:
    """Keep markdown from acting in a whole sentence that quotes people's text or file names.

    Lighter than ``plain``: only the characters that make links, images, emphasis, code, maths
    and HTML are escaped, and a line that would start a heading, quote or list, so a message
    such as "Attached report.pdf." reads and compares as written.
    """
    return _no_autolinks(_LINE_START_SIGN.sub(r"\1\\\2", text.translate(_MARKUP_SIGNS)))


def plain(text: str) -> str:
    """Make text safe to show inside markdown: no markup, links or HTML from users."""
    return _no_autolinks(text.translate(_MARKDOWN_SIGNS))


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


def needs_first_run() -> bool:
    """Say whether the real database has no accounts yet."""
    with read_scope(engine("main")) as session:
        return accounts.needs_first_run(session)


FIRST_RUN_PAGE = "consultations/pages/first_run.py"
LOGIN_PAGE = "consultations/pages/login.py"


def entry_page() -> str:
    """The page a logged-out person starts on: the set-up screen on an empty real database
    (app.py registers no login page then), otherwise the login."""
    return FIRST_RUN_PAGE if needs_first_run() else LOGIN_PAGE


def entry_page_link(label: str = "Go to the login page") -> None:
    """Link a logged-out person to the page they start on (the set-up screen, if that is it)."""
    if needs_first_run():
        st.page_link(FIRST_RUN_PAGE, label="Go to the start page", icon=":material/home:")
    else:
        st.page_link(LOGIN_PAGE, label=plain(label), icon=":material/login:")


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
    from consultations.pages.demo_restart import restart_demo_button  # it draws with this module

    restart_demo_button("sidebar")


def use_demo_builder(builder: Callable[[Engine], object]) -> None:
    """Build the demo with this function: app.py passes the latest stage's fullest demo."""
    global _demo_builder
    _demo_builder = builder


def rebuild_demo() -> object:
    """Build the demo database afresh (it is emptied first: only a demo database ever is)."""
    return _build_demo(engine("demo"))


def _build_demo(demo: Engine) -> object:
    from consultations.demo import build_demo

    return (_demo_builder or build_demo)(demo)


_demo_builder: Callable[[Engine], object] | None = None


def use_reviews_waiting(finder: Callable[[Session, User], list[Any]]) -> None:
    """Name the function listing drafts with the board: app.py passes the exports stage's."""
    global _reviews_finder
    _reviews_finder = finder


def reviews_waiting(viewer: Viewer) -> list[Any]:
    """The drafts with the board now, for a board member's home (empty before that stage)."""
    if _reviews_finder is None:
        return []
    with read_scope(engine()) as session:
        return _reviews_finder(session, snapshot_user(session, viewer))


# Board review belongs to a later stage (exports), which this package must not import.
_reviews_finder: Callable[[Session, User], list[Any]] | None = None


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
            _build_demo(demo)
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


def snapshot_user(session: Session, viewer: Viewer) -> User:
    """Return the ORM row of the person viewing (for read-only checks inside a session)."""
    user = session.get(User, viewer.id)
    if user is None:
        raise AccessDenied("You are not logged in any more. Log in again.")
    return user


def organisation_name(session: Session, organisation_id: int) -> str:
    """Return an organisation's name (empty if it does not exist)."""
    from consultations.models import Organisation

    organisation = session.get(Organisation, organisation_id)
    return organisation.name if organisation else ""


@functools.cache
def freeze_long_lived_objects(after: str) -> None:
    """Once per process and per page: take what is loaded by then (modules, spaCy's tables,
    pandas and Altair, the app's own structures) out of the garbage collector's rounds.

    Those objects live as long as the process; without this every full collection walks all of
    them again, and one landing in a page run cost that run 100 to 200 ms (bench/pages.py).
    Start-up is frozen first; each page's first run imports the libraries only it uses, so
    what it loaded is frozen after it. Garbage is collected first, so none is kept for good.
    """
    gc.collect()
    gc.freeze()
