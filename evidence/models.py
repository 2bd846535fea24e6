"""What partners send and what we learn from it: submissions, answers, attachments, tags.

A submission belongs to one organisation for one consultation; everyone at that organisation
works on the same one. Answers carry a version so that two people saving the same answer
cannot overwrite each other. Each time a submission is submitted, a snapshot of every answer is
kept, so no submitted state is ever lost.

Tagging keeps the machine and the people apart: a ``TagSuggestion`` is what the tagger (rules or
a learned model) thinks, replaced whenever the answer is tagged again; a ``TagDecision`` is what
a person decided, never edited: a new decision adds a row and marks the one before it as no
longer current, so who decided what, and when, stays on record.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from consultations.db import Base, utcnow
from consultations.models import Consultation, Organisation, Question, User

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


TAG_SOURCES = ("rules", "learned")  # "model" is an older name of "learned": both are read
DECISION_ORIGINS = ("rules", "model", "hand")


class Theme(Base):
    """A theme of one consultation, copied from the default taxonomy and edited by the officer.

    ``patterns`` is a list shaped like the taxonomy file's: ``{"phrase": ..., "weight": ...}``.
    A dropped theme stays (its decisions are history) with ``active`` false; a merged one also
    names the theme it went into.
    """

    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("consultation_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    label: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    patterns: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    place_weight: Mapped[float] = mapped_column(Float, default=0.0)
    position: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    consultation: Mapped[Consultation] = relationship()
    merged_into: Mapped[Theme | None] = relationship(remote_side=[id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class TagSuggestion(Base):
    """A theme the machine suggests for an answer, with its score and the spans that are why.

    ``spans`` holds ``{"matches": [{"phrase", "start", "end"}], "sentences": [[start, end]]}``
    in characters of the answer's text as it was tagged; a learned model's suggestion has none.
    """

    __tablename__ = "tag_suggestion"
    __table_args__ = (UniqueConstraint("answer_id", "theme_id", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(10), default="rules")
    spans: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    answer: Mapped[Answer] = relationship()
    theme: Mapped[Theme] = relationship()


class TagDecision(Base):
    """A person's decision that an answer does or does not raise a theme. Never edited.

    Deciding again adds a row and clears ``is_current`` on the one before, so the history of
    every (answer, theme) pair stays; the database allows one current row per pair. ``origin``
    says what was decided on: a rules or model suggestion, or a theme added by hand.
    """

    __tablename__ = "tag_decision"
    __table_args__ = (
        Index(
            "uq_tag_decision_current",
            "answer_id",
            "theme_id",
            unique=True,
            sqlite_where=sql_text("is_current"),
            postgresql_where=sql_text("is_current"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id"), index=True)
    accepted: Mapped[bool] = mapped_column(Boolean)
    origin: Mapped[str] = mapped_column(String(10), default="rules")
    in_bulk: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    answer_version: Mapped[int] = mapped_column(Integer)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    moved_from_theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id"))

    answer: Mapped[Answer] = relationship()
    theme: Mapped[Theme] = relationship(foreign_keys=[theme_id])
    decided_by: Mapped[User] = relationship()


class AnswerEvidence(Base):
    """What the tagger spotted in an answer besides themes: figures, places, regional impact.

    ``figures``: ``[{"start", "end", "kinds"}]`` sentences carrying figures; ``places``:
    ``[{"name", "kind", "region", "start", "end"}]``. ``taxonomy_key`` and ``answer_version``
    say which themes and which text the tags were made from, so stale tags can be found.
    """

    __tablename__ = "answer_evidence"

    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id"), primary_key=True)
    figures: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    places: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    regional: Mapped[bool] = mapped_column(Boolean, default=False)
    answer_version: Mapped[int] = mapped_column(Integer)
    taxonomy_key: Mapped[str] = mapped_column(String(64))
    tagged_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    answer: Mapped[Answer] = relationship()


class TagModel(Base):
    """A trained theme model (spaCy ``textcat_multilabel`` bytes), versioned per consultation.

    ``figures`` holds what it measured on held-back decisions (precision, recall, F1); at most
    one model per consultation is active, and only the officer switches one on.
    """

    __tablename__ = "tag_model"
    __table_args__ = (
        UniqueConstraint("consultation_id", "version"),
        Index(
            "uq_tag_model_active",
            "consultation_id",
            unique=True,
            sqlite_where=sql_text("active"),
            postgresql_where=sql_text("active"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    labels: Mapped[list[str]] = mapped_column(JSON, default=list)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    activated_at: Mapped[datetime | None] = mapped_column(DateTime)
    activated_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    activated_by: Mapped[User | None] = relationship(foreign_keys=[activated_by_id])


class ReminderSchedule(Base):
    """When partners who have not submitted are reminded: days before the partner deadline."""

    __tablename__ = "reminder_schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), unique=True)
    days_before: Mapped[list[int]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ReminderRound(Base):
    """One round of reminders: scheduled (``days_before`` the ``deadline`` it counted from, once
    each) or asked for by an officer (``days_before`` empty), with whom it reached."""

    __tablename__ = "reminder_round"
    __table_args__ = (UniqueConstraint("consultation_id", "deadline", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    deadline: Mapped[date] = mapped_column(Date)
    days_before: Mapped[int | None] = mapped_column(Integer)
    # "sent" (messages queued), or "skipped" (a later round was due when the sender caught up).
    status: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(DateTime)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    organisations: Mapped[int] = mapped_column(Integer, default=0)
    people: Mapped[int] = mapped_column(Integer, default=0)
