"""Consultations: their details, their lifecycle (one function, one map) and who sees which."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from consultations.access import ACTIONS, ROLE_NAMES, allowed, require
from consultations.audit import record_event
from consultations.dates import deadline_phrase, plain_date
from consultations.errors import (
    AccessDenied,
    LifecycleError,
    StaleEdit,
    ValidationFailed,
    WorkbenchError,
)
from consultations.mail.config import Postbox
from consultations.mail.notices import announce_opening
from consultations.models import DEPARTMENTS, Consultation, Role, User


class Stage(StrEnum):
    """Where a consultation stands. The stored value is the member's value."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    DRAFTING = "drafting"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    SENT = "sent"


STATUS_LABELS: dict[str, str] = {
    Stage.DRAFT: "Draft, not yet open to partners",
    Stage.OPEN: "Open for partners' answers",
    Stage.CLOSED: "Closed to partners",
    Stage.DRAFTING: "Drafting the response",
    Stage.IN_REVIEW: "In board review",
    Stage.APPROVED: "Approved by the board",
    Stage.SENT: "Sent",
}


def partner_deadline_words(consultation: Consultation, today: date) -> str:
    """The partner deadline as people should read it: with the days left while partners may
    still answer, and without them once the consultation is closed to partners."""
    if consultation.status in (Stage.DRAFT, Stage.OPEN):
        return deadline_phrase(consultation.partner_deadline, today)
    return f"{plain_date(consultation.partner_deadline)} (closed to partners)"


class Record(StrEnum):
    """What a workflow writes before the stage it leads to; the move needs it to be there.

    The records live in later stages of the flow (``exports``), which this package must not
    import: each is checked by the function that stage registers (``register_record_check``).
    """

    REVIEW_REQUEST = "request for the board's review of the newest version"
    APPROVAL = "approval by the board of the newest version"
    SENDING = "record that the approved response was sent"
    NEW_VERSION = "version newer than the one the board reviewed"


@dataclass(frozen=True)
class Move:
    """One move of the lifecycle: who may make it, and through which workflow.

    ``action`` is the action of the access table the person making the move must be allowed.
    ``record`` (None for a move an officer makes by hand on "Details and stage") is what the
    workflow behind the move must have written first; ``how`` says, in words, how it is made.
    """

    action: str
    record: Record | None = None
    how: str = "on the consultation's 'Details and stage' page"


BY_HAND = Move("consultation.move")
SEND_FOR_REVIEW = Move(
    "draft.send",
    Record.REVIEW_REQUEST,
    "when an officer sends a version of the draft to the board on the 'Board approval' page",
)
BOARD_APPROVAL = Move(
    "draft.review",
    Record.APPROVAL,
    "when the board members' decisions meet the approval rule",
)
RECORD_SENT = Move(
    "draft.send",
    Record.SENDING,
    "when an officer records how the approved response was sent, on the 'Board approval' page",
)
NEW_VERSION = Move(
    "draft.edit",
    Record.NEW_VERSION,
    "when an officer saves a new version of the draft, which the board must then see again",
)

# current stage -> {the stage it may move to: the move}. Moves back are the ones real work
# needs: reopening after an extension, a new version of a draft under review or approved (which
# the board must see again). The board's stages are reached only through their workflows.
TRANSITIONS: dict[str, dict[str, Move]] = {
    Stage.DRAFT: {Stage.OPEN: BY_HAND},
    Stage.OPEN: {Stage.CLOSED: BY_HAND, Stage.DRAFT: BY_HAND},
    Stage.CLOSED: {Stage.DRAFTING: BY_HAND, Stage.OPEN: BY_HAND},
    Stage.DRAFTING: {Stage.IN_REVIEW: SEND_FOR_REVIEW, Stage.CLOSED: BY_HAND},
    Stage.IN_REVIEW: {Stage.APPROVED: BOARD_APPROVAL, Stage.DRAFTING: NEW_VERSION},
    Stage.APPROVED: {Stage.SENT: RECORD_SENT, Stage.DRAFTING: NEW_VERSION},
    Stage.SENT: {},
}

