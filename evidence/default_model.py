"""The default learned model: themes the rules missed, learned from the repository's comments.

DESIGN.md lets a learned model ship with the workbench when it is trained from data in the
repository (never downloaded) and combined with the rules only where that raises F1. This is
that model: one logistic regression per theme over the lemmas of an answer, single words and
pairs of neighbouring words (stop words and punctuation left out), weighted as TF-IDF and
scaled to length 1. It reads the lemma ids the tagger's doc already holds (``doc.to_array``;
no text is rebuilt), so scoring 5,000 answers costs about 0.2 s of CPU.

It is trained from ``evidence/training_data`` (``TRAINING_FILES``: the real-grounded tune,
extra, more and fresh comments (seven files, 4,445 comments) and the dev and holdout sets).
The check split (``tests/data/corpus_check.jsonl``) is never trained on: it is where the model
was judged.
Training is deterministic (Newton-CG, a fixed seed, words in a fixed order, folds by source in
a fixed order), takes about 7 s (four fits of the model: one per fold, and the last on all),
and happens once: ``make`` builds it when it installs the workbench (``python -m
evidence.default_model``, into ``evidence/training_data/built/``), and a process that finds no
built copy trains it at first use and keeps it in the data folder (``<data dir>/models/``).
Both copies are named by a hash of the training files, this module's code, the default
taxonomy and gazetteer (the rules the combiner learns from) and the library versions, so a
changed file or library is never read from a stale copy. Nothing is downloaded.

The rules and the model are then weighed together, theme by theme, by a second, small logistic
regression (the combiner) over six numbers: the rules' score for the theme (below the rules'
own threshold too), whether the rules suggest it, whether a strong phrase is among their
reasons, the model's probability (as log-odds), how many themes the rules suggest for the
answer and how many the model finds likely. It learns
how far to trust each where they disagree: a phrase the model finds out of place is dropped,
a theme the rules nearly found is added. The combiner learns from the model's probabilities
for comments it was not trained on (``COMBINE_FOLDS`` folds, split by source document), so it
does not learn to trust an overconfident model. The tagger keeps a rules' suggestion, and adds
a learned one, where the combined probability is ``THRESHOLD`` or more (``bench/default_model.py
--shipped`` chose the combination and the threshold by cross-validation, folds split by source
document, with the combiner trained inside each fold: 0.802 / 0.807 micro / macro-F1, from
0.780 / 0.781 with the model's themes added to the rules' at 0.4, and 0.726 / 0.720 for the
rules alone). In an answer of fewer than ``SHORT`` tokens the model has too few words to
overrule a strong phrase, and the rules' suggestion stands.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from spacy.attrs import IS_PUNCT, LEMMA
from spacy.strings import hash_string
from spacy.tokens import Doc

from consultations.errors import WorkbenchError
from consultations.settings import load_setting

log = logging.getLogger("workbench.default_model")

TRAINING_DATA = Path(__file__).resolve().parent / "training_data"
TRAINING_FILES = (
    "corpus_tune.jsonl",
    "corpus_extra.jsonl",
    "corpus_more.jsonl",
    "corpus_fresh.jsonl",
    "corpus_fresh2.jsonl",
    "corpus_fresh3.jsonl",
    "corpus_fresh4.jsonl",
    "corpus_fresh5.jsonl",
    "corpus_fresh6.jsonl",
    "corpus_fresh7.jsonl",
    "dev_set.jsonl",
    "holdout_set.jsonl",
)
THRESHOLD = 0.35  # of the combined probability
STRENGTH = 10.0  # the inverse of the L2 penalty (scikit-learn's C)
COMBINE_FOLDS = 3  # the folds that give the combiner the model's probabilities on unseen comments
COMBINE_STRENGTH = 1.0  # the combiner's inverse L2 penalty
COMBINE_MIN_LABELLED = 5  # fewer comments with a theme than this: the rules decide it alone
RULES_THRESHOLD = 2.0  # the score at which the rules suggest a theme (tagger.THEME_THRESHOLD)
STRONG = 2.0  # a phrase of this weight settles a theme; in a short answer, the combiner keeps it
# An answer of fewer tokens than this is too short for the model to overrule a strong phrase:
# the real-grounded comments it learns from run to 40-60 tokens, a sentence to about 20.
SHORT = 25
# ... nor enough words to add a theme of its own unless it is this sure (the combined
# probability): short answers written for the tagger (the dev set, 19 words and 1.5 themes on
# average) scored 0.850 with additions at THRESHOLD, 0.917 at 0.8, 0.912 with none.
SHORT_ADDS = 0.8
SEED = 0
MIN_DOCUMENTS = 2  # a word or pair is a feature when at least this many comments use it
# The themes the model may add, or None for all: bench/default_model.py measured both.
THEMES: frozenset[str] | None = None
CACHE_FOLDER = "models"
# Where ``make`` puts the copy it builds at install (not in git); read before the data folder.
BUILT_FOLDER = TRAINING_DATA / "built"
PAIR = np.uint64(1099511628211)  # mixes two lemma ids into the id of the pair
_NEVER = -30.0  # the bias of a theme no training comment has: its probability is about 0

_STOP_WORDS: np.ndarray | None = None


def _stop_ids() -> np.ndarray:
    global _STOP_WORDS
    if _STOP_WORDS is None:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        _STOP_WORDS = np.array(sorted(hash_string(word) for word in ENGLISH_STOP_WORDS))
    return _STOP_WORDS


def features(docs: Sequence[Doc]) -> tuple[np.ndarray, np.ndarray]:
    """Return every doc's word and pair ids, and the row (doc) each belongs to."""
    columns = [doc.to_array([LEMMA, IS_PUNCT]) for doc in docs]
    lengths = [len(column) for column in columns]
    together = np.concatenate(columns) if columns else np.zeros((0, 2), dtype=np.uint64)
    rows = np.repeat(np.arange(len(docs)), lengths)
    keep = (together[:, 1] == 0) & ~np.isin(together[:, 0], _stop_ids())
    ids, rows = together[keep, 0], rows[keep]
    same = rows[:-1] == rows[1:]
    pairs = ids[:-1][same] * PAIR + ids[1:][same]
    return np.concatenate([ids, pairs]), np.concatenate([rows, rows[:-1][same]])


