"""Suggest themes for partners' answers, and spot their figures and places, with rules alone.

The pipeline is the one DESIGN.md sets out, built from packages only (no model download):
``spacy.blank("en")``, the ``sentencizer`` (whose rule the tagger applies lazily, see Speed),
and a lookup lemmatizer fed by spacy-lookups-data
that lower-cases its key (the tables are case-sensitive, so "Councils" would otherwise stay
"Councils"). One PhraseMatcher on LEMMA holds every phrase of the taxonomy, the gazetteer's
places and local-difference cues, and the number words; acronyms and place names must also be
spelled exactly as written, so that "LA" and "HO" never match "la" or "ho".

Scoring rule (tuned on ``tests/data/dev_set.jsonl``, checked on ``holdout_set.jsonl``):

* every pattern has a weight: 2 for a strong phrase that settles the theme on its own
  ("NRPF", "unaccompanied asylum-seeking children"), 1 for a weak phrase that needs company
  ("landlord", "budget"), 0.5 for a context word that only tips a near miss ("councils");
* a theme's score is the sum of the weights of the *distinct* phrases it matched, so a weak
  word repeated five times still counts once;
* a match lying inside a longer match is dropped, so "asylum" in "asylum accommodation"
  speaks for housing only and "home" in "Home Office" for nothing;
* a theme with a ``place_weight`` (the regional theme) gains it once when any place in the
  gazetteer is named;
* a theme is suggested when its score reaches ``THEME_THRESHOLD`` (2): one strong phrase, or
  two different weak ones. On the dev set 1.5 and 2 score alike, 2.5 loses a third of the
  recall, and dropping the "inside a longer match" rule costs about one point of F1.

In the same pass the tagger finds the sentences carrying figures (numbers, percentages, money,
counts of people, dates; references such as "Q3", "s95" or "section 17" are not figures), the
places named, and whether the answer speaks to the home region: it names a place there, or
describes a local or devolved difference ("here in", "devolved", "Common Travel Area").

Speed (``bench/tagging.py``): lemmas are looked up once per word of the vocabulary, not once
per token, and copied onto a doc's tokens in one array operation; one matcher runs once per
doc. The sentencizer stays in the pipeline as the rule for sentence boundaries, but it does not
run on every doc (it cost as much as the tokenizer): the tagger applies its rule to a doc only
when it reports a sentence of it, and reads the tokens only when the text has a sentence-final
character before its end; most answers are one sentence. Only a text with a digit is searched
for numbers in digits; character offsets come from the few tokens a result names. A doc with
no match and no digit costs the tokenizer, the lemmatizer and the matcher, nothing more.
On the benchmark's short answers (21 words, repeated so that the tokenizer runs from its cache)
the tagger runs at about 0.18 of the bare tokenizer's speed, under DESIGN.md's 0.4, which is
out of reach with one doc per answer: the lemmatizer and the matcher alone bring it to about
half. The rest is reading the matches and building the results in Python, where every object
and call counts: about 3 matches, 1.5 suggestions and a result per answer.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import spacy
from spacy.attrs import IS_PUNCT, LEMMA, LIKE_NUM, NORM, ORTH
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.matcher import PhraseMatcher
from spacy.pipeline import Lemmatizer, Sentencizer
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token
from spacy.training import Example
from spacy.vocab import Vocab

from consultations.errors import WorkbenchError

TAXONOMY_PATH = Path(__file__).with_name("taxonomy.json")
GAZETTEER_PATH = Path(__file__).with_name("gazetteer.json")

THEME_THRESHOLD = 2.0
WEAK = 1.0
LEMMATIZER_FACTORY = "lowercase_lookup_lemmatizer"
SENTENCIZER = "sentencizer"
FIGURE_KINDS = ("number", "percentage", "money", "people_count", "date")


class TaxonomyError(WorkbenchError):
    """A taxonomy or gazetteer that cannot be used to tag answers."""


class UnknownRegion(WorkbenchError):
    """A home region that the gazetteer does not know."""


# --- the data the tagger is built from -------------------------------------------------------


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


@dataclass(frozen=True)
class Place:
    """A place in the gazetteer, with the SMP region and the nation it belongs to."""

    name: str
    kind: str
    region: str
    nation: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gazetteer:
    """The places the tagger recognises and the phrases that mark a local difference."""

    places: tuple[Place, ...]
    local_difference_cues: tuple[str, ...]

    @property
    def regions(self) -> tuple[str, ...]:
        """Return every region and nation name a home region may be set to."""
        names = {place.region for place in self.places} | {place.nation for place in self.places}
        return tuple(sorted(names))


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
class EvidenceSentence:
    """A sentence that carries figures, and which kinds of figure it carries."""

    start_char: int
    end_char: int
    kinds: tuple[str, ...]


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


# --- reading the data files ------------------------------------------------------------------


def looks_like_acronym(phrase: str) -> bool:
    """Say whether a phrase is written in capitals, like "NRPF", "BN(O)" or "A&E"."""
    letters = [char for char in phrase if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


def load_default_taxonomy() -> list[ThemeSpec]:
    """Read the default theme taxonomy shipped with the workbench."""
    return load_taxonomy(TAXONOMY_PATH)


def load_taxonomy(path: Path) -> list[ThemeSpec]:
    """Read a taxonomy JSON file shaped like ``evidence/taxonomy.json``."""
    return themes_from_json(_read_json(path, what="taxonomy"))


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


@functools.cache
def load_gazetteer(path: Path = GAZETTEER_PATH) -> Gazetteer:
    """Read the gazetteer of places and local-difference cues (once per process)."""
    data = _read_json(path, what="gazetteer")
    try:
        places = tuple(
            Place(
                name=item["name"],
                kind=item["kind"],
                region=item["region"],
                nation=item["nation"],
                aliases=tuple(item.get("aliases", ())),
            )
            for item in data["places"]
        )
        cues = tuple(data["local_difference_cues"])
    except (KeyError, TypeError) as exc:
        raise TaxonomyError(
            f"The gazetteer {path} is missing {exc}; every place needs a name, kind, region and "
            "nation, and the file needs 'places' and 'local_difference_cues'."
        ) from exc
    return Gazetteer(places=places, local_difference_cues=cues)


def _read_json(path: Path, *, what: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TaxonomyError(f"The {what} file {path} does not exist.") from exc
    except json.JSONDecodeError as exc:
        raise TaxonomyError(
            f"The {what} file {path} is not valid JSON: {exc.msg} at line {exc.lineno}."
        ) from exc


# --- the spaCy pipeline ----------------------------------------------------------------------


class LowercaseLookupLemmatizer(Lemmatizer):
    """Lemmatise by lower-cased lookup, so "Councils", "COUNCILS" and "councils" are "council".

    Words the table does not know keep their lower-cased form as lemma, which makes every
    LEMMA match case-insensitive. The lookup is done once per word of the vocabulary, when the
    word first appears, and kept as that word's norm (nothing else in this pipeline reads
    norms); a doc's lemmas are then copied from its norms in one array operation instead of a
    Python loop over tokens. Tokenizer exceptions keep their own norm ("n't" -> "not").
    """

    def __init__(self, vocab: Vocab, name: str = LEMMATIZER_FACTORY) -> None:
        super().__init__(vocab, None, name, mode="lookup", overwrite=True)

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
        lookups: Lookups | None = None,
    ) -> None:
        """Load the lookup table from spacy-lookups-data and give every word its lemma."""
        super().initialize(get_examples, nlp=nlp, lookups=lookups)
        table = self.lookups.get_table("lemma_lookup")

        def lemma_of(text: str) -> str:
            lower = text.lower()
            return table.get(lower, lower)

        self.vocab.lex_attr_getters[NORM] = lemma_of
        for lexeme in self.vocab:
            lexeme.norm_ = lemma_of(lexeme.orth_)

    def lookup_lemmatize(self, token: Token) -> list[str]:
        """Return the lemma of the lower-cased word, or the lower-cased word itself."""
        table = self.lookups.get_table("lemma_lookup", {})
        lower = token.lower_
        return [table.get(lower, lower)]

    def __call__(self, doc: Doc) -> Doc:
        """Set every token's lemma."""
        if len(doc):
            doc.from_array([LEMMA], doc.to_array([NORM]))
        return doc


