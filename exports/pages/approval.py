"""The officer's side of board approval: send the newest version to the board, see comments
beside their sections and mark them addressed, see decisions and whether the rule holds,
download the frozen approved document with its SHA-256, and record that it was sent."""

from datetime import timedelta
from functools import partial

import pandas as pd
import streamlit as st

from consultations.consultation import STATUS_LABELS, get_consultation
from consultations.dates import deadline_phrase, plain_date, plain_datetime, uk_today
from consultations.db import read_scope, utcnow
from consultations.errors import WorkbenchError
from consultations.files import FILE_TYPES
from consultations.pages import (
    actions,
    consultation_picker,
    databases,
    escaping,
    logins,
    outgoing_mail,
    widgets,
)
from consultations.words import in_words, plural
from exports.approval import (
    MAX_NOTE,
    mark_addressed,
    mark_request_addressed,
    send_for_review,
    sent_words,
)
from exports.approval_rule import DECISIONS
from exports.approved import FrozenDocumentChanged, approved_document, report_changed_document
from exports.board_view import readable_draft
from exports.draft_model import Draft
from exports.drafts import section_lines
from exports.pages.sending import record_sent_form
from exports.review_overview import review_overview

DOCX = FILE_TYPES["docx"].media_type


def main() -> None:
    """Show where the draft stands with the board and offer the next step."""
    viewer, cid = consultation_picker.consultation_page("approval", "Board approval")
    with read_scope(databases.engine()) as session:
        me = logins.snapshot_user(session, viewer)
        overview = review_overview(session, me, cid)
        newest = readable_draft(session, me, cid, overview.newest) if overview.newest else None
        deadline = get_consultation(session, cid).partner_deadline
    if overview.status in ("draft", "open"):
        _still_with_partners(overview.status, deadline, has_draft=newest is not None)
        return
    if newest is None:
        st.info("There is no draft yet. Assemble the first draft on the draft page.")
        st.page_link("exports/pages/draft.py", label="Draft response", icon=":material/article:")
        return
    today = uk_today()
    st.markdown(
        f"**Stage:** {STATUS_LABELS[overview.status]}  \n"
        f"**Newest version:** {overview.newest}  \n"
        f"**The rule:** approved when {overview.rule}."
    )
    if overview.in_review:
        st.info(
            f"Version {overview.in_review} is with the board; their deadline is "
            f"{deadline_phrase(overview.review_by, today)}. {overview.verdict.explanation}"
        )
        for decision in [d for d in overview.decisions if d.holds_back]:
            _former_request(decision)
    elif overview.status in ("closed", "drafting"):
        _send_form(cid, overview, today)
    if overview.approved:
        _approved(cid, overview, today)
    # Keyed and tracked (with labels that do not change), so that "Mark addressed" keeps the
    # officer on the comments.
    decisions, comments = st.tabs(
        ["Decisions", "Board comments"], key=f"approval-tab-{cid}", on_change="rerun"
    )
    with decisions:
        _decisions(overview)
    with comments:
        _comments(overview, newest)


def _still_with_partners(status: str, deadline, *, has_draft: bool) -> None:
    """Say what comes before the board, while partners can still answer."""
    when = deadline_phrase(deadline, uk_today())
    first = (
        "This consultation is still being set up: open it to partners first, on 'Set up a "
        "consultation'."
        if status == "draft"
        else f"Partners can still answer this consultation: their deadline is {when}."
    )
    st.info(
        f"{first} The board reviews the response once partners have answered. What to do "
        "next:\n\n"
        "1. **Close it to partners** on 'Set up a consultation' (after their deadline, or "
        "sooner if everyone has answered).\n"
        "2. **Start drafting**: "
        + ("edit the draft" if has_draft else "assemble the first draft")
        + " on 'Draft response' from their answers.\n"
        "3. **Send it to the board** here, with a note and the board's deadline."
    )
    st.page_link(
        "consultations/pages/consultation_edit.py",
        label="Set up a consultation: details and stage",
        icon=":material/edit_note:",
    )
    st.page_link("exports/pages/draft.py", label="Draft response", icon=":material/article:")


def _former_request(decision) -> None:
    """A request for changes from someone who has left the board: it holds the version back
    until an officer says how it was addressed."""
    with st.container(border=True):
        st.caption(
            f"{escaping.plain(decision.member)} (no longer on the board) asked for changes to "
            f"version {decision.number} on {plain_datetime(decision.at)}:"
        )
        st.text(decision.comment)
        note = st.text_input(
            "How it was addressed",
            key=f"former-note-{decision.decision_id}",
            max_chars=MAX_NOTE,
            help="The board is told, and reads it before deciding again.",
        )
        if st.button("Mark the request addressed", key=f"former-{decision.decision_id}"):
            actions.act(
                lambda s, me: mark_request_addressed(
                    s, me, decision.decision_id, note=note, now=utcnow()
                ),
                success="Marked addressed. The board has been told.",
            )


