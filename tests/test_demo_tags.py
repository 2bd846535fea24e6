"""The demo's tags: every answer tagged, about a third reviewed by the demo officer."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from consultations import demo as base
from consultations.db import make_engine, read_scope, session_scope
from consultations.demo import DEMO_OFFICER_EMAIL
from consultations.models import Consultation, User
from evidence.demo import add_demo_answers, build_demo
from evidence.demo_tags import tag_demo
from evidence.models import AnswerEvidence, TagDecision, TagSuggestion
from evidence.review_queue import QueueFilter, review_counts, review_queue

TODAY = date(2026, 11, 24)


@pytest.fixture
def demo(database_url: str):
    """The demo's answers before tagging, then tagged: the engine and what tagging did."""
    engine = make_engine(database_url)
    base.build_demo(engine, today=TODAY)
    with session_scope(engine) as session:
        add_demo_answers(session, today=TODAY)
    yield engine, tag_demo(engine, today=TODAY)
    engine.dispose()


def test_the_demo_command_builds_the_demo_tagged(database_url: str):
    engine = make_engine(database_url)
    build_demo(engine, today=TODAY)
    with read_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(TagDecision)) > 20
    engine.dispose()


def test_the_demo_arrives_tagged_with_about_a_third_reviewed(demo):
    engine, summary = demo
    assert summary.answers > 30
    assert summary.answers / 4 < summary.reviewed < summary.answers / 2
    assert summary.accepted > summary.rejected >= 1
    assert 1 <= summary.added <= 2
    with read_scope(engine) as session:
        officer = session.scalar(select(User).where(User.email == DEMO_OFFICER_EMAIL))
        consultation = session.scalar(select(Consultation).where(Consultation.status == "open"))
        counts = review_counts(session, officer, consultation.id)
        waiting = review_queue(session, officer, consultation.id, QueueFilter())
        tagged = session.scalar(select(func.count()).select_from(AnswerEvidence))
        suggestions = session.scalar(select(func.count()).select_from(TagSuggestion))
        deciders = set(session.scalars(select(TagDecision.decided_by_id)))
        origins = set(session.scalars(select(TagDecision.origin)))
    assert tagged == summary.answers
    assert suggestions > summary.answers
    assert (counts.reviewed, counts.waiting) == (
        summary.reviewed,
        summary.answers - summary.reviewed,
    )
    assert waiting.total == counts.waiting
    assert deciders == {officer.id}
    # the officer's decisions on the rules' suggestions, themes added by hand, and perhaps on
    # the default learned model's suggestions ("model")
    assert {"rules", "hand"} <= origins <= {"rules", "hand", "model"}


def test_tagging_the_demo_again_adds_no_decisions(demo):
    engine, _ = demo
    with read_scope(engine) as session:
        before = session.scalar(select(func.count()).select_from(TagDecision))
    again = tag_demo(engine, today=TODAY)
    with read_scope(engine) as session:
        after = session.scalar(select(func.count()).select_from(TagDecision))
    assert after == before
    assert (again.accepted, again.rejected, again.added) == (0, 0, 0)