def mix_features(
    rule_scores: np.ndarray, strongest: np.ndarray, probabilities: np.ndarray
) -> np.ndarray:
    """Return what the combiner weighs, docs x themes x 6, from the rules' scores (docs x themes,
    below their threshold too), the weight of the strongest phrase behind each, and the model's
    probabilities (docs x themes)."""
    fired = rule_scores >= RULES_THRESHOLD
    clipped = np.clip(probabilities, 1e-4, 1 - 1e-4)
    shape = rule_scores.shape
    return np.stack(
        [
            np.minimum(rule_scores, 4.0) / 2,
            fired,
            strongest >= STRONG,
            np.log(clipped / (1 - clipped)),
            np.broadcast_to(fired.sum(axis=1, keepdims=True) / 3, shape),
            np.broadcast_to((probabilities >= 0.4).sum(axis=1, keepdims=True) / 3, shape),
        ],
        axis=2,
    )


# A theme with too few labelled comments to weigh: the rules decide it, as if there were no model.
_RULES_ALONE = (np.array([0.0, 20.0, 0.0, 0.0, 0.0, 0.0]), -10.0)

LEARNED = "learned"  # the source a learned suggestion is shown and stored with


@dataclass(frozen=True)
class LearnedSuggestion:
    """A theme a learned model suggests for an answer, with its score from 0 to 1."""

    theme_id: str
    score: float
    source: str = LEARNED


