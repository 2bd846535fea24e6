"""The default learned model: trained from the repository's files, shown as "learned" and scored."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from consultations.db import read_scope
from evidence import default_model
from evidence.evaluate import read_labelled
from evidence.models import TagSuggestion, Theme
from evidence.tagger import (
    LEARNED,
    THEME_THRESHOLD,
    Tagger,
    build_tagger,
    load_default_taxonomy,
)
from tests.tagging_world import HOTELS, build_world, save
from tests.test_learning_flow import REVIEW, open_as_officer

ROOT = Path(__file__).resolve().parents[1]
CORPUS_CHECK = ROOT / "tests" / "data" / "corpus_check.jsonl"


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return build_tagger(load_default_taxonomy())


@pytest.fixture(scope="module")
def check_texts(tagger: Tagger) -> list[str]:
    ids = [theme.id for theme in tagger.themes]
    return [record.text for record in read_labelled(CORPUS_CHECK, theme_ids=ids)]


def test_learned_suggestions_say_learned_with_a_score_for_themes_the_rules_missed(
    tagger: Tagger, check_texts: list[str]
) -> None:
    results = list(tagger.tag(check_texts))
    learned = [(result, s) for result in results for s in result.learned]
    assert len(learned) >= 5
    for result, suggestion in learned:
        assert suggestion.source == LEARNED == "learned"
        assert default_model.THRESHOLD <= suggestion.score <= 1
        assert suggestion.theme_id not in {s.theme_id for s in result.suggestions}
        assert suggestion.theme_id in result.theme_ids


def test_switched_off_the_tagger_is_the_rules_alone(tagger: Tagger, check_texts: list[str]) -> None:
    rules = build_tagger(load_default_taxonomy(), learned=False)
    assert rules.model is None
    alone, shipped = list(rules.tag(check_texts)), list(tagger.tag(check_texts))
    assert not any(result.learned for result in alone)
    # The model keeps the rules' own suggestions as they are, or takes back a weak one.
    assert all(
        set(with_model.suggestions) <= set(by_rules.suggestions)
        for by_rules, with_model in zip(alone, shipped, strict=True)
    )
    assert alone != shipped


def test_the_combiner_takes_back_only_rule_suggestions_it_finds_unlikely(
    tagger: Tagger, check_texts: list[str]
) -> None:
    rules = build_tagger(load_default_taxonomy(), learned=False)
    ids = [theme.id for theme in tagger.themes]
    assert default_model.RULES_THRESHOLD == THEME_THRESHOLD
    scores, strongest = rules.rule_scores(check_texts, ids)
    assert tagger.model is not None
    docs = list(tagger.nlp.pipe(check_texts))
    combined = tagger.model.combined(tagger.model.probabilities(docs), scores, strongest)
    taken_back = 0
    for i, (by_rules, with_model) in enumerate(
        zip(rules.tag(check_texts), tagger.tag(check_texts), strict=True)
    ):
        kept = {suggestion.theme_id for suggestion in with_model.suggestions}
        for suggestion in by_rules.suggestions:
            j = ids.index(suggestion.theme_id)
            assert scores[i, j] == suggestion.score
            if suggestion.theme_id not in kept:
                taken_back += 1
                assert combined[i, j] < default_model.THRESHOLD
                assert strongest[i, j] < default_model.STRONG or len(docs[i]) >= default_model.SHORT
        for learned in with_model.learned:
            assert learned.score == pytest.approx(combined[i, ids.index(learned.theme_id)])
    assert taken_back >= 1


def test_in_a_short_answer_the_model_adds_a_theme_only_where_it_is_very_sure(
    tagger: Tagger,
) -> None:
    # Short answers written for the tagger (the dev set): too few words for the model to add a
    # theme at THRESHOLD; the tagger, LemmaModel.judge and default_model.decide agree on it.
    ids = [theme.id for theme in tagger.themes]
    dev = ROOT / "evidence" / "training_data" / "dev_set.jsonl"
    texts = [record.text for record in read_labelled(dev, theme_ids=ids)]
    rules = build_tagger(load_default_taxonomy(), learned=False)
    scores, strongest = rules.rule_scores(texts, ids)
    assert tagger.model is not None
    docs = list(tagger.nlp.pipe(texts))
    combined = tagger.model.combined(tagger.model.probabilities(docs), scores, strongest)
    tokens = np.array([len(doc) for doc in docs])
    decided = default_model.decide(combined, scores, strongest, tokens)
    held_back = 0
    for i, result in enumerate(tagger.tag(texts)):
        assert {ids[j] for j in np.flatnonzero(decided[i])} == set(result.theme_ids)
        short = tokens[i] < default_model.SHORT
        for learned in result.learned:
            assert learned.score >= (default_model.SHORT_ADDS if short else default_model.THRESHOLD)
        ruled = {suggestion.theme_id for suggestion in result.suggestions}
        held_back += sum(
            short
            and ids[j] not in ruled
            and scores[i, j] < default_model.RULES_THRESHOLD
            and default_model.THRESHOLD <= combined[i, j] < default_model.SHORT_ADDS
            for j in range(len(ids))
        )
    assert held_back >= 5


def test_the_model_scores_the_same_answers_the_same_way_every_time(
    tagger: Tagger, check_texts: list[str]
) -> None:
    first = [result.learned for result in tagger.tag(check_texts)]
    # One at a time, as a partner's save tags an answer, and in batches of another size.
    one_by_one = [next(iter(tagger.tag([text]))).learned for text in check_texts]
    batched = [result.learned for result in tagger.tag(check_texts, batch_size=7)]
    assert first == one_by_one == batched


@pytest.fixture(scope="module")
def trained_elsewhere(tagger: Tagger) -> bytes:
    """The model trained on every training file in another process: the install's build (make
    builds it before the tests run), or, without one, a training of this process's own."""
    ids = [theme.id for theme in tagger.themes]
    built = default_model.built_path(ids)
    if built.is_file():
        return built.read_bytes()
    return default_model.train(tagger.with_model(None), ids).to_bytes()


