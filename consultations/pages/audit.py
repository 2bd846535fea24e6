"""The audit trail for officers: every audit event, filtered, and as CSV. Nothing can be edited."""

import pandas as pd
import streamlit as st

from consultations.audit_trail import (
    MAX_ROWS,
    AuditFilter,
    audit_choices,
    audit_csv,
    audit_events,
    event_words,
)
from consultations.consultation import visible_consultations
from consultations.dates import plain_datetime, uk_today
from consultations.db import read_scope
from consultations.errors import WorkbenchError
from consultations.file_names import download_name
from consultations.pages import actions, databases, logins, tables
from consultations.words import agreeing, counted

ANY = None


def main() -> None:
    """Filter the trail by person, consultation, kind and dates; show it; offer it as CSV."""
    viewer = actions.page_guard("audit")
    st.title("Audit trail")
    st.caption(
        "Every change of state and every refused attempt, with who, what and when. The trail "
        "is written as things happen and cannot be changed from the app."
    )
    with read_scope(databases.engine()) as session:
        me = logins.snapshot_user(session, viewer)
        people, kinds = audit_choices(session, me)
        consultations = [(c.id, c.title) for c in visible_consultations(session, me)]
    chosen = _filters(people, kinds, consultations)
    try:
        with read_scope(databases.engine()) as session:
            rows = audit_events(session, logins.snapshot_user(session, viewer), chosen)
    except WorkbenchError as exc:
        actions.show_problems(exc)
        return
    st.caption(
        f"{counted(len(rows), 'event')} {agreeing(len(rows), 'matches', 'match')}, newest first."
        + (
            f" Only the newest {MAX_ROWS:,} are listed: narrow the filters."
            if len(rows) == MAX_ROWS
            else ""
        )
    )
    st.download_button(
        "Download these events (.csv)",
        data=audit_csv(rows),
        file_name=download_name("audit trail", uk_today().isoformat(), extension="csv"),
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        help="The events listed here, for a spreadsheet. Times are UK time.",
    )
    tables.show_table(
        pd.DataFrame(
            [
                (
                    plain_datetime(r.at),
                    r.who,
                    r.what,
                    r.about,
                    r.consultation,
                    r.detail,
                )
                for r in rows
            ],
            columns=["When", "Who", "What", "About", "Consultation", "Details"],
        ),
        narrow=("Who",),
        wide=("Details",),
    )


def _filters(people, kinds, consultations) -> AuditFilter:
    names = dict(people)
    titles = dict(consultations)
    first, second, third = st.columns(3)
    person = first.selectbox(
        "Person",
        [ANY, *names],
        format_func=lambda pid: "Anyone" if pid is None else names[pid],
        help="Who did it. Refused attempts by people not logged in have no person.",
    )
    consultation = second.selectbox(
        "Consultation",
        [ANY, *titles],
        format_func=lambda cid: "Any consultation" if cid is None else titles[cid],
        help="The consultation the event concerns.",
    )
    kind = third.selectbox(
        "Kind of event",
        [ANY, *sorted(kinds, key=event_words)],
        format_func=lambda k: "Any kind" if k is None else event_words(k),
        help="What happened: for example a board decision, an approval or a refused access.",
    )
    since_column, until_column = st.columns(2)
    since = since_column.date_input(
        "From", value=None, format="DD/MM/YYYY", help="The first day to include (UK time)."
    )
    until = until_column.date_input(
        "To", value=None, format="DD/MM/YYYY", help="The last day to include (UK time)."
    )
    return AuditFilter(
        person_id=person, consultation_id=consultation, action=kind, since=since, until=until
    )


main()