@Language.factory(LEMMATIZER_FACTORY, assigns=["token.lemma"])
def make_lowercase_lookup_lemmatizer(nlp: Language, name: str) -> LowercaseLookupLemmatizer:
    """Create the case-insensitive lookup lemmatizer (a spaCy factory)."""
    return LowercaseLookupLemmatizer(nlp.vocab, name)


def make_pipeline() -> Language:
    """Build the blank English pipeline: sentencizer and case-insensitive lookup lemmatizer."""
    nlp = spacy.blank("en")
    nlp.add_pipe(SENTENCIZER)
    nlp.add_pipe(LEMMATIZER_FACTORY)
    nlp.initialize()
    return nlp


# --- figures ---------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    """Split a word list written as running text, which reads better than a list of strings."""
    return text.split()


# Number words the matcher finds; "one" only counts before people ("one adult in work").
_NUMBER_WORDS = _words(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
    "hundreds thousand thousands million millions billion dozen dozens half"
)
_FRACTIONS = ["a third", "a quarter", "a fifth", "a tenth", "two thirds", "three quarters"]
_MONTHS = _words(
    "January February March April May June July August September October November December"
)
_ANY_DIGIT = re.compile(r"\d")
_DIGITS = "0123456789"
_YEAR_OR_DATE = re.compile(r"(?:19|20)\d\d(?:/\d\d(?:\d\d)?)?|\d{1,2}/\d{1,2}/\d{2,4}")
_PEOPLE = frozenset(
    _words(
        "people persons person individuals individual families family households household "
        "children child adults adult women men girls boys babies baby refugees refugee asylum "
        "migrants migrant residents resident pupils pupil learners learner students student "
        "patients patient clients client victims victim survivors survivor workers worker staff "
        "employees employee tenants tenant guests guest arrivals claimants claimant applicants "
        "applicant minors minor parents parent spouses spouse dependants dependant members "
        "volunteers volunteer officers officer nurses doctors carers carer uasc young"
    )
)
# Words that may stand between a number and its people: "300 Syrian families", "a third of the".
_PEOPLE_GAP = 2
_PERCENT_AFTER = ("%", "per cent", "percent", "per-cent")
_MONEY_AFTER = ("pounds", "gbp", "m pounds", "million pounds", "billion pounds", "bn pounds")
_CURRENCY = ("£", "€", "$")
# Digits after these words name a question, a section or a level, not a quantity.
_REFERENCE_WORDS = frozenset(
    _words(
        "q qu question questions section sections s ss para paras paragraph paragraphs article "
        "articles part parts schedule schedules chapter chapters clause clauses rule rules annex "
        "appendix tier level stage phase page pages p pp no option options recommendation "
        "recommendations step steps point points"
    )
)
_WORD_EDGES = "\"'.,;:!?()[]"


