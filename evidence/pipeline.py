"""The spaCy pipeline the tagger runs, and the sentences of a doc read from it.

``spacy.blank("en")``, the ``sentencizer`` and a lookup lemmatizer fed by spacy-lookups-data
that lower-cases its key (the tables are case-sensitive, so "Councils" would otherwise stay
"Councils"). Nothing is downloaded. The sentencizer stays in the pipeline as the rule for
sentence boundaries, but the tagger does not run it on every doc (it cost as much as the
tokenizer): ``Sentences`` applies its rule to a doc only when a sentence of it is reported.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.attrs import IDX, IS_PUNCT, LEMMA, LENGTH, LIKE_NUM, NORM, ORTH
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import Lemmatizer, Sentencizer
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token
from spacy.training import Example
from spacy.vocab import Vocab

LEMMATIZER_FACTORY = "lowercase_lookup_lemmatizer"
SENTENCIZER = "sentencizer"
FIGURE_KINDS = ("number", "percentage", "money", "people_count", "date")

# Words whose lemma would merge them with another meaning: "housing" is not "house" (House of
# Commons), "funding" not "fund" (funded, a fund), "policing" not "police", "trafficking" not
# "traffic". They keep their own form, so a phrase names them and nothing else.
KEEP_FORM = frozenset(
    [
        "housing",
        "funding",
        "policing",
        "training",
        "teaching",
        "learning",
        "building",
        "planning",
        "meeting",
        "spending",
        "trafficking",
        "caring",
    ]
)

_COLUMN_ATTRS = [IDX, LENGTH, ORTH, IS_PUNCT, LIKE_NUM]
_FIRST = [0]  # the token and character where a doc's first sentence starts; never changed


@dataclass(frozen=True)
class EvidenceSentence:
    """A sentence that carries figures, and which kinds of figure it carries."""

    start_char: int
    end_char: int
    kinds: tuple[str, ...]


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
            if lower in KEEP_FORM:
                return lower
            return table.get(lower, lower)

        self.vocab.lex_attr_getters[NORM] = lemma_of
        for lexeme in self.vocab:
            lexeme.norm_ = lemma_of(lexeme.orth_)

    def lookup_lemmatize(self, token: Token) -> list[str]:
        """Return the lemma of the lower-cased word, or the lower-cased word itself."""
        table = self.lookups.get_table("lemma_lookup", {})
        lower = token.lower_
        return [lower if lower in KEEP_FORM else table.get(lower, lower)]

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


class TokenColumns:
    """A doc's tokens as plain columns (offset, length, spelling, punctuation, number-like), read
    in one array operation when first asked for.

    Asking spaCy for Token objects, a couple per match to learn where it starts and ends and
    how it is spelled, cost more than the phrase matcher; one ``to_array`` costs less than two.
    """

    __slots__ = ("_doc", "lengths", "like_num", "orths", "punct", "starts")

    def __init__(self, doc: Doc) -> None:
        self._doc = doc
        self.starts: list[int] = []

    def read(self) -> None:
        """Read the columns, once; the other methods call it, the tagger where it loops."""
        if not self.starts and len(self._doc):
            self.starts, self.lengths, self.orths, self.punct, self.like_num = self._doc.to_array(
                _COLUMN_ATTRS
            ).T.tolist()

    def __len__(self) -> int:
        return len(self._doc)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the character span of tokens start..end-1."""
        if not self.starts:
            self.read()
        starts = self.starts
        return starts[start], starts[end - 1] + self.lengths[end - 1]

    def spelling(self, start: int, end: int) -> tuple[int, ...]:
        """Return the ORTH ids of tokens start..end-1."""
        if not self.starts:
            self.read()
        return tuple(self.orths[start:end])

    def number_spans(self) -> list[tuple[int, int]]:
        """Return the character spans of the tokens spaCy takes for numbers."""
        self.read()
        starts, lengths = self.starts, self.lengths
        return [
            (starts[index], starts[index] + lengths[index])
            for index, flag in enumerate(self.like_num)
            if flag
        ]


class Sentences:
    """The sentences of one doc, found when first asked for, to give the one holding a token.

    The boundaries are the stock sentencizer's: a sentence starts at the first token that is
    not punctuation after a token that is one of its sentence-final characters. A text with
    none of those characters, or only as its very last character, is one sentence, which is
    most answers; only the others need their tokens read.
    """

    __slots__ = ("_char_starts", "_columns", "_sentence_ends", "_spans", "_text", "_token_starts")

    def __init__(self, text: str, columns: TokenColumns, sentence_ends: SentenceEnds) -> None:
        self._text = text
        self._columns = columns
        self._sentence_ends = sentence_ends
        self._token_starts = _FIRST
        self._char_starts = _FIRST
        self._spans: list[tuple[int, int]] = []

    def _find(self) -> None:
        columns = self._columns
        last = len(columns)
        end_of_text = columns.span(last - 1, last)[1]
        if not self._sentence_ends.splits(self._text):
            self._spans = [(0, end_of_text)]  # the first token of a doc starts at character 0
            return
        self._token_starts = token_starts = self._sentence_ends.starts(columns)
        bounds = [*token_starts, last]
        self._spans = [columns.span(first, after) for first, after in itertools.pairwise(bounds)]
        self._char_starts = [start for start, _ in self._spans]

    def holding(self, hits: Iterable[Sequence[Any]]) -> tuple[tuple[int, int], ...]:
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


class SentenceEnds:
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

    def starts(self, columns: TokenColumns) -> list[int]:
        """Return the index of the first token of every sentence."""
        columns.read()
        orths, punct = columns.orths, columns.punct
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
