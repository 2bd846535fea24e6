"""The officer's check of a partner's own file: a Word or PDF letter, or their own spreadsheet.

Every part of the document is shown, in order, with the question it was matched to, how sure
the match is and why (``evidence.intake``); parts with no question stay on the page for the
officer to give to a question or leave out. Nothing is saved until the officer imports, through
the same confirmation as the Excel template. Partners' words are shown as plain text.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from consultations.consultation import get_consultation
from consultations.db import read_scope
from consultations.errors import WorkbenchError
from consultations.files import MEGABYTE
from consultations.pages import actions, databases, escaping, uploads
from evidence.intake import PaperQuestion, propose_response
from evidence.pages import intake
from evidence.parts import ProposedAnswer, answers_from_mapping, choices_for, how_sure, summarise

EXCERPT = 700  # characters of a part's text shown; the whole text is imported
# The words say it too: colour is never the only sign.
_BADGES = {
    "high": ":green-badge[Sure]",
    "medium": ":orange-badge[Check]",
    "low": ":orange-badge[Check]",
}
UPLOAD_TYPES = ["docx", "pdf", "xlsx", "csv"]


def document_section(context: dict) -> None:
    """Split a partner's file into parts; the officer checks each part, then imports."""
    upload = st.file_uploader(
        "A partner's response: a Word or PDF letter, or their own spreadsheet",
        type=UPLOAD_TYPES,
        key=f"document-{context['cid']}-{context['organisation']}",
        max_upload_size=databases.settings().max_import_mb,
        help="Word (.docx), PDF, Excel (.xlsx) or CSV. Nothing is saved until you import.",
    )
    if upload is None:
        return
    data = upload.getvalue()
    try:
        with read_scope(databases.engine()) as session:
            questions = [
                PaperQuestion(q.id, q.number, q.text, q.kind, tuple(q.options))
                for q in get_consultation(session, context["cid"]).questions
            ]
        limit = databases.settings().max_import_mb * MEGABYTE
        mapping = uploads.parsed_once(
            f"document-{context['cid']}-{context['organisation']}",
            data,
            lambda: propose_response(data, questions, filename=upload.name, max_bytes=limit),
            depends_on=(upload.name, limit, tuple(questions)),
        )
    except WorkbenchError as exc:
        actions.show_problems(exc)
        return
    st.write(summarise(mapping).sentence())
    digest = hashlib.sha256(data).hexdigest()[:8]
    corrections = {part.index: _part(part, questions, f"map-{digest}") for part in mapping}
    try:
        answers = answers_from_mapping(mapping, corrections, questions=questions)
    except WorkbenchError as exc:
        actions.show_problems(exc)
        return
    st.subheader("The answers that will be imported")
    intake.preview_and_import(context, answers, upload.name, data)


def _part(part: ProposedAnswer, questions: list[PaperQuestion], key: str) -> tuple[int, ...]:
    """Show one part and return the questions the officer gives it to (none to leave it out)."""
    with st.container(border=True):
        badge = _BADGES[part.confidence] if part.question_ids else ":gray-badge[No question]"
        st.markdown(f"**Part {part.index + 1}** {badge} {escaping.plain(how_sure(part))}")
        st.caption(escaping.plain(f"{part.source}: {part.why}."))
        if part.marker and not part.text.startswith(part.marker):
            st.text(f"Starts with: {part.marker}")
        if part.subtitle:
            st.text(f"Subtitle (not imported): {part.subtitle}")
        if part.position_line:
            st.text(f"Position line (not imported): {part.position_line}")
        excerpt = part.text if len(part.text) <= EXCERPT else part.text[:EXCERPT] + "…"
        st.text(excerpt or "(no text: the part gives a position only)")
        choices = choices_for(part, questions)
        chosen = st.selectbox(
            "Answers the question",
            list(choices),
            index=list(choices).index(part.question_ids),
            format_func=choices.get,
            key=f"{key}-{part.index}",
        )
        if part.position:
            st.caption(
                escaping.plain(f"Position: {part.position}, read from '{part.stance_words}'.")
            )
    return chosen
