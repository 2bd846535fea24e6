"""A board member's review: read the version with the board section by section, open the
partners' answers behind any point, comment on sections, decide, and see what changed since the
version they last reviewed. Partner text is always shown with ``st.text``, never as markup."""

import pandas as pd
import streamlit as st

from consultations.consultation import STATUS_LABELS
from consultations.dates import deadline_phrase, plain_date, plain_datetime, uk_today
from consultations.db import read_scope, utcnow
from consultations.file_names import download_name
from consultations.pages import (
    actions,
    consultation_picker,
    databases,
    escaping,
    logins,
    outgoing_mail,
    widgets,
)
from consultations.words import agreeing, counted
from exports.approval import MAX_COMMENT, add_comment, record_decision
from exports.approval_rule import APPROVE, CHANGES, DECISIONS
from exports.board_view import evidence_behind, readable_draft
from exports.draft_model import Draft, Section
from exports.drafts import compare
from exports.pages import draft_parts, word_upload
from exports.review_overview import last_reviewed, review_overview

YOUR_DECISION = {APPROVE: "You approved it", CHANGES: "You asked for changes"}


def main() -> None:
    """Pick the consultation; read, comment, decide, compare."""
    viewer, cid = consultation_picker.consultation_page(
        "board_review", "Review the draft response", none_yet="There is nothing for the board yet."
    )
    with read_scope(databases.engine()) as session:
        me = logins.snapshot_user(session, viewer)
        overview = review_overview(session, me, cid)
        if not overview.sent_to_board:
            st.info("No version of this consultation's response has been sent to the board yet.")
            return
        number = overview.sent_to_board[-1]
        draft = readable_draft(session, me, cid, number)
        # Compared with the newest earlier version they reviewed: a comment on this one does
        # not make it "the version you last reviewed".
        reviewed = last_reviewed(session, me, cid, before=number)
        before = readable_draft(session, me, cid, reviewed) if reviewed else None
    open_now = overview.in_review == number
    _standing(overview, number, open_now)
    if overview.review_note:
        with st.container(border=True):
            by = overview.review_note_by or "the officer"
            st.caption(escaping.plain(f"Note from {by} with version {number}"))
            st.text(overview.review_note)
    word_upload.download_for_word(
        cid,
        number,
        label=f"Download version {number} (.docx)",
        file_name=download_name(
            overview.title, "draft", f"v{number}", "for review", extension="docx"
        ),
    )
    # Keyed and tracked, so that a form's message keeps the person on the tab they acted on.
    read, decide, changes, word, whole = st.tabs(
        [
            "Read and comment",
            "Your decision",
            "What changed",
            "Upload an edited copy",
            "Whole document",
        ],
        key=f"review-tab-{cid}",
        on_change="rerun",
    )
    with read:
        _read(cid, number, draft, overview, open_now)
    with whole:
        draft_parts.whole_document(draft)
    with decide:
        _decide(cid, number, overview, viewer, open_now)
    with changes:
        _changes(before, draft, reviewed, number)
    with word:
        if open_now:
            word_upload.upload_copy(cid, board=True)
        else:
            st.info("Comments are taken only on the version the officer has sent for review.")


def _standing(overview, number: int, open_now: bool) -> None:
    if open_now:
        st.info(
            f"Version {number} is with the board. Please decide by "
            f"{deadline_phrase(overview.review_by, uk_today())}. {overview.verdict.explanation}"
        )
    elif overview.approved == number:
        st.success(
            f"Version {number} was approved on {plain_date(overview.approved_on)}. "
            f"Stage: {STATUS_LABELS[overview.status]}."
        )
    else:
        st.warning(
            f"Version {number} is no longer up for review (stage: "
            f"{STATUS_LABELS[overview.status]}). The officer will send the next version to you."
        )


def _read(cid: int, number: int, draft: Draft, overview, open_now: bool) -> None:
    headings = {s.key: s.heading for s in draft.sections}
    key = st.selectbox(
        "Section", list(headings), format_func=headings.get, help="Read one section at a time."
    )
    section = draft.section(key)
    for index, block in enumerate(section.blocks):
        if block.included:
            _block(cid, number, key, index, block)
    st.divider()
    for comment in [c for c in overview.comments if c.section_key == key]:
        st.caption(
            f"{escaping.plain(comment.member)} on version {comment.number}, "
            f"{plain_datetime(comment.at)}"
        )
        st.text(comment.text)
    if open_now:
        _comment_form(cid, number, section)


