"""Answer a consultation: one question at a time, saved on Save or on moving to another question,
then submitted with the organisation's quoting consent. Officers use it on a partner's behalf."""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from consultations.consultation import get_consultation, partner_deadline_words
from consultations.dates import plain_datetime, uk_today
from consultations.db import read_scope, utcnow
from consultations.errors import StaleEdit, WorkbenchError
from consultations.organisations import list_organisations
from consultations.organisations import organisation_name as name_of_organisation
from consultations.pages import (
    actions,
    consultation_picker,
    databases,
    escaping,
    logins,
    outgoing_mail,
    tables,
    widgets,
)
from consultations.words import counted
from evidence.consent import CONSENT_CHOICES
from evidence.models import MAX_COMMENT, MAX_EVIDENCE_NOTE
from evidence.pages import intake
from evidence.pages.submitted import submitted_section
from evidence.submissions import (
    AnswerInput,
    answered_count,
    check_writable,
    open_submission,
    save_answer,
    status_phrase,
    submit,
)


@dataclass(frozen=True)
class Saved:
    """What the database holds for one question's answer."""

    position: str = ""
    text: str = ""
    evidence: str = ""
    version: int = 0


def main() -> None:
    """Show the chosen question of the chosen consultation, and the submit step."""
    viewer = actions.page_guard("answer")
    cid = _consultation(viewer)
    organisation = _organisation(viewer)
    if cid is None or organisation is None:
        return
    today = uk_today()
    with read_scope(databases.engine()) as session:
        me = logins.snapshot_user(session, viewer)
        try:
            submission = open_submission(session, me, cid, organisation_id=organisation)
        except WorkbenchError as exc:
            actions.refuse(
                exc, {"page": "answer", "consultation": cid, "organisation": organisation}
            )
        consultation = get_consultation(session, cid)
        questions = [
            (q.id, q.number, q.text, q.kind, list(q.options)) for q in consultation.questions
        ]
        saved = {
            a.question_id: Saved(a.position, a.text, a.evidence_note, a.version)
            for a in (submission.answers if submission else [])
        }
        history = [
            (
                s.number,
                s.submitted_at,
                s.submitted_by.name if s.submitted_by else "",
                s.entered_by_officer,
                s.consent,
                len(s.answers),
            )
            for s in (submission.snapshots if submission else [])
        ]
        organisation_name = name_of_organisation(session, organisation)
        submission_id = submission.id if submission else None
        header = (
            consultation.title,
            partner_deadline_words(consultation, today),
            status_phrase(submission),
            answered_count(submission),
        )
        try:
            check_writable(me, consultation, today)
            blocked = ""
        except WorkbenchError as exc:
            blocked = str(exc)
    title, deadline, status, answered = header
    st.title(escaping.plain(title))
    st.markdown(
        f"**Partner deadline:** {deadline}  \n**Status:** {escaping.plain(status)}  \n"
        f"**Progress:** {answered} of {len(questions)} questions answered"
    )
    submitted_section(submission_id, history[-1] if history else None, role=viewer.role)
    if viewer.role == "officer":
        st.info(
            "You are entering answers on this organisation's behalf. Every change is marked "
            "'entered by the officer' in its history."
        )
    if blocked:
        st.warning(blocked)
    if not questions:
        st.info("This consultation has no questions yet.")
        return
    context = {"cid": cid, "organisation": organisation if viewer.role == "officer" else None}
    current = _question_picker(questions, saved, context)
    _question_form(questions, current, saved.get(current[0], Saved()), context, blocked)
    intake.attachments_section(context, blocked=blocked)
    with st.expander("Prefer a spreadsheet? Answer in Excel and upload it"):
        intake.excel_section(
            context,
            organisation_name=organisation_name,
            blocked=blocked,
            answers={
                qid: AnswerInput(qid, answer.position, answer.text, answer.evidence)
                for qid, answer in saved.items()
            },
        )
    _submit_step(
        questions, saved, context, blocked, last_consent=history[-1][4] if history else None
    )
    _history(history)


def _consultation(viewer) -> int | None:
    wanted = st.query_params.get("consultation", "")
    if wanted.isdigit():
        consultation_picker.remember_consultation(int(wanted))
        return int(wanted)
    return consultation_picker.choose_consultation(viewer)


def _organisation(viewer) -> int | None:
    wanted = st.query_params.get("organisation", "")
    if viewer.role == "partner":
        # A partner asking for another organisation by URL is refused (and audited) below.
        return int(wanted) if wanted.isdigit() else viewer.organisation_id
    with read_scope(databases.engine()) as session:
        organisations = [(o.id, o.name) for o in list_organisations(session) if o.active]
    if not organisations:
        st.info("Add the partner organisations first.")
        return None
    names = dict(organisations)
    labels = [name for _, name in organisations]
    index = labels.index(names[int(wanted)]) if wanted.isdigit() and int(wanted) in names else 0
    chosen = st.selectbox(
        "Organisation", labels, index=index, help="Whose answers you are reading or entering."
    )
    organisation = next(oid for oid, name in organisations if name == chosen)
    st.query_params["organisation"] = str(organisation)
    return organisation


