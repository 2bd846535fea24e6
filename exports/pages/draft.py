"""The officer's draft response: assemble it, edit each section, compare versions, download.

Every save is a new version (``exports.drafts``); an older version can be read and compared but
not edited. Each block shows which partners it draws on, so any sentence can be traced back to
its evidence. Partner text is edited in plain text areas and shown with ``st.text``.
"""

from dataclasses import replace

import pandas as pd
import streamlit as st

from consultations.consultation import get_consultation
from consultations.dates import plain_datetime, uk_today
from consultations.db import read_scope, utcnow
from consultations.files import FILE_TYPES
from consultations.pages import (
    actions,
    consultation_picker,
    databases,
    demo_mode,
    downloads,
    escaping,
    logins,
    widgets,
)
from consultations.words import agreeing, counted
from evidence.analysis import answer_sources, partnership_evidence
from exports.annex import annex_in_document
from exports.board_view import consultation_policy
from exports.draft_model import Block, Draft, Section
from exports.drafts import (
    MAX_NOTE,
    SectionChange,
    assemble_draft,
    compare,
    regenerate_section,
    restore_version,
    save_section,
    section_unchanged,
    set_annex,
    versions,
)
from exports.export import annex_file, answers_file, file_name
from exports.pages import draft_parts, word_upload

KIND_LABELS = {
    "paragraph": "Paragraph",
    "subheading": "Subheading",
    "point": "Point",
    "quote": "Quote",
    "figure": "Figure",
    "table": "Table",
    "placeholder": "For you to write (the draft cannot go to the board while this is in)",
}
DOCX = FILE_TYPES["docx"].media_type
XLSX = FILE_TYPES["xlsx"].media_type


def main() -> None:
    """Pick the consultation and the version, then edit, compare or download."""
    viewer, cid = consultation_picker.consultation_page("draft", "Draft response")
    with read_scope(databases.engine()) as session:
        saved = [
            (v.number, v.created_at, v.created_by.name if v.created_by else "", v.note, v.content)
            for v in versions(session, logins.snapshot_user(session, viewer), cid)
        ]
        stage = get_consultation(session, cid).status
        sent = stage == "sent"
        policy = consultation_policy(session, cid)
    if not saved:
        st.write(
            "The first draft is assembled from the partners' submitted answers and their "
            "themes: a section per question with the positions, the main points by theme, "
            "quotes that respect each partner's consent, evidence and regional impacts."
        )
        if st.button("Assemble the first draft", type="primary", icon=":material/auto_awesome:"):
            _assemble(cid)
        return
    numbers = [number for number, *_ in saved]
    shown = st.selectbox(
        "Version",
        numbers,
        format_func=lambda n: _version_label(saved[numbers.index(n)]),
        help="Every save makes a new version; older ones can be read and compared.",
    )
    number, _, _, _, content = saved[numbers.index(shown)]
    draft = _draft(content)
    newest = number == numbers[0]
    if newest and stage in ("approved", "sent"):
        st.info(
            f"Version {number} is the response the board approved. The file to send, with "
            "'Approved by the Board' on its cover, is on the Board approval page; the draft "
            "below is for reading and editing in Word."
        )
        st.page_link(APPROVAL_PAGE, label="Open Board approval", icon=":material/approval:")
    _downloads(cid, draft, number, editable=not sent and newest)
    # The whole document comes last: its tables would otherwise be the page's first grids.
    # Keyed, so that the tab chosen survives the page's own reruns (a section saved, say).
    edit, differences, history, word, whole = st.tabs(
        ["Sections", "Compare versions", "History", "Upload an edited copy", "Whole document"],
        key=f"draft-tab-{cid}",
    )
    with edit:
        if sent:
            why = "This response has been sent, so its draft can be read but not changed."
        elif number != numbers[0]:
            why = (
                "This is an older version: it can be read and compared. Choose the newest to edit."
            )
        else:
            why = ""
        if not why and stage in BOARD_NOTICE:
            st.warning(BOARD_NOTICE[stage].format(number=number))
        if number != numbers[0] and not sent:
            _restore(cid, number)
        contents = {n: text for n, *_, text in saved}
        _sections(cid, draft, number, read_only=why, contents=contents)
        if not why:
            draft_parts.own_words(cid, draft, number)
    with whole:
        draft_parts.whole_document(draft, policy)
    with differences:
        _compare(saved)
    with word:
        if sent:
            st.info("This response has been sent, so no edited copy can be saved.")
        else:
            word_upload.upload_copy(cid, board=False)
    with history:
        st.dataframe(
            pd.DataFrame(
                [(n, plain_datetime(at), who, note) for n, at, who, note, _ in saved],
                columns=["Version", "Saved", "By", "Note"],
            ),
            hide_index=True,
            width="stretch",
        )
    if not sent and widgets.confirmed(
        f"assemble-{cid}",
        label="Assemble a new draft from the evidence",
        question="Assembling again writes every generated section afresh from the answers and "
        "tags: your edits to generated text are not carried over (the paragraphs and sections "
        "you added are). They stay in the earlier versions, and 'Make this version the newest "
        "again' brings one back." + BOARD_EFFECT.get(stage, ""),
        yes="Assemble a new draft",
    ):
        _assemble(cid)


