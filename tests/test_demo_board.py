"""The board's demo: one response with the board (a comment, one approval), one approved and
sent; the partners' open consultation left open."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from consultations.db import make_engine, read_scope
from consultations.models import Consultation, User
from exports.approved import approved_document
from exports.demo import build_demo
from exports.demo_board import CHAIR
from exports.review_overview import awaiting_review, review_overview

TODAY = date(2026, 11, 24)


@pytest.fixture
def demo(database_url, monkeypatch):
    monkeypatch.delenv("WORKBENCH_APPROVAL_RULE", raising=False)
    engine = make_engine(database_url)
    build_demo(engine, today=TODAY)  # the whole demo, the board's part included
    with read_scope(engine) as session:
        ids = tuple(
            session.scalar(select(Consultation.id).where(Consultation.title == title))
            for title in (
                "Asylum support: rates and payments",
                "English language requirements for settlement",
            )
        )
    yield engine, ids
    engine.dispose()


def test_the_demo_has_a_response_in_review_and_one_approved_and_sent(demo):
    engine, (in_review, sent) = demo
    with read_scope(engine) as session:
        officer = session.scalar(select(User).where(User.role == "officer"))
        chair = session.scalar(select(User).where(User.email == CHAIR))
        statuses = dict(session.execute(select(Consultation.title, Consultation.status)).all())
        reviewing = review_overview(session, officer, in_review)
        done = review_overview(session, officer, sent)
        waiting = awaiting_review(session, chair)
        partner = session.scalar(select(User).where(User.email == "ruth.kennedy@ssani.example.org"))
        document = approved_document(session, partner, sent)

    assert statuses["Family migration: a consultation"] == "open"
    assert statuses["Asylum support: rates and payments"] == "in_review"
    assert statuses["English language requirements for settlement"] == "sent"
    assert reviewing.in_review == 2 and len(reviewing.comments) == 1
    assert [d.decision for d in reviewing.decisions if d.current and d.number == 2] == ["approve"]
    assert not reviewing.verdict.holds
    assert [(w.consultation_id, w.number, w.your_decision) for w in waiting] == [(in_review, 2, "")]
    assert (done.approved, done.sent_method) == (1, "Email to the department")
    assert document.sha256 == done.sha256


def test_nothing_in_the_demo_happens_after_its_last_made_up_morning(demo):
    # demo_today relies on this: the demo's history ends by 10:00 on its "today", so built on a
    # morning before then it is dated the day before, and no time shown is later than now.
    from datetime import datetime, timedelta

    from sqlalchemy import DateTime, MetaData, func

    from consultations.db import utcnow
    from consultations.demo import LAST_MADE_UP

    # Rows stamped by the real clock as the fixture built them (organisations, people) are not
    # made up: they are the time of building, which is never later than now.
    building = utcnow() - timedelta(minutes=10)

    engine, _ = demo
    metadata = MetaData()
    metadata.reflect(engine)
    latest = {}
    with engine.connect() as connection:
        for table in metadata.tables.values():
            for column in table.columns:
                future_by_nature = "expires" in column.name or "until" in column.name
                if isinstance(column.type, DateTime) and not future_by_nature:
                    value = connection.scalar(select(func.max(column)).where(column < building))
                    if value is not None:
                        latest[f"{table.name}.{column.name}"] = value
    assert latest  # the demo has made-up times at all
    limit = datetime.combine(TODAY, LAST_MADE_UP)
    assert {name: at for name, at in latest.items() if at > limit} == {}
