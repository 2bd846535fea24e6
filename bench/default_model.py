"""Measure whether a default learned model, added to the rules, would tag real comments better.

Run from the repository root: ``.venv/bin/python bench/default_model.py [--check]``.

DESIGN.md lets a learned model ship with the workbench only where rules and model together
score higher than the rules alone. This script measures that for the models a build could
train from the repository's own files, a logistic regression per theme over:

* ``lemmas``: the comment's lemmas (single words and pairs, TF-IDF);
* ``lemmas+rules``: the same, plus the rules' own verdict and score for every theme and how
  many of the comment's sentences make a point about it (a claim, an ask, or "we" with a
  verb), so the model can learn where the rules are too eager or too shy.

Two ways of combining a model with the rules are measured: ``or`` adds the model's themes to
the rules' where its probability reaches ``--threshold``; ``or, where it helps`` does the same
only for the themes whose F1 it raised in the cross-validation (DESIGN.md: combined with the
rules only where it raises F1), and on the check split uses the themes chosen there; ``stack``
lets the model (which sees the rules' verdicts) decide alone, at probability 0.5.

* Cross-validation on the real-grounded material it could learn from (``corpus_tune``,
  ``corpus_extra``, ``corpus_more`` and the ``corpus_fresh`` files: ``POOL``), in folds split
  by source document so that no document is on both sides; the dev and holdout sets (written
  for the tagger) are always in the training part.
* With ``--check``, once on ``corpus_check``, with a model trained on every other labelled
  file.
* With ``--timing``, what scoring costs the tagger: the shipped model's code
  (``evidence.default_model.fit``, on the lemma ids a tagged doc already holds; no text is
  rebuilt) trained on every file but check, its score on check, and the CPU time of scoring
  5,000 answers of about 100 words once spaCy has made their docs.

* With ``--shipped``, the model the workbench ships (``evidence.default_model``: the lemma-id
  model and the combiner that weighs its probabilities with the rules' scores), trained in each
  fold as the build trains it, beside the rules alone and the earlier combination (the rules'
  themes plus the model's at ``--threshold``), for several thresholds of the combined
  probability, with micro-F1 per fresh file; with ``--check`` also once on check. This chose
  how the workbench combines them.

The check split is the final judge: run it only for a candidate that wins the
cross-validation.

It prints micro- and macro-F1 for the rules alone and for each combination; the figures are
what README reports.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evidence import default_model  # noqa: E402
from evidence.evaluate import Scores, ThemeScore  # noqa: E402
from evidence.tagger import build_tagger, load_default_taxonomy  # noqa: E402

TRAINING_DATA = ROOT / "evidence" / "training_data"
CHECK = ROOT / "tests" / "data" / "corpus_check.jsonl"
WRITTEN = ("dev_set.jsonl", "holdout_set.jsonl")
# The real-grounded files the model learns from: every training file but those written for
# the tagger (the dev and holdout sets, always in the training part).
POOL = tuple(name for name in default_model.TRAINING_FILES if name not in WRITTEN)
SWEEP = (
    0.3,
    0.35,
    0.4,
    0.45,
    0.5,
    0.55,
)  # thresholds of the combined probability --shipped measures
# Words that mark a sentence as making a point rather than mentioning something in passing.
POINT_WORDS = frozenset(
    [
        "we",
        "our",
        "should",
        "must",
        "need",
        "needs",
        "ask",
        "urge",
        "call",
        "recommend",
        "want",
        "propose",
        "oppose",
        "support",
        "welcome",
        "concern",
        "concerned",
        "worry",
        "risk",
    ]
)


def read(name: str) -> list[dict]:
    """Return the labelled comments of one file (the check split, or one trained on)."""
    path = CHECK if name == CHECK.name else TRAINING_DATA / name
    lines = path.read_text(encoding="utf-8").splitlines()
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


class Prepared:
    """The lemmas, rule features and labels of a list of comments."""

    def __init__(self, records: list[dict], tagger, theme_ids: Sequence[str]) -> None:
        texts = [r["text"] for r in records]
        nlp = tagger.nlp  # the tagger's own tokenizer and lemmatizer, so both read the same words
        self.lemmas = [" ".join(t.lemma_ for t in doc if not t.is_punct) for doc in nlp.pipe(texts)]
        index = {theme_id: j for j, theme_id in enumerate(theme_ids)}
        count = len(theme_ids)
        self.rules = np.zeros((len(texts), count), dtype=int)
        self.features = np.zeros((len(texts), 3 * count))
        for i, (text, result) in enumerate(zip(texts, tagger.tag(texts), strict=True)):
            for suggestion in result.suggestions:
                j = index[suggestion.theme_id]
                self.rules[i, j] = 1
                self.features[i, j] = 1.0
                self.features[i, count + j] = suggestion.score / 4
                self.features[i, 2 * count + j] = sum(
                    _makes_a_point(text[start:end]) for start, end in suggestion.sentences
                )
        self.truth = labels(records, theme_ids)

    def subset(self, rows: Sequence[int]) -> tuple[list[str], np.ndarray]:
        return [self.lemmas[i] for i in rows], self.features[list(rows)]


def _makes_a_point(sentence: str) -> bool:
    words = {word.strip(".,;:'\"()").lower() for word in sentence.split()}
    return bool(words & POINT_WORDS)


def probabilities(
    train: tuple[list[str], np.ndarray],
    train_y: np.ndarray,
    test: tuple[list[str], np.ndarray],
    *,
    with_rules: bool,
    strength: float,
) -> np.ndarray:
    """Train one logistic regression per theme and return its probabilities on the test part."""
    vectorizer = TfidfVectorizer(
        ngram_range=(1, 2), min_df=2, sublinear_tf=True, stop_words="english"
    )
    train_x, test_x = vectorizer.fit_transform(train[0]), vectorizer.transform(test[0])
    if with_rules:
        train_x = hstack([train_x, csr_matrix(train[1])]).tocsr()
        test_x = hstack([test_x, csr_matrix(test[1])]).tocsr()
    result = np.zeros((test_x.shape[0], train_y.shape[1]))
    for j in range(train_y.shape[1]):
        if train_y[:, j].any():
            model = LogisticRegression(C=strength, max_iter=3000)
            result[:, j] = model.fit(train_x, train_y[:, j]).predict_proba(test_x)[:, 1]
    return result


def timing(tagger, theme_ids, options) -> None:
    """Print the lemma-id model's scores on check and its CPU time on 5,000 answers."""
    sys.path.insert(0, str(ROOT / "bench"))
    from tagging import ANSWER_WORDS, RETAG_ANSWERS, build_answers

    nlp = tagger.nlp
    train = [r for name in POOL + WRITTEN for r in read(name)]
    check = read("corpus_check.jsonl")
    train_docs = list(nlp.pipe(r["text"] for r in train))
    check_docs = list(nlp.pipe(r["text"] for r in check))
    model = default_model.fit(
        train_docs, labels(train, theme_ids), theme_ids, strength=options.strength
    )
    truth, rules = labels(check, theme_ids), Prepared(check, tagger, theme_ids).rules
    both = rules | (model.probabilities(check_docs) >= options.threshold)
    alone, with_model = scores(truth, rules, theme_ids), scores(truth, both, theme_ids)
    print(
        f"check: rules alone micro {alone.micro_f1:.3f} macro {alone.macro_f1:.3f}; rules or the "
        f"lemma-id model micro {with_model.micro_f1:.3f} macro {with_model.macro_f1:.3f}"
    )
    comments = [r["text"] for r in train + check]
    answers = build_answers(comments * 12, words=ANSWER_WORDS)[:RETAG_ANSWERS]
    docs = list(nlp.pipe(answers, batch_size=256))
    model.probabilities(docs[:500])
    started = time.process_time()
    model.probabilities(docs)
    seconds = time.process_time() - started
    print(f"scoring {len(docs):,} answers from their docs: {seconds:.2f} s CPU")


