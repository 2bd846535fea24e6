"""The consultation's themes: rename, phrases, add, merge, drop; and re-tag every answer."""

import pandas as pd
import streamlit as st

from consultations.db import read_scope, session_scope, utcnow
from consultations.errors import AccessDenied, WorkbenchError
from consultations.pages import actions, consultation_picker, databases, demo_mode, escaping
from consultations.words import agreeing, counted
from evidence.tagging import retag_consultation, tagging_status
from evidence.themes import (
    WEIGHTS,
    add_phrase,
    add_theme,
    consultation_themes,
    drop_theme,
    ensure_themes,
    merge_themes,
    remove_phrase,
    restore_theme,
    update_theme,
    weight_label,
)


def main() -> None:
    """Show the re-tag step, the chosen theme's editor, a new theme form and dropped themes."""
    viewer, cid = consultation_picker.consultation_page("themes", "Themes")
    with read_scope(databases.engine()) as session:
        every = consultation_themes(session, cid, include_dropped=True)
    if not every:
        # The copy of the default taxonomy is made once, by the workbench, and audited as such.
        with session_scope(databases.engine()) as session:
            ensure_themes(session, cid, now=utcnow())
    with read_scope(databases.engine()) as session:
        every = consultation_themes(session, cid, include_dropped=True)
        status = tagging_status(session, cid)
    active = {t.id: t for t in every if t.active}
    _retag(viewer, cid, status)
    chosen = st.selectbox(
        "Theme",
        list(active),
        format_func=lambda tid: f"{active[tid].label} ({len(active[tid].patterns)} phrases)",
        help="The theme to rename, give phrases to, merge or drop.",
    )
    if chosen is not None:
        _edit(active[chosen], active)
    _new_theme(cid)
    _dropped([t for t in every if not t.active], {t.id: t.label for t in every})


