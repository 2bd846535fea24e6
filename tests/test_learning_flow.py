"""Learning from corrections end to end: decisions stored by the review, a model trained on them,
stored, switched on and off, its suggestions stored as "learned" and shown on the review page.

The answers are the synthetic comments of ``tests/test_learning.py``, about four themes: two the
rules know (``nrpf``, ``health``) and two the officer adds without any phrase ("Digital
access", "Travel and transport"), which only a model can learn. Real database, real spaCy.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from consultations.db import read_scope, session_scope
from consultations.errors import AccessDenied, WorkbenchError
from consultations.models import AuditEvent, User
from evidence.learning import MIN_REVIEWED, NotEnoughReviewed, load_model, split_reviewed
from evidence.model_store import (
    activate_tag_model,
    active_tag_model,
    deactivate_tag_model,
    save_tag_model,
    tag_models,
)
from evidence.models import TagDecision, TagModel, TagSuggestion, Theme
from evidence.review import add_theme_by_hand, decide
from evidence.tagging import retag_consultation
from evidence.themes import add_theme
from evidence.training import (
    figures_rows,
    learning_status,
    macro_f1_sentence,
    model_summaries,
    train_on_decisions,
    verdict,
)
from tests.conftest import NOW, later
from tests.tagging_world import NRPF_BELFAST, World, build_world, person, save
from tests.test_learning import PREDICATES, UNSEEN, WHO, synthetic_decisions
from tests.test_pages import texts

LEARNING = "evidence/pages/learning.py"
REVIEW = "evidence/pages/review.py"
ADDED = {"digital": "Digital access", "transport": "Travel and transport"}
# Organisations with three answers each: 60 comments, of which 56 get a decision (the few that
# raise no theme and have no suggestion have nothing to decide on).
ORGANISATIONS = 20


@dataclass(frozen=True)
class Reviewed:
    """A world whose answers an officer has reviewed, and its theme keys by name."""

    world: World
    keys: dict[str, str]
    answers: list[int]
    spare: int  # an organisation that has not answered yet


def add_learned_themes(world: World) -> dict[str, str]:
    """Add the officer's own themes that no phrase names; return {name in the generator: key}."""
    with session_scope(world.engine) as session:
        me = person(session, world.officer)
        added = {
            name: add_theme(session, me, world.consultation, label=label, now=NOW).key
            for name, label in ADDED.items()
        }
    return {name: added.get(name, name) for name in PREDICATES}


