"""Scoring the tagger against labelled answers: the scores, the thresholds, and the command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from evidence import default_model
from evidence.evaluate import (
    DatasetError,
    LabelledAnswer,
    Scores,
    ThemeScore,
    evaluate,
    evaluate_all,
    format_scores,
    leaving_out,
    main,
    read_labelled,
)
from evidence.tagger import Tagger, build_tagger, load_default_taxonomy

ROOT = Path(__file__).resolve().parents[1]
# What the default learned model is trained on; the check split stays in tests/data.
TRAINING_DATA = ROOT / "evidence" / "training_data"
DEV_SET = TRAINING_DATA / "dev_set.jsonl"
HOLDOUT_SET = TRAINING_DATA / "holdout_set.jsonl"
# The real-grounded corpus (../shared/corpus, copied): tune on the first, judge on the second.
CORPUS_TUNE = TRAINING_DATA / "corpus_tune.jsonl"
CORPUS_CHECK = ROOT / "tests" / "data" / "corpus_check.jsonl"
# More real-grounded comments, written for tuning from published responses (README).
CORPUS_EXTRA = TRAINING_DATA / "corpus_extra.jsonl"
# 255 more, from 144 other published documents, labelled before the rules were run on them.
CORPUS_MORE = TRAINING_DATA / "corpus_more.jsonl"
# 181 fresh ones, from 94 further published documents, labelled before the rules were run on them.
CORPUS_FRESH = TRAINING_DATA / "corpus_fresh.jsonl"
# 614 more in three files (g, h and k), from some 450 further documents, labelled as written.
CORPUS_FRESH2 = TRAINING_DATA / "corpus_fresh2.jsonl"
CORPUS_FRESH3 = TRAINING_DATA / "corpus_fresh3.jsonl"
CORPUS_FRESH4 = TRAINING_DATA / "corpus_fresh4.jsonl"
# 3,094 more in three files, from some 2,480 further documents, each comment labelled by its
# writer and again by a second labeller, and reconciled, as the shared corpus was.
CORPUS_FRESH5 = TRAINING_DATA / "corpus_fresh5.jsonl"
CORPUS_FRESH6 = TRAINING_DATA / "corpus_fresh6.jsonl"
CORPUS_FRESH7 = TRAINING_DATA / "corpus_fresh7.jsonl"
REAL_GROUNDED = (
    CORPUS_TUNE,
    CORPUS_CHECK,
    CORPUS_EXTRA,
    CORPUS_MORE,
    CORPUS_FRESH,
    CORPUS_FRESH2,
    CORPUS_FRESH3,
    CORPUS_FRESH4,
    CORPUS_FRESH5,
    CORPUS_FRESH6,
    CORPUS_FRESH7,
)


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    """The tagger as shipped: the rules and the default learned model."""
    return build_tagger(load_default_taxonomy())


@pytest.fixture(scope="module")
def rules() -> Tagger:
    """The rules alone, for the tests of the arithmetic."""
    return build_tagger(load_default_taxonomy(), learned=False)


def unseen_scores(tagger: Tagger, path: Path, theme_ids: list[str]) -> Scores:
    """Score a file the default model learns from with a model trained without its answers."""
    records = read_labelled(path, theme_ids=theme_ids)
    return evaluate(records, leaving_out(tagger, records))


@pytest.fixture(scope="module")
def theme_ids(tagger: Tagger) -> list[str]:
    return [theme.id for theme in tagger.themes]


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def labelled(text: str, *themes: str) -> LabelledAnswer:
    return LabelledAnswer(text=text, themes=frozenset(themes))


def score_of(scores: Scores, theme_id: str) -> ThemeScore:
    return next(theme for theme in scores.themes if theme.theme_id == theme_id)


# --- the scores -----------------------------------------------------------------------------


def test_evaluate_counts_hits_misses_and_false_alarms_per_theme(rules: Tagger) -> None:
    records = [
        labelled("Families with NRPF are destitute.", "nrpf"),
        labelled("ESOL classes are full.", "language_education", "funding"),
        labelled("NRPF again, and destitution.", "children"),
        labelled("No comment."),
    ]
    scores = evaluate(records, rules)
    nrpf = score_of(scores, "nrpf")
    assert (nrpf.true_positives, nrpf.false_positives, nrpf.false_negatives) == (1, 1, 0)
    assert (nrpf.precision, nrpf.recall, nrpf.f1, nrpf.support) == (0.5, 1.0, 2 / 3, 1)
    funding = score_of(scores, "funding")
    assert (funding.precision, funding.recall, funding.f1, funding.support) == (0.0, 0.0, 0.0, 1)
    assert score_of(scores, "language_education").f1 == 1.0
    # 2 right, 1 false alarm, 2 missed: micro-F1 = 2*2 / (2*2 + 1 + 2)
    assert scores.micro_f1 == pytest.approx(4 / 7)
    assert {theme.theme_id for theme in scores.scored_themes} == {
        "nrpf",
        "language_education",
        "funding",
        "children",
    }
    assert scores.macro_f1 == pytest.approx((2 / 3 + 1.0 + 0.0 + 0.0) / 4)
    # Ties keep the taxonomy's order.
    assert [theme.theme_id for theme in scores.worst(2)] == ["children", "funding"]


def test_format_scores_prints_a_row_per_theme_and_the_micro_and_macro_lines(
    rules: Tagger,
) -> None:
    table = format_scores(evaluate([labelled("NRPF families.", "nrpf")], rules))
    lines = table.splitlines()
    assert lines[0].split() == ["theme", "precision", "recall", "F1", "support"]
    assert lines[1].split() == ["asylum", "0.00", "0.00", "0.00", "0"]
    assert "nrpf                     1.00    1.00   1.00        1" in lines
    assert "micro  precision 1.000  recall 1.000  F1 1.000" in table
    assert "macro  F1 1.000 (over 1 themes)" in table


# --- the labelled sets ----------------------------------------------------------------------


def test_dev_set_is_large_varied_and_labelled_with_taxonomy_themes(theme_ids: list[str]) -> None:
    records = read_labelled(DEV_SET, theme_ids=theme_ids)
    assert len(records) >= 220
    for theme_id in theme_ids:
        assert sum(theme_id in record.themes for record in records) >= 8, theme_id
    assert sum(not record.themes for record in records) >= 15
    assert sum(len(record.themes) > 1 for record in records) / len(records) >= 0.35
    assert len({record.text for record in records}) == len(records)


def test_holdout_set_shares_no_comment_with_the_dev_set(theme_ids: list[str]) -> None:
    dev = {record.text for record in read_labelled(DEV_SET, theme_ids=theme_ids)}
    holdout = {record.text for record in read_labelled(HOLDOUT_SET, theme_ids=theme_ids)}
    assert len(holdout) >= 60
    assert not dev & holdout


# --- reading files --------------------------------------------------------------------------


def test_read_labelled_lists_every_bad_line_with_its_number(
    tmp_path: Path, theme_ids: list[str]
) -> None:
    path = write_lines(
        tmp_path / "bad.jsonl",
        [
            json.dumps({"text": "Fine.", "themes": ["nrpf"]}),
            "{not json",
            json.dumps({"themes": []}),
            "",
            json.dumps({"text": "Typo.", "themes": ["nrfp"]}),
            json.dumps(["a list"]),
        ],
    )
    with pytest.raises(DatasetError) as raised:
        read_labelled(path, theme_ids=theme_ids)
    assert str(raised.value) == (
        f"The file {path} has 4 problems: line 2 is not valid JSON (Expecting property name "
        "enclosed in double quotes); line 3 has no text under 'text'; line 5 names the theme "
        "'nrfp', which is not in the taxonomy; line 6 is not a JSON object. Fix them and run it "
        "again."
    )


def test_read_labelled_refuses_a_missing_file(tmp_path: Path, theme_ids: list[str]) -> None:
    with pytest.raises(DatasetError, match=r"The file .*missing\.jsonl does not exist\."):
        read_labelled(tmp_path / "missing.jsonl", theme_ids=theme_ids)


def test_read_labelled_refuses_a_file_without_answers(tmp_path: Path, theme_ids: list[str]) -> None:
    path = write_lines(tmp_path / "empty.jsonl", ["", "  "])
    with pytest.raises(DatasetError, match="has no labelled answers in it"):
        read_labelled(path, theme_ids=theme_ids)


# --- the command ----------------------------------------------------------------------------


def test_evaluate_command_prints_the_table_for_a_small_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_lines(
        tmp_path / "small.jsonl",
        [
            # "Families" alone: the default model finds family migration nearly as likely.
            json.dumps({"text": "Households with NRPF are destitute.", "themes": ["nrpf"]}),
            json.dumps({"text": "ESOL waiting lists are long.", "themes": ["language_education"]}),
            json.dumps({"text": "No comment.", "themes": []}),
        ],
    )
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "micro  precision 1.000  recall 1.000  F1 1.000" in out
    assert "macro  F1 1.000 (over 2 themes)" in out
    assert "answers: 3" in out


def test_evaluate_command_says_which_tagger_and_when_scores_are_training_set_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = CORPUS_TUNE.read_text(encoding="utf-8").splitlines()[:3]
    trained = write_lines(tmp_path / "trained.jsonl", lines)
    assert main([str(trained)]) == 0
    assert capsys.readouterr().out.endswith(
        "tagger: the rules and the default learned model, which was trained on 3 of these 3 "
        "answers: training-set scores (--leave-out for unseen ones)\n"
    )
    assert main([str(trained), "--leave-out"]) == 0
    assert capsys.readouterr().out.endswith(
        "tagger: the rules and the default learned model, trained without this file's 3 "
        "answers that it learns from as shipped\n"
    )
    assert main([str(trained), "--rules-only"]) == 0
    assert capsys.readouterr().out.endswith("tagger: the rules alone\n")
    unseen = write_lines(tmp_path / "unseen.jsonl", [json.dumps({"text": "No.", "themes": []})])
    assert main([str(unseen)]) == 0
    assert capsys.readouterr().out.endswith(
        "tagger: the rules and the default learned model (not trained on these answers)\n"
    )


def test_evaluate_command_stops_with_status_2_and_the_line_number_on_a_bad_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_lines(
        tmp_path / "bad.jsonl",
        [json.dumps({"text": "NRPF.", "themes": ["nrpf"]}), '{"text": "no themes"}'],
    )
    assert main([str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"error: The file {path} has 1 problem: line 2 has no list of theme ids under 'themes'. "
        "Fix it and run it again.\n"
    )


def test_evaluate_command_runs_as_a_module_and_fails_cleanly_on_a_missing_file(
    tmp_path: Path,
) -> None:
    completed = subprocess.run(
        [sys.executable, "-W", "error", "-m", "evidence.evaluate", str(tmp_path / "nope.jsonl")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr == f"error: The file {tmp_path / 'nope.jsonl'} does not exist.\n"


# --- figures and places ---------------------------------------------------------------------


def test_evaluate_scores_figures_and_places_where_the_file_labels_them(rules: Tagger) -> None:
    records = [
        LabelledAnswer("In Belfast 300 families wait.", frozenset(), True, ("Belfast",)),
        LabelledAnswer("Under the Housing Act 1996, Kent acts.", frozenset(), False, ()),
        LabelledAnswer("Rents rose in 2024 in Derry.", frozenset(), True, ("Derry", "Newry")),
    ]
    evaluation = evaluate_all(records, rules)
    figures, places = evaluation.figures, evaluation.places
    assert figures is not None and places is not None
    # A year alone is a date, not a figure: the third answer's figure is missed.
    assert (figures.true_positives, figures.false_positives, figures.false_negatives) == (1, 0, 1)
    assert (places.true_positives, places.false_positives, places.false_negatives) == (2, 1, 1)
    assert places.precision == pytest.approx(2 / 3) and places.recall == pytest.approx(2 / 3)


def test_evaluate_leaves_out_figures_and_places_when_the_file_has_none(rules: Tagger) -> None:
    evaluation = evaluate_all([labelled("NRPF families.", "nrpf")], rules)
    assert (evaluation.figures, evaluation.places) == (None, None)


def test_evaluate_command_prints_figure_and_place_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_lines(
        tmp_path / "labelled.jsonl",
        [
            json.dumps(
                {
                    "text": "In Belfast 300 families with NRPF wait.",
                    "themes": ["nrpf", "regional"],
                    "has_statistic": True,
                    "places": ["Belfast"],
                }
            )
        ],
    )
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "answers with a figure: precision 1.000  recall 1.000  F1 1.000" in out
    assert "places: precision 1.000  recall 1.000  F1 1.000  (right 1, wrong 0, missed 0)" in out


def test_read_labelled_names_a_bad_has_statistic_and_bad_places(
    tmp_path: Path, theme_ids: list[str]
) -> None:
    path = write_lines(
        tmp_path / "bad.jsonl",
        [json.dumps({"text": "x", "themes": [], "has_statistic": "yes", "places": "Belfast"})],
    )
    with pytest.raises(DatasetError) as raised:
        read_labelled(path, theme_ids=theme_ids)
    assert "line 1 has a has_statistic that is not true or false" in str(raised.value)
    assert "line 1 has places that are not a list of names" in str(raised.value)


# --- the real-grounded corpus ---------------------------------------------------------------


def sources_of(path: Path) -> set[str]:
    """The file's source documents, by address without its scheme, "www." or "m." (the same
    page is often stored as both http://www.... and https://...)."""
    with path.open(encoding="utf-8") as lines:
        return {
            re.sub(r"^(mailto:)?https?://(www\.|m\.)?", "", json.loads(line)["source"].strip())
            .lower()
            .rstrip("/")
            for line in lines
            if line.strip()
        }


