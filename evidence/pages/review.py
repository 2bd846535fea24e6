"""Review theme tags: answers nobody has decided on, each suggestion with the reason for it.

Each answer is a fragment: accepting, rejecting or adding a theme redraws that answer only.
Partner text is never rendered as markup: the comment is shown with ``st.text`` and the
reasons as HTML built from ``html.escape``d text (``evidence.review.highlighted_sentence``).
"""

import html
from dataclasses import dataclass
from typing import Any

import streamlit as st

from consultations.consultation import get_consultation
from consultations.dates import plain_datetime
from consultations.db import read_scope, utcnow
from consultations.pages import actions, consultation_picker, databases, escaping, logins
from consultations.words import counted, possessive
from evidence.review import (
    LEARNED_SOURCES,
    AnswerReview,
    SuggestionView,
    add_theme_by_hand,
    answer_review,
    answer_reviews,
    bulk_accept,
    decide,
    decisions_phrase,
    figure_sentences,
    highlighted_sentence,
    matched_words,
    place_names,
)
from evidence.review_queue import (
    PAGE_SIZE,
    STATUSES,
    QueueCounts,
    QueueFilter,
    review_counts,
    review_queue,
)
from evidence.themes import consultation_themes

ALL = 0  # the "all questions" / "all themes" choice
WORDS_SHOWN = 5  # of the answer's words behind a suggestion


def main() -> None:
    """Show the filters, the counts, bulk accept and one page of the queue."""
    viewer, cid = consultation_picker.consultation_page("review", "Review theme tags")
    with read_scope(databases.engine()) as session:
        themes = {t.id: t.label for t in consultation_themes(session, cid)}
        questions = {
            q.id: f"{q.number}: {q.text[:70]}" for q in get_consultation(session, cid).questions
        }
    left, middle, right = st.columns([2, 2, 1])
    question = left.selectbox(
        "Question",
        [ALL, *questions],
        format_func=lambda qid: "All questions" if qid == ALL else questions[qid],
        help="Show the answers to one question only.",
    )
    question_id = question or None
    with read_scope(databases.engine()) as session:
        counts = review_counts(
            session, logins.snapshot_user(session, viewer), cid, question_id=question_id
        )
    theme = middle.selectbox(
        "Theme",
        [ALL, *themes],
        format_func=lambda tid: (
            "All themes"
            if tid == ALL
            else f"{themes[tid]} ({counts.waiting_by_theme.get(tid, 0)} waiting)"
        ),
        help="Show the answers the machine filed under this theme, or a person did.",
    )
    status = right.radio(
        "Show",
        list(STATUSES),
        format_func=STATUSES.get,
        help="Reviewed: a person decided on every theme suggested for it.",
    )
    counters = Counters(st.empty(), viewer, cid, question_id)
    counters.show(counts)
    if not themes:
        st.info("No answer has been tagged yet: themes appear once partners save answers.")
    chosen = QueueFilter(question_id=question_id, theme_id=theme or None, status=status)
    if chosen.theme_id and status == "waiting":
        _bulk_accept(cid, chosen, themes[chosen.theme_id], counts.waiting_by_theme.get(theme, 0))
    _queue_page(viewer, cid, chosen, themes, counters, counts)


@dataclass(frozen=True)
class Counters:
    """The counts at the top of the page, in a place each answer's card can draw them again.

    A click on a card reruns that card alone (it is a fragment), so the card counts again and
    redraws them. Streamlit lets a fragment write outside itself only into a place it wrote to
    on the full run before, so every card draws them on full runs too: the place holds one
    thing, so the last drawing is the one shown.
    """

    place: Any
    viewer: Any
    cid: int
    question_id: int | None

    def show(self, counts: QueueCounts) -> None:
        with self.place.container():
            a, b, c = st.columns(3)
            a.metric("Waiting for review", counts.waiting)
            b.metric("Reviewed", counts.reviewed)
            c.metric("Answers with a comment", counts.answers)

    def recount(self) -> None:
        with read_scope(databases.engine()) as session:
            me = logins.snapshot_user(session, self.viewer)
            self.show(review_counts(session, me, self.cid, question_id=self.question_id))


