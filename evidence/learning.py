"""Learn themes from the officer's decisions on tags, and measure whether that helps.

Once at least ``MIN_REVIEWED`` answers have been reviewed, ``train_model`` trains a spaCy
``textcat_multilabel`` on them (on ``spacy.blank("en")``: nothing to download, CPU only) and
measures it against the rule tagger on the answers it did not see:

* one answer in five is held back, chosen by a hash of its id, so the same decisions always
  give the same split, and a new decision moves few answers from one side to the other;
* the labels are the consultation's theme ids, and an answer's accepted themes are its truth
  (a theme nobody accepted on it counts as "not this theme");
* three systems are scored on the held-back answers with ``evidence.evaluate``'s arithmetic:
  the rules alone, the model alone (score ``THRESHOLD`` or more) and both combined (the union);
* the model is ``recommended`` when the combined micro-F1 is not lower than the rules' alone:
  DESIGN.md lets the officer switch it on only then.

The trained pipeline comes back as one ``bytes`` value (its config and weights, in msgpack)
that the caller stores with the version and figures; ``load_model`` rebuilds it from those bytes
alone, in any process, and keeps the few most recent models so a page does not rebuild one on
every run. Training is deterministic: the same decisions give byte-identical models. Nothing
here touches the database or Streamlit.

Why a bag of words (``spacy.TextCatBOW.v3``, single words, 2**16 hash rows) and not spaCy's
default ensemble: measured on the 349 labelled comments of ``tests/data`` standing in for
decisions (``bench/learning.py``), the ensemble scored better alone (micro-F1 0.47 against
0.28) but, added to the rules, lowered their micro-F1 from 0.91 to 0.87 with its wrong
suggestions, where the bag of words raised it to 0.93; the ensemble also took 9-40 s to train
instead of 1-3 s, and stored 2.4 MB instead of 0.3 MB. Bigrams and
lower-casing the text did not help. A learning rate of 0.01 in batches of 16 trains the linear
model in a dozen epochs; spaCy's default 0.001 left it guessing almost nothing.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
import zlib
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import spacy
import srsly
from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, get_lang_class, minibatch
from thinc.api import Adam, Config

from consultations.errors import WorkbenchError
from consultations.words import agreeing
from evidence.default_model import LEARNED as LEARNED  # shared with the default model
from evidence.default_model import LearnedSuggestion as LearnedSuggestion
from evidence.evaluate import Scores, ThemeScore
from evidence.recent import Recent
from evidence.tagger import Tagger

MIN_REVIEWED = 50
HELD_BACK_SHARE = 0.2
THRESHOLD = 0.5

SEED = 0
EPOCHS = 12
DROPOUT = 0.2
LEARN_RATE = 0.01
BATCH_SIZE = 16
# A linear bag of words: the module docstring says why not spaCy's default ensemble.
MODEL_CONFIG = {
    "threshold": THRESHOLD,
    "model": {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": False,
        "ngram_size": 1,
        "no_output_layer": False,
        "length": 2**16,
    },
}
_FORMAT = "workbench-learned-themes/1"
_CACHE_SIZE = 4
_DAMAGED = (
    "The stored model is not one the workbench made, or it is damaged. Train the model again."
)


class LearningError(WorkbenchError):
    """Decisions that cannot be learned from, or a stored model that cannot be read."""


class NotEnoughReviewed(LearningError):
    """Too few reviewed answers to train a model and measure it fairly."""


class ReviewedAnswer(NamedTuple):
    """An answer a person has reviewed, with the themes they accepted on it (maybe none)."""

    answer_id: int | str
    text: str
    accepted_theme_ids: frozenset[str]


@dataclass(frozen=True)
class LearningResult:
    """A trained model, as bytes to store, and how it compares with the rules on held-back answers.

    The figures are for the held-back answers only; ``trained`` and ``held_back`` count answers.
    """

    model_bytes: bytes
    version: int | str
    theme_ids: tuple[str, ...]
    trained: int
    held_back: int
    rules: Scores
    model: Scores
    combined: Scores
    seconds: float

    @property
    def recommended(self) -> bool:
        """Say whether rules and model together score a micro-F1 no lower than the rules alone."""
        return self.combined.micro_f1 >= self.rules.micro_f1

    @property
    def sha256(self) -> str:
        """Return the SHA-256 of the model bytes, the key ``load_model`` caches them under."""
        return hashlib.sha256(self.model_bytes).hexdigest()

    def figures(self) -> dict[str, Any]:
        """Return the counts and scores as plain JSON data, to store beside the model."""
        return {
            "version": self.version,
            "trained": self.trained,
            "held_back": self.held_back,
            "threshold": THRESHOLD,
            "recommended": self.recommended,
            "systems": {
                name: _scores_to_json(scores)
                for name, scores in (
                    ("rules", self.rules),
                    ("model", self.model),
                    ("combined", self.combined),
                )
            },
        }


# --- the split -------------------------------------------------------------------------------


def split_reviewed(
    reviewed: Iterable[ReviewedAnswer | tuple[int | str, str, Collection[str]]],
) -> tuple[list[ReviewedAnswer], list[ReviewedAnswer]]:
    """Split reviewed answers into (trained, held back), holding back one in five by id hash."""
    answers = [_reviewed(item) for item in reviewed]
    ranked = sorted(answers, key=_split_key)
    held_keys = {_split_key(answer) for answer in ranked[: round(len(answers) * HELD_BACK_SHARE)]}
    trained = [answer for answer in answers if _split_key(answer) not in held_keys]
    held_back = [answer for answer in answers if _split_key(answer) in held_keys]
    return trained, held_back


def _split_key(answer: ReviewedAnswer) -> tuple[str, str]:
    # The hash of the id, not its value, so that held-back answers are spread over the
    # consultation rather than being its oldest or newest.
    key = str(answer.answer_id)
    return hashlib.sha256(key.encode("utf-8")).hexdigest(), key


def _reviewed(item: ReviewedAnswer | tuple[int | str, str, Collection[str]]) -> ReviewedAnswer:
    answer_id, text, accepted = item
    return ReviewedAnswer(answer_id, text, frozenset(accepted))


# --- training and measuring ------------------------------------------------------------------


def train_model(
    reviewed: Iterable[ReviewedAnswer | tuple[int | str, str, Collection[str]]],
    *,
    theme_ids: Sequence[str],
    tagger: Tagger,
    version: int | str | None = None,
) -> LearningResult:
    """Train a theme classifier on reviewed answers, and score it against the rules.

    ``tagger`` is the rule tagger built from the same consultation's themes. Without a
    ``version`` the model is named by a hash of the decisions it learned from.
    """
    answers = [_reviewed(item) for item in reviewed]
    theme_ids = tuple(theme_ids)
    _check(answers, theme_ids)
    if version is None:
        version = decisions_version(answers, theme_ids=theme_ids)
    trained, held_back = split_reviewed(answers)
    started = time.perf_counter()
    nlp = _train(trained, theme_ids)
    seconds = time.perf_counter() - started
    truth = [answer.accepted_theme_ids for answer in held_back]
    texts = [answer.text for answer in held_back]
    by_rules = _rule_themes(tagger, texts, theme_ids)
    by_model = [_above(scores, THRESHOLD) for scores in _predict(nlp, texts)]
    combined = [rules | model for rules, model in zip(by_rules, by_model, strict=True)]
    return LearningResult(
        model_bytes=_dump(nlp, theme_ids=theme_ids, version=version),
        version=version,
        theme_ids=theme_ids,
        trained=len(trained),
        held_back=len(held_back),
        rules=score_themes(truth, by_rules, theme_ids=theme_ids),
        model=score_themes(truth, by_model, theme_ids=theme_ids),
        combined=score_themes(truth, combined, theme_ids=theme_ids),
        seconds=seconds,
    )


def _check(answers: Sequence[ReviewedAnswer], theme_ids: Sequence[str]) -> None:
    """Refuse decisions that are too few or inconsistent, naming every problem at once."""
    answer_ids = [str(answer.answer_id) for answer in answers]
    distinct = len(set(answer_ids))
    if distinct < MIN_REVIEWED:
        missing = MIN_REVIEWED - distinct
        more = "1 more answer" if missing == 1 else f"{missing} more answers"
        raise NotEnoughReviewed(
            f"Learning from corrections needs at least {MIN_REVIEWED} reviewed answers, and "
            f"{distinct} {agreeing(distinct, 'has', 'have')} been reviewed so far. "
            f"Review {more}, then train the model again."
        )
    problems = []
    if not theme_ids:
        problems.append("the consultation has no themes")
    if repeated := _repeated(theme_ids):
        problems.append(f"these theme ids are listed more than once: {', '.join(repeated)}")
    if repeated := _repeated(answer_ids):
        problems.append(f"these answers are listed more than once: {', '.join(repeated)}")
    accepted = {theme_id for answer in answers for theme_id in answer.accepted_theme_ids}
    if unknown := sorted(accepted - set(theme_ids)):
        problems.append(
            f"decisions accept themes the consultation does not have: {', '.join(unknown)}"
        )
    if problems:
        raise LearningError(
            f"The model cannot be trained: {'; '.join(problems)}. Load the decisions again "
            "from the consultation's current themes and answers."
        )


def _repeated(values: Iterable[str]) -> list[str]:
    return sorted(value for value, count in Counter(values).items() if count > 1)


def decisions_version(
    reviewed: Iterable[ReviewedAnswer | tuple[int | str, str, Collection[str]]],
    *,
    theme_ids: Sequence[str],
) -> str:
    """Name a set of decisions by a short hash: the same decisions, in any order, same name."""
    decisions = sorted(
        [str(answer.answer_id), answer.text, sorted(answer.accepted_theme_ids)]
        for answer in map(_reviewed, reviewed)
    )
    data = json.dumps([list(theme_ids), decisions], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:12]


def _train(answers: Sequence[ReviewedAnswer], theme_ids: Sequence[str]) -> Language:
    """Train ``textcat_multilabel`` on blank English, the same way for the same answers."""
    fix_random_seed(SEED)
    shuffle = random.Random(SEED).shuffle
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat_multilabel", config=MODEL_CONFIG)
    for theme_id in theme_ids:
        textcat.add_label(theme_id)
    # A fixed order, whatever order the decisions came in, so the same decisions give the
    # same model.
    examples = [
        Example.from_dict(
            nlp.make_doc(answer.text),
            {"cats": {theme: float(theme in answer.accepted_theme_ids) for theme in theme_ids}},
        )
        for answer in sorted(answers, key=_split_key)
    ]
    optimizer = Adam(LEARN_RATE)
    nlp.initialize(lambda: examples, sgd=optimizer)
    for _ in range(EPOCHS):
        shuffle(examples)
        for batch in minibatch(examples, size=BATCH_SIZE):
            nlp.update(batch, sgd=optimizer, drop=DROPOUT)
    return nlp


def _rule_themes(tagger: Tagger, texts: Sequence[str], theme_ids: Sequence[str]) -> list[set[str]]:
    wanted = set(theme_ids)
    return [
        {suggestion.theme_id for suggestion in result.suggestions} & wanted
        for result in tagger.tag(texts)
    ]


def _predict(
    nlp: Language, texts: Iterable[str], *, batch_size: int = 64
) -> list[dict[str, float]]:
    return [dict(doc.cats) for doc in nlp.pipe(texts, batch_size=batch_size)]


def _above(scores: dict[str, float], threshold: float) -> set[str]:
    return {theme_id for theme_id, score in scores.items() if score >= threshold}


def score_themes(
    truth: Sequence[Collection[str]],
    suggested: Sequence[Collection[str]],
    *,
    theme_ids: Sequence[str],
) -> Scores:
    """Count, per theme, the suggestions that were right and wrong against the accepted themes.

    The same counting as ``evidence.evaluate.evaluate``, for suggestions from any system.
    """
    counts = {theme_id: [0, 0, 0] for theme_id in theme_ids}  # true pos., false pos., false neg.
    for accepted, found in zip(truth, suggested, strict=True):
        for theme_id in set(accepted) | set(found):
            tally = counts.setdefault(theme_id, [0, 0, 0])
            if theme_id not in found:
                tally[2] += 1
            elif theme_id in accepted:
                tally[0] += 1
            else:
                tally[1] += 1
    return Scores(
        themes=tuple(ThemeScore(theme_id, *tally) for theme_id, tally in counts.items()),
        answers=len(truth),
    )


def _scores_to_json(scores: Scores) -> dict[str, Any]:
    return {
        "micro_precision": scores.micro_precision,
        "micro_recall": scores.micro_recall,
        "micro_f1": scores.micro_f1,
        "macro_f1": scores.macro_f1,
        "answers": scores.answers,
        "themes": [
            {
                "theme_id": theme.theme_id,
                "precision": theme.precision,
                "recall": theme.recall,
                "f1": theme.f1,
                "support": theme.support,
                "true_positives": theme.true_positives,
                "false_positives": theme.false_positives,
                "false_negatives": theme.false_negatives,
            }
            for theme in scores.themes
        ],
    }


def scores_from_figures(figures: dict[str, Any], system: str) -> Scores:
    """Rebuild one system's scores ("rules", "model" or "combined") from stored ``figures()``."""
    data = figures["systems"][system]
    return Scores(
        themes=tuple(
            ThemeScore(
                theme["theme_id"],
                theme["true_positives"],
                theme["false_positives"],
                theme["false_negatives"],
            )
            for theme in data["themes"]
        ),
        answers=data["answers"],
    )


