"""The officer imports a partner's response that came by email: an Excel template or a Word file."""

import streamlit as st

from consultations.db import read_scope
from consultations.organisations import list_organisations
from consultations.pages import common
from evidence.pages import intake


def main() -> None:
    """Choose the consultation and organisation, then the file."""
    viewer = common.page_guard("import_response")
    st.title("Import a partner's response")
    st.caption(
        "For responses that arrive by email. Imported answers are marked 'entered by the "
        "officer'; check them on the answer page, then submit them for the partner."
    )
    cid = common.choose_consultation(viewer)
    with read_scope(common.engine()) as session:
        organisations = [(o.id, o.name) for o in list_organisations(session) if o.active]
    if cid is None or not organisations:
        st.info("You need a consultation and at least one organisation first.")
        return
    names = [name for _, name in organisations]
    chosen = st.selectbox("Organisation", names, help="Whose response this is.")
    organisation = next(oid for oid, name in organisations if name == chosen)
    context = {"cid": cid, "organisation": organisation}
    spreadsheet, word = st.tabs(["From the Excel template", "From a Word document"])
    with spreadsheet:
        intake.excel_section(context, organisation_name=chosen, blocked="")
    with word:
        intake.word_section(context)
    st.page_link(
        "evidence/pages/answer.py",
        label=f"Check {common.plain(chosen)}'s answers and submit",
        icon=":material/arrow_forward:",
        query_params={"consultation": str(cid), "organisation": str(organisation)},
    )


main()
