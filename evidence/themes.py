"""Each consultation's own themes: copied from the default taxonomy, then edited by the officer.

A consultation gets its copy the first time something needs it (the first answer tagged, or
the officer opening its themes); copying twice changes nothing. The officer may rename a theme,
edit its description, add or remove phrases, add a theme, merge two, and drop or restore one.
Every edit checks the officer's role first, checks everything about the input before writing,
and writes an audit event in the same transaction.

Themes are never deleted: a dropped or merged theme keeps its decisions as history and is left
out of tagging and of the review queue.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.audit import record_event
from consultations.consultation import get_consultation
from consultations.db import hold_lock, utcnow
from consultations.errors import StaleEdit, ValidationFailed, WorkbenchError
from consultations.models import User
from evidence.models import TagDecision, TagSuggestion, Theme
from evidence.tagger import ThemeSpec, load_default_taxonomy, looks_like_acronym, themes_from_json

MAX_LABEL = 120
MAX_DESCRIPTION = 500
MAX_PHRASE = 100
# The default taxonomy's largest theme has about 200 phrases; each phrase is matched in every
# answer, and a theme's list is checked and shown whole.
MAX_PHRASES = 1_000
# weight -> what it means to an officer; the tagger suggests a theme at a score of 2.
WEIGHTS: dict[float, str] = {
    2.0: "Strong: one mention is enough",
    1.0: "Weak: needs another phrase of the theme",
    0.5: "Context: only tips a near miss",
}


# --- reading ---------------------------------------------------------------------------------


def consultation_themes(
    session: Session, consultation_id: int, *, include_dropped: bool = False
) -> list[Theme]:
    """Return a consultation's themes in their order (active ones only, unless asked)."""
    query = select(Theme).where(Theme.consultation_id == consultation_id)
    if not include_dropped:
        query = query.where(Theme.active)
    return list(session.scalars(query.order_by(Theme.position, Theme.id)))


def get_theme(session: Session, theme_id: int, *, for_update: bool = False) -> Theme:
    """Return a theme by id, or say that it does not exist."""
    theme = session.get(Theme, theme_id, with_for_update=for_update)
    if theme is None:
        raise WorkbenchError("That theme does not exist any more. Reload the page.")
    return theme


def theme_specs(themes: Iterable[Theme]) -> list[ThemeSpec]:
    """Turn theme rows into the tagger's specs; a theme broken in storage raises TaxonomyError."""
    return themes_from_json(
        {
            "themes": [
                {
                    "id": theme.key,
                    "label": theme.label,
                    # The tagger wants a description; a theme added without one uses its name.
                    "description": theme.description or theme.label,
                    "patterns": theme.patterns,
                    "place_weight": theme.place_weight,
                }
                for theme in themes
            ]
        }
    )


def taxonomy_key(themes: Iterable[Theme]) -> str:
    """Return a fingerprint of what tagging depends on: keys, phrases and weights, in order."""
    content = [(theme.key, theme.patterns, theme.place_weight) for theme in themes]
    encoded = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def weight_label(weight: float) -> str:
    """Say what a phrase's weight means, in words."""
    return WEIGHTS.get(float(weight), f"Weight {weight:g}")


# --- the copy of the default taxonomy --------------------------------------------------------


def ensure_themes(
    session: Session, consultation_id: int, *, now: datetime | None = None
) -> list[Theme]:
    """Give the consultation its copy of the default taxonomy if it has none; return its themes.

    Safe to call on every save: once the copy exists nothing is written. Two first saves at once
    do not both copy (a lock on PostgreSQL; SQLite's writing transactions are serial already).
    """
    existing = consultation_themes(session, consultation_id, include_dropped=True)
    if not existing:
        hold_lock(session, f"themes:{consultation_id}")
        existing = consultation_themes(session, consultation_id, include_dropped=True)
    if existing:
        return [theme for theme in existing if theme.active]
    now = now or utcnow()
    themes = [
        Theme(
            consultation_id=consultation_id,
            key=spec.id,
            label=spec.label,
            description=spec.description,
            patterns=[_pattern_json(pattern) for pattern in spec.patterns],
            place_weight=spec.place_weight,
            position=position,
            created_at=now,
            updated_at=now,
        )
        for position, spec in enumerate(load_default_taxonomy(), start=1)
    ]
    session.add_all(themes)
    session.flush()
    record_event(
        session,
        actor=None,
        actor_label="the workbench",
        action="themes.copied",
        object_type="consultation",
        object_id=consultation_id,
        consultation_id=consultation_id,
        detail={"themes": len(themes), "from": "the default taxonomy"},
        now=now,
    )
    return themes