def save_comments(world: World, comments: list[str]) -> list[int]:
    """Save each comment as the next organisation's answer to the next question."""
    per = len(world.questions)
    return [save(world, n // per, n % per, text).id for n, text in enumerate(comments)]


def review(world: World, truth: dict[int, set[str]]) -> int:
    """Decide on every suggestion as the truth says, add the themes it missed; count reviewed."""
    reviewed = 0
    with session_scope(world.engine) as session:
        me = person(session, world.officer)
        ids = dict(
            session.execute(
                select(Theme.key, Theme.id).where(Theme.consultation_id == world.consultation)
            ).all()
        )
        for answer_id, themes in truth.items():
            suggested = set(
                session.scalars(
                    select(Theme.key)
                    .join(TagSuggestion, TagSuggestion.theme_id == Theme.id)
                    .where(TagSuggestion.answer_id == answer_id)
                )
            )
            for key in suggested:
                decide(session, me, answer_id, ids[key], accepted=key in themes, now=NOW)
            for key in themes - suggested:
                add_theme_by_hand(session, me, answer_id, ids[key], now=NOW)
            reviewed += bool(suggested | themes)
    return reviewed


def reviewed_world(engine) -> Reviewed:
    """Sixty varied comments saved by partners, and the officer's decisions on them."""
    world = build_world(engine, organisations=ORGANISATIONS + 1)
    keys = add_learned_themes(world)
    decisions = synthetic_decisions(ORGANISATIONS * len(world.questions), seed=11)
    answers = save_comments(world, [d.text for d in decisions])
    truth = {
        answer_id: {keys[name] for name in decision.accepted_theme_ids}
        for answer_id, decision in zip(answers, decisions, strict=True)
    }
    assert review(world, truth) >= MIN_REVIEWED
    return Reviewed(world, keys, answers, spare=ORGANISATIONS)


def as_officer(world: World, fn):
    with session_scope(world.engine) as session:
        return fn(session, person(session, world.officer))


def train(world: World) -> TagModel:
    return as_officer(world, lambda s, me: train_on_decisions(s, me, world.consultation, now=NOW))


def switch_on(world: World, model_id: int) -> None:
    as_officer(world, lambda s, me: activate_tag_model(s, me, model_id, now=later(hours=1)))
    retag_consultation(world.engine, world.officer, world.consultation)


def suggestions(world: World, answer_id: int) -> dict[tuple[str, str], TagSuggestion]:
    """Return the answer's suggestions by (theme key, source)."""
    with read_scope(world.engine) as session:
        return {
            (key, suggestion.source): suggestion
            for suggestion, key in session.execute(
                select(TagSuggestion, Theme.key)
                .join(Theme, Theme.id == TagSuggestion.theme_id)
                .where(TagSuggestion.answer_id == answer_id)
            )
        }


@pytest.fixture
def reviewed(engine) -> Reviewed:
    return reviewed_world(engine)


# --- training from the stored decisions ------------------------------------------------------


def test_a_model_trained_on_stored_decisions_is_stored_with_its_figures_and_predicts(reviewed):
    world = reviewed.world
    model = train(world)
    with read_scope(world.engine) as session:
        [stored] = tag_models(session, world.consultation)
        data, figures, labels = stored.data, stored.figures, stored.labels
        summary = model_summaries(session, person(session, world.officer), world.consultation)
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "tag_model.saved"))
    assert (stored.id, stored.version, stored.active) == (model.id, 1, False)
    assert (stored.created_by_id, stored.created_at) == (world.officer, NOW)
    assert figures["trained"] + figures["held_back"] >= MIN_REVIEWED
    assert figures["held_back"] == round((figures["trained"] + figures["held_back"]) / 5)
    assert set(figures["systems"]) == {"rules", "model", "combined"}
    assert {reviewed.keys["digital"], reviewed.keys["transport"], "nrpf"} <= set(labels)
    # Only the model can find the officer's own themes, so both together beat the rules.
    rules = figures["systems"]["rules"]["micro_f1"]
    combined = figures["systems"]["combined"]["micro_f1"]
    assert combined > rules
    assert verdict(figures).startswith(f"Switching it on would raise micro-F1 from {rules:.2f}")
    assert summary[0].refusal is None and summary[0].created_by == "Test Officer"
    assert event.actor_id == world.officer
    assert event.detail["held_back"] == figures["held_back"]
    # The bytes alone rebuild the model, which finds a theme no phrase names in a new comment.
    [found] = load_model(data).suggest([UNSEEN["digital"]])
    assert reviewed.keys["digital"] in [suggestion.theme_id for suggestion in found]


def test_the_figures_table_has_a_row_per_theme_seen_then_all_themes_together(reviewed):
    model = train(reviewed.world)
    labels = {reviewed.keys["digital"]: "Digital access", "nrpf": "NRPF"}
    for measure in ("f1", "precision", "recall"):
        check_figures_rows(model.figures, labels, measure, reviewed.keys["digital"])
    with pytest.raises(ValueError, match="The measure must be one of f1, precision, recall"):
        figures_rows(model.figures, labels, measure="accuracy")
    systems = model.figures["systems"]
    assert macro_f1_sentence(model.figures).startswith(
        f"The average of the themes' F1 (macro-F1): rules alone {systems['rules']['macro_f1']:.2f}"
    )


def check_figures_rows(figures, labels, measure, digital_key) -> None:
    rows = figures_rows(figures, labels, measure=measure)
    systems = figures["systems"]
    assert list(rows[0]) == [
        "Theme",
        "Held-back answers filed under it",
        "Rules alone",
        "Model alone",
        "Rules and model",
    ]
    themes = [row["Theme"] for row in rows]
    assert themes[-1] == "All themes together (micro)"
    assert {"Digital access", "NRPF"} <= set(themes)
    digital = rows[themes.index("Digital access")]
    assert digital["Rules alone"] == 0.0 and digital["Model alone"] > 0
    assert rows[-1]["Rules and model"] == systems["combined"][f"micro_{measure}"]
    assert rows[-1]["Held-back answers filed under it"] == sum(
        theme["support"] for theme in systems["rules"]["themes"]
    )
    digital = next(t for t in systems["model"]["themes"] if t["theme_id"] == digital_key)
    assert rows[themes.index("Digital access")]["Model alone"] == digital[measure]


