"""Where a consultation's draft stands with the board, as plain values for the officer's and
the board's pages: the versions sent, the verdict, every decision and comment, what awaits
a member, and the last version a member reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.consultation import (
    get_consultation,
)
from consultations.models import Consultation, User
from consultations.settings import load_settings
from exports.approval_records import casts, current_approval, current_row, request_for
from exports.approval_rule import CHANGES, Verdict, approval_verdict, rule_in_words
from exports.models import (
    DraftVersion,
    ResponseSent,
    ReviewDecision,
    ReviewRequest,
    SectionComment,
    latest_version,
)

# --- what the pages show ----------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionShown:
    number: int
    member_id: int
    member: str
    is_chair: bool
    decision: str
    comment: str
    at: datetime
    current: bool
    decision_id: int = 0
    on_board: bool = True  # False: the member has left the board (their account deactivated)
    addressed_at: datetime | None = None
    addressed_by: str = ""
    addressed_note: str = ""

    @property
    def holds_back(self) -> bool:
        """A former member's current request for changes that no officer has addressed yet."""
        return (
            self.current
            and not self.on_board
            and self.decision == CHANGES
            and self.addressed_at is None
        )


@dataclass(frozen=True)
class CommentShown:
    id: int
    number: int
    section_key: str
    heading: str
    member: str
    text: str
    at: datetime
    addressed_at: datetime | None
    addressed_by: str
    addressed_in: int | None
    addressed_note: str


@dataclass(frozen=True)
class ReviewOverview:
    """Where a consultation's draft stands with the board, for the officer's and board's pages."""

    consultation_id: int
    title: str
    status: str
    closes_on: date
    newest: int | None
    in_review: int | None  # the version the board is deciding on now
    review_by: date | None
    sent_to_board: tuple[int, ...]  # every version ever sent to the board, oldest first
    verdict: Verdict | None
    rule: str
    decisions: tuple[DecisionShown, ...]  # every decision on every version, newest first
    comments: tuple[CommentShown, ...]
    approved: int | None
    approved_on: date | None
    sha256: str
    sent_on: date | None
    sent_method: str
    sent_reference: str
    review_note: str = ""  # the officer's note for the board with the last version sent
    review_note_by: str = ""


def review_overview(session: Session, actor: User, consultation_id: int) -> ReviewOverview:
    """Everything about the board's review of a consultation's draft, as plain values."""
    require(actor, "draft.read")
    consultation = get_consultation(session, consultation_id)
    settings = load_settings()
    newest = latest_version(session, consultation_id)
    requests = list(
        session.scalars(
            select(ReviewRequest)
            .join(DraftVersion, ReviewRequest.draft_version_id == DraftVersion.id)
            .where(ReviewRequest.consultation_id == consultation_id)
            .order_by(DraftVersion.number)
        )
    )
    request = requests[-1] if requests else None
    reviewing = (
        request
        if request is not None
        and newest is not None
        and request.draft_version_id == newest.id
        and consultation.status in ("in_review", "approved", "sent")
        else None
    )
    verdict = (
        approval_verdict(
            casts(session, reviewing.draft_version_id),
            rule=settings.approval_rule,
            needed=settings.approvals_needed,
        )
        if reviewing
        else None
    )
    approval = current_approval(session, consultation)
    sent = (
        session.scalar(select(ResponseSent).where(ResponseSent.approval_id == approval.id))
        if approval
        else None
    )
    return ReviewOverview(
        consultation_id=consultation_id,
        title=consultation.title,
        status=consultation.status,
        closes_on=consultation.closes_on,
        newest=newest.number if newest else None,
        in_review=newest.number if reviewing and consultation.status == "in_review" else None,
        review_by=reviewing.review_by if reviewing else None,
        sent_to_board=tuple(r.draft_version.number for r in requests),
        verdict=verdict,
        rule=rule_in_words(settings.approval_rule, settings.approvals_needed),
        decisions=tuple(_decisions_shown(session, consultation_id)),
        comments=tuple(_comments_shown(session, consultation_id)),
        approved=approval.draft_version.number if approval else None,
        approved_on=approval.approved_on if approval else None,
        sha256=approval.sha256 if approval else "",
        sent_on=sent.sent_on if sent else None,
        sent_method=sent.method if sent else "",
        sent_reference=sent.reference if sent else "",
        review_note=request.note if request else "",
        review_note_by=request.sent_by.name if request and request.sent_by else "",
    )