def _pattern_json(pattern: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"phrase": pattern.phrase, "weight": pattern.weight}
    if pattern.exact_case is not None:
        data["exact_case"] = pattern.exact_case
    return data


# --- the officer's edits ---------------------------------------------------------------------


def update_theme(
    session: Session,
    actor: User,
    theme_id: int,
    *,
    label: str,
    description: str,
    seen_version: int,
    now: datetime,
) -> Theme:
    """Rename a theme and edit its description; refuse if someone changed it meanwhile."""
    require(actor, "theme.edit")
    theme = get_theme(session, theme_id, for_update=True)
    hold_lock(session, f"themes:{theme.consultation_id}")
    if theme.version != seen_version:
        raise StaleEdit(
            "Someone else changed this theme while you were editing it, so your change was not "
            "saved. Its current name and description are shown below; edit them again.",
            current={"name": theme.label, "description": theme.description},
        )
    label, description = _clean(label), description.strip()
    problems = _label_problems(session, theme.consultation_id, label, except_id=theme.id)
    if len(description) > MAX_DESCRIPTION:
        problems.append(f"the description is longer than {MAX_DESCRIPTION} characters")
    if problems:
        raise ValidationFailed(problems, subject="The theme")
    before = {"label": theme.label, "description": theme.description}
    if (label, description) == (theme.label, theme.description):
        return theme
    theme.label, theme.description, theme.updated_at = label, description, now
    session.flush()
    _audit(
        session,
        actor,
        "theme.updated",
        theme,
        now,
        {"from": before, "to": {"label": label, "description": description}},
    )
    return theme


def add_phrase(
    session: Session,
    actor: User,
    theme_id: int,
    phrase: str,
    *,
    weight: float = 1.0,
    now: datetime,
) -> Theme:
    """Add a phrase that points to a theme, with its weight."""
    require(actor, "theme.edit")
    theme = _active_theme(session, theme_id)
    phrase = _clean(phrase)
    problems = []
    if not phrase:
        problems.append("the phrase is empty")
    elif len(phrase) > MAX_PHRASE:
        problems.append(f"the phrase is longer than {MAX_PHRASE} characters")
    elif _find_phrase(theme.patterns, phrase) is not None:
        problems.append(f"'{phrase}' is already a phrase of '{theme.label}'")
    elif len(theme.patterns) >= MAX_PHRASES:
        problems.append(_too_many_phrases(len(theme.patterns) + 1))
    if float(weight) not in WEIGHTS:
        problems.append("the weight must be strong (2), weak (1) or context (0.5)")
    if problems:
        raise ValidationFailed(problems, subject="The phrase")
    # A new list, not an append: SQLAlchemy notices a JSON column change only on assignment.
    theme.patterns = [*theme.patterns, {"phrase": phrase, "weight": float(weight)}]
    theme.updated_at = now
    session.flush()
    _audit(session, actor, "theme.phrase_added", theme, now, {"phrase": phrase, "weight": weight})
    return theme


def remove_phrase(
    session: Session, actor: User, theme_id: int, phrase: str, *, now: datetime
) -> Theme:
    """Remove a phrase from a theme."""
    require(actor, "theme.edit")
    theme = _active_theme(session, theme_id)
    index = _find_phrase(theme.patterns, _clean(phrase))
    if index is None:
        raise ValidationFailed(
            [f"'{_clean(phrase)}' is not a phrase of '{theme.label}'"], subject="The phrase"
        )
    removed = theme.patterns[index]
    theme.patterns = [p for number, p in enumerate(theme.patterns) if number != index]
    theme.updated_at = now
    session.flush()
    _audit(session, actor, "theme.phrase_removed", theme, now, {"phrase": removed["phrase"]})
    return theme


