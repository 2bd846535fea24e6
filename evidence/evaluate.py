"""Score the rule-based theme tagger against answers a person has labelled.

Usage: ``python -m evidence.evaluate FILE.jsonl [--home-region REGION] [--rules-only]
[--leave-out]``

Each line of the file is one answer: ``{"text": "...", "themes": ["nrpf", "funding"]}``, with
theme ids from the default taxonomy (an empty list for an answer that has no theme). The
command tags every answer as the workbench does, with the default taxonomy's rules and the
default learned model (``evidence.default_model``; ``--rules-only``: the rules alone), and
prints, per theme, precision,
recall, F1 and support (the answers labelled with it), then micro-F1 (every decision counted
together) and macro-F1 (the mean of the themes' F1; themes that are neither labelled nor
suggested anywhere in the file are left out of the mean). A missing file or a bad line stops
it with a message naming the line, and exit status 2.

Where the lines also say ``has_statistic`` (true or false: the answer states a figure) and
``places`` (the places it names, as written), it prints how well the tagger finds those too:
an answer counts as having a figure when the tagger reports a sentence with a number,
percentage, sum of money or count of people (a date alone is not a figure), and a place is
found when the tagger names it (as written, or by its gazetteer name; case aside).

When answers of the file are among those the default model was trained on, it says so: their
scores are training-set scores. ``--leave-out`` trains the model again without them first, for
the score on answers it has not seen.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consultations.errors import WorkbenchError
from evidence import default_model
from evidence.tagger import Tagger, TagResult, build_tagger, load_default_taxonomy

MAX_LISTED_PROBLEMS = 10


class DatasetError(WorkbenchError):
    """A labelled file that cannot be read."""


@dataclass(frozen=True)
class LabelledAnswer:
    """An answer with the themes a person filed it under (and, if labelled, figures and places)."""

    text: str
    themes: frozenset[str]
    has_statistic: bool | None = None
    places: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Counts:
    """Right and wrong finds of one kind (figures or places), with precision, recall and F1."""

    what: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        """Return the share of the tagger's finds that were labelled."""
        return _ratio(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        """Return the share of the labelled ones the tagger found."""
        return _ratio(self.true_positives, self.true_positives + self.false_negatives)

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall."""
        return _f1(self.true_positives, self.false_positives, self.false_negatives)


@dataclass(frozen=True)
class Evaluation:
    """Theme scores, and figure and place scores where the file labels them."""

    themes: Scores
    figures: Counts | None
    places: Counts | None


@dataclass(frozen=True)
class ThemeScore:
    """How well the tagger did on one theme."""

    theme_id: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def support(self) -> int:
        """Return how many answers a person labelled with the theme."""
        return self.true_positives + self.false_negatives

    @property
    def precision(self) -> float:
        """Return the share of the tagger's suggestions of the theme that were right."""
        return _ratio(self.true_positives, self.true_positives + self.false_positives)

    @property
    def recall(self) -> float:
        """Return the share of the labelled answers the tagger found."""
        return _ratio(self.true_positives, self.support)

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall."""
        return _f1(self.true_positives, self.false_positives, self.false_negatives)


@dataclass(frozen=True)
class Scores:
    """The tagger's scores on a labelled set: per theme, and over all themes."""

    themes: tuple[ThemeScore, ...]
    answers: int

    @property
    def scored_themes(self) -> tuple[ThemeScore, ...]:
        """Return the themes that were labelled or suggested at least once."""
        return tuple(theme for theme in self.themes if theme.support or theme.false_positives)

    @property
    def micro_precision(self) -> float:
        """Return the precision of all suggestions taken together."""
        true_positives, false_positives, _ = self._totals()
        return _ratio(true_positives, true_positives + false_positives)

    @property
    def micro_recall(self) -> float:
        """Return the recall of all labels taken together."""
        true_positives, _, false_negatives = self._totals()
        return _ratio(true_positives, true_positives + false_negatives)

    @property
    def micro_f1(self) -> float:
        """Return F1 over every theme decision taken together."""
        return _f1(*self._totals())

    @property
    def macro_f1(self) -> float:
        """Return the mean of the scored themes' F1."""
        scored = self.scored_themes
        return sum(theme.f1 for theme in scored) / len(scored) if scored else 0.0

    def worst(self, count: int = 3) -> tuple[ThemeScore, ...]:
        """Return the scored themes with the lowest F1, lowest first."""
        return tuple(sorted(self.scored_themes, key=lambda theme: theme.f1)[:count])

    def _totals(self) -> tuple[int, int, int]:
        return (
            sum(theme.true_positives for theme in self.themes),
            sum(theme.false_positives for theme in self.themes),
            sum(theme.false_negatives for theme in self.themes),
        )


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _f1(true_positives: int, false_positives: int, false_negatives: int) -> float:
    return _ratio(2 * true_positives, 2 * true_positives + false_positives + false_negatives)


def read_labelled(path: Path, *, theme_ids: Collection[str]) -> list[LabelledAnswer]:
    """Read a JSONL file of labelled answers, reporting every bad line at once."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise DatasetError(f"The file {path} does not exist.") from exc
    except UnicodeDecodeError as exc:
        raise DatasetError(f"The file {path} is not UTF-8 text.") from exc
    answers: list[LabelledAnswer] = []
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        answer = _labelled_answer(line, theme_ids=theme_ids, problems=problems, number=number)
        if answer is not None:
            answers.append(answer)
    if problems:
        raise DatasetError(_problems_message(path, problems))
    if not answers:
        raise DatasetError(f"The file {path} has no labelled answers in it.")
    return answers


def _labelled_answer(
    line: str, *, theme_ids: Collection[str], problems: list[str], number: int
) -> LabelledAnswer | None:
    """Parse one line, adding to ``problems`` what is wrong with it."""
    try:
        record: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        problems.append(f"line {number} is not valid JSON ({exc.msg})")
        return None
    if not isinstance(record, dict):
        problems.append(f"line {number} is not a JSON object")
        return None
    text, themes = record.get("text"), record.get("themes")
    before = len(problems)
    if not isinstance(text, str):
        problems.append(f"line {number} has no text under 'text'")
    if not isinstance(themes, list) or not all(isinstance(theme, str) for theme in themes):
        problems.append(f"line {number} has no list of theme ids under 'themes'")
    else:
        problems.extend(
            f"line {number} names the theme '{theme}', which is not in the taxonomy"
            for theme in themes
            if theme not in theme_ids
        )
    has_statistic, places = record.get("has_statistic"), record.get("places")
    if has_statistic is not None and not isinstance(has_statistic, bool):
        problems.append(f"line {number} has a has_statistic that is not true or false")
    if places is not None and (
        not isinstance(places, list) or not all(isinstance(place, str) for place in places)
    ):
        problems.append(f"line {number} has places that are not a list of names")
    if len(problems) > before:
        return None
    return LabelledAnswer(
        text=text,
        themes=frozenset(themes),
        has_statistic=has_statistic,
        places=None if places is None else tuple(places),
    )


def _problems_message(path: Path, problems: list[str]) -> str:
    listed = "; ".join(problems[:MAX_LISTED_PROBLEMS])
    more = len(problems) - MAX_LISTED_PROBLEMS
    if more > 0:
        listed += f"; and {more} more"
    noun, pronoun = ("problem", "it") if len(problems) == 1 else ("problems", "them")
    return f"The file {path} has {len(problems)} {noun}: {listed}. Fix {pronoun} and run it again."


def evaluate(
    records: Iterable[LabelledAnswer], tagger: Tagger, *, home_region: str = "Northern Ireland"
) -> Scores:
    """Tag the labelled answers and count, per theme, what the tagger got right and wrong."""
    return evaluate_all(records, tagger, home_region=home_region).themes


def evaluate_all(
    records: Iterable[LabelledAnswer], tagger: Tagger, *, home_region: str = "Northern Ireland"
) -> Evaluation:
    """Tag the labelled answers once and score themes, and figures and places where labelled."""
    records = list(records)
    results = list(tagger.tag([record.text for record in records], home_region=home_region))
    return Evaluation(
        themes=_theme_scores(records, results, [theme.id for theme in tagger.themes]),
        figures=_figure_counts(records, results),
        places=_place_counts(records, results),
    )


def _figure_counts(
    records: Sequence[LabelledAnswer], results: Sequence[TagResult]
) -> Counts | None:
    pairs = [
        (record.has_statistic, any(set(figure.kinds) - {"date"} for figure in result.figures))
        for record, result in zip(records, results, strict=True)
        if record.has_statistic is not None
    ]
    if not pairs:
        return None
    return Counts(
        "answers with a figure",
        sum(labelled and found for labelled, found in pairs),
        sum(found and not labelled for labelled, found in pairs),
        sum(labelled and not found for labelled, found in pairs),
    )


def _place_counts(records: Sequence[LabelledAnswer], results: Sequence[TagResult]) -> Counts | None:
    tallies = [0, 0, 0]
    labelled_any = False
    for record, result in zip(records, results, strict=True):
        if record.places is None:
            continue
        labelled_any = True
        labelled = {place.casefold() for place in record.places}
        found: set[str] = set()
        for mention in result.places:
            written = record.text[mention.start_char : mention.end_char].casefold()
            found.add(mention.name.casefold() if mention.name.casefold() in labelled else written)
        tallies[0] += len(found & labelled)
        tallies[1] += len(found - labelled)
        tallies[2] += len(labelled - found)
    return Counts("places", *tallies) if labelled_any else None


def _theme_scores(
    records: Sequence[LabelledAnswer], results: Sequence[TagResult], theme_ids: Sequence[str]
) -> Scores:
    counts = {theme_id: [0, 0, 0] for theme_id in theme_ids}
    for record, result in zip(records, results, strict=True):
        suggested = result.theme_ids  # the rules' and the default learned model's
        for theme_id in suggested | record.themes:
            tally = counts.setdefault(theme_id, [0, 0, 0])  # true pos., false pos., false neg.
            if theme_id not in suggested:
                tally[2] += 1
            elif theme_id in record.themes:
                tally[0] += 1
            else:
                tally[1] += 1
    return Scores(
        themes=tuple(ThemeScore(theme_id, *tally) for theme_id, tally in counts.items()),
        answers=len(records),
    )


def format_counts(counts: Counts) -> str:
    """Lay out one kind of find's scores as a line."""
    return (
        f"{counts.what}: precision {counts.precision:.3f}  recall {counts.recall:.3f}"
        f"  F1 {counts.f1:.3f}  (right {counts.true_positives}, wrong "
        f"{counts.false_positives}, missed {counts.false_negatives})"
    )


def format_evaluation(evaluation: Evaluation) -> str:
    """Lay out every score: the theme table, then figures and places where labelled."""
    lines = [format_scores(evaluation.themes)]
    for counts in (evaluation.figures, evaluation.places):
        if counts is not None:
            lines.append(format_counts(counts))
    return "\n".join(lines)


def format_scores(scores: Scores) -> str:
    """Lay the scores out as a plain-text table."""
    width = max([len("theme"), *(len(theme.theme_id) for theme in scores.themes)])
    lines = [f"{'theme':<{width}}  precision  recall     F1  support"]
    lines.extend(
        f"{theme.theme_id:<{width}}  {theme.precision:9.2f}  {theme.recall:6.2f}  {theme.f1:5.2f}"
        f"  {theme.support:7d}"
        for theme in scores.themes
    )
    lines.append("")
    lines.append(
        f"micro  precision {scores.micro_precision:.3f}  recall {scores.micro_recall:.3f}"
        f"  F1 {scores.micro_f1:.3f}"
    )
    lines.append(f"macro  F1 {scores.macro_f1:.3f} (over {len(scores.scored_themes)} themes)")
    lines.append(f"answers: {scores.answers}")
    return "\n".join(lines)


def trained_on(records: Iterable[LabelledAnswer]) -> int:
    """Count the answers the shipped default model was trained on."""
    seen = default_model.training_texts()
    return sum(record.text in seen for record in records)


def leaving_out(tagger: Tagger, records: Iterable[LabelledAnswer]) -> Tagger:
    """Return the tagger with a default model trained without these answers' texts."""
    theme_ids = tagger.model.theme_ids if tagger.model else [t.id for t in tagger.themes]
    texts = {record.text for record in records}
    rules = tagger.with_model(None)
    return tagger.with_model(default_model.train(rules, theme_ids, leave_out=texts))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line: score the tagger as shipped on a labelled JSONL file."""
    parser = argparse.ArgumentParser(
        prog="python -m evidence.evaluate", description=__doc__.splitlines()[0]
    )
    parser.add_argument("file", type=Path, help="JSONL file of labelled answers")
    parser.add_argument(
        "--home-region", default="Northern Ireland", help="region or nation of the partnership"
    )
    parser.add_argument(
        "--rules-only", action="store_true", help="the rules alone, without the learned model"
    )
    parser.add_argument(
        "--leave-out",
        action="store_true",
        help="train the default learned model without the file's answers first",
    )
    options = parser.parse_args(argv)
    tagger = build_tagger(load_default_taxonomy(), learned=not options.rules_only)
    try:
        records = read_labelled(options.file, theme_ids=[theme.id for theme in tagger.themes])
        seen = 0 if options.rules_only else trained_on(records)
        if seen and options.leave_out:
            tagger = leaving_out(tagger, records)
        evaluation = evaluate_all(records, tagger, home_region=options.home_region)
    except WorkbenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_evaluation(evaluation))
    if options.rules_only:
        print("tagger: the rules alone")
    elif seen and options.leave_out:
        print(
            f"tagger: the rules and the default learned model, trained without this file's "
            f"{seen} answers that it learns from as shipped"
        )
    elif seen:
        print(
            f"tagger: the rules and the default learned model, which was trained on {seen} of "
            f"these {len(records)} answers: training-set scores (--leave-out for unseen ones)"
        )
    else:
        print("tagger: the rules and the default learned model (not trained on these answers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