# What saving any change does to the board's review, said before the officer saves.
BOARD_NOTICE = {
    "in_review": "Version {number} is with the board for review. Saving any change makes a new "
    "version: the review of version {number} stops, and you send the new version when ready.",
    "approved": "Version {number} is approved by the board. Saving any change makes a new "
    "version that the board must approve again; the approved document stays as it was.",
}
BOARD_EFFECT = {
    "in_review": " The version with the board is withdrawn from its review.",
    "approved": " The board's approval then needs to be given again.",
}
APPROVAL_PAGE = "exports/pages/approval.py"


def _restore(cid: int, number: int) -> None:
    """Offer to make an older version the newest again (as a new version)."""
    if widgets.confirmed(
        f"restore-{cid}-{number}",
        label="Make this version the newest again",
        question=f"This saves version {number}'s text as a new version, after the newest; "
        "nothing is deleted.",
        yes=f"Restore version {number}",
    ):
        actions.act(
            lambda s, me: restore_version(s, me, cid, number, now=utcnow()),
            success=f"Version {number} is the newest again, as a new version.",
        )


# Saved versions are never edited, so a version's text is a safe key for what is made from it:
# with 4,000 answers a draft is over a megabyte of JSON, and parsing two of them and comparing
# every section on each run of the page cost more than the page's whole budget.
@st.cache_data(max_entries=16, show_spinner=False)
def _draft(content: str) -> Draft:
    """A saved version's draft, parsed once."""
    return Draft.from_json(content)


@st.cache_data(max_entries=16, show_spinner=False)
def _changes(older: str, newer: str) -> list[SectionChange]:
    """How each section of one saved version differs from another's, worked out once."""
    return compare(Draft.from_json(older), Draft.from_json(newer))


def _version_label(row) -> str:
    number, at, who, note, _ = row
    return f"Version {number}: {note} ({who}, {plain_datetime(at)})"


def _evidence(session, me, cid: int):
    limits = databases.settings()
    return partnership_evidence(session, me, cid, today=uk_today(), settings=limits)


def _assemble(cid: int) -> None:
    if not demo_mode.allow_heavy_job("assembling the draft"):
        return
    with st.spinner("Assembling the draft from the evidence…"):
        actions.act(
            lambda s, me: assemble_draft(s, me, _evidence(s, me, cid), cid, now=utcnow()),
            success="A new version of the draft is ready.",
        )