def add_theme(
    session: Session,
    actor: User,
    consultation_id: int,
    *,
    label: str,
    description: str = "",
    phrases: Sequence[str] = (),
    now: datetime,
) -> Theme:
    """Add a theme of the officer's own to a consultation, with any phrases (weak, weight 1)."""
    require(actor, "theme.edit")
    get_consultation(session, consultation_id)
    themes = ensure_themes(session, consultation_id, now=now)
    hold_lock(session, f"themes:{consultation_id}")
    label, description = _clean(label), description.strip()
    problems = _label_problems(session, consultation_id, label)
    if len(description) > MAX_DESCRIPTION:
        problems.append(f"the description is longer than {MAX_DESCRIPTION} characters")
    patterns: list[dict[str, Any]] = []
    seen = _PhraseIndex()
    too_long = []
    for phrase in (_clean(p) for p in phrases):
        if not phrase or seen.find(phrase) is not None:
            continue
        seen.add(phrase, len(patterns))
        if len(phrase) > MAX_PHRASE:
            too_long.append(f"the phrase '{phrase[:30]}…' is longer than {MAX_PHRASE} characters")
        patterns.append({"phrase": phrase, "weight": 1.0})
    # Too many is said once, rather than a problem for each of thousands of phrases.
    problems += [_too_many_phrases(len(patterns))] if len(patterns) > MAX_PHRASES else too_long
    if problems:
        raise ValidationFailed(problems, subject="The new theme")
    every = consultation_themes(session, consultation_id, include_dropped=True)
    theme = Theme(
        consultation_id=consultation_id,
        key=_new_key(label, {t.key for t in every}),
        label=label,
        description=description,
        patterns=patterns,
        place_weight=0.0,
        position=max((t.position for t in every), default=len(themes)) + 1,
        created_at=now,
        updated_at=now,
    )
    session.add(theme)
    session.flush()
    _audit(session, actor, "theme.added", theme, now, {"phrases": len(patterns)})
    return theme


@dataclass(frozen=True)
class MergeOutcome:
    """What a merge moved: decisions (and how many were superseded), suggestions, phrases."""

    kept: Theme
    decisions_moved: int
    decisions_superseded: int
    suggestions_moved: int
    phrases_added: int


def merge_themes(
    session: Session, actor: User, *, keep_id: int, merge_id: int, now: datetime
) -> MergeOutcome:
    """Merge one theme into another: its phrases, suggestions and decisions move to the kept one.

    Decisions keep who made them and when. Where an answer has a current decision on both
    themes, one stays current and the other becomes history: an acceptance wins over a
    rejection (the answer raised one of the two, so it raises the merged theme); between equal
    decisions the kept theme's stays. The merged theme stays on record as merged, not deleted.
    """
    require(actor, "theme.edit")
    if keep_id == merge_id:
        raise ValidationFailed(
            ["a theme cannot be merged into itself; choose two different themes"],
            subject="The merge",
        )
    # Lock in id order, so two merges of the same pair cannot deadlock.
    first, second = sorted((keep_id, merge_id))
    locked = {first: get_theme(session, first, for_update=True)}
    locked[second] = get_theme(session, second, for_update=True)
    keep, merged = locked[keep_id], locked[merge_id]
    problems = []
    if keep.consultation_id != merged.consultation_id:
        problems.append("the two themes belong to different consultations")
    problems += [
        f"'{t.label}' has been dropped; restore it first" for t in (keep, merged) if not t.active
    ]
    if problems:
        raise ValidationFailed(problems, subject="The merge")
    hold_lock(session, f"themes:{keep.consultation_id}")
    phrases_added = _merge_patterns(keep, merged)
    suggestions_moved = _move_suggestions(session, keep, merged)
    moved, superseded = _move_decisions(session, keep, merged)
    merged.active = False
    merged.merged_into_id = keep.id
    keep.updated_at = merged.updated_at = now
    session.flush()
    _audit(
        session,
        actor,
        "theme.merged",
        keep,
        now,
        {
            "merged": {"id": merged.id, "key": merged.key, "label": merged.label},
            "decisions_moved": moved,
            "decisions_superseded": superseded,
            "suggestions_moved": suggestions_moved,
            "phrases_added": phrases_added,
        },
    )
    return MergeOutcome(keep, moved, superseded, suggestions_moved, phrases_added)


