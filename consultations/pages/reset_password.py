"""Forgotten your password? Ask for a link by email; the link brings the person back here to
choose a new password. The answer to asking is the same whether or not the address exists."""

from datetime import timedelta

import streamlit as st

from consultations import accounts
from consultations.db import read_scope, session_scope, utcnow
from consultations.errors import InviteInvalid, WorkbenchError
from consultations.pages import (
    actions,
    databases,
    escaping,
    logins,
    outgoing_mail,
    passwords,
    start_pages,
)
from consultations.password_reset import ask_for_password_reset, open_password_reset, reset_password


def main() -> None:
    """Ask for a link, or, arriving with one, choose a new password."""
    st.title("Forgotten your password?")
    token = st.query_params.get("token", "")
    viewer = logins.current_viewer()
    if viewer is not None:
        if not token:  # just logged in with a new password: their own start page
            st.switch_page(start_pages.HOME_PAGES[viewer.role])
        st.info("You are logged in already. Log out first to reset a password.")
        return
    if token:
        _choose(token)
    else:
        _ask()


def _ask() -> None:
    postbox = outgoing_mail.postbox()
    if postbox is None:
        st.info(
            "This workbench does not send email, so it cannot send you a link. Ask your "
            "policy officer to reset your access: they will give you a new link."
        )
        start_pages.entry_page_link("Back to the login page")
        return
    answer = st.session_state.pop("reset_answer", None)
    if answer:
        st.success(answer)
        start_pages.entry_page_link("Back to the login page")
        return
    st.write(
        "Type the email address you log in with, and we will email you a link to choose a "
        "new password."
    )
    with st.form("ask-reset"):
        email = st.text_input(
            "Email address", max_chars=accounts.MAX_EMAIL_LENGTH, autocomplete="email"
        )
        asked = st.form_submit_button("Email me a link", type="primary")
    start_pages.entry_page_link("Back to the login page")
    if not asked:
        return
    problems = accounts.person_problems(email, "-")
    if problems:
        st.error(f"{problems[0].capitalize()}.")
        return
    minutes = databases.settings().password_reset_minutes
    with session_scope(databases.engine("main")) as session:
        answer = ask_for_password_reset(
            session, postbox, email, now=utcnow(), valid_for=timedelta(minutes=minutes)
        )
    outgoing_mail.send_mail_soon()
    st.session_state["reset_answer"] = answer
    st.rerun()


def _choose(token: str) -> None:
    try:
        with read_scope(databases.engine("main")) as session:
            reset = open_password_reset(session, token, now=utcnow())
            email = reset.address
    except InviteInvalid as exc:
        st.error(escaping.markup_free(str(exc)))
        st.page_link(
            "consultations/pages/reset_password.py",
            label="Ask for a new link",
            icon=":material/mail:",
        )
        return
    st.write(f"Choose a new password for {escaping.plain(email)}.")
    with st.form("choose-password"):
        password, confirm = passwords.new_password("New password", "Type the new password again")
        chosen = st.form_submit_button("Set the new password and log in", type="primary")
    if not chosen:
        return
    try:
        with session_scope(databases.engine("main")) as session:
            person = reset_password(
                session, token=token, password=password, confirm=confirm, now=utcnow()
            )
            logins.log_in(session, person, database="main")
    except WorkbenchError as exc:
        actions.show_problems(exc)
        return
    st.query_params.clear()
    st.session_state["flash"] = "Your new password is set and you are logged in."
    st.rerun()


main()
