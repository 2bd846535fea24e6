"""The gaps a new user met between pages: the chosen consultation is kept from page to page and
a page opens on the live one; steps that cannot be undone ask first; the approval page says what
comes next while partners can answer; a partner sees how they chose to be quoted and downloads a
copy of what they submitted, is told how many questions are unanswered, and keeps their place
through a refresh."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from consultations.consultation import move_consultation
from consultations.db import read_scope, session_scope
from consultations.models import Consultation, Question, User
from evidence.consent import CONSENT_CHOICES
from tests.conftest import NOW, PARTNER_DEADLINE, add_consultation
from tests.tagging_world import ESOL, build_world, save
from tests.test_mail_messages import submit_with

ANSWER = "evidence/pages/answer.py"


def person(engine, person_id: int) -> User:
    with read_scope(engine) as session:
        return session.get(User, person_id)


def chooser(app, label: str = "Consultation"):
    return next(s for s in app.selectbox if s.label == label)


def test_a_page_opened_without_a_choice_starts_on_the_live_consultation(open_page, engine):
    world = build_world(engine)
    with session_scope(engine) as session:
        officer = session.get(User, world.officer)
        # Set up, not yet open, with a sooner deadline: it used to be the one every page opened.
        add_consultation(
            session,
            officer,
            title="A consultation being set up",
            partner_deadline=PARTNER_DEADLINE - timedelta(days=10),
        )
    app = open_page("evidence/pages/tracker.py", as_user=person(engine, world.officer))
    assert chooser(app).value == world.consultation


def test_the_consultation_chosen_on_one_page_is_kept_on_the_next(open_page, engine):
    world = build_world(engine)
    with session_scope(engine) as session:
        other = add_consultation(
            session, session.get(User, world.officer), title="Asylum accommodation"
        ).id
    app = open_page("evidence/pages/tracker.py", as_user=person(engine, world.officer))
    chooser(app).select(other).run()
    assert app.query_params["consultation"] == str(other)
    app.switch_page("consultations/pages/questions.py").run()
    assert chooser(app).value == other
    app.switch_page("consultations/pages/consultation_edit.py").run()
    assert chooser(app).value == str(other)


def test_closing_to_partners_before_their_deadline_asks_first(open_page, engine):
    world = build_world(engine)
    app = open_page(
        "consultations/pages/consultation_edit.py",
        as_user=person(engine, world.officer),
        query={"consultation": str(world.consultation)},
    )
    next(b for b in app.button if b.label == "Close to partners").click().run()
    assert "Closing now stops every partner from answering or submitting" in app.warning[0].value
    with read_scope(engine) as session:
        assert session.get(Consultation, world.consultation).status == "open"
    next(b for b in app.button if b.label == "Cancel").click().run()
    assert not app.warning
    next(b for b in app.button if b.label == "Close to partners").click().run()
    next(b for b in app.button if b.label == "Yes, close it to partners").click().run()
    assert not app.exception
    with read_scope(engine) as session:
        assert session.get(Consultation, world.consultation).status == "closed"


def test_a_consultation_being_drafted_offers_to_stop_drafting_not_to_close_again(open_page, engine):
    world = build_world(engine)
    with session_scope(engine) as session:
        officer = session.get(User, world.officer)
        for stage in ("closed", "drafting"):
            move_consultation(session, officer, world.consultation, stage, now=NOW)
    app = open_page(
        "consultations/pages/consultation_edit.py",
        as_user=person(engine, world.officer),
        query={"consultation": str(world.consultation)},
    )
    labels = [b.label for b in app.button]
    assert "Close to partners" not in labels
    next(b for b in app.button if b.label.startswith("Stop drafting")).click().run()
    with read_scope(engine) as session:
        assert session.get(Consultation, world.consultation).status == "closed"
    assert "Open to partners again" in [b.label for b in app.button]


def test_deleting_a_question_asks_first(open_page, engine):
    with session_scope(engine) as session:
        from tests.conftest import add_person

        officer = add_person(session, "officer")
        cid = add_consultation(session, officer).id
    app = open_page("consultations/pages/questions.py", as_user=officer)
    next(b for b in app.button if b.label == "Delete").click().run()
    assert app.warning[0].value == "Delete Q1? This cannot be undone."
    with read_scope(engine) as session:
        assert (
            len(session.scalars(select(Question).where(Question.consultation_id == cid)).all()) == 3
        )
    next(b for b in app.button if b.label == "Yes, delete Q1").click().run()
    with read_scope(engine) as session:
        numbers = session.scalars(select(Question.number).where(Question.consultation_id == cid))
        assert sorted(numbers) == ["Q2", "Q3"]


def test_the_approval_page_says_what_to_do_next_while_partners_can_answer(open_page, engine):
    world = build_world(engine)
    app = open_page("exports/pages/approval.py", as_user=person(engine, world.officer))
    [info] = app.info
    assert info.value.startswith("Partners can still answer this consultation: their deadline is")
    assert "Close it to partners" in info.value and "Send it to the board" in info.value
    assert "assemble the first draft" in info.value
    links = [(link.proto.page, link.proto.label) for link in app.get("page_link")]
    assert ("consultation_edit", "Set up a consultation: details and stage") in links


def partner_page(open_page, engine, world, **query):
    return open_page(
        ANSWER,
        as_user=person(engine, world.partners[0]),
        query={"consultation": str(world.consultation), **query},
    )


def test_after_submitting_a_partner_sees_how_they_are_quoted_and_can_download_their_copy(
    open_page, engine
):
    world = build_world(engine)
    save(world, 0, 0, ESOL)
    submit_with(world, 0, "sector", postbox=None)
    app = partner_page(open_page, engine, world)
    shown = " ".join(m.value for m in app.markdown).replace("\\", "")
    assert f"How the partnership may quote you:** {CONSENT_CHOICES['sector']}" in shown
    labels = [d.proto.label for d in app.get("download_button")]
    assert "Download a copy of what you submitted (.docx)" in labels


def test_submitting_with_unanswered_questions_says_how_many_and_asks(open_page, engine):
    world = build_world(engine)
    save(world, 0, 0, ESOL)
    app = partner_page(open_page, engine, world)
    assert app.warning[-1].value.startswith("2 of 3 questions have no answer yet.")
    [confirm] = [c for c in app.checkbox if "unanswered" in c.label]
    assert confirm.label == (
        "I have checked the answers above and want to submit them, with 2 unanswered."
    )


def test_a_partners_refresh_keeps_their_place(open_page, engine):
    world = build_world(engine)
    app = partner_page(open_page, engine, world, question="3")
    assert chooser(app, "Question").value == world.questions[2]
    chooser(app, "Question").select(world.questions[1]).run()
    assert app.query_params["question"] == "2"
