"""Suggest themes for partners' answers, and spot their figures and places, with rules alone.

The tagger is built from four parts, each in its own module: the taxonomy's phrases
(``evidence.phrases``), the gazetteer of places (``evidence.places``), the figure rules
(``evidence.figures``) and the spaCy pipeline (``evidence.pipeline``). One PhraseMatcher on
LEMMA holds every phrase of the taxonomy, the gazetteer's places, names and local-difference
cues, and the number words; acronyms and place names must also be spelled exactly as written,
so that "LA" and "HO" never match "la" or "ho".

Scoring rule (tuned on the real-grounded comments of ``evidence/training_data``, judged on
``tests/data/corpus_check.jsonl``, with ``dev_set.jsonl`` kept as a regression set):

* every pattern has a weight: 2 for a strong phrase that settles the theme on its own
  ("NRPF", "unaccompanied asylum-seeking children"), 1 for a weak phrase that needs company
  ("landlord", "budget"), 0.5 for a context word that only tips a near miss ("councils");
* a theme's score is the sum of the weights of the *distinct* phrases it matched, so a weak
  word repeated five times still counts once;
* a match lying inside a longer match is dropped, so "asylum" in "asylum accommodation"
  speaks for housing only and "home" in "Home Office" for nothing; names of organisations and
  buildings in the gazetteer ("House of Commons", "North West Migrants Forum") are longer
  matches that stand for nothing, so the words inside them count for no theme and no place;
* a theme with a ``place_weight`` (the regional theme) gains it once when a place in the
  gazetteer is named (a place with a ``weight`` of its own gains that instead: a detention
  site 1, the UK as a whole or a country abroad 0);
* a theme is suggested when its score reaches ``THEME_THRESHOLD`` (2): one strong phrase, or
  two different weak ones.

In the same pass the tagger finds the sentences carrying figures (``evidence.figures``), the
places named, and whether the answer speaks to the home region: it names a place there, or
describes a local or devolved difference ("here in", "devolved", "Common Travel Area"). Built
with ``learned`` (the default), the default learned model (``evidence.default_model``) scores
each batch of docs, and its combiner weighs the model's probabilities with the rules' scores
(below ``THEME_THRESHOLD`` too): it adds, as ``TagResult.learned``, themes the rules missed, and
takes back a rules' suggestion it finds unlikely (in a long enough answer; in a short one, only
a suggestion no strong phrase made).

Speed (``bench/tagging.py``): lemmas are looked up once per word of the vocabulary, not once
per token, and copied onto a doc's tokens in one array operation; one matcher runs once per
doc; a doc's token offsets, spellings and number flags are read in one array operation
(``TokenColumns``) rather than as Token objects; sentences are found only for the docs that
report one, and only a text with a digit is searched for numbers in digits. A doc with no match
and no digit costs the tokenizer, the lemmatizer and the matcher, nothing more. The rest is
reading the matches and building the results in Python, where every object and call counts.
Measured on new text the tagger runs at about 0.7-0.9 of spaCy's own floor (the tokenizer,
spaCy's lookup lemmatizer and the same phrases in a PhraseMatcher).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import gc
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from evidence import default_model
from evidence.default_model import LEARNED, LearnedSuggestion
from evidence.figures import (
    FRACTIONS,
    MONTHS,
    NUMBER_WORDS,
    digit_figures,
    may_have_digits,
    word_figure,
)
from evidence.phrases import (
    TAXONOMY_PATH,
    WEAK,
    PhrasePattern,
    TaxonomyError,
    ThemeSpec,
    load_default_taxonomy,
    load_taxonomy,
    looks_like_acronym,
    themes_from_json,
)
from evidence.pipeline import (
    FIGURE_KINDS,
    LEMMATIZER_FACTORY,
    SENTENCIZER,
    EvidenceSentence,
    SentenceEnds,
    Sentences,
    TokenColumns,
    make_pipeline,
)
from evidence.places import (
    GAZETTEER_PATH,
    Gazetteer,
    Place,
    UnknownRegion,
    choose_place,
    inside_a_name,
    load_gazetteer,
)

__all__ = [
    "FIGURE_KINDS",
    "GAZETTEER_PATH",
    "LEARNED",
    "LEMMATIZER_FACTORY",
    "SENTENCIZER",
    "TAXONOMY_PATH",
    "THEME_THRESHOLD",
    "WEAK",
    "EvidenceSentence",
    "Gazetteer",
    "LearnedSuggestion",
    "Match",
    "PhrasePattern",
    "Place",
    "PlaceMention",
    "TagResult",
    "Tagger",
    "TaxonomyError",
    "ThemeSpec",
    "ThemeSuggestion",
    "UnknownRegion",
    "build_tagger",
    "load_default_taxonomy",
    "load_gazetteer",
    "load_taxonomy",
    "looks_like_acronym",
    "make_pipeline",
    "themes_from_json",
]

THEME_THRESHOLD = 2.0


# --- what the tagger returns -----------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """A phrase found in an answer, as written there, with its character offsets."""

    phrase: str
    start_char: int
    end_char: int


@dataclass(frozen=True)
class ThemeSuggestion:
    """A theme suggested for an answer, with the phrases and sentences that are the reason."""

    theme_id: str
    score: float
    matches: tuple[Match, ...]
    sentences: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class PlaceMention:
    """A place named in an answer."""

    name: str
    kind: str
    region: str
    start_char: int
    end_char: int


@dataclass(frozen=True)
class TagResult:
    """Everything the tagger found in one answer."""

    suggestions: tuple[ThemeSuggestion, ...]
    figures: tuple[EvidenceSentence, ...]
    places: tuple[PlaceMention, ...]
    regional_impact: bool
    # Themes the default learned model adds, where the rules did not suggest them (with the
    # model, ``suggestions`` are the rules' less any weak one its combiner took back).
    learned: tuple[LearnedSuggestion, ...] = ()

    @property
    def theme_ids(self) -> set[str]:
        """Return every theme suggested, by the rules or the default learned model."""
        return {s.theme_id for s in self.suggestions} | {s.theme_id for s in self.learned}


# --- the tagger ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Meaning:
    """What a matched phrase stands for: theme weights, a place, a cue or a figure word."""

    theme_weights: tuple[tuple[int, float], ...] = ()
    places: tuple[Place, ...] = ()  # the places that share the name; the text chooses
    is_cue: bool = False
    figure: str | None = None  # "number", "one", "month" or "may"
    is_name: bool = False  # a name of an organisation or building: its words count for nothing


class _Rule(NamedTuple):
    """Everything one matcher key stands for, in any case and when spelled exactly.

    A tuple, unpacked once per match: the fields of a match in any case are spread out, as
    reading them is most of the work for most matches.
    """

    themes: tuple[tuple[int, float], ...]  # (theme index, weight), in any case
    figure: str | None  # a number word, in any case
    is_cue: bool  # a local-difference cue, in any case
    exact: _Meaning | None  # what the phrase stands for when spelled as written
    spellings: frozenset[tuple[int, ...]]  # ORTH sequences that count as spelled exactly


@dataclass
class _MeaningDraft:
    theme_weights: dict[int, float] = field(default_factory=dict)
    places: list[Place] = field(default_factory=list)
    is_cue: bool = False
    figure: str | None = None
    is_name: bool = False
    used: bool = False

    def add(self, meaning: Any) -> None:
        self.used = True
        if meaning == "cue":
            self.is_cue = True
        elif meaning == "name":
            self.is_name = True
        elif isinstance(meaning, Place):
            self.places.append(meaning)
        elif isinstance(meaning, str):
            self.figure = meaning
        else:
            theme_index, weight = meaning
            # Spellings of one theme that lemmatise alike count as one phrase, at the higher weight.
            self.theme_weights[theme_index] = max(weight, self.theme_weights.get(theme_index, 0.0))

    def freeze(self) -> _Meaning | None:
        if not self.used:
            return None
        weights = tuple(sorted(self.theme_weights.items()))
        return _Meaning(weights, tuple(self.places), self.is_cue, self.figure, self.is_name)


@dataclass
class _RuleDraft:
    docs: list[Doc]
    any_case: _MeaningDraft = field(default_factory=_MeaningDraft)
    exact: _MeaningDraft = field(default_factory=_MeaningDraft)
    spellings: set[tuple[int, ...]] = field(default_factory=set)

    def freeze(self) -> _Rule:
        any_case = self.any_case.freeze() or _Meaning()
        return _Rule(
            any_case.theme_weights,
            any_case.figure,
            any_case.is_cue,
            self.exact.freeze(),
            frozenset(self.spellings),
        )


# A hit is a plain tuple, (start, -end, key, exact, what): tuples are cheap to make, and they
# sort by start with the longest first, which is the order _outermost needs. ``what`` is the
# (theme index, weight) pairs of a theme hit, or the Place of a place hit.
_Hit = tuple[int, int, int, int, Any]

_NOTHING_FOUND = TagResult(suggestions=(), figures=(), places=(), regional_impact=False)
_LOCAL_DIFFERENCE_ONLY = TagResult(suggestions=(), figures=(), places=(), regional_impact=True)


class Tagger:
    """Suggest themes for answers and spot figures and places; build it with ``build_tagger``."""

    def __init__(
        self,
        themes: Sequence[ThemeSpec],
        *,
        gazetteer: Gazetteer,
        model: default_model.LemmaModel | None = None,
    ) -> None:
        self.themes = tuple(themes)
        self.gazetteer = gazetteer
        self._nlp = make_pipeline()
        self._matcher = PhraseMatcher(self._nlp.vocab, attr="LEMMA")
        self._sentence_ends = SentenceEnds(self._nlp.get_pipe(SENTENCIZER))
        self._rules: dict[int, _Rule] = {}
        for key, draft in self._draft_rules().items():
            self._matcher.add(key, draft.docs)
            self._rules[self._nlp.vocab.strings[key]] = draft.freeze()
        self._nation_of = {place.region: place.nation for place in gazetteer.places}
        self._place_weights = tuple(
            (index, theme.place_weight)
            for index, theme in enumerate(self.themes)
            if theme.place_weight
        )
        self._set_model(model)

    def _set_model(self, model: default_model.LemmaModel | None) -> None:
        self.model = model
        # The model's columns for the themes this taxonomy still has (and it may judge), and
        # where each theme's rule score goes among the model's columns.
        self._model_columns = [] if model is None else model.columns_for(self.themes)
        judged = {model.theme_ids[column] for column in self._model_columns} if model else set()
        self._judged = frozenset(judged)
        self._theme_columns = (
            []
            if model is None
            else [
                (index, model.theme_ids.index(theme.id))
                for index, theme in enumerate(self.themes)
                if theme.id in judged
            ]
        )

    def with_model(self, model: default_model.LemmaModel | None) -> Tagger:
        """Return a tagger sharing this one's pipeline and phrases, with another learned model."""
        tagger = copy.copy(self)
        tagger._set_model(model)
        return tagger

    @property
    def nlp(self) -> Any:
        """Return the spaCy pipeline (the default learned model reads lemmas made by it)."""
        return self._nlp

    @property
    def pipe_names(self) -> list[str]:
        """Return the names of the spaCy pipeline's components, in order."""
        return list(self._nlp.pipe_names)

    def _entries(self) -> Iterator[tuple[str, bool, Any]]:
        """Yield every phrase to match: (phrase, spelled exactly, what it stands for)."""
        for index, theme in enumerate(self.themes):
            for pattern in theme.patterns:
                exact = pattern.matches_exact_case
                for phrase in _spellings(pattern.phrase, exact=exact):
                    yield phrase, exact, (index, pattern.weight)
        for place in self.gazetteer.places:
            for alias in (place.name, *place.aliases):
                yield alias, True, place
        for name in self.gazetteer.names:
            yield name, True, "name"
        for cue in self.gazetteer.local_difference_cues:
            yield cue, looks_like_acronym(cue), "cue"
        for word in NUMBER_WORDS + FRACTIONS:
            yield word, False, "number"
        yield "one", False, "one"
        for month in MONTHS:
            yield month, True, "may" if month == "May" else "month"

    def _draft_rules(self) -> dict[str, _RuleDraft]:
        """Group the phrases by the lemmas they match on: one matcher key per lemma sequence."""
        entries = list(self._entries())
        drafts: dict[str, _RuleDraft] = {}
        # The phrases go through the whole pipeline (not make_doc) so their lemmas exist.
        docs = self._nlp.pipe(phrase for phrase, _, _ in entries)
        for doc, (_, exact, meaning) in zip(docs, entries, strict=True):
            key = "LEMMA:" + " ".join(token.lemma_ for token in doc)
            draft = drafts.setdefault(key, _RuleDraft(docs=[doc]))
            if exact:
                draft.exact.add(meaning)
                draft.spellings.add(tuple(token.orth for token in doc))
            else:
                draft.any_case.add(meaning)
        return drafts

    def tag(
        self,
        texts: Iterable[str],
        *,
        home_region: str = "Northern Ireland",
        batch_size: int = 256,
    ) -> Iterator[TagResult]:
        """Tag answers in batches, one ``TagResult`` per text, in order."""
        if isinstance(texts, str):
            raise TypeError("Pass the tagger a list of answers, not a single string.")
        if home_region not in self.gazetteer.regions:
            raise UnknownRegion(
                f"'{home_region}' is not a region or nation the gazetteer knows; choose one of "
                f"{', '.join(self.gazetteer.regions)}."
            )
        if batch_size < 1:
            raise ValueError(f"The batch size must be 1 or more, not {batch_size}.")
        return self._tag_all(texts, home_region=home_region, batch_size=batch_size)

    def _tag_all(
        self, texts: Iterable[str], *, home_region: str, batch_size: int
    ) -> Iterator[TagResult]:
        # The original text is kept beside its doc: rebuilding it from doc.text costs more than
        # the matcher does. The sentencizer does not run here: Sentences applies its rule to the
        # few docs whose sentences are needed, and only when there can be more than one.
        for_pipe, for_texts = itertools.tee(texts)
        docs = self._nlp.pipe(for_pipe, batch_size=batch_size, disable=[SENTENCIZER])
        pairs = zip(for_texts, docs, strict=True)
        model, columns = self.model, self._model_columns
        if model is None or not columns:
            for text, doc in pairs:
                yield self._tag_doc(text, doc, home_region)
            return
        # The learned model scores a batch of docs at once: one matrix product per batch, and the
        # model's side of the combiner; each doc's rule scores add the rules' side, theme by
        # theme for the few themes they score. Each result is handed on as soon as it is made: a
        # batch of results held back until the last is tagged lives long enough to be promoted
        # by the garbage collector, which then spends more time than the combiner does.
        judged, themes = self._judged, self.themes
        column_of = dict(self._theme_columns)  # theme index -> model column
        judged_columns = frozenset(column_of.values())
        weights = model.mix_weights
        by_score, if_fired, if_strong = (weights[:, k].tolist() for k in range(3))
        fired_term = np.outer(np.arange(len(themes) + 1) / 3, weights[:, 4])
        threshold, strong_weight = default_model.THRESHOLD, default_model.STRONG
        while batch := list(itertools.islice(pairs, batch_size)):
            model_part = model.model_part(model.probabilities([doc for _, doc in batch]))
            for (text, doc), from_model in zip(batch, model_part, strict=True):
                scored: dict[int, tuple[float, float]] = {}
                result = self._tag_doc(text, doc, home_region, scored)
                ruled, strong = set(), set()
                log_odds = from_model.copy()
                for theme_index, (score, strongest) in scored.items():
                    column = column_of.get(theme_index)
                    if column is None:
                        continue
                    added = by_score[column] * min(score, 4.0) / 2
                    if score >= THEME_THRESHOLD:
                        ruled.add(column)
                        added += if_fired[column]
                    if strongest >= strong_weight:
                        strong.add(column)
                        added += if_strong[column]
                    log_odds[column] += added
                log_odds += fired_term[len(ruled)]
                row = 1 / (1 + np.exp(-log_odds))
                decided = {column for column in np.flatnonzero(row >= threshold).tolist()}
                decided &= judged_columns
                if len(doc) < default_model.SHORT:
                    short_adds = default_model.SHORT_ADDS
                    decided = {c for c in decided if c in ruled or row[c] >= short_adds}
                    decided |= ruled & strong
                if decided != ruled:
                    strong_ids = {model.theme_ids[column] for column in strong}
                    kept, learned = model.judge(
                        row, judged, result.suggestions, strong_ids, len(doc)
                    )
                    result = dataclasses.replace(result, suggestions=kept, learned=learned)
                yield result

    def rule_scores(
        self, texts: Sequence[str], theme_ids: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return the rules' score for each text and theme id (texts x themes), below the
        threshold at which they suggest it too (what the default model's combiner weighs), and
        the weight of the strongest phrase behind each score."""
        found = np.zeros((2, len(texts), len(theme_ids)))
        column_of = {theme.id: column for column, theme in enumerate(self.themes)}
        ours = {
            column_of[theme_id]: j for j, theme_id in enumerate(theme_ids) if theme_id in column_of
        }
        docs = self._nlp.pipe(texts, batch_size=256, disable=[SENTENCIZER])
        for i, (text, doc) in enumerate(zip(texts, docs, strict=True)):
            scored: dict[int, tuple[float, float]] = {}
            self._tag_doc(text, doc, "Northern Ireland", scored)
            for theme_index, (score, strongest) in scored.items():
                if theme_index in ours:
                    found[0, i, ours[theme_index]] = score
                    found[1, i, ours[theme_index]] = strongest
        return found[0], found[1]

    def _tag_doc(self, text: str, doc: Doc, home_region: str, rule_scores: Any = None) -> TagResult:
        matches = self._matcher(doc)
        has_digits = may_have_digits(text)
        if not (matches or has_digits):
            return _NOTHING_FOUND
        columns = TokenColumns(doc)
        theme_hits, place_hits, word_figures, has_cue = self._read_matches(columns, matches)
        if theme_hits:
            theme_hits = [hit for hit in theme_hits if not _in_a_name(text, columns, hit)]
        figures = digit_figures(text, columns) if has_digits else []
        if word_figures:
            figures.extend(
                figure
                for start, end, kind in word_figures
                if (figure := word_figure(text, columns, start, end, kind)) is not None
            )
        if not (theme_hits or place_hits or figures):
            return _LOCAL_DIFFERENCE_ONLY if has_cue else _NOTHING_FOUND
        sentences = Sentences(text, columns, self._sentence_ends)
        named = [_place_named(text, columns, hit) for hit in place_hits]
        places = tuple([mention for mention, _ in named])
        return TagResult(
            suggestions=self._suggest(
                text,
                columns,
                theme_hits,
                place_hits,
                [place for _, place in named],
                sentences,
                rule_scores,
            ),
            figures=sentences.evidence(figures) if figures else (),
            places=places,
            regional_impact=has_cue or (bool(places) and self._names_home(places, home_region)),
        )

    def _names_home(self, places: Iterable[PlaceMention], home_region: str) -> bool:
        return any(
            home_region in (place.region, self._nation_of.get(place.region)) for place in places
        )

    def _read_matches(
        self, columns: TokenColumns, matches: list[tuple[int, int, int]]
    ) -> tuple[list[_Hit], list[_Hit], list[tuple[int, int, str]], bool]:
        """Sort the matcher's finds into theme hits, place hits, figure words and cues."""
        rules = self._rules
        theme_hits: list[_Hit] = []
        place_hits: list[_Hit] = []
        word_figures: list[tuple[int, int, str]] = []
        has_cue = False
        for key, start, end in matches:
            themes, figure, is_cue, exact, spellings = rules[key]
            if themes:
                theme_hits.append((start, -end, key, 0, themes))
            if figure is not None:
                word_figures.append((start, end, figure))
            if is_cue:
                has_cue = True
            if exact is not None and columns.spelling(start, end) in spellings:
                if exact.theme_weights:
                    theme_hits.append((start, -end, key, 1, exact.theme_weights))
                if exact.places:
                    place_hits.append((start, -end, key, 1, exact.places))
                if exact.figure is not None:
                    word_figures.append((start, end, exact.figure))
                if exact.is_name:
                    # A name is the longest match over the words in it, and stands for nothing.
                    theme_hits.append((start, -end, key, 1, None))
                    place_hits.append((start, -end, key, 1, None))
                has_cue = has_cue or exact.is_cue
        if len(theme_hits) > 1:
            theme_hits = [hit for hit in _outermost(theme_hits) if hit[4] is not None]
        elif theme_hits and theme_hits[0][4] is None:
            theme_hits = []
        if len(place_hits) > 1:
            place_hits = [hit for hit in _outermost(place_hits) if hit[4] is not None]
        elif place_hits and place_hits[0][4] is None:
            place_hits = []
        return theme_hits, place_hits, word_figures, has_cue

    def _suggest(
        self,
        text: str,
        columns: TokenColumns,
        theme_hits: list[_Hit],
        place_hits: list[_Hit],
        places: list[Place],
        sentences: Sentences,
        rule_scores: Any = None,
    ) -> tuple[ThemeSuggestion, ...]:
        """Return the themes whose score reaches ``THEME_THRESHOLD``; every theme's score, below
        it too, with the weight of its strongest phrase, is written into ``rule_scores`` (by
        theme index) when it is given."""
        if not (theme_hits or place_hits):
            return ()
        weights: dict[int, dict[int, float]] = {}  # theme -> {matcher key: weight}
        reasons: dict[int, list[_Hit]] = {}
        for hit in theme_hits:
            key = hit[2]
            for theme_index, weight in hit[4]:
                phrases = weights.get(theme_index)
                if phrases is None:
                    weights[theme_index] = {key: weight}
                    reasons[theme_index] = [hit]
                else:
                    phrases[key] = weight
                    reasons[theme_index].append(hit)
        if place_hits:
            for theme_index, place_weight in self._place_weights:
                weights.setdefault(theme_index, {})[-1] = max(
                    place_weight if place.weight is None else place.weight for place in places
                )
                reasons[theme_index] = sorted(
                    [*reasons.get(theme_index, ()), *place_hits], key=_position
                )
        if rule_scores is not None:
            for index, phrases in weights.items():
                rule_scores[index] = (sum(phrases.values()), max(phrases.values()))
        chosen = [
            (-score, index)
            for index, phrases in weights.items()
            if (score := sum(phrases.values())) >= THEME_THRESHOLD
        ]
        if not chosen:
            return ()
        # Highest score first; a tie keeps the taxonomy's order.
        chosen.sort()
        themes = self.themes
        found: dict[tuple[int, int], Match] = {}
        return tuple(
            [
                ThemeSuggestion(
                    theme_id=themes[index].id,
                    score=-minus_score,
                    matches=tuple([_match(text, columns, hit, found) for hit in reasons[index]]),
                    sentences=sentences.holding(reasons[index]),
                )
                for minus_score, index in chosen
            ]
        )


def _position(hit: _Hit) -> tuple[int, int, int, int]:
    return hit[:4]


def _spellings(phrase: str, *, exact: bool) -> tuple[str, ...]:
    """Return the phrase, and for an acronym its plural too ("LA" also matches "LAs")."""
    if exact and phrase[-1].isalpha() and phrase[-1].isupper():
        return (phrase, f"{phrase}s")
    return (phrase,)


def _outermost(hits: list[_Hit]) -> list[_Hit]:
    """Drop every hit that lies inside a longer hit; hits on the very same tokens all stay."""
    if len(hits) < 2:
        return hits
    hits.sort()  # by start, then longest first
    kept: list[_Hit] = []
    furthest_before = -1  # the furthest end among hits that start before the current one
    group_start, group_end = -1, -1
    for hit in hits:
        start, end = hit[0], -hit[1]
        if start != group_start:
            furthest_before = max(furthest_before, group_end)
            group_start, group_end = start, end
        if end > furthest_before and end == group_end:
            kept.append(hit)
    return kept


def _match(
    text: str, columns: TokenColumns, hit: _Hit, found: dict[tuple[int, int], Match]
) -> Match:
    """Return the Match for a hit, made once per doc even when several themes cite it."""
    where = (hit[0], hit[1])
    match = found.get(where)
    if match is None:
        start_char, end_char = columns.span(hit[0], -hit[1])
        match = Match(text[start_char:end_char], start_char, end_char)
        found[where] = match
    return match


def _in_a_name(text: str, columns: TokenColumns, hit: _Hit) -> bool:
    """Say whether a theme hit is part of an organisation's name, where it means nothing."""
    start_char, end_char = columns.span(hit[0], -hit[1])
    return text[start_char].isupper() and inside_a_name(text, start_char, end_char)


def _place_named(text: str, columns: TokenColumns, hit: _Hit) -> tuple[PlaceMention, Place]:
    """Return the place a hit names (the words around a shared name choose), and its mention."""
    start_char, end_char = columns.span(hit[0], -hit[1])
    place = choose_place(hit[4], text, start_char, end_char)
    return PlaceMention(place.name, place.kind, place.region, start_char, end_char), place


@functools.lru_cache(maxsize=8)
def _cached_tagger(themes: tuple[ThemeSpec, ...], learned: bool) -> Tagger:
    if learned:
        rules = _cached_tagger(themes, False)
        default_ids = tuple(theme.id for theme in load_default_taxonomy())
        tagger = rules.with_model(default_model.default_model(rules, default_ids))
    else:
        tagger = Tagger(themes, gazetteer=load_gazetteer())
    _settle_long_lived()
    return tagger


_collected = False


def _settle_long_lived() -> None:
    """Leave what exists once a tagger is built to live as long as the process, without the
    garbage collector walking it again at every full collection.

    By then spaCy, scikit-learn and SciPy are loaded (with the default model): some 220,000
    objects the collector walks at every full collection (0.13 s each). Re-tagging 5,000
    answers makes enough objects for two or three of those, a fifth of its time; frozen, they
    are skipped. The first time, one collection first, so no garbage is kept for good; each
    new tagger (a handful a process) freezes what came with it. Objects are still freed when
    nothing refers to them."""
    global _collected
    if not _collected:
        _collected = True
        gc.collect()
    gc.freeze()


def build_tagger(themes: Sequence[ThemeSpec], *, learned: bool = True) -> Tagger:
    """Return the tagger for these themes, built once per process and per taxonomy.

    With ``learned`` (the default) it also suggests the default learned model's themes
    (``evidence.default_model``) where the rules missed them; without, the rules alone.
    """
    ids = [theme.id for theme in themes]
    duplicates = sorted({theme_id for theme_id in ids if ids.count(theme_id) > 1})
    if duplicates:
        raise TaxonomyError(
            f"Theme ids must be unique, and these are used more than once: {', '.join(duplicates)}."
        )
    return _cached_tagger(tuple(themes), learned)
