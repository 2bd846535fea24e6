"""The audit trail for officers: every audit event, filtered, and as CSV. Read only.

Nothing here writes: the trail is added to by ``consultations.audit.record_event`` in the same
transaction as each change, and no page or function of the app edits or deletes it.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.consultation import STATUS_LABELS
from consultations.dates import UK, plain_date, plain_datetime
from consultations.errors import ValidationFailed
from consultations.files import plain_size
from consultations.models import AuditEvent, Consultation, Organisation, Question, User

MAX_ROWS = 5_000
CSV_COLUMNS = ("When (UK time)", "Who", "What", "About", "Consultation", "Details")
# A spreadsheet reads a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# What each kind of event means, in words: the one table the audit page, its filter and the CSV
# read. Codes stay in the database (and in the filter's value); people read these.
EVENT_WORDS: dict[str, str] = {
    "access.refused": "Was refused access",
    "account.first_officer": "Set up the workbench as its first officer",
    "account.locked": "Account locked after too many failed logins",
    "answer.saved": "Saved an answer",
    "answers.imported": "Imported answers from a file",
    "answers.retagged": "Suggested themes for the answers again",
    "attachment.added": "Attached an evidence file",
    "attachment.downloaded": "Downloaded an evidence file",
    "attachment.removed": "Removed an evidence file",
    "consultation.created": "Set up a consultation",
    "consultation.status": "Moved the consultation to another stage",
    "consultation.updated": "Changed the consultation's details",
    "demo.built": "Built the demo",
    "document.changed": "Found that the approved document had changed",
    "draft.added": "Added a paragraph or a section of the officer's own to the draft",
    "draft.annex": "Put the annex in the draft's document or took it out",
    "draft.approved": "The board approved a version of the draft",
    "draft.assembled": "Assembled a draft from the evidence",
    "draft.moved": "Moved a paragraph or section the officer had added to the draft",
    "draft.regenerated": "Wrote a section of the draft again from the evidence",
    "draft.removed": "Removed a paragraph or section the officer had added to the draft",
    "draft.restored": "Made an earlier version of the draft the newest again",
    "draft.section": "Edited a section of the draft",
    "invite.accepted": "Accepted an invite and set a password",
    "login": "Logged in",
    "login.failed": "A login failed (wrong email or password)",
    "login.refused": "A login was refused (account locked or switched off)",
    "logout": "Logged out",
    "mail.failed": "An email could not be sent",
    "mail.queued": "An email was written to the outbox",
    "mail.resend": "Asked for an email to be sent again",
    "mail.sent": "An email was sent",
    "mail.withheld": "An email was not sent (no such account, or too many asked for)",
    "organisation.created": "Added an organisation",
    "organisation.updated": "Changed an organisation's details",
    "password_reset.asked": "Asked for a password reset link",
    "password_reset.used": "Set a new password with a reset link",
    "person.access_reset": "Gave a person a new login link",
    "person.activated": "Switched a person's account back on",
    "person.deactivated": "Switched a person's account off",
    "person.invited": "Invited a person",
    "question.deleted": "Deleted a question",
    "question.moved": "Moved a question",
    "question.updated": "Changed a question",
    "questions.added": "Added questions",
    "questions.replaced": "Replaced questions (from an import)",
    "reminders.scheduled": "Planned the reminders to partners",
    "reminders.sent": "Sent reminders to partners",
    "response.sent": "Recorded the approved response as sent",
    "review.comment_addressed": "Marked a board member's comment addressed",
    "review.commented": "Commented on a section of the draft",
    "review.decided": "Gave a board decision",
    "review.request_addressed": "Marked a request for changes addressed",
    "review.requested": "Sent a version of the draft to the board",
    "submission.submitted": "Submitted a response",
    "tag.accepted": "Accepted a suggested theme",
    "tag.added": "Added a theme to an answer",
    "tag.rejected": "Rejected a suggested theme",
    "tag_model.activated": "Switched on a learned model",
    "tag_model.deactivated": "Switched off the learned model",
    "tag_model.saved": "Trained and kept a learned model",
    "tags.bulk_accepted": "Accepted suggested themes for many answers at once",
    "theme.added": "Added a theme",
    "theme.dropped": "Dropped a theme",
    "theme.merged": "Merged two themes",
    "theme.phrase_added": "Added a phrase to a theme",
    "theme.phrase_removed": "Removed a phrase from a theme",
    "theme.restored": "Brought back a dropped theme",
    "theme.updated": "Changed a theme",
    "themes.copied": "Copied the themes from another consultation",
}
OBJECT_WORDS = {"outbox_message": "email", "tag_model": "learned model"}
DETAIL_WORDS = {
    "on_behalf": "on behalf of",
    "days_before": "days before the deadline",
    "from": "from stage",
    "to": "to stage",
    "replaces": "replaces",
}
# Events about a draft version, or about something done with one, keep the version's own number
# (the one people see) in their details: they are named by it, never by a row's id.
ABOUT_A_VERSION = {
    "draft version": "draft version {number}",
    "approval": "approval of version {number}",
    "review decision": "board decision on version {number}",
    "review request": "version {number} sent to the board",
    "section comment": "board comment on version {number}",
    "response sent": "version {number} sent to the department",
}
# Details kept in the database for checking, which say nothing to a reader (a fingerprint).
UNREAD_DETAILS = {"taxonomy"}
VALUE_WORDS = {
    ("decision", "approve"): "approved",
    ("decision", "changes"): "asked for changes",
    ("origin", "rules"): "suggested by the theme rules",
    ("origin", "model"): "suggested by the learned model",
    ("origin", "hand"): "added by hand",
}
_CODE = re.compile(r"[a-z_]+(\.[a-z_]+)*")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?")


def event_words(action: str) -> str:
    """What an event code means, in words (a code missing from the table reads as its words)."""
    if action in EVENT_WORDS:
        return EVENT_WORDS[action]
    if _CODE.fullmatch(action):
        return action.replace(".", ": ").replace("_", " ").capitalize()
    return action


def detail_words(detail: dict[str, Any] | None) -> str:
    """An event's details as "name: value" in words, one after another; empty ones left out."""
    return "; ".join(
        f"{DETAIL_WORDS.get(key, key.replace('_', ' '))}: {_value_words(key, value)}"
        for key, value in sorted((detail or {}).items())
        if value not in (None, "", [], {}) and key not in UNREAD_DETAILS
    )