# --- storing and loading ---------------------------------------------------------------------


def _dump(nlp: Language, *, theme_ids: Sequence[str], version: int | str) -> bytes:
    # The weights are mostly untouched rows of the hash table, so they compress well.
    envelope = {
        "format": _FORMAT,
        "spacy": spacy.__version__,
        "version": version,
        "theme_ids": list(theme_ids),
        "config": nlp.config.to_str(),
        "pipeline": nlp.to_bytes(),
    }
    return zlib.compress(srsly.msgpack_dumps(envelope), level=6)


class LearnedModel:
    """A trained theme classifier rebuilt from stored bytes; get one with ``load_model``."""

    def __init__(
        self, nlp: Language, *, theme_ids: Sequence[str], version: int | str, sha256: str
    ) -> None:
        self._nlp = nlp
        self.theme_ids = tuple(theme_ids)
        self.version = version
        self.sha256 = sha256

    def predict(self, texts: Iterable[str], *, batch_size: int = 64) -> list[dict[str, float]]:
        """Score every theme for each text, in order: {theme id: score from 0 to 1}."""
        if isinstance(texts, str):
            raise TypeError("Pass the model a list of answers, not a single string.")
        return _predict(self._nlp, texts, batch_size=batch_size)

    def suggest(
        self, texts: Iterable[str], *, threshold: float = THRESHOLD, batch_size: int = 64
    ) -> list[tuple[LearnedSuggestion, ...]]:
        """Return, per text, the themes scoring ``threshold`` or more, highest score first."""
        return [
            tuple(
                LearnedSuggestion(theme_id, score)
                for theme_id, score in sorted(scores.items(), key=_minus_score_item)
                if score >= threshold
            )
            for scores in self.predict(texts, batch_size=batch_size)
        ]


