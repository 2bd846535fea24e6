"""The approved response, for everyone: read it, download the exact approved .docx, and (for
partners) see which sections drew on their organisation's answers."""

from functools import partial

import streamlit as st

from consultations.dates import plain_date, uk_today
from consultations.db import read_scope, utcnow
from consultations.errors import WorkbenchError
from consultations.files import FILE_TYPES
from consultations.pages import actions, consultation_picker, databases, escaping, logins
from consultations.words import in_words, possessive
from exports.approval import sent_words
from exports.approved import (
    FrozenDocumentChanged,
    approved_document,
    report_changed_document,
    sections_using_my_answers,
)
from exports.board_view import as_approved, readable_draft
from exports.drafts import section_lines
from exports.pages.sending import record_sent_form
from exports.review_overview import review_overview

DOCX = FILE_TYPES["docx"].media_type
NOT_SENT = "Not yet recorded as sent."


def main() -> None:
    """Show the consultation's approved response, if the board has approved one."""
    viewer, cid = consultation_picker.consultation_page(
        "response", "The approved response", none_yet="There are no consultations to show yet."
    )
    try:
        with read_scope(databases.engine()) as session:
            me = logins.snapshot_user(session, viewer)
            frozen = approved_document(session, me, cid)
            draft = readable_draft(session, me, cid, frozen.number)
            uses = sections_using_my_answers(session, me, cid)
            sent = _sent_line(session, me, cid) if viewer.role != "partner" else ""
    except FrozenDocumentChanged as exc:
        # Refused, and put on the audit trail and before the officers (once).
        actions.act(partial(report_changed_document, problem=exc, now=utcnow()), rerun=False)
        st.error(escaping.markup_free(str(exc)))
        return
    except WorkbenchError as exc:
        st.info(escaping.markup_free(str(exc)))
        return
    st.success(
        f"Approved by the Board on {plain_date(frozen.approved_on)} (version {frozen.number})."
        + (f" {sent}" if sent else "")
    )
    st.download_button(
        "Download the approved response (.docx)",
        data=frozen.document,
        file_name=frozen.file_name,
        mime=DOCX,
        on_click="ignore",
        icon=":material/download:",
        help="The exact document the board approved.",
    )
    st.write("Document fingerprint (to check a copy is the approved one):")
    st.caption(frozen.sha256)
    if viewer.role == "officer" and sent == NOT_SENT:
        record_sent_form(cid, uk_today(), where="response")
    if viewer.role == "partner":
        _your_answers(uses, viewer)
    draft = as_approved(draft, frozen.approved_on)
    headings = {s.key: s.heading for s in draft.sections}
    key = st.selectbox(
        "Section", list(headings), format_func=headings.get, help="Read one section at a time."
    )
    for _, line in section_lines(draft.section(key)):
        st.text(line)


def _your_answers(uses, viewer) -> None:
    st.header("Where your answers were used", divider="gray")
    if not uses:
        st.info(
            escaping.markup_free(
                f"No section of the response cites {possessive(viewer.organisation_name)} "
                "answers directly. Every submitted answer is counted in the positions and listed "
                "in the annex."
            )
        )
        return
    st.markdown(
        "\n".join(
            f"- {escaping.plain(u.heading)}: {in_words(u.answers)} of your answers" for u in uses
        )
    )


def _sent_line(session, me, cid: int) -> str:
    overview = review_overview(session, me, cid)
    if overview.sent_on is None:
        return NOT_SENT
    return sent_words(overview.sent_on, overview.sent_method)


main()