def shipped(tagger, theme_ids, options) -> None:
    """Measure the shipped model (evidence.default_model: the lemma model and its combiner)
    with the rules, by grouped cross-validation; with --check, once on check.

    Each fold's model is trained as the build trains it (``default_model.fit``: its combiner
    learns inside the fold, from probabilities of models that did not see the comments), on
    the other folds and the written sets, and scored on the fold. Beside it, the rules alone
    and the earlier combination (the rules' themes, plus the model's where its probability
    reaches ``--threshold``), and the shipped combination with other thresholds.
    """
    nlp = tagger.nlp
    pool_records = [dict(r, file=name) for name in POOL for r in read(name)]
    written_records = [dict(r, source=name) for name in WRITTEN for r in read(name)]
    pool_docs = list(nlp.pipe(r["text"] for r in pool_records))
    written_docs = list(nlp.pipe(r["text"] for r in written_records))
    truth, written_truth = labels(pool_records, theme_ids), labels(written_records, theme_ids)
    scores_of, strongest = tagger.rule_scores([r["text"] for r in pool_records], theme_ids)
    written_scores, written_strongest = tagger.rule_scores(
        [r["text"] for r in written_records], theme_ids
    )
    rules = (scores_of >= default_model.RULES_THRESHOLD).astype(int)
    sources = [r["source"] for r in pool_records]
    plain = np.zeros(truth.shape)
    combined = np.zeros(truth.shape)
    for train, test in GroupKFold(n_splits=options.folds).split(pool_docs, truth, sources):
        model = default_model.fit(
            [pool_docs[i] for i in train] + written_docs,
            np.vstack([truth[train], written_truth]),
            theme_ids,
            rule_scores=np.vstack([scores_of[train], written_scores]),
            strongest=np.vstack([strongest[train], written_strongest]),
            groups=[sources[i] for i in train] + [r["source"] for r in written_records],
            strength=options.strength,
        )
        plain[test] = model.probabilities([pool_docs[i] for i in test])
        combined[test] = model.combined(plain[test], scores_of[test], strongest[test])
    print(f"pool: {len(pool_records)} comments from {', '.join(POOL)}")
    files = np.array([r["file"] for r in pool_records])
    fresh = [name for name in POOL if name.startswith("corpus_fresh")]

    def line(name: str, chosen: np.ndarray) -> None:
        result = scores(truth, chosen.astype(int), theme_ids)
        by_file = " ".join(
            f"{name[7:-6]} {scores(truth[files == name], chosen[files == name].astype(int), theme_ids).micro_f1:.3f}"  # noqa: E501
            for name in fresh
        )
        print(
            f"CV {name:<40} micro {result.micro_f1:.3f} macro {result.macro_f1:.3f} "
            f"(precision {result.micro_precision:.3f} recall {result.micro_recall:.3f}, "
            f"{chosen.sum() / len(chosen):.2f} themes a comment); micro by file: {by_file}"
        )

    print(f"labelled: {truth.sum() / len(truth):.2f} themes a comment")
    line("rules alone", rules)
    line(f"rules or model >= {options.threshold}", rules | (plain >= options.threshold))
    shipped_threshold = default_model.THRESHOLD
    strong = (rules == 1) & (strongest >= default_model.STRONG)
    tokens = np.array([len(doc) for doc in pool_docs])
    for threshold in SWEEP:
        marker = " (shipped)" if threshold == shipped_threshold else ""
        default_model.THRESHOLD = threshold
        line(f"combined >= {threshold}", combined >= threshold)
        line(
            f"... or a strong phrase in a short answer{marker}",
            default_model.decide(combined, scores_of, strongest, tokens),
        )
        line("... or a strong phrase in any answer", (combined >= threshold) | strong)
        line("... or any of the rules' themes", rules | (combined >= threshold))
    default_model.THRESHOLD = shipped_threshold
    if options.check:
        check = read("corpus_check.jsonl")
        model = default_model.fit(
            pool_docs + written_docs,
            np.vstack([truth, written_truth]),
            theme_ids,
            rule_scores=np.vstack([scores_of, written_scores]),
            strongest=np.vstack([strongest, written_strongest]),
            groups=sources + [r["source"] for r in written_records],
            strength=options.strength,
        )
        check_truth = labels(check, theme_ids)
        check_scores, check_strongest = tagger.rule_scores([r["text"] for r in check], theme_ids)
        check_rules = (check_scores >= default_model.RULES_THRESHOLD).astype(int)
        check_docs = list(nlp.pipe(r["text"] for r in check))
        probabilities = model.probabilities(check_docs)
        for name, chosen in (
            ("rules alone", check_rules),
            (f"rules or model >= {options.threshold}", check_rules | (probabilities >= 0.4)),
            (
                "combined (shipped)",
                default_model.decide(
                    model.combined(probabilities, check_scores, check_strongest),
                    check_scores,
                    check_strongest,
                    np.array([len(doc) for doc in check_docs]),
                ),
            ),
        ):
            result = scores(check_truth, chosen.astype(int), theme_ids)
            print(f"check {name:<38} micro {result.micro_f1:.3f} macro {result.macro_f1:.3f}")