def _minus_score_item(item: tuple[str, float]) -> float:
    return -item[1]


_loaded: Recent[str, LearnedModel] = Recent(_CACHE_SIZE)


def load_model(data: bytes) -> LearnedModel:
    """Rebuild a model from the bytes ``train_model`` made; the same bytes give the same object."""
    sha256 = hashlib.sha256(data).hexdigest()
    return _loaded.get(sha256) or _loaded.keep(sha256, _build(data, sha256))


def _build(data: bytes, sha256: str) -> LearnedModel:
    envelope = _read_envelope(data)
    config = Config().from_str(envelope["config"])
    nlp = get_lang_class(config["nlp"]["lang"]).from_config(config)
    try:
        nlp.from_bytes(envelope["pipeline"])
    except (ValueError, KeyError) as exc:
        raise LearningError(
            f"The stored model, made with spaCy {envelope['spacy']}, cannot be loaded with spaCy "
            f"{spacy.__version__}. Train the model again."
        ) from exc
    return LearnedModel(
        nlp, theme_ids=envelope["theme_ids"], version=envelope["version"], sha256=sha256
    )


def _read_envelope(data: bytes) -> dict[str, Any]:
    try:
        envelope = srsly.msgpack_loads(zlib.decompress(data))
    except (zlib.error, ValueError, TypeError) as exc:
        raise LearningError(_DAMAGED) from exc
    if not isinstance(envelope, dict) or envelope.get("format") != _FORMAT:
        raise LearningError(_DAMAGED)
    return envelope
