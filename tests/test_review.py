"""The officer's review of tags: the queue, decisions with who and when, bulk accept, refusals."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from consultations.db import read_scope, session_scope
from consultations.errors import AccessDenied, WorkbenchError
from consultations.models import AuditEvent
from evidence.models import TagDecision, TagSuggestion
from evidence.review import (
    add_theme_by_hand,
    answer_review,
    answer_reviews,
    bulk_accept,
    decide,
    highlighted_sentence,
)
from evidence.review_queue import QueueFilter, review_counts, review_queue
from evidence.review_state import reviewed_answer_count, reviewed_answers
from evidence.tagging import retag_consultation
from tests.conftest import NOW, later
from tests.tagging_world import (
    CHILDREN,
    ESOL,
    HOTELS,
    NOTHING,
    NRPF_BELFAST,
    SPOUSE_VISAS,
    build_world,
    person,
    save,
    theme_id,
)


@pytest.fixture
def world(engine):
    return build_world(engine)


@pytest.fixture
def answers(world):
    """Six answers: partner 0 on Q1 and Q2, partner 1 on Q1 and Q2, partner 2 on Q1 and Q3."""
    return {
        "nrpf": save(world, 0, 0, NRPF_BELFAST).id,
        "hotels": save(world, 0, 1, HOTELS).id,
        "spouse": save(world, 1, 0, SPOUSE_VISAS).id,
        "esol": save(world, 1, 1, ESOL).id,
        "nothing": save(world, 2, 0, NOTHING).id,
        "children": save(world, 2, 2, CHILDREN).id,
    }


def as_officer(world, action):
    with session_scope(world.engine) as session:
        return action(session, person(session, world.officer))


def read_as_officer(world, action):
    with read_scope(world.engine) as session:
        return action(session, person(session, world.officer))


def theme(world, key: str) -> int:
    with read_scope(world.engine) as session:
        return theme_id(session, world, key)


def queue(world, **chosen) -> list[int]:
    return read_as_officer(
        world, lambda s, me: review_queue(s, me, world.consultation, QueueFilter(**chosen))
    ).answer_ids


def accept(world, answer_id, key, *, accepted=True, when=NOW):
    theme_of = theme(world, key)
    return as_officer(
        world, lambda s, me: decide(s, me, answer_id, theme_of, accepted=accepted, now=when)
    )


def reject_the_rest(world, answer_id) -> None:
    """Reject every suggestion on the answer nobody has decided on yet."""
    with read_scope(world.engine) as session:
        decided = set(
            session.scalars(select(TagDecision.theme_id).where(TagDecision.answer_id == answer_id))
        )
        waiting = set(
            session.scalars(
                select(TagSuggestion.theme_id).where(TagSuggestion.answer_id == answer_id)
            )
        )
    for theme_of in sorted(waiting - decided):
        as_officer(
            world, lambda s, me, t=theme_of: decide(s, me, answer_id, t, accepted=False, now=NOW)
        )


# --- the queue -------------------------------------------------------------------------------


def test_an_answer_waits_for_review_until_every_suggestion_on_it_is_decided(world, answers):
    assert queue(world) == list(answers.values())
    accept(world, answers["hotels"], "asylum")
    assert answers["hotels"] in queue(world)  # its accommodation suggestion is undecided
    review = read_as_officer(world, lambda s, me: answer_review(s, me, answers["hotels"]))
    assert not review.reviewed
    accept(world, answers["hotels"], "accommodation", accepted=False)
    assert answers["hotels"] not in queue(world)
    review = read_as_officer(world, lambda s, me: answer_review(s, me, answers["hotels"]))
    assert review.reviewed
    assert queue(world, status="reviewed") == [answers["hotels"]]
    assert len(queue(world, status="all")) == 6


def test_the_queue_filters_by_question_and_by_theme(world, answers):
    assert queue(world, question_id=world.questions[1]) == [answers["hotels"], answers["esol"]]
    assert queue(world, theme_id=theme(world, "asylum")) == [answers["nrpf"], answers["hotels"]]
    assert queue(world, question_id=world.questions[0], theme_id=theme(world, "asylum")) == [
        answers["nrpf"]
    ]


def test_the_counts_say_how_many_wait_and_how_many_wait_per_theme(world, answers):
    accept(world, answers["esol"], "language_education")
    accept(world, answers["hotels"], "asylum")
    counts = read_as_officer(world, lambda s, me: review_counts(s, me, world.consultation))
    assert (counts.answers, counts.waiting, counts.reviewed) == (6, 5, 1)
    assert counts.waiting_by_theme[theme(world, "asylum")] == 1  # decided on "hotels"
    assert counts.waiting_by_theme[theme(world, "accommodation")] == 1
    assert theme(world, "language_education") not in counts.waiting_by_theme
    first_question = read_as_officer(
        world,
        lambda s, me: review_counts(s, me, world.consultation, question_id=world.questions[0]),
    )
    assert (first_question.answers, first_question.waiting) == (3, 3)


def test_an_answer_with_no_comment_is_not_in_the_queue(world, answers):
    from evidence.submissions import AnswerInput, save_answer
    from tests.tagging_world import TODAY

    with session_scope(world.engine) as session:
        blank = save_answer(
            session,
            person(session, world.partners[2]),
            world.consultation,
            AnswerInput(question_id=world.questions[1], text="   "),
            seen_version=0,
            today=TODAY,
            now=NOW,
        ).id
    assert blank not in queue(world, status="all")


# --- decisions -------------------------------------------------------------------------------


def test_accepting_a_suggestion_records_who_and_when_and_is_audited(world, answers):
    decision = accept(world, answers["nrpf"], "nrpf", when=later(hours=2))
    with read_scope(world.engine) as session:
        row = session.get(TagDecision, decision.id)
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "tag.accepted"))
    assert (row.accepted, row.origin, row.decided_by_id, row.decided_at) == (
        True,
        "rules",
        world.officer,
        later(hours=2),
    )
    assert row.answer_version == 1 and row.is_current and not row.in_bulk
    assert (event.actor_id, event.object_id, event.detail["theme"]) == (
        world.officer,
        answers["nrpf"],
        "nrpf",
    )


def test_a_change_of_mind_adds_a_decision_and_keeps_the_first_as_history(world, answers):
    first = accept(world, answers["nrpf"], "regional")
    again = accept(world, answers["nrpf"], "regional")
    assert again.id == first.id  # the same decision twice is one decision
    second = accept(world, answers["nrpf"], "regional", accepted=False, when=later(hours=1))
    review = read_as_officer(world, lambda s, me: answer_review(s, me, answers["nrpf"]))
    assert [(d.id, d.accepted, d.is_current) for d in review.history] == [
        (second.id, False, True),
        (first.id, True, False),
    ]
    regional = next(v for v in review.themes if v.theme_id == theme(world, "regional"))
    assert regional.decision.id == second.id
    assert review.history[0].decided_by == "Test Officer"


def test_the_database_holds_one_current_decision_per_answer_and_theme(world, answers):
    accept(world, answers["nrpf"], "nrpf")
    with pytest.raises(IntegrityError), session_scope(world.engine) as session:
        session.add(
            TagDecision(
                answer_id=answers["nrpf"],
                theme_id=theme(world, "nrpf"),
                accepted=False,
                origin="rules",
                decided_by_id=world.officer,
                decided_at=NOW,
                answer_version=1,
                is_current=True,
            )
        )


def test_officer_adds_a_theme_by_hand_and_cannot_add_it_twice(world, answers):
    decision = as_officer(
        world,
        lambda s, me: add_theme_by_hand(
            s, me, answers["nothing"], theme_id(s, world, "partnership"), now=NOW
        ),
    )
    assert (decision.accepted, decision.origin) == (True, "hand")
    assert answers["nothing"] not in queue(world)
    review = read_as_officer(world, lambda s, me: answer_review(s, me, answers["nothing"]))
    assert [(v.theme_label, v.score) for v in review.themes] == [
        ("Partnership working and consultation process", None)
    ]
    with pytest.raises(WorkbenchError, match="already filed under 'Partnership working"):
        as_officer(
            world,
            lambda s, me: add_theme_by_hand(
                s, me, answers["nothing"], theme_id(s, world, "partnership"), now=NOW
            ),
        )
    with read_scope(world.engine) as session:
        assert session.scalar(select(AuditEvent.action).where(AuditEvent.action == "tag.added"))


def test_rejecting_a_theme_nothing_suggested_is_refused(world, answers):
    with pytest.raises(WorkbenchError, match="Nothing suggests 'Family migration'"):
        accept(world, answers["esol"], "family", accepted=False)


def test_a_decision_on_a_theme_of_another_consultation_is_refused(engine, world, answers):
    other = build_world(engine, prefix="Another partner")
    elsewhere = save(other, 0, 0, SPOUSE_VISAS)
    with pytest.raises(WorkbenchError, match="That theme belongs to another consultation"):
        accept(world, elsewhere.id, "family")


def test_decisions_are_kept_apart_from_suggestions(world, answers):
    accept(world, answers["spouse"], "family")
    with read_scope(world.engine) as session:
        suggestion = session.scalar(
            select(TagSuggestion).where(TagSuggestion.answer_id == answers["spouse"])
        )
    assert suggestion.source == "rules"  # a decision changes nothing about the suggestion
    retag_consultation(world.engine, world.officer, world.consultation)
    assert answers["spouse"] not in queue(world)


# --- bulk accept -----------------------------------------------------------------------------


def bulk(world, key, question_id=None):
    return as_officer(
        world,
        lambda s, me: bulk_accept(
            s, me, world.consultation, theme_id(s, world, key), question_id=question_id, now=NOW
        ),
    )


def test_bulk_accept_accepts_a_theme_on_every_answer_where_nobody_decided_on_it(world, answers):
    accept(world, answers["hotels"], "asylum", accepted=False)
    accept(world, answers["nrpf"], "nrpf")
    accept(world, answers["nrpf"], "regional")
    count = bulk(world, "asylum")
    assert count == 1  # a person rejected it on "hotels", so only "nrpf"
    with read_scope(world.engine) as session:
        rows = session.scalars(
            select(TagDecision).where(
                TagDecision.theme_id == theme_id(session, world, "asylum"), TagDecision.in_bulk
            )
        ).all()
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "tags.bulk_accepted"))
    assert [(r.answer_id, r.accepted, r.in_bulk, r.decided_by_id) for r in rows] == [
        (answers["nrpf"], True, True, world.officer)
    ]
    assert event.detail["answers"] == [answers["nrpf"]]
    assert answers["nrpf"] not in queue(world)  # every suggestion on it is now decided


def test_accept_for_all_leaves_answers_waiting_while_other_suggestions_are_undecided(
    world, answers
):
    assert bulk(world, "asylum") == 2
    assert answers["nrpf"] in queue(world) and answers["hotels"] in queue(world)
    counts = read_as_officer(world, lambda s, me: review_counts(s, me, world.consultation))
    assert (counts.waiting, counts.reviewed) == (6, 0)
    assert theme(world, "asylum") not in counts.waiting_by_theme
    assert counts.waiting_by_theme[theme(world, "accommodation")] == 1
    assert bulk(world, "accommodation") == 1
    assert queue(world, status="reviewed") == [answers["hotels"]]
    with read_scope(world.engine) as session:
        assert reviewed_answer_count(session, world.consultation) == 1


def test_bulk_accept_keeps_to_the_chosen_question(world, answers):
    later_hotels = save(world, 1, 2, HOTELS).id
    assert bulk(world, "asylum", world.questions[1]) == 1
    with read_scope(world.engine) as session:
        accepted = session.scalars(
            select(TagDecision.answer_id).where(
                TagDecision.theme_id == theme_id(session, world, "asylum")
            )
        ).all()
    assert accepted == [answers["hotels"]]
    assert bulk(world, "asylum") == 2  # the rest: "nrpf" and the later hotels answer
    assert later_hotels in queue(world, theme_id=theme(world, "asylum"))


def test_bulk_accept_with_nothing_to_accept_says_so(world, answers):
    with pytest.raises(
        WorkbenchError,
        match=re.escape(
            "No answer waiting for review has a suggestion of 'Enforcement, detention and "
            "removals'. Nothing was changed."
        ),
    ):
        as_officer(
            world,
            lambda s, me: bulk_accept(
                s, me, world.consultation, theme_id(s, world, "enforcement"), now=NOW
            ),
        )


def test_reviewed_answers_are_counted_and_listed_for_learning(world, answers):
    accept(world, answers["nrpf"], "nrpf")
    accept(world, answers["nrpf"], "asylum", accepted=False)
    accept(world, answers["nrpf"], "regional", accepted=False)
    accept(world, answers["esol"], "family", accepted=True)
    accept(world, answers["esol"], "language_education", accepted=False)
    accept(world, answers["hotels"], "asylum", accepted=False)
    accept(world, answers["hotels"], "accommodation", accepted=False)
    accept(world, answers["children"], "children")
    reject_the_rest(world, answers["children"])  # what the default learned model adds, if any
    accept(world, answers["spouse"], "family")  # its only suggestion
    with read_scope(world.engine) as session:
        assert reviewed_answer_count(session, world.consultation) == 5
        reviewed = reviewed_answers(session, world.consultation)
    assert reviewed == [
        (answers["nrpf"], NRPF_BELFAST, {"nrpf"}),
        (answers["hotels"], HOTELS, set()),
        (answers["spouse"], SPOUSE_VISAS, {"family"}),
        (answers["esol"], ESOL, {"family"}),
        (answers["children"], CHILDREN, {"children"}),
    ]


def test_an_answer_half_decided_is_not_given_to_learning(world, answers):
    accept(world, answers["hotels"], "asylum")  # accommodation left undecided
    with read_scope(world.engine) as session:
        assert reviewed_answer_count(session, world.consultation) == 0
        assert reviewed_answers(session, world.consultation) == []


def test_a_learned_suggestion_is_decided_on_as_the_models(world, answers):
    with session_scope(world.engine) as session:
        session.add(
            TagSuggestion(
                answer_id=answers["nothing"],
                theme_id=theme_id(session, world, "partnership"),
                score=0.71,
                source="learned",
                spans={},
                created_at=NOW,
            )
        )
    review = read_as_officer(world, lambda s, me: answer_review(s, me, answers["nothing"]))
    assert [(v.source, v.score, v.matches) for v in review.themes] == [("learned", 0.71, [])]
    decision = accept(world, answers["nothing"], "partnership")
    assert decision.origin == "model"


# --- what the page shows ---------------------------------------------------------------------


def test_the_review_of_an_answer_carries_its_reasons_figures_and_places(world, answers):
    review = read_as_officer(world, lambda s, me: answer_review(s, me, answers["nrpf"]))
    assert [v.theme_label for v in review.themes][:1] == [
        "No recourse to public funds and destitution"
    ]
    nrpf = review.themes[0]
    assert (nrpf.score, nrpf.source, nrpf.sentences) == (4.0, "rules", [(0, 70)])
    assert review.regional and review.tagged and not review.reviewed
    assert [p["name"] for p in review.places] == ["Belfast"]
    assert review.figures[0]["kinds"] == ["percentage"]
    assert (review.organisation, review.question_number) == ("Partner organisation 1", "Q1")


def test_several_answers_are_read_in_one_go_in_the_order_asked(world, answers):
    order = [answers["esol"], answers["nrpf"], answers["spouse"]]
    reviews = read_as_officer(world, lambda s, me: answer_reviews(s, me, order))
    assert [r.answer_id for r in reviews] == order


@pytest.mark.parametrize(
    ("text", "matches", "expected"),
    [
        (
            "The NRPF rule <b>hurts</b> families & children.",
            [{"phrase": "NRPF", "start": 4, "end": 8}],
            "The <mark>NRPF</mark> rule &lt;b&gt;hurts&lt;/b&gt; families &amp; children.",
        ),
        (
            "<script>alert(1)</script> NRPF",
            [{"phrase": "NRPF", "start": 26, "end": 30}],
            "&lt;script&gt;alert(1)&lt;/script&gt; <mark>NRPF</mark>",
        ),
        (
            "Text changed since tagging.",
            [{"phrase": "NRPF", "start": 0, "end": 4}],
            "Text changed since tagging.",
        ),
    ],
)
def test_highlighting_escapes_everything_and_marks_only_the_matched_phrases(
    text, matches, expected
):
    assert highlighted_sentence(text, (0, len(text)), matches) == expected


# --- only officers ---------------------------------------------------------------------------

CALLS = {
    "review_queue": lambda s, me, w, a: review_queue(s, me, w.consultation),
    "review_counts": lambda s, me, w, a: review_counts(s, me, w.consultation),
    "answer_reviews": lambda s, me, w, a: answer_reviews(s, me, [a["nrpf"]]),
    "decide": lambda s, me, w, a: decide(
        s, me, a["nrpf"], theme_id(s, w, "nrpf"), accepted=True, now=NOW
    ),
    "add_theme_by_hand": lambda s, me, w, a: add_theme_by_hand(
        s, me, a["nrpf"], theme_id(s, w, "health"), now=NOW
    ),
    "bulk_accept": lambda s, me, w, a: bulk_accept(
        s, me, w.consultation, theme_id(s, w, "asylum"), now=NOW
    ),
}


@pytest.mark.parametrize("role", ["partner", "board"])
@pytest.mark.parametrize("call", sorted(CALLS))
def test_partners_and_board_members_cannot_review_tags(world, answers, call, role):
    who = world.partners[0] if role == "partner" else world.board
    with (
        pytest.raises(
            AccessDenied,
            match=re.escape(
                "Only policy officers can do this. If you need it, ask your partnership's policy "
                "officer. This attempt has been recorded."
            ),
        ),
        session_scope(world.engine) as session,
    ):
        CALLS[call](session, person(session, who), world, answers)
    with read_scope(world.engine) as session:
        assert session.scalar(select(func.count()).select_from(TagDecision)) == 0
        assert not session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("tag%"))
        )
