"""An invite link: the person sets their password and is logged in."""

import streamlit as st

from consultations import accounts
from consultations.db import read_scope, session_scope, utcnow
from consultations.errors import InviteInvalid, WorkbenchError
from consultations.pages import actions, databases, escaping, logins, passwords, start_pages


def main() -> None:
    """Check the link, then let the person choose a password."""
    st.title("Set your password")
    token = st.query_params.get("token", "")
    viewer = logins.current_viewer()
    if viewer is not None:
        if not token:
            # Each role's own start page: a partner may not open the officers' home.
            st.switch_page(start_pages.HOME_PAGES[viewer.role])
        st.info("You are logged in already. Log out first to use an invite link for someone else.")
        return
    try:
        database, name, email, organisation = _find_invite(token)
    except InviteInvalid as exc:
        st.error(escaping.markup_free(str(exc)))
        start_pages.entry_page_link()
        return
    joining = f" for {organisation}" if organisation else ""
    st.write(
        f"Welcome, {escaping.plain(name)}. You are joining the workbench{escaping.plain(joining)} "
        f"as {escaping.plain(email)}."
    )
    with st.form("set-password"):
        password, confirm = passwords.new_password("Choose a password", "Type the password again")
        submitted = st.form_submit_button("Set password and log in", type="primary")
    if not submitted:
        return
    try:
        with session_scope(databases.engine(database)) as session:
            person = accounts.accept_invite(
                session, token=token, password=password, confirm=confirm, now=utcnow()
            )
            logins.log_in(session, person, database=database)
    except WorkbenchError as exc:
        actions.show_problems(exc)
        return
    st.query_params.clear()
    st.session_state["flash"] = "Your password is set and you are logged in."
    st.rerun()


def _find_invite(token: str) -> tuple[str, str, str, str]:
    """Return the database the link belongs to, and its person's name, email and organisation.

    A link made in the demo is the demo's (while the demo is open here): a person opening it
    in a fresh browser is not in the demo yet, so the real database is only the first place
    to look.
    """
    places = ["main", "demo"] if databases.demo_available() else ["main"]
    first_problem: InviteInvalid | None = None
    for database in places:
        try:
            with read_scope(databases.engine(database)) as session:
                invite = accounts.open_invite(session, token, now=utcnow())
                user = invite.user
                organisation = user.organisation.name if user.organisation else ""
                return database, user.name, user.email, organisation
        except InviteInvalid as exc:
            first_problem = first_problem or exc
    assert first_problem is not None
    raise first_problem


main()
