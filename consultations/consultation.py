"""Consultations: their details, their lifecycle (one function, one map) and who sees which."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.audit import record_event
from consultations.errors import LifecycleError, StaleEdit, ValidationFailed, WorkbenchError
from consultations.mail.config import Postbox
from consultations.mail.notices import announce_opening
from consultations.models import DEPARTMENTS, Consultation, User

STATUS_LABELS = {
    "draft": "Draft (not yet open to partners)",
    "open": "Open for partners' answers",
    "closed": "Closed to partners",
    "drafting": "Drafting the response",
    "in_review": "In board review",
    "approved": "Approved by the board",
    "sent": "Sent",
}

# current status -> the statuses it may move to. Moves back are the ones real work needs:
# reopening after an extension, withdrawing a draft from the board, editing after approval.
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"open"}),
    "open": frozenset({"closed", "draft"}),
    "closed": frozenset({"drafting", "open"}),
    "drafting": frozenset({"in_review", "closed"}),
    "in_review": frozenset({"approved", "drafting"}),
    "approved": frozenset({"sent", "drafting"}),
    "sent": frozenset(),
}

# Partners and board members see a consultation once it has been opened.
VISIBLE_TO_PARTNERS = frozenset(TRANSITIONS) - {"draft"}


@dataclass(frozen=True)
class ConsultationForm:
    """What the officer types for a consultation."""

    title: str
    department: str
    closes_on: date | None
    partner_deadline: date | None
    reference: str = ""
    url: str = ""
    description: str = ""
    opens_on: date | None = None


def consultation_problems(form: ConsultationForm) -> list[str]:
    """List everything wrong with a consultation's details, all at once."""
    problems = []
    if not form.title.strip():
        problems.append("the title is empty")
    if len(form.title) > 300:
        problems.append("the title is longer than 300 characters")
    if form.department not in DEPARTMENTS:
        problems.append(f"'{form.department}' is not one of the departments listed")
    url = form.url.strip()
    if url and not url.lower().startswith(("https://", "http://")):
        problems.append("the link must start with https:// (copy it from the browser)")
    if form.closes_on is None:
        problems.append("the government's closing date is missing")
    if form.partner_deadline is None:
        problems.append("the partner deadline is missing")
    if form.closes_on and form.partner_deadline and form.partner_deadline >= form.closes_on:
        problems.append(
            "the partner deadline must fall before the government's closing date, "
            "to leave time to write and approve the response"
        )
    if form.opens_on and form.closes_on and form.opens_on > form.closes_on:
        problems.append("the opening date is after the closing date")
    return problems


def create_consultation(
    session: Session, actor: User, form: ConsultationForm, *, now: datetime
) -> Consultation:
    """Set up a new consultation, in draft."""
    require(actor, "consultation.edit")
    problems = consultation_problems(form)
    if problems:
        raise ValidationFailed(problems, subject="The consultation")
    consultation = Consultation(
        status="draft", created_by_id=actor.id, created_at=now, **_cleaned(form)
    )
    session.add(consultation)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="consultation.created",
        object_type="consultation",
        object_id=consultation.id,
        consultation_id=consultation.id,
        detail={"title": consultation.title},
        now=now,
    )
    return consultation


def update_consultation(
    session: Session,
    actor: User,
    consultation_id: int,
    *,
    seen_version: int,
    form: ConsultationForm,
    now: datetime,
) -> Consultation:
    """Change a consultation's details, refusing if someone else saved since they were read."""
    require(actor, "consultation.edit")
    consultation = get_consultation(session, consultation_id, for_update=True)
    if consultation.version != seen_version:
        raise StaleEdit(
            "Someone else saved this consultation while you were editing. Their version is "
            "shown below; make your change again on top of it.",
            current=_cleaned(form_of(consultation)),
        )
    problems = consultation_problems(form)
    if problems:
        raise ValidationFailed(problems, subject="The consultation")
    changed = {k: v for k, v in _cleaned(form).items() if getattr(consultation, k) != v}
    for key, value in changed.items():
        setattr(consultation, key, value)
    record_event(
        session,
        actor=actor,
        action="consultation.updated",
        object_type="consultation",
        object_id=consultation.id,
        consultation_id=consultation.id,
        detail={"changed": sorted(changed)},
        now=now,
    )
    return consultation