class LemmaModel:
    """One logistic regression per theme over the lemma ids of tagged docs."""

    def __init__(
        self,
        theme_ids: Sequence[str],
        words: np.ndarray,
        idf: np.ndarray,
        weights: np.ndarray,
        bias: np.ndarray,
        mix_weights: np.ndarray,
        mix_bias: np.ndarray,
    ) -> None:
        self.theme_ids = tuple(theme_ids)
        self.words, self.idf, self.weights, self.bias = words, idf, weights, bias
        # The combiner: per theme, the weights of mix_features and a bias.
        self.mix_weights, self.mix_bias = mix_weights, mix_bias

    def matrix(self, docs: Sequence[Doc]) -> csr_matrix:
        """Return the docs' TF-IDF rows (sublinear counts, each row scaled to length 1)."""
        found, rows = features(docs)
        index = np.searchsorted(self.words, found)
        index[index == len(self.words)] = 0
        keep = self.words[index] == found
        counts = csr_matrix(
            (np.ones(int(keep.sum())), (rows[keep], index[keep])),
            shape=(len(docs), len(self.words)),
        )
        counts.sum_duplicates()
        counts.data = (1 + np.log(counts.data)) * self.idf[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1))).ravel()
        norms[norms == 0] = 1
        return csr_matrix(counts.multiply(1 / norms[:, None]))

    def probabilities(self, docs: Sequence[Doc]) -> np.ndarray:
        """Return a docs x themes array of probabilities."""
        if not docs:
            return np.zeros((0, len(self.theme_ids)))
        return 1 / (1 + np.exp(-(self.matrix(docs) @ self.weights + self.bias)))

    def combined(
        self, probabilities: np.ndarray, rule_scores: np.ndarray, strongest: np.ndarray
    ) -> np.ndarray:
        """Return the docs x themes probabilities of the rules and the model weighed together,
        from the model's probabilities, the rules' scores and the weight of the strongest phrase
        behind each (0 for a theme the rules do not have): ``mix_features``, weighed."""
        mixed = mix_features(rule_scores, strongest, probabilities)
        log_odds = np.einsum("dtk,tk->dt", mixed, self.mix_weights) + self.mix_bias
        return 1 / (1 + np.exp(-log_odds))

    def model_part(self, probabilities: np.ndarray) -> np.ndarray:
        """Return the combiner's log-odds from the model's side of ``mix_features`` (docs x
        themes), its bias included: the tagger adds the rules' side doc by doc, for the few
        themes each doc's rules score."""
        weights = self.mix_weights
        clipped = np.clip(probabilities, 1e-4, 1 - 1e-4)
        likely = (probabilities >= 0.4).sum(axis=-1, keepdims=True) / 3
        return (
            weights[:, 3] * np.log(clipped / (1 - clipped))
            + weights[:, 5] * likely
            + (self.mix_bias)
        )

    def columns_for(self, themes: Iterable[Any]) -> list[int]:
        """Return the columns of the themes (with an ``id``) that the model may judge."""
        ours = {theme.id for theme in themes}
        return [
            column
            for column, theme_id in enumerate(self.theme_ids)
            if theme_id in ours and (THEMES is None or theme_id in THEMES)
        ]

    def judge(
        self,
        row: np.ndarray,
        judged: Collection[str],
        by_rules: Sequence[Any],
        strong: Collection[str],
        tokens: int,
    ) -> tuple[tuple[Any, ...], tuple[LearnedSuggestion, ...]]:
        """Return the rules' suggestions (with a ``theme_id``) that one doc's combined
        probabilities keep, and the learned suggestions they add, most likely first.

        A rules' suggestion is kept where its theme is not ``judged`` (a theme of the taxonomy
        the model does not know), where its combined probability is ``THRESHOLD`` or more, or,
        in an answer of fewer than ``SHORT`` tokens (too few words for the model to judge),
        where one of its phrases is strong (its theme is in ``strong``). A theme the rules do
        not suggest is added where its combined probability is ``THRESHOLD`` or more, in a short
        answer ``SHORT_ADDS`` or more."""
        theme_ids = self.theme_ids
        short = tokens < SHORT
        kept = tuple(
            suggestion
            for suggestion in by_rules
            if suggestion.theme_id not in judged
            or row[theme_ids.index(suggestion.theme_id)] >= THRESHOLD
            or (short and suggestion.theme_id in strong)
        )
        ruled = {suggestion.theme_id for suggestion in by_rules}
        adds = SHORT_ADDS if short else THRESHOLD
        found = [
            LearnedSuggestion(theme_id, float(row[column]))
            for column, theme_id in enumerate(theme_ids)
            if row[column] >= adds and theme_id in judged and theme_id not in ruled
        ]
        return kept, tuple(sorted(found, key=_minus_score))

    def to_bytes(self) -> bytes:
        """Return the model as one .npz file's bytes (no pickles)."""
        from io import BytesIO

        buffer = BytesIO()
        np.savez(
            buffer,
            theme_ids=np.array(self.theme_ids),
            words=self.words,
            idf=self.idf,
            weights=self.weights,
            bias=self.bias,
            mix_weights=self.mix_weights,
            mix_bias=self.mix_bias,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> LemmaModel:
        """Rebuild a model from ``to_bytes``."""
        from io import BytesIO

        with np.load(BytesIO(data), allow_pickle=False) as arrays:
            return cls(
                [str(theme_id) for theme_id in arrays["theme_ids"]],
                arrays["words"],
                arrays["idf"],
                arrays["weights"],
                arrays["bias"],
                arrays["mix_weights"],
                arrays["mix_bias"],
            )


def decide(
    combined: np.ndarray, rule_scores: np.ndarray, strongest: np.ndarray, tokens: np.ndarray
) -> np.ndarray:
    """Return the themes (docs x themes, True or False) the tagger suggests, as ``judge`` does:
    the combined probability reaches ``THRESHOLD`` (``SHORT_ADDS`` for a theme the rules do not
    suggest in a short answer), or in a short answer (``tokens``, by doc) the rules suggest the
    theme with a strong phrase."""
    fired = rule_scores >= RULES_THRESHOLD
    short = (tokens < SHORT)[:, None]
    strong = fired & (strongest >= STRONG)
    unsure_addition = short & ~fired & (combined < SHORT_ADDS)
    return ((combined >= THRESHOLD) & ~unsure_addition) | (strong & short)


def _minus_score(suggestion: LearnedSuggestion) -> float:
    return -suggestion.score


def fit(
    docs: Sequence[Doc],
    truth: np.ndarray,
    theme_ids: Sequence[str],
    *,
    rule_scores: np.ndarray,
    strongest: np.ndarray,
    groups: Sequence[str],
    strength: float = STRENGTH,
) -> LemmaModel:
    """Train the model on docs, their 0/1 labels (docs x themes), the rules' scores for them and
    the weight of the strongest phrase behind each (docs x themes), the same way every time;
    ``groups`` names each doc's source document.

    The combiner learns from the probabilities of models trained without the doc's fold."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    unseen = np.zeros(truth.shape)
    folds = GroupKFold(n_splits=COMBINE_FOLDS).split(truth, truth, list(groups))
    for train_rows, test_rows in folds:
        part = _fit_lemmas([docs[i] for i in train_rows], truth[train_rows], theme_ids, strength)
        unseen[test_rows] = part.probabilities([docs[i] for i in test_rows])
    model = _fit_lemmas(docs, truth, theme_ids, strength)
    mixed = mix_features(rule_scores, strongest, unseen)
    for j in range(len(theme_ids)):
        labelled = int(truth[:, j].sum())
        if COMBINE_MIN_LABELLED <= labelled <= len(truth) - COMBINE_MIN_LABELLED:
            regression = LogisticRegression(C=COMBINE_STRENGTH, max_iter=1000)
            regression.fit(mixed[:, j, :], truth[:, j])
            model.mix_weights[j], model.mix_bias[j] = regression.coef_[0], regression.intercept_[0]
    return model


def _fit_lemmas(
    docs: Sequence[Doc], truth: np.ndarray, theme_ids: Sequence[str], strength: float
) -> LemmaModel:
    """Train the lemma model alone, its combiner leaving every theme to the rules."""
    from sklearn.linear_model import LogisticRegression

    found, rows = features(docs)
    pairs = np.unique(np.stack([found, rows.astype(np.uint64)]), axis=1)
    words, documents = np.unique(pairs[0], return_counts=True)
    common = documents >= MIN_DOCUMENTS
    idf = np.log((1 + len(docs)) / (1 + documents[common])) + 1
    weights = np.zeros((int(common.sum()), len(theme_ids)))
    model = LemmaModel(
        theme_ids,
        words[common],
        idf,
        weights,
        np.full(len(theme_ids), _NEVER),
        np.tile(_RULES_ALONE[0], (len(theme_ids), 1)),
        np.full(len(theme_ids), _RULES_ALONE[1]),
    )
    x = model.matrix(docs)
    for j in range(len(theme_ids)):
        if truth[:, j].any():
            regression = LogisticRegression(
                C=strength, solver="newton-cg", max_iter=3000, random_state=SEED
            )
            regression.fit(x, truth[:, j])
            model.weights[:, j], model.bias[j] = regression.coef_[0], regression.intercept_[0]
    return model


# --- the training data -----------------------------------------------------------------------


def training_records(*, leave_out: Collection[str] = ()) -> list[dict]:
    """Return the labelled comments the model learns from, without the texts in ``leave_out``;
    each names its ``source`` document (the file, for the sets written for the tagger)."""
    records = []
    for name in TRAINING_FILES:
        lines = (TRAINING_DATA / name).read_text(encoding="utf-8").splitlines()
        records += [{"source": name, **json.loads(line)} for line in lines if line.strip()]
    left_out = set(leave_out)
    return [record for record in records if record["text"] not in left_out]


def training_texts() -> frozenset[str]:
    """Return the texts of every comment the shipped model learned from."""
    return frozenset(record["text"] for record in training_records())


def train(rules: Any, theme_ids: Sequence[str], *, leave_out: Collection[str] = ()) -> LemmaModel:
    """Train the model from the training files with the tagger ``rules`` (the rules alone): its
    pipeline's lemmas, and its scores for every theme."""
    records = training_records(leave_out=leave_out)
    texts = [record["text"] for record in records]
    docs = list(rules.nlp.pipe(texts, batch_size=256))
    truth = np.array(
        [[theme_id in record["themes"] for theme_id in theme_ids] for record in records],
        dtype=int,
    )
    rule_scores, strongest = rules.rule_scores(texts, theme_ids)
    return fit(
        docs,
        truth,
        theme_ids,
        rule_scores=rule_scores,
        strongest=strongest,
        groups=[str(record["source"]) for record in records],
    )


def cache_key(theme_ids: Sequence[str]) -> str:
    """Name what the model is made from: its data, this code, the libraries and the themes."""
    import sklearn
    import spacy
    import spacy_lookups_data

    digest = hashlib.sha256()
    for name in TRAINING_FILES:
        digest.update(name.encode() + b"\0" + (TRAINING_DATA / name).read_bytes() + b"\0")
    digest.update(Path(__file__).read_bytes())
    # The combiner learns from the rules' scores: the default taxonomy's phrases and places.
    for name in ("taxonomy.json", "gazetteer.json"):
        digest.update((Path(__file__).parent / name).read_bytes())
    versions = [np.__version__, sklearn.__version__, spacy.__version__]
    versions.append(spacy_lookups_data.__version__)
    digest.update(json.dumps([list(theme_ids), versions]).encode())
    return digest.hexdigest()[:16]


_lock = threading.Lock()
_models: dict[tuple[str, ...], LemmaModel] = {}


def default_model(rules: Any, theme_ids: Sequence[str]) -> LemmaModel:
    """Return the shipped model, kept per process; read from the data folder or trained once
    with the tagger ``rules`` (the default taxonomy's rules alone)."""
    key = tuple(theme_ids)
    model = _models.get(key)
    if model is not None:
        return model
    with _lock:
        model = _models.get(key)
        if model is None:
            model = _from_disk_or_trained(rules, key)
            _models[key] = model
    return model


def _file_name(theme_ids: Sequence[str]) -> str:
    return f"default-themes-{cache_key(theme_ids)}.npz"


def _cache_path(name: str) -> Path | None:
    """Return where a process keeps the model it trained (the data folder), if there is one."""
    try:
        data_dir = Path(str(load_setting("data_dir"))).expanduser()
    except WorkbenchError:
        return None
    return data_dir / CACHE_FOLDER / name


def built_path(theme_ids: Sequence[str]) -> Path:
    """Return where the install's build of the model for these themes is kept."""
    return BUILT_FOLDER / _file_name(theme_ids)


def _from_disk_or_trained(rules: Any, theme_ids: Sequence[str]) -> LemmaModel:
    name = _file_name(theme_ids)  # hashes the training files once
    path = _cache_path(name)
    for kept in (BUILT_FOLDER / name, path):
        if kept is not None and kept.is_file():
            try:
                return LemmaModel.from_bytes(kept.read_bytes())
            except (OSError, ValueError, KeyError):
                log.warning("The default model kept at %s cannot be read; not using it.", kept)
    model = train(rules, theme_ids)
    if path is not None:
        _keep(path, model.to_bytes())
    return model


def _keep(path: Path, data: bytes) -> None:
    """Write the model beside the others atomically; a folder that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".default-themes.", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        log.warning("The default model could not be kept at %s; it is used from memory.", path)
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(temporary)


def build(folder: Path | None = None) -> Path:
    """Train the model for the default themes and keep it in ``folder`` (the install's copy)."""
    from evidence.tagger import build_tagger, load_default_taxonomy

    theme_ids = tuple(theme.id for theme in load_default_taxonomy())
    rules = build_tagger(load_default_taxonomy(), learned=False)
    path = (folder or BUILT_FOLDER) / built_path(theme_ids).name
    _keep(path, train(rules, theme_ids).to_bytes())
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Build the default learned model once, at install, so no process has to train it."""
    import argparse
    import time

    parser = argparse.ArgumentParser(
        prog="python -m evidence.default_model",
        description="Train the default learned model from evidence/training_data and keep it.",
    )
    parser.add_argument("--into", type=Path, help=f"folder to keep it in (default {BUILT_FOLDER})")
    options = parser.parse_args(argv)
    started = time.process_time()
    path = build(options.into)
    if not path.is_file():
        print(f"The default learned model could not be kept in {path.parent}.", file=sys.stderr)
        return 1
    print(f"Built the default learned model in {time.process_time() - started:.1f} s: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