def _keys(context: dict, qid: int) -> tuple[str, str, str, str]:
    base = f"{context['cid']}-{context['organisation']}-{qid}"
    return f"position-{base}", f"comment-{base}", f"evidence-{base}", f"seen-{base}"


def _typed(context: dict, qid: int, saved: Saved) -> AnswerInput:
    """What the person has typed for a question (or what is saved, if they typed nothing)."""
    position_key, comment_key, evidence_key, _ = _keys(context, qid)
    state = st.session_state
    return AnswerInput(
        question_id=qid,
        position=state.get(position_key, saved.position) or "",
        text=state.get(comment_key, saved.text),
        evidence_note=state.get(evidence_key, saved.evidence),
    )


def _seen(context: dict, qid: int, saved: Saved) -> int:
    """The answer's version when this person started editing it (not the newest one)."""
    return st.session_state.setdefault(_keys(context, qid)[3], saved.version)


def _save(context: dict, qid: int, saved: Saved, *, quiet: bool = False) -> bool:
    typed = _typed(context, qid, saved)
    seen = _seen(context, qid, saved)
    if (typed.position, typed.text, typed.evidence_note) == (
        saved.position,
        saved.text,
        saved.evidence,
    ):
        st.session_state[_keys(context, qid)[3]] = saved.version
        return True
    shown: list[int] = []

    def attempt(session, me):
        try:
            return save_answer(
                session,
                me,
                context["cid"],
                typed,
                seen_version=seen,
                organisation_id=context["organisation"],
                today=uk_today(),
                now=utcnow(),
            )
        except StaleEdit as exc:
            shown.append(exc.version or 0)
            raise

    result = actions.act(attempt, success=None if quiet else "Saved.", rerun=False)
    if result is None:
        # After a refusal the person is shown the other text; their next save is a deliberate
        # choice, so it is checked against the version they were shown (``saved`` may be older:
        # a callback holds what the run before it read).
        st.session_state[_keys(context, qid)[3]] = shown[0] if shown else saved.version
        return False
    st.session_state[_keys(context, qid)[3]] = result.version
    return True


def _question_picker(questions, saved, context):
    ids = [q[0] for q in questions]
    by_id = {q[0]: q for q in questions}
    key = f"current-question-{context['cid']}-{context['organisation']}"
    labels = {
        qid: f"{'✓' if qid in saved and (saved[qid].position or saved[qid].text) else '○'} "
        f"{by_id[qid][1]}: {by_id[qid][2][:80]}"
        for qid in ids
    }

    def save_before_moving() -> None:
        # Moving to another question saves the one being left, so nothing typed is lost. When
        # the save is refused (a colleague saved a newer answer meanwhile), the person stays on
        # the question with their text, as "Save and go to the next question" does.
        leaving = st.session_state.get(f"{key}-shown")
        if leaving in by_id and not _save(
            context, leaving, saved.get(leaving, Saved()), quiet=True
        ):
            st.session_state[key] = leaving

    place = st.query_params.get("question", "")
    if key not in st.session_state and place.isdigit() and 1 <= int(place) <= len(ids):
        # A refresh starts a new session: the URL keeps the partner's place.
        st.session_state[key] = ids[int(place) - 1]
    if st.session_state.get(key) in by_id:
        # Saving changes the chosen question's label (○ to ✓). Setting the choice again makes
        # the browser show the new label; otherwise it sends the old one back on the next run,
        # which matches no option, and the picker jumps back to the first question.
        st.session_state[key] = st.session_state[key]
    choice = st.selectbox(
        "Question",
        ids,
        key=key,
        format_func=labels.get,
        on_change=save_before_moving,
        help="Your answer is saved when you move to another question.",
    )
    st.session_state[f"{key}-shown"] = choice
    st.query_params["question"] = str(ids.index(choice) + 1)
    return by_id[choice]


