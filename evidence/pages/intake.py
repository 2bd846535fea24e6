"""Ways evidence comes in besides typing: attached files, the Excel template, a Word response.

Shared by the answer page (partners, and officers on a partner's behalf) and the officer's
import page. Each function draws one section; the work is done by the plain modules.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from consultations.consultation import get_consultation
from consultations.dates import plain_datetime, uk_today
from consultations.db import read_scope, session_scope, utcnow
from consultations.errors import WorkbenchError
from consultations.files import FILE_TYPES, MEGABYTE, plain_size
from consultations.models import User
from consultations.pages import common
from evidence.attachments import (
    ACCEPTED,
    add_attachment,
    attachment_for_download,
    list_attachments,
    remove_attachment,
)
from evidence.excel_route import build_template, parse_response_workbook
from evidence.submissions import import_answers
from evidence.word_route import answers_from_mapping, propose_mapping


def attachments_section(context: dict, *, blocked: str) -> None:
    """List the submission's files with downloads, and take new ones."""
    st.header("Evidence files", divider="gray")
    limits = common.settings()
    with read_scope(common.engine()) as session:
        me = common.snapshot_user(session, common.current_viewer())
        files = [
            (a.id, a.name, a.size, a.uploaded_at, a.uploaded_by.name if a.uploaded_by else "")
            for a in list_attachments(session, me, context["cid"], context["organisation"])
        ]
    if not files:
        st.caption("No files yet.")
    for aid, name, size, when, who in files:
        left, middle, right = st.columns([6, 2, 2], vertical_alignment="center")
        left.text(f"{name} ({plain_size(size)}), added {plain_datetime(when)} by {who}")
        middle.download_button(
            "Download",
            data=lambda aid=aid: _download(aid),
            file_name=name,
            key=f"download-{aid}",
            on_click="ignore",
        )
        if not blocked and right.button("Remove", key=f"remove-{aid}"):
            common.act(
                lambda s, me, aid=aid: remove_attachment(
                    s, me, aid, today=uk_today(), now=utcnow()
                ),
                success=f"Removed {name}.",
            )
    if blocked:
        return
    upload = st.file_uploader(
        "Add a file",
        type=[t.lstrip(".") for t in ACCEPTED],
        key=common.form_key(f"attach-{context['cid']}"),
        max_upload_size=limits.max_attachment_mb,
        help=f"PDF, Word, Excel, CSV, text or an image; up to {limits.max_attachment_mb} MB "
        f"each and {limits.max_attachments} files in all. Remove names of people you support.",
    )
    if upload is not None and st.button("Attach this file", key="attach"):
        attached = common.act(
            lambda s, me: add_attachment(
                s,
                me,
                context["cid"],
                name=upload.name,
                data=upload.getvalue(),
                organisation_id=context["organisation"],
                today=uk_today(),
                now=utcnow(),
                max_bytes=limits.max_attachment_mb * 1024 * 1024,
                max_files=limits.max_attachments,
            ),
            success=f"Attached {upload.name}.",
            rerun=False,
        )
        if attached is not None:
            common.clear_form(f"attach-{context['cid']}")
            st.rerun()


def _download(attachment_id: int) -> bytes:
    # Checked (and audited) when the person asks for the file, not when the list is drawn.
    viewer = common.current_viewer()
    with session_scope(common.engine()) as session:
        _, _, data = attachment_for_download(
            session, session.get(User, viewer.id), attachment_id, now=utcnow()
        )
        return data


def excel_section(context: dict, *, organisation_name: str, blocked: str) -> None:
    """Offer the Excel template and take a filled one back, with a preview before importing."""
    with read_scope(common.engine()) as session:
        consultation = get_consultation(session, context["cid"])
        template = build_template(
            consultation, consultation.questions, organisation_name=organisation_name
        )
        slug = "".join(c if c.isalnum() else "-" for c in consultation.title.lower())[:40]
    st.download_button(
        "Download the Excel template",
        template,
        file_name=f"{slug}.xlsx",
        mime=FILE_TYPES["xlsx"].media_type,
        on_click="ignore",
        icon=":material/download:",
    )
    if blocked:
        return
    upload = st.file_uploader(
        "Upload a filled template (.xlsx)",
        type=["xlsx", "xlsm"],
        key=f"excel-{context['cid']}-{context['organisation']}",
        max_upload_size=common.settings().max_import_mb,
    )
    if upload is None:
        return
    data = upload.getvalue()
    try:
        with read_scope(common.engine()) as session:
            consultation = get_consultation(session, context["cid"])
            answers = parse_response_workbook(
                data,
                consultation,
                consultation.questions,
                filename=upload.name,
                max_bytes=_import_limit(),
            )
            numbers = {q.id: q.number for q in consultation.questions}
    except WorkbenchError as exc:
        common.show_problems(exc)
        return
    _preview(answers, numbers)
    _confirm_import(context, answers, upload.name, data)


def word_section(context: dict) -> None:
    """Split a partner's emailed Word response into answers; the officer corrects and confirms."""
    upload = st.file_uploader(
        "A partner's response as a Word document (.docx)",
        type=["docx"],
        key=f"word-{context['cid']}-{context['organisation']}",
        max_upload_size=common.settings().max_import_mb,
    )
    if upload is None:
        return
    data = upload.getvalue()
    try:
        with read_scope(common.engine()) as session:
            questions = list(get_consultation(session, context["cid"]).questions)
            mapping = propose_mapping(
                data, questions, filename=upload.name, max_bytes=_import_limit()
            )
    except WorkbenchError as exc:
        common.show_problems(exc)
        return
    choices = {None: "Leave out"} | {q.id: f"{q.number}: {q.text[:60]}" for q in questions}
    st.write(
        f"The document splits into {len(mapping)} parts. Check which question each part "
        "answers, then import."
    )
    corrections = {}
    for part in mapping:
        with st.container(border=True):
            st.caption(f"{part.source} · found '{part.marker}' · {part.why}")
            st.text(part.text[:600] + ("…" if len(part.text) > 600 else ""))
            ids = list(choices)
            corrections[part.index] = st.selectbox(
                "Answers the question",
                ids,
                index=ids.index(part.question_id),
                format_func=choices.get,
                key=f"map-{hashlib.sha256(data).hexdigest()[:8]}-{part.index}",
            )
            if part.position:
                st.caption(f"Position recognised: {part.position}")
    try:
        answers = answers_from_mapping(mapping, corrections, questions=questions)
    except WorkbenchError as exc:
        common.show_problems(exc)
        return
    _confirm_import(context, answers, upload.name, data)


def _import_limit() -> int:
    return common.settings().max_import_mb * MEGABYTE


def _preview(answers, numbers: dict[int, str]) -> None:
    st.dataframe(
        pd.DataFrame(
            [(numbers[a.question_id], a.position, a.text, a.evidence_note) for a in answers],
            columns=["Question", "Position", "Comment", "Evidence"],
        ),
        hide_index=True,
        width="stretch",
    )


def _confirm_import(context: dict, answers, name: str, data: bytes) -> None:
    digest = hashlib.sha256(data).hexdigest()[:12]
    if st.button(
        f"Import {len(answers)} answers from {name}", type="primary", key=f"import-{digest}"
    ):
        common.act(
            lambda s, me: import_answers(
                s,
                me,
                context["cid"],
                answers,
                organisation_id=context["organisation"],
                source=name,
                today=uk_today(),
                now=utcnow(),
            ),
            success=f"Imported the answers from {name}. Check them, then submit.",
        )
