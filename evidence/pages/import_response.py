"""The officer imports a partner's response that came by email: the Excel template, a Word or PDF
letter, or the partner's own spreadsheet."""

import streamlit as st

from consultations.consultation import get_consultation
from consultations.db import read_scope
from consultations.organisations import list_organisations
from consultations.pages import actions, consultation_picker, databases, escaping
from consultations.words import possessive
from evidence.pages import intake, intake_document
from evidence.submissions import OFFICER_CLOSED, OFFICER_WRITABLE


def main() -> None:
    """Choose the consultation and organisation, then the file."""
    viewer = actions.page_guard("import_response")
    st.title("Import a partner's response")
    st.caption(
        "For responses that arrive by email. Imported answers are marked 'entered by the "
        "officer'; check them on the answer page, then submit them for the partner."
    )
    cid = consultation_picker.choose_consultation(viewer)
    with read_scope(databases.engine()) as session:
        organisations = [(o.id, o.name) for o in list_organisations(session) if o.active]
        status = get_consultation(session, cid).status if cid is not None else None
    if cid is None or not organisations:
        st.info("You need a consultation and at least one organisation first.")
        return
    names = [name for _, name in organisations]
    chosen = st.selectbox("Organisation", names, help="Whose response this is.")
    organisation = next(oid for oid, name in organisations if name == chosen)
    if status not in OFFICER_WRITABLE:
        # Said before any file is chosen, not after its preview.
        st.warning(
            f"{OFFICER_CLOSED.get(status, OFFICER_CLOSED['drafting'])} Nothing can be imported "
            "into this consultation now."
        )
        return
    context = {"cid": cid, "organisation": organisation}
    spreadsheet, document = st.tabs(
        ["From the Excel template", "From a letter or the partner's own file"],
        key="import-tab",
        on_change="rerun",
    )
    with spreadsheet:
        intake.excel_section(
            context,
            organisation_name=chosen,
            blocked="",
            own_file_hint=(
                "If this is the partner's own spreadsheet (the consultation's questions with "
                "their answers beside them), upload it on the tab 'From a letter or the "
                "partner's own file': it reads any sheet with a question column and an answer "
                "column, and shows you each row before anything is imported."
            ),
        )
    with document:
        intake_document.document_section(context)
    st.page_link(
        "evidence/pages/answer.py",
        label=f"Check {escaping.plain(possessive(chosen))} answers and submit",
        icon=":material/arrow_forward:",
        query_params={"consultation": str(cid), "organisation": str(organisation)},
    )


main()
