"""A partner's home: the consultations open to their organisation, with progress and status."""

import streamlit as st

from consultations.consultation import visible_consultations
from consultations.dates import deadline_phrase, uk_today
from consultations.db import read_scope
from consultations.pages import actions, databases, escaping, logins
from evidence.submissions import answered_count, find_submission, status_phrase


def main() -> None:
    """List what the organisation has to answer, soonest deadline first."""
    viewer = actions.page_guard("partner_home")
    st.title("Your consultations")
    st.caption(
        f"Answering for {escaping.plain(viewer.organisation_name)}. Everyone at your organisation "
        "works on the same response."
    )
    today = uk_today()
    with read_scope(databases.engine()) as session:
        me = logins.snapshot_user(session, viewer)
        cards = []
        for consultation in visible_consultations(session, me):
            submission = find_submission(session, consultation.id, me.organisation_id)
            cards.append(
                (
                    consultation.id,
                    consultation.title,
                    consultation.status,
                    deadline_phrase(consultation.partner_deadline, today),
                    answered_count(submission),
                    len(consultation.questions),
                    status_phrase(submission),
                )
            )
    open_now = [c for c in cards if c[2] == "open"]
    if not open_now:
        st.info(
            "No consultation is open to partners at the moment. Your policy officer will "
            "let you know when one opens."
        )
    if open_now:
        st.header("Open for your answers", divider="gray")
    for cid, title, _, deadline, answered, total, status in open_now:
        with st.container(border=True):
            st.subheader(escaping.plain(title))
            st.markdown(
                f"**Partner deadline:** {deadline}  \n"
                f"**Progress:** {answered} of {total} questions answered  \n"
                f"**Status:** {escaping.plain(status)}"
            )
            st.progress(answered / total if total else 0.0)
            st.page_link(
                "evidence/pages/answer.py",
                label="Open and answer",
                icon=":material/edit:",
                query_params={"consultation": str(cid)},
            )
    earlier = [c for c in cards if c[2] != "open"]
    if earlier:
        st.header("Earlier consultations", divider="gray")
        for cid, title, stage, _, answered, total, status in earlier:
            shown = f"{escaping.plain(status)} ({answered} of {total} answered)"
            st.markdown(f"**{escaping.plain(title)}**: {shown}")
            st.page_link(
                "evidence/pages/answer.py",
                label="See your answers",
                query_params={"consultation": str(cid)},
            )
            if stage in ("approved", "sent"):
                st.page_link(
                    "exports/pages/response.py",
                    label="Read and download the approved response",
                    icon=":material/verified:",
                    query_params={"consultation": str(cid)},
                )


main()