def _retag(viewer, cid: int, status) -> None:
    with st.container(border=True):
        st.markdown(
            f"**{status.current}** of {counted(status.answers, 'answer')} tagged with these themes."
        )
        if status.outdated or status.untagged:
            stale = status.outdated + status.untagged
            st.warning(
                f"{counted(stale, 'answer')} {agreeing(stale, 'was', 'were')} tagged with older "
                "themes or not at all. Re-tag so the review queue uses the themes below."
            )
        if not st.button(
            "Re-tag every answer",
            icon=":material/sell:",
            help="Tags every answer of this consultation again with the themes as they are now. "
            "People's decisions are kept. Partners can go on saving meanwhile.",
        ) or not demo_mode.allow_heavy_job("re-tagging"):
            return
        bar = st.progress(0.0, text="Tagging answers…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total if total else 1.0, text=f"Tagged {done} of {total} answers")

        try:
            result = retag_consultation(databases.engine(), viewer.id, cid, progress=progress)
        except AccessDenied as exc:
            actions.refuse(exc, {"action": "retag_consultation", "consultation": cid})
        except WorkbenchError as exc:
            actions.show_problems(exc)
            return
        st.session_state["flash"] = (
            f"Tagged {counted(result.answers, 'answer')} with the current themes."
        )
        st.rerun()


def _edit(theme, active: dict) -> None:
    st.header(escaping.plain(theme.label))
    with st.form(f"theme-{theme.id}-{theme.version}"):
        label = st.text_input(
            "Name", value=theme.label, help="What the officer, the draft and the board read."
        )
        description = st.text_area(
            "Description", value=theme.description, help="One line: what the theme covers."
        )
        if st.form_submit_button("Save name and description"):
            actions.act(
                lambda s, me: update_theme(
                    s,
                    me,
                    theme.id,
                    label=label,
                    description=description,
                    seen_version=theme.version,
                    now=utcnow(),
                ),
                success="Saved the theme.",
            )
    _phrases(theme)
    _merge_and_drop(theme, active)


def _phrases(theme) -> None:
    st.markdown("**Phrases that point to this theme**")
    st.caption(
        "Matched on the words' dictionary forms in any case ('councils' matches 'council'); "
        "phrases in capitals, like NRPF, only as written. A theme is suggested when its phrases "
        "found in an answer add up to 2 (one strong phrase, or two weaker ones): each different "
        "phrase counts once, by its weight."
    )
    st.dataframe(
        pd.DataFrame(
            [(p["phrase"], weight_label(p.get("weight", 1.0))) for p in theme.patterns],
            columns=["Phrase", "Weight"],
        ),
        hide_index=True,
        width="stretch",
        height=220,
    )
    with st.form(f"add-phrase-{theme.id}", clear_on_submit=True):
        left, right = st.columns([3, 2])
        phrase = left.text_input("New phrase", help="A word or phrase partners use for it.")
        weight = right.selectbox(
            "Weight",
            list(WEIGHTS),
            index=1,
            format_func=WEIGHTS.get,
            help="How much one match counts.",
        )
        if st.form_submit_button("Add the phrase"):
            actions.act(
                lambda s, me: add_phrase(s, me, theme.id, phrase, weight=weight, now=utcnow()),
                success=f"Added '{phrase.strip()}'. Re-tag the answers to use it.",
            )
    phrases = [p["phrase"] for p in theme.patterns]
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    gone = left.selectbox(
        "Phrase to remove",
        phrases,
        index=None,
        placeholder="Choose a phrase",
        key=f"remove-{theme.id}",
        help="Stops matching it.",
    )
    if right.button("Remove the phrase", disabled=gone is None, key=f"remove-button-{theme.id}"):
        actions.act(
            lambda s, me: remove_phrase(s, me, theme.id, gone, now=utcnow()),
            success=f"Removed '{gone}'. Re-tag the answers to apply it.",
        )


def _merge_and_drop(theme, active: dict) -> None:
    with st.expander("Merge another theme into this one, or drop this theme"):
        others = [tid for tid in active if tid != theme.id]
        other = st.selectbox(
            "Theme to merge into this one",
            others,
            index=None,
            format_func=lambda tid: active[tid].label,
            key=f"merge-{theme.id}",
            help="Its phrases, suggestions and decisions move here; it is then kept as merged.",
        )
        if st.button("Merge", disabled=other is None, key=f"merge-button-{theme.id}"):
            actions.act(
                lambda s, me: merge_themes(s, me, keep_id=theme.id, merge_id=other, now=utcnow()),
                success=f"Merged '{active[other].label}' into '{theme.label}'.",
            )
        st.divider()
        sure = st.checkbox(f"Drop '{escaping.plain(theme.label)}'", key=f"drop-sure-{theme.id}")
        if st.button(
            "Drop the theme",
            disabled=not sure,
            key=f"drop-{theme.id}",
            help="No longer suggested or reviewed; its decisions stay on record. "
            "You can restore it.",
        ):
            actions.act(
                lambda s, me: drop_theme(s, me, theme.id, now=utcnow()),
                success=f"Dropped '{theme.label}'.",
            )


def _new_theme(cid: int) -> None:
    with st.expander("Add a theme"), st.form(f"new-theme-{cid}", clear_on_submit=True):
        label = st.text_input("Name of the new theme", help="Different from every other theme.")
        description = st.text_input("Description", help="One line: what it covers.")
        phrases = st.text_area(
            "Phrases, one a line", help="Each counts as a weak phrase; change weights afterwards."
        )
        if st.form_submit_button("Add the theme"):
            actions.act(
                lambda s, me: add_theme(
                    s,
                    me,
                    cid,
                    label=label,
                    description=description,
                    phrases=phrases.splitlines(),
                    now=utcnow(),
                ),
                success=f"Added the theme '{label.strip()}'.",
            )


def _dropped(dropped: list, labels: dict[int, str]) -> None:
    if not dropped:
        return
    with st.expander(f"Dropped and merged themes ({len(dropped)})"):
        for theme in dropped:
            left, right = st.columns([4, 1])
            if theme.merged_into_id:
                left.text(f"{theme.label}: merged into {labels.get(theme.merged_into_id, '')}")
                continue
            left.text(f"{theme.label}: dropped")
            if right.button("Restore", key=f"restore-{theme.id}"):
                actions.act(
                    lambda s, me, tid=theme.id: restore_theme(s, me, tid, now=utcnow()),
                    success=f"Restored '{theme.label}'.",
                )


main()