def test_training_below_50_reviewed_answers_says_how_many_more(engine):
    world = build_world(engine)
    [answer] = save_comments(world, [synthetic_decisions(1)[0].text])
    assert review(world, {answer: {"nrpf"}}) == 1  # every suggestion decided, NRPF by hand
    status = as_officer(world, lambda s, me: learning_status(s, me, world.consultation))
    assert (status.reviewed, status.needed, status.enough) == (1, 49, False)
    with pytest.raises(NotEnoughReviewed, match="Review 49 more answers, then train"):
        train(world)
    with read_scope(engine) as session:
        assert tag_models(session, world.consultation) == []


def test_switching_on_a_model_that_lowers_micro_f1_is_refused(engine):
    # Every comment names a digital problem. The officer filed the answers the model learns from
    # under "Digital access" but, on the held-back ones, accepted only what the rules suggested:
    # so the model's digital suggestions there count as wrong, and lower the rules' micro-F1.
    world = build_world(engine, organisations=18)
    keys = add_learned_themes(world)
    rng = random.Random(5)
    comments = [
        f"{rng.choice(WHO)} {rng.choice(PREDICATES[rng.choice(['nrpf', 'health'])])}. "
        f"{rng.choice(WHO)} {rng.choice(PREDICATES['digital'])}."
        for _ in range(18 * len(world.questions))
    ]
    answers = save_comments(world, comments)
    by_rules = {  # the rules' own suggestions, not the default learned model's
        answer_id: {key for key, source in suggestions(world, answer_id) if source == "rules"}
        for answer_id in answers
    }
    assert all(by_rules.values())
    _, held_back = split_reviewed((a, text, ()) for a, text in zip(answers, comments, strict=True))
    held = {answer.answer_id for answer in held_back}
    truth = {
        answer_id: themes if answer_id in held else themes | {keys["digital"]}
        for answer_id, themes in by_rules.items()
    }
    assert review(world, truth) == len(answers)
    model = train(world)
    systems = model.figures["systems"]
    assert systems["rules"]["micro_f1"] == 1.0
    assert systems["combined"]["micro_f1"] < 1.0
    assert verdict(model.figures).startswith("It would not help: switching it on would lower")
    with pytest.raises(
        WorkbenchError,
        match=r"^Version 1 would lower micro-F1 on the held-back answers from 1\.00 to 0\.\d\d, so "
        r"it cannot be switched on\. Keep the rules alone",
    ):
        as_officer(world, lambda s, me: activate_tag_model(s, me, model.id, now=NOW))
    with read_scope(engine) as session:
        assert active_tag_model(session, world.consultation) is None
        assert not session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "tag_model.activated")
        )


def test_a_model_without_measured_figures_cannot_be_switched_on(engine):
    world = build_world(engine)
    model = as_officer(
        world,
        lambda s, me: save_tag_model(
            s, me, world.consultation, data=b"bytes", labels=["nrpf"], figures={}, now=NOW
        ),
    )
    with pytest.raises(WorkbenchError, match="Version 1 has no figures measured on held-back"):
        as_officer(world, lambda s, me: activate_tag_model(s, me, model.id, now=NOW))


# --- learned suggestions in tagging ----------------------------------------------------------


def test_an_active_model_adds_learned_suggestions_on_the_next_save(reviewed):
    world = reviewed.world
    digital = reviewed.keys["digital"]
    switch_on(world, train(world).id)
    answer = save(world, reviewed.spare, 0, UNSEEN["digital"])
    found = suggestions(world, answer.id)
    learned = found[(digital, "learned")]
    assert 0.5 <= learned.score <= 1.0
    assert learned.spans == {}
    # Only for themes the rules did not suggest.
    rule_themes = {key for key, source in found if source == "rules"}
    assert not rule_themes & {key for key, source in found if source == "learned"}
    # Saving again replaces them rather than adding more.
    save(world, reviewed.spare, 0, UNSEEN["digital"] + " Please fix it.", seen=answer.version)
    assert len([key for key in suggestions(world, answer.id) if key[1] == "learned"]) >= 1
    assert len(suggestions(world, answer.id)) == len(set(suggestions(world, answer.id)))


