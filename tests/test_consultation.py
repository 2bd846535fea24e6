"""Consultations: their details (every problem reported at once), their lifecycle (every move
in the map, and every move outside it), who sees which, and stale edits."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from consultations.consultation import (
    STATUS_LABELS,
    TRANSITIONS,
    Move,
    Record,
    Stage,
    consultation_problems,
    create_consultation,
    form_of,
    get_consultation,
    hand_moves,
    move_consultation,
    update_consultation,
    visible_consultations,
)
from consultations.db import read_scope, session_scope
from consultations.errors import (
    AccessDenied,
    LifecycleError,
    StaleEdit,
    ValidationFailed,
    WorkbenchError,
)
from consultations.models import AuditEvent, Consultation, User
from tests.conftest import (
    CLOSES_ON,
    NOW,
    TODAY,
    add_consultation,
    add_organisation,
    add_person,
    consultation_form,
    later,
)

STATUSES = ("draft", "open", "closed", "drafting", "in_review", "approved", "sent")
# The lifecycle as the design describes it, written out here so that a change is deliberate.
ALLOWED_MOVES = {
    ("draft", "open"),
    ("open", "closed"),
    ("open", "draft"),
    ("closed", "drafting"),
    ("closed", "open"),
    ("drafting", "in_review"),
    ("drafting", "closed"),
    ("in_review", "approved"),
    ("in_review", "drafting"),
    ("approved", "sent"),
    ("approved", "drafting"),
}
# The moves that belong to the board's workflow: the record each needs, and who may make it.
WORKFLOW_MOVES = {
    ("drafting", "in_review"): (Record.REVIEW_REQUEST, "draft.send"),
    ("in_review", "approved"): (Record.APPROVAL, "draft.review"),
    ("approved", "sent"): (Record.SENDING, "draft.send"),
    ("in_review", "drafting"): (Record.NEW_VERSION, "draft.edit"),
    ("approved", "drafting"): (Record.NEW_VERSION, "draft.edit"),
}
HAND_MOVES = ALLOWED_MOVES - set(WORKFLOW_MOVES)
EVERY_MOVE = list(itertools.product(STATUSES, STATUSES))


def status_events(engine: Engine, consultation_id: int) -> list[AuditEvent]:
    with read_scope(engine) as session:
        return list(
            session.scalars(
                select(AuditEvent)
                .where(
                    AuditEvent.consultation_id == consultation_id,
                    AuditEvent.action == "consultation.status",
                )
                .order_by(AuditEvent.id)
            )
        )


# --- the lifecycle -----------------------------------------------------------------------------


def test_the_lifecycle_map_is_the_one_the_design_agreed():
    assert set(TRANSITIONS) == set(STATUSES) == set(STATUS_LABELS) == set(Stage)
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == ALLOWED_MOVES


def test_every_move_names_who_may_make_it_and_the_boards_moves_need_their_workflows_record():
    for (current, requested), (record, action) in WORKFLOW_MOVES.items():
        move = TRANSITIONS[current][requested]
        assert (move.record, move.action) == (record, action)
    for current, requested in HAND_MOVES:
        assert TRANSITIONS[current][requested] == Move("consultation.move")
    assert {(a, b) for a in STATUSES for b in hand_moves(a)} == HAND_MOVES


@pytest.mark.parametrize(
    ("current", "requested"), EVERY_MOVE, ids=[f"{a}-{b}" for a, b in EVERY_MOVE]
)
def test_an_officer_moves_a_consultation_by_hand_only_along_the_lifecycle_map(
    shared_engine, current, requested
):
    with session_scope(shared_engine) as session:
        officer = add_person(session, "officer")
        consultation = add_consultation(session, officer, questions=1)
        consultation.status = current
    with session_scope(shared_engine) as session:
        actor = session.get(User, officer.id)
        if (current, requested) in HAND_MOVES:
            moved = move_consultation(session, actor, consultation.id, requested, now=later(days=1))
            assert moved.status == requested
        elif (current, requested) in WORKFLOW_MOVES:
            # Without the workflow's record (there is no draft at all) the board's moves are
            # refused, naming the stages.
            stages = f"from '{STATUS_LABELS[current]}' to '{STATUS_LABELS[requested]}'"
            with pytest.raises((LifecycleError, AccessDenied), match=re.escape(stages)):
                move_consultation(session, actor, consultation.id, requested, now=later(days=1))
        else:
            message = (
                f"A consultation cannot move from '{STATUS_LABELS[current]}' to "
                f"'{STATUS_LABELS[requested]}'."
            )
            with pytest.raises(LifecycleError, match=re.escape(message)):
                move_consultation(session, actor, consultation.id, requested, now=later(days=1))
    with read_scope(shared_engine) as session:
        stored = session.get(Consultation, consultation.id).status
    events = status_events(shared_engine, consultation.id)
    if (current, requested) in HAND_MOVES:
        assert stored == requested
        [event] = events
        assert (event.actor_id, event.object_id, event.at) == (
            officer.id,
            consultation.id,
            later(days=1),
        )
        assert event.detail == {"from": current, "to": requested}
    else:
        assert stored == current
        assert events == []


@pytest.mark.parametrize(
    ("current", "listed"),
    [
        ("draft", "'Open for partners' answers'"),
        ("in_review", "'Approved by the board', 'Drafting the response'"),
        ("sent", "nowhere"),
    ],
)
def test_a_refused_move_says_where_the_consultation_can_go_instead(shared_engine, current, listed):
    with session_scope(shared_engine) as session:
        officer = add_person(session, "officer")
        consultation = add_consultation(session, officer, questions=1)
        consultation.status = current
        with pytest.raises(LifecycleError, match=re.escape(f"From here it can move to: {listed}.")):
            move_consultation(session, officer, consultation.id, "closed", now=NOW)


def test_a_move_to_a_stage_that_does_not_exist_is_refused(shared_engine):
    with session_scope(shared_engine) as session:
        officer = add_person(session, "officer")
        consultation = add_consultation(session, officer, questions=1)
        with pytest.raises(
            LifecycleError, match="'archived' is not a stage a consultation can be in"
        ):
            move_consultation(session, officer, consultation.id, "archived", now=NOW)


def test_a_consultation_without_questions_cannot_be_opened(engine):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        consultation = add_consultation(session, officer, questions=0)
    with (
        pytest.raises(
            LifecycleError, match="Add at least one question before opening the consultation"
        ),
        session_scope(engine) as session,
    ):
        move_consultation(session, session.get(User, officer.id), consultation.id, "open", now=NOW)
    with read_scope(engine) as session:
        assert session.get(Consultation, consultation.id).status == "draft"


def test_a_consultation_that_does_not_exist_says_so(engine):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        with pytest.raises(WorkbenchError, match="That consultation does not exist"):
            move_consultation(session, officer, 999, "open", now=NOW)
        with pytest.raises(WorkbenchError, match="That consultation does not exist"):
            get_consultation(session, 999)


# --- the details -------------------------------------------------------------------------------


def test_a_valid_form_has_no_problems():
    assert consultation_problems(consultation_form()) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"title": "   "}, ["the title is empty"]),
        ({"title": "x" * 301}, ["the title is longer than 300 characters"]),
        (
            {"department": "Cabinet Office"},
            ["'Cabinet Office' is not one of the departments listed"],
        ),
        (
            {"url": "www.gov.uk/consultations/x"},
            ["the link must start with https:// (copy it from the browser)"],
        ),
        (
            {"url": "javascript:alert(1)"},
            ["the link must start with https:// (copy it from the browser)"],
        ),
        ({"closes_on": None}, ["the government's closing date is missing"]),
        ({"partner_deadline": None}, ["the partner deadline is missing"]),
        (
            {"partner_deadline": CLOSES_ON},
            [
                "the partner deadline must fall before the government's closing date, "
                "to leave time to write and approve the response"
            ],
        ),
        (
            {"partner_deadline": CLOSES_ON + timedelta(days=12)},
            [
                "the partner deadline must fall before the government's closing date, "
                "to leave time to write and approve the response"
            ],
        ),
        (
            {"opens_on": CLOSES_ON + timedelta(days=8)},
            ["the opening date is after the closing date"],
        ),
        ({"url": "", "reference": "", "description": "", "opens_on": None}, []),
        ({"url": "  HTTP://example.org/consult  "}, []),
        ({"title": "x" * 300}, []),
    ],
    ids=[
        "empty title",
        "long title",
        "unknown department",
        "link without scheme",
        "script link",
        "no closing date",
        "no partner deadline",
        "deadline on closing date",
        "deadline after closing date",
        "opens after it closes",
        "optional fields empty",
        "plain http link",
        "title of 300 characters",
    ],
)
def test_each_problem_with_a_consultations_details_is_named(changes, expected):
    assert consultation_problems(consultation_form(**changes)) == expected


def test_every_problem_is_reported_at_once_and_nothing_is_saved(engine):
    form = consultation_form(
        title="",
        department="Nowhere",
        url="ftp://x",
        closes_on=None,
        partner_deadline=None,
    )
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
    with (
        pytest.raises(ValidationFailed, match=r"^The consultation has 5 problems: ") as caught,
        session_scope(engine) as session,
    ):
        create_consultation(session, session.get(User, officer.id), form, now=NOW)
    assert [str(p) for p in caught.value.problems] == [
        "the title is empty",
        "'Nowhere' is not one of the departments listed",
        "the link must start with https:// (copy it from the browser)",
        "the government's closing date is missing",
        "the partner deadline is missing",
    ]
    assert str(caught.value).endswith(". Nothing was saved.")
    with read_scope(engine) as session:
        assert session.scalars(select(Consultation)).all() == []
        assert session.scalars(select(AuditEvent)).all() == []


def test_a_new_consultation_starts_in_draft_with_trimmed_details_and_is_audited(engine):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        consultation = create_consultation(
            session,
            officer,
            consultation_form(title="  Family migration  ", url=" https://gov.uk/x "),
            now=NOW,
        )
    with read_scope(engine) as session:
        stored = session.get(Consultation, consultation.id)
        assert (stored.status, stored.title, stored.url) == (
            "draft",
            "Family migration",
            "https://gov.uk/x",
        )
        assert (stored.created_by_id, stored.created_at, stored.version) == (officer.id, NOW, 1)
        [event] = session.scalars(select(AuditEvent)).all()
    assert (event.action, event.actor_id, event.object_id, event.consultation_id) == (
        "consultation.created",
        officer.id,
        consultation.id,
        consultation.id,
    )
    assert event.detail == {"title": "Family migration"}


def test_a_sent_consultations_details_cannot_be_changed_on_the_page_or_behind_it(engine, open_page):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        consultation = add_consultation(session, officer, questions=0)
        consultation.status = "sent"  # the record of a response already sent
    changed = replace(form_of(consultation), title="Renamed after sending")
    with (
        pytest.raises(WorkbenchError, match="its details stay as they were when it was sent"),
        session_scope(engine) as session,
    ):
        update_consultation(
            session,
            session.get(User, officer.id),
            consultation.id,
            seen_version=consultation.version,
            form=changed,
            now=later(hours=1),
        )
    app = open_page(
        "consultation_edit", as_user=officer, query={"consultation": str(consultation.id)}
    )
    assert not app.exception
    assert not [b for b in app.button if b.label == "Save"]
    assert not [t for t in app.text_input if t.label == "Title"]
    assert consultation.title in [t.value for t in app.text]


def test_an_update_saves_the_changes_and_audits_which_fields_changed(engine):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        consultation = add_consultation(session, officer, questions=0)
    changed = replace(
        form_of(consultation),
        title="Family migration (revised)",
        closes_on=CLOSES_ON + timedelta(days=15),
    )
    with session_scope(engine) as session:
        update_consultation(
            session,
            session.get(User, officer.id),
            consultation.id,
            seen_version=1,
            form=changed,
            now=later(hours=1),
        )
    with read_scope(engine) as session:
        stored = session.get(Consultation, consultation.id)
        assert form_of(stored) == changed
        assert stored.version == 2
        [event] = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "consultation.updated")
        ).all()
    assert (event.actor_id, event.object_id, event.at) == (
        officer.id,
        consultation.id,
        later(hours=1),
    )
    assert event.detail == {"changed": ["closes_on", "title"]}


def test_an_update_with_problems_is_refused_and_changes_nothing(engine):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        consultation = add_consultation(session, officer, questions=0)
    with (
        pytest.raises(ValidationFailed, match="The consultation has 1 problem: the title is empty"),
        session_scope(engine) as session,
    ):
        update_consultation(
            session,
            session.get(User, officer.id),
            consultation.id,
            seen_version=1,
            form=consultation_form(title=""),
            now=NOW,
        )
    with read_scope(engine) as session:
        assert session.get(Consultation, consultation.id).title == consultation.title


def test_a_stale_update_is_refused_with_the_other_persons_values_in_the_error(engine):
    with session_scope(engine) as session:
        first = add_person(session, "officer")
        second = add_person(session, "officer")
        consultation = add_consultation(session, first, questions=0)
    opened = form_of(consultation)  # both officers open the form at version 1
    theirs = replace(opened, title="Their title", reference="THEIRS-1")
    with session_scope(engine) as session:
        update_consultation(
            session, session.get(User, second.id), consultation.id,
            seen_version=1, form=theirs, now=NOW,
        )  # fmt: skip
    with (
        pytest.raises(
            StaleEdit, match="Someone else saved this consultation while you were"
        ) as caught,
        session_scope(engine) as session,
    ):
        update_consultation(
            session,
            session.get(User, first.id),
            consultation.id,
            seen_version=1,
            form=replace(opened, title="My title"),
            now=later(minutes=1),
        )
    assert caught.value.current["title"] == "Their title"
    assert caught.value.current["reference"] == "THEIRS-1"
    assert caught.value.current["closes_on"] == opened.closes_on
    with read_scope(engine) as session:
        stored = session.get(Consultation, consultation.id)
        assert (stored.title, stored.version) == ("Their title", 2)


# --- who sees which ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["partner", "officer", "board"])
def test_partners_and_board_members_see_only_opened_consultations_officers_see_all(engine, role):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        ids = {}
        for days, status in enumerate(STATUSES):
            consultation = add_consultation(
                session,
                officer,
                questions=0,
                title=f"In {status}",
                partner_deadline=TODAY + timedelta(days=7 + days),
            )
            consultation.status = status
            ids[status] = consultation.id
        organisation = add_organisation(session) if role == "partner" else None
        viewer = add_person(session, role, organisation=organisation)
    with read_scope(engine) as session:
        seen = [c.status for c in visible_consultations(session, session.get(User, viewer.id))]
    if role == "officer":
        assert seen == list(STATUSES)
    else:
        assert seen == [s for s in STATUSES if s != "draft"]


def test_consultations_are_listed_soonest_partner_deadline_first(engine):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        for day in (20, 5, 12):
            add_consultation(
                session,
                officer,
                questions=0,
                title=f"Due {day}",
                partner_deadline=TODAY + timedelta(days=6 + day),
            )
        titles = [c.title for c in visible_consultations(session, officer)]
    assert titles == ["Due 5", "Due 12", "Due 20"]