def _figure_kind(text: str, start: int, end: int, *, is_word: bool) -> str | None:
    """Say what kind of figure the number at text[start:end] is, or None if it is a reference."""
    if not is_word and _is_reference(text, start):
        return None
    after = text[end : end + 48].lower()
    if text[max(start - 2, 0) : start].strip().endswith(_CURRENCY):
        return "money"
    if after.lstrip().startswith(_PERCENT_AFTER):
        return "percentage"
    if after.lstrip().startswith(_MONEY_AFTER):
        return "money"
    # A year reads as a date even before people: "in 2024 people waited longer".
    if not is_word and (_YEAR_OR_DATE.fullmatch(text, start, end) or _names_month(after)):
        return "date"
    if _counts_people(after):
        return "people_count"
    return "number"


def _counts_people(after: str) -> bool:
    """Say whether the words after a number name people: "300 families", "a third of households"."""
    words = [word.strip(_WORD_EDGES) for word in after.split(maxsplit=_PEOPLE_GAP + 3)]
    if words and words[0] == "of":
        words = words[1:]
    if words and words[0] in ("the", "our", "these", "those", "all", "their"):
        words = words[1:]
    return any(word in _PEOPLE for word in words[: _PEOPLE_GAP + 1])


def _names_month(after: str) -> bool:
    words = after.split(maxsplit=1)
    return bool(words) and words[0].strip(_WORD_EDGES).capitalize() in _MONTHS