def test_switching_a_model_on_and_re_tagging_adds_learned_suggestions_to_earlier_answers(
    reviewed,
):
    world = reviewed.world

    def learned_spans(session) -> list[dict]:
        return list(
            session.scalars(select(TagSuggestion.spans).where(TagSuggestion.source == "learned"))
        )

    with read_scope(world.engine) as session:
        # Before: only the default learned model's suggestions, if any.
        assert all(spans == {"model": "default"} for spans in learned_spans(session))
    switch_on(world, train(world).id)
    with read_scope(world.engine) as session:
        # The consultation's own model replaces the default one: none of its suggestions stay.
        assert all(spans == {} for spans in learned_spans(session))
        learned = session.execute(
            select(TagSuggestion.answer_id, TagSuggestion.theme_id).where(
                TagSuggestion.source == "learned"
            )
        ).all()
        by_rules = set(
            session.execute(
                select(TagSuggestion.answer_id, TagSuggestion.theme_id).where(
                    TagSuggestion.source == "rules"
                )
            ).all()
        )
    assert len(learned) > 10
    assert not set(learned) & by_rules


def test_switching_off_removes_the_learned_suggestions_nobody_decided_on(reviewed):
    world = reviewed.world
    model = train(world)
    switch_on(world, model.id)
    answer = save(world, reviewed.spare, 0, UNSEEN["digital"])
    digital = suggestions(world, answer.id)[(reviewed.keys["digital"], "learned")]
    with read_scope(world.engine) as session:
        learned_before = session.scalar(
            select(func.count()).select_from(TagSuggestion).where(TagSuggestion.source == "learned")
        )
    as_officer(
        world, lambda s, me: decide(s, me, answer.id, digital.theme_id, accepted=True, now=NOW)
    )
    removed = as_officer(world, lambda s, me: deactivate_tag_model(s, me, model.id, now=NOW))
    with read_scope(world.engine) as session:
        left = session.execute(
            select(TagSuggestion.answer_id, TagSuggestion.theme_id).where(
                TagSuggestion.source == "learned"
            )
        ).all()
        decided = set(
            session.execute(
                select(TagDecision.answer_id, TagDecision.theme_id).where(TagDecision.is_current)
            ).all()
        )
        decision = session.scalar(select(TagDecision).where(TagDecision.answer_id == answer.id))
        event = session.scalar(
            select(AuditEvent).where(AuditEvent.action == "tag_model.deactivated")
        )
        assert active_tag_model(session, world.consultation) is None
        rules_left = session.scalar(
            select(func.count()).select_from(TagSuggestion).where(TagSuggestion.source == "rules")
        )
    # What stays is what a person decided on: this answer's, and the reviewed answers' ones.
    assert (answer.id, digital.theme_id) in left
    assert set(left) <= decided
    assert removed == learned_before - len(left) > 0
    assert (decision.origin, decision.accepted) == ("model", True)
    assert event.detail["suggestions_removed"] == removed
    assert rules_left > 0


def test_a_model_that_cannot_be_read_leaves_the_rules_tagging_alone(engine, caplog):
    world = build_world(engine)
    figures = {"systems": {"rules": {"micro_f1": 0.5}, "combined": {"micro_f1": 0.6}}}
    model = as_officer(
        world,
        lambda s, me: save_tag_model(
            s, me, world.consultation, data=b"garbage", labels=["nrpf"], figures=figures, now=NOW
        ),
    )
    as_officer(world, lambda s, me: activate_tag_model(s, me, model.id, now=NOW))
    with caplog.at_level(logging.ERROR, logger="workbench.tagging"):
        answer = save(world, 0, 0, NRPF_BELFAST)
    assert any(source == "rules" for _, source in suggestions(world, answer.id))
    assert "cannot be loaded; tagging with the rules alone" in caplog.text