def _bulk_accept(cid: int, chosen: QueueFilter, label: str, waiting: int) -> None:
    if not waiting:
        return
    with st.expander(f"Accept '{escaping.plain(label)}' for every answer waiting here ({waiting})"):
        st.caption(
            "Files every answer shown below that has this suggestion under the theme, as your "
            "decision. An answer counts as reviewed once every theme suggested for it is "
            "decided: those with other suggestions stay here until you decide on them too."
        )
        sure = st.checkbox(
            "I have read enough of these answers to trust this suggestion",
            key=f"bulk-sure-{cid}-{chosen.theme_id}-{chosen.question_id}",
        )
        if st.button("Accept for all", type="primary", disabled=not sure, key="bulk-accept"):
            count = actions.act(
                lambda s, me: bulk_accept(
                    s, me, cid, chosen.theme_id, question_id=chosen.question_id, now=utcnow()
                ),
                rerun=False,
            )
            if count is not None:
                st.session_state["flash"] = f"Accepted '{label}' for {counted(count, 'answer')}."
                st.rerun()


def _queue_page(
    viewer,
    cid: int,
    chosen: QueueFilter,
    themes: dict[int, str],
    counters: Counters,
    counts: QueueCounts,
) -> None:
    with read_scope(databases.engine()) as session:
        total = review_queue(session, logins.snapshot_user(session, viewer), cid, chosen, limit=0)
    pages = max(1, -(-total.total // PAGE_SIZE))
    page = 1
    if pages > 1:
        page = st.number_input(
            f"Page (of {pages})",
            min_value=1,
            max_value=pages,
            help=f"{PAGE_SIZE} answers a page, oldest first.",
        )
    with read_scope(databases.engine()) as session:
        me = logins.snapshot_user(session, viewer)
        ids = review_queue(session, me, cid, chosen, offset=(page - 1) * PAGE_SIZE).answer_ids
        reviews = answer_reviews(session, me, ids)
    if not reviews:
        st.success("Nothing here: every answer in this view has been reviewed.")
        return
    st.caption(f"{counted(total.total, 'answer')}, oldest first.")
    for review in reviews:
        # A fresh holder each full run: the fragment uses what was read above once, and reads
        # its answer again on its own reruns (after a click).
        _answer_card({"review": review, "counts": counts}, review.answer_id, themes, counters)


@st.fragment
def _answer_card(holder: dict, answer_id: int, themes: dict[int, str], counters: Counters) -> None:
    review = holder.pop("review", None)
    if review is None:  # the card's own rerun, after a click on it
        review = _read(answer_id)
        counters.recount()
    else:
        counters.show(holder.pop("counts"))
    with st.container(border=True):
        submitted = "submitted" if review.submitted else "draft, not yet submitted"
        st.markdown(
            f"**{escaping.plain(review.question_number)}** · {escaping.plain(review.organisation)} "
            f"({escaping.plain(review.sector)}) · {submitted} · saved "
            f"{plain_datetime(review.updated_at)}"
        )
        if review.regional:
            st.badge("About our own region", icon=":material/location_on:", color="violet")
        if review.position:
            st.text(f"Position: {review.position}")
        st.text(review.text)
        problem = st.session_state.pop(f"review-problem-{answer_id}", None)
        if problem:
            st.error(escaping.markup_free(problem))
        if not review.tagged:
            st.caption("Not tagged for its current text yet: the officer can re-tag on Themes.")
        for view in review.themes:
            _theme_row(review, view)
        _evidence(review)
        _add_theme(review, themes)
        _history(review)


def _read(answer_id: int) -> AnswerReview:
    viewer = logins.current_viewer()
    with read_scope(databases.engine()) as session:
        return answer_review(session, logins.snapshot_user(session, viewer), answer_id)


def suggestion_reason(view: SuggestionView) -> str:
    """Why a theme is on the answer, in words: who suggested it and how sure that was."""
    if view.source in LEARNED_SOURCES:
        sure = round((view.score or 0) * 100)
        if view.learned_by == "default":
            return (
                "learned: suggested by the model the workbench ships with, trained on labelled "
                f"consultation comments, {sure}% sure"
            )
        return f"suggested by the model learned from your decisions, {sure}% sure"
    if view.source == "rules":
        words = matched_words(view.matches)
        if not words:
            return "suggested because the answer uses words about this theme"
        more = len(words) - WORDS_SHOWN
        listed = ", ".join(f"'{word}'" for word in words[:WORDS_SHOWN])
        return "suggested because the answer uses words about this theme: " + (
            f"{listed} and {more} more" if more > 0 else listed
        )
    return "added by a person"


def _theme_row(review: AnswerReview, view: SuggestionView) -> None:
    reason, buttons = st.columns([4, 1])
    with reason:
        where = suggestion_reason(view)
        st.html(
            f"<div><strong>{html.escape(view.theme_label)}</strong> "
            f"<small>({html.escape(where)})</small></div>"
        )
        for sentence in view.sentences:
            st.html(
                "<blockquote style='margin:0.2em 0 0.4em 0'>"
                f"{highlighted_sentence(review.text, sentence, view.matches)}</blockquote>"
            )
        if view.decision:
            st.caption(
                f"{_first_upper(decisions_phrase(view.decision))} on "
                f"{plain_datetime(view.decision.decided_at)}"
            )
    accepted = view.decision.accepted if view.decision else None
    key = f"{review.answer_id}-{view.theme_id}"
    if accepted is not True:
        buttons.button(
            "Accept" if accepted is None else "Accept instead",
            key=f"accept-{key}",
            on_click=_decide,
            args=(review.answer_id, view.theme_id, True),
            help=_about(review, view, "{answer} does raise '{theme}': file it under that theme."),
        )
    if accepted is not False:
        buttons.button(
            "Reject" if accepted is None else "Reject instead",
            key=f"reject-{key}",
            on_click=_decide,
            args=(review.answer_id, view.theme_id, False),
            help=_about(review, view, "{answer} does not raise '{theme}': take that theme off it."),
        )


def _about(review: AnswerReview, view: SuggestionView, words: str) -> str:
    """Name the answer and the theme a button acts on: the page has a pair for each."""
    answer = f"{possessive(review.organisation)} answer to {review.question_number}"
    # Help text is markdown: the names are shown as written, the sentence as it is.
    return words.format(answer=escaping.plain(answer), theme=escaping.plain(view.theme_label))


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _decide(answer_id: int, theme_id: int, accepted: bool) -> None:
    problem = actions.act_in_callback(
        lambda s, me: decide(s, me, answer_id, theme_id, accepted=accepted, now=utcnow())
    )
    if problem:
        st.session_state[f"review-problem-{answer_id}"] = problem


def _add_theme(review: AnswerReview, themes: dict[int, str]) -> None:
    filed = {v.theme_id for v in review.themes if v.decision and v.decision.accepted}
    choices = [tid for tid in themes if tid not in filed]
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    left.selectbox(
        "Add a theme",
        choices,
        index=None,
        format_func=themes.get,
        placeholder="Choose a theme the machine missed",
        key=f"add-theme-{review.answer_id}",
        help="Files this answer under the theme as your decision.",
    )
    right.button("Add", key=f"add-{review.answer_id}", on_click=_add, args=(review.answer_id,))


def _add(answer_id: int) -> None:
    theme_id = st.session_state.get(f"add-theme-{answer_id}")
    if theme_id is None:
        st.session_state[f"review-problem-{answer_id}"] = "Choose a theme to add first."
        return
    problem = actions.act_in_callback(
        lambda s, me: add_theme_by_hand(s, me, answer_id, theme_id, now=utcnow())
    )
    if problem:
        st.session_state[f"review-problem-{answer_id}"] = problem
    else:
        st.session_state[f"add-theme-{answer_id}"] = None


def _evidence(review: AnswerReview) -> None:
    figures = figure_sentences(review)
    places = place_names(review)
    if not (figures or places):
        return
    with st.expander("Figures and places in this answer"):
        for sentence, kinds in figures:
            st.text(f"{', '.join(kinds)}: {sentence}")
        if places:
            st.text(f"Places named: {', '.join(places)}")


def _history(review: AnswerReview) -> None:
    if not review.history:
        return
    with st.expander(f"Decisions on this answer ({len(review.history)})"):
        for decision in review.history:
            superseded = "" if decision.is_current else " (since changed)"
            st.text(
                f"{decision.theme_label}: {decisions_phrase(decision)} on "
                f"{plain_datetime(decision.decided_at)}{superseded}"
            )


main()
