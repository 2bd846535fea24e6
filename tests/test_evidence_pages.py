"""The partner's and the officer's submission pages, driven through AppTest on a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from consultations.consultation import move_consultation
from consultations.dates import uk_today
from consultations.db import read_scope, session_scope
from consultations.models import AuditEvent, Consultation
from evidence.models import Answer, Submission, SubmissionSnapshot
from tests.conftest import NOW, add_consultation, add_organisation, add_person
from tests.test_pages import texts

ANSWER = "evidence/pages/answer.py"


@pytest.fixture
def world(engine):
    return make_world(engine)


def make_world(engine):
    """An open consultation with a deadline in ten days, two organisations and their people."""
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        council = add_organisation(session, "Belfast Metropolitan Council", "local authority")
        trust = add_organisation(session, "Eastern Health and Care Trust", "health")
        consultation = add_consultation(
            session,
            officer,
            questions=3,
            partner_deadline=uk_today() + timedelta(days=10),
            closes_on=uk_today() + timedelta(days=20),
        )
        move_consultation(session, officer, consultation.id, "open", now=NOW)
    return {
        "cid": str(consultation.id),
        "officer": officer,
        "council": council,
        "trust": trust,
        "engine": engine,
    }


def partner(world, organisation="council"):
    with session_scope(world["engine"]) as session:
        return add_person(session, "partner", organisation=world[organisation])


def button(app, label):
    return next(b for b in app.button if b.label == label)


def test_partner_home_shows_deadline_progress_and_status(open_page, world):
    app = open_page(as_user=partner(world))
    assert not app.exception
    page = texts(app)
    assert "Your consultations" in page
    assert "10 days left" in page
    assert "0 of 3 questions answered" in page
    assert "not started" in page


def test_partner_answers_a_question_and_saves_it(open_page, world):
    app = open_page(ANSWER, as_user=partner(world), query={"consultation": world["cid"]})
    assert not app.exception
    app.radio[0].set_value("Disagree")
    app.text_area[0].input("We disagree: <b>wages</b> in Northern Ireland are lower.")
    button(app, "Save").click().run()
    assert not app.exception
    assert "1 of 3 questions answered" in texts(app)
    with read_scope(world["engine"]) as session:
        answer = session.scalar(select(Answer))
        assert (answer.position, answer.text) == (
            "Disagree",
            "We disagree: <b>wages</b> in Northern Ireland are lower.",
        )
    assert all("<b>" not in m.value for m in app.markdown)


def test_moving_to_another_question_saves_the_one_left(open_page, world):
    app = open_page(ANSWER, as_user=partner(world), query={"consultation": world["cid"]})
    app.text_area[0].input("Typed, then moved on without pressing Save.")
    with read_scope(world["engine"]) as session:
        second = session.get(Consultation, int(world["cid"])).questions[1].id
    app.selectbox[0].set_value(second).run()
    assert not app.exception
    with read_scope(world["engine"]) as session:
        assert session.scalar(select(Answer.text)) == "Typed, then moved on without pressing Save."


def test_a_second_persons_stale_save_is_refused_and_shows_the_first_text(open_page, world):
    first = open_page(ANSWER, as_user=partner(world), query={"consultation": world["cid"]})
    second = open_page(ANSWER, as_user=partner(world), query={"consultation": world["cid"]})
    first.text_area[0].input("The first person's answer.")
    button(first, "Save").click().run()
    second.text_area[0].input("The second person's answer.")
    button(second, "Save").click().run()
    assert "while you were writing, so yours was not saved" in texts(second)
    assert "Comment: The first person's answer." in texts(second)
    with read_scope(world["engine"]) as session:
        assert session.scalar(select(Answer.text)) == "The first person's answer."


def test_a_failed_save_then_picking_another_question_keeps_the_text_and_the_question(
    open_page, world
):
    first = open_page(ANSWER, as_user=partner(world), query={"consultation": world["cid"]})
    second = open_page(ANSWER, as_user=partner(world), query={"consultation": world["cid"]})
    first.text_area[0].input("The first person's answer.")
    button(first, "Save").click().run()
    with read_scope(world["engine"]) as session:
        questions = [q.id for q in session.get(Consultation, int(world["cid"])).questions]
    second.text_area[0].input("The second person's answer.")
    second.selectbox[0].set_value(questions[1]).run()
    assert not second.exception
    assert "while you were writing, so yours was not saved" in texts(second)
    assert second.selectbox[0].value == questions[0]
    assert second.text_area[0].value == "The second person's answer."
    # Still there on the next run, and saved on purpose once the person has seen the other text.
    button(second, "Save").click().run()
    with read_scope(world["engine"]) as session:
        assert session.scalar(select(Answer.text)) == "The second person's answer."


def test_partner_submits_with_a_consent_and_sees_it_in_the_history(open_page, world):
    app = open_page(ANSWER, as_user=partner(world), query={"consultation": world["cid"]})
    app.text_area[0].input("Our answer.")
    button(app, "Save").click().run()
    consent = next(r for r in app.radio if r.label.startswith("How may the partnership"))
    consent.set_value("sector")
    app.checkbox[0].check()
    app.run()
    button(app, "Submit our response").click().run()
    assert not app.exception
    assert "Submitted. Thank you" in texts(app)
    assert "submitted on" in texts(app)
    consent = next(r for r in app.radio if r.label.startswith("How may the partnership"))
    # The choice submitted stays shown; submitting again needs the box ticked again.
    assert consent.value == "sector" and not app.checkbox[0].value
    with read_scope(world["engine"]) as session:
        snapshot = session.scalar(select(SubmissionSnapshot))
        assert (snapshot.consent, snapshot.answers[0]["text"]) == ("sector", "Our answer.")


def test_after_the_deadline_the_form_is_read_only_and_says_whom_to_contact(open_page, world):
    with session_scope(world["engine"]) as session:
        consultation = session.get(Consultation, int(world["cid"]))
        consultation.partner_deadline = uk_today() - timedelta(days=1)
    app = open_page(ANSWER, as_user=partner(world), query={"consultation": world["cid"]})
    assert "answers can no longer be changed or submitted here" in texts(app)
    assert "policy officer" in texts(app)
    assert not [b for b in app.button if b.label in ("Save", "Submit our response")]
    assert app.text_area[0].disabled


def test_partner_asking_for_another_organisation_by_url_is_refused_and_audited(open_page, world):
    person = partner(world)
    app = open_page(
        ANSWER,
        as_user=person,
        query={"consultation": world["cid"], "organisation": str(world["trust"].id)},
    )
    assert "only see and change your own organisation's answers" in texts(app)
    assert not app.text_area
    with read_scope(world["engine"]) as session:
        refusal = session.scalar(select(AuditEvent).where(AuditEvent.action == "access.refused"))
        assert refusal.actor_id == person.id
        assert refusal.detail["organisation"] == world["trust"].id


def test_officer_enters_answers_on_a_partners_behalf(open_page, world):
    app = open_page(
        ANSWER,
        as_user=world["officer"],
        query={"consultation": world["cid"], "organisation": str(world["trust"].id)},
    )
    assert "on this organisation's behalf" in texts(app)
    app.text_area[0].input("From the trust's email of 20 November.")
    button(app, "Save").click().run()
    with read_scope(world["engine"]) as session:
        answer = session.scalar(select(Answer))
        assert answer.entered_by_officer
        assert session.scalar(select(Submission.organisation_id)) == world["trust"].id


def test_officer_tracker_shows_each_organisation_and_who_to_remind(open_page, world):
    app = open_page(
        "evidence/pages/tracker.py", as_user=world["officer"], query={"consultation": world["cid"]}
    )
    assert not app.exception
    assert "0 of 2" in [m.value for m in app.metric]
    # The reminder list is a table with where each organisation stands and whom to remind.
    waiting = app.dataframe[-1].value
    row = waiting[waiting["Organisation"] == "Belfast Metropolitan Council"].iloc[0]
    assert row["Where it stands"].startswith("not started")
