"""Measure whether a default learned model, added to the rules, would tag real comments better.

Run from the repository root: ``.venv/bin/python bench/default_model.py``.

DESIGN.md lets a learned model ship with the workbench only where rules and model together
score higher than the rules alone. This script measures that for the model a build could
train from the repository's own files: a logistic regression per theme over the comment's
lemmas (single words and pairs, TF-IDF), whose suggestions are added to the rules' where its
probability reaches ``--threshold``.

* Cross-validation on the real-grounded material it could learn from (``corpus_tune`` and
  ``corpus_extra``), in folds split by source document so that no document is on both
  sides; the dev and holdout sets (written for the tagger) are always in the training part.
* Then once on ``corpus_check``, with a model trained on every other labelled file.

It prints micro- and macro-F1 for the rules alone and for rules and model together. Nothing
here is used by the workbench; the figures are what README reports.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evidence.evaluate import Scores, ThemeScore  # noqa: E402
from evidence.tagger import build_tagger, load_default_taxonomy  # noqa: E402

DATA = ROOT / "tests" / "data"


def read(name: str) -> list[dict]:
    """Return the labelled comments of one file under tests/data."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def labels(records: Sequence[dict], theme_ids: Sequence[str]) -> np.ndarray:
    """Return a comments x themes matrix of 0/1 labels."""
    return np.array([[theme in r["themes"] for theme in theme_ids] for r in records], dtype=int)


def scores(truth: np.ndarray, found: np.ndarray, theme_ids: Sequence[str]) -> Scores:
    """Count right and wrong finds per theme, as evidence.evaluate does."""
    return Scores(
        themes=tuple(
            ThemeScore(
                theme_id,
                int((truth[:, j] & found[:, j]).sum()),
                int(((1 - truth[:, j]) & found[:, j]).sum()),
                int((truth[:, j] & (1 - found[:, j])).sum()),
            )
            for j, theme_id in enumerate(theme_ids)
        ),
        answers=len(truth),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print rules-alone and rules-with-model scores, by cross-validation and on check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=0.4)
    parser.add_argument("--strength", type=float, default=10.0, help="inverse L2 penalty (C)")
    options = parser.parse_args(argv)
    tagger = build_tagger(load_default_taxonomy())
    theme_ids = [theme.id for theme in tagger.themes]
    nlp = tagger._nlp  # the tagger's own tokenizer and lemmatizer, so both read the same words

    def prepare(records: list[dict]) -> tuple[list[str], np.ndarray, np.ndarray]:
        texts = [r["text"] for r in records]
        lemmas = [" ".join(t.lemma_ for t in doc if not t.is_punct) for doc in nlp.pipe(texts)]
        found = np.array(
            [
                [theme in {s.theme_id for s in result.suggestions} for theme in theme_ids]
                for result in tagger.tag(texts)
            ],
            dtype=int,
        )
        return lemmas, found, labels(records, theme_ids)

    def learned(train_text: list[str], train_y: np.ndarray, test_text: list[str]) -> np.ndarray:
        vectorizer = TfidfVectorizer(
            ngram_range=(1, 2), min_df=2, sublinear_tf=True, stop_words="english"
        )
        train_x, test_x = vectorizer.fit_transform(train_text), vectorizer.transform(test_text)
        probabilities = np.zeros((len(test_text), len(theme_ids)))
        for j in range(len(theme_ids)):
            if train_y[:, j].any():
                model = LogisticRegression(C=options.strength, max_iter=3000)
                probabilities[:, j] = model.fit(train_x, train_y[:, j]).predict_proba(test_x)[:, 1]
        return probabilities

    def report(name: str, truth: np.ndarray, rules: np.ndarray, probabilities: np.ndarray) -> None:
        alone = scores(truth, rules, theme_ids)
        both = scores(truth, rules | (probabilities >= options.threshold), theme_ids)
        print(
            f"{name}: rules micro {alone.micro_f1:.3f} macro {alone.macro_f1:.3f}; "
            f"rules + model micro {both.micro_f1:.3f} macro {both.macro_f1:.3f}"
        )

    pool = read("corpus_tune.jsonl") + read("corpus_extra.jsonl")
    written = read("dev_set.jsonl") + read("holdout_set.jsonl")
    pool_text, pool_rules, pool_y = prepare(pool)
    written_text, _, written_y = prepare(written)
    groups = [r["source"] for r in pool]
    probabilities = np.zeros(pool_y.shape)
    for train, test in GroupKFold(n_splits=6).split(pool_text, pool_y, groups):
        probabilities[test] = learned(
            [pool_text[i] for i in train] + written_text,
            np.vstack([pool_y[train], written_y]),
            [pool_text[i] for i in test],
        )
    report("tune + extra, 6 folds by source", pool_y, pool_rules, probabilities)
    check_text, check_rules, check_y = prepare(read("corpus_check.jsonl"))
    check_probabilities = learned(
        pool_text + written_text, np.vstack([pool_y, written_y]), check_text
    )
    report("check (trained on every other file)", check_y, check_rules, check_probabilities)
    return 0


if __name__ == "__main__":
    sys.exit(main())
