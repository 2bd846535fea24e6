"""A consultation with a board, for the tests of review and approval: built in one place.

``build_board`` makes a closed consultation with three partners' answers and a draft in one
version; ``send`` sends a version to the board as the officer; ``build_in_review`` does both,
giving the consultation in review that the board's pages, journeys and emails start from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from consultations.consultation import move_consultation
from consultations.db import session_scope
from consultations.mail.config import Postbox
from consultations.models import User
from evidence.analysis import load_evidence
from exports.approval import send_for_review
from exports.drafts import assemble_draft
from tests.conftest import NOW, add_person, later
from tests.tagging_world import (
    ESOL,
    NRPF_BELFAST,
    SPOUSE_VISAS,
    TODAY,
    build_world,
    save,
    submit_all,
)

REVIEW_BY = TODAY + timedelta(days=14)


@dataclass(frozen=True)
class Board:
    world: object
    engine: object
    cid: int
    officer: int
    chair: int
    member: int
    other: int
    partners: list[int]


def build_board(engine) -> Board:
    """A closed consultation with three partners' answers (named, sector, anonymous), a draft
    in one version, an officer, a chair and two more board members."""
    world = build_world(engine)
    save(world, 0, 0, NRPF_BELFAST)
    save(world, 1, 0, SPOUSE_VISAS + " Partner organisation 2 sees this every week.")
    save(world, 2, 1, ESOL)
    submit_all(world)
    with session_scope(engine) as session:
        officer = session.get(User, world.officer)
        move_consultation(session, officer, world.consultation, "closed", now=NOW)
        chair = add_person(session, "board", is_chair=True, email="chair@example.org")
        chair.name = "Margaret Doherty"
        session.get(User, world.board).name = "David Kerr"
        other = add_person(session, "board", email="priya@example.org")
        other.name = "Priya Nair"
        evidence = load_evidence(
            session, officer, world.consultation, today=TODAY, partnership="SMP", region="NI"
        )
        assemble_draft(session, officer, evidence, world.consultation, now=later(hours=1))
    return Board(
        world,
        engine,
        world.consultation,
        world.officer,
        chair.id,
        world.board,
        other.id,
        world.partners,
    )


def send(
    b: Board,
    number: int = 1,
    *,
    review_by: date = REVIEW_BY,
    now: datetime | None = None,
    note: str = "",
    postbox: Postbox | None = None,
):
    """Send version ``number`` to the board as the officer, two hours after NOW unless ``now``;
    with a ``postbox`` the board's alerts are written to the outbox."""
    with session_scope(b.engine) as session:
        return send_for_review(
            session,
            session.get(User, b.officer),
            b.cid,
            number=number,
            review_by=review_by,
            today=TODAY,
            now=now or later(hours=2),
            note=note,
            postbox=postbox,
        )


def build_in_review(engine, *, note: str = "", postbox: Postbox | None = None) -> Board:
    """A consultation in review: ``build_board``'s, its version 1 sent to the board."""
    board = build_board(engine)
    send(board, note=note, postbox=postbox)
    return board