@pytest.mark.parametrize(
    "path", [p for p in REAL_GROUNDED if p != CORPUS_CHECK], ids=lambda p: p.name
)
def test_no_file_trained_on_shares_a_source_document_with_the_check_split(path: Path) -> None:
    assert not sources_of(path) & sources_of(CORPUS_CHECK)


def test_no_comment_learned_from_makes_a_check_comments_point_in_nearly_its_words(
    theme_ids: list[str],
) -> None:
    # The same point from one document can reach the web at several addresses (a newspaper's
    # report of a council's evidence, a mirror of a response): compared by words, not address.
    # A check comment's nearest learned-from comment scored 0.49 (the same Scottish Government
    # response at another address) before such comments were taken out; none is 0.3 now.
    from sklearn.feature_extraction.text import TfidfVectorizer

    check = [record.text for record in read_labelled(CORPUS_CHECK, theme_ids=theme_ids)]
    learned = [record["text"] for record in default_model.training_records()]
    words = TfidfVectorizer(ngram_range=(1, 2), stop_words="english", sublinear_tf=True)
    words.fit(check + learned)
    nearest = (words.transform(check) @ words.transform(learned).T).max(axis=1).toarray().ravel()
    assert nearest.max() < 0.3, [check[i][:80] for i in (nearest >= 0.3).nonzero()[0]]