def drop_theme(session: Session, actor: User, theme_id: int, *, now: datetime) -> Theme:
    """Drop a theme: no longer suggested or reviewed; its decisions stay on record."""
    require(actor, "theme.edit")
    theme = get_theme(session, theme_id, for_update=True)
    if not theme.active:
        raise WorkbenchError(f"'{theme.label}' has already been dropped.")
    theme.active = False
    theme.updated_at = now
    session.flush()
    _audit(session, actor, "theme.dropped", theme, now, {})
    return theme


def restore_theme(session: Session, actor: User, theme_id: int, *, now: datetime) -> Theme:
    """Bring back a dropped theme (a merged one lives on in the theme it went into)."""
    require(actor, "theme.edit")
    theme = get_theme(session, theme_id, for_update=True)
    hold_lock(session, f"themes:{theme.consultation_id}")
    if theme.active:
        raise WorkbenchError(f"'{theme.label}' is in use already.")
    if theme.merged_into_id is not None:
        into = session.get(Theme, theme.merged_into_id)
        raise WorkbenchError(
            f"'{theme.label}' was merged into '{into.label if into else 'another theme'}', so it "
            "cannot come back on its own; add a new theme instead."
        )
    problems = _label_problems(session, theme.consultation_id, theme.label, except_id=theme.id)
    if problems:
        raise ValidationFailed(problems, subject="The theme")
    theme.active = True
    theme.updated_at = now
    session.flush()
    _audit(session, actor, "theme.restored", theme, now, {})
    return theme


# --- helpers ---------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Trim the text and collapse runs of spaces, which the matcher ignores anyway."""
    return " ".join(text.split())


def _same_phrase(one: str, other: str) -> bool:
    # Acronyms match only as spelled; other phrases match in any case.
    if looks_like_acronym(one) or looks_like_acronym(other):
        return one == other
    return one.casefold() == other.casefold()


class _PhraseIndex:
    """Where each phrase seen so far is, found for a phrase the same as it in constant time.

    The same rule as ``_same_phrase``: a phrase in capitals is the same only as written, any
    other the same in any case (as another that is not in capitals). Checking a new theme's
    5,000 phrases pairwise took 37 s while holding the only write slot.
    """

    def __init__(self, phrases: Iterable[str] = ()) -> None:
        self.written: dict[str, int] = {}
        self.folded: dict[str, int] = {}
        for index, phrase in enumerate(phrases):
            self.add(phrase, index)

    def add(self, phrase: str, index: int) -> None:
        self.written.setdefault(phrase, index)
        if not looks_like_acronym(phrase):
            self.folded.setdefault(phrase.casefold(), index)

    def find(self, phrase: str) -> int | None:
        if phrase in self.written:
            return self.written[phrase]
        return None if looks_like_acronym(phrase) else self.folded.get(phrase.casefold())


def _too_many_phrases(count: int) -> str:
    return (
        f"the theme would have {count:,} phrases and a theme may have at most {MAX_PHRASES:,}; "
        "keep the phrases that say the theme best, or split it into two themes"
    )


def _find_phrase(patterns: Sequence[dict[str, Any]], phrase: str) -> int | None:
    for index, pattern in enumerate(patterns):
        if _same_phrase(str(pattern.get("phrase", "")), phrase):
            return index
    return None


