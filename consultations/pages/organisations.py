"""The partner organisations: add them and keep their details right."""

import pandas as pd
import streamlit as st

from consultations.db import read_scope
from consultations.models import SECTORS
from consultations.organisations import (
    OrganisationForm,
    create_organisation,
    list_organisations,
    update_organisation,
)
from consultations.pages import actions, databases


def main() -> None:
    """List organisations, add one, edit one."""
    actions.page_guard("organisations")
    st.title("Organisations")
    st.caption("The partner organisations whose people answer consultations.")
    with read_scope(databases.engine()) as session:
        organisations = [
            (o.id, o.name, o.sector, o.area, o.version, sum(p.active for p in o.people))
            for o in list_organisations(session)
        ]
    if organisations:
        table = pd.DataFrame(
            [(name, sector, area, people) for _, name, sector, area, _, people in organisations],
            columns=["Organisation", "Sector", "Area", "Active people"],
        )
        st.dataframe(table, hide_index=True, width="stretch")
    else:
        st.info("No organisations yet. Add the first one below.")
    add, edit = st.tabs(
        ["Add an organisation", "Edit an organisation"], key="organisations-tab", on_change="rerun"
    )
    with add:
        _form("add", OrganisationForm("", SECTORS[0], ""), None, 0)
    with edit:
        if not organisations:
            st.caption("Add an organisation first.")
            return
        by_id = {
            oid: (name, sector, area, version)
            for oid, name, sector, area, version, _ in organisations
        }
        chosen = st.selectbox(
            "Organisation to edit", list(by_id), format_func=lambda i: by_id[i][0]
        )
        name, sector, area, version = by_id[chosen]
        _form(f"edit-{chosen}-{version}", OrganisationForm(name, sector, area), chosen, version)


def _form(key: str, form: OrganisationForm, organisation_id: int | None, version: int) -> None:
    with st.form(key, clear_on_submit=organisation_id is None):
        name = st.text_input("Name", value=form.name, help="The organisation's full name.")
        sector = st.selectbox(
            "Sector",
            SECTORS,
            index=SECTORS.index(form.sector),
            help="Used to quote partners by sector ('a health partner').",
        )
        area = st.text_input(
            "Area", value=form.area, help="Where it works, e.g. 'Belfast' or 'Northern Ireland'."
        )
        submitted = st.form_submit_button("Save", type="primary")
    if not submitted:
        return
    new = OrganisationForm(name=name, sector=sector, area=area)
    if organisation_id is None:
        cap = (
            databases.settings().demo_max_organisations
            if databases.database_name() == "demo"
            else None
        )
        actions.act(
            lambda s, me: create_organisation(s, me, new, demo_cap=cap),
            success=f"Added {name.strip()}.",
        )
    else:
        actions.act(
            lambda s, me: update_organisation(
                s, me, organisation_id, seen_version=version, form=new
            ),
            success="Saved.",
        )


main()
