"""Reminders to organisations that have not submitted: the officer's schedule (days before the
partner deadline), each round once however often the timer runs, and on demand; with the
people's addresses; through the real send command and SMTP server."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from consultations.dates import UK, uk_today
from consultations.db import read_scope, session_scope
from consultations.errors import ValidationFailed, WorkbenchError
from consultations.mail.letters import Kind
from consultations.models import Consultation, OutboxMessage, User
from evidence.models import ReminderRound
from evidence.reminders import (
    due_round,
    not_submitted,
    parse_days,
    queue_due_reminders,
    remind_now,
    reminder_days,
    reminder_rounds,
    set_reminder_days,
)
from tests.conftest import add_organisation, add_person
from tests.tagging_world import ESOL, build_world, save
from tests.test_mail_messages import POSTBOX, messages, submit_with
from tests.test_mail_sender import sender_process

DEADLINE = date(2026, 12, 18)


@pytest.mark.parametrize(
    ("text", "days"),
    [("14, 7, 2", [14, 7, 2]), ("2,14;7", [14, 7, 2]), ("", []), ("0", [0]), ("7, 7", [7])],
)
def test_a_schedule_is_read_as_days_before_the_deadline(text, days):
    assert parse_days(text) == days


def test_a_schedule_that_is_not_days_is_refused_with_every_problem():
    with pytest.raises(ValidationFailed) as refused:
        parse_days("14, a week, 120")
    assert str(refused.value) == (
        "The reminder schedule has 2 problems: 'a week' is not a whole number of days; 120 is "
        "not between 0 (the deadline day) and 90. Nothing was saved."
    )


@pytest.mark.parametrize(
    ("today", "done", "due"),
    [
        (DEADLINE - timedelta(days=15), set(), None),
        (DEADLINE - timedelta(days=14), set(), 14),
        (DEADLINE - timedelta(days=13), set(), 14),  # the timer missed its day: the day after
        (DEADLINE - timedelta(days=12), set(), None),  # later than that: left out
        (DEADLINE - timedelta(days=14), {14}, None),
        (DEADLINE - timedelta(days=7), {14}, 7),
        (DEADLINE - timedelta(days=2), {14, 7}, 2),
        (DEADLINE, {14, 7, 2}, None),
        (DEADLINE + timedelta(days=1), set(), None),
    ],
)
def test_the_round_due_today_follows_the_schedule(today, done, due):
    assert due_round((14, 7, 2), deadline=DEADLINE, today=today, done=done) == due


def test_when_two_rounds_are_due_the_nearer_the_deadline_goes():
    assert due_round((3, 2), deadline=DEADLINE, today=DEADLINE - timedelta(days=2), done=set()) == 2


def uk_at(day: date, hour: int) -> datetime:
    """A moment on a UK day, stored as the app stores times (UTC without tzinfo)."""
    moment = datetime.combine(day, time(hour, 0), tzinfo=UK)
    return moment.astimezone(UTC).replace(tzinfo=None)


def world_with_schedule(engine, days=(14, 7, 2)):
    world = build_world(engine)
    with session_scope(engine) as session:
        officer = session.get(User, world.officer)
        set_reminder_days(session, officer, world.consultation, days, now=uk_at(DEADLINE, 1))
        session.get(Consultation, world.consultation).partner_deadline = DEADLINE
        second = session.get(User, world.partners[1]).organisation
        add_person(session, "partner", email="second@partner2.org", organisation=second)
        add_organisation(session, "No Accounts Yet Forum", "faith")
    save(world, 0, 0, ESOL)
    submit_with(world, 0, "named", postbox=None)
    return world


def queue(engine, moment: datetime) -> list[str]:
    with session_scope(engine) as session:
        return queue_due_reminders(session, POSTBOX, now=moment, hour=9)


def test_a_scheduled_round_reminds_the_partners_of_each_organisation_that_has_not_submitted(
    engine,
):
    world = world_with_schedule(engine)
    lines = queue(engine, uk_at(DEADLINE - timedelta(days=7), 9))
    assert lines == [
        "Reminded 3 people at 2 organisations about 'Family migration: a consultation' "
        "(7 days before Friday 18 December 2026)."
    ]
    reminders = messages(engine, Kind.REMINDER)
    with read_scope(engine) as session:
        expected = {
            session.get(User, world.partners[1]).email,
            session.get(User, world.partners[2]).email,
            "second@partner2.org",
        }
    assert {m.to_address for m in reminders} == expected
    assert reminders[0].subject == (
        "Reminder: Family migration: a consultation, partner deadline Friday 18 December 2026"
    )
    assert "Partner deadline: Friday 18 December 2026, 7 days left" in reminders[0].text_body
    assert "not started, 0 of 3 questions answered" in reminders[0].text_body


def test_a_scheduled_round_goes_once_however_often_the_timer_runs(engine):
    world_with_schedule(engine)
    day = DEADLINE - timedelta(days=7)
    assert queue(engine, uk_at(day, 8)) == []  # before the hour reminders go out
    assert len(queue(engine, uk_at(day, 9))) == 1
    assert queue(engine, uk_at(day, 9) + timedelta(minutes=5)) == []
    assert queue(engine, uk_at(day + timedelta(days=1), 9)) == []
    assert len(messages(engine, Kind.REMINDER)) == 3
    assert len(queue(engine, uk_at(DEADLINE - timedelta(days=2), 10))) == 1
    assert len(messages(engine, Kind.REMINDER)) == 6


def test_no_reminder_goes_for_a_consultation_that_is_not_open(engine):
    world = world_with_schedule(engine)
    with session_scope(engine) as session:
        session.get(Consultation, world.consultation).status = "closed"
    assert queue(engine, uk_at(DEADLINE - timedelta(days=7), 9)) == []


def test_rounds_taken_at_once_by_two_timers_go_once(engine):
    from tests.conftest import run_at_once

    world_with_schedule(engine)
    moment = uk_at(DEADLINE - timedelta(days=7), 9)
    results, failures = run_at_once([lambda: queue(engine, moment) for _ in range(3)])
    assert failures == []
    assert sum(len(lines) for lines in results) == 1
    with read_scope(engine) as session:
        assert len(session.scalars(select(ReminderRound)).all()) == 1


def test_the_officer_can_remind_everyone_who_has_not_submitted_now(engine):
    world = world_with_schedule(engine, days=())
    with session_scope(engine) as session:
        officer = session.get(User, world.officer)
        sent = remind_now(session, officer, POSTBOX, world.consultation, now=uk_at(DEADLINE, 1))
        assert (sent.organisations, sent.people, sent.days_before) == (2, 3, None)
    with read_scope(engine) as session:
        [shown] = reminder_rounds(session, session.get(User, world.officer), world.consultation)
        assert (shown.people, shown.by) == (3, "Test Officer")
        assert reminder_days(session, world.consultation) == ()
    assert len(messages(engine, Kind.REMINDER)) == 3


def test_reminding_without_email_says_to_copy_the_addresses(engine):
    world = world_with_schedule(engine, days=())
    with (
        pytest.raises(WorkbenchError, match="Copy the addresses below"),
        session_scope(engine) as session,
    ):
        remind_now(session, session.get(User, world.officer), None, world.consultation, now=None)


def test_a_partner_cannot_set_a_reminder_schedule(engine):
    world = build_world(engine)
    with (
        pytest.raises(WorkbenchError, match="Only policy officers"),
        session_scope(engine) as session,
    ):
        set_reminder_days(
            session, session.get(User, world.partners[0]), world.consultation, [7], now=None
        )


def test_the_list_of_who_has_not_submitted_has_their_addresses(engine):
    world = world_with_schedule(engine)
    with read_scope(engine) as session:
        waiting = not_submitted(session, world.consultation)
        second = session.get(User, world.partners[1])
    assert [w.organisation for w in waiting] == [
        "No Accounts Yet Forum",
        "Partner organisation 2",
        "Partner organisation 3",
    ]
    assert waiting[0].people == ()
    assert {p.address for p in waiting[1].people} == {second.email, "second@partner2.org"}


def test_the_send_command_queues_the_days_reminder_and_sends_it_once(
    engine, database_url, smtp_server, tmp_path
):
    world = build_world(engine)
    deadline = uk_today() + timedelta(days=5)
    with session_scope(engine) as session:
        session.get(Consultation, world.consultation).partner_deadline = deadline
        set_reminder_days(
            session, session.get(User, world.officer), world.consultation, [5], now=None
        )
        partners = sorted(session.get(User, p).email for p in world.partners)
    smtp_server.settings = _with_hour(smtp_server.settings)
    for _ in range(2):
        child = sender_process(database_url, smtp_server, tmp_path)
        _out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
    assert sorted(r.to for r in smtp_server.catcher.wait_for(3)) == partners
    with read_scope(engine) as session:
        assert len(session.scalars(select(OutboxMessage)).all()) == 3


def _with_hour(settings):
    def with_hour(**more):
        return settings(WORKBENCH_REMINDER_HOUR="0", **more)

    return with_hour


def test_reminding_after_the_partner_deadline_is_refused_with_what_to_do(engine):
    world = world_with_schedule(engine, days=())
    with (
        pytest.raises(WorkbenchError, match="has passed, so partners can no longer submit"),
        session_scope(engine) as session,
    ):
        remind_now(
            session,
            session.get(User, world.officer),
            POSTBOX,
            world.consultation,
            now=uk_at(DEADLINE + timedelta(days=1), 9),
        )
    assert messages(engine, Kind.REMINDER) == []
