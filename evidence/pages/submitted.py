"""On the answer page, once an organisation has submitted: when and by whom, how the partner
chose to be quoted, and a copy of what was submitted to download (the same Word document the
receipt email carries). Drawn by answer.py."""

import streamlit as st

from consultations.dates import plain_datetime
from consultations.db import read_scope
from consultations.pages import databases, escaping
from evidence.models import Submission
from evidence.receipts import DOCX, consent_words, latest_copy


@st.cache_data(max_entries=200, show_spinner=False)
def _copy(database: str, submission_id: int, number: int, partnership: str) -> tuple[str, bytes]:
    """The copy of one submitted state (a new submission has a new number, so a new copy)."""
    with read_scope(databases.engine(database)) as session:
        copy = latest_copy(session.get(Submission, submission_id), partnership=partnership)
        return copy.file_name, copy.content


def submitted_section(submission_id: int | None, last: tuple | None, *, role: str) -> None:
    """Show the latest submission's consent and its copy. ``last`` is (number, submitted_at,
    who, entered by the officer, consent, answers) of the latest snapshot, or None.

    The caller has checked that the person may see this submission.
    """
    if submission_id is None or last is None:
        return
    number, at, who, officer, consent, _ = last
    by = f"{who} (entered by the policy officer)" if officer else who
    with st.container(border=True):
        st.markdown(
            f"**Submitted** on {plain_datetime(at)} by {escaping.plain(by)}.  \n"
            f"**How the partnership may quote you:** {escaping.plain(consent_words(consent))}"
        )
        name, content = _copy(
            databases.database_name(), submission_id, number, databases.settings().partnership_name
        )
        st.download_button(
            "Download a copy of what you submitted (.docx)"
            if role == "partner"
            else "Download a copy of what was submitted (.docx)",
            data=content,
            file_name=name,
            mime=DOCX,
            on_click="ignore",
            icon=":material/download:",
        )
