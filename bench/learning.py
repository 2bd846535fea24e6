"""Time learning from corrections, and compare rules, model and both on the labelled sets.

Run from the repository root: ``.venv/bin/python bench/learning.py`` (or ``-m bench.learning``).

The labelled dev and holdout sets (evidence/training_data/*.jsonl) stand in for an officer's
decisions: each comment is one reviewed answer and its themes are the accepted ones. The
script trains on them with ``evidence.learning.train_model`` and prints the three systems'
figures on the held-back fifth, then times training on ``--answers`` answers (the same
comments repeated under new ids; 500 by default). The budget in the brief: about 500 answers
trained in under 30 s on 2 cores. The script exits with status 1 when over it.

The rules were tuned on the dev set, so on it they are hard to beat: this measures the cost,
and whether ``recommended`` keeps a model that does not help switched off.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAINING_DATA = ROOT / "evidence" / "training_data"
SETS = [TRAINING_DATA / "dev_set.jsonl", TRAINING_DATA / "holdout_set.jsonl"]
BUDGET_SECONDS = 30.0


def read_reviewed() -> list[tuple[int, str, frozenset[str]]]:
    """Return the labelled comments as reviewed answers numbered from 1."""
    records = [
        json.loads(line)
        for path in SETS
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [
        (number, record["text"], frozenset(record["themes"]))
        for number, record in enumerate(records, start=1)
    ]


def main(argv: list[str] | None = None) -> int:
    """Train on the labelled sets, print the figures, then time a larger training run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=500, help="answers in the timed run")
    options = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from evidence.evaluate import format_scores
    from evidence.learning import train_model
    from evidence.tagger import build_tagger, load_default_taxonomy

    themes = load_default_taxonomy()
    tagger = build_tagger(themes)
    theme_ids = [theme.id for theme in themes]
    reviewed = read_reviewed()
    result = train_model(reviewed, theme_ids=theme_ids, tagger=tagger, version="bench")
    print(f"labelled sets: trained {result.trained}, held back {result.held_back}")
    for name, scores in (("rules", result.rules), ("model", result.model)):
        print(f"\n== {name} ==\n{format_scores(scores)}")
    print(f"\n== combined ==\n{format_scores(result.combined)}")
    print(f"\nrecommended: {result.recommended}; model {len(result.model_bytes):,} bytes")

    repeated = [
        (number + 1, text, accepted)
        for number, (_, text, accepted) in enumerate(
            reviewed[index % len(reviewed)] for index in range(options.answers)
        )
    ]
    started = time.perf_counter()
    timed = train_model(repeated, theme_ids=theme_ids, tagger=tagger, version="bench")
    total = time.perf_counter() - started
    print(
        f"\n{options.answers} answers: training {timed.seconds:.1f} s, with scoring and "
        f"packing {total:.1f} s (budget {BUDGET_SECONDS:.0f} s)"
    )
    from bench.budget import report

    report(
        f"learning: train on {options.answers} reviewed answers (issue 4's brief)",
        f"{total:.1f} s",
        f"under {BUDGET_SECONDS:.0f} s",
        within=total <= BUDGET_SECONDS,
    )
    return 0 if total <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