@pytest.mark.parametrize("path", REAL_GROUNDED, ids=lambda p: p.name)
def test_corpus_files_are_labelled_with_taxonomy_themes_figures_and_places(
    path: Path, theme_ids: list[str]
) -> None:
    records = read_labelled(path, theme_ids=theme_ids)
    assert len(records) >= 40
    assert all(record.has_statistic is not None and record.places is not None for record in records)


# The default learned model is trained on every file here but the check split, so each of
# those files is scored with a model trained without its answers (what the shipped tagger does
# on text it has not seen); the shipped model scores 0.91-0.96 on them, which are training-set
# scores and guard nothing. README has every figure. Each file's floor, with what it measured
# before the combiner (the rules' themes plus the model's at probability 0.4) and with it (the
# rules and the model weighed together, evidence.default_model), about 0.01 under the latter:
UNSEEN_FLOORS = [
    # The dev set: the targets. Rules alone 0.908 / 0.912; a model trained without it 0.918 /
    # 0.917 (0.850 / 0.851 before the model added themes to a short answer only at SHORT_ADDS:
    # its answers run to 19 words).
    pytest.param(DEV_SET, 0.905, 0.905, id="dev"),
    # Never used for tuning the rules: a guard against rules that only fit the dev set. Rules
    # alone 0.896 / 0.903; a model trained without it 0.908 / 0.914.
    pytest.param(HOLDOUT_SET, 0.895, 0.9, id="holdout"),
    # Rules alone 0.829 / 0.828 (the phrases were tuned on it); a model trained without it
    # 0.832 / 0.835: a guard against a change that undoes the tuning, not a target.
    pytest.param(CORPUS_TUNE, 0.825, 0.83, id="tune"),
    # Rules alone 0.817 / 0.820 (tuned on; y001-y050 scored 0.787 before that); a model trained
    # without them 0.856 / 0.876.
    pytest.param(CORPUS_EXTRA, 0.845, 0.865, id="extra"),
    # 0.656 / 0.652 before anything was tuned on them; the phrases added from them brought the
    # rules to 0.714 / 0.701, and a model trained without them 0.788 / 0.796.
    pytest.param(CORPUS_MORE, 0.775, 0.78, id="more"),
    # f001-f105 scored 0.716 / 0.696 before anything was tuned on them, f106-f153 0.763 / 0.702
    # and f154-f181 0.566 / 0.376 with the phrases tuned after the first batch; the rules score
    # the whole file 0.736 / 0.735 with the phrases tuned on it, a model trained without it
    # 0.816 / 0.815.
    pytest.param(CORPUS_FRESH, 0.805, 0.805, id="fresh"),
    # Each scored before anything was trained on it, with the model of the files before it:
    # fresh2 0.719 / 0.710 (rules 0.698 / 0.686); fresh4 0.762 / 0.761; fresh3 0.717 / 0.704;
    # fresh5 0.769 / 0.778 (rules 0.714 / 0.711); fresh6 0.810 / 0.798 (0.793 / 0.777 with the
    # model before fresh5); fresh7 0.777 / 0.771 (0.748 / 0.744 with the model before fresh5
    # and fresh6). With every other file learned: 0.790 / 0.789, 0.758 / 0.751, 0.804 / 0.812,
    # 0.784 / 0.794, 0.811 / 0.802 and 0.779 / 0.772.
    pytest.param(CORPUS_FRESH2, 0.78, 0.78, id="fresh2"),
    pytest.param(CORPUS_FRESH3, 0.745, 0.74, id="fresh3"),
    pytest.param(CORPUS_FRESH4, 0.795, 0.8, id="fresh4"),
    pytest.param(CORPUS_FRESH5, 0.775, 0.785, id="fresh5"),
    pytest.param(CORPUS_FRESH6, 0.8, 0.79, id="fresh6"),
    pytest.param(CORPUS_FRESH7, 0.76, 0.755, id="fresh7"),
]


