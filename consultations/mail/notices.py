"""Messages that belong to the partnership's own records: a consultation opened to partners,
and the login links of invites and access resets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from consultations.dates import uk_time
from consultations.mail.config import Postbox
from consultations.mail.letters import (
    access_reset_letter,
    account_letter,
    invite_letter,
    opened_letter,
)
from consultations.mail.outbox import post, recipient
from consultations.models import Consultation, Organisation, User


def partners_to_tell(session: Session) -> list[User]:
    """Every active partner of an active organisation, by organisation and name."""
    return list(
        session.scalars(
            select(User)
            .join(Organisation, User.organisation_id == Organisation.id)
            .where(User.role == "partner", User.active, Organisation.active)
            .order_by(Organisation.name, User.name)
        )
    )


def announce_opening(
    session: Session,
    postbox: Postbox | None,
    consultation: Consultation,
    *,
    actor: User | None,
    now: datetime,
) -> int:
    """Tell every partner the consultation is open for their answers; return how many.

    Once for each partner and partner deadline: opening again after taking it back to draft
    sends nothing twice, while reopening with a later deadline tells them of the new one.
    """
    if postbox is None:
        return 0
    today = uk_time(now).date()
    told = 0
    for person in partners_to_tell(session):
        written = post(
            session,
            postbox,
            opened_letter(
                recipient(person),
                consultation_id=consultation.id,
                title=consultation.title,
                department=consultation.department,
                deadline=consultation.partner_deadline,
                today=today,
                questions=len(consultation.questions),
                link=postbox.link("answer", consultation=consultation.id),
            ),
            now=now,
            actor=actor,
            dedupe_key=f"opened:{consultation.id}:{consultation.partner_deadline}:{person.id}",
        )
        told += written is not None
    return told


def mail_login_link(
    session: Session,
    postbox: Postbox | None,
    person: User,
    *,
    link: str,
    expires_at: datetime,
    reset: bool,
    actor: User | None,
    now: datetime,
) -> bool:
    """Send a person their invite or access-reset link by email; return whether it was sent
    (False when email is off: the caller shows the link to pass on, as before email)."""
    if postbox is None:
        return False
    if reset:
        letter = access_reset_letter(
            recipient(person), partnership=postbox.partnership, link=link, expires_at=expires_at
        )
    else:
        letter = invite_letter(
            recipient(person),
            partnership=postbox.partnership,
            role=person.role,
            organisation=person.organisation.name if person.organisation else "",
            link=link,
            expires_at=expires_at,
            is_chair=person.is_chair,
        )
    return post(session, postbox, letter, now=now, actor=actor) is not None


def mail_board_change(
    session: Session,
    postbox: Postbox | None,
    told: list[User],
    subject: User,
    message: str,
    *,
    actor: User | None,
    now: datetime,
) -> None:
    """Email the chair (or the board) the news of a change to a board account."""
    if postbox is None:
        return
    for person in told:
        post(
            session,
            postbox,
            account_letter(
                recipient(person), person=subject.name, message=message, link=postbox.link("")
            ),
            now=now,
            actor=actor,
        )
