"""Parts of the draft pages (not a page): the whole document on one page, and the officer's own
paragraphs and sections (add, move, remove).

Every word is shown with ``st.text`` or escaped with ``escaping.plain``: partners' and officers'
text is never rendered as markup.
"""

import pandas as pd
import streamlit as st

from consultations.db import utcnow
from consultations.pages import actions, escaping
from evidence.consent import Policy
from exports.draft_model import Draft
from exports.drafts import (
    ADDED,
    MAX_HEADING,
    MAX_TEXT,
    add_own_paragraph,
    add_own_section,
    move_added,
    remove_added,
)
from exports.gate import holds


def whole_document(draft: Draft, policy: Policy | None = None) -> None:
    """Show every section, in order, as a reader of the .docx meets it.

    With the consultation's consent ``policy``, what would hold the version back includes a
    name of a partner who asked not to be named.
    """
    waiting = holds(draft, policy)
    if waiting:
        st.warning(
            "This version cannot go to the board yet: "
            + "; ".join(escaping.plain(hold.sentence()) for hold in waiting)
            + "."
        )
    for section in draft.sections:
        heading = "Cover page" if section.key == "cover" else section.heading
        st.header(escaping.plain(heading), divider="gray")
        for block in section.blocks:
            if not block.included:
                continue
            if block.kind == "table":
                if block.rows:
                    st.dataframe(
                        pd.DataFrame(block.rows[1:], columns=block.rows[0]), hide_index=True
                    )
            elif block.kind == "subheading":
                st.markdown(f"**{escaping.plain(block.text)}**")
            elif block.kind in ("quote", "figure") and block.attribution:
                st.text(f"{block.text} ({block.attribution})")
            elif block.kind == "point":
                st.text(f"• {block.text}")
            else:
                st.text(block.text)


def own_words(cid: int, draft: Draft, number: int) -> None:
    """The officer's own paragraphs and sections: add one, move or remove what was added."""
    headings = {s.key: "Cover page" if s.key == "cover" else s.heading for s in draft.sections}
    keys = list(headings)
    with st.expander("Add your own paragraph or section", icon=":material/add_notes:"):
        with st.form(f"add-paragraph-{cid}", clear_on_submit=True):
            where = st.selectbox(
                "Add a paragraph to the section",
                keys,
                index=keys.index("recommendations") if "recommendations" in keys else 0,
                format_func=headings.get,
            )
            text = st.text_area("Your paragraph", max_chars=MAX_TEXT)
            if st.form_submit_button("Add the paragraph"):
                actions.act(
                    lambda s, me: add_own_paragraph(
                        s, me, cid, where, text=text, seen=number, now=utcnow()
                    ),
                    success=f"Added your paragraph to '{headings[where]}' as a new version.",
                )
        with st.form(f"add-section-{cid}", clear_on_submit=True):
            heading = st.text_input(
                "Heading of the new section",
                max_chars=MAX_HEADING,
                help="For example 'Covering note' or 'Our recommendations'.",
            )
            first = st.text_area("Its first paragraph", max_chars=MAX_TEXT)
            after = st.selectbox(
                "Put it after", keys, index=0, format_func=headings.get, key=f"after-{cid}"
            )
            if st.form_submit_button("Add the section"):
                actions.act(
                    lambda s, me: add_own_section(
                        s,
                        me,
                        cid,
                        heading=heading,
                        text=first,
                        after=after,
                        seen=number,
                        now=utcnow(),
                    ),
                    success=f"Added the section '{heading.strip()}' as a new version.",
                )
    _added_list(cid, draft, number, headings)


def _added_list(cid: int, draft: Draft, number: int, headings: dict[str, str]) -> None:
    added = [
        (section.key, index, block.text)
        for section in draft.sections
        for index, block in enumerate(section.blocks)
        if block.added and not section.key.startswith(ADDED)
    ]
    sections = [s for s in draft.sections if s.key.startswith(ADDED)]
    if not added and not sections:
        return
    st.markdown("**What you added**")
    for section in sections:
        _controls(cid, number, section.key, None, f"Section '{section.heading}'")
    for key, index, text in added:
        words = text if len(text) <= 80 else text[:79] + "…"
        _controls(cid, number, key, index, f"In '{headings[key]}': {words}")


def _controls(cid: int, number: int, key: str, block: int | None, label: str) -> None:
    stem = f"{cid}-{key}-{block}"
    words, up, down, remove = st.columns([6, 1, 1, 1], vertical_alignment="center")
    words.text(label)
    if up.button("Up", key=f"up-{stem}", icon=":material/arrow_upward:"):
        _move(cid, number, key, block, -1)
    if down.button("Down", key=f"down-{stem}", icon=":material/arrow_downward:"):
        _move(cid, number, key, block, 1)
    if remove.button("Remove", key=f"remove-{stem}", icon=":material/delete:"):
        actions.act(
            lambda s, me: remove_added(s, me, cid, key, block=block, seen=number, now=utcnow()),
            success="Removed, as a new version.",
        )


def _move(cid: int, number: int, key: str, block: int | None, step: int) -> None:
    actions.act(
        lambda s, me: move_added(
            s, me, cid, key, block=block, step=step, seen=number, now=utcnow()
        ),
        success="Moved, as a new version.",
    )
