"""The pages, driven through Streamlit's AppTest on a real database, for each role."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from consultations.dates import plain_date
from consultations.db import read_scope, session_scope
from consultations.models import AuditEvent, Consultation, Organisation, Question, User
from tests.conftest import (
    CLOSES_ON,
    PARTNER_DEADLINE,
    PASSWORD,
    add_consultation,
    add_organisation,
    add_person,
)


def texts(app) -> str:
    """Everything the page says, as one string."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "text",
        "success",
        "error",
        "info",
        "warning",
    ):
        parts += [str(getattr(element, "value", "")) for element in getattr(app, kind)]
    return "\n".join(parts)


def test_first_run_shows_the_set_up_screen_and_creates_the_admin_officer(open_page, engine):
    app = open_page()
    assert "Set up the workbench" in texts(app)
    app.text_input[0].input("Aoife Byrne")
    app.text_input[1].input("Aoife.Byrne@SMP.example.org")
    app.text_input[2].input("a long enough password")
    app.text_input[3].input("a long enough password")
    app.button[0].click().run()
    assert not app.exception
    with read_scope(engine) as session:
        officer = session.scalar(select(User))
        assert (officer.email, officer.role, officer.is_admin) == (
            "aoife.byrne@smp.example.org",
            "officer",
            True,
        )
    assert "Your account is ready" in texts(app)
    assert "Consultations" in texts(app)


def test_first_run_refuses_a_short_password_and_saves_nothing(open_page, engine):
    app = open_page()
    for field, value in zip(
        app.text_input, ["Aoife", "aoife@example.org", "short", "short"], strict=True
    ):
        field.input(value)
    app.button[0].click().run()
    assert "at least 12 characters" in texts(app)
    with read_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(User)) == 0


def test_login_with_the_right_password_opens_the_consultations(open_page, engine):
    with session_scope(engine) as session:
        add_person(session, "officer", email="officer@example.org")
    app = open_page()
    assert "Log in" in texts(app)
    app.text_input[0].input("officer@example.org")
    app.text_input[1].input(PASSWORD)
    app.button[0].click().run()
    assert not app.exception
    assert "Consultations" in [t.value for t in app.title]
    assert app.session_state["login_token"]


def test_login_with_a_wrong_password_shows_one_generic_message(open_page, engine):
    with session_scope(engine) as session:
        add_person(session, "officer", email="officer@example.org")
    app = open_page()
    app.text_input[0].input("officer@example.org")
    app.text_input[1].input("not the password")
    app.button[0].click().run()
    unknown = open_page()
    unknown.text_input[0].input("nobody@example.org")
    unknown.text_input[1].input("not the password")
    unknown.button[0].click().run()
    assert [e.value for e in app.error] == [e.value for e in unknown.error]
    assert "do not match an active account" in app.error[0].value
    with read_scope(engine) as session:
        failures = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "login.failed")
        )
    assert failures == 2


def test_the_login_form_takes_no_more_than_an_address_and_a_password_can_hold(open_page, engine):
    with session_scope(engine) as session:
        add_person(session, "officer", email="officer@example.org")
    app = open_page()
    fields = {t.label: t.proto.max_chars for t in app.text_input}
    # (A script can send more than the form takes: attempt_login cuts it, test_accounts.py.)
    assert fields == {"Email address": 254, "Password": 1_024}


def test_demo_button_builds_the_demo_and_logs_in_as_its_officer(open_page, engine):
    app = open_page()
    demo = next(b for b in app.button if b.label == "Open the demo")
    demo.click().run()
    assert not app.exception
    assert app.session_state["database"] == "demo"
    assert "Family migration: a consultation" in texts(app)
    assert "You are in the demo" in texts(app)
    with read_scope(engine) as session:  # the real database is untouched
        assert session.scalar(select(func.count()).select_from(User)) == 0


def test_demo_role_switcher_shows_the_partner_view(open_page):
    app = open_page()
    next(b for b in app.button if b.label == "Open the demo").click().run()
    switcher = app.sidebar.selectbox[0]
    partner = next(i for i, o in enumerate(switcher.options) if "Refugee and Asylum Forum" in o)
    switcher.select_index(partner).run()
    assert not app.exception
    assert "Fatima Hassan" in texts(app.sidebar)
    assert "partner, Refugee and Asylum Forum NI" in texts(app.sidebar)
    assert "Set up a new consultation" not in texts(app)


