"""Partner organisations: councils, health and housing bodies, police, voluntary groups."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.audit import record_event
from consultations.demo_guard import organisation_room
from consultations.errors import StaleEdit, ValidationFailed, WorkbenchError
from consultations.models import SECTORS, Organisation, User


@dataclass(frozen=True)
class OrganisationForm:
    """What the officer types for an organisation."""

    name: str
    sector: str
    area: str = ""


def organisation_problems(
    session: Session, form: OrganisationForm, *, own_id: int | None
) -> list[str]:
    """List what is wrong with an organisation's details."""
    problems = []
    name = form.name.strip()
    if not name:
        problems.append("the name is empty")
    if form.sector not in SECTORS:
        problems.append(f"'{form.sector}' is not a sector (choose one of: {', '.join(SECTORS)})")
    clash = session.scalar(
        select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
    )
    if name and clash is not None and clash != own_id:
        problems.append(f"an organisation called '{name}' exists already")
    return problems


def create_organisation(
    session: Session, actor: User, form: OrganisationForm, *, demo_cap: int | None = None
) -> Organisation:
    """Add a partner organisation; in the demo, only while it holds fewer than ``demo_cap``."""
    require(actor, "organisation.edit")
    organisation_room(session, limit=demo_cap)
    problems = organisation_problems(session, form, own_id=None)
    if problems:
        raise ValidationFailed(problems, subject="The organisation")
    organisation = Organisation(name=form.name.strip(), sector=form.sector, area=form.area.strip())
    session.add(organisation)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="organisation.created",
        object_type="organisation",
        object_id=organisation.id,
        detail={"name": organisation.name},
    )
    return organisation


def update_organisation(
    session: Session,
    actor: User,
    organisation_id: int,
    *,
    seen_version: int,
    form: OrganisationForm,
) -> Organisation:
    """Change an organisation's details, refusing if someone else changed them meanwhile."""
    require(actor, "organisation.edit")
    organisation = session.get(Organisation, organisation_id, with_for_update=True)
    if organisation is None:
        raise WorkbenchError("That organisation does not exist. Reload the page.")
    if organisation.version != seen_version:
        raise StaleEdit(
            f"Someone else changed '{organisation.name}' while you were editing. "
            "Their version is shown; make your change again on top of it.",
            current={
                "name": organisation.name,
                "sector": organisation.sector,
                "area": organisation.area,
            },
        )
    problems = organisation_problems(session, form, own_id=organisation.id)
    if problems:
        raise ValidationFailed(problems, subject="The organisation")
    organisation.name = form.name.strip()
    organisation.sector = form.sector
    organisation.area = form.area.strip()
    record_event(
        session,
        actor=actor,
        action="organisation.updated",
        object_type="organisation",
        object_id=organisation.id,
        detail={"name": organisation.name},
    )
    return organisation


def list_organisations(session: Session) -> list[Organisation]:
    """Return every organisation, by name."""
    return list(session.scalars(select(Organisation).order_by(Organisation.name)))


def organisation_name(session: Session, organisation_id: int) -> str:
    """Return an organisation's name (empty if it does not exist)."""
    organisation = session.get(Organisation, organisation_id)
    return organisation.name if organisation else ""
