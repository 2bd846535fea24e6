"""Draft responses in the database: every saved state of a draft is a version, kept for good.

A version holds the whole draft as JSON (``exports.draft_model.Draft``), who saved it, when,
and a note; versions are numbered per consultation and never edited. Saving a section makes
the next version; two officers saving the same section from the same version cannot overwrite
each other (``exports.drafts.save_section``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultations.db import Base, utcnow
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
    # What changed: "assembled", "section", "regenerated"; and which section, if one.
    change: Mapped[str] = mapped_column(String(20))
    section_key: Mapped[str] = mapped_column(String(60), default="")
    content: Mapped[str] = mapped_column(Text)

    consultation: Mapped[Consultation] = relationship()
    created_by: Mapped[User | None] = relationship()
