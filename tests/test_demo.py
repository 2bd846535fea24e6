"""The demo: a realistic partnership built afresh (never twice over) in its own database, whose
every account logs in with the demo password."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import Engine, func, select

from consultations.accounts import LoginPolicy, attempt_login
from consultations.dates import uk_today
from consultations.db import make_engine, read_scope, session_scope
from consultations.demo import (
    DEMO_OFFICER_EMAIL,
    DEMO_PASSWORD,
    DemoSummary,
    build_demo,
    demo_today,
)
from consultations.models import AuditEvent, Consultation, Meta, Organisation, Question, User
from tests.conftest import ROOT, operator_environ

TODAY = date(2026, 11, 24)
EXPECTED = DemoSummary(organisations=10, people=15, consultations=2, questions=13)


@pytest.fixture
def empty_engine(database_url: str):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def counts(engine: Engine) -> dict[str, int]:
    with read_scope(engine) as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model))
            for model in (Organisation, User, Consultation, Question, Meta, AuditEvent)
        }


def run_demo_command(
    environ: dict[str, str], module: str = "consultations.demo"
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", module],
        cwd=ROOT,
        env=operator_environ(**environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_demo_holds_a_whole_partnership_and_an_open_consultation(empty_engine):
    assert build_demo(empty_engine, today=TODAY) == EXPECTED
    with read_scope(empty_engine) as session:
        organisations = session.scalars(select(Organisation)).all()
        assert len(organisations) == 10
        assert len({o.sector for o in organisations}) >= 8
        people = session.scalars(select(User)).all()
        roles = Counter(p.role for p in people)
        assert roles["officer"] >= 1 and roles["partner"] >= 8 and roles["board"] >= 2
        assert [p.email for p in people if p.is_admin] == [DEMO_OFFICER_EMAIL]
        assert len([p for p in people if p.is_chair and p.role == "board"]) == 1
        assert all(p.organisation_id for p in people if p.role == "partner")
        assert not any(p.organisation_id for p in people if p.role != "partner")
        [opened] = session.scalars(select(Consultation).where(Consultation.status == "open"))
        assert [q.number for q in opened.questions] == [f"Q{n}" for n in range(1, 11)]
        assert opened.opens_on < TODAY < opened.partner_deadline < opened.closes_on
        assert opened.partner_deadline == TODAY + timedelta(days=10)
        assert session.get(Meta, "demo").value == "true"
        [built] = session.scalars(select(AuditEvent).where(AuditEvent.action == "demo.built"))
        assert built.consultation_id == opened.id


def test_building_the_demo_again_rebuilds_it_without_duplicates(empty_engine):
    build_demo(empty_engine, today=TODAY)
    first = counts(empty_engine)
    with session_scope(empty_engine) as session:
        session.add(Organisation(name="Left over from playing", sector="other"))
    assert build_demo(empty_engine, today=TODAY + timedelta(days=3)) == EXPECTED
    assert counts(empty_engine) == first
    with read_scope(empty_engine) as session:
        assert session.scalar(select(Organisation).where(Organisation.sector == "other")) is None
        deadline = session.scalar(
            select(Consultation.partner_deadline).where(Consultation.status == "open")
        )
    assert deadline == TODAY + timedelta(days=13)


def test_every_demo_account_logs_in_with_the_demo_password(empty_engine):
    build_demo(empty_engine, today=TODAY)
    with read_scope(empty_engine) as session:
        emails = session.scalars(select(User.email)).all()
    assert len(emails) == EXPECTED.people
    for email in emails:
        with session_scope(empty_engine) as session:
            user = attempt_login(
                session,
                email=email,
                password=DEMO_PASSWORD,
                now=datetime.combine(TODAY, time(9)),
                policy=LoginPolicy(),
            )
            assert user is not None and user.email == email


def test_the_demo_command_builds_the_demo_under_the_data_folder_and_leaves_the_real_one(tmp_path):
    data = tmp_path / "data"
    done = run_demo_command({"WORKBENCH_DATA_DIR": str(data)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        f"Demo database ready at sqlite:///{data / 'demo.db'}: 10 organisations, 15 people, "
        "2 consultations, 13 questions.\n"
    )
    assert DEMO_PASSWORD in done.stdout
    assert (data / "demo.db").is_file()
    assert not (data / "workbench.db").exists()


def test_the_demo_command_never_prints_a_database_password(database_url, tmp_path):
    done = run_demo_command(
        {"WORKBENCH_DATA_DIR": str(tmp_path / "data"), "WORKBENCH_DEMO_DATABASE_URL": database_url}
    )
    assert done.returncode == 0, done.stderr
    assert "Demo database ready at " in done.stdout
    assert ":workbench@" not in done.stdout
    engine = make_engine(database_url)
    try:
        assert counts(engine)["organisation"] == 10
    finally:
        engine.dispose()


def test_the_demo_is_built_around_todays_date_in_the_uk(empty_engine):
    # Near midnight in summer the UTC date is still yesterday; partners' deadlines are UK days.
    build_demo(empty_engine)
    with read_scope(empty_engine) as session:
        deadline = session.scalar(
            select(Consultation.partner_deadline).where(Consultation.status == "open")
        )
    assert deadline == demo_today() + timedelta(days=10)
    assert demo_today() in (uk_today(), uk_today() - timedelta(days=1))


def test_the_demos_made_up_history_is_all_in_the_past_whenever_it_is_built():
    for now, today in (
        (datetime(2026, 12, 7, 8, 29), date(2026, 12, 6)),  # before the day's made-up 09:45
        (datetime(2026, 12, 7, 10, 0), date(2026, 12, 7)),
        (datetime(2026, 7, 7, 23, 30), date(2026, 7, 7)),  # 00:30 on the 8th in the UK
    ):
        assert demo_today(now) == today
