"""Ways evidence comes in besides typing: attached files and the Excel template.

Shared by the answer page (partners, and officers on a partner's behalf) and the officer's
import page (whose check of a partner's own letter or spreadsheet is in ``intake_document``).
Each function draws one section; the work is done by the plain modules.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from consultations.consultation import get_consultation
from consultations.dates import plain_datetime, uk_today
from consultations.db import read_scope, utcnow
from consultations.errors import WorkbenchError
from consultations.file_names import download_name
from consultations.files import FILE_TYPES, MEGABYTE, plain_size
from consultations.pages import actions, databases, downloads, escaping, logins, uploads, widgets
from consultations.words import plural
from evidence.attachments import (
    ACCEPTED,
    add_attachment,
    attachment_for_download,
    list_attachments,
    remove_attachment,
)
from evidence.excel_route import build_template, parse_response_workbook
from evidence.import_preview import (
    import_rows,
    saved_answers,
    saved_since,
    saved_versions,
    versions_to_import,
)
from evidence.submissions import AnswerInput, import_answers


def attachments_section(context: dict, *, blocked: str) -> None:
    """List the submission's files with downloads, and take new ones."""
    st.header("Evidence files", divider="gray")
    limits = databases.settings()
    with read_scope(databases.engine()) as session:
        me = logins.snapshot_user(session, logins.current_viewer())
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
            data=_download(aid),
            file_name=name,
            key=f"download-{aid}",
            on_click="ignore",
        )
        if not blocked and right.button("Remove", key=f"remove-{aid}"):
            actions.act(
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
        key=widgets.form_key(f"attach-{context['cid']}"),
        max_upload_size=limits.max_attachment_mb,
        help=f"PDF, Word, Excel, CSV, text or an image; up to {limits.max_attachment_mb} MB "
        f"each and {limits.max_attachments} files in all. Remove names of people you support.",
    )
    if upload is not None and st.button("Attach this file", key="attach"):
        attached = actions.act(
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
            widgets.clear_form(f"attach-{context['cid']}")
            st.rerun()


def file_not_attached(context: dict) -> str | None:
    """The name of a file chosen under "Add a file" but not attached yet, if there is one."""
    chosen = st.session_state.get(widgets.form_key(f"attach-{context['cid']}"))
    return chosen.name if chosen is not None else None


def _download(attachment_id: int):
    # Checked (and audited) when the person asks for the file, not when the list is drawn.
    return downloads.deferred_file(
        lambda session, me: attachment_for_download(session, me, attachment_id, now=utcnow())[2],
        writes=True,
    )


def excel_section(
    context: dict,
    *,
    organisation_name: str,
    blocked: str,
    own_file_hint: str = "",
    answers: Mapping[int, AnswerInput] | None = None,
) -> None:
    """Offer the Excel template and take a filled one back, with a preview before importing.

    ``own_file_hint``: what to tell an officer whose upload is not a template (the partner's
    own spreadsheet), where the page offers another way in. ``answers``: the saved answers the
    template comes filled in with (by question id).
    """
    with read_scope(databases.engine()) as session:
        consultation = get_consultation(session, context["cid"])
        template = build_template(
            consultation,
            consultation.questions,
            organisation_name=organisation_name,
            answers=answers,
        )
        name = download_name(consultation.title, "response template", extension="xlsx")
    if answers:
        st.caption("The template comes filled in with the answers saved so far.")
    st.download_button(
        "Download the Excel template",
        template,
        file_name=name,
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
        max_upload_size=databases.settings().max_import_mb,
    )
    if upload is None:
        return
    data = upload.getvalue()
    try:
        with read_scope(databases.engine()) as session:
            consultation = get_consultation(session, context["cid"])
            questions = list(consultation.questions)
            answers = uploads.parsed_once(
                f"excel-{context['cid']}-{context['organisation']}",
                data,
                lambda: parse_response_workbook(
                    data, consultation, questions, filename=upload.name, max_bytes=_import_limit()
                ),
                depends_on=(
                    upload.name,
                    _import_limit(),
                    tuple((q.id, q.number, q.kind, tuple(q.options)) for q in questions),
                ),
            )
    except WorkbenchError as exc:
        actions.show_problems(exc)
        if own_file_hint:
            st.info(own_file_hint)
        return
    preview_and_import(context, answers, upload.name, data)


def _import_limit() -> int:
    return databases.settings().max_import_mb * MEGABYTE


def preview_and_import(context: dict, answers, name: str, data: bytes) -> None:
    """Show each row of the file beside the saved answer it replaces, then import on a press.

    The saved answers' versions are noted the first time the person sees this file; rows whose
    answer is saved again after that are shown and not imported without a yes.
    """
    digest = hashlib.sha256(data).hexdigest()[:12]
    with read_scope(databases.engine()) as session:
        me = logins.snapshot_user(session, logins.current_viewer())
        saved = saved_answers(session, me, context["cid"], organisation_id=context["organisation"])
        numbers = {q.id: q.number for q in get_consultation(session, context["cid"]).questions}
    seen_key = f"import-seen-{context['cid']}-{context['organisation']}-{digest}"
    seen = st.session_state.setdefault(seen_key, saved_versions(saved))
    rows = import_rows(answers, saved, seen, numbers)
    st.dataframe(
        pd.DataFrame(
            [
                (
                    row.number,
                    row.answer.position,
                    row.answer.text,
                    row.answer.evidence_note,
                    row.replaces_phrase(),
                    row.replaced_text(),
                )
                for row in rows
            ],
            columns=[
                "Question",
                "Position",
                "Comment",
                "Evidence",
                "What importing does",
                "The saved answer it replaces",
            ],
        ),
        hide_index=True,
        width="stretch",
    )
    replacing = [row.number for row in rows if row.replaces and not row.unchanged]
    if replacing:
        st.caption(
            f"Importing replaces the saved {plural(len(replacing), 'answer')} to "
            f"{', '.join(replacing)} with the file's (shown beside each row above)."
        )
    newer = saved_since(rows)
    replace_newer = False
    if newer:
        listed = ", ".join(row.number for row in newer)
        st.warning(
            f"Since you first checked this file, someone saved newer answers to {listed}. "
            "They are not imported over unless you say so: read them in the table above."
        )
        replace_newer = st.checkbox(
            f"Replace the newer {plural(len(newer), 'answer')} to {listed} with the file's",
            key=f"replace-newer-{seen_key}-{'-'.join(str(r.replaces.version) for r in newer)}",
        )
    if st.button(
        f"Import {len(answers)} answers from {escaping.markup_free(name)}",
        type="primary",
        key=f"import-{digest}",
        disabled=bool(newer) and not replace_newer,
    ):
        versions = versions_to_import(rows, seen, replace_newer=replace_newer)
        done = actions.act(
            lambda s, me: import_answers(
                s,
                me,
                context["cid"],
                answers,
                organisation_id=context["organisation"],
                source=name,
                today=uk_today(),
                now=utcnow(),
                seen_versions=versions,
            ),
            success=f"Imported the answers from {name}. Check them, then submit.",
            rerun=False,
        )
        if done is not None:
            # Checking the same file again later starts from the answers saved then.
            st.session_state.pop(seen_key, None)
            st.rerun()
