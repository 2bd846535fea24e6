"""The questions page's import: upload a paper or spreadsheet, check what was found, add it.

Not a page of its own: ``consultations/pages/questions.py`` draws it in its "Import" tab.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from consultations.consultation import get_consultation
from consultations.db import read_scope, utcnow
from consultations.errors import WorkbenchError
from consultations.pages import actions, databases, escaping, uploads
from consultations.question_import import QuestionImport, read_questions
from consultations.questions import (
    CLASH_CHOICES,
    KIND_WORDS,
    QuestionForm,
    clashing_numbers,
    numbered_after,
    replace_questions,
    save_questions,
)
from consultations.words import agreeing, counted


def import_questions(cid: int) -> None:
    """Offer the upload, show what the file holds, and add its questions on confirmation."""
    st.caption(
        "Upload the consultation paper or its response form (Word .docx or PDF), or a "
        "spreadsheet (.xlsx or .csv) with a column of questions. You will see what was found, "
        "and anything to check, before anything is saved."
    )
    upload = st.file_uploader(
        "Question file",
        type=["docx", "pdf", "xlsx", "csv"],
        key=f"file-{cid}",
        max_upload_size=databases.settings().max_import_mb,
    )
    if upload is None:
        return
    data = upload.getvalue()
    limit = databases.settings().max_import_mb * 1024 * 1024
    try:
        found = uploads.parsed_once(
            f"questions-{cid}",
            data,
            lambda: read_questions(upload.name, data, max_bytes=limit),
            depends_on=(upload.name, limit),
        )
    except WorkbenchError as exc:
        actions.show_problems(exc)
        return
    _preview(found)
    forms = [QuestionForm(q.number, q.text, q.kind, q.options, q.section) for q in found.questions]
    digest = hashlib.sha256(data).hexdigest()[:12]
    with read_scope(databases.engine()) as session:
        have = get_consultation(session, cid).questions
        clashes = clashing_numbers(forms, have)
        after = numbered_after(forms, have) if clashes else forms
    replacing = False
    if clashes:
        # Said before anything is saved, with a way through rather than a refusal.
        st.warning(
            f"This consultation has {_numbers(clashes)} already, with other words. Choose what "
            "to do with the file's questions."
        )
        choice = st.radio(
            "The file's questions with those numbers",
            list(CLASH_CHOICES),
            format_func=CLASH_CHOICES.get,
            key=f"clash-{digest}",
        )
        if choice == "after":
            forms = after
            renamed = ", ".join(f"{a.number}" for a in after[:6])
            more = "…" if len(after) > 6 else ""
            st.caption(f"They will be numbered {renamed}{more}.")
        else:
            replacing = True
    count = len(forms)
    label = f"Add these {counted(count, 'question')}"
    if st.button(label, type="primary", key=f"confirm-{digest}"):
        saved = actions.act(
            lambda s, me: (
                replace_questions(s, me, cid, forms, now=utcnow(), source=found.name)
                if replacing
                else save_questions(
                    s, me, cid, forms, now=utcnow(), source=found.name, skip_unchanged=True
                )
            ),
            rerun=False,
        )
        if saved is not None:
            st.session_state["flash"] = _added(len(saved), count, found.name)
            st.rerun()


def _numbers(numbers: list[str]) -> str:
    if len(numbers) == 1:
        return numbers[0]
    return f"{', '.join(numbers[:-1])} and {numbers[-1]}"


def _added(saved: int, count: int, name: str) -> str:
    there = count - saved
    if not saved:
        return f"Every question in {name} is here already; nothing was added."
    also = f"; {there} {agreeing(there, 'was', 'were')} here already" if there else ""
    return f"Added {counted(saved, 'question')} from {name}{also}."


def _preview(found: QuestionImport) -> None:
    st.write(f"Found {counted(len(found.questions), 'question')} in {escaping.plain(found.name)}:")
    st.dataframe(
        pd.DataFrame(
            [
                (q.number, q.section, q.text, KIND_WORDS[q.kind], ", ".join(q.options), q.source)
                for q in found.questions
            ],
            columns=["Number", "Section", "Question", "Kind", "Options", "Found at"],
        ),
        hide_index=True,
        width="stretch",
    )
    if found.notices:
        st.warning(
            f"Check {counted(len(found.notices), 'thing')} before "
            "adding them:\n\n" + "\n".join(f"- {escaping.plain(str(n))}" for n in found.notices)
        )
    if found.left_out:
        st.info(
            "Left out, because they ask about the person or organisation responding rather than "
            "the proposals:\n\n"
            + "\n".join(f"- {q.number}: {escaping.plain(q.text)}" for q in found.left_out)
        )