def test_the_demo_starts_again_from_nothing_after_a_confirmation(open_page, tmp_path):
    from consultations.db import make_engine

    app = open_page()
    next(b for b in app.button if b.label == "Open the demo").click().run()
    switcher = app.sidebar.selectbox[0]
    assert "Margaret Doherty — board (chair)" in switcher.options  # who chairs, named
    demo = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    with session_scope(demo) as session:
        family = session.scalar(select(Consultation).where(Consultation.status == "open"))
        family.title = "Renamed by a visitor"
    next(b for b in app.sidebar.button if b.label == "Start the demo again").click().run()
    assert "Everything done in the demo since it was built" in texts(app.sidebar)
    next(b for b in app.sidebar.button if b.label == "Yes, start the demo again").click().run()
    assert not app.exception
    with read_scope(demo) as session:
        titles = set(session.scalars(select(Consultation.title)))
    demo.dispose()
    assert "Family migration: a consultation" in titles
    assert "Renamed by a visitor" not in titles
    assert app.session_state["database"] == "demo"
    assert "You are in the demo" in texts(app)


def test_demo_role_switch_keeps_the_login_before_it_so_a_reload_in_between_stays_in(open_page):
    app = open_page()
    next(b for b in app.button if b.label == "Open the demo").click().run()
    before = app.session_state["login_token"]
    switcher = app.sidebar.selectbox[0]
    switcher.select_index(next(i for i, o in enumerate(switcher.options) if "partner" in o)).run()
    assert not app.exception
    assert app.session_state["login_token"] != before
    # The browser still sends the officer's cookie until the new one is written: it must work.
    reloaded = open_page(query={})
    reloaded.session_state["database"] = "demo"
    reloaded.session_state["login_token"] = before
    reloaded.run()
    assert "Aoife Byrne" in texts(reloaded.sidebar)


def test_officer_creates_a_consultation_with_a_deadline_in_plain_words(open_page, engine):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
    app = open_page("consultation_edit", as_user=officer)
    assert not app.exception
    form_inputs = {t.label: t for t in app.text_input}
    form_inputs["Title"].input("Asylum accommodation: working with councils")
    dates = {d.label: d for d in app.date_input}
    dates["Partner deadline"].set_value(PARTNER_DEADLINE)
    dates["Government closing date"].set_value(CLOSES_ON)
    next(b for b in app.button if b.label == "Save").click().run()
    assert not app.exception
    assert plain_date(PARTNER_DEADLINE) in texts(app)
    with read_scope(engine) as session:
        consultation = session.scalar(select(Consultation))
        assert consultation.title == "Asylum accommodation: working with councils"
        assert consultation.status == "draft"


def test_officer_is_told_when_the_partner_deadline_is_after_closing(open_page, engine):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
    app = open_page("consultation_edit", as_user=officer)
    {t.label: t for t in app.text_input}["Title"].input("Late deadline")
    dates = {d.label: d for d in app.date_input}
    dates["Partner deadline"].set_value(CLOSES_ON + dt.timedelta(days=6))
    dates["Government closing date"].set_value(CLOSES_ON)
    next(b for b in app.button if b.label == "Save").click().run()
    assert "must fall before the government's closing date" in texts(app)
    with read_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Consultation)) == 0


def test_officer_opens_a_consultation_with_the_stage_buttons(open_page, engine):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        consultation = add_consultation(session, officer)
    app = open_page(
        "consultation_edit", as_user=officer, query={"consultation": str(consultation.id)}
    )
    next(b for b in app.button if b.label == "Open to partners").click().run()
    assert not app.exception
    with read_scope(engine) as session:
        assert session.get(Consultation, consultation.id).status == "open"
    assert "open for partners" in texts(app).lower()


def test_a_consultation_being_set_up_is_offered_without_brackets_inside_brackets(open_page, engine):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        consultation = add_consultation(session, officer, title="Family migration")
    app = open_page("questions", as_user=officer, query={"consultation": str(consultation.id)})
    picker = next(s for s in app.selectbox if s.label == "Consultation")
    assert picker.options == ["Family migration (draft, not yet open to partners)"]


def test_officer_adds_a_question_by_hand(open_page, engine):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        consultation = add_consultation(session, officer, questions=0)
    app = open_page("questions", as_user=officer, query={"consultation": str(consultation.id)})
    assert "no questions yet" in texts(app)
    app.text_area[0].input("How should councils be told about new asylum accommodation?")
    next(b for b in app.button if b.label == "Save question").click().run()
    assert not app.exception
    with read_scope(engine) as session:
        question = session.scalar(select(Question))
        assert (question.number, question.kind) == ("Q1", "hybrid")


def test_officer_adds_an_organisation(open_page, engine):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
    app = open_page("organisations", as_user=officer)
    {t.label: t for t in app.text_input}["Name"].input("Sperrin Health and Care Trust")
    {s.label: s for s in app.selectbox}["Sector"].set_value("health")
    next(b for b in app.button if b.label == "Save").click().run()
    assert not app.exception
    with read_scope(engine) as session:
        organisation = session.scalar(select(Organisation))
        assert (organisation.name, organisation.sector) == (
            "Sperrin Health and Care Trust",
            "health",
        )


