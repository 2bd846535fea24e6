"""The form that records the sending of the approved response, shown where the officer has the
approved document: on the approval page and on the approved response page. Drawn by those."""

from datetime import date

import streamlit as st

from consultations.db import read_scope, utcnow
from consultations.pages import actions, databases, logins
from consultations.words import agreeing, in_words, plural
from exports.approval import MAX_NOTE, MAX_REFERENCE, SEND_METHODS, record_sent
from exports.review_overview import review_overview

RECORDED = "Recorded as sent. The board and the partners who contributed have been told."


def record_sent_form(cid: int, today: date, *, where: str) -> None:
    """Ask when and how the approved response went to the department, and record it.

    ``where`` keeps the form's key apart on each page that shows it. Board comments not yet
    marked addressed are pointed out first: sending is the last step.
    """
    with read_scope(databases.engine()) as session:
        me = logins.snapshot_user(session, logins.current_viewer())
        open_comments = sum(
            1 for c in review_overview(session, me, cid).comments if not c.addressed_at
        )
    if open_comments:
        st.warning(
            f"{in_words(open_comments).capitalize()} {plural(open_comments, 'board comment')} "
            f"{agreeing(open_comments, 'is', 'are')} "
            "not yet marked addressed (Board approval, 'Board comments'). Once the response is "
            "recorded as sent, nothing more can change: deal with them first, or record it as "
            "sent if they were dealt with."
        )
    with st.form(f"sent-{where}-{cid}"):
        st.subheader("Record that it was sent")
        sent_on = st.date_input(
            "Date sent",
            value=today,
            max_value=today,
            format="DD/MM/YYYY",
            help="The day the response went to the department.",
        )
        method = st.selectbox("How it was sent", SEND_METHODS, help="How the department got it.")
        reference = st.text_input(
            "The department's reference (optional)",
            max_chars=MAX_REFERENCE,
            help="A receipt number or the email's subject, to find it again.",
        )
        note = st.text_area("Note (optional)", max_chars=MAX_NOTE, help="Anything else to keep.")
        recorded = st.form_submit_button("Record as sent", type="primary")
    if recorded:
        actions.act(
            lambda s, me: record_sent(
                s,
                me,
                cid,
                sent_on=sent_on,
                method=method,
                reference=reference,
                note=note,
                today=today,
                now=utcnow(),
            ),
            success=RECORDED,
        )