def _is_reference(text: str, start: int) -> bool:
    words_before = text[max(start - 16, 0) : start].split()
    return bool(words_before) and words_before[-1].rstrip(".").lower() in _REFERENCE_WORDS


def _may_have_digits(text: str) -> bool:
    """Say whether the text may hold a number written in digits: whether to look for one."""
    if not text.isascii():
        return True  # str.isdigit knows more digits than 0-9; let the tokens decide
    # A loop of ``in`` tests, not any() over a generator or a regular expression: 4 times faster.
    for digit in _DIGITS:  # noqa: SIM110
        if digit in text:
            return True
    return False


def _digit_figures(text: str, doc: Doc) -> list[tuple[int, str]]:
    """Find numbers written in digits: (start_char, kind), references such as "section 17" left out.

    spaCy's tokens already say which words look like numbers; "Q3", "s95" and "B1" are single
    tokens that do not, so they never get here. Ask ``_may_have_digits`` first: most answers
    have no digit, and reading the tokens costs more than looking at the text.
    """
    found = []
    for index in doc.to_array(LIKE_NUM).nonzero()[0].tolist():
        token = doc[index]
        if not token.text[0].isdigit():
            continue  # number words come from the matcher, which knows "one" and "a third" too
        start = token.idx
        kind = _figure_kind(text, start, start + len(token), is_word=False)
        if kind is not None:
            found.append((start, kind))
    return found


# --- the tagger ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Meaning:
    """What a matched phrase stands for: theme weights, a place, a cue or a figure word."""

    theme_weights: tuple[tuple[int, float], ...] = ()
    place: Place | None = None
    is_cue: bool = False
    figure: str | None = None  # "number", "one", "month" or "may"


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
    place: Place | None = None
    is_cue: bool = False
    figure: str | None = None
    used: bool = False

    def add(self, meaning: Any) -> None:
        self.used = True
        if meaning == "cue":
            self.is_cue = True
        elif isinstance(meaning, Place):
            self.place = self.place or meaning
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
        return _Meaning(weights, self.place, self.is_cue, self.figure)


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

_SENTENCE_ATTRS = [ORTH, IS_PUNCT]
_FIRST = [0]  # the token and character where a doc's first sentence starts; never changed

_NOTHING_FOUND = TagResult(suggestions=(), figures=(), places=(), regional_impact=False)
_LOCAL_DIFFERENCE_ONLY = TagResult(suggestions=(), figures=(), places=(), regional_impact=True)


