"""The Responses page's reminders: who has not submitted (with their addresses), reminding them
now by email, the consultation's reminder schedule, and the rounds sent. Drawn by tracker.py."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from consultations.dates import plain_date, plain_datetime, uk_today
from consultations.db import read_scope, utcnow
from consultations.pages import actions, databases, logins, outgoing_mail, widgets
from evidence.reminders import (
    DEFAULT_DAYS,
    Waiting,
    not_submitted,
    parse_days,
    remind_now,
    reminder_days,
    reminder_rounds,
    set_reminder_days,
)


def reminders_section(viewer: logins.Viewer, cid: int, *, status: str, deadline) -> None:
    """Show who has not submitted and the ways to remind them."""
    st.header("Who has not submitted yet", divider="gray")
    with read_scope(databases.engine()) as session:
        waiting = not_submitted(session, cid)
        days = reminder_days(session, cid)
        rounds = reminder_rounds(session, logins.snapshot_user(session, viewer), cid)
    if not waiting:
        st.success("Every organisation has submitted.")
    else:
        _waiting_table(waiting)
    postbox = outgoing_mail.postbox()
    if waiting and status == "open" and deadline >= uk_today():
        _remind_now(cid, waiting, emailing=postbox is not None)
    _schedule(cid, days, deadline=deadline, emailing=postbox is not None)
    if rounds:
        st.caption("Reminders sent")
        for r in rounds:
            when = (
                f"{r.days_before} days before the deadline"
                if r.days_before is not None
                else (f"asked for by {r.by}")
            )
            st.text(
                f"{plain_datetime(r.at)}: {r.people} people at {r.organisations} "
                f"organisations ({when})"
            )


def _waiting_table(waiting: list[Waiting]) -> None:
    st.dataframe(
        pd.DataFrame(
            [
                (
                    w.organisation,
                    w.progress,
                    "; ".join(f"{p.name} <{p.address}>" for p in w.people)
                    or "no partner account yet: invite someone",
                )
                for w in waiting
            ],
            columns=["Organisation", "Where it stands", "People to remind"],
        ),
        hide_index=True,
        width="stretch",
    )
    addresses = ", ".join(p.address for w in waiting for p in w.people)
    if addresses:
        st.caption("Their addresses, to paste into an email of your own (in Bcc):")
        st.code(addresses, language=None)


def _remind_now(cid: int, waiting: list[Waiting], *, emailing: bool) -> None:
    reachable = [w for w in waiting if w.people]
    people = sum(len(w.people) for w in reachable)
    if not emailing or not reachable:
        return
    count = len(reachable)
    noun = "organisation" if count == 1 else "organisations"
    if widgets.confirmed(
        f"remind-{cid}",
        label=f"Remind the {count} who have not submitted",
        question=f"This emails {people} {'person' if people == 1 else 'people'} at {count} "
        f"{noun} now. Send the reminders?",
        yes="Yes, send the reminders",
        help="Each person gets an email of their own, with where their organisation's "
        "response stands and the partner deadline.",
    ):
        actions.act(
            lambda s, me: remind_now(s, me, outgoing_mail.postbox(), cid, now=utcnow()),
            success=f"Reminders are on their way to {people} "
            f"{'person' if people == 1 else 'people'}.",
        )


def _schedule(cid: int, days: tuple[int, ...], *, deadline, emailing: bool) -> None:
    with st.form(f"schedule-{cid}"):
        typed = st.text_input(
            "Remind those who have not submitted this many days before the partner deadline",
            value=", ".join(str(d) for d in days),
            placeholder=", ".join(str(d) for d in DEFAULT_DAYS),
            help="Days, separated by commas, such as 14, 7, 2. Leave it empty for no "
            "scheduled reminders. Each reminder goes once, in the morning.",
        )
        saved = st.form_submit_button("Save the schedule")
    if days:
        today = uk_today()
        upcoming = [
            f"{plain_date(deadline - timedelta(days=d))} ({d} days before)"
            for d in days
            if deadline - timedelta(days=d) >= today
        ]
        if upcoming:
            st.caption("Scheduled: " + "; ".join(upcoming) + ".")
    if not emailing:
        st.caption("Email is not set up here, so scheduled reminders are not sent.")
    if saved:
        actions.act(
            lambda s, me: set_reminder_days(s, me, cid, parse_days(typed), now=utcnow()),
            success="The reminder schedule is saved.",
        )
