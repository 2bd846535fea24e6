"""Tag partners' answers with their consultation's themes: on every save, and all at once.

Each consultation tags with its own copy of the taxonomy (``evidence.themes``). The tagger for
a taxonomy is built once per process and kept while its phrases stay the same (keyed by a
fingerprint of them), so an officer's edit builds a new one and every save after it uses it.

What the tagger finds in an answer is stored beside it, in the same transaction as the save:
its suggestions (``TagSuggestion``, source "rules", replacing the answer's earlier ones) and
its figures, places and regional flag (``AnswerEvidence``). When the officer has switched on a
model learned from their decisions (``evidence.model_store``), its suggestions are stored too,
source "learned", with their score and no spans, for the themes the rules did not suggest.
Otherwise the default learned model that ships with the workbench (``evidence.default_model``;
the ``default_model`` setting, on unless switched off) adds its themes the same way, source
"learned" with its score, spans ``{"model": "default"}``: a consultation's own model, once
switched on, replaces the default one. Every machine suggestion of an answer is replaced each
time it is tagged. People's decisions are separate records and are never touched here.

Tagging must never cost a partner their save. ``tag_saved_answers`` runs inside a savepoint:
if anything in it fails (a taxonomy broken in storage, an unknown home region, a bug), the
savepoint is rolled back, the answer is left untagged rather than tagged for older text, the
failure is logged, and the save goes on. Re-tagging a whole consultation commits in batches,
so partners' saves wait at most for one batch, never for the whole run.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.audit import record_event
from consultations.consultation import get_consultation
from consultations.db import session_scope, utcnow
from consultations.models import User
from consultations.settings import load_setting
from evidence.learning import LEARNED, LearnedModel, LearnedSuggestion, LearningError, load_model
from evidence.model_store import active_tag_model
from evidence.models import Answer, AnswerEvidence, Submission, TagSuggestion, Theme
from evidence.recent import Recent
from evidence.tagger import Tagger, TagResult, ThemeSpec, ThemeSuggestion, build_tagger
from evidence.themes import consultation_themes, ensure_themes, taxonomy_key, theme_specs

log = logging.getLogger("workbench.tagging")

RETAG_BATCH = 100
_taxonomies: Recent[tuple, Taxonomy] = Recent(32)
_taggers: Recent[tuple[str, bool], Tagger] = Recent(4)  # about 14 MB each
_building = threading.Lock()  # one tagger built at a time: it takes about a second
# The app's threads share each tagger; spaCy's vocabulary grows as new words arrive, so one
# thread at a time runs a pipeline (a single answer takes well under a millisecond).
_tagging_lock = threading.Lock()

Progress = Callable[[int, int], None]
# Every source a machine suggestion is stored with ("model" by older code): all are replaced.
MACHINE_SOURCES = ("rules", LEARNED, "model")


@dataclass(frozen=True)
class Taxonomy:
    """A consultation's active themes as the tagger needs them, with their fingerprint."""

    consultation_id: int
    key: str
    specs: tuple[ThemeSpec, ...]
    theme_ids: Mapping[str, int]


@dataclass(frozen=True)
class RetagResult:
    """How a re-tagging run went."""

    answers: int
    batches: int
    taxonomy_key: str


@dataclass(frozen=True)
class TaggingStatus:
    """How many of a consultation's answers carry tags from its current themes."""

    answers: int
    current: int
    outdated: int
    untagged: int


def current_taxonomy(
    session: Session, consultation_id: int, *, now: datetime | None = None
) -> Taxonomy:
    """Return the consultation's taxonomy, copying the default one in first if it has none.

    Kept per database and consultation while its themes' ids, version numbers and times of
    change stay the same (every change to a theme raises its version and sets the time, so a
    change that was rolled back and a later one do not look alike): reading and parsing the
    phrases again took 10 ms of every save, a fifth of it, for a taxonomy that changes a few
    times in a consultation.
    """
    seen = (
        str(session.get_bind().url),
        consultation_id,
        tuple(
            session.execute(
                select(Theme.id, Theme.version, Theme.updated_at).where(
                    Theme.consultation_id == consultation_id
                )
            ).all()
        ),
    )
    kept = _taxonomies.get(seen)
    if kept is not None:
        return kept
    themes = ensure_themes(session, consultation_id, now=now)
    taxonomy = Taxonomy(
        consultation_id=consultation_id,
        key=taxonomy_key(themes),
        specs=tuple(theme_specs(themes)),
        theme_ids={theme.key: theme.id for theme in themes},
    )
    if seen[2]:  # not the copy just made: its rows are not committed yet
        _taxonomies.keep(seen, taxonomy)
    return taxonomy