def test_training_is_deterministic(tagger: Tagger, trained_elsewhere: bytes) -> None:
    ids = [theme.id for theme in tagger.themes]
    first = default_model.train(tagger.with_model(None), ids).to_bytes()
    assert first == trained_elsewhere
    assert default_model.LemmaModel.from_bytes(first).to_bytes() == first


def test_a_model_trained_without_some_answers_does_not_know_them(
    tagger: Tagger, trained_elsewhere: bytes
) -> None:
    ids = [theme.id for theme in tagger.themes]
    records = default_model.training_records()
    left_out = {record["text"] for record in records[:50]}
    assert len(default_model.training_records(leave_out=left_out)) == len(records) - 50
    assert not left_out & {r["text"] for r in default_model.training_records(leave_out=left_out)}
    rules = tagger.with_model(None)
    assert default_model.train(rules, ids, leave_out=left_out).to_bytes() != trained_elsewhere


def test_the_check_split_is_never_trained_on(check_texts: list[str]) -> None:
    assert CORPUS_CHECK.name not in default_model.TRAINING_FILES
    assert not set(check_texts) & default_model.training_texts()
    for name in default_model.TRAINING_FILES:
        assert (default_model.TRAINING_DATA / name).is_file(), name
        assert not (ROOT / "tests" / "data" / name).exists(), f"a second copy of {name}"


TRAIN_WATCHED = """
import json, sys
opened, connected = [], []
def watch(event, args):
    if event == "open" and isinstance(args[0], str):
        opened.append(args[0])
    elif event in ("socket.connect", "socket.getaddrinfo", "urllib.Request"):
        connected.append(event)
sys.addaudithook(watch)
from pathlib import Path
from evidence import default_model
default_model.BUILT_FOLDER = Path(sys.argv[1])  # where this test's install keeps its build
from evidence.tagger import build_tagger, load_default_taxonomy
tagger = build_tagger(load_default_taxonomy())
list(tagger.tag(["Councils cannot house families with no recourse to public funds."]))
trained = "sklearn.linear_model" in sys.modules
print(json.dumps({"opened": opened, "connected": connected, "trained": trained}))
"""


