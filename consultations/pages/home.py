"""The consultations a person can see, with their deadlines in plain words."""

import streamlit as st

from consultations.consultation import (
    STATUS_LABELS,
    partner_deadline_words,
    visible_consultations,
)
from consultations.dates import deadline_phrase, plain_date, uk_today
from consultations.db import read_scope
from consultations.pages import actions, databases, escaping, later_stages, logins

PAGES = "consultations/pages"


def main() -> None:
    """List open consultations first, then the others."""
    viewer = actions.page_guard("home")
    st.title("Consultations")
    today = uk_today()
    with read_scope(databases.engine()) as session:
        consultations = visible_consultations(session, logins.snapshot_user(session, viewer))
        cards = [_card(c, today) for c in consultations]
    if viewer.role == "board":
        _reviews_waiting(viewer, today)
    if viewer.role == "officer":
        st.page_link(
            f"{PAGES}/consultation_edit.py",
            label="Set up a new consultation",
            icon=":material/add:",
            query_params={"consultation": "new"},
        )
    if not cards:
        st.info(
            "There are no consultations yet."
            if viewer.role == "officer"
            else "No consultation is open to partners at the moment. Your policy officer will "
            "let you know when one opens."
        )
        return
    open_now = [c for c in cards if c["status"] == "open"]
    others = [c for c in cards if c["status"] != "open"]
    if open_now:
        st.header("Open for partners' answers", divider="gray")
        for card in open_now:
            _show(card, viewer)
    if others:
        st.header("Other consultations", divider="gray")
        for card in others:
            _show(card, viewer)


def _reviews_waiting(viewer: logins.Viewer, today) -> None:
    """A board member's drafts with the board, each with its deadline in words and the officer's
    note: first those awaiting their decision, then those they have decided on."""
    waiting = later_stages.reviews_waiting(viewer)
    to_decide = [item for item in waiting if not item.your_decision]
    decided = [item for item in waiting if item.your_decision]
    if to_decide:
        st.header("Awaiting your review", divider="gray")
        for item in to_decide:
            _review_card(item, today, link="Read and review the draft")
    if decided:
        st.header("With the board: you have decided", divider="gray")
        for item in decided:
            _review_card(item, today, link="See the board's review")


DECIDED = {"approve": "You approved it", "changes": "You asked for changes"}


def _review_card(item, today, *, link: str) -> None:
    with st.container(border=True):
        st.subheader(escaping.plain(f"{item.title}, version {item.number}"))
        st.markdown(
            f"**The board's deadline:** {deadline_phrase(item.review_by, today)}  \n"
            f"**Government closing date:** {plain_date(item.closes_on)}  \n"
            f"**Your decision:** {DECIDED.get(item.your_decision, 'not given yet')}"
        )
        if item.note:
            st.caption(escaping.plain(f"Note from {item.note_by or 'the officer'}"))
            st.text(item.note)
        st.page_link(
            "exports/pages/board_review.py",
            label=link,
            icon=":material/rate_review:",
            query_params={"consultation": str(item.consultation_id)},
        )


def _card(consultation, today) -> dict:
    return {
        "id": consultation.id,
        "title": consultation.title,
        "department": consultation.department,
        "reference": consultation.reference,
        "url": consultation.url,
        "description": consultation.description,
        "status": consultation.status,
        "deadline": partner_deadline_words(consultation, today),
        "closes": plain_date(consultation.closes_on),
        "questions": [(q.number, q.text, q.kind, list(q.options)) for q in consultation.questions],
    }


def _show(card: dict, viewer: logins.Viewer) -> None:
    with st.container(border=True):
        st.subheader(escaping.plain(card["title"]))
        reference = f" · reference {card['reference']}" if card["reference"] else ""
        st.caption(
            escaping.plain(f"{card['department']}{reference} · {STATUS_LABELS[card['status']]}")
        )
        st.markdown(
            f"**Partner deadline:** {card['deadline']}  \n"
            f"**Government closing date:** {card['closes']}"
        )
        if card["description"]:
            st.text(card["description"])
        if card["url"]:
            st.link_button("Read the consultation on the department's site", card["url"])
        with st.expander(f"Questions ({len(card['questions'])})"):
            for number, text, _kind, options in card["questions"]:
                st.markdown(f"**{number}.** {escaping.plain(text)}")
                if options:
                    st.caption("Answer options: " + escaping.plain(", ".join(options)))
        if viewer.role == "officer":
            left, right = st.columns(2)
            left.page_link(
                f"{PAGES}/consultation_edit.py",
                label="Details and stage",
                icon=":material/edit_note:",
                query_params={"consultation": str(card["id"])},
            )
            right.page_link(
                f"{PAGES}/questions.py",
                label="Questions",
                icon=":material/help:",
                query_params={"consultation": str(card["id"])},
            )


main()
