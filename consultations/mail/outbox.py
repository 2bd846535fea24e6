"""The outbox: each message is written in the same transaction as the action that causes it, then
claimed by a sender, handed to the mail server, and marked sent only once the server took it.

Claiming is one short transaction per message: the row becomes ``sending`` with a lease, under
``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL (two senders never take the same row, and
neither waits for the other) and under the write lock that every SQLite writing transaction
takes with ``BEGIN IMMEDIATE``. A sender that dies leaves at most its one ``sending`` row, which
is claimed again when the lease runs out: the only message that can arrive twice is the one the
server took just before the sender died.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.audit import record_event
from consultations.db import hold_lock
from consultations.errors import WorkbenchError
from consultations.mail.config import Postbox
from consultations.mail.letters import (
    KIND_LABELS,
    FileToSend,
    Kind,
    Letter,
    Recipient,
    one_line,
    render_html,
    render_text,
)
from consultations.models import Consultation, OutboxAttachment, OutboxMessage, User

QUEUED, SENDING, SENT, FAILED, WITHHELD = "queued", "sending", "sent", "failed", "withheld"
STATUS_LABELS = {
    QUEUED: "Waiting to go",
    SENDING: "Being sent",
    SENT: "Sent",
    FAILED: "Failed: not sent",
    WITHHELD: "Not sent (no such account, or too many asked for)",
}
# Longer than any one delivery can take (the SMTP timeout is 30 seconds by default).
LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=1)
MAX_ERROR = 500
_TOKEN = re.compile(r"(token=)[A-Za-z0-9_\-%.~]+")
LINK_REMOVED = "removed-once-sent"


@dataclass(frozen=True)
class Outgoing:
    """A claimed message, with everything a transport needs to deliver it."""

    id: int
    kind: str
    to: Recipient
    subject: str
    text: str
    html: str
    message_id: str
    attempts: int
    attachments: tuple[FileToSend, ...] = ()


def recipient(person: User) -> Recipient:
    """Return the person as a message's recipient."""
    return Recipient(address=person.email, name=person.name, person_id=person.id)


def post(
    session: Session,
    postbox: Postbox | None,
    letter: Letter,
    *,
    now: datetime,
    actor: User | None = None,
    dedupe_key: str | None = None,
) -> OutboxMessage | None:
    """Write a message to the outbox, in the caller's transaction; return it.

    Returns None, writing nothing, when email is off (no postbox) or when a message with the
    same ``dedupe_key`` was written before (so a message meant to go once goes once).
    """
    if postbox is None:
        return None
    if dedupe_key is not None:
        hold_lock(session, f"outbox {dedupe_key}")
        if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)):
            return None
    return _write(session, postbox, letter, status=QUEUED, now=now, actor=actor, key=dedupe_key)


def withhold(
    session: Session, postbox: Postbox, letter: Letter, *, now: datetime, reason: str
) -> OutboxMessage:
    """Write a message that must never go (asked for an address with no account), with the same
    work as one that does, so that the two cannot be told apart by their timing."""
    return _write(
        session, postbox, letter, status=WITHHELD, now=now, actor=None, key=None, reason=reason
    )


