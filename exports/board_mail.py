"""The board's email: a version awaiting their review (with the officer's note), and a version
approved (to the board and the officers). Posted in the transaction of the decision itself."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from consultations.dates import uk_time
from consultations.mail.config import Postbox
from consultations.mail.letters import approved_letter, review_letter
from consultations.mail.outbox import post, recipient
from consultations.models import Consultation, User
from consultations.notifications import active_people


def mail_review_request(
    session: Session,
    postbox: Postbox | None,
    consultation: Consultation,
    *,
    number: int,
    review_by: date,
    note: str,
    actor: User,
    now: datetime,
) -> None:
    """Ask every active board member to review the version, with the officer's note."""
    if postbox is None:
        return
    for member in active_people(session, "board"):
        post(
            session,
            postbox,
            review_letter(
                recipient(member),
                consultation_id=consultation.id,
                title=consultation.title,
                number=number,
                review_by=review_by,
                today=uk_time(now).date(),
                sent_by=actor.name,
                note=note,
                link=postbox.link("board_review", consultation=consultation.id),
            ),
            now=now,
            actor=actor,
        )


def mail_approval(
    session: Session,
    postbox: Postbox | None,
    consultation: Consultation,
    *,
    number: int,
    approved_on: date,
    actor: User,
    now: datetime,
) -> None:
    """Tell the board and the officers that the board approved the version."""
    if postbox is None:
        return
    for person in [*active_people(session, "board"), *active_people(session, "officer")]:
        page = "approval" if person.role == "officer" else "response"
        post(
            session,
            postbox,
            approved_letter(
                recipient(person),
                consultation_id=consultation.id,
                title=consultation.title,
                number=number,
                approved_on=approved_on,
                link=postbox.link(page, consultation=consultation.id),
            ),
            now=now,
            actor=actor,
        )
