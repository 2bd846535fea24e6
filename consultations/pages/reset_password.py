"""Forgotten your password? Ask for a link by email; the link brings the person back here to
choose a new password. The answer to asking is the same whether or not the address exists."""

from datetime import timedelta

import streamlit as st

from consultations import accounts
from consultations.db import read_scope, session_scope, utcnow
from consultations.errors import InviteInvalid, WorkbenchError
from consultations.pages import common, passwords
from consultations.password_reset import ask_for_password_reset, open_password_reset, reset_password


def main() -> None:
    """Ask for a link, or, arriving with one, choose a new password."""
    st.title("Forgotten your password?")
    token = st.query_params.get("token", "")
    viewer = common.current_viewer()
    if viewer is not None:
        if not token:  # just logged in with a new password: their own start page
            st.switch_page(common.HOME_PAGES[viewer.role])
        st.info("You are logged in already. Log out first to reset a password.")
        return
    if token:
        _choose(token)
    else:
        _ask()


def _ask() -> None:
    postbox = common.postbox()
    if postbox is None:
        st.info(
            "This workbench does not send email, so it cannot send you a link. Ask your "
            "policy officer to reset your access: they will give you a new link."
        )
        common.entry_page_link("Back to the login page")
        return
    answer = st.session_state.pop("reset_answer", None)
    if answer:
        st.success(answer)
        common.entry_page_link("Back to the login page")
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
    common.entry_page_link("Back to the login page")
    if not asked:
        return
    problems = accounts.person_problems(email, "-")
    if problems:
        st.error(f"{problems[0].capitalize()}.")
        return
    minutes = common.settings().password_reset_minutes
    with session_scope(common.engine("main")) as session:
        answer = ask_for_password_reset(
            session, postbox, email, now=utcnow(), valid_for=timedelta(minutes=minutes)
        )
    common.send_mail_soon()
    st.session_state["reset_answer"] = answer
    st.rerun()


def _choose(token: str) -> None:
    try:
        with read_scope(common.engine("main")) as session:
            reset = open_password_reset(session, token, now=utcnow())
            email = reset.address
    except InviteInvalid as exc:
        st.error(common.markup_free(str(exc)))
        st.page_link(
            "consultations/pages/reset_password.py",
            label="Ask for a new link",
            icon=":material/mail:",
        )
        return
    st.write(f"Choose a new password for {common.plain(email)}.")
    with st.form("choose-password"):
        password, confirm = passwords.new_password("New password", "Type the new password again")
        chosen = st.form_submit_button("Set the new password and log in", type="primary")
    if not chosen:
        return
    try:
        with session_scope(common.engine("main")) as session:
            person = reset_password(
                session, token=token, password=password, confirm=confirm, now=utcnow()
            )
            common.log_in(session, person, database="main")
    except WorkbenchError as exc:
        common.show_problems(exc)
        return
    st.query_params.clear()
    st.session_state["flash"] = "Your new password is set and you are logged in."
    st.rerun()


main()
