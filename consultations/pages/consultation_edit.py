"""Set up a consultation: its details, dates and stage."""

import streamlit as st

from consultations.consultation import (
    SENT_IS_FINAL,
    STATUS_LABELS,
    ConsultationForm,
    Stage,
    create_consultation,
    form_of,
    get_consultation,
    hand_moves,
    move_consultation,
    update_consultation,
)
from consultations.dates import days_left_phrase, plain_date, uk_today
from consultations.db import read_scope, utcnow
from consultations.models import DEPARTMENTS
from consultations.pages import actions, consultation_picker, databases, outgoing_mail, widgets

MOVE_LABELS = {
    Stage.OPEN: "Open to partners",
    Stage.CLOSED: "Close to partners",
    Stage.DRAFT: "Take back to draft",
    Stage.DRAFTING: "Start drafting the response",
}
# A move back says what it does: a consultation being drafted is closed to partners already.
MOVE_BACK_LABELS = {
    (Stage.DRAFTING, Stage.CLOSED): "Stop drafting (back to closed to partners)",
    (Stage.CLOSED, Stage.OPEN): "Open to partners again",
}
# The board's part is recorded by its own workflow, on the "Board approval" page (exports).
APPROVAL_PAGE = "exports/pages/approval.py"
WORKFLOW_HINTS = {
    Stage.DRAFTING: "To send a version of the draft to the board, use the Board approval page.",
    Stage.IN_REVIEW: "The board is reviewing the draft. Its decisions, and the approval, are "
    "recorded on the Board approval page.",
    Stage.APPROVED: "The board has approved the response. Record how it was sent on the Board "
    "approval page.",
}


def main() -> None:
    """Create a consultation, or edit the chosen one and move it between stages."""
    actions.page_guard("consultation_edit")
    st.title("Set up a consultation")
    with read_scope(databases.engine()) as session:
        from consultations.models import Consultation

        rows = session.query(Consultation.id, Consultation.title).order_by(Consultation.id).all()
    choices = ["new"] + [str(cid) for cid, _ in rows]
    titles = {"new": "A new consultation"} | {str(cid): title for cid, title in rows}
    kept = consultation_picker.wanted_consultation([cid for cid, _ in rows])
    wanted = st.query_params.get("consultation", str(kept) if kept else "new")
    chosen = st.selectbox(
        "Consultation",
        choices,
        index=choices.index(wanted) if wanted in choices else 0,
        format_func=titles.get,
    )
    if chosen == "new":
        st.query_params["consultation"] = chosen
    else:
        consultation_picker.remember_consultation(int(chosen))
    if chosen == "new":
        _details_form(None, ConsultationForm("", DEPARTMENTS[0], None, None), seen_version=0)
        return
    cid = int(chosen)
    with read_scope(databases.engine()) as session:
        consultation = get_consultation(session, cid)
        form, version, status = form_of(consultation), consultation.version, consultation.status
    seen = st.session_state.setdefault(f"seen:{cid}", version)
    _stage(cid, status, form.partner_deadline)
    if status == Stage.SENT:
        _details_shown(form)  # read only: the record is complete
        return
    _details_form(cid, form, seen_version=seen)


def _details_shown(form: ConsultationForm) -> None:
    st.info(SENT_IS_FINAL)
    for field, value in (
        ("Title", form.title),
        ("Department", form.department),
        ("Reference", form.reference),
        ("Link to the consultation", form.url),
        ("What it is about", form.description),
        ("Opening date", plain_date(form.opens_on) if form.opens_on else ""),
        ("Partner deadline", plain_date(form.partner_deadline) if form.partner_deadline else ""),
        ("Government closing date", plain_date(form.closes_on) if form.closes_on else ""),
    ):
        if value:
            st.caption(field)
            st.text(value)


