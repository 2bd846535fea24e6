"""The draft in Word, and back: download a version for Word, upload an edited copy, review it.

Not a page of its own: the officer's draft page and the board's review page draw it. Every
section of the copy is shown (unchanged, changed with its changes marked, deleted, added) with
its comments before anything is saved; the officer then saves it as a new version (changes
accepted, or left for review), a board member as their comments. Text from the file is shown
with ``st.text``, never as markup.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from consultations.dates import plain_datetime
from consultations.db import read_scope, utcnow
from consultations.errors import WorkbenchError
from consultations.files import FILE_TYPES
from consultations.pages import actions, databases, downloads, escaping, logins, widgets
from consultations.words import agreeing, counted
from exports.models import latest_version
from exports.word_return import (
    ACCEPT,
    MODES,
    REVIEW,
    ReadCopy,
    check_copy,
    draft_docx,
    read_upload,
    save_board_copy,
    save_edited_copy,
)
from exports.word_return_compare import CHANGED, DELETED, NEW, UNCHANGED, SectionReview

DOCX = FILE_TYPES["docx"].media_type
SAVED = {
    ACCEPT: "The edited copy is saved as a new version with its changes accepted.",
    REVIEW: "The edited copy is saved as a new version, its changes left for review.",
}
STATUS_LABELS = {
    UNCHANGED: "Unchanged",
    CHANGED: "Changed",
    DELETED: "Deleted",
    NEW: "Added in the copy",
}


def download_for_word(cid: int, number: int, *, label: str, file_name: str) -> None:
    """The version as .docx, carrying what brings an edited copy back (and board comments)."""
    st.download_button(
        label,
        data=downloads.deferred_file(lambda session, me: draft_docx(session, me, cid, number)),
        file_name=file_name,
        mime=DOCX,
        on_click="ignore",
        icon=":material/description:",
        help="Edit it in Word or LibreOffice (with Track Changes on, if you like) and upload "
        "the copy under 'Upload an edited copy'.",
    )


def upload_copy(cid: int, *, board: bool) -> None:
    """Offer the upload, show what the copy changed, and save it on confirmation."""
    st.caption(
        "Upload a copy of the draft edited in Word or LibreOffice. Tracked changes and comments "
        "are read; you see every section's changes before anything is saved."
        if not board
        else "Upload your copy of the version with the board, with your tracked changes and "
        "comments. They are saved as your comments on its sections; the draft itself is not "
        "changed."
    )
    form = f"word-copy-{cid}"
    upload = st.file_uploader(
        "Edited copy of the draft (.docx)",
        type=["docx"],
        key=widgets.form_key(form),
        max_upload_size=databases.settings().max_import_mb,
    )
    if upload is None:
        return
    data = upload.getvalue()
    viewer = logins.current_viewer()
    try:
        check_copy(upload.name, data, max_bytes=databases.settings().max_import_mb * 1024 * 1024)
        with read_scope(databases.engine()) as session:
            newest = latest_version(session, cid)
        read = _read(
            cid, hashlib.sha256(data).hexdigest(), viewer.id, newest and newest.number, data
        )
    except WorkbenchError as exc:
        actions.show_problems(exc)
        return
    show_review(read)
    if board:
        _save_as_comments(cid, data, form)
    else:
        _save_as_version(cid, data, read, form)


# A copy is read once, not on every run of the page (choosing how to save reruns it): keyed by
# the file, the person and the newest version, so a version saved meanwhile is compared afresh.
@st.cache_data(max_entries=4, show_spinner="Reading the copy…")
def _read(cid: int, sha256: str, person: int, newest: int | None, _data: bytes) -> ReadCopy:
    with read_scope(databases.engine()) as session:
        return read_upload(
            session, logins.snapshot_user(session, logins.current_viewer()), cid, _data
        )


def show_review(read: ReadCopy) -> None:
    """Say what the copy is and what it did, section by section."""
    review = read.review
    changed = review.changed
    comments = len(read.copy.comments)
    editors = ", ".join(review.editors) or "someone"
    st.write(
        f"A copy of version {review.base_number}, edited by {escaping.plain(editors)}: "
        f"{len(changed)} of {counted(len(review.sections), 'section')} changed, "
        f"{counted(comments, 'comment')}."
    )
    if review.stale:
        st.warning(
            f"This copy was made from version {review.base_number}; the newest is version "
            f"{review.latest_number}. Changes to sections nobody else changed are taken in. "
            f"{counted(len(review.conflicts), 'section')} changed in the app since "
            f"{agreeing(len(review.conflicts), 'is', 'are')} shown side by side: the app's text "
            "stays unless you choose the copy's."
        )
    st.caption("Insertions and deletions are the changes still tracked in the copy.")
    st.dataframe(
        [
            {
                "Section": s.heading,
                "What the copy did": STATUS_LABELS[s.status] + (" (moved)" if s.moved else ""),
                "Insertions": s.insertions,
                "Deletions": s.deletions,
                "Comments": len(s.comments),
                "Changed in the app since": "Yes" if s.changed_in_app else "",
            }
            for s in review.sections
        ],
        hide_index=True,
        width="stretch",
    )
    for section in review.sections:
        if section.status != UNCHANGED or section.comments:
            _section(section, review.latest_number)
    if review.unplaced_comments:
        st.caption("Comments on the title page or contents (saved on the first section)")
        for comment in review.unplaced_comments:
            st.text(f"{comment.author}: {comment.text}")


def _section(section: SectionReview, latest: int) -> None:
    label = f"{section.heading}: {STATUS_LABELS[section.status].lower()}"
    with st.expander(escaping.plain(label), expanded=True):
        if section.conflict:
            left, right = st.columns(2)
            left.caption(f"In the app (version {latest})")
            right.caption("In the copy")
            left.text("\n".join(section.app_text) or "(nothing)")
            right.text("\n".join(section.copy_text) or "(deleted)")
        elif section.lines:
            st.caption(
                "Lines starting + are new in the copy; lines starting − were taken out "
                "(with the line before and after each change)."
            )
            st.text("\n".join(_around_changes(section.lines)))
        tracked = [line for line in section.marked if "[+" in line or "[-" in line]
        if tracked:
            st.caption(
                escaping.plain(
                    "Still tracked in the copy ([+inserted+], [-deleted-]): "
                    f"{counted(section.insertions, 'insertion')}, "
                    f"{counted(section.deletions, 'deletion')}"
                )
            )
            st.text("\n".join(tracked))
        for comment in section.comments:
            when = f", {plain_datetime(comment.written_at)}" if comment.written_at else ""
            st.caption(f"Comment by {escaping.plain(comment.author)}{when}")
            st.text(comment.text + (f"\n(on “{comment.covered}”)" if comment.covered else ""))


def _around_changes(lines: tuple[tuple[str, str], ...]) -> list[str]:
    """The changed lines, each with the unchanged line either side; "…" where lines are left out."""
    near = {
        index + step for index, (mark, _) in enumerate(lines) if mark != " " for step in (-1, 0, 1)
    }
    shown, last = [], -1
    for index, (mark, text) in enumerate(lines):
        if index not in near:
            continue
        if last >= 0 and index != last + 1:
            shown.append("  …")
        shown.append(f"{'−' if mark == '-' else '+' if mark == '+' else ' '} {text}")
        last = index
    return shown


def _save_as_version(cid: int, data: bytes, read: ReadCopy, form: str) -> None:
    review = read.review
    with st.form(f"{widgets.form_key(form)}-save"):
        mode = st.radio(
            "The copy's changes",
            list(MODES),
            format_func=MODES.get,
            help="Left for review, each change is kept beside the text it would replace, left "
            "out of the document until you include it, and listed in a comment on its section.",
        )
        take = [
            s.key
            for s in review.conflicts
            if st.checkbox(
                f"Use the copy's text for '{escaping.plain(s.heading)}' (changed in the app since)",
                key=f"{widgets.form_key(form)}-take-{s.key}",
            )
        ]
        saved = st.form_submit_button(f"Save as version {review.latest_number + 1}", type="primary")
    if saved:
        done = actions.act(
            lambda s, me: save_edited_copy(
                s, me, cid, data, mode=mode, take_copy=take, now=utcnow()
            ),
            success="The edited copy is saved as a new version"
            + (
                " with its changes accepted."
                if mode == ACCEPT
                else ", its changes left for review."
            ),
            rerun=False,
        )
        if done is not None:
            widgets.clear_form(form)
            st.rerun()


def _save_as_comments(cid: int, data: bytes, form: str) -> None:
    if st.button("Save as my comments", type="primary", key=f"{widgets.form_key(form)}-save"):
        done = actions.act(
            lambda s, me: save_board_copy(s, me, cid, data, now=utcnow()),
            success="Your copy's comments and changes are saved as comments on the sections.",
            rerun=False,
        )
        if done is not None:
            widgets.clear_form(form)
            st.rerun()