def _write(
    session: Session,
    postbox: Postbox,
    letter: Letter,
    *,
    status: str,
    now: datetime,
    actor: User | None,
    key: str | None,
    reason: str = "",
) -> OutboxMessage:
    text, page = render_text(letter, postbox.partnership), render_html(letter, postbox.partnership)
    if status == WITHHELD:  # written with the same work, but its words are never kept
        text = page = ""
    message = OutboxMessage(
        kind=str(letter.kind),
        status=status,
        to_address=letter.to.address,
        to_name=one_line(letter.to.name, 200),
        person_id=letter.to.person_id,
        consultation_id=letter.consultation_id,
        subject=one_line(letter.subject),
        text_body=text,
        html_body=page,
        holds_link=letter.holds_link,
        message_id=f"<{uuid.uuid4().hex}@{postbox.domain}>",
        dedupe_key=key,
        attempts=0,
        next_attempt_at=now,
        last_error=one_line(reason, MAX_ERROR),
        created_at=now,
        created_by_id=actor.id if actor else None,
    )
    session.add(message)
    session.flush()
    for attachment in letter.attachments:
        session.add(
            OutboxAttachment(
                message_id=message.id,
                name=attachment.name,
                media_type=attachment.media_type,
                content=attachment.content,
            )
        )
    record_event(
        session,
        actor=actor,
        actor_label="" if actor else "workbench",
        action="mail.queued" if status == QUEUED else "mail.withheld",
        object_type="outbox_message",
        object_id=message.id,
        consultation_id=letter.consultation_id,
        detail={"kind": str(letter.kind), "to": letter.to.address, "subject": message.subject},
        now=now,
    )
    # The app sends at once after the action's commit when this is set (pages.actions.act).
    session.info["mail_queued"] = True
    session.flush()
    return message


# --- the sender's side -------------------------------------------------------------------------