# --- who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["partner", "board"])
def test_partners_and_board_members_cannot_train_look_at_or_switch_models(engine, role):
    world = build_world(engine)
    model = as_officer(
        world,
        lambda s, me: save_tag_model(
            s, me, world.consultation, data=b"bytes", labels=[], figures={}, now=NOW
        ),
    )
    who = world.partners[0] if role == "partner" else world.board
    calls = [
        lambda s, me: train_on_decisions(s, me, world.consultation, now=NOW),
        lambda s, me: learning_status(s, me, world.consultation),
        lambda s, me: model_summaries(s, me, world.consultation),
        lambda s, me: activate_tag_model(s, me, model.id, now=NOW),
        lambda s, me: deactivate_tag_model(s, me, model.id, now=NOW),
    ]
    for call in calls:
        with (
            pytest.raises(AccessDenied, match="Only policy officers can do this"),
            session_scope(engine) as session,
        ):
            call(session, session.get(User, who))
    with read_scope(engine) as session:
        assert [m.version for m in tag_models(session, world.consultation)] == [1]


# --- the pages ---------------------------------------------------------------------------------


def open_as_officer(open_page, world: World, page: str):
    with read_scope(world.engine) as session:
        officer = session.get(User, world.officer)
    app = open_page(page, as_user=officer, query={"consultation": str(world.consultation)})
    assert not app.exception
    return app


def button(app, label: str):
    return next(b for b in app.button if b.label == label)


def test_learning_page_below_50_says_how_many_more_answers_to_review(open_page, engine):
    world = build_world(engine)
    save_comments(world, [synthetic_decisions(2)[1].text])
    app = open_as_officer(open_page, world, LEARNING)
    page = texts(app)
    assert "0 answers reviewed so far." in page.replace("*", "")
    assert (
        "A model needs at least 50 reviewed answers. Review 50 more answers on 'Review theme "
        "tags', then train one here."
    ) in [info.value for info in app.info]
    assert button(app, "Train a model on the decisions").disabled
    assert not app.dataframe


def test_learning_page_trains_shows_the_figures_and_switches_the_model_on_and_off(
    open_page, reviewed
):
    world = reviewed.world
    app = open_as_officer(open_page, world, LEARNING)
    assert not button(app, "Train a model on the decisions").disabled
    button(app, "Train a model on the decisions").click().run()
    assert not app.exception
    assert "Trained and stored version 1." in [s.value for s in app.success]
    page = texts(app)
    assert "Switching it on would raise micro-F1 from" in page
    figures, stored = app.dataframe
    assert list(figures.value.columns) == [
        "Theme",
        "Held-back answers filed under it",
        "Rules alone",
        "Model alone",
        "Rules and model",
    ]
    assert "Digital access" in list(figures.value["Theme"])
    assert "All themes together (micro)" in list(figures.value["Theme"])
    next(r for r in app.radio if r.label == "Measure").set_value("precision").run()
    assert not app.exception
    precision = app.dataframe[0].value
    assert list(precision["Theme"]) == list(figures.value["Theme"])
    assert list(stored.value["Version"]) == [1]
    switch = button(app, "Switch this model on")
    assert not switch.disabled
    switch.click().run()
    assert not app.exception
    assert any(s.value.startswith("Switched on version 1 and tagged") for s in app.success)
    with read_scope(world.engine) as session:
        assert active_tag_model(session, world.consultation).version == 1
    button(app, "Switch off").click().run()
    assert not app.exception
    assert any(s.value.startswith("Switched off version 1 and removed") for s in app.success)
    with read_scope(world.engine) as session:
        assert active_tag_model(session, world.consultation) is None


def test_review_page_shows_a_learned_suggestion_as_learned_with_its_score(open_page, reviewed):
    world = reviewed.world
    switch_on(world, train(world).id)
    answer = save(world, reviewed.spare, 0, UNSEEN["digital"])
    learned = suggestions(world, answer.id)[(reviewed.keys["digital"], "learned")]
    app = open_as_officer(open_page, world, REVIEW)
    shown = " ".join(element.body for element in app.html)
    assert (
        f"<strong>Digital access</strong> <small>(suggested by the model learned from your "
        f"decisions, {round(learned.score * 100)}% sure)</small>"
    ) in shown
    assert app.button(key=f"accept-{answer.id}-{learned.theme_id}")