def _downloads(cid: int, draft, number: int, *, editable: bool) -> None:
    # The same functions as the export command (python -m exports.export), so the same bytes.
    title = draft.title
    left, annex, middle, right = st.columns(4)
    with left:  # the .docx carries its identity, so an edited copy can come back
        word_upload.download_for_word(
            cid,
            number,
            label="Download the draft (.docx)",
            file_name=file_name(title, "draft", number),
        )
    annex.download_button(
        "Download the annex (.docx)",
        data=lambda: annex_file(draft, number).content,
        file_name=file_name(title, "annex", number),
        mime=DOCX,
        on_click="ignore",
        icon=":material/table_view:",
        help="Every answer with its partner (or number), sector, position and themes.",
    )
    middle.download_button(
        "Download the answers (.xlsx)",
        data=_answers_xlsx(cid, sharing=False),
        file_name=file_name(title, "answers"),
        mime=XLSX,
        on_click="ignore",
        icon=":material/table:",
        help="Every submitted answer with its organisation, sector, position and themes.",
    )
    right.download_button(
        "Download for sharing (.xlsx)",
        data=_answers_xlsx(cid, sharing=True),
        file_name=file_name(title, "sharing"),
        mime=XLSX,
        on_click="ignore",
        icon=":material/visibility_off:",
        help="The same answers with each organisation shown as 'Partner 1', 'Partner 2'…, "
        "without the words of partners who asked not to be named.",
    )
    included = annex_in_document(draft)
    wanted = st.checkbox(
        "Include the annex in the document",
        value=included,
        disabled=not editable,
        key=f"annex-{cid}-{number}",
        help="The annex lists every answer; in a large consultation it runs to hundreds of "
        "pages, so it is left out at first. It is always its own download.",
    )
    if editable and wanted != included:
        actions.act(
            lambda s, me: set_annex(s, me, cid, include=wanted, seen=number, now=utcnow()),
            success="The annex is now in the document."
            if wanted
            else "The annex is now its own download only.",
        )


def _answers_xlsx(cid: int, *, sharing: bool):
    """The workbook, built on click (from what this run captures: see ``downloads``), by the
    same function as the export command."""
    limits, today = databases.settings(), uk_today()

    def build(session, me) -> bytes:
        evidence = partnership_evidence(session, me, cid, today=today, settings=limits)
        return answers_file(evidence, sharing=sharing).content

    return downloads.deferred_file(build)


def _sections(cid: int, draft, number: int, *, read_only: str, contents: dict[int, str]) -> None:
    # The cover's heading is the consultation's title, which reads as a consultation, not a page.
    headings = {s.key: "Cover page" if s.key == "cover" else s.heading for s in draft.sections}
    # Keyed, so that the section chosen stays chosen when a save adds or moves sections.
    key = st.selectbox("Section", list(headings), format_func=headings.get, key=f"section-{cid}")
    section = draft.section(key)
    with read_scope(databases.engine()) as session:
        me = logins.snapshot_user(session, logins.current_viewer())
        sources = answer_sources(
            session, me, [a for block in section.blocks for a in block.answer_ids]
        )
    if read_only:
        st.info(read_only)
        _read_only(section, sources)
        return
    # The version the officer started editing from is kept until the edit is saved, so that a
    # save made by someone else meanwhile is noticed rather than overwritten.
    form = f"section-{cid}-{key}"
    current = widgets.form_key(form)
    seen = st.session_state.setdefault(("seen", current), number)
    if (
        seen != number
        and seen in contents
        and section_unchanged(_draft(contents[seen]), draft, key)
    ):
        # the versions since (the officer's own, say) left this section as it was
        seen = st.session_state[("seen", current)] = number
    if seen != number:
        st.warning(
            f"Version {number} was saved after you opened this section (you started from "
            f"version {seen}). If it changed this section, your save will be refused and you "
            "will see the other text; then start again from the newest version."
        )
        if st.button("Start again from the newest version", icon=":material/restart_alt:"):
            widgets.clear_form(form)
            st.rerun()
    with st.form(current):
        blocks = [
            _block_fields(current, n, block, sources) for n, block in enumerate(section.blocks)
        ]
        note = st.text_input(
            "Note for this version (optional)",
            max_chars=MAX_NOTE,
            help="Say what you changed, for the history: 'Shortened the summary'.",
        )
        saved = st.form_submit_button("Save as a new version", type="primary")
    if saved:
        edited = replace(section, blocks=[b for _, b in sorted(blocks, key=lambda p: p[0])])
        done = actions.act(
            lambda s, me: save_section(
                s, me, cid, edited, seen=seen, now=utcnow(), note=note.strip()
            ),
            success=f"Saved '{section.heading}' as a new version.",
            rerun=False,
        )
        if done is not None:
            widgets.clear_form(form)
            st.rerun()
    if (
        key != "cover"
        and widgets.confirmed(
            f"regenerate-{cid}-{key}",
            label="Regenerate this section from the evidence",
            question=f"Regenerating writes '{section.heading}' again from the current answers "
            "and tags, as a new version: your edits to its generated text are not carried over "
            "(your own paragraphs are). They stay in the earlier versions.",
            yes="Regenerate the section",
        )
        and demo_mode.allow_heavy_job("regenerating the section")
    ):
        done = actions.act(
            lambda s, me: regenerate_section(
                s, me, _evidence(s, me, cid), cid, key, seen=seen, now=utcnow()
            ),
            success=f"Regenerated '{section.heading}' as a new version.",
            rerun=False,
        )
        if done is not None:
            widgets.clear_form(form)
            st.rerun()


