"""The officer's view of who has responded: status per organisation, coverage by sector."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from consultations.access import require
from consultations.consultation import get_consultation
from consultations.models import SECTORS, Organisation, User
from evidence.models import Answer, Submission
from evidence.submissions import answered_count, status_phrase


@dataclass(frozen=True)
class TrackerRow:
    """One organisation's progress on one consultation."""

    organisation_id: int
    organisation: str
    sector: str
    status: str
    answered: int
    questions: int
    last_activity: datetime | None
    submitted: bool
    contacts: tuple[str, ...]


@dataclass(frozen=True)
class SectorCoverage:
    """How many of a sector's organisations have submitted."""

    sector: str
    organisations: int
    submitted: int
    started: int


def tracker_rows(session: Session, actor: User, consultation_id: int) -> list[TrackerRow]:
    """Return every active organisation's progress, those not yet submitted first."""
    require(actor, "submission.track")
    consultation = get_consultation(session, consultation_id)
    total = len(consultation.questions)
    submissions = {
        s.organisation_id: s
        for s in session.scalars(
            select(Submission)
            .where(Submission.consultation_id == consultation_id)
            .options(
                selectinload(Submission.answers),
                selectinload(Submission.snapshots),
                selectinload(Submission.submitted_by),
            )
        )
    }
    organisations = session.scalars(
        select(Organisation)
        .where(Organisation.active)
        .options(selectinload(Organisation.people))
        .order_by(Organisation.name)
    )
    rows = [_row(o, submissions.get(o.id), total) for o in organisations]
    return sorted(rows, key=lambda r: (r.submitted, r.answered > 0, r.organisation))


def _row(organisation: Organisation, submission: Submission | None, total: int) -> TrackerRow:
    contacts = tuple(
        f"{p.name} <{p.email}>" for p in organisation.people if p.active and p.role == "partner"
    )
    return TrackerRow(
        organisation_id=organisation.id,
        organisation=organisation.name,
        sector=organisation.sector,
        status=status_phrase(submission),
        answered=answered_count(submission),
        questions=total,
        last_activity=submission.last_activity_at if submission else None,
        submitted=bool(submission and submission.status == "submitted"),
        contacts=contacts,
    )


def sector_coverage(rows: list[TrackerRow]) -> list[SectorCoverage]:
    """Count organisations, submissions and starts per sector, in the fixed sector order."""
    coverage = []
    for sector in SECTORS:
        in_sector = [r for r in rows if r.sector == sector]
        if in_sector:
            coverage.append(
                SectorCoverage(
                    sector=sector,
                    organisations=len(in_sector),
                    submitted=sum(r.submitted for r in in_sector),
                    started=sum(r.answered > 0 for r in in_sector),
                )
            )
    return coverage


def reminder_list(rows: list[TrackerRow]) -> str:
    """Return the organisations that have not submitted, with contacts, ready to paste."""
    lines = []
    for row in rows:
        if row.submitted:
            continue
        people = "; ".join(row.contacts) or "no partner account yet"
        lines.append(f"{row.organisation} ({row.status}): {people}")
    return "\n".join(lines)


def answers_count(session: Session, consultation_id: int) -> int:
    """Count saved answers on a consultation (for the officer's summary line)."""
    return len(
        session.scalars(
            select(Answer.id).join(Submission).where(Submission.consultation_id == consultation_id)
        ).all()
    )
