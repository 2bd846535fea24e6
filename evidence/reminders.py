"""Reminders to organisations that have not submitted: on a schedule the officer sets for each
consultation (days before the partner deadline), and when the officer asks.

Each scheduled round goes once: a ``ReminderRound`` row (unique for the consultation, the
deadline it counted from and its number of days) is written in the same transaction as its
messages, so a timer that runs every few minutes, on several machines at once, sends it once.
A round is sent on its day or, if the timer could not run then, the day after; a round missed
for longer (a schedule set after its day) is left out rather than sent late.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from consultations.access import require
from consultations.audit import record_event
from consultations.consultation import get_consultation
from consultations.dates import plain_date, uk_time
from consultations.db import hold_lock
from consultations.errors import ValidationFailed, WorkbenchError
from consultations.mail.config import Postbox
from consultations.mail.letters import Recipient, reminder_letter
from consultations.mail.outbox import post
from consultations.models import Consultation, Organisation, User
from evidence.models import ReminderRound, ReminderSchedule, Submission
from evidence.submissions import answered_count, status_phrase

DEFAULT_DAYS = (14, 7, 2)
MAX_DAYS_BEFORE = 90
MAX_ROUNDS = 10
# A round whose day was missed (the timer did not run) still goes the day after, not later.
GRACE = timedelta(days=1)


@dataclass(frozen=True)
class Waiting:
    """An organisation that has not submitted, and the people to remind."""

    organisation_id: int
    organisation: str
    sector: str
    progress: str
    people: tuple[Recipient, ...]


@dataclass(frozen=True)
class RoundShown:
    """A round of reminders, as the Responses page lists it."""

    at: datetime
    days_before: int | None
    organisations: int
    people: int
    by: str


def parse_days(text: str) -> list[int]:
    """Read "14, 7, 2" as the days before the deadline; refuse what is not such a list."""
    problems = []
    days = []
    for part in text.replace(";", ",").split(","):
        word = part.strip()
        if not word:
            continue
        if not (word.isascii() and word.isdigit()):
            problems.append(f"'{word}' is not a whole number of days")
            continue
        value = int(word)
        if not 0 <= value <= MAX_DAYS_BEFORE:
            problems.append(f"{value} is not between 0 (the deadline day) and {MAX_DAYS_BEFORE}")
            continue
        days.append(value)
    if len(set(days)) > MAX_ROUNDS:
        problems.append(f"at most {MAX_ROUNDS} reminders can be scheduled")
    if problems:
        raise ValidationFailed(problems, subject="The reminder schedule")
    return sorted(set(days), reverse=True)


def reminder_days(session: Session, consultation_id: int) -> tuple[int, ...]:
    """The consultation's schedule: days before the partner deadline (none when not set)."""
    schedule = session.scalar(
        select(ReminderSchedule).where(ReminderSchedule.consultation_id == consultation_id)
    )
    return tuple(schedule.days_before) if schedule else ()


def set_reminder_days(
    session: Session, actor: User, consultation_id: int, days: Sequence[int], *, now: datetime
) -> tuple[int, ...]:
    """Set when partners who have not submitted are reminded (an empty list: never)."""
    require(actor, "reminder.send")
    consultation = get_consultation(session, consultation_id, for_update=True)
    chosen = parse_days(", ".join(str(d) for d in days))
    schedule = session.scalar(
        select(ReminderSchedule).where(ReminderSchedule.consultation_id == consultation.id)
    )
    if schedule is None:
        schedule = ReminderSchedule(consultation_id=consultation.id, days_before=[])
        session.add(schedule)
    schedule.days_before = chosen
    schedule.updated_at = now
    schedule.updated_by_id = actor.id
    session.flush()
    record_event(
        session,
        actor=actor,
        action="reminders.scheduled",
        object_type="consultation",
        object_id=consultation.id,
        consultation_id=consultation.id,
        detail={"days_before": chosen},
        now=now,
    )
    return tuple(chosen)


def due_round(
    days_before: Sequence[int], *, deadline: date, today: date, done: set[int]
) -> int | None:
    """The round of the schedule to send today, if any: due today or yesterday, not sent yet,
    and the deadline not passed. When two are due, the nearer the deadline wins."""
    if today > deadline:
        return None
    due = [
        days
        for days in days_before
        if days not in done
        and deadline - timedelta(days=days) <= today <= (deadline - timedelta(days=days) + GRACE)
    ]
    return min(due) if due else None


def not_submitted(session: Session, consultation_id: int) -> list[Waiting]:
    """Every active organisation that has not submitted, with its active partners, by name."""
    consultation = get_consultation(session, consultation_id)
    total = len(consultation.questions)
    submissions = {
        s.organisation_id: s
        for s in session.scalars(
            select(Submission)
            .where(Submission.consultation_id == consultation_id)
            .options(selectinload(Submission.answers), selectinload(Submission.snapshots))
        )
    }
    waiting = []
    for organisation in session.scalars(
        select(Organisation)
        .where(Organisation.active)
        .options(selectinload(Organisation.people))
        .order_by(Organisation.name)
    ):
        submission = submissions.get(organisation.id)
        if submission is not None and submission.status == "submitted":
            continue
        people = tuple(
            Recipient(p.email, p.name, p.id)
            for p in sorted(organisation.people, key=lambda p: p.name)
            if p.active and p.role == "partner"
        )
        waiting.append(
            Waiting(
                organisation_id=organisation.id,
                organisation=organisation.name,
                sector=organisation.sector,
                progress=f"{status_phrase(submission)}, {answered_count(submission)} of "
                f"{total} questions answered",
                people=people,
            )
        )
    return waiting