def _value_words(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key == "size" and isinstance(value, int):
        return plain_size(value)
    if key == "replaces" and isinstance(value, int):
        return "an earlier decision"  # a row's id says nothing to a reader
    if isinstance(value, list | tuple):
        return ", ".join(_value_words(key, v) for v in value)
    if isinstance(value, str) and (key, value) in VALUE_WORDS:
        return VALUE_WORDS[key, value]
    if isinstance(value, dict):
        return "(" + detail_words(value) + ")"
    if isinstance(value, str) and value in STATUS_LABELS:
        return STATUS_LABELS[value].lower()
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return plain_date(date.fromisoformat(value))
    if isinstance(value, str) and _ISO_TIME.fullmatch(value):  # stored times are UTC
        return plain_datetime(datetime.fromisoformat(value))
    return str(value)


@dataclass(frozen=True)
class AuditFilter:
    """The officer's filters; None means "any". Dates are UK calendar days, both included."""

    person_id: int | None = None
    consultation_id: int | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class AuditRow:
    """One audit event, ready to show."""

    id: int
    at: datetime
    who: str
    action: str
    object_type: str
    object_id: int | None
    consultation: str
    detail: str  # in words
    what: str = ""  # the action in words (the code stays in ``action``, for the filter)
    about: str = ""  # what the event was about, in words: "person Jo Brown", "question Q3"


def audit_events(
    session: Session, actor: User, chosen: AuditFilter, *, limit: int = MAX_ROWS
) -> list[AuditRow]:
    """The audit events that pass every filter, newest first (at most ``limit``)."""
    require(actor, "audit.view")
    if chosen.since and chosen.until and chosen.since > chosen.until:
        raise ValidationFailed(
            ["the 'from' date is after the 'to' date"], subject="The audit filter"
        )
    query = (
        select(AuditEvent, User.name, Consultation.title)
        .outerjoin(User, AuditEvent.actor_id == User.id)
        .outerjoin(Consultation, AuditEvent.consultation_id == Consultation.id)
    )
    if chosen.person_id is not None:
        query = query.where(AuditEvent.actor_id == chosen.person_id)
    if chosen.consultation_id is not None:
        query = query.where(AuditEvent.consultation_id == chosen.consultation_id)
    if chosen.action:
        query = query.where(AuditEvent.action == chosen.action)
    if chosen.since:
        query = query.where(AuditEvent.at >= _utc_start(chosen.since))
    if chosen.until:
        query = query.where(AuditEvent.at < _utc_start(chosen.until + timedelta(days=1)))
    rows = session.execute(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    ).all()
    names = _Names.of(session, [event for event, _, _ in rows])
    return [
        AuditRow(
            id=event.id,
            at=event.at,
            who=name or event.actor_label or "the system",
            action=event.action,
            object_type=OBJECT_WORDS.get(event.object_type, event.object_type),
            object_id=event.object_id,
            consultation=title or "",
            detail=detail_words(names.detail(event)),
            what=event_words(event.action),
            about=names.about(event),
        )
        for event, name, title in rows
    ]


_SECTION_OF_QUESTION = re.compile(r"question-(\d+)")


@dataclass(frozen=True)
class _Names:
    """The names behind the ids that events keep: people, organisations, consultations and
    questions (a draft's section "question-14" is its question's heading)."""

    people: dict[int, str]
    organisations: dict[int, str]
    consultations: dict[int, str]
    questions: dict[int, str]

    @classmethod
    def of(cls, session: Session, events: list[AuditEvent]) -> _Names:
        wanted: dict[str, set[int]] = {
            "person": set(),
            "organisation": set(),
            "consultation": set(),
            "question": set(),
        }
        for event in events:
            if event.object_type in wanted and event.object_id is not None:
                wanted[event.object_type].add(event.object_id)
            detail = event.detail or {}
            if isinstance(detail.get("organisation_id"), int):
                wanted["organisation"].add(detail["organisation_id"])
            section = _SECTION_OF_QUESTION.fullmatch(str(detail.get("section", "")))
            if section:
                wanted["question"].add(int(section.group(1)))

        def named(model, column, ids: set[int]) -> dict[int, str]:
            if not ids:
                return {}
            return dict(session.execute(select(model.id, column).where(model.id.in_(ids))).all())

        questions = {}
        if wanted["question"]:
            found = session.execute(
                select(Question.id, Question.number, Question.text).where(
                    Question.id.in_(wanted["question"])
                )
            )
            questions = {qid: _question_heading(number, text) for qid, number, text in found}
        return cls(
            people=named(User, User.name, wanted["person"]),
            organisations=named(Organisation, Organisation.name, wanted["organisation"]),
            consultations=named(Consultation, Consultation.title, wanted["consultation"]),
            questions=questions,
        )

    def about(self, event: AuditEvent) -> str:
        kind = OBJECT_WORDS.get(event.object_type, event.object_type or "").replace("_", " ")
        if event.object_id is None:
            return kind
        name = {
            "person": self.people,
            "organisation": self.organisations,
            "consultation": self.consultations,
            "question": self.questions,
        }.get(event.object_type, {})
        if event.object_id in name:
            return f"{kind} {name[event.object_id]}"
        number = _version_number(event)
        if number is not None:
            return ABOUT_A_VERSION[kind].format(number=number)
        return kind  # a row's id says nothing to a reader

    def detail(self, event: AuditEvent) -> dict[str, Any]:
        """The details with ids replaced by names and a section key by its heading; a version's
        number is left to what the event is about, which names it."""
        readable = dict(event.detail or {})
        if _version_number(event) is not None:
            del readable["number"]
        organisation = readable.get("organisation_id")
        if isinstance(organisation, int):
            del readable["organisation_id"]
            readable["organisation"] = self.organisations.get(
                organisation, f"number {organisation}"
            )
        section = readable.get("section")
        if isinstance(section, str):
            question = _SECTION_OF_QUESTION.fullmatch(section)
            if question and int(question.group(1)) in self.questions:
                readable["section"] = self.questions[int(question.group(1))]
            elif _CODE_KEY.fullmatch(section):
                readable["section"] = section.replace("-", " ").replace("_", " ").capitalize()
        return readable


_CODE_KEY = re.compile(r"[a-z][a-z0-9_-]*")


def _version_number(event: AuditEvent) -> int | None:
    """The draft version's own number where the event is about a version, else None."""
    kind = OBJECT_WORDS.get(event.object_type, event.object_type or "").replace("_", " ")
    number = (event.detail or {}).get("number")
    if kind in ABOUT_A_VERSION and isinstance(number, int) and not isinstance(number, bool):
        return number
    return None


def _question_heading(number: str, text: str) -> str:
    words = " ".join(text.split())
    return f"{number}: {words if len(words) <= 60 else words[:59] + '…'}"


def audit_choices(session: Session, actor: User) -> tuple[list[tuple[int, str]], list[str]]:
    """The people who appear in the trail (id, name) and the kinds of event, for the filters."""
    require(actor, "audit.view")
    people = session.execute(
        select(User.id, User.name, User.email)
        .where(User.id.in_(select(AuditEvent.actor_id).distinct()))
        .order_by(User.name)
    ).all()
    kinds = session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    return [(pid, f"{name} ({email})") for pid, name, email in people], list(kinds)


def audit_csv(rows: list[AuditRow]) -> bytes:
    """The rows as CSV for a spreadsheet (UTF-8 with a byte-order mark); no cell is a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                _cell(value)
                for value in (
                    plain_datetime(row.at),
                    row.who,
                    row.what or event_words(row.action),
                    row.about or row.object_type,
                    row.consultation,
                    row.detail,
                )
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _utc_start(day: date) -> datetime:
    """The moment a UK calendar day starts, as stored (UTC without tzinfo)."""
    return datetime.combine(day, time(), tzinfo=UK).astimezone(UTC).replace(tzinfo=None)
