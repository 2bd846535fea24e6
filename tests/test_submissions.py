"""Partners' submissions: saving, the refusal of a stale save, submitting, history, deadline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from consultations.consultation import move_consultation
from consultations.dates import plain_date
from consultations.db import read_scope, session_scope
from consultations.errors import AccessDenied, StaleEdit, ValidationFailed, WorkbenchError
from consultations.models import AuditEvent
from evidence.models import Answer, Submission
from evidence.submissions import (
    AnswerInput,
    DeadlinePassed,
    open_submission,
    save_answer,
    status_phrase,
    submit,
)
from evidence.tracker import reminder_list, sector_coverage, tracker_rows
from tests.conftest import (
    NOW,
    PARTNER_DEADLINE,
    TODAY,
    add_consultation,
    add_organisation,
    add_person,
)


@pytest.fixture
def world(engine):
    """An open consultation (partner deadline in 17 days), two organisations, their partners."""
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        council = add_organisation(session, "Belfast Metropolitan Council", "local authority")
        trust = add_organisation(session, "Eastern Health and Care Trust", "health")
        consultation = add_consultation(session, officer, questions=3)
        move_consultation(session, officer, consultation.id, "open", now=NOW)
        people = {
            "officer": officer,
            "council": add_person(session, "partner", organisation=council),
            "council2": add_person(session, "partner", organisation=council),
            "trust": add_person(session, "partner", organisation=trust),
            "board": add_person(session, "board"),
        }
        questions = [q.id for q in consultation.questions]
    return {
        "engine": engine,
        "cid": consultation.id,
        "q": questions,
        **people,
        "council_org": council.id,
        "trust_org": trust.id,
    }


def save(world, who, question=0, *, seen=0, today=TODAY, **fields):
    with session_scope(world["engine"]) as session:
        actor = session.get(type(world[who]), world[who].id)
        answer = AnswerInput(question_id=world["q"][question], **fields)
        organisation = world["council_org"] if who == "officer" else None
        return save_answer(
            session,
            actor,
            world["cid"],
            answer,
            seen_version=seen,
            organisation_id=organisation,
            today=today,
            now=NOW,
        )


def submit_as(world, who, consent="named", today=TODAY):
    with session_scope(world["engine"]) as session:
        actor = session.get(type(world[who]), world[who].id)
        organisation = world["council_org"] if who == "officer" else None
        return submit(
            session,
            actor,
            world["cid"],
            consent=consent,
            today=today,
            now=NOW,
            organisation_id=organisation,
        )


def test_partner_saves_an_answer_and_it_is_there_after_a_new_login(world):
    save(world, "council", position="Disagree", text="The threshold is too high for Belfast.")
    with read_scope(world["engine"]) as session:
        partner = session.get(type(world["council"]), world["council"].id)
        submission = open_submission(session, partner, world["cid"])
        assert [(a.position, a.text) for a in submission.answers] == [
            ("Disagree", "The threshold is too high for Belfast.")
        ]


def test_two_people_of_one_organisation_share_one_submission(world):
    save(world, "council", 0, text="First question.")
    save(world, "council2", 1, text="Second question.")
    with read_scope(world["engine"]) as session:
        assert session.scalars(select(Submission)).all().__len__() == 1
        assert len(session.scalars(select(Answer)).all()) == 2


def test_a_second_save_of_the_same_answer_is_refused_and_shows_the_other_text(world):
    save(world, "council", text="Written by the first person.")
    with pytest.raises(StaleEdit, match="saved an answer to Q1 while you were writing") as info:
        save(world, "council2", seen=0, text="Written by the second person.")
    assert info.value.current["comment"] == "Written by the first person."
    with read_scope(world["engine"]) as session:
        assert session.scalar(select(Answer.text)) == "Written by the first person."


def test_saving_with_the_version_seen_succeeds(world):
    first = save(world, "council", text="Draft one.")
    second = save(world, "council2", seen=first.version, text="Draft two.")
    assert second.version == first.version + 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"position": "agreee"}, "'agreee' is not one of the answers to Q1"),
        ({"text": "x" * 10_001}, "the comment on Q1 has 10,001 characters; the most is 10,000"),
        ({"evidence_note": "y" * 2_001}, "evidence note on Q1 is longer than 2,000"),
    ],
)
def test_an_answer_that_breaks_a_rule_is_refused_with_the_rule(world, fields, message):
    with pytest.raises(ValidationFailed, match=message):
        save(world, "council", **fields)


def test_text_with_markup_is_kept_exactly_as_written(world):
    text = "<script>alert(1)</script> **bold** [link](http://x) =SUM(A1)"
    save(world, "council", text=text)
    with read_scope(world["engine"]) as session:
        assert session.scalar(select(Answer.text)) == text


def test_partner_cannot_open_another_organisations_submission(world):
    save(world, "trust", text="Health trust's answer.")
    with read_scope(world["engine"]) as session:
        partner = session.get(type(world["council"]), world["council"].id)
        with pytest.raises(AccessDenied, match="only see and change your own organisation"):
            open_submission(session, partner, world["cid"], organisation_id=world["trust_org"])


def test_board_members_cannot_open_submissions(world):
    with read_scope(world["engine"]) as session:
        board = session.get(type(world["board"]), world["board"].id)
        with pytest.raises(AccessDenied, match="Only policy officers and partners can do this"):
            open_submission(session, board, world["cid"], organisation_id=world["trust_org"])


def test_submitting_needs_a_consent_and_at_least_one_answer(world):
    with pytest.raises(WorkbenchError, match="Answer at least one question"):
        submit_as(world, "council")
    save(world, "council", text="An answer.")
    with pytest.raises(ValidationFailed, match="choose how the partnership may quote you"):
        submit_as(world, "council", consent="")


def test_every_submitted_state_is_kept_as_history(world):
    first = save(world, "council", position="Agree", text="First thoughts.")
    submit_as(world, "council", consent="named")
    save(world, "council2", seen=first.version, position="Disagree", text="Second thoughts.")
    with read_scope(world["engine"]) as session:
        submission = session.scalar(select(Submission))
        assert status_phrase(submission).startswith("changed since it was submitted")
    submit_as(world, "council2", consent="sector")
    with read_scope(world["engine"]) as session:
        submission = session.scalar(select(Submission))
        snapshots = [(s.number, s.consent, s.answers[0]["text"]) for s in submission.snapshots]
        assert snapshots == [(1, "named", "First thoughts."), (2, "sector", "Second thoughts.")]
        assert submission.status == "submitted"
        assert status_phrase(submission).startswith(f"submitted on {plain_date(TODAY)} by")


def test_after_the_deadline_a_partner_is_told_and_the_draft_is_kept(world):
    save(world, "council", text="Saved in time.")
    late = PARTNER_DEADLINE + timedelta(days=1)
    passed = f"The partner deadline was {plain_date(PARTNER_DEADLINE)}"
    with pytest.raises(DeadlinePassed, match=passed):
        save(world, "council", seen=1, text="Too late.", today=late)
    with pytest.raises(DeadlinePassed, match="write to your partnership's policy officer"):
        submit_as(world, "council", today=late)
    with read_scope(world["engine"]) as session:
        assert session.scalar(select(Answer.text)) == "Saved in time."


def test_the_deadline_day_itself_still_counts(world):
    save(world, "council", text="On the day.", today=PARTNER_DEADLINE)


def test_officer_enters_answers_on_a_partners_behalf_marked_as_such(world):
    save(world, "officer", text="From the email the council sent.")
    snapshot = submit_as(world, "officer")
    assert snapshot.entered_by_officer
    with read_scope(world["engine"]) as session:
        answer = session.scalar(select(Answer))
        assert answer.entered_by_officer
        assert "(entered by the officer)" in status_phrase(session.scalar(select(Submission)))
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "answer.saved"))
        assert event.detail["on_behalf"] is True


def test_tracker_lists_who_has_not_responded_and_coverage_by_sector(world):
    save(world, "council", text="An answer.")
    submit_as(world, "council")
    with read_scope(world["engine"]) as session:
        officer = session.get(type(world["officer"]), world["officer"].id)
        rows = tracker_rows(session, officer, world["cid"])
    assert [(r.organisation, r.submitted, r.answered) for r in rows] == [
        ("Eastern Health and Care Trust", False, 0),
        ("Belfast Metropolitan Council", True, 1),
    ]
    coverage = {c.sector: (c.organisations, c.submitted) for c in sector_coverage(rows)}
    assert coverage == {"local authority": (1, 1), "health": (1, 0)}
    reminders = reminder_list(rows)
    assert reminders.startswith("Eastern Health and Care Trust (not started): Test Partner <")
    assert "Belfast" not in reminders


def test_partners_cannot_see_the_tracker(world):
    with read_scope(world["engine"]) as session:
        partner = session.get(type(world["council"]), world["council"].id)
        with pytest.raises(AccessDenied):
            tracker_rows(session, partner, world["cid"])


def test_deadline_passing_is_a_day_boundary():
    from consultations.models import Consultation
    from evidence.submissions import deadline_passed

    consultation = Consultation(partner_deadline=date(2026, 12, 11))
    assert not deadline_passed(consultation, date(2026, 12, 11))
    assert deadline_passed(consultation, date(2026, 12, 11) + timedelta(days=1))