def _send_form(cid: int, overview, today) -> None:
    number = overview.newest
    with st.form(f"send-{cid}-{number}"):
        st.subheader(f"Send version {number} to the board")
        default = max(today, min(overview.closes_on - timedelta(days=3), today + timedelta(7)))
        review_by = st.date_input(
            "The board's deadline",
            value=default,
            min_value=today,
            format="DD/MM/YYYY",
            help="Board members see it on their home page. It must fall on or before the "
            f"government's closing date, {plain_date(overview.closes_on)}.",
        )
        note = st.text_area(
            "Note for the board (optional)",
            key=widgets.kept_text(_note_key(cid)),
            max_chars=MAX_NOTE,
            help="What changed since the last version, or what you would like them to look at.",
        )
        sent = st.form_submit_button(f"Send version {number} for review", type="primary")
    if sent:
        # Kept until it is sent: a refused send, then a visit to another page, loses nothing.
        widgets.keep(_note_key(cid), note)
        request = actions.act(
            lambda s, me: send_for_review(
                s,
                me,
                cid,
                number=number,
                review_by=review_by,
                today=today,
                now=utcnow(),
                note=note,
                postbox=outgoing_mail.postbox(),
            ),
            success=f"Version {number} is with the board. Its members have been told.",
            rerun=False,
        )
        if request is not None:
            widgets.forget(_note_key(cid))
            st.rerun()


def _note_key(cid: int) -> str:
    return f"board-note-{cid}"


def _approved(cid: int, overview, today) -> None:
    st.success(
        f"The board approved version {overview.approved} on {plain_date(overview.approved_on)}."
    )
    try:
        with read_scope(databases.engine()) as session:
            frozen = approved_document(
                session, logins.snapshot_user(session, logins.current_viewer()), cid
            )
    except FrozenDocumentChanged as exc:
        # Refused, and put on the audit trail and before the officers (once).
        actions.act(partial(report_changed_document, problem=exc, now=utcnow()), rerun=False)
        st.error(escaping.markup_free(str(exc)))
        return
    except WorkbenchError as exc:
        st.error(escaping.markup_free(str(exc)))
        return
    st.caption("Document fingerprint (to check a copy is the approved one):")
    st.code(frozen.sha256, language=None)
    st.download_button(
        "Download the approved response (.docx)",
        data=frozen.document,
        file_name=frozen.file_name,
        mime=DOCX,
        on_click="ignore",
        icon=":material/verified:",
    )
    if overview.sent_on:
        st.info(
            escaping.plain(
                sent_words(overview.sent_on, overview.sent_method, overview.sent_reference)
            )
        )
        return
    record_sent_form(cid, today, where="approval")


def _decisions(overview) -> None:
    if not overview.decisions:
        st.info("No board member has decided yet.")
        return
    st.dataframe(
        pd.DataFrame(
            [
                (
                    d.number,
                    d.member
                    + (" (chair)" if d.is_chair else "")
                    + ("" if d.on_board else " (former member)"),
                    DECISIONS[d.decision],
                    d.comment,
                    plain_datetime(d.at),
                    _standing(d, latest=overview.sent_to_board[-1]),
                )
                for d in overview.decisions
            ],
            columns=["Version", "Member", "Decision", "Reason or comment", "When", "Standing"],
        ),
        hide_index=True,
        width="stretch",
    )


def _standing(decision, *, latest: int) -> str:
    """Whether the decision still counts; one on a version before the last sent to the board
    counts no more (unless it is a former member's request still holding the draft back)."""
    if decision.number < latest and not decision.holds_back:
        return "for an earlier version"
    if not decision.current:
        return "replaced by a later decision"
    if decision.addressed_at:
        return (
            f"addressed by {decision.addressed_by} on {plain_date(decision.addressed_at)}: "
            f"{decision.addressed_note}"
        )
    return "current"


def _comments(overview, newest: Draft) -> None:
    if not overview.comments:
        st.info("No comments from the board yet.")
        return
    open_ones = sum(1 for c in overview.comments if not c.addressed_at)
    st.caption(_comments_standing(len(overview.comments), open_ones))
    headings = {s.key: s for s in newest.sections}
    for key in dict.fromkeys(c.section_key for c in overview.comments):
        section = headings.get(key)
        title = section.heading if section else overview.comments[0].heading
        with st.expander(escaping.plain(title), expanded=True):
            text, notes = st.columns([3, 2])
            text.caption(f"Version {overview.newest}")
            for _, line in section_lines(section):
                text.text(line)
            with notes:
                for comment in [c for c in overview.comments if c.section_key == key]:
                    _comment(comment)


def _comments_standing(count: int, open_ones: int) -> str:
    """Say how many comments there are and how many wait, as a sentence: 'Two comments, one
    not yet marked addressed.'"""
    comments = f"{in_words(count).capitalize()} {plural(count, 'comment')}"
    if count == 1:
        return f"{comments}, {'not yet ' if open_ones else ''}marked addressed."
    if not open_ones:
        return f"{comments}, {'both' if count == 2 else 'all'} marked addressed."
    if open_ones == count:
        return f"{comments}, none yet marked addressed."
    return f"{comments}, {in_words(open_ones)} not yet marked addressed."


def _comment(comment) -> None:
    with st.container(border=True):
        st.caption(
            f"{escaping.plain(comment.member)} on version {comment.number}, "
            f"{plain_datetime(comment.at)}"
        )
        st.text(comment.text)
        if comment.addressed_at:
            note = f": {comment.addressed_note}" if comment.addressed_note else ""
            st.caption(
                escaping.plain(
                    f"Addressed in version {comment.addressed_in} by {comment.addressed_by} on "
                    f"{plain_date(comment.addressed_at)}{note}"
                )
            )
            return
        note = st.text_input(
            "How it was addressed (optional)",
            key=f"note-{comment.id}",
            max_chars=MAX_NOTE,
            help="Kept with the comment for the board to see.",
        )
        if st.button("Mark addressed", key=f"addressed-{comment.id}"):
            actions.act(
                lambda s, me: mark_addressed(s, me, comment.id, note=note, now=utcnow()),
                success="Marked addressed.",
            )


main()
