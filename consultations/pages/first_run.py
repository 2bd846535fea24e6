"""The first screen of a new workbench: create the first policy officer's account."""

import streamlit as st

from consultations import accounts
from consultations.db import session_scope
from consultations.errors import WorkbenchError
from consultations.pages import actions, databases, demo_mode, logins
from consultations.pages.demo_restart import restart_demo_button


def main() -> None:
    """Create the first officer (with the admin flag), or open the demo."""
    st.title("Set up the workbench")
    st.write(
        "Welcome. This workbench helps your partnership answer government consultations "
        "together: partners send their answers and evidence, the policy officer drafts the "
        "regional response, and the board approves it."
    )
    left, right = st.columns([3, 2], gap="large")
    with left, st.form("first-officer"):
        st.header("Create the policy officer's account")
        st.caption(
            "This first account can manage organisations, invite people and set up "
            "consultations. Everyone else joins through an invite link from it."
        )
        name = st.text_input("Your full name", autocomplete="name", max_chars=200)
        email = st.text_input(
            "Your work email address", autocomplete="email", max_chars=accounts.MAX_EMAIL_LENGTH
        )
        password = st.text_input(
            "Choose a password",
            type="password",
            autocomplete="new-password",
            max_chars=accounts.MAX_PASSWORD_LENGTH,
            help=f"At least {accounts.MIN_PASSWORD_LENGTH} characters. A few words strung "
            "together are easy to remember and hard to guess.",
        )
        confirm = st.text_input(
            "Type the password again",
            type="password",
            autocomplete="new-password",
            max_chars=accounts.MAX_PASSWORD_LENGTH,
        )
        submitted = st.form_submit_button("Create the account", type="primary")
    if submitted:
        try:
            with session_scope(databases.engine("main")) as session:
                officer = accounts.create_first_officer(
                    session, email=email, name=name, password=password, confirm=confirm
                )
                logins.log_in(session, officer, database="main")
        except WorkbenchError as exc:
            with left:
                actions.show_problems(exc)
        else:
            st.session_state["flash"] = (
                "Your account is ready. Start by adding your partner organisations."
            )
            st.rerun()
    with right:
        demo_mode.demo_button("demo-from-first-run")
        restart_demo_button("first-run")


main()
