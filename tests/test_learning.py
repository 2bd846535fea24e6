"""Learning themes from the officer's decisions: the split, the refusal, training, the figures,
and a model that reloads from its bytes alone.

The decisions are synthetic: comments built from phrases about four themes, two that the
rules know (``nrpf``, ``health``) and two an officer added without any phrases (``digital``,
``transport``), so only a learned model can find those.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from evidence.evaluate import Scores
from evidence.learning import (
    LEARNED,
    MIN_REVIEWED,
    LearningError,
    LearningResult,
    NotEnoughReviewed,
    ReviewedAnswer,
    decisions_version,
    load_model,
    scores_from_figures,
    split_reviewed,
    train_model,
)
from evidence.tagger import Tagger, ThemeSpec, build_tagger, load_default_taxonomy

ROOT = Path(__file__).resolve().parent.parent

# Each comment says who (shared by every theme) and what happens to them (the theme's words).
WHO = [
    "Older people",
    "Many of our clients",
    "New arrivals",
    "Families we support",
    "Young people",
    "Disabled people",
]
PREDICATES = {
    "digital": [
        "cannot upload documents to the online portal",
        "have no smartphone for the app",
        "struggle to log in to the website",
        "lose access to their eVisa account when a phone number changes",
        "need wifi and a laptop to apply",
        "get stuck on the web form when the page times out",
        "have no email address for the online account",
        "cannot scan a passport on a cheap handset",
        "need our help to reset passwords",
    ],
    "transport": [
        "cannot afford bus fares to appointments",
        "walk for hours because there is no train",
        "need three buses to reach the office",
        "would arrive on time with free travel passes",
        "pay for taxis after the last bus has gone",
        "lose a whole day when a connection is missed",
        "rely on volunteer drivers because public transport is poor",
        "face rising ticket prices",
        "live miles from the nearest station",
    ],
    "nrpf": [
        "are left destitute by the NRPF condition",
        "have no recourse to public funds",
        "need section 17 support while a change of conditions is decided",
        "fall into destitution after a refusal",
        "rely on hardship funds because of NRPF",
        "are destitute and cannot get a place in a refuge",
    ],
    "health": [
        "are refused GP registration without proof of address",
        "avoid maternity care because of NHS charging",
        "wait months for mental health services",
        "miss hospital appointments without interpreters",
        "cannot find counselling for PTSD",
        "cannot get dental care",
        "are put off by the immigration health surcharge",
    ],
}
LEARNED_ONLY = frozenset({"digital", "transport"})
OPENERS = ["", "In our experience, ", "Partners tell us that ", "From our casework, "]
CLOSERS = ["", " This needs urgent attention.", " We would welcome a meeting about this."]
NO_THEME = [
    "We have no further comments on this question.",
    "We agree with the proposal as written.",
    "Thank you for the chance to respond.",
]

UNSEEN = {
    "digital": "The website would not let me upload a scan of my passport from my phone.",
    "transport": "The bus and train tickets to get to the appointment cost too much.",
}


def _comment(rng: random.Random, themes: list[str]) -> str:
    sentences = [f"{rng.choice(WHO)} {rng.choice(PREDICATES[theme])}." for theme in themes]
    opener = rng.choice(OPENERS)
    if opener:
        sentences[0] = opener + sentences[0][0].lower() + sentences[0][1:]
    return " ".join(sentences) + rng.choice(CLOSERS)


def synthetic_decisions(count: int = 160, *, seed: int = 7) -> list[ReviewedAnswer]:
    """Build reviewed answers whose accepted themes are the themes their sentences are about."""
    rng = random.Random(seed)
    names = sorted(PREDICATES)
    answers = []
    for number in range(count):
        if number % 16 == 0:
            text, themes = rng.choice(NO_THEME), []
        elif number % 4 == 0:
            themes = rng.sample(names, 2)
            text = _comment(rng, themes)
        else:
            themes = [rng.choice(names)]
            text = _comment(rng, themes * rng.choice([1, 2]))
        answers.append(ReviewedAnswer(1000 + number, text, frozenset(themes)))
    return answers


@pytest.fixture(scope="module")
def themes() -> list[ThemeSpec]:
    added = [
        ThemeSpec(id="digital", label="Digital access", description="Online systems.", patterns=()),
        ThemeSpec(id="transport", label="Travel", description="Getting about.", patterns=()),
    ]
    return [*load_default_taxonomy(), *added]


@pytest.fixture(scope="module")
def theme_ids(themes: list[ThemeSpec]) -> list[str]:
    return [theme.id for theme in themes]


@pytest.fixture(scope="module")
def tagger(themes: list[ThemeSpec]) -> Tagger:
    return build_tagger(themes)


@pytest.fixture(scope="module")
def decisions() -> list[ReviewedAnswer]:
    return synthetic_decisions()


@pytest.fixture(scope="module")
def result(decisions: list[ReviewedAnswer], theme_ids: list[str], tagger: Tagger) -> LearningResult:
    return train_model(decisions, theme_ids=theme_ids, tagger=tagger, version=3)


# --- refusing too few decisions, and inconsistent ones --------------------------------------


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (0, r"at least 50 reviewed answers, and 0 have been reviewed so far\. Review 50 more "),
        (1, r"and 1 has been reviewed so far\. Review 49 more answers, then train"),
        (49, r"and 49 have been reviewed so far\. Review 1 more answer, then train"),
    ],
)
def test_train_model_refuses_fewer_than_50_reviewed_answers(
    count: int, message: str, theme_ids: list[str], tagger: Tagger
) -> None:
    with pytest.raises(NotEnoughReviewed, match=message):
        train_model(synthetic_decisions(count), theme_ids=theme_ids, tagger=tagger)


def test_train_model_counts_an_answer_listed_twice_once(
    theme_ids: list[str], tagger: Tagger
) -> None:
    decisions = synthetic_decisions(MIN_REVIEWED - 1)
    with pytest.raises(NotEnoughReviewed, match="49 have been reviewed"):
        train_model([*decisions, decisions[0]], theme_ids=theme_ids, tagger=tagger)


def test_train_model_names_every_inconsistent_decision_at_once(
    theme_ids: list[str], tagger: Tagger
) -> None:
    decisions = synthetic_decisions(MIN_REVIEWED + 1)
    decisions[1] = decisions[1]._replace(accepted_theme_ids=frozenset({"weather"}))
    decisions[2] = decisions[2]._replace(answer_id=decisions[3].answer_id)
    with pytest.raises(
        LearningError,
        match=r"^The model cannot be trained: these answers are listed more than once: 1003; "
        r"decisions accept themes the consultation does not have: weather\. Load the decisions",
    ):
        train_model(decisions, theme_ids=theme_ids, tagger=tagger)


# --- the split -------------------------------------------------------------------------------


def test_split_reviewed_holds_back_a_fifth_the_same_way_every_time() -> None:
    decisions = synthetic_decisions(100)
    trained, held_back = split_reviewed(decisions)
    again = split_reviewed(reversed(decisions))
    assert len(held_back) == 20
    assert len(trained) == 80
    assert {answer.answer_id for answer in again[1]} == {answer.answer_id for answer in held_back}
    assert {answer.answer_id for answer in trained}.isdisjoint(a.answer_id for a in held_back)


def test_split_reviewed_keeps_answers_held_back_when_more_are_reviewed() -> None:
    _, held_back = split_reviewed(synthetic_decisions(100))
    _, held_back_later = split_reviewed(synthetic_decisions(110))
    kept = {a.answer_id for a in held_back} & {a.answer_id for a in held_back_later}
    assert len(kept) >= 18


def test_split_reviewed_takes_plain_tuples_and_string_ids() -> None:
    trained, held_back = split_reviewed((f"a{n}", "text", {"nrpf"}) for n in range(50))
    assert (len(trained), len(held_back)) == (40, 10)
    assert held_back[0].accepted_theme_ids == frozenset({"nrpf"})


# --- training, and the figures ---------------------------------------------------------------


def test_train_model_counts_trained_and_held_back_answers(result: LearningResult) -> None:
    assert (result.trained, result.held_back) == (128, 32)
    assert result.version == 3
    for scores in (result.rules, result.model, result.combined):
        assert scores.answers == 32


def test_train_model_figures_are_ratios_that_agree_with_each_other(
    result: LearningResult, decisions: list[ReviewedAnswer]
) -> None:
    _, held_back = split_reviewed(decisions)
    labels = sum(len(answer.accepted_theme_ids) for answer in held_back)
    systems = (result.rules, result.model, result.combined)
    for scores in systems:
        assert sum(theme.support for theme in scores.themes) == labels
        for value in (scores.micro_f1, scores.macro_f1, scores.micro_precision):
            assert 0.0 <= value <= 1.0
        for theme in scores.themes:
            assert min(theme.precision, theme.recall, theme.f1) >= 0.0
            assert max(theme.precision, theme.recall, theme.f1) <= 1.0
    for rules, model, combined in zip(*(scores.themes for scores in systems), strict=True):
        # Both combined is the union: it finds whatever either found, and nothing else.
        assert rules.theme_id == model.theme_id == combined.theme_id
        assert rules.support == model.support == combined.support
        assert max(rules.true_positives, model.true_positives) <= combined.true_positives
        assert combined.true_positives <= rules.true_positives + model.true_positives
        assert combined.false_positives <= rules.false_positives + model.false_positives


def test_train_model_recommends_a_model_that_finds_themes_the_rules_cannot(
    result: LearningResult,
) -> None:
    rules = {theme.theme_id: theme for theme in result.rules.themes}
    model = {theme.theme_id: theme for theme in result.model.themes}
    for theme_id in LEARNED_ONLY:
        assert rules[theme_id].recall == 0.0
        assert model[theme_id].recall >= 0.8
        assert model[theme_id].precision >= 0.8
    assert result.combined.micro_f1 > result.rules.micro_f1 + 0.2
    assert result.recommended


@pytest.fixture(scope="module")
def contradicted(decisions: list[ReviewedAnswer]) -> list[ReviewedAnswer]:
    """The same answers, but the officer turned down digital and transport on held-back ones."""
    _, held_back = split_reviewed(decisions)
    held_ids = {answer.answer_id for answer in held_back}
    return [
        answer._replace(accepted_theme_ids=answer.accepted_theme_ids - LEARNED_ONLY)
        if answer.answer_id in held_ids
        else answer
        for answer in decisions
    ]


@pytest.fixture(scope="module")
def noisy(
    contradicted: list[ReviewedAnswer], theme_ids: list[str], tagger: Tagger
) -> LearningResult:
    return train_model(contradicted, theme_ids=theme_ids, tagger=tagger)


def test_train_model_does_not_recommend_a_model_that_only_adds_noise(
    noisy: LearningResult,
) -> None:
    # All the model learned to add is wrong on the held-back answers, where the rules were
    # right without it.
    model = {theme.theme_id: theme for theme in noisy.model.themes}
    assert all(model[theme_id].false_positives > 0 for theme_id in LEARNED_ONLY)
    assert noisy.combined.micro_f1 < noisy.rules.micro_f1
    assert not noisy.recommended


def test_train_model_gives_the_same_model_for_the_same_decisions(
    decisions: list[ReviewedAnswer], theme_ids: list[str], tagger: Tagger, result: LearningResult
) -> None:
    again = train_model(decisions[::-1], theme_ids=theme_ids, tagger=tagger, version=3)
    assert again.model_bytes == result.model_bytes
    assert again.figures() == result.figures()


def test_train_model_names_the_version_after_the_decisions_when_none_is_given(
    contradicted: list[ReviewedAnswer], noisy: LearningResult, theme_ids: list[str]
) -> None:
    assert noisy.version == decisions_version(contradicted[::-1], theme_ids=theme_ids)
    assert noisy.version != decisions_version(contradicted[1:], theme_ids=theme_ids)
    assert load_model(noisy.model_bytes).version == noisy.version


def test_figures_are_json_and_rebuild_the_scores(result: LearningResult) -> None:
    figures = json.loads(json.dumps(result.figures()))
    assert figures["recommended"] is result.recommended
    assert (figures["trained"], figures["held_back"]) == (128, 32)
    for name, scores in (("rules", result.rules), ("model", result.model)):
        rebuilt = scores_from_figures(figures, name)
        assert isinstance(rebuilt, Scores)
        assert rebuilt == scores
        assert figures["systems"][name]["micro_f1"] == pytest.approx(scores.micro_f1)


# --- the stored model ------------------------------------------------------------------------


def test_load_model_predicts_themes_of_unseen_answers(result: LearningResult) -> None:
    model = load_model(result.model_bytes)
    scores = model.predict(list(UNSEEN.values()))
    for theme_id, answer_scores in zip(UNSEEN, scores, strict=True):
        assert max(answer_scores, key=answer_scores.__getitem__) == theme_id
        assert answer_scores[theme_id] >= 0.5
        assert all(0.0 <= score <= 1.0 for score in answer_scores.values())
    assert model.version == 3
    assert model.theme_ids == result.theme_ids


def test_load_model_suggestions_say_learned_and_show_their_score(result: LearningResult) -> None:
    model = load_model(result.model_bytes)
    [suggestions, nothing] = model.suggest([UNSEEN["digital"], "Thank you."], threshold=0.5)
    assert suggestions[0].theme_id == "digital"
    assert all(suggestion.source == LEARNED == "learned" for suggestion in suggestions)
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)
    assert all(suggestion.score >= 0.5 for suggestion in suggestions)
    assert nothing == ()


def test_load_model_builds_each_model_once(result: LearningResult) -> None:
    assert load_model(bytes(bytearray(result.model_bytes))) is load_model(result.model_bytes)
    assert load_model(result.model_bytes).sha256 == result.sha256


def test_load_model_refuses_a_single_string(result: LearningResult) -> None:
    with pytest.raises(TypeError, match="a list of answers, not a single string"):
        load_model(result.model_bytes).predict("one answer")


@pytest.mark.parametrize("data", [b"", b"not a model", b"x\x9c\x03\x00\x00\x00\x00\x01"])
def test_load_model_refuses_bytes_it_did_not_make(data: bytes) -> None:
    with pytest.raises(LearningError, match="not one the workbench made, or it is damaged"):
        load_model(data)


def test_load_model_works_in_a_fresh_process_without_the_training_data(
    result: LearningResult, tmp_path: Path
) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(result.model_bytes)
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from evidence.learning import load_model\n"
        "model = load_model(Path(sys.argv[1]).read_bytes())\n"
        "print(json.dumps(model.predict(json.loads(sys.argv[2]))))\n"
    )
    texts = list(UNSEEN.values())
    run = subprocess.run(
        [sys.executable, "-W", "error", "-c", code, str(path), json.dumps(texts)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    there = json.loads(run.stdout)
    here = load_model(result.model_bytes).predict(texts)
    for theme_id, theirs, ours in zip(UNSEEN, there, here, strict=True):
        assert max(theirs, key=theirs.__getitem__) == theme_id
        assert theirs == pytest.approx(ours, abs=1e-6)
