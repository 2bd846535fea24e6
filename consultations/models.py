"""The partnership's records: organisations, people, logins, consultations, questions, audit.

Rows that people edit carry a ``version`` that SQLAlchemy checks on every update
(``UPDATE ... WHERE version = :seen``), so a stale save fails instead of overwriting.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultations.db import Base, utcnow

SECTORS = (
    "local authority",
    "health",
    "housing",
    "police and justice",
    "education",
    "voluntary and community",
    "faith",
    "employer",
    "other",
)


class Role(StrEnum):
    """What a person does in the partnership (ARCHITECTURE.md, "Who does what").

    Admin is a flag on an officer, not a role."""

    PARTNER = "partner"
    OFFICER = "officer"
    BOARD = "board"


ROLES = tuple(role.value for role in Role)
DEPARTMENTS = (
    "Home Office",
    "UK Visas and Immigration",
    "UK Border Agency",
    "Ministry of Housing, Communities and Local Government (MHCLG)",
    "Department for Education",
    "Other",
)
QUESTION_KINDS = ("open", "closed", "hybrid")
DEFAULT_OPTIONS = ("Agree", "Disagree", "Neither agree nor disagree", "Don't know")


class Meta(Base):
    """Facts about the database itself, such as whether it is the demo."""

    __tablename__ = "workbench_meta"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class Organisation(Base):
    """A partner organisation: council, health or housing body, police, voluntary group."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sector: Mapped[str] = mapped_column(String(50))
    area: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    people: Mapped[list[User]] = relationship(back_populates="organisation")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class User(Base):
    """A person who logs in: a partner, an officer (maybe admin) or a board member."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_chair: Mapped[bool] = mapped_column(Boolean, default=False)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    organisation: Mapped[Organisation | None] = relationship(back_populates="people")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Invite(Base):
    """A single-use link that lets a person set their password; only its hash is kept."""

    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class LoginSession(Base):
    """A login that survives a browser refresh: the cookie carries its token, we keep a hash."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class Consultation(Base):
    """A government consultation the partnership answers."""

    __tablename__ = "consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    department: Mapped[str] = mapped_column(String(100))
    reference: Mapped[str] = mapped_column(String(100), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    partner_deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    questions: Mapped[list[Question]] = relationship(
        back_populates="consultation", order_by="Question.position"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Question(Base):
    """One question of a consultation, in the order the consultation asks them."""

    __tablename__ = "question"
    __table_args__ = (UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"))
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(10), default="open")
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The chapter or heading the question stands under in the consultation paper, if any.
    section: Mapped[str] = mapped_column(String(200), default="", server_default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    consultation: Mapped[Consultation] = relationship(back_populates="questions")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class AuditEvent(Base):
    """One change of state or access: who, what, when, on which object. Never edited."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    actor_label: Mapped[str] = mapped_column(String(254), default="")
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[int | None] = mapped_column(Integer)
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultation.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()


class Notification(Base):
    """A message in the app for one person: a draft awaits their review, it was approved, ...

    Kinds are listed in ``consultations.notifications.KINDS``. Reading one sets ``read_at``;
    nothing else about it ever changes.
    """

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultation.id"))
    version_number: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)

    consultation: Mapped[Consultation | None] = relationship()