def _label_problems(
    session: Session, consultation_id: int, label: str, *, except_id: int | None = None
) -> list[str]:
    if not label:
        return ["the name is empty"]
    if len(label) > MAX_LABEL:
        return [f"the name is longer than {MAX_LABEL} characters"]
    query = select(Theme.label).where(
        Theme.consultation_id == consultation_id,
        Theme.active,
        func.lower(Theme.label) == label.lower(),
    )
    if except_id is not None:
        query = query.where(Theme.id != except_id)
    clash = session.scalar(query)
    if clash is not None:
        return [
            f"another theme is already called '{clash}'; choose a different name, or merge the "
            "two themes"
        ]
    return []


def _active_theme(session: Session, theme_id: int) -> Theme:
    theme = get_theme(session, theme_id, for_update=True)
    if not theme.active:
        raise WorkbenchError(f"'{theme.label}' has been dropped; restore it before editing it.")
    return theme


def _new_key(label: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:50] or "theme"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}_{number}", number + 1
    return key


def _merge_patterns(keep: Theme, merged: Theme) -> int:
    patterns = [dict(p) for p in keep.patterns]
    seen = _PhraseIndex(str(p.get("phrase", "")) for p in patterns)
    added = 0
    for pattern in merged.patterns:
        phrase = str(pattern.get("phrase", ""))
        index = seen.find(phrase)
        if index is None:
            seen.add(phrase, len(patterns))
            patterns.append(dict(pattern))
            added += 1
        elif float(pattern.get("weight", 1.0)) > float(patterns[index].get("weight", 1.0)):
            patterns[index]["weight"] = pattern["weight"]
    keep.patterns = patterns
    keep.place_weight = max(keep.place_weight, merged.place_weight)
    return added


def _move_suggestions(session: Session, keep: Theme, merged: Theme) -> int:
    kept = {
        (s.answer_id, s.source): s
        for s in session.scalars(select(TagSuggestion).where(TagSuggestion.theme_id == keep.id))
    }
    moved = 0
    for suggestion in session.scalars(
        select(TagSuggestion).where(TagSuggestion.theme_id == merged.id)
    ):
        twin = kept.get((suggestion.answer_id, suggestion.source))
        if twin is None:
            suggestion.theme_id = keep.id
        else:
            twin.score = max(twin.score, suggestion.score)
            twin.spans = _joined_spans(twin.spans, suggestion.spans)
            session.delete(suggestion)
        moved += 1
    session.flush()
    return moved


def _joined_spans(one: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    matches = {
        (m["start"], m["end"]): m for m in [*one.get("matches", ()), *other.get("matches", ())]
    }
    sentences = {tuple(s) for s in [*one.get("sentences", ()), *other.get("sentences", ())]}
    return {
        "matches": [matches[where] for where in sorted(matches)],
        "sentences": [list(s) for s in sorted(sentences)],
    }


def _move_decisions(session: Session, keep: Theme, merged: Theme) -> tuple[int, int]:
    """Move every decision of the merged theme to the kept one, leaving one current per answer."""
    current_kept = {
        d.answer_id: d
        for d in session.scalars(
            select(TagDecision).where(TagDecision.theme_id == keep.id, TagDecision.is_current)
        )
    }
    decisions = list(session.scalars(select(TagDecision).where(TagDecision.theme_id == merged.id)))
    superseded = 0
    for decision in decisions:
        rival = current_kept.get(decision.answer_id)
        if not decision.is_current or rival is None:
            continue
        superseded += 1
        if decision.accepted and not rival.accepted:
            rival.is_current = False
        else:
            decision.is_current = False
    # The superseded rows lose their "current" mark before any row changes theme, so the
    # database never sees two current decisions on one (answer, theme).
    session.flush()
    for decision in decisions:
        decision.moved_from_theme_id = merged.id
        decision.theme_id = keep.id
    session.flush()
    return len(decisions), superseded


def _audit(
    session: Session,
    actor: User,
    action: str,
    theme: Theme,
    now: datetime,
    detail: dict[str, Any],
) -> None:
    record_event(
        session,
        actor=actor,
        action=action,
        object_type="theme",
        object_id=theme.id,
        consultation_id=theme.consultation_id,
        detail={"theme": theme.key, "label": theme.label, **detail},
        now=now,
    )
