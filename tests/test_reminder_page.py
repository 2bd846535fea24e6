"""The Responses page's reminders: who has not submitted with their addresses; "Remind the N who
have not submitted" asks first, then emails each person (arriving in a real SMTP server); the
schedule is saved or refused with the reason."""

from __future__ import annotations

from sqlalchemy import select

from consultations.db import read_scope
from consultations.models import OutboxMessage, User
from evidence.reminders import reminder_days
from tests.tagging_world import ESOL, build_world, save
from tests.test_mail_messages import submit_with

PAGE = "evidence/pages/tracker.py"


def officer_on_the_page(open_page, engine, world):
    with read_scope(engine) as session:
        officer = session.get(User, world.officer)
    return open_page(PAGE, as_user=officer, query={"consultation": str(world.consultation)})


def answered_world(engine):
    world = build_world(engine)
    save(world, 0, 0, ESOL)
    submit_with(world, 0, "named", postbox=None)
    return world


def test_the_list_of_who_has_not_submitted_shows_their_addresses(open_page, engine):
    world = answered_world(engine)
    page = officer_on_the_page(open_page, engine, world)
    assert not page.exception
    with read_scope(engine) as session:
        second, third = (session.get(User, p).email for p in world.partners[1:])
    table = page.dataframe[-1].value
    assert list(table["Organisation"]) == ["Partner organisation 2", "Partner organisation 3"]
    assert second in table["People to remind"][0]
    assert page.code[-1].value == f"{second}, {third}"
    # Email is off: no button to remind from the workbench.
    assert not [b for b in page.button if b.label.startswith("Remind the")]


def test_reminding_asks_first_then_emails_each_person_once(open_page, engine, mail_env):
    smtp_server = mail_env
    world = answered_world(engine)
    page = officer_on_the_page(open_page, engine, world)
    [remind] = [b for b in page.button if b.label == "Remind the 2 who have not submitted"]
    remind.click().run()
    assert "This emails 2 people at 2 organisations now." in page.warning[0].value
    with read_scope(engine) as session:
        assert session.scalars(select(OutboxMessage)).all() == []
    [yes] = [b for b in page.button if b.label == "Yes, send the reminders"]
    yes.click().run()
    assert not page.exception
    arrived = smtp_server.catcher.wait_for(2)
    with read_scope(engine) as session:
        expected = sorted(session.get(User, p).email for p in world.partners[1:])
    assert sorted(r.to for r in arrived) == expected
    assert arrived[0].subject.startswith("Reminder: Family migration: a consultation")
    assert any("Reminders are on their way to 2 people." in s.value for s in page.success)


def test_the_schedule_is_saved_and_a_wrong_one_is_refused_with_the_reason(open_page, engine):
    world = answered_world(engine)
    page = officer_on_the_page(open_page, engine, world)
    page.text_input[0].input("14, 7, 2")
    [save_button] = [b for b in page.button if b.label == "Save the schedule"]
    save_button.click().run()
    with read_scope(engine) as session:
        assert reminder_days(session, world.consultation) == (14, 7, 2)
    page.text_input[0].input("a fortnight")
    [save_button] = [b for b in page.button if b.label == "Save the schedule"]
    save_button.click().run()
    assert "'a fortnight' is not a whole number of days" in page.error[0].value
    with read_scope(engine) as session:
        assert reminder_days(session, world.consultation) == (14, 7, 2)


def test_everyone_submitted_says_so(open_page, engine):
    world = build_world(engine, organisations=1)
    save(world, 0, 0, ESOL)
    submit_with(world, 0, "named", postbox=None)
    page = officer_on_the_page(open_page, engine, world)
    assert any(s.value == "Every organisation has submitted." for s in page.success)