@pytest.mark.parametrize(("path", "micro", "macro"), UNSEEN_FLOORS)
def test_the_tagger_holds_its_scores_on_text_its_model_has_not_seen(
    tagger: Tagger, theme_ids: list[str], path: Path, micro: float, macro: float
) -> None:
    scores = unseen_scores(tagger, path, theme_ids)
    assert scores.micro_f1 >= micro, format_scores(scores)
    assert scores.macro_f1 >= macro, format_scores(scores)


def test_the_tagger_holds_its_scores_on_the_real_grounded_check_split(
    tagger: Tagger, theme_ids: list[str]
) -> None:
    # Never tuned or trained on. Issue 15 aims at 0.85 micro and 0.80 macro here; the rules
    # reach 0.775 / 0.762, with the default model weighed in by the combiner 0.783 / 0.770 when
    # it learned from 1,351 real-grounded comments, and 0.803 / 0.793 from 4,445 (README); this
    # holds them, less about 0.01, until something better comes.
    scores = evaluate(read_labelled(CORPUS_CHECK, theme_ids=theme_ids), tagger)
    assert scores.micro_f1 >= 0.795, format_scores(scores)
    assert scores.macro_f1 >= 0.785, format_scores(scores)


def test_the_rules_alone_hold_their_scores_on_the_check_split(
    rules: Tagger, theme_ids: list[str]
) -> None:
    # With the default model switched off (WORKBENCH_DEFAULT_MODEL=false): 0.775 / 0.762.
    scores = evaluate(read_labelled(CORPUS_CHECK, theme_ids=theme_ids), rules)
    assert scores.micro_f1 >= 0.765, format_scores(scores)
    assert scores.macro_f1 >= 0.752, format_scores(scores)


def test_figures_and_places_are_found_on_the_real_grounded_check_split(
    tagger: Tagger, theme_ids: list[str]
) -> None:
    evaluation = evaluate_all(read_labelled(CORPUS_CHECK, theme_ids=theme_ids), tagger)
    assert evaluation.figures is not None and evaluation.figures.f1 >= 0.95
    assert evaluation.places is not None and evaluation.places.f1 >= 0.85