def move_consultation(
    session: Session,
    actor: User,
    consultation_id: int,
    to_status: str,
    *,
    now: datetime,
    permission: str = "consultation.move",
    postbox: Postbox | None = None,
) -> Consultation:
    """Move a consultation to another stage, if the lifecycle map allows the move.

    Opening it to partners tells them by email, when email is set up (``postbox``).

    ``permission`` is the action that allows the move: officers move stages by hand; the board
    member whose decision meets the approval rule moves it to approved ("draft.review").
    """
    require(actor, permission)
    consultation = get_consultation(session, consultation_id, for_update=True)
    current = consultation.status
    if to_status not in TRANSITIONS:
        raise LifecycleError(f"'{to_status}' is not a stage a consultation can be in.")
    if to_status not in TRANSITIONS[current]:
        allowed = ", ".join(f"'{STATUS_LABELS[s]}'" for s in sorted(TRANSITIONS[current]))
        raise LifecycleError(
            f"A consultation cannot move from '{STATUS_LABELS[current]}' to "
            f"'{STATUS_LABELS[to_status]}'. From here it can move to: {allowed or 'nowhere'}."
        )
    if to_status == "open" and not consultation.questions:
        raise LifecycleError("Add at least one question before opening the consultation.")
    consultation.status = to_status
    record_event(
        session,
        actor=actor,
        action="consultation.status",
        object_type="consultation",
        object_id=consultation.id,
        consultation_id=consultation.id,
        detail={"from": current, "to": to_status},
        now=now,
    )
    if to_status == "open":
        announce_opening(session, postbox, consultation, actor=actor, now=now)
    return consultation


def get_consultation(
    session: Session, consultation_id: int, *, for_update: bool = False, for_share: bool = False
) -> Consultation:
    """Return a consultation by id, or say that it does not exist.

    ``for_update`` locks it against every other locker; ``for_share`` (PostgreSQL's FOR SHARE)
    only against changes to it, so partners' saves go on side by side while a stage change
    waits for them, and they for it.
    """
    lock = {"read": True} if for_share else for_update
    consultation = session.get(Consultation, consultation_id, with_for_update=lock)
    if consultation is None:
        raise WorkbenchError("That consultation does not exist. Choose one from the list.")
    return consultation


def visible_consultations(session: Session, user: User) -> list[Consultation]:
    """Return the consultations the person may see, soonest partner deadline first."""
    require(user, "consultation.view")
    query = select(Consultation).order_by(Consultation.partner_deadline, Consultation.id)
    if user.role != "officer":
        query = query.where(Consultation.status.in_(VISIBLE_TO_PARTNERS))
    return list(session.scalars(query))


def form_of(consultation: Consultation) -> ConsultationForm:
    """Return a consultation's details as a form, for editing."""
    return ConsultationForm(
        **{f.name: getattr(consultation, f.name) for f in fields(ConsultationForm)}
    )


def _cleaned(form: ConsultationForm) -> dict[str, object]:
    values = {f.name: getattr(form, f.name) for f in fields(ConsultationForm)}
    for key in ("title", "reference", "url", "description"):
        values[key] = str(values[key]).strip()
    return values


# Which consultation a page opens on when the person has not chosen one: the one they are most
# likely working on now (for the board, the one awaiting their review), then the soonest deadline.
LIVE_ORDER = ("open", "in_review", "closed", "drafting", "approved", "draft", "sent")
BOARD_LIVE_ORDER = ("in_review", "open", "closed", "drafting", "approved", "sent", "draft")


def live_first(consultations: list[Consultation], *, role: str) -> Consultation | None:
    """Return the consultation a page should open on: the live one, not merely the first."""
    order = BOARD_LIVE_ORDER if role == "board" else LIVE_ORDER
    rank = {status: index for index, status in enumerate(order)}
    return min(
        consultations,
        key=lambda c: (rank.get(c.status, len(order)), c.partner_deadline, c.id),
        default=None,
    )