def claim_next(
    session: Session, *, now: datetime, owner: str, lease: timedelta = LEASE
) -> Outgoing | None:
    """Claim the message that has waited longest of those due; None when nothing is due.

    Due: waiting and its time has come, or being sent by a sender whose lease ran out (it died).
    """
    due = or_(
        and_(OutboxMessage.status == QUEUED, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == SENDING, OutboxMessage.lease_until <= now),
    )
    message = session.scalar(
        select(OutboxMessage)
        .where(due)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if message is None:
        return None
    message.status = SENDING
    message.attempts += 1
    message.lease_until = now + lease
    message.lease_owner = owner
    session.flush()
    return Outgoing(
        id=message.id,
        kind=message.kind,
        to=Recipient(message.to_address, message.to_name, message.person_id),
        subject=message.subject,
        text=message.text_body,
        html=message.html_body,
        message_id=message.message_id,
        attempts=message.attempts,
        attachments=tuple(FileToSend(a.name, a.media_type, a.content) for a in message.attachments),
    )


def mark_sent(session: Session, message_id: int, *, now: datetime) -> None:
    """Record that the mail server accepted the message; take out any login link it held."""
    message = session.get(OutboxMessage, message_id, with_for_update=True)
    if message is None or message.status == SENT:
        return
    message.status = SENT
    message.sent_at = now
    message.lease_until = None
    message.lease_owner = None
    message.last_error = ""
    if message.holds_link:
        message.text_body = _TOKEN.sub(rf"\g<1>{LINK_REMOVED}", message.text_body)
        message.html_body = _TOKEN.sub(rf"\g<1>{LINK_REMOVED}", message.html_body)
    _audit_delivery(session, message, "mail.sent", now=now)


def mark_not_sent(
    session: Session,
    message_id: int,
    *,
    error: str,
    permanent: bool,
    now: datetime,
    max_attempts: int,
) -> str:
    """Record a failed attempt: try again after a wait that doubles each time, or, when the
    server refused the message for good or it has had every attempt, mark it failed.

    Return the message's new status.
    """
    message = session.get(OutboxMessage, message_id, with_for_update=True)
    if message is None or message.status == SENT:
        return SENT
    message.last_error = one_line(error, MAX_ERROR)
    message.lease_until = None
    message.lease_owner = None
    if permanent or message.attempts >= max_attempts:
        message.status = FAILED
        _audit_delivery(session, message, "mail.failed", now=now, error=message.last_error)
    else:
        message.status = QUEUED
        message.next_attempt_at = now + backoff(message.attempts)
    session.flush()
    return message.status


def backoff(attempts: int) -> timedelta:
    """How long to wait after the given number of attempts: 1, 2, 4 ... minutes, at most 60."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _audit_delivery(
    session: Session, message: OutboxMessage, action: str, *, now: datetime, error: str = ""
) -> None:
    detail: dict[str, object] = {
        "kind": message.kind,
        "to": message.to_address,
        "attempts": message.attempts,
    }
    if error:
        detail["error"] = error
    record_event(
        session,
        actor=None,
        actor_label="mail sender",
        action=action,
        object_type="outbox_message",
        object_id=message.id,
        consultation_id=message.consultation_id,
        detail=detail,
        now=now,
    )


# --- the officers' side ------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxRow:
    """One message as the Outbox page lists it."""

    id: int
    kind: str
    to: str
    subject: str
    status: str
    status_label: str
    attempts: int
    last_error: str
    created_at: datetime
    next_attempt_at: datetime | None
    sent_at: datetime | None
    consultation: str
    holds_link: bool


def outbox_rows(
    session: Session, actor: User, *, status: str | None = None, limit: int = 500
) -> list[OutboxRow]:
    """The newest messages (of one status, if given), newest first."""
    require(actor, "mail.view")
    query = (
        select(OutboxMessage, Consultation.title)
        .outerjoin(Consultation, OutboxMessage.consultation_id == Consultation.id)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    )
    if status:
        query = query.where(OutboxMessage.status == status)
    return [
        OutboxRow(
            id=m.id,
            kind=KIND_LABELS.get(Kind(m.kind), m.kind) if m.kind in set(Kind) else m.kind,
            to=f"{m.to_name} <{m.to_address}>" if m.to_name else m.to_address,
            subject=m.subject,
            status=m.status,
            status_label=STATUS_LABELS.get(m.status, m.status),
            attempts=m.attempts,
            last_error=m.last_error,
            created_at=m.created_at,
            next_attempt_at=m.next_attempt_at if m.status == QUEUED else None,
            sent_at=m.sent_at,
            consultation=title or "",
            holds_link=m.holds_link,
        )
        for m, title in session.execute(query).all()
    ]


def outbox_counts(session: Session, actor: User) -> dict[str, int]:
    """How many messages are in each status."""
    require(actor, "mail.view")
    rows = session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    return {status: count for status, count in rows}


@dataclass(frozen=True)
class MessageShown:
    """A message's words as an officer may read them (never a login link)."""

    subject: str
    to: str
    text: str


def message_shown(session: Session, actor: User, message_id: int) -> MessageShown:
    """Return a message's text for the Outbox page; a message holding a login link is not shown,
    whoever asks: whoever holds the link could take the account."""
    require(actor, "mail.view")
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise WorkbenchError("That message does not exist. Reload the page.")
    if message.holds_link:
        text = (
            "This message holds a personal login link, so its words are not shown here. Only "
            "the person it was written to can read it."
        )
    elif message.status == WITHHELD:
        text = "This message was not written: nobody has an account with that address."
    else:
        text = message.text_body
    return MessageShown(subject=message.subject, to=message.to_address, text=text)


def resend(session: Session, actor: User, message_id: int, *, now: datetime) -> OutboxMessage:
    """Put a failed message back in the queue, to be tried again from the start."""
    require(actor, "mail.resend")
    message = session.get(OutboxMessage, message_id, with_for_update=True)
    if message is None:
        raise WorkbenchError("That message does not exist. Reload the page.")
    if message.status != FAILED:
        raise WorkbenchError(
            f"Only a failed message can be sent again; this one is "
            f"'{STATUS_LABELS.get(message.status, message.status).lower()}'."
        )
    message.status = QUEUED
    message.attempts = 0
    message.next_attempt_at = now
    record_event(
        session,
        actor=actor,
        action="mail.resend",
        object_type="outbox_message",
        object_id=message.id,
        consultation_id=message.consultation_id,
        detail={"kind": message.kind, "to": message.to_address, "error": message.last_error},
        now=now,
    )
    session.info["mail_queued"] = True
    session.flush()
    return message


def due_now(session: Session, *, now: datetime) -> int:
    """How many messages are due to be sent now."""
    return session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            or_(
                and_(OutboxMessage.status == QUEUED, OutboxMessage.next_attempt_at <= now),
                and_(OutboxMessage.status == SENDING, OutboxMessage.lease_until <= now),
            )
        )
    )