@dataclass(frozen=True)
class ReviewWaiting:
    """A version with the board, as a board member's home page lists it."""

    consultation_id: int
    title: str
    number: int
    review_by: date
    closes_on: date
    your_decision: str  # "" when the member has not decided yet
    note: str = ""  # the officer's note for the board, sent with the version
    note_by: str = ""


def awaiting_review(session: Session, actor: User) -> list[ReviewWaiting]:
    """The versions with the board now, soonest deadline first, with the member's decision."""
    require(actor, "draft.review")
    waiting = []
    for consultation in session.scalars(
        select(Consultation).where(Consultation.status == "in_review")
    ):
        newest = latest_version(session, consultation.id)
        request = request_for(session, newest.id) if newest else None
        if request is None:
            continue
        mine = current_row(session, newest.id, actor.id)
        waiting.append(
            ReviewWaiting(
                consultation.id,
                consultation.title,
                newest.number,
                request.review_by,
                consultation.closes_on,
                mine.decision if mine else "",
                request.note,
                request.sent_by.name if request.sent_by else "",
            )
        )
    return sorted(waiting, key=lambda w: (w.review_by, w.consultation_id))


def last_reviewed(
    session: Session, actor: User, consultation_id: int, *, before: int | None = None
) -> int | None:
    """The newest version this board member decided or commented on, if any (of those before
    version ``before``, when given: what "What changed" compares a version with)."""
    require(actor, "draft.review")
    numbers = [
        *session.scalars(
            select(DraftVersion.number)
            .join(ReviewDecision, ReviewDecision.draft_version_id == DraftVersion.id)
            .where(
                ReviewDecision.consultation_id == consultation_id,
                ReviewDecision.member_id == actor.id,
            )
        ),
        *session.scalars(
            select(DraftVersion.number)
            .join(SectionComment, SectionComment.draft_version_id == DraftVersion.id)
            .where(
                SectionComment.consultation_id == consultation_id,
                SectionComment.member_id == actor.id,
            )
        ),
    ]
    if before is not None:
        numbers = [n for n in numbers if n < before]
    return max(numbers, default=None)


def _decisions_shown(session: Session, consultation_id: int) -> list[DecisionShown]:
    rows = session.execute(
        select(ReviewDecision, DraftVersion.number, User)
        .join(DraftVersion, ReviewDecision.draft_version_id == DraftVersion.id)
        .join(User, ReviewDecision.member_id == User.id)
        .where(ReviewDecision.consultation_id == consultation_id)
        .order_by(ReviewDecision.id.desc())
    ).all()
    seen: set[tuple[int, int]] = set()
    shown = []
    for row, number, member in rows:
        current = (number, member.id) not in seen
        seen.add((number, member.id))
        shown.append(
            DecisionShown(
                number,
                member.id,
                member.name,
                member.is_chair,
                row.decision,
                row.comment,
                row.decided_at,
                current,
                decision_id=row.id,
                on_board=member.active,
                addressed_at=row.addressed_at,
                addressed_by=row.addressed_by.name if row.addressed_by else "",
                addressed_note=row.addressed_note,
            )
        )
    return shown


def _comments_shown(session: Session, consultation_id: int) -> list[CommentShown]:
    rows = session.execute(
        select(SectionComment, DraftVersion.number)
        .join(DraftVersion, SectionComment.draft_version_id == DraftVersion.id)
        .where(SectionComment.consultation_id == consultation_id)
        .order_by(SectionComment.id)
    ).all()
    return [
        CommentShown(
            c.id,
            number,
            c.section_key,
            c.section_heading,
            c.member.name,
            c.text,
            c.created_at,
            c.addressed_at,
            c.addressed_by.name if c.addressed_by else "",
            c.addressed_in_version,
            c.addressed_note,
        )
        for c, number in rows
    ]
