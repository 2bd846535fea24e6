"""The theme taxonomy as the tagger reads it: themes, their phrases and how much each counts.

Each theme of ``evidence/taxonomy.json`` (or a consultation's own copy of it) lists phrases,
matched on their lemmas in any case, or spelled exactly when written in capitals (an acronym
such as "NRPF" or "LA"). Every phrase has a weight: 2 for a phrase that settles the theme on
its own, 1 for one that needs company, 0.5 for a context word that only tips a near miss.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consultations.errors import WorkbenchError

TAXONOMY_PATH = Path(__file__).with_name("taxonomy.json")
WEAK = 1.0


class TaxonomyError(WorkbenchError):
    """A taxonomy or gazetteer that cannot be used to tag answers."""


@dataclass(frozen=True)
class PhrasePattern:
    """One phrase that points to a theme, with how much a single match of it counts."""

    phrase: str
    weight: float = WEAK
    exact_case: bool | None = None  # None: decide from the phrase (capitals mean an acronym)

    @property
    def matches_exact_case(self) -> bool:
        """Say whether the phrase must be spelled exactly, or any case will do."""
        if self.exact_case is not None:
            return self.exact_case
        return looks_like_acronym(self.phrase)


@dataclass(frozen=True)
class ThemeSpec:
    """A theme as the tagger needs it: identity, wording and the phrases that point to it."""

    id: str
    label: str
    description: str
    patterns: tuple[PhrasePattern, ...]
    place_weight: float = 0.0


def looks_like_acronym(phrase: str) -> bool:
    """Say whether a phrase is written in capitals, like "NRPF", "BN(O)" or "A&E"."""
    letters = [char for char in phrase if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


def load_default_taxonomy() -> list[ThemeSpec]:
    """Read the default theme taxonomy shipped with the workbench."""
    return load_taxonomy(TAXONOMY_PATH)


def load_taxonomy(path: Path) -> list[ThemeSpec]:
    """Read a taxonomy JSON file shaped like ``evidence/taxonomy.json``."""
    return themes_from_json(read_json(path, what="taxonomy"))


def themes_from_json(data: Mapping[str, Any]) -> list[ThemeSpec]:
    """Turn taxonomy data into theme specs, reporting every problem at once."""
    raw_themes = data.get("themes") if isinstance(data, Mapping) else None
    if not isinstance(raw_themes, list):
        raise TaxonomyError("The taxonomy has no list of themes under the key 'themes'.")
    problems: list[str] = []
    themes = [_theme_from_json(raw, index, problems) for index, raw in enumerate(raw_themes)]
    ids = [theme.id for theme in themes]
    problems.extend(
        f"theme id '{theme_id}' is used more than once"
        for theme_id in sorted({theme_id for theme_id in ids if ids.count(theme_id) > 1})
    )
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise TaxonomyError(f"The taxonomy has {len(problems)} {noun}: {'; '.join(problems)}.")
    return themes


def _theme_from_json(raw: Any, index: int, problems: list[str]) -> ThemeSpec:
    if not isinstance(raw, Mapping):
        problems.append(f"theme {index + 1} is not an object")
        return ThemeSpec(id=f"#{index + 1}", label="", description="", patterns=())
    theme_id = str(raw.get("id") or f"#{index + 1}")
    for key in ("id", "label", "description"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            problems.append(f"theme {index + 1} has no text under '{key}'")
    patterns = raw.get("patterns", [])
    if not isinstance(patterns, list):
        problems.append(f"theme '{theme_id}' has patterns that are not a list")
        patterns = []
    place_weight = raw.get("place_weight", 0.0)
    if not _is_number(place_weight) or place_weight < 0:
        problems.append(f"theme '{theme_id}' has a place_weight that is not a number of 0 or more")
        place_weight = 0.0
    return ThemeSpec(
        id=theme_id,
        label=str(raw.get("label", "")),
        description=str(raw.get("description", "")),
        patterns=tuple(
            _pattern_from_json(item, f"theme '{theme_id}' pattern {number + 1}", problems)
            for number, item in enumerate(patterns)
        ),
        place_weight=float(place_weight),
    )


def _pattern_from_json(raw: Any, where: str, problems: list[str]) -> PhrasePattern:
    if isinstance(raw, str):
        raw = {"phrase": raw}
    if (
        not isinstance(raw, Mapping)
        or not isinstance(raw.get("phrase"), str)
        or not raw["phrase"].strip()
    ):
        problems.append(f"{where} has no phrase")
        return PhrasePattern(phrase="?")
    phrase = raw["phrase"].strip()
    weight = raw.get("weight", WEAK)
    if not _is_number(weight) or weight <= 0:
        problems.append(f"{where} ('{phrase}') has a weight that is not a positive number")
        weight = WEAK
    exact_case = raw.get("exact_case")
    if exact_case is not None and not isinstance(exact_case, bool):
        problems.append(f"{where} ('{phrase}') has an exact_case that is not true or false")
        exact_case = None
    return PhrasePattern(phrase=phrase, weight=float(weight), exact_case=exact_case)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def read_json(path: Path, *, what: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TaxonomyError(f"The {what} file {path} does not exist.") from exc
    except json.JSONDecodeError as exc:
        raise TaxonomyError(
            f"The {what} file {path} is not valid JSON: {exc.msg} at line {exc.lineno}."
        ) from exc
