"""A person's notifications: newest first, each with a link to where to act, marked read here."""

import streamlit as st

from consultations.dates import plain_datetime
from consultations.db import read_scope, utcnow
from consultations.notifications import KINDS, mark_read, notifications_for
from consultations.pages import actions, databases, logins

REVIEW = "exports/pages/board_review.py"
APPROVAL = "exports/pages/approval.py"
RESPONSE = "exports/pages/response.py"
# (kind, role) -> the page where the person acts on it. Paths, not imports (see HOME_PAGES).
WHERE = {
    ("review", "board"): (REVIEW, "Read and review the draft"),
    ("reapproval", "board"): (REVIEW, "See the board's review"),
    ("withdrawn", "board"): (REVIEW, "See the board's review"),
    ("approved", "board"): (RESPONSE, "Read the approved response"),
    ("sent", "board"): (RESPONSE, "Read the response that was sent"),
    ("changes", "officer"): (APPROVAL, "See the comments and decisions"),
    ("approved", "officer"): (APPROVAL, "Download the approved document"),
    ("sent", "officer"): (APPROVAL, "See the record of sending"),
    ("changed", "officer"): (APPROVAL, "See the approval and what was found"),
    ("sent", "partner"): (RESPONSE, "Read and download the response"),
}


def main() -> None:
    """List the person's notifications; mark them read one by one or all at once."""
    viewer = actions.page_guard("notifications")
    st.title("Notifications")
    unread_only = st.toggle(
        "Show unread only", help="Read notifications stay here, greyed, for your records."
    )
    with read_scope(databases.engine()) as session:
        rows = [
            (n.id, n.kind, n.message, n.created_at, n.read_at, n.consultation_id)
            for n in notifications_for(
                session, logins.snapshot_user(session, viewer), unread_only=unread_only
            )
        ]
    if not rows:
        st.info("Nothing here. You will be told when there is something for you to do or see.")
        return
    unread = [nid for nid, *_, read_at, _ in rows if read_at is None]
    if unread and st.button("Mark all as read", icon=":material/done_all:"):
        actions.act(lambda s, me: mark_read(s, me, now=utcnow()), success="All marked as read.")
    for nid, kind, message, created_at, read_at, consultation_id in rows:
        with st.container(border=True):
            state = "new" if read_at is None else "read"
            st.caption(f"{KINDS.get(kind, kind)} · {plain_datetime(created_at)} · {state}")
            st.text(message)
            left, right = st.columns(2)
            target = WHERE.get((kind, viewer.role))
            if target and consultation_id:
                left.page_link(
                    target[0],
                    label=target[1],
                    query_params={"consultation": str(consultation_id)},
                )
            if read_at is None and right.button("Mark as read", key=f"read-{nid}"):
                actions.act(
                    lambda s, me, nid=nid: mark_read(s, me, [nid], now=utcnow()),
                    success="Marked as read.",
                )


main()