def tagger_for(taxonomy: Taxonomy, *, learned: bool | None = None) -> Tagger:
    """Return the tagger for this taxonomy, built once per process and per set of phrases.

    ``learned``: with the default learned model's suggestions too; by default as the
    ``default_model`` setting says.
    """
    if learned is None:
        learned = default_model_on()
    key = (taxonomy.key, learned)
    tagger = _taggers.get(key)
    if tagger is None:
        with _building:
            tagger = _taggers.get(key) or _taggers.keep(
                key, build_tagger(taxonomy.specs, learned=learned)
            )
    return tagger


def default_model_on() -> bool:
    """Say whether the default learned model is switched on (the ``default_model`` setting)."""
    return bool(load_setting("default_model"))


def tag_answers(
    session: Session,
    answers: Sequence[Answer],
    *,
    now: datetime,
    home_region: str | None = None,
    new_ids: Collection[int] = (),
) -> int:
    """Tag answers with their consultations' themes and store what was found; return how many.

    What is found replaces what was found before, except for ``new_ids``: answers
    created in this transaction, which have nothing to replace. Failures propagate: callers that
    must not fail use ``tag_saved_answers``.
    """
    _forget_tags(session, [answer.id for answer in answers if answer.id not in new_ids])
    by_consultation: dict[int, list[Answer]] = {}
    for answer in answers:
        by_consultation.setdefault(answer.submission.consultation_id, []).append(answer)
    region = home_region or str(load_setting("home_region"))
    for consultation_id, group in by_consultation.items():
        _tag_group(session, consultation_id, group, now=now, home_region=region)
    return len(answers)


def tag_saved_answers(
    session: Session,
    answers: Sequence[Answer],
    *,
    now: datetime,
    home_region: str | None = None,
    new_ids: Collection[int] = (),
) -> bool:
    """Tag answers just saved, in the save's transaction, never letting a failure undo the save.

    ``new_ids`` are the answers the save created (see ``tag_answers``). Return whether tagging
    worked. On failure the answers are left untagged and it is logged.
    """
    if not answers:
        return True
    ids = [answer.id for answer in answers]
    try:
        with session.begin_nested():
            tag_answers(session, answers, now=now, home_region=home_region, new_ids=new_ids)
        return True
    except Exception:
        # Deliberately broad: whatever went wrong with tagging, the partner's save must stand.
        log.exception("Tagging answers %s failed; they are saved but left untagged.", ids)
    try:
        with session.begin_nested():
            _forget_tags(session, ids)
    except Exception:
        log.exception("Clearing the old tags of answers %s failed; they may be out of date.", ids)
    return False


def retag_consultation(
    engine: Engine,
    actor_id: int,
    consultation_id: int,
    *,
    progress: Progress | None = None,
    batch_size: int = RETAG_BATCH,
    home_region: str | None = None,
) -> RetagResult:
    """Tag every answer of a consultation again with its current themes, batch by batch.

    Each batch is one transaction, so partners' saves go on meanwhile; an answer saved during
    the run is tagged by its own save. ``progress(done, total)`` is called after each batch.
    """
    if batch_size < 1:
        raise ValueError(f"The batch size must be 1 or more, not {batch_size}.")
    region = home_region or str(load_setting("home_region"))
    with session_scope(engine) as session:
        require(session.get(User, actor_id), "theme.edit")
        get_consultation(session, consultation_id)
        taxonomy = current_taxonomy(session, consultation_id, now=utcnow())
        ids = list(
            session.scalars(
                select(Answer.id)
                .join(Submission)
                .where(Submission.consultation_id == consultation_id)
                .order_by(Answer.id)
            )
        )
    total, batches = len(ids), 0
    if progress:
        progress(0, total)
    for start in range(0, total, batch_size):
        with session_scope(engine) as session:
            answers = list(
                session.scalars(
                    select(Answer)
                    .where(Answer.id.in_(ids[start : start + batch_size]))
                    .order_by(Answer.id)
                    .with_for_update()
                )
            )
            _forget_tags(session, [answer.id for answer in answers])
            _tag_group(session, consultation_id, answers, now=utcnow(), home_region=region)
        batches += 1
        if progress:
            progress(min(start + batch_size, total), total)
    with session_scope(engine) as session:
        record_event(
            session,
            actor=session.get(User, actor_id),
            action="answers.retagged",
            object_type="consultation",
            object_id=consultation_id,
            consultation_id=consultation_id,
            detail={"answers": total, "batches": batches, "taxonomy": taxonomy.key},
        )
    return RetagResult(answers=total, batches=batches, taxonomy_key=taxonomy.key)


def tagging_status(session: Session, consultation_id: int) -> TaggingStatus:
    """Count the answers tagged with the current themes, with older ones, and not at all."""
    key = taxonomy_key(consultation_themes(session, consultation_id))
    rows = session.execute(
        select(
            func.count(Answer.id),
            func.count(AnswerEvidence.answer_id),
            func.count(AnswerEvidence.answer_id).filter(
                AnswerEvidence.taxonomy_key == key,
                AnswerEvidence.answer_version == Answer.version,
            ),
        )
        .select_from(Answer)
        .join(Submission)
        .outerjoin(AnswerEvidence, AnswerEvidence.answer_id == Answer.id)
        .where(Submission.consultation_id == consultation_id)
    ).one()
    answers, tagged, current = rows
    return TaggingStatus(answers, current, tagged - current, answers - tagged)