# Partners and board members see a consultation once it has been opened.
VISIBLE_TO_PARTNERS = frozenset(Stage) - {Stage.DRAFT}

RecordCheck = Callable[[Session, Consultation], bool]
_record_checks: dict[Record, RecordCheck] = {}


def register_record_check(record: Record, check: RecordCheck) -> None:
    """Let the stage that writes a record say whether a consultation has it.

    ``exports.approval`` registers every record when it is imported. A move whose record has
    no check is refused: nothing reaches the board's stages unless the board's workflow is there.
    """
    _record_checks[record] = check


def hand_moves(status: str) -> list[Stage]:
    """The stages an officer may move a consultation to by hand from ``status``."""
    return [Stage(s) for s, move in TRANSITIONS[status].items() if move.record is None]


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
        status=Stage.DRAFT.value, created_by_id=actor.id, created_at=now, **_cleaned(form)
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


SENT_IS_FINAL = (
    "This consultation's response has been sent, so its details stay as they were when it was sent."
)


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
    if consultation.status == Stage.SENT:
        raise WorkbenchError(SENT_IS_FINAL)
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
    postbox: Postbox | None = None,
) -> Consultation:
    """Move a consultation to another stage, if the lifecycle map allows the move to this person.

    The map says, for each move, who may make it and which workflow's record must be there
    first: review, approval and "sent" are reached only through sending a version for review,
    the board's decisions meeting the approval rule, and recording the sending. Opening it to
    partners tells them by email, when email is set up (``postbox``).
    """
    consultation = get_consultation(session, consultation_id, for_update=True)
    current = Stage(consultation.status)
    if to_status not in STATUS_LABELS:
        raise LifecycleError(f"'{to_status}' is not a stage a consultation can be in.")
    wanted = Stage(to_status)
    move = TRANSITIONS[current].get(wanted)
    if move is None:
        allowed = ", ".join(f"'{STATUS_LABELS[s]}'" for s in sorted(TRANSITIONS[current]))
        raise LifecycleError(
            f"A consultation cannot move from '{STATUS_LABELS[current]}' to "
            f"'{STATUS_LABELS[wanted]}'. From here it can move to: {allowed or 'nowhere'}."
        )
    _require_mover(actor, move, current, wanted)
    check = _record_checks.get(move.record) if move.record else None
    if move.record is not None and (check is None or not check(session, consultation)):
        raise LifecycleError(
            f"A consultation moves from '{STATUS_LABELS[current]}' to '{STATUS_LABELS[wanted]}' "
            f"only {move.how}, and there is no {move.record} yet. Nothing was changed."
        )
    if wanted == Stage.OPEN and not consultation.questions:
        raise LifecycleError("Add at least one question before opening the consultation.")
    consultation.status = wanted.value
    record_event(
        session,
        actor=actor,
        action="consultation.status",
        object_type="consultation",
        object_id=consultation.id,
        consultation_id=consultation.id,
        detail={"from": current.value, "to": wanted.value},
        now=now,
    )
    if to_status == "open":
        announce_opening(session, postbox, consultation, actor=actor, now=now)
    return consultation


def _require_mover(actor: User, move: Move, current: Stage, wanted: Stage) -> None:
    """Refuse a person who may not make this move, naming who may and how it is made."""
    if allowed(actor, move.action):
        return
    if move.record is None:
        require(actor, move.action)  # the access table's own refusal
    roles = sorted(ACTIONS[move.action])
    names = " and ".join(ROLE_NAMES[r] for r in roles)
    raise AccessDenied(
        f"Only {names} can move a consultation from '{STATUS_LABELS[current]}' to "
        f"'{STATUS_LABELS[wanted]}', and only {move.how}. This attempt has been recorded."
    )


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
    if user.role != Role.OFFICER:
        query = query.where(Consultation.status.in_(sorted(s.value for s in VISIBLE_TO_PARTNERS)))
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
