"""The outbox, for officers: every message the workbench wrote, whether it went, how many tries
it took and what the mail server said; a failed message can be sent again."""

import pandas as pd
import streamlit as st

from consultations.dates import plain_datetime
from consultations.db import read_scope, utcnow
from consultations.mail.outbox import (
    FAILED,
    QUEUED,
    SENT,
    STATUS_LABELS,
    message_shown,
    outbox_counts,
    outbox_rows,
    resend,
)
from consultations.pages import actions, databases, demo_mode, escaping, logins, outgoing_mail


def main() -> None:
    """Show the messages, newest first, and what can be done with them."""
    viewer = actions.page_guard("outbox")
    st.title("Outbox")
    _how_mail_goes()
    status = st.selectbox(
        "Show",
        [None, *STATUS_LABELS],
        format_func=lambda s: "Every message" if s is None else STATUS_LABELS[s],
    )
    with read_scope(databases.engine()) as session:
        me = logins.snapshot_user(session, viewer)
        counts = outbox_counts(session, me)
        rows = outbox_rows(session, me, status=status)
    left, middle, right = st.columns(3)
    left.metric("Waiting to go", counts.get(QUEUED, 0) + counts.get("sending", 0))
    middle.metric("Failed", counts.get(FAILED, 0))
    right.metric("Sent", counts.get(SENT, 0))
    if not rows:
        st.info("No messages here yet.")
        return
    st.dataframe(
        pd.DataFrame(
            [
                (
                    r.status_label,
                    r.to,
                    r.kind,
                    r.attempts,
                    plain_datetime(r.created_at),
                    plain_datetime(r.sent_at) if r.sent_at else "",
                    plain_datetime(r.next_attempt_at) if r.next_attempt_at else "",
                    r.last_error,
                    r.subject,
                )
                for r in rows
            ],
            columns=[
                "Status",
                "To",
                "What",
                "Tries",
                "Written",
                "Sent",
                "Next try",
                "What the mail server said",
                "Subject",
            ],
        ),
        hide_index=True,
        width="stretch",
    )
    _failed([r for r in rows if r.status == FAILED])
    _read(rows)


def _how_mail_goes() -> None:
    config = outgoing_mail.mail()
    if not config.enabled:
        st.info(
            "Email is off: the workbench sends nothing, and invite and reset links are shown "
            "on screen to pass on. The README's 'Email' section says how to turn it on."
        )
    elif demo_mode.is_demo():
        st.info("This is the demo: it never sends email to its invented people.")
    elif config.transport == "smtp":
        st.caption(
            escaping.plain(
                f"Email goes through {config.smtp_host}:{config.smtp_port} from "
                f"{config.mail_from}. What could not go is tried again by the timer, waiting "
                "longer each time."
            )
        )
    else:
        st.caption("Email goes through GOV.UK Notify.")


def _failed(failed) -> None:
    if not failed:
        return
    st.header("Failed messages", divider="gray")
    labels = {r.id: f"{r.subject} — to {r.to}" for r in failed}
    chosen = st.selectbox("Failed message", list(labels), format_func=labels.get)
    row = next(r for r in failed if r.id == chosen)
    st.caption("What the mail server said:")
    st.text(row.last_error or "Nothing.")
    if st.button(
        "Send it again",
        type="primary",
        help="Check the address first: a message the server refused for good is refused again.",
    ):
        actions.act(
            lambda s, me: resend(s, me, chosen, now=utcnow()),
            success="It is waiting to go again.",
        )


def _read(rows) -> None:
    with st.expander("Read a message"):
        labels = {r.id: f"{plain_datetime(r.created_at)}: {r.subject} — to {r.to}" for r in rows}
        chosen = st.selectbox("Message", list(labels), format_func=labels.get)
        with read_scope(databases.engine()) as session:
            shown = message_shown(
                session, logins.snapshot_user(session, logins.current_viewer()), chosen
            )
        st.text(f"To: {shown.to}\nSubject: {shown.subject}\n\n{shown.text}")


main()
