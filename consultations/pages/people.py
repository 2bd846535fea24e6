"""People and invites: invite partners, officers and board members; deactivate; reset access."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from consultations import accounts
from consultations.dates import plain_date, plain_datetime
from consultations.db import read_scope, utcnow
from consultations.models import ROLES
from consultations.organisations import list_organisations
from consultations.pages import common
from consultations.people import list_people


def main() -> None:
    """Show everyone, the invite form and the account actions."""
    viewer = common.page_guard("people")
    st.title("People and invites")
    _show_new_link()
    with read_scope(common.engine()) as session:
        me = common.snapshot_user(session, viewer)
        people = list_people(session, me, now=utcnow())
        organisations = [(o.id, o.name) for o in list_organisations(session)]
    st.dataframe(
        pd.DataFrame(
            [
                (
                    p.name,
                    p.email,
                    p.role,
                    p.organisation,
                    p.state,
                    plain_datetime(p.last_login) if p.last_login else "never",
                )
                for p in people
            ],
            columns=["Name", "Email", "Role", "Organisation", "Account", "Last login"],
        ),
        hide_index=True,
        width="stretch",
    )
    invite, manage = st.tabs(["Invite someone", "Deactivate or reset access"])
    with invite:
        _invite_form(organisations)
    with manage:
        _manage(people, viewer)


def _invite_form(organisations: list[tuple[int, str]]) -> None:
    names = dict(organisations)
    with st.form("invite", clear_on_submit=True):
        name = st.text_input("Full name")
        email = st.text_input("Email address")
        role = st.selectbox(
            "Role",
            ROLES,
            format_func={
                "partner": "Partner (answers for an organisation)",
                "officer": "Policy officer (runs consultations)",
                "board": "Board member (reviews and approves)",
            }.get,
        )
        organisation = st.selectbox(
            "Organisation",
            [None, *names],
            format_func=lambda i: names.get(i, "None"),
            help="Partners must belong to an organisation; they answer on its behalf.",
        )
        chair = st.checkbox("Chair of the board", help="Only for board members.")
        submitted = st.form_submit_button("Create the invite link", type="primary")
    if not submitted:
        return
    days = common.settings().invite_days
    result = common.act(
        lambda s, me: accounts.invite_person(
            s,
            me,
            email=email,
            name=name,
            role=role,
            organisation_id=organisation,
            is_chair=chair,
            now=utcnow(),
            valid_for=timedelta(days=days),
        ),
        rerun=False,
    )
    if result is not None:
        person, token = result
        _remember_link(person.name, token, days)
        st.rerun()


def _manage(people, viewer: common.Viewer) -> None:
    others = {p.id: p for p in people if p.id != viewer.id}
    if not others:
        st.caption("Nobody else has an account yet.")
        return
    chosen = st.selectbox(
        "Person", list(others), format_func=lambda i: f"{others[i].name} ({others[i].email})"
    )
    person = others[chosen]
    st.caption(f"Account: {person.state}.")
    left, right = st.columns(2)
    days = common.settings().invite_days
    if left.button(
        "Reset access with a new link",
        help="Their password stops working and "
        "they get a new link to set one. Use this when someone forgets it.",
    ):
        token = common.act(
            lambda s, me: accounts.reset_access(
                s, me, chosen, now=utcnow(), valid_for=timedelta(days=days)
            ),
            rerun=False,
        )
        if token is not None:
            _remember_link(person.name, token, days)
            st.rerun()
    label = "Deactivate the account" if person.active else "Reactivate the account"
    if right.button(label):
        common.act(
            lambda s, me: accounts.set_active(
                s, me, chosen, active=not person.active, now=utcnow()
            ),
            success=f"{person.name}'s account is now "
            + ("deactivated." if person.active else "active."),
        )


def _remember_link(name: str, token: str, days: int) -> None:
    link = f"{common.settings().base_url.rstrip('/')}/accept_invite?token={token}"
    expires = plain_date(utcnow() + timedelta(days=days))
    st.session_state["new_link"] = (name, link, expires)


def _show_new_link() -> None:
    shown = st.session_state.pop("new_link", None)
    if shown is None:
        return
    name, link, expires = shown
    st.success(
        f"Send this link to {name}. It works once, until {expires}. "
        "Anyone with the link can set the password, so send it only to them."
    )
    st.code(link, language=None)


main()
