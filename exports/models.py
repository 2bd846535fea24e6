"""Draft responses in the database: every saved state of a draft is a version, kept for good.

A version holds the whole draft as JSON (``exports.draft_model.Draft``), who saved it, when,
and a note; versions are numbered per consultation and never edited. Saving a section makes
the next version; two officers saving the same section from the same version cannot overwrite
each other (``exports.drafts.save_section``).

Board review (``exports.approval``) adds: the versions sent to the board, members' decisions
and section comments (rows, never overwritten), the approval with the frozen .docx and its
SHA-256, and the record that the approved response was sent.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from consultations.db import Base, utcnow
from consultations.errors import WorkbenchError
from consultations.models import Consultation, User


class DraftVersion(Base):
    """One saved state of a consultation's draft response."""

    __tablename__ = "draft_version"
    __table_args__ = (UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    note: Mapped[str] = mapped_column(String(500), default="")
    # What changed: "assembled", "section", "regenerated", "word" (an edited Word copy); and
    # which section, if one.
    change: Mapped[str] = mapped_column(String(20))
    section_key: Mapped[str] = mapped_column(String(60), default="")
    content: Mapped[str] = mapped_column(Text)
    # A version saved from an edited Word copy: the SHA-256 of that file (empty otherwise).
    word_sha256: Mapped[str] = mapped_column(String(64), default="", server_default="")

    consultation: Mapped[Consultation] = relationship()
    created_by: Mapped[User | None] = relationship()


def latest_version(session: Session, consultation_id: int) -> DraftVersion | None:
    """The consultation's newest draft version, or None before the first is assembled."""
    return session.scalar(
        select(DraftVersion)
        .where(DraftVersion.consultation_id == consultation_id)
        .order_by(DraftVersion.number.desc())
        .limit(1)
    )


def version_by_number(session: Session, consultation_id: int, number: int) -> DraftVersion:
    """One draft version by its number; says so plainly when there is none."""
    found = session.scalar(
        select(DraftVersion).where(
            DraftVersion.consultation_id == consultation_id, DraftVersion.number == number
        )
    )
    if found is None:
        raise WorkbenchError(f"There is no version {number} of this draft.")
    return found


class ReviewRequest(Base):
    """A draft version the officer sent to the board, with the date the board should decide by."""

    __tablename__ = "review_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    draft_version_id: Mapped[int] = mapped_column(ForeignKey("draft_version.id"), unique=True)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    review_by: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")

    draft_version: Mapped[DraftVersion] = relationship()
    sent_by: Mapped[User | None] = relationship()


class ReviewDecision(Base):
    """A board member's decision on a version: approve, or request changes with a reason.

    Never edited: deciding again adds a row, and the member's newest row is their current
    decision on that version. The one exception is the ``addressed_*`` columns below.
    """

    __tablename__ = "review_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    draft_version_id: Mapped[int] = mapped_column(ForeignKey("draft_version.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    decision: Mapped[str] = mapped_column(String(10))  # "approve" or "changes"
    comment: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Set once, only on a request for changes from someone no longer on the board, who cannot
    # decide again: an officer says how it was addressed, and it stops holding the draft back.
    addressed_at: Mapped[datetime | None] = mapped_column(DateTime)
    addressed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    addressed_note: Mapped[str] = mapped_column(String(500), default="")

    draft_version: Mapped[DraftVersion] = relationship()
    member: Mapped[User] = relationship(foreign_keys=[member_id])
    addressed_by: Mapped[User | None] = relationship(foreign_keys=[addressed_by_id])


class SectionComment(Base):
    """A board member's comment on one section of a version; the officer marks it addressed."""

    __tablename__ = "section_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    draft_version_id: Mapped[int] = mapped_column(ForeignKey("draft_version.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    section_key: Mapped[str] = mapped_column(String(60))
    section_heading: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    addressed_at: Mapped[datetime | None] = mapped_column(DateTime)
    addressed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    addressed_in_version: Mapped[int | None] = mapped_column(Integer)
    addressed_note: Mapped[str] = mapped_column(String(500), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    draft_version: Mapped[DraftVersion] = relationship()
    member: Mapped[User] = relationship(foreign_keys=[member_id])
    addressed_by: Mapped[User | None] = relationship(foreign_keys=[addressed_by_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Approval(Base):
    """A version the board approved, frozen: the exact .docx bytes and their SHA-256."""

    __tablename__ = "approval"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    draft_version_id: Mapped[int] = mapped_column(ForeignKey("draft_version.id"), unique=True)
    approved_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    approved_on: Mapped[date] = mapped_column(Date)
    rule: Mapped[str] = mapped_column(String(300))  # the rule that held, in words
    document: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)

    draft_version: Mapped[DraftVersion] = relationship()


class ResponseSent(Base):
    """The record that an approved response went to the department: when, how, reference."""

    __tablename__ = "response_sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approval.id"), unique=True)
    sent_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(60))
    reference: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    approval: Mapped[Approval] = relationship()
    recorded_by: Mapped[User | None] = relationship()
