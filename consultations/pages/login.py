"""Log in with email and password; the demo is one click away."""

from datetime import timedelta

import streamlit as st

from consultations import accounts
from consultations.db import session_scope, utcnow
from consultations.pages import databases, demo_mode, escaping, logins, outgoing_mail
from consultations.pages.demo_restart import restart_demo_button


def main() -> None:
    """Show the login form."""
    config = databases.settings()
    st.title("Consultation response workbench")
    st.caption(escaping.plain(config.partnership_name))
    left, right = st.columns([3, 2], gap="large")
    with left, st.form("login"):
        st.header("Log in")
        email = st.text_input(
            "Email address", autocomplete="email", max_chars=accounts.MAX_EMAIL_LENGTH
        )
        password = st.text_input(
            "Password",
            type="password",
            autocomplete="current-password",
            max_chars=accounts.MAX_PASSWORD_LENGTH,
        )
        submitted = st.form_submit_button("Log in", type="primary")
    if submitted:
        policy = accounts.LoginPolicy(
            attempts=config.login_attempts,
            lockout=timedelta(minutes=config.lockout_minutes),
        )
        with session_scope(databases.engine("main")) as session:
            user = accounts.attempt_login(
                session, email=email, password=password, now=utcnow(), policy=policy
            )
            if user is not None:
                logins.log_in(session, user, database="main")
        if user is not None:
            st.rerun()
        left.error(accounts.LOGIN_FAILED_MESSAGE)
    with left:
        if outgoing_mail.postbox() is None:
            st.caption(
                "New to the workbench? Your policy officer sends you a personal link to set "
                "your password. Forgotten your password? Ask them for a new link."
            )
        else:
            st.caption(
                "New to the workbench? Your policy officer sends you an email with a personal "
                "link to set your password."
            )
            st.page_link(
                "consultations/pages/reset_password.py",
                label="Forgotten your password?",
                icon=":material/lock_reset:",
            )
    with right:
        demo_mode.demo_button("demo-from-login")
        restart_demo_button("login")


main()