class Tagger:
    """Suggest themes for answers and spot figures and places; build it with ``build_tagger``."""

    def __init__(self, themes: Sequence[ThemeSpec], *, gazetteer: Gazetteer) -> None:
        self.themes = tuple(themes)
        self.gazetteer = gazetteer
        self._nlp = make_pipeline()
        self._matcher = PhraseMatcher(self._nlp.vocab, attr="LEMMA")
        self._sentence_ends = _SentenceEnds(self._nlp.get_pipe(SENTENCIZER))
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
        for cue in self.gazetteer.local_difference_cues:
            yield cue, looks_like_acronym(cue), "cue"
        for word in _NUMBER_WORDS + _FRACTIONS:
            yield word, False, "number"
        yield "one", False, "one"
        for month in _MONTHS:
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
        # the matcher does. The sentencizer does not run here: _Sentences applies its rule to the
        # few docs whose sentences are needed, and only when there can be more than one.
        for_pipe, for_texts = itertools.tee(texts)
        docs = self._nlp.pipe(for_pipe, batch_size=batch_size, disable=[SENTENCIZER])
        for text, doc in zip(for_texts, docs, strict=True):
            yield self._tag_doc(text, doc, home_region)

    def _tag_doc(self, text: str, doc: Doc, home_region: str) -> TagResult:
        matches = self._matcher(doc)
        has_digits = _may_have_digits(text)
        if not (matches or has_digits):
            return _NOTHING_FOUND
        theme_hits, place_hits, word_figures, has_cue = self._read_matches(doc, matches)
        figures = _digit_figures(text, doc) if has_digits else []
        if word_figures:
            figures.extend(
                figure
                for start, end, kind in word_figures
                if (figure := _word_figure(text, doc, start, end, kind)) is not None
            )
        if not (theme_hits or place_hits or figures):
            return _LOCAL_DIFFERENCE_ONLY if has_cue else _NOTHING_FOUND
        sentences = _Sentences(text, doc, self._sentence_ends)
        places = tuple([_place_mention(doc, hit) for hit in place_hits])
        return TagResult(
            suggestions=self._suggest(text, doc, theme_hits, place_hits, sentences),
            figures=sentences.evidence(figures) if figures else (),
            places=places,
            regional_impact=has_cue or (bool(places) and self._names_home(places, home_region)),
        )

    def _names_home(self, places: Iterable[PlaceMention], home_region: str) -> bool:
        return any(
            home_region in (place.region, self._nation_of.get(place.region)) for place in places
        )

    def _read_matches(
        self, doc: Doc, matches: list[tuple[int, int, int]]
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
            if exact is not None and _spelled_exactly(doc, start, end, spellings):
                if exact.theme_weights:
                    theme_hits.append((start, -end, key, 1, exact.theme_weights))
                if exact.place is not None:
                    place_hits.append((start, -end, key, 1, exact.place))
                if exact.figure is not None:
                    word_figures.append((start, end, exact.figure))
                has_cue = has_cue or exact.is_cue
        if len(theme_hits) > 1:
            theme_hits = _outermost(theme_hits)
        if len(place_hits) > 1:
            place_hits = _outermost(place_hits)
        return theme_hits, place_hits, word_figures, has_cue

    def _suggest(
        self,
        text: str,
        doc: Doc,
        theme_hits: list[_Hit],
        place_hits: list[_Hit],
        sentences: _Sentences,
    ) -> tuple[ThemeSuggestion, ...]:
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
                weights.setdefault(theme_index, {})[-1] = place_weight
                reasons[theme_index] = sorted(
                    [*reasons.get(theme_index, ()), *place_hits], key=_position
                )
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
                    matches=tuple([_match(text, doc, hit, found) for hit in reasons[index]]),
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


def _spelled_exactly(doc: Doc, start: int, end: int, spellings: frozenset[tuple[int, ...]]) -> bool:
    if end - start == 1:
        return (doc[start].orth,) in spellings
    return tuple([doc[index].orth for index in range(start, end)]) in spellings


def _word_figure(text: str, doc: Doc, start: int, end: int, figure: str) -> tuple[int, str] | None:
    """Classify a number word or month the matcher found: (start_char, kind) or None."""
    start_char, end_char = _char_span(doc, start, end)
    if figure == "month":
        return start_char, "date"
    if figure == "may":
        # "May" is a date only beside a day or a year; otherwise it is the verb.
        near = text[max(start_char - 4, 0) : end_char + 5]
        return (start_char, "date") if _ANY_DIGIT.search(near) else None
    if text[max(start_char - 3, 0) : start_char].rstrip()[-1:].isdigit():
        return None  # "million" in "2.4 million" belongs to the digits before it
    kind = _figure_kind(text, start_char, end_char, is_word=True)
    if figure == "one" and kind != "people_count":
        return None
    return start_char, kind or "number"


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


class _Sentences:
    """The sentences of one doc, found when first asked for, to give the one holding a token.

    The boundaries are the stock sentencizer's: a sentence starts at the first token that is
    not punctuation after a token that is one of its sentence-final characters. A text with
    none of those characters, or only as its very last character, is one sentence, which is
    most answers; only the others need their tokens read.
    """

    __slots__ = ("_char_starts", "_doc", "_sentence_ends", "_spans", "_text", "_token_starts")

    def __init__(self, text: str, doc: Doc, sentence_ends: _SentenceEnds) -> None:
        self._text = text
        self._doc = doc
        self._sentence_ends = sentence_ends
        self._token_starts = _FIRST
        self._char_starts = _FIRST
        self._spans: list[tuple[int, int]] = []

    def _find(self) -> None:
        doc = self._doc
        end_char = _end_char(doc, len(doc) - 1)
        if not self._sentence_ends.splits(self._text):
            self._spans = [(0, end_char)]  # the first token of a doc starts at character 0
            return
        self._token_starts = token_starts = self._sentence_ends.starts(doc)
        self._char_starts = char_starts = [doc[index].idx for index in token_starts]
        ends = [_end_char(doc, index - 1) for index in token_starts[1:]]
        ends.append(end_char)
        self._spans = list(zip(char_starts, ends, strict=True))

    def holding(self, hits: list[_Hit]) -> tuple[tuple[int, int], ...]:
        """Return the sentences that hold these hits, in order."""
        if not self._spans:
            self._find()
        spans = self._spans
        if len(spans) == 1:
            return (spans[0],)
        starts = self._token_starts
        return tuple(sorted({spans[bisect_right(starts, hit[0]) - 1] for hit in hits}))

    def of_char(self, offset: int) -> tuple[int, int]:
        if not self._spans:
            self._find()
        return self._spans[max(bisect_right(self._char_starts, offset) - 1, 0)]

    def evidence(self, figures: list[tuple[int, str]]) -> tuple[EvidenceSentence, ...]:
        kinds_by_sentence: dict[tuple[int, int], set[str]] = {}
        for start_char, kind in figures:
            kinds_by_sentence.setdefault(self.of_char(start_char), set()).add(kind)
        return tuple(
            EvidenceSentence(start, end, tuple(kind for kind in FIGURE_KINDS if kind in kinds))
            for (start, end), kinds in sorted(kinds_by_sentence.items())
        )


class _SentenceEnds:
    """The sentencizer's rule for where sentences start, read from the component itself."""

    def __init__(self, sentencizer: Sentencizer) -> None:
        chars = sentencizer.punct_chars
        self._ascii_chars = tuple(sorted(char for char in chars if char.isascii()))
        self._orths = frozenset(get_string_id(char) for char in chars)

    def splits(self, text: str) -> bool:
        """Say whether the text may hold more than one sentence: whether ``starts`` is needed."""
        if not text.isascii():
            return True  # a few answers; reading their tokens settles it
        # str.find runs in C; a regular expression over the 128 characters is 50 times slower,
        # any() over a generator 2 to 4 times.
        last = len(text) - 1
        for char in self._ascii_chars:  # noqa: SIM110
            if text.find(char, 0, last) >= 0:
                return True
        return False

    def starts(self, doc: Doc) -> list[int]:
        """Return the index of the first token of every sentence."""
        orths, punct = doc.to_array(_SENTENCE_ATTRS).T.tolist()
        ends = self._orths
        starts = [0]
        seen_end = False
        for index, orth in enumerate(orths):
            if orth in ends:
                seen_end = True
            elif seen_end and not punct[index]:
                starts.append(index)
                seen_end = False
        return starts


def _match(text: str, doc: Doc, hit: _Hit, found: dict[tuple[int, int], Match]) -> Match:
    """Return the Match for a hit, made once per doc even when several themes cite it."""
    where = (hit[0], hit[1])
    match = found.get(where)
    if match is None:
        start_char, end_char = _char_span(doc, hit[0], -hit[1])
        match = Match(text[start_char:end_char], start_char, end_char)
        found[where] = match
    return match


def _char_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Return the character span of tokens start..end-1."""
    first = doc[start]
    start_char = first.idx
    if end - start == 1:
        return start_char, start_char + len(first)
    return start_char, _end_char(doc, end - 1)


def _end_char(doc: Doc, index: int) -> int:
    """Return the character offset just after token ``index``."""
    token = doc[index]
    return token.idx + len(token)


def _place_mention(doc: Doc, hit: _Hit) -> PlaceMention:
    place = hit[4]
    start_char, end_char = _char_span(doc, hit[0], -hit[1])
    return PlaceMention(place.name, place.kind, place.region, start_char, end_char)


@functools.lru_cache(maxsize=8)
def _cached_tagger(themes: tuple[ThemeSpec, ...]) -> Tagger:
    return Tagger(themes, gazetteer=load_gazetteer())


def build_tagger(themes: Sequence[ThemeSpec]) -> Tagger:
    """Return the tagger for these themes, built once per process and per taxonomy."""
    ids = [theme.id for theme in themes]
    duplicates = sorted({theme_id for theme_id in ids if ids.count(theme_id) > 1})
    if duplicates:
        raise TaxonomyError(
            f"Theme ids must be unique, and these are used more than once: {', '.join(duplicates)}."
        )
    return _cached_tagger(tuple(themes))