def test_officer_invites_a_partner_and_sees_the_link_to_copy(open_page, engine):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        organisation = add_organisation(session)
    app = open_page("people", as_user=officer)
    fields = {t.label: t for t in app.text_input}
    fields["Full name"].input("Siobhan McAllister")
    fields["Email address"].input("siobhan@belfastmetro.example.org")
    {s.label: s for s in app.selectbox}["Organisation"].set_value(organisation.id)
    next(b for b in app.button if b.label == "Create the invite link").click().run()
    assert not app.exception
    assert "Send this link to Siobhan McAllister" in texts(app)
    assert "/accept_invite?token=" in app.code[0].value


def test_partner_sees_open_consultations_but_not_drafts(open_page, engine):
    from consultations.consultation import move_consultation
    from tests.conftest import NOW

    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        partner = add_person(session, "partner", organisation=add_organisation(session))
        shown = add_consultation(session, officer, title="Open one")
        move_consultation(session, officer, shown.id, "open", now=NOW)
        add_consultation(session, officer, title="Still a draft")
    app = open_page(as_user=partner)
    assert "Open one" in texts(app)
    assert "Still a draft" not in texts(app)
    assert "Partner deadline" in texts(app)


def invite_token(engine, *, days: int = 7):
    from datetime import timedelta

    from consultations.accounts import invite_person
    from consultations.db import utcnow

    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        organisation = add_organisation(session)
        _, token = invite_person(
            session,
            officer,
            email="new.partner@example.org",
            name="New Partner",
            role="partner",
            organisation_id=organisation.id,
            now=utcnow() - timedelta(days=days),
            valid_for=timedelta(days=7),
        )
    return token


def test_invite_link_lets_the_person_set_a_password_and_logs_them_in(open_page, engine):
    token = invite_token(engine, days=0)
    app = open_page("accept_invite", query={"token": token})
    assert "Welcome, New Partner" in texts(app)
    app.text_input[0].input("a brand new password")
    app.text_input[1].input("a brand new password")
    app.button[0].click().run()
    assert not app.exception
    assert app.session_state["login_token"]
    again = open_page("accept_invite", query={"token": token})
    assert "has been used already" in texts(again)


def test_a_replaced_invite_link_on_a_new_workbench_says_so_and_links_to_the_start(open_page):
    app = open_page("accept_invite", query={"token": "a-link-replaced-by-a-newer-one"})
    assert not app.exception
    assert "This link is not valid" in texts(app)
    assert not app.text_input


def test_an_invite_link_made_in_the_demo_opens_the_demo_in_a_fresh_browser(open_page, tmp_path):
    from datetime import timedelta

    from consultations.accounts import invite_person
    from consultations.db import make_engine, utcnow
    from consultations.migrate import upgrade

    demo = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    upgrade(demo)
    with session_scope(demo) as session:
        officer = add_person(session, "officer")
        organisation = add_organisation(session, "Demo Housing Forum")
        _, token = invite_person(
            session,
            officer,
            email="new.partner@example.org",
            name="Demo Partner",
            role="partner",
            organisation_id=organisation.id,
            now=utcnow(),
            valid_for=timedelta(days=7),
        )
    demo.dispose()
    app = open_page("accept_invite", query={"token": token})
    assert "Welcome, Demo Partner. You are joining the workbench for Demo Housing Forum" in (
        texts(app)
    )
    app.text_input[0].input("a brand new password")
    app.text_input[1].input("a brand new password")
    app.button[0].click().run()
    assert not app.exception
    assert app.session_state["database"] == "demo"
    assert app.session_state["login_token"]


def test_an_expired_invite_link_says_to_ask_for_a_new_one(open_page, engine):
    token = invite_token(engine, days=8)
    app = open_page("accept_invite", query={"token": token})
    assert "This link has expired. Ask your policy officer" in texts(app)
    assert not app.text_input


def test_a_refused_invite_keeps_what_was_typed_and_asks_for_the_partners_organisation(
    open_page, engine
):
    with session_scope(engine) as session:
        officer = add_person(session, "officer")
        organisation = add_organisation(session)
    app = open_page("people", as_user=officer)
    boxes = {s.label: s for s in app.selectbox}
    assert boxes["Organisation"].value is None  # no "None" organisation chosen for a partner
    fields = {t.label: t for t in app.text_input}
    fields["Full name"].input("Siobhan McAllister")
    fields["Email address"].input("siobhan@belfastmetro.example.org")
    next(b for b in app.button if b.label == "Create the invite link").click().run()
    assert not app.exception
    assert "a partner must belong to an organisation" in texts(app).lower()
    fields = {t.label: t for t in app.text_input}
    assert fields["Full name"].value == "Siobhan McAllister"
    assert fields["Email address"].value == "siobhan@belfastmetro.example.org"
    {s.label: s for s in app.selectbox}["Organisation"].set_value(organisation.id)
    next(b for b in app.button if b.label == "Create the invite link").click().run()
    assert "Send this link to Siobhan McAllister" in texts(app)
    assert {t.label: t for t in app.text_input}["Full name"].value == ""
