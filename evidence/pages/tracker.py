"""The officer's tracker: who has responded, coverage by sector, and whom to remind."""

import pandas as pd
import streamlit as st

from consultations.consultation import get_consultation, partner_deadline_words
from consultations.dates import plain_datetime, uk_today
from consultations.db import read_scope
from consultations.pages import consultation_picker, databases, logins
from evidence.pages.reminding import reminders_section
from evidence.tracker import sector_coverage, tracker_rows


def main() -> None:
    """Show each organisation's progress on the chosen consultation."""
    viewer, cid = consultation_picker.consultation_page("tracker", "Responses")
    with read_scope(databases.engine()) as session:
        rows = tracker_rows(session, logins.snapshot_user(session, viewer), cid)
        consultation = get_consultation(session, cid)
        deadline = partner_deadline_words(consultation, uk_today())
        status, partner_deadline = consultation.status, consultation.partner_deadline
    submitted = sum(r.submitted for r in rows)
    started = sum(r.answered > 0 and not r.submitted for r in rows)
    left, middle, right = st.columns(3)
    left.metric("Submitted", f"{submitted} of {len(rows)}")
    middle.metric("In progress", started)
    right.metric("Not started", len(rows) - submitted - started)
    st.caption(f"Partner deadline: {deadline}")
    table = pd.DataFrame(
        [
            (
                r.organisation,
                f"answer?consultation={cid}&organisation={r.organisation_id}",
                r.status,
                f"{r.answered} of {r.questions}",
                plain_datetime(r.last_activity) if r.last_activity else "",
                r.sector,
            )
            for r in rows
        ],
        columns=["Organisation", "Open", "Status", "Answered", "Last activity", "Sector"],
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "Open": st.column_config.LinkColumn(
                "Open",
                display_text="Read or enter",
                help="Read this organisation's answers, or enter them on its behalf",
            )
        },
    )
    st.header("Coverage by sector", divider="gray")
    coverage = sector_coverage(rows)
    st.dataframe(
        pd.DataFrame(
            [(c.sector, c.organisations, c.submitted, c.started) for c in coverage],
            columns=["Sector", "Organisations", "Submitted", "Started"],
        ),
        hide_index=True,
    )
    reminders_section(viewer, cid, status=status, deadline=partner_deadline)


main()