def _question_form(questions, current, saved: Saved, context, blocked: str) -> None:
    qid, number, text, kind, options = current
    position_key, comment_key, evidence_key, _ = _keys(context, qid)
    _seen(context, qid, saved)
    with st.container(border=True):
        st.markdown(f"**{number}**")
        st.text(text)
        if kind != "open":
            st.radio(
                "Your position",
                options,
                format_func=escaping.plain,  # an option may come from an imported paper
                key=position_key,
                horizontal=True,
                index=options.index(saved.position) if saved.position in options else None,
                disabled=bool(blocked),
            )
        st.text_area(
            "Your comment",
            value=saved.text,
            key=comment_key,
            height=220,
            max_chars=MAX_COMMENT,
            disabled=bool(blocked),
            help="Plain text. Say what the proposal would mean for the people you work "
            "with and for your services.",
        )
        st.text_area(
            "Evidence (optional)",
            value=saved.evidence,
            key=evidence_key,
            max_chars=MAX_EVIDENCE_NOTE,
            disabled=bool(blocked),
            help="A figure, a short case study (without names), or where the evidence "
            "comes from, e.g. 'Our casework records, 2025-26'.",
        )
        if blocked:
            return
        ids = [q[0] for q in questions]
        left, right = st.columns(2)
        if left.button("Save", type="primary", key=f"save-{qid}") and _save(context, qid, saved):
            st.rerun()
        following = ids.index(qid) + 1
        if following < len(ids):
            right.button(
                "Save and go to the next question",
                key=f"next-{qid}",
                on_click=_save_and_move,
                args=(context, qid, saved, ids[following]),
            )


def _save_and_move(context, qid: int, saved: Saved, next_id: int) -> None:
    if _save(context, qid, saved, quiet=True):
        key = f"current-question-{context['cid']}-{context['organisation']}"
        st.session_state[key] = next_id
        st.session_state[f"{key}-shown"] = next_id


def _submit_step(questions, saved, context, blocked: str, *, last_consent: str | None) -> None:
    st.header("Submit your response", divider="gray")
    rows = [
        (
            number,
            saved[qid].position if qid in saved else "",
            saved[qid].text if qid in saved else "",
        )
        for qid, number, *_ in questions
    ]
    tables.show_table(
        pd.DataFrame(rows, columns=["Question", "Position", "Comment"]),
        narrow=("Question",),
        wide=("Comment",),
    )
    if blocked:
        return
    form = f"{context['cid']}-{context['organisation']}"
    consent = st.radio(
        "How may the partnership quote you in its response?",
        list(CONSENT_CHOICES),
        format_func=CONSENT_CHOICES.get,
        # The choice last submitted stays shown; none before the first submission.
        index=list(CONSENT_CHOICES).index(last_consent)
        if last_consent in CONSENT_CHOICES
        else None,
        help="This applies to every answer in your response. You can change it when you "
        "submit again before the deadline.",
        key=widgets.form_key(f"consent-{form}"),
    )
    unanswered = sum(1 for _, position, text in rows if not (position or text))
    if unanswered:
        st.warning(
            f"{unanswered} of {len(rows)} questions have no answer yet. You can submit now and "
            "answer them later, until the deadline, or answer them first."
            if unanswered > 1
            else f"1 of {len(rows)} questions has no answer yet. You can submit now and answer "
            "it later, until the deadline, or answer it first."
        )
    loose = intake.file_not_attached(context)
    if loose:
        st.warning(
            escaping.markup_free(
                f"You chose the file '{loose}' under Evidence files but have not attached it, "
                "so it would not be sent with your response. Press 'Attach this file' first, "
                "or remove it from the box if you do not mean to send it."
            )
        )
    confirmed = st.checkbox(
        "I have checked the answers above and want to submit them"
        + (f", with {unanswered} unanswered" if unanswered else "")
        + (escaping.markup_free(f", without the file '{loose}'.") if loose else "."),
        # A new count of unanswered questions, or a file left unattached, asks again.
        key=f"{widgets.form_key(f'confirm-{form}')}-{unanswered}-{loose or ''}",
    )
    if st.button("Submit our response", type="primary", disabled=not (consent and confirmed)):
        submitted = actions.act(
            lambda s, me: submit(
                s,
                me,
                context["cid"],
                consent=consent,
                organisation_id=context["organisation"],
                today=uk_today(),
                now=utcnow(),
                postbox=outgoing_mail.postbox(),
            ),
            success="Submitted. Thank you: the policy officer can now see your response. You "
            "can still change it and submit again until the deadline.",
            rerun=False,
        )
        if submitted is not None:
            # A second press must be a new decision, not the same one sent twice: the box is
            # ticked again; the quoting choice shows the one just submitted.
            widgets.clear_form(f"consent-{form}")
            widgets.clear_form(f"confirm-{form}")
            st.rerun()


def _history(history) -> None:
    if not history:
        return
    with st.expander(f"History: submitted {counted(len(history), 'time')}"):
        for number, at, who, officer, consent, count in reversed(history):
            by = f"{who} (entered by the officer)" if officer else who
            st.markdown(
                f"{number}. {plain_datetime(at)}, by {escaping.plain(by)}: {count} answers, "
                f"quoted {CONSENT_CHOICES[consent].split(' (')[0].lower()}"
            )


main()