def _block(cid: int, number: int, key: str, index: int, block) -> None:
    if block.kind == "table":
        st.dataframe(pd.DataFrame(block.rows[1:], columns=block.rows[0]), hide_index=True)
        return
    if block.kind == "subheading":
        st.subheader(escaping.plain(block.text))
        return
    st.text(f"{block.text} ({block.attribution})" if block.attribution else block.text)
    if not block.answer_ids:
        return
    count = len(block.answer_ids)
    label = f"Show the {counted(count, 'answer') if count > 1 else 'answer'} behind this"
    if st.toggle(label, key=f"evidence-{cid}-{number}-{key}-{index}"):
        viewer = logins.current_viewer()
        with read_scope(databases.engine()) as session:
            me = logins.snapshot_user(session, viewer)
            answers = evidence_behind(session, me, cid, number, block.answer_ids)
        for answer in answers:
            with st.container(border=True):
                position = f" · {answer.position}" if answer.position else ""
                sector = f" ({answer.sector})" if answer.sector else ""
                st.caption(escaping.plain(f"{answer.who}{sector} · {answer.question}{position}"))
                st.text(answer.text)


def _comment_form(cid: int, number: int, section: Section) -> None:
    with st.form(f"comment-{cid}-{number}-{section.key}", clear_on_submit=True):
        text = st.text_area(
            f"Your comment on '{escaping.plain(section.heading)}'",
            max_chars=MAX_COMMENT,
            help="The officer sees it beside this section and marks it addressed.",
        )
        saved = st.form_submit_button("Save the comment")
    if saved:
        actions.act(
            lambda s, me: add_comment(
                s, me, cid, number=number, section_key=section.key, text=text, now=utcnow()
            ),
            success="Your comment is saved. The officer will see it beside the section.",
        )


def _decide(cid: int, number: int, overview, viewer, open_now: bool) -> None:
    mine = [d for d in overview.decisions if d.member_id == viewer.id and d.number == number]
    for decision in mine:
        later = "" if decision.current else ", since replaced by your later decision"
        st.caption(f"{YOUR_DECISION[decision.decision]} on {plain_datetime(decision.at)}{later}.")
        if decision.comment:
            st.text(decision.comment)
    if not open_now:
        st.info("Decisions are taken only on the version the officer has sent for review.")
        return
    # The box is the chosen decision's own: a reason typed for a request for changes is never
    # recorded with a later approval. It is not in a form, so what is typed reaches the server
    # before the member looks at the other decision, and is kept (per decision) for their
    # return until the decision is recorded.
    choice = st.radio(
        "Your decision",
        list(DECISIONS),
        format_func=DECISIONS.get,
        key=f"decision-{cid}-{number}",
        help="You can decide again later; your newest decision counts, and all are kept.",
    )
    box = f"reason-{cid}-{number}-{choice}"
    key = widgets.kept_text(widgets.form_key(box))  # renewed (emptied) once recorded
    reason = st.text_area(
        "What should change (needed)"
        if choice == CHANGES
        else "Comment with your approval (optional)",
        max_chars=MAX_COMMENT,
        key=key,
        on_change=widgets.keep,
        args=(key,),
        help="Say what should change; the officer sees it."
        if choice == CHANGES
        else "Recorded with this approval only.",
    )
    if st.button("Record my decision", type="primary", key=f"decide-{cid}-{number}"):
        recorded = actions.act(
            lambda s, me: record_decision(
                s,
                me,
                cid,
                number=number,
                decision=choice,
                comment=reason,
                now=utcnow(),
                postbox=outgoing_mail.postbox(),
            ),
            rerun=False,
        )
        if recorded is not None:
            widgets.clear_form(box)
            widgets.forget(key)
            st.session_state["flash"] = (
                "Your request for changes is recorded; the officer has been told."
                if choice == CHANGES
                else "Your approval is recorded."
            )
            st.rerun()


def _changes(before: Draft | None, draft: Draft, reviewed: int | None, number: int) -> None:
    if before is None:
        st.info(
            f"You had not reviewed an earlier version, so there is nothing to compare: version "
            f"{number} is the first you are reviewing."
        )
        return
    changed = [c for c in compare(before, draft) if c.status != "same"]
    st.caption(
        f"Since version {reviewed}, the one you last reviewed: "
        f"{counted(len(changed), 'section')} {agreeing(len(changed), 'differs', 'differ')}. "
        f"Lines starting + are new in version {number}; lines starting − were taken out."
    )
    for change in changed:
        with st.expander(f"{escaping.plain(change.heading)} ({change.status})", expanded=True):
            for mark, line in change.lines:
                if mark != " ":
                    st.text(f"{'+' if mark == '+' else '−'} {line}")


main()