def themes_it_helps(truth: np.ndarray, rules: np.ndarray, model: np.ndarray) -> np.ndarray:
    """Return, per theme, whether adding the model's finds to the rules' raises its F1."""

    def f1(labelled: np.ndarray, found: np.ndarray) -> float:
        right = int((labelled & found).sum())
        wrong = int(((1 - labelled) & found).sum()) + int((labelled & (1 - found)).sum())
        return 2 * right / (2 * right + wrong) if right or wrong else 0.0

    both = rules | model.astype(int)
    return np.array(
        [f1(truth[:, j], both[:, j]) > f1(truth[:, j], rules[:, j]) for j in range(truth.shape[1])]
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Print rules-alone and rules-with-model scores, by cross-validation and on check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=0.4)
    parser.add_argument("--strength", type=float, default=10.0, help="inverse L2 penalty (C)")
    parser.add_argument("--folds", type=int, default=6)
    parser.add_argument("--check", action="store_true", help="also score on corpus_check")
    parser.add_argument("--timing", action="store_true", help="time a lemma-id scorer only")
    parser.add_argument(
        "--shipped", action="store_true", help="measure evidence.default_model as shipped"
    )
    options = parser.parse_args(argv)
    tagger = build_tagger(load_default_taxonomy(), learned=False)
    theme_ids = [theme.id for theme in tagger.themes]
    if options.timing:
        timing(tagger, theme_ids, options)
        return 0
    if options.shipped:
        shipped(tagger, theme_ids, options)
        return 0

    def report(name: str, truth: np.ndarray, rules: np.ndarray, found: dict) -> None:
        alone = scores(truth, rules, theme_ids)
        print(f"{name}: rules alone micro {alone.micro_f1:.3f} macro {alone.macro_f1:.3f}")
        for label, chosen in found.items():
            both = scores(truth, chosen, theme_ids)
            print(f"  {label:<32} micro {both.micro_f1:.3f} macro {both.macro_f1:.3f}")

    def combinations(rules: np.ndarray, plain: np.ndarray, stacked: np.ndarray) -> dict:
        return {
            "rules or lemmas": rules | (plain >= options.threshold),
            "rules or lemmas, where it helps": rules | ((plain >= options.threshold) & helps),
            "rules or lemmas+rules": rules | (stacked >= options.threshold),
            "stack (lemmas+rules)": (stacked >= 0.5).astype(int),
        }

    pool_records = [r for name in POOL for r in read(name)]
    pool = Prepared(pool_records, tagger, theme_ids)
    written = Prepared([r for name in WRITTEN for r in read(name)], tagger, theme_ids)
    written_all = (written.lemmas, written.features)
    groups = [r["source"] for r in pool_records]
    plain = np.zeros(pool.truth.shape)
    stacked = np.zeros(pool.truth.shape)
    for train, test in GroupKFold(n_splits=options.folds).split(pool.lemmas, pool.truth, groups):
        lemmas, features = pool.subset(train)
        train_part = (lemmas + written_all[0], np.vstack([features, written_all[1]]))
        train_y = np.vstack([pool.truth[train], written.truth])
        test_part = pool.subset(test)
        for target, with_rules in ((plain, False), (stacked, True)):
            target[test] = probabilities(
                train_part, train_y, test_part, with_rules=with_rules, strength=options.strength
            )
    helps = themes_it_helps(pool.truth, pool.rules, plain >= options.threshold)
    print(
        "the lemma model raises F1 by cross-validation on:",
        ", ".join(theme_id for theme_id, chosen in zip(theme_ids, helps, strict=True) if chosen),
    )
    report(
        f"tune + extra + more + fresh, {options.folds} folds by source",
        pool.truth,
        pool.rules,
        combinations(pool.rules, plain, stacked),
    )
    if options.check:
        check = Prepared(read("corpus_check.jsonl"), tagger, theme_ids)
        train_part = (
            pool.lemmas + written_all[0],
            np.vstack([pool.features, written_all[1]]),
        )
        train_y = np.vstack([pool.truth, written.truth])
        test_part = (check.lemmas, check.features)
        found = {
            with_rules: probabilities(
                train_part, train_y, test_part, with_rules=with_rules, strength=options.strength
            )
            for with_rules in (False, True)
        }
        report(
            "check (trained on every other file)",
            check.truth,
            check.rules,
            combinations(check.rules, found[False], found[True]),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
