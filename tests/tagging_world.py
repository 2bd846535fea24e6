"""Small builders for the tagging and review tests: an open consultation, its people, answers.

They double as demo-like data: the comments are the kind partners write, and each one raises
the themes its name says under the default taxonomy.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from consultations.consultation import move_consultation
from consultations.db import session_scope
from consultations.models import User
from evidence.models import Answer, Theme
from evidence.submissions import AnswerInput, save_answer, submit
from tests.conftest import NOW, TODAY, add_consultation, add_organisation, add_person

# comment -> the themes the default taxonomy suggests for it
NRPF_BELFAST = (
    "Families with NRPF in Belfast are left destitute; 40% of our caseload. "
    "Asylum support rates are too low."
)
SPOUSE_VISAS = "The income threshold for spouse visas keeps families apart."
ESOL = "ESOL classes are oversubscribed and there are not enough school places."
NOTHING = "We have nothing to add."
HOTELS = "Asylum seekers in hotels wait for a decision on their asylum claim."
CHILDREN = (
    "Unaccompanied children need a proper age assessment and the National Transfer Scheme "
    "must work."
)


@dataclass(frozen=True)
class World:
    """Ids of an open consultation with three questions, an officer, partners and a board."""

    engine: Engine
    consultation: int
    questions: list[int]
    officer: int
    partners: list[int]
    organisations: list[int]
    board: int


def build_world(
    engine: Engine, *, organisations: int = 3, prefix: str = "Partner organisation"
) -> World:
    """Add an open consultation (three questions), an officer, a partner per organisation, a
    board member."""
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        consultation = add_consultation(session, officer, questions=3)
        move_consultation(session, officer, consultation.id, "open", now=NOW)
        orgs = [
            add_organisation(session, f"{prefix} {n}", "voluntary and community", "")
            for n in range(1, organisations + 1)
        ]
        partners = [add_person(session, "partner", organisation=org) for org in orgs]
        board = add_person(session, "board")
        return World(
            engine=engine,
            consultation=consultation.id,
            questions=[q.id for q in consultation.questions],
            officer=officer.id,
            partners=[p.id for p in partners],
            organisations=[o.id for o in orgs],
            board=board.id,
        )


def save(world: World, partner: int, question: int, text: str, *, seen: int = 0) -> Answer:
    """Save a partner's comment on a question (indexes into the world's lists)."""
    with session_scope(world.engine) as session:
        return save_answer(
            session,
            session.get(User, world.partners[partner]),
            world.consultation,
            AnswerInput(question_id=world.questions[question], text=text),
            seen_version=seen,
            today=TODAY,
            now=NOW,
        )


def submit_all(world: World, consents: tuple[str, ...] = ("named", "sector", "anonymous")) -> None:
    """The first partners submit their answers in turn, each with its consent."""
    for partner, consent in zip(world.partners, consents, strict=False):
        with session_scope(world.engine) as session:
            submit(
                session,
                session.get(User, partner),
                world.consultation,
                consent=consent,
                today=TODAY,
                now=NOW,
            )


def theme_id(session: Session, world: World, key: str) -> int:
    """Return the id of the consultation's theme with this key."""
    return session.scalar(
        select(Theme.id).where(Theme.consultation_id == world.consultation, Theme.key == key)
    )


def person(session: Session, user_id: int) -> User:
    """Return the person's row in this session."""
    return session.get(User, user_id)
