"""People and invites: invite partners, officers and board members; deactivate; reset access."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from consultations import accounts
from consultations.accounts import ADMIN_MANAGED
from consultations.dates import plain_date
from consultations.db import read_scope, utcnow
from consultations.links import LinkHandover, hand_over_link
from consultations.models import Role, User
from consultations.organisations import list_organisations
from consultations.pages import actions, databases, escaping, logins, outgoing_mail, tables, widgets
from consultations.people import ROLE_CHOICES, list_people, people_table_row
from consultations.words import possessive


def main() -> None:
    """Show everyone, the invite form and the account actions."""
    viewer = actions.page_guard("people")
    st.title("People and invites")
    _show_new_link()
    with read_scope(databases.engine()) as session:
        me = logins.snapshot_user(session, viewer)
        people = list_people(session, me, now=utcnow())
        organisations = [(o.id, o.name) for o in list_organisations(session)]
    tables.show_table(
        pd.DataFrame([people_table_row(p) for p in people]),
        narrow=("Role",),
        wide=("Email", "Account"),
    )
    invite, manage = st.tabs(
        ["Invite someone", "Deactivate or reset access"], key="people-tab", on_change="rerun"
    )
    with invite:
        _invite_form(organisations, viewer)
    with manage:
        _manage(people, viewer)


def _invite_form(organisations: list[tuple[int, str]], viewer: logins.Viewer) -> None:
    names = dict(organisations)
    # The server refuses the others too (accounts.invite_person); this only spares the attempt.
    roles = list(Role) if viewer.is_admin else [r for r in Role if r not in ADMIN_MANAGED]
    if not viewer.is_admin:
        st.caption(
            "Officers and board members are invited by your partnership's administrator: "
            "whoever makes an account holds its first login link."
        )
    # Not cleared on submit: a refused invite keeps what was typed; emptied once it is made.
    keys = widgets.form_key("invite")
    with st.form("invite"):
        name = st.text_input("Full name", max_chars=200, key=f"{keys}-name")
        email = st.text_input(
            "Email address", max_chars=accounts.MAX_EMAIL_LENGTH, key=f"{keys}-email"
        )
        role = st.selectbox("Role", roles, format_func=ROLE_CHOICES.get, key=f"{keys}-role")
        organisation = st.selectbox(
            "Organisation",
            list(names),
            format_func=names.get,
            index=None,
            placeholder="Choose the partner's organisation",
            help="Partners must belong to an organisation; they answer on its behalf. Leave it "
            "empty for officers and board members.",
            key=f"{keys}-organisation",
        )
        chair = viewer.is_admin and st.checkbox(
            "Chair of the board", help="Only for board members.", key=f"{keys}-chair"
        )
        admin = viewer.is_admin and st.checkbox(
            "Administrator",
            help="Only for policy officers: manages officers' and board members' accounts.",
            key=f"{keys}-admin",
        )
        submitted = st.form_submit_button("Create the invite link", type="primary")
    if not submitted:
        return
    days = databases.settings().invite_days

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
            is_admin=admin,
            now=now,
            valid_for=timedelta(days=days),
            postbox=outgoing_mail.postbox(),
        )
        return _handover(s, me, person, token, now, days, reset=False)

    handover = actions.act(invite, rerun=False)
    if handover is not None:
        widgets.clear_form("invite")
    _remember(handover, "An invitation")


def _manage(people, viewer: logins.Viewer) -> None:
    others = {p.id: p for p in people if p.id != viewer.id}
    if not others:
        st.caption("Nobody else has an account yet.")
        return
    chosen = st.selectbox(
        "Person", list(others), format_func=lambda i: f"{others[i].name} ({others[i].email})"
    )
    person = others[chosen]
    st.caption(f"Account: {person.state}.")
    admins_only = person.admin_managed and not viewer.is_admin
    if admins_only:
        st.info(
            "Only your partnership's administrator can reset or deactivate an officer's or a "
            "board member's account."
        )
    left, right = st.columns(2)
    days = databases.settings().invite_days
    with left:
        asked = widgets.confirmed(
            f"reset-{chosen}",
            label="Reset access with a new link",
            question=f"Reset {possessive(person.name)} access? Their password stops working at "
            "once and they are logged out everywhere, until they use the new link.",
            yes="Yes, reset their access",
            help="Their password stops working and they get a new link to set one. Use this "
            "when someone forgets it.",
            disabled=admins_only,
        )
    if asked:

        def reset(s, me):
            now = utcnow()
            token = accounts.reset_access(
                s,
                me,
                chosen,
                now=now,
                valid_for=timedelta(days=days),
                postbox=outgoing_mail.postbox(),
            )
            return _handover(s, me, s.get(User, chosen), token, now, days, reset=True)

        _remember(actions.act(reset, rerun=False), "A new link")
    label = "Deactivate the account" if person.active else "Reactivate the account"
    if right.button(label, disabled=admins_only):
        actions.act(
            lambda s, me: accounts.set_active(
                s,
                me,
                chosen,
                active=not person.active,
                now=utcnow(),
                postbox=outgoing_mail.postbox(),
            ),
            success=f"{possessive(person.name)} account is now "
            + ("deactivated." if person.active else "active."),
        )


def _handover(session, me, person, token: str, now, days: int, *, reset: bool) -> LinkHandover:
    """Hand the person their link: by email when it is set up, else to show once here."""
    return hand_over_link(
        me,
        person,
        token,
        base_url=databases.settings().base_url,
        expires_at=now + timedelta(days=days),
        session=session,
        postbox=outgoing_mail.postbox(),
        reset=reset,
        now=now,
    )


def _remember(handover: LinkHandover | None, what: str) -> None:
    """Say the link went by email, or keep it for the next run, which shows it once."""
    if handover is None:
        return
    expires = plain_date(handover.expires_at)
    if handover.emailed:
        st.session_state["flash"] = (
            f"{what} is on its way to {possessive(handover.name)} email. The link in it works "
            f"once, until {expires}."
        )
    else:
        st.session_state["new_link"] = (handover.name, handover.link, expires)
    st.rerun()


def _show_new_link() -> None:
    shown = st.session_state.pop("new_link", None)
    if shown is None:
        return
    name, link, expires = shown
    st.success(
        f"Send this link to {escaping.markup_free(name)}. It works once, until {expires}. "
        "Anyone with the link can set the password, so send it only to them."
    )
    st.code(link, language=None)


main()
