"""Every page, opened by every role (and by URL), is refused unless the access table allows it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import LOGGED_IN_PAGES
from consultations.access import PAGES
from consultations.db import read_scope, session_scope
from consultations.models import AuditEvent
from tests.conftest import add_organisation, add_person

ROLES = ("partner", "officer", "board")
CASES = [(page, role) for page in LOGGED_IN_PAGES for role in ROLES]


def test_every_page_of_the_app_is_in_the_access_table():
    assert set(LOGGED_IN_PAGES) == set(PAGES)


@pytest.mark.parametrize(("page", "role"), CASES)
def test_page_is_open_only_to_the_roles_the_access_table_allows(open_page, engine, page, role):
    with session_scope(engine) as session:
        organisation = add_organisation(session) if role == "partner" else None
        person = add_person(session, role, organisation=organisation)
    app = open_page(LOGGED_IN_PAGES[page][0], as_user=person)
    assert not app.exception
    refused = any("can open this page" in e.value for e in app.error)
    assert refused == (role not in PAGES[page])
    with read_scope(engine) as session:
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "access.refused")
        ).all()
    assert bool(audited) == refused
    if refused:
        assert audited[0].actor_id == person.id
        assert audited[0].detail == {"page": page}


def test_a_deactivated_person_is_logged_out_on_their_next_click(open_page, engine):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
    app = open_page(as_user=officer)
    assert "Consultations" in [t.value for t in app.title]
    with session_scope(engine) as session:
        session.get(type(officer), officer.id).active = False
    app.run()
    assert "Log in" in [s.value for s in app.subheader]


def test_logged_out_visitors_reach_only_the_login_and_invite_pages(open_page, engine):
    with session_scope(engine) as session:
        add_person(session, "officer")
    app = open_page()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app.switch_page("consultations/pages/people.py")