def _stage(cid: int, status: str, partner_deadline) -> None:
    st.markdown(f"**Stage:** {STATUS_LABELS[status]}")
    moves = hand_moves(status)
    if status == Stage.SENT:
        st.caption("This consultation has been sent. Its record is complete.")
    if moves:
        columns = st.columns(len(moves))
        for column, target in zip(columns, moves, strict=True):
            with column:
                if _move_asked(cid, status, target, partner_deadline):
                    actions.act(
                        lambda session, me, target=target: move_consultation(
                            session, me, cid, target, now=utcnow(), postbox=outgoing_mail.postbox()
                        ),
                        success=f"The consultation is now: {STATUS_LABELS[target].lower()}.",
                    )
    if status in WORKFLOW_HINTS:
        st.caption(WORKFLOW_HINTS[status])
        st.page_link(APPROVAL_PAGE, label="Open Board approval", icon=":material/approval:")


def _move_asked(cid: int, status: str, target: str, partner_deadline) -> bool:
    """A button for the move; closing to partners before their deadline asks first, since
    partners lose their chance to answer."""
    today = uk_today()
    closing = status == Stage.OPEN and target == Stage.CLOSED
    if closing and partner_deadline and partner_deadline >= today:
        left = days_left_phrase(partner_deadline, today)
        return widgets.confirmed(
            f"close-{cid}",
            label=_move_label(status, target),
            question=f"The partner deadline is {plain_date(partner_deadline)} ({left}). "
            "Closing now stops every partner from answering or submitting, and partners who "
            "are writing lose the chance to finish. Close it to partners anyway?",
            yes="Yes, close it to partners",
        )
    return st.button(_move_label(status, target), key=f"move-{target}")


def _move_label(status: str, target: str) -> str:
    return MOVE_BACK_LABELS.get((status, target), MOVE_LABELS[target])


def _details_form(cid: int | None, form: ConsultationForm, *, seen_version: int) -> None:
    key = f"{cid}-{seen_version}"
    with st.form(f"details-{key}"):
        title = st.text_input(
            "Title",
            value=form.title,
            max_chars=300,
            help="As the department wrote it, e.g. 'Family migration: a consultation'.",
        )
        department = st.selectbox(
            "Department",
            DEPARTMENTS,
            index=DEPARTMENTS.index(form.department) if form.department in DEPARTMENTS else 0,
        )
        reference = st.text_input(
            "Reference", value=form.reference, help="The department's reference, if it gave one."
        )
        url = st.text_input(
            "Link to the consultation",
            value=form.url,
            help="The web address of the consultation page, starting https://",
        )
        description = st.text_area(
            "What it is about",
            value=form.description,
            help="A few sentences partners will read before answering.",
        )
        left, middle, right = st.columns(3)
        opens_on = left.date_input("Opening date", value=form.opens_on, format="DD/MM/YYYY")
        partner_deadline = middle.date_input(
            "Partner deadline",
            value=form.partner_deadline,
            format="DD/MM/YYYY",
            help="The last day partners can submit. It must fall before the government's "
            "closing date, to leave time to write and approve the response.",
        )
        closes_on = right.date_input(
            "Government closing date", value=form.closes_on, format="DD/MM/YYYY"
        )
        submitted = st.form_submit_button("Save", type="primary")
    if not submitted:
        return
    new = ConsultationForm(
        title=title,
        department=department,
        reference=reference,
        url=url,
        description=description,
        opens_on=opens_on,
        partner_deadline=partner_deadline,
        closes_on=closes_on,
    )
    if cid is None:
        created = actions.act(
            lambda s, me: create_consultation(s, me, new, now=utcnow()), rerun=False
        )
        if created is not None:
            st.query_params["consultation"] = str(created.id)
            st.session_state["flash"] = (
                f"Saved. Partners' deadline: {plain_date(created.partner_deadline)}. "
                "Now add its questions."
            )
            st.rerun()
        return
    saved = actions.act(
        lambda s, me: update_consultation(
            s, me, cid, seen_version=seen_version, form=new, now=utcnow()
        ),
        success="Saved.",
        rerun=False,
    )
    st.session_state.pop(f"seen:{cid}", None)
    if saved is not None:
        st.rerun()


main()