def _block_fields(
    form: str, n: int, block: Block, sources: dict[int, tuple[str, str]]
) -> tuple[float, Block]:
    """Draw one block's fields inside the section's form; return (order, edited block)."""
    stem = f"{form}-{n}"
    with st.container(border=True):
        words, controls = st.columns([5, 1])
        if block.kind == "table":
            words.caption(_block_caption(block, sources) or "Table")
            words.dataframe(
                pd.DataFrame(block.rows[1:], columns=block.rows[0]) if block.rows else None,
                hide_index=True,
            )
            text = block.text
        else:
            text = words.text_area(
                KIND_LABELS.get(block.kind, "Text"),
                value=block.text,
                key=f"text-{stem}",
                height="content",
            )
            if caption := _block_caption(block, sources):
                words.caption(caption)
        order = controls.number_input(
            "Order",
            min_value=1,
            value=n + 1,
            step=1,
            key=f"order-{stem}",
            help="Change the number to move this block; lower numbers come first.",
        )
        included = controls.checkbox(
            "Include", value=block.included, key=f"include-{stem}", help="Leave out of the draft."
        )
    # Ties keep their old order: a block given the same number as another goes after it.
    return (order + n / 10_000, replace(block, text=text, included=included))


def _block_caption(block: Block, sources: dict[int, tuple[str, str]]) -> str:
    """Whom the block comes from: the trace back to the evidence (empty for the officer's own)."""
    parts = []
    if block.attribution:
        parts.append(f"quoted as {escaping.plain(block.attribution)}")
    if block.answer_ids and block.kind != "table":
        givers = [sources[a] for a in block.answer_ids if a in sources]
        # Partners' names are shown in a caption (markdown): escaped, so they read as written.
        names = list(dict.fromkeys(escaping.plain(name) for name, _ in givers))
        questions = list(dict.fromkeys(number for _, number in givers))
        parts.append(f"from {', '.join(names)} ({', '.join(questions)})" if names else "")
    elif block.answer_ids:
        parts.append(f"{len(block.answer_ids)} answers")
    return " · ".join(p for p in parts if p)


def _read_only(section: Section, sources: dict[int, tuple[str, str]]) -> None:
    for block in section.blocks:
        if not block.included:
            continue
        if block.kind == "table":
            st.dataframe(pd.DataFrame(block.rows[1:], columns=block.rows[0]), hide_index=True)
        else:
            if caption := _block_caption(block, sources):
                st.caption(caption)
            st.text(block.text)


def _compare(saved) -> None:
    if len(saved) < 2:
        st.info("There is only one version so far.")
        return
    numbers = [number for number, *_ in saved]
    left, right = st.columns(2)
    older = left.selectbox("Compare version", numbers, index=1, key="older")
    newer = right.selectbox("with version", numbers, index=0, key="newer")
    contents = {number: content for number, *_, content in saved}
    changes = _changes(contents[older], contents[newer])
    changed = [c for c in changes if c.status != "same"]
    st.caption(
        f"{len(changed)} of {counted(len(changes), 'section')} "
        f"{agreeing(len(changed), 'differs', 'differ')}. Lines starting + were added in "
        f"version {newer}, lines starting − were taken out."
    )
    for change in changed:
        with st.expander(f"{escaping.plain(change.heading)} ({change.status})", expanded=True):
            left, right = st.columns(2)
            left.caption(f"Version {older}")
            right.caption(f"Version {newer}")
            for mark, line in change.lines:
                if mark == "-":
                    left.text(f"− {line}")
                elif mark == "+":
                    right.text(f"+ {line}")
                else:
                    left.text(f"  {line}")
                    right.text(f"  {line}")


main()