def run_watched(tmp_path: Path) -> dict:
    completed = subprocess.run(
        [sys.executable, "-c", TRAIN_WATCHED, str(tmp_path / "built")],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "WORKBENCH_DATA_DIR": str(tmp_path / "data")},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.splitlines()[-1])


def test_it_trains_from_the_repository_files_only_then_reads_its_copy_in_the_data_folder(
    tmp_path: Path,
) -> None:
    first = run_watched(tmp_path)
    assert first["trained"] and first["connected"] == []
    labelled = {Path(path).name for path in first["opened"] if path.endswith(".jsonl")}
    assert labelled == set(default_model.TRAINING_FILES)
    kept = list((tmp_path / "data" / default_model.CACHE_FOLDER).glob("default-themes-*.npz"))
    assert len(kept) == 1
    # A second start reads the kept model: the training files are only hashed for its name.
    again = run_watched(tmp_path)
    assert not again["trained"] and again["connected"] == []
    assert str(kept[0]) in again["opened"]
    assert (
        kept[0].read_bytes() == default_model.LemmaModel.from_bytes(kept[0].read_bytes()).to_bytes()
    )


def test_the_install_builds_the_model_once_and_a_new_process_reads_it_without_training(
    tmp_path: Path,
) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "evidence.default_model", "--into", str(tmp_path / "built")],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "WORKBENCH_DATA_DIR": str(tmp_path / "data")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Built the default learned model" in built.stdout
    (copy,) = (tmp_path / "built").glob("default-themes-*.npz")
    started = run_watched(tmp_path)
    assert not started["trained"] and str(copy) in started["opened"]
    assert not (tmp_path / "data" / default_model.CACHE_FOLDER).exists()


def test_the_makefile_builds_the_model_before_the_app_or_the_tests_run() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    rules = re.split(r"\n(?=\S)", makefile)  # a target's line and its recipe's lines
    for target in ("run", "test", "demo"):
        (rule,) = [rule for rule in rules if rule.startswith(f"{target}:")]
        assert "$(BIN)/.model" in rule, rule  # a prerequisite, or made first by its recipe
    assert "$(BIN)/python -m evidence.default_model" in makefile


# --- in the workbench ------------------------------------------------------------------------

WAITING = "People waited two years for a decision and could not work in the meantime."


def machine_suggestions(engine, answer_id: int) -> dict[str, tuple[str, float, dict]]:
    with read_scope(engine) as session:
        rows = session.execute(
            select(Theme.key, TagSuggestion)
            .join(Theme, Theme.id == TagSuggestion.theme_id)
            .where(TagSuggestion.answer_id == answer_id)
        ).all()
    return {key: (s.source, s.score, s.spans) for key, s in rows}


def test_a_saved_answer_gets_the_default_models_theme_shown_as_learned_with_its_score(
    engine, open_page
):
    world = build_world(engine)
    answer = save(world, 0, 0, WAITING)
    source, score, spans = machine_suggestions(engine, answer.id)["asylum"]
    assert (source, spans) == ("learned", {"model": "default"})
    # A short answer: the model adds a theme only where it is this sure; a probability, not 1.
    assert default_model.SHORT_ADDS <= score < 1
    app = open_as_officer(open_page, world, REVIEW)
    shown = " ".join(element.body for element in app.html)
    assert (
        "<strong>Asylum system and support</strong> <small>(learned: suggested by the model the "
        "workbench ships with, trained on labelled consultation comments, "
        f"{round(score * 100)}% sure)</small>"
    ) in shown


def test_with_the_setting_off_a_saved_answer_gets_the_rules_suggestions_alone(
    engine, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("WORKBENCH_DEFAULT_MODEL", "false")
    world = build_world(engine)
    assert machine_suggestions(engine, save(world, 0, 0, WAITING).id) == {}
    hotels = machine_suggestions(engine, save(world, 0, 1, HOTELS).id)
    assert {key: source for key, (source, _, _) in hotels.items()} == {
        "asylum": "rules",
        "accommodation": "rules",
    }
