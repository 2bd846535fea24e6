"""What partners send: submissions, their answers, their history and their attachments.

A submission belongs to one organisation for one consultation; everyone at that organisation
works on the same one. Answers carry a version so that two people saving the same answer
cannot overwrite each other. Each time a submission is submitted, a snapshot of every answer is
kept, so no submitted state is ever lost.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from consultations.db import Base, utcnow
from consultations.models import Consultation, Organisation, Question, User

CONSENTS = {
    "named": "By our organisation's name",
    "sector": "By our sector only (for example 'a health partner')",
    "anonymous": "Not at all: use our points without saying who made them",
}
MAX_COMMENT = 10_000
MAX_EVIDENCE_NOTE = 2_000


class Submission(Base):
    """One organisation's response to one consultation."""

    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("consultation_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    consent: Mapped[str | None] = mapped_column(String(20))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    consultation: Mapped[Consultation] = relationship()
    organisation: Mapped[Organisation] = relationship()
    submitted_by: Mapped[User | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(back_populates="submission")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="submission", order_by="Attachment.uploaded_at"
    )
    snapshots: Mapped[list[SubmissionSnapshot]] = relationship(
        back_populates="submission", order_by="SubmissionSnapshot.number"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Answer(Base):
    """An organisation's answer to one question: a position, a comment and an evidence note."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("submission_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), index=True)
    # RESTRICT: an answered question cannot be deleted (consultations.questions relies on it).
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[str] = mapped_column(String(100), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    evidence_note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    entered_by_officer: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)

    submission: Mapped[Submission] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
    updated_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class SubmissionSnapshot(Base):
    """A submitted state of a submission, kept for good: who, when, consent and every answer."""

    __tablename__ = "submission_snapshot"
    __table_args__ = (UniqueConstraint("submission_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(DateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    entered_by_officer: Mapped[bool] = mapped_column(Boolean, default=False)
    consent: Mapped[str] = mapped_column(String(20))
    answers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    submission: Mapped[Submission] = relationship(back_populates="snapshots")
    submitted_by: Mapped[User | None] = relationship()


class Attachment(Base):
    """An evidence file on a submission, kept in the database with its size and SHA-256."""

    __tablename__ = "attachment"
    __table_args__ = (UniqueConstraint("submission_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(10))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    entered_by_officer: Mapped[bool] = mapped_column(Boolean, default=False)

    submission: Mapped[Submission] = relationship(back_populates="attachments")
    uploaded_by: Mapped[User | None] = relationship()
