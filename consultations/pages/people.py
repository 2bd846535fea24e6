"""People and invites: invite partners, officers and board members; deactivate; reset access."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from consultations import accounts
from consultations.dates import plain_date, plain_datetime
from consultations.db import read_scope, utcnow
from consultations.mail.notices import mail_login_link
from consultations.models import ROLES, User
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

    def invite(s, me):
        now = utcnow()
        person, token = accounts.invite_person(
            s,
            me,
            email=email,
            name=name,
            role=role,
            organisation_id=organisation,
            is_chair=chair,
            now=now,
            valid_for=timedelta(days=days),
        )
        return person.name, token, _mail_link(s, me, person, token, days, reset=False)

    _handed_over(common.act(invite, rerun=False), days, "An invitation")


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
    with left:
        asked = common.confirmed(
            f"reset-{chosen}",
            label="Reset access with a new link",
            question=f"Reset {person.name}'s access? Their password stops working at once and "
            "they are logged out everywhere, until they use the new link.",
            yes="Yes, reset their access",
            help="Their password stops working and they get a new link to set one. Use this "
            "when someone forgets it.",
        )
    if asked:

        def reset(s, me):
            now = utcnow()
            token = accounts.reset_access(s, me, chosen, now=now, valid_for=timedelta(days=days))
            target = s.get(User, chosen)
            return target.name, token, _mail_link(s, me, target, token, days, reset=True)

        _handed_over(common.act(reset, rerun=False), days, "A new link")
    label = "Deactivate the account" if person.active else "Reactivate the account"
    if right.button(label):
        common.act(
            lambda s, me: accounts.set_active(
                s, me, chosen, active=not person.active, now=utcnow()
            ),
            success=f"{person.name}'s account is now "
            + ("deactivated." if person.active else "active."),
        )


def _link(token: str) -> str:
    return f"{common.settings().base_url.rstrip('/')}/accept_invite?token={token}"


def _mail_link(session, me, person, token: str, days: int, *, reset: bool) -> bool:
    """Email the person their link, in the action's transaction (False: email is off)."""
    now = utcnow()
    return mail_login_link(
        session,
        common.postbox(),
        person,
        link=_link(token),
        expires_at=now + timedelta(days=days),
        reset=reset,
        actor=me,
        now=now,
    )


def _handed_over(result, days: int, what: str) -> None:
    """Say the link went by email, or keep it to show once when email is off."""
    if result is None:
        return
    name, token, emailed = result
    expires = plain_date(utcnow() + timedelta(days=days))
    if emailed:
        st.session_state["flash"] = (
            f"{what} is on its way to {name}'s email. The link in it works once, until {expires}."
        )
    else:
        st.session_state["new_link"] = (name, _link(token), expires)
    st.rerun()


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
