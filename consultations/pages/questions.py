"""A consultation's questions: add, edit, reorder, delete, and import from a file."""

import streamlit as st

from consultations.consultation import get_consultation
from consultations.db import read_scope, utcnow
from consultations.models import DEFAULT_OPTIONS, QUESTION_KINDS
from consultations.pages import actions, consultation_picker, databases, escaping, widgets
from consultations.pages.question_upload import import_questions
from consultations.questions import (
    KIND_WORDS,
    QuestionForm,
    add_question,
    delete_question,
    move_question,
    update_question,
)


def main() -> None:
    """Show the chosen consultation's questions and the ways to add more."""
    _, cid = consultation_picker.consultation_page(
        "questions",
        "Questions",
        none_yet="Set up a consultation first, then add its questions here.",
    )
    with read_scope(databases.engine()) as session:
        questions = [
            (q.id, q.number, q.text, q.kind, tuple(q.options), q.version, q.section)
            for q in get_consultation(session, cid).questions
        ]
    if not questions:
        st.info(
            "This consultation has no questions yet. Import them from the consultation "
            "document or response form, or add them one by one."
        )
    for index, question in enumerate(questions):
        _question(question, first=index == 0, last=index == len(questions) - 1)
    add, upload = st.tabs(
        ["Add a question", "Import questions from a file"],
        key=f"questions-tab-{cid}",
        on_change="rerun",
    )
    with add:
        _edit_form(
            f"add-{cid}",
            QuestionForm(f"Q{len(questions) + 1}", "", "hybrid", DEFAULT_OPTIONS),
            lambda form: lambda s, me: add_question(s, me, cid, form, now=utcnow()),
        )
    with upload:
        import_questions(cid)


def _question(question, *, first: bool, last: bool) -> None:
    qid, number, text, kind, options, version, section = question
    # The text may come from an imported file: escaped, so that it reads as written.
    with st.expander(f"{number}. {escaping.plain(text[:110])}{'…' if len(text) > 110 else ''}"):
        st.markdown(f"**{number}.** {escaping.plain(text)}")
        listed = escaping.plain(", ".join(options))
        st.caption(KIND_WORDS[kind] + (f" — options: {listed}" if options else ""))
        if section:
            st.caption(f"Section: {escaping.plain(section)}")
        up, down, delete = st.columns(3)
        if up.button("Move up", key=f"up-{qid}", disabled=first):
            actions.act(lambda s, me: move_question(s, me, qid, step=-1, now=utcnow()))
        if down.button("Move down", key=f"down-{qid}", disabled=last):
            actions.act(lambda s, me: move_question(s, me, qid, step=1, now=utcnow()))
        with delete:
            if widgets.confirmed(
                f"delete-{qid}",
                label="Delete",
                question=f"Delete {number}? This cannot be undone.",
                yes=f"Yes, delete {number}",
                help="Only possible while nobody has answered it.",
            ):
                actions.act(
                    lambda s, me: delete_question(s, me, qid, now=utcnow()),
                    success=f"{number} deleted.",
                )
        _edit_form(
            f"edit-{qid}-{version}",
            QuestionForm(number, text, kind, options, section),
            lambda form: (
                lambda s, me: update_question(
                    s, me, qid, seen_version=version, form=form, now=utcnow()
                )
            ),
            saved=lambda update: update.note(),
        )


def _edit_form(key: str, form: QuestionForm, action, saved=None) -> None:
    """The question's fields; ``saved`` says more after a save (what happened to answers)."""
    with st.form(key):
        number = st.text_input("Number", value=form.number, help="Like Q3, or Q3a.")
        text = st.text_area("Question", value=form.text)
        section = st.text_input(
            "Section", value=form.section, help="The chapter or heading it stands under."
        )
        kind = st.selectbox(
            "Kind of answer",
            QUESTION_KINDS,
            index=QUESTION_KINDS.index(form.kind),
            format_func=KIND_WORDS.get,
        )
        options = st.text_area(
            "Options, one per line",
            value="\n".join(form.options),
            help="For closed questions and those with both. Leave empty for "
            f"the usual {', '.join(DEFAULT_OPTIONS).lower()}. Reword an option on its own line "
            "and partners' answers that chose it follow; an option partners chose cannot be "
            "removed.",
        )
        submitted = st.form_submit_button("Save question", type="primary")
    if submitted:
        chosen = tuple(o for o in options.splitlines() if o.strip())
        new = QuestionForm(number, text, kind, chosen, section)
        done = actions.act(action(new), rerun=False)
        if done is not None:
            more = saved(done) if saved else ""
            st.session_state["flash"] = f"{number.strip()} saved. {more}".strip()
            st.rerun()


main()