# --- storing what the tagger found -----------------------------------------------------------


def _tag_group(
    session: Session,
    consultation_id: int,
    answers: Sequence[Answer],
    *,
    now: datetime,
    home_region: str,
) -> None:
    if not answers:
        return
    taxonomy = current_taxonomy(session, consultation_id, now=now)
    learned_model = _learned_model(session, consultation_id)
    # The consultation's own model, when switched on, replaces the default one.
    tagger = tagger_for(taxonomy, learned=learned_model is None and default_model_on())
    texts = [answer.text for answer in answers]
    with _tagging_lock:
        results = list(tagger.tag(texts, home_region=home_region))
        if learned_model is not None:
            learned = learned_model.suggest(texts)
        else:
            learned = [result.learned for result in results]
    _store(session, answers, results, taxonomy, now, learned)


def _learned_model(session: Session, consultation_id: int) -> LearnedModel | None:
    """Return the consultation's switched-on model, or None (also when it cannot be read)."""
    stored = active_tag_model(session, consultation_id)
    if stored is None:
        return None
    try:
        return load_model(stored.data)
    except LearningError:
        # A model that cannot be read must not stop the rules tagging: they go on alone.
        log.exception(
            "The active model (version %s) of consultation %s cannot be loaded; tagging with "
            "the rules alone.",
            stored.version,
            consultation_id,
        )
        return None


def _store(
    session: Session,
    answers: Sequence[Answer],
    results: Sequence[TagResult],
    taxonomy: Taxonomy,
    now: datetime,
    learned: Sequence[Sequence[LearnedSuggestion]],
) -> None:
    # Insert in bulk, into the tables: a re-tag writes thousands of rows, and the unit of work's
    # bookkeeping per object cost more than the tagging itself. The callers have cleared what
    # was found before.
    suggestions = [
        {
            "answer_id": answer.id,
            "theme_id": taxonomy.theme_ids[suggestion.theme_id],
            "score": suggestion.score,
            "source": "rules",
            "spans": _spans(suggestion),
            "created_at": now,
        }
        for answer, result in zip(answers, results, strict=True)
        for suggestion in result.suggestions
    ]
    suggestions += [
        {
            "answer_id": answer.id,
            "theme_id": taxonomy.theme_ids[suggestion.theme_id],
            "score": suggestion.score,
            "source": LEARNED,
            "spans": {"model": "default"} if suggestion in result.learned else {},
            "created_at": now,
        }
        for answer, result, found in zip(answers, results, learned, strict=True)
        for suggestion in _learned_only(found, result, taxonomy)
    ]
    if suggestions:
        session.execute(insert(TagSuggestion.__table__), suggestions)
    session.execute(
        insert(AnswerEvidence.__table__),
        [
            {
                "answer_id": answer.id,
                "figures": [
                    {"start": f.start_char, "end": f.end_char, "kinds": list(f.kinds)}
                    for f in result.figures
                ],
                "places": [
                    {
                        "name": p.name,
                        "kind": p.kind,
                        "region": p.region,
                        "start": p.start_char,
                        "end": p.end_char,
                    }
                    for p in result.places
                ],
                "regional": result.regional_impact,
                "answer_version": answer.version,
                "taxonomy_key": taxonomy.key,
                "tagged_at": now,
            }
            for answer, result in zip(answers, results, strict=True)
        ],
    )


def _learned_only(
    found: Sequence[LearnedSuggestion], result: TagResult, taxonomy: Taxonomy
) -> list[LearnedSuggestion]:
    """Keep the model's suggestions of themes the rules did not suggest and that still exist."""
    by_rules = {suggestion.theme_id for suggestion in result.suggestions}
    return [
        suggestion
        for suggestion in found
        if suggestion.theme_id not in by_rules and suggestion.theme_id in taxonomy.theme_ids
    ]


def _spans(suggestion: ThemeSuggestion) -> dict[str, Any]:
    return {
        "matches": [
            {"phrase": m.phrase, "start": m.start_char, "end": m.end_char}
            for m in suggestion.matches
        ],
        "sentences": [[start, end] for start, end in suggestion.sentences],
    }


def _forget_tags(session: Session, answer_ids: Sequence[int]) -> None:
    if not answer_ids:
        return
    session.execute(
        delete(TagSuggestion.__table__).where(
            TagSuggestion.answer_id.in_(answer_ids), TagSuggestion.source.in_(MACHINE_SOURCES)
        )
    )
    session.execute(
        delete(AnswerEvidence.__table__).where(AnswerEvidence.answer_id.in_(answer_ids))
    )
