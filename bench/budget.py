"""One line per budget, in a form ``bench/all.py`` collects into its table.

Every benchmark ends by calling ``report`` for each budget of DESIGN.md it measures; the line
reads well on its own too: ``budget: tagging speed | 0.19 of the tokenizer | at least 0.4 |
OVER``.
"""

from __future__ import annotations

PREFIX = "budget: "


def report(name: str, figure: str, budget: str, *, within: bool) -> None:
    """Print one budget's figure, the budget, and whether the figure is within it."""
    print(f"{PREFIX}{name} | {figure} | {budget} | {'within' if within else 'OVER'}", flush=True)


def parse(line: str) -> tuple[str, str, str, str] | None:
    """Read a line ``report`` printed: (name, figure, budget, verdict), or None."""
    if not line.startswith(PREFIX):
        return None
    parts = [part.strip() for part in line[len(PREFIX) :].split(" | ")]
    return (parts[0], parts[1], parts[2], parts[3]) if len(parts) == 4 else None