def remind_now(
    session: Session,
    actor: User,
    postbox: Postbox | None,
    consultation_id: int,
    *,
    now: datetime,
) -> ReminderRound:
    """Remind every organisation that has not submitted, now (the officer asked)."""
    require(actor, "reminder.send")
    if postbox is None:
        raise WorkbenchError(
            "Email is not set up, so reminders cannot be sent from the workbench. Copy the "
            "addresses below into an email of your own."
        )
    consultation = get_consultation(session, consultation_id, for_update=True)
    if consultation.status != "open":
        raise WorkbenchError(
            "This consultation is not open to partners, so there is nothing to remind them of."
        )
    if uk_time(now).date() > consultation.partner_deadline:
        raise WorkbenchError(
            f"The partner deadline, {plain_date(consultation.partner_deadline)}, has passed, so "
            "partners can no longer submit here. Close the consultation to partners, or move "
            "the deadline on 'Set up a consultation' first."
        )
    return _send_round(session, postbox, consultation, days_before=None, actor=actor, now=now)


def queue_due_reminders(
    session: Session, postbox: Postbox | None, *, now: datetime, hour: int
) -> list[str]:
    """Queue each open consultation's scheduled round that is due (from ``hour``, UK time).

    Return a line for each round queued, for the command's output.
    """
    local = uk_time(now)
    if postbox is None or local.hour < hour:
        return []
    today = local.date()
    lines = []
    for consultation in session.scalars(
        select(Consultation).where(Consultation.status == "open").order_by(Consultation.id)
    ):
        days_before = reminder_days(session, consultation.id)
        if not days_before:
            continue
        hold_lock(session, f"reminders {consultation.id}")
        done = set(
            session.scalars(
                select(ReminderRound.days_before).where(
                    ReminderRound.consultation_id == consultation.id,
                    ReminderRound.deadline == consultation.partner_deadline,
                    ReminderRound.days_before.is_not(None),
                )
            )
        )
        days = due_round(
            days_before, deadline=consultation.partner_deadline, today=today, done=done
        )
        if days is None:
            continue
        sent = _send_round(session, postbox, consultation, days_before=days, actor=None, now=now)
        deadline = plain_date(consultation.partner_deadline)
        lines.append(
            f"Reminded {sent.people} people at {sent.organisations} organisations about "
            f"'{consultation.title}' ({days} days before {deadline})."
        )
    return lines


def _send_round(
    session: Session,
    postbox: Postbox,
    consultation: Consultation,
    *,
    days_before: int | None,
    actor: User | None,
    now: datetime,
) -> ReminderRound:
    waiting = not_submitted(session, consultation.id)
    today = uk_time(now).date()
    people = 0
    for organisation in waiting:
        for person in organisation.people:
            post(
                session,
                postbox,
                reminder_letter(
                    person,
                    consultation_id=consultation.id,
                    title=consultation.title,
                    organisation=organisation.organisation,
                    deadline=consultation.partner_deadline,
                    today=today,
                    progress=organisation.progress,
                    link=postbox.link("answer", consultation=consultation.id),
                ),
                now=now,
                actor=actor,
            )
            people += 1
    sent = ReminderRound(
        consultation_id=consultation.id,
        deadline=consultation.partner_deadline,
        days_before=days_before,
        status="sent",
        at=now,
        by_id=actor.id if actor else None,
        organisations=sum(1 for w in waiting if w.people),
        people=people,
    )
    session.add(sent)
    session.flush()
    record_event(
        session,
        actor=actor,
        actor_label="" if actor else "reminder schedule",
        action="reminders.sent",
        object_type="consultation",
        object_id=consultation.id,
        consultation_id=consultation.id,
        detail={
            "days_before": days_before,
            "organisations": sent.organisations,
            "people": people,
            "without_accounts": [w.organisation for w in waiting if not w.people],
        },
        now=now,
    )
    return sent


def reminder_rounds(session: Session, actor: User, consultation_id: int) -> list[RoundShown]:
    """The rounds sent for a consultation, newest first."""
    require(actor, "submission.track")
    rounds = session.scalars(
        select(ReminderRound)
        .where(ReminderRound.consultation_id == consultation_id)
        .order_by(ReminderRound.at.desc(), ReminderRound.id.desc())
    )
    shown = []
    for r in rounds:
        by = session.get(User, r.by_id).name if r.by_id else "the schedule"
        shown.append(RoundShown(r.at, r.days_before, r.organisations, r.people, by))
    return shown
