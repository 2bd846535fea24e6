"""Who may do what: the access table for every action, page and role, and every officer-only
function refusing partners and board members before it changes anything."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from consultations.access import (
    ACTIONS,
    PAGES,
    allowed,
    page_allowed,
    require,
    require_page,
)
from consultations.accounts import invite_person, reset_access, set_active
from consultations.consultation import (
    create_consultation,
    move_consultation,
    update_consultation,
    visible_consultations,
)
from consultations.db import read_scope, session_scope
from consultations.errors import AccessDenied
from consultations.models import AuditEvent, Consultation, Question, User
from consultations.organisations import OrganisationForm, create_organisation, update_organisation
from consultations.people import list_people
from consultations.questions import (
    QuestionForm,
    add_question,
    delete_question,
    move_question,
    save_questions,
    update_question,
)
from tests.conftest import (
    NOW,
    add_consultation,
    add_organisation,
    add_person,
    consultation_form,
)

ROLES = ("partner", "officer", "board")
EVERYONE = {"partner", "officer", "board"}
OFFICERS = {"officer"}

# The access table of DESIGN.md, written out again here so that a change to it is deliberate.
EXPECTED_ACTIONS = {
    "consultation.view": EVERYONE,
    "consultation.edit": OFFICERS,
    "consultation.move": OFFICERS,
    "question.edit": OFFICERS,
    "question.import": OFFICERS,
    "organisation.edit": OFFICERS,
    "person.invite": OFFICERS,
    "person.manage": OFFICERS,
    "audit.view": OFFICERS,
    "submission.edit": {"partner", "officer"},
    "submission.track": OFFICERS,
    "theme.edit": OFFICERS,
    "tag.review": OFFICERS,
    "model.train": OFFICERS,
    "draft.edit": OFFICERS,
    "draft.send": OFFICERS,
    "draft.read": {"officer", "board"},
    "draft.review": {"board"},
    "response.view": EVERYONE,
    "notification.view": EVERYONE,
    "mail.view": OFFICERS,
    "mail.resend": OFFICERS,
    "reminder.send": OFFICERS,
}
EXPECTED_PAGES = {
    "home": {"officer", "board"},
    "partner_home": {"partner"},
    "answer": {"partner", "officer"},
    "tracker": OFFICERS,
    "import_response": OFFICERS,
    "consultation_edit": OFFICERS,
    "questions": OFFICERS,
    "organisations": OFFICERS,
    "people": OFFICERS,
    "review": OFFICERS,
    "themes": OFFICERS,
    "learning": OFFICERS,
    "analysis": OFFICERS,
    "draft": OFFICERS,
    "approval": OFFICERS,
    "board_review": {"board"},
    "response": EVERYONE,
    "notifications": EVERYONE,
    "audit": OFFICERS,
    "outbox": OFFICERS,
}
OFFICERS_ONLY = re.escape(
    "Only policy officers can do this. If you need it, ask your partnership's policy officer."
)
# Who a refusal names, for each set of roles an action is open to.
ONLY = {
    frozenset(OFFICERS): OFFICERS_ONLY,
    frozenset({"board"}): re.escape("Only board members can do this."),
    frozenset({"officer", "partner"}): re.escape("Only policy officers and partners can do this."),
    frozenset({"officer", "board"}): re.escape(
        "Only board members and policy officers can do this."
    ),
}


def person(role: str, *, active: bool = True) -> User:
    """A person who is never saved: the rules look only at role and active."""
    return User(email=f"{role}@example.org", name=role, role=role, active=active)


def test_the_action_table_is_the_one_the_design_agreed():
    assert {action: set(roles) for action, roles in ACTIONS.items()} == EXPECTED_ACTIONS


def test_the_page_table_is_the_one_the_design_agreed():
    assert {page: set(roles) for page, roles in PAGES.items()} == EXPECTED_PAGES


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(EXPECTED_ACTIONS))
def test_each_role_may_do_exactly_the_actions_the_table_gives_it(action, role):
    someone = person(role)
    may = role in EXPECTED_ACTIONS[action]
    assert allowed(someone, action) is may
    if may:
        assert require(someone, action) is someone
    else:
        with pytest.raises(AccessDenied, match=ONLY[frozenset(EXPECTED_ACTIONS[action])]):
            require(someone, action)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(EXPECTED_PAGES))
def test_each_role_may_open_exactly_the_pages_the_table_gives_it(page, role):
    someone = person(role)
    may = role in EXPECTED_PAGES[page]
    assert page_allowed(someone, page) is may
    if may:
        assert require_page(someone, page) is someone
    else:
        with pytest.raises(AccessDenied, match="can open this page"):
            require_page(someone, page)


@pytest.mark.parametrize(
    ("check", "key", "expected"),
    [
        (require, "person.invite", "Only policy officers can do this."),
        (require_page, "answer", "Only policy officers and partners can open this page."),
        (
            require,
            "consultation.view",
            "Only board members, policy officers and partners can do this.",
        ),
    ],
)
def test_a_refusal_names_every_role_that_may_and_says_what_to_do(check, key, expected):
    with pytest.raises(AccessDenied) as caught:
        check(person("board", active=False), key)
    assert str(caught.value) == (
        f"{expected} If you need it, ask your partnership's policy officer. "
        "This attempt has been recorded."
    )


@pytest.mark.parametrize("role", ROLES)
def test_a_deactivated_person_may_do_nothing_and_open_nothing(role):
    someone = person(role, active=False)
    assert not any(allowed(someone, action) for action in EXPECTED_ACTIONS)
    assert not any(page_allowed(someone, page) for page in EXPECTED_PAGES)
    with pytest.raises(
        AccessDenied, match="Only board members, policy officers and partners can do this"
    ):
        require(someone, "consultation.view")


def test_nobody_logged_in_may_do_or_open_anything():
    assert not any(allowed(None, action) for action in EXPECTED_ACTIONS)
    assert not any(page_allowed(None, page) for page in EXPECTED_PAGES)
    with pytest.raises(AccessDenied, match=OFFICERS_ONLY):
        require(None, "person.invite")


def test_an_unknown_action_or_page_is_open_to_nobody():
    officer = person("officer")
    assert not allowed(officer, "everything")
    assert not page_allowed(officer, "secret")
    with pytest.raises(AccessDenied, match=re.escape("Nobody can do this.")):
        require(officer, "everything")
    with pytest.raises(AccessDenied, match=re.escape("Nobody can open this page.")):
        require_page(officer, "secret")


# --- every officer-only function refuses the other roles --------------------------------------


@pytest.fixture(scope="module")
def engine(shared_engine: Engine) -> Engine:
    """One migrated database for this module; each test adds the people and rows it needs."""
    return shared_engine


Call = Callable[[Session, User, dict[str, int]], object]
WEEK = timedelta(days=7)

OFFICER_ONLY_CALLS: dict[str, Call] = {
    "create_consultation": lambda s, who, ids: create_consultation(
        s, who, consultation_form(), now=NOW
    ),
    "update_consultation": lambda s, who, ids: update_consultation(
        s,
        who,
        ids["consultation"],
        seen_version=1,
        form=consultation_form(title="Hijacked"),
        now=NOW,
    ),
    "move_consultation": lambda s, who, ids: move_consultation(
        s, who, ids["consultation"], "open", now=NOW
    ),
    "add_question": lambda s, who, ids: add_question(
        s, who, ids["consultation"], QuestionForm("Q9", "Extra?"), now=NOW
    ),
    "save_questions": lambda s, who, ids: save_questions(
        s, who, ids["consultation"], [QuestionForm("Q9", "Extra?")], now=NOW, source="import"
    ),
    "update_question": lambda s, who, ids: update_question(
        s, who, ids["question"], seen_version=1, form=QuestionForm("Q1", "Changed?"), now=NOW
    ),
    "move_question": lambda s, who, ids: move_question(s, who, ids["question"], step=1, now=NOW),
    "delete_question": lambda s, who, ids: delete_question(s, who, ids["question"], now=NOW),
    "invite_person": lambda s, who, ids: invite_person(
        s,
        who,
        email="friend@example.org",
        name="A Friend",
        role="officer",
        organisation_id=None,
        now=NOW,
        valid_for=WEEK,
    ),
    "reset_access": lambda s, who, ids: reset_access(
        s, who, ids["officer"], now=NOW, valid_for=WEEK
    ),
    "set_active": lambda s, who, ids: set_active(s, who, ids["officer"], active=False, now=NOW),
    "list_people": lambda s, who, ids: list_people(s, who, now=NOW),
    "create_organisation": lambda s, who, ids: create_organisation(
        s, who, OrganisationForm("Fake Council", "local authority")
    ),
    "update_organisation": lambda s, who, ids: update_organisation(
        s,
        who,
        ids["organisation"],
        seen_version=1,
        form=OrganisationForm("Renamed Council", "local authority"),
    ),
}


def snapshot(session: Session) -> dict[str, object]:
    """What a refused call must leave exactly as it was."""
    return {
        "events": session.scalar(select(func.count()).select_from(AuditEvent)),
        "people": session.scalars(select(User.email).order_by(User.id)).all(),
        "consultations": session.execute(
            select(Consultation.title, Consultation.status, Consultation.version)
        ).all(),
        "questions": session.execute(
            select(Question.number, Question.text, Question.position).order_by(Question.id)
        ).all(),
    }


@pytest.mark.parametrize("role", ["partner", "board"])
@pytest.mark.parametrize("call", sorted(OFFICER_ONLY_CALLS))
def test_officer_only_functions_refuse_others_naming_who_can_and_change_nothing(engine, call, role):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        organisation = add_organisation(session, name=f"Council {uuid.uuid4().hex}")
        consultation = add_consultation(session, officer, questions=2)
        someone = add_person(
            session, role, organisation=organisation if role == "partner" else None
        )
        ids = {
            "officer": officer.id,
            "organisation": organisation.id,
            "consultation": consultation.id,
            "question": consultation.questions[0].id,
        }
    with read_scope(engine) as session:
        before = snapshot(session)
    with pytest.raises(AccessDenied, match=OFFICERS_ONLY), session_scope(engine) as session:
        OFFICER_ONLY_CALLS[call](session, session.get(User, someone.id), ids)
    with read_scope(engine) as session:
        assert snapshot(session) == before


@pytest.mark.parametrize("call", ["create_consultation", "invite_person", "list_people"])
def test_a_deactivated_officer_is_refused_too(engine, call):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        officer.active = False
    with (
        pytest.raises(AccessDenied, match="Only policy officers can do this"),
        session_scope(engine) as session,
    ):
        OFFICER_ONLY_CALLS[call](session, session.get(User, officer.id), {})


@pytest.mark.parametrize("role", ROLES)
def test_every_active_role_may_list_the_consultations_it_can_see(engine, role):
    with session_scope(engine) as session:
        organisation = (
            add_organisation(session, name=f"Council {uuid.uuid4().hex}")
            if role == "partner"
            else None
        )
        someone = add_person(session, role, organisation=organisation)
        assert isinstance(visible_consultations(session, someone), list)
        someone.active = False
        with pytest.raises(AccessDenied, match="can do this"):
            visible_consultations(session, someone)
