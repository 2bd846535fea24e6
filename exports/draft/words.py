"""Words the draft is written in: counts as prose, lists, articles, and a partner's sentence
turned into something the partnership can report.

Nothing here knows about sections or findings; every function takes and returns text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from consultations.words import in_words, plural


def number(n: int) -> str:
    """Write a count the way prose does: words up to twenty, figures from 21."""
    return in_words(n, up_to=20)


def count_of(n: int, noun: str, many: str | None = None) -> str:
    """Return "one partner", "five partners", "23 partners"."""
    return f"{number(n)} {plural(n, noun, many)}"


def opening_count(n: int, noun: str, many: str | None = None) -> str:
    """Return a count that can open a sentence: "Five partners", "A total of 23 partners"."""
    nouns = plural(n, noun, many)
    if n <= 20:
        return f"{number(n).capitalize()} {nouns}"
    return f"A total of {n:,} {nouns}"


def some_of(n: int, total: int) -> str:
    """Return "six of the seven partners who answered", "both partners who answered",
    "the one partner who answered", "all 12 partners who answered" (never "all two")."""
    if total == 1:
        return "the one partner who answered"
    if n == total:
        if total == 2:
            return "both partners who answered"
        return f"all {number(total)} partners who answered"
    return f"{number(n)} of the {number(total)} partners who answered"


def opening_some_of(n: int, total: int, where: str = "") -> str:
    """Open a sentence with a count of those who answered: "Six of the eight partners who
    answered Question 2", or past twenty, since a sentence does not open with a figure, "Of the
    200 partners who answered Question 2, 125"."""
    on = f" {where}" if where else ""
    if n > 20:
        return f"Of the {number(total)} partners who answered{on}, {number(n)}"
    return capitalise(f"{some_of(n, total)}{on}")


def join_words(items: Sequence[str], last: str = "and") -> str:
    """Join "a", "b" and "c" as "a, b and c" (semicolons when an item has a comma); ``last``
    "or" gives "a, b or c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    separator = "; " if any("," in item for item in items) else ", "
    return f"{separator.join(items[:-1])} {last} {items[-1]}"


def article(word: str) -> str:
    """Return "a" or "an" for the word that follows."""
    lowered = word.lower()
    if lowered.startswith(("uni", "use", "eu", "one", "once")):
        return "a"
    if lowered.startswith(("hour", "honest", "honour")):
        return "an"
    return "an" if lowered[:1] in set("aeiou") else "a"


def capitalise(text: str) -> str:
    """Upper-case the first letter only."""
    return text[:1].upper() + text[1:]


def full_stop(text: str) -> str:
    """End the text with exactly one full stop (a question or exclamation mark becomes one)."""
    text = text.rstrip()
    if text.endswith((".", "!", "?")):
        return text[:-1].rstrip() + "."
    return text + "."


def word_count(text: str) -> int:
    """Return how many words the text has."""
    return len(text.split())


class Rotation:
    """Choose among phrasings from a point fixed by the content, so the same evidence always
    reads the same and consecutive sentences of one kind never open alike."""

    def __init__(self, *seed: str) -> None:
        digest = hashlib.sha256("\x1f".join(seed).encode("utf-8")).digest()
        self._start = int.from_bytes(digest[:4], "big")
        self._turns: dict[str, int] = {}

    def pick(self, kind: str, options: Sequence[str]) -> str:
        """Return the next phrasing of this kind."""
        turn = self._turns.get(kind, 0)
        self._turns[kind] = turn + 1
        return options[(self._start + turn) % len(options)]


# --- a partner's sentence, reported -------------------------------------------------------

LEADING_LINK = re.compile(
    r"^(?:(?:but|and|yet|so)\s+|(?:however|so|also|therefore|in addition|furthermore|moreover|"
    r"overall|equally|similarly|finally|firstly|secondly|thirdly|first|second|third|fourth|"
    r"lastly|next|in short|again|indeed|yes|no|of course|at the same time|in summary|"
    r"as a result|for example|in particular|in practice|in our experience|above all),\s*)",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:[Ww]e(?:['’](?:re|ve|d|ll))?|[Oo]urs(?:elves)?|[Oo]ur|us)\b")
_THIRD_PERSON = {
    "we": "they",
    "our": "their",
    "ours": "theirs",
    "ourselves": "themselves",
    "us": "them",
}
_INSIDE_CAPITALISED = re.compile(r"(?<=[^.!?:\s] )[A-Z][a-z]+\b")
_LOWER_WORDS = re.compile(r"\b[a-z]+\b")
_SAYING = re.compile(
    r"^(?P<lead>[^,]{3,60},\s*)?(?:we|I) (?:would )?(?:only )?(?:also )?(?:strongly )?"
    r"(?:note|point out|add|say|stress|argue|repeat|believe|think|feel|consider)"
    r"(?:,? though,?|,? too,?)? that\s+",
    re.IGNORECASE,
)
# A sentence opening with one of these leans on the one before it.
LEANS_BACK = re.compile(
    r"^(?:(?:This|These|That|Those|It|Its|They|Their|Such|Both|He|She|Here|There is also|"
    r"At the same time|What (?:we|I) can say)\b"
    r"|(?:Most|Many|Some|Few|All|None|Each)\s+(?:of\s+(?:these|them|those)|were|are|was|is)\b)"
)
# Reported after "that", these openings leave no main clause: "that provided the Rules ...".
_NO_MAIN_CLAUSE = re.compile(
    r"^(?:yes|no)\b|^(?:provided|unless|although|though|because|whereas|which|while|whilst|"
    r"as long as|so long as|but|and|or|nor|so|then|however|instead|otherwise|rather|also|"
    r"too|only if|even if|even so|not|with|without|for example|e\.g\.)\b",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^[^:;,.]{1,40}:\s+(?=\S)")
# Words that point back to something said before, which the reader of a reported point lacks.
# "these households", "those changes": a thing named before; not "those who ..." or "these are".
_DEMONSTRATIVE = (
    r"\b(?:these|those) (?!(?:who|whose|which|that|of|with|in|at|on|from|for|are|were|is|was|"
    r"have|had|will|would|can|could|may|might|must|should|and|or)\b)\w+"
)
_POINTS_BACK = re.compile(
    r"\b(?:that|those|these|such a|such) (?:level|levels|figure|figures|rate|point|amount|"
    r"sum|number|numbers|change|changes)\b|\b(?:the above|as above|mentioned above|as follows)\b"
    r"|\b(?:these|those|such) (?!as\b|a\b|who\b|whose\b)\w+"
    r"|\b(?:attached|enclosed|appended|appendix)\b",
    re.IGNORECASE,
)
_SPEAKS_AS_ONE_OR_TO_YOU = re.compile(r"\b(?:I|I['’](?:m|ve|d|ll)|my|me|mine|myself|you|your)\b")
_FORMULA = re.compile(r"(?:^|\s)[=+@]\s*[A-Z]{2,}\(|=\s*SUM\b|\b[A-Z]{1,2}\d+:[A-Z]{1,2}\d+\b")
MAX_REPORTED_WORDS = 50


def strip_link(sentence: str) -> str:
    """Drop a leading "However," or "But" and capitalise what is left."""
    stripped = LEADING_LINK.sub("", sentence.strip(), count=1)
    return capitalise(stripped) if stripped else sentence.strip()


def stands_alone(sentence: str) -> bool:
    """Say whether a partner's sentence, quoted on its own, needs nothing said before it: no
    "That level ...", "What we can say is ...", "such households" or "as above"."""
    text = sentence.strip()
    return (
        not LEANS_BACK.match(strip_link(text))
        and not _REFERS_BACK.search(text)
        and not _only_method(text)
    )


def _only_method(text: str) -> bool:
    """Say whether a sentence only says where figures came from, giving none of them."""
    return bool(_METHOD.match(text)) and not any(c.isdigit() for c in text)


# What a quote cannot lean on: "these households" (which?), "that level", "as above".
_REFERS_BACK = re.compile(
    r"\b(?:that|those|these|such a|such) (?:level|levels|figure|figures|rate|point|amount|"
    r"sum|number|numbers|change|changes)\b|\b(?:the above|as above|mentioned above|as follows)\b"
    r"|\bsuch (?!as\b|a\b)\w+|" + _DEMONSTRATIVE,
    re.IGNORECASE,
)
# Where a partner's figures came from, with no finding: "Our finance team took figures from
# our arrears workbook ..." says how, not what; it is no point and no quote.
_METHOD = re.compile(
    r"^(?:(?:we|our|the)\s+(?:\w+\s+){0,3}?)?(?:took|take|drew|draw|pulled|extracted|compiled|"
    r"collected|gathered|used)\s+(?:the\s+|these\s+|our\s+)?(?:figures|data|numbers|"
    r"information|records)\s+(?:\w+\s+){0,2}?from\b",
    re.IGNORECASE,
)


def is_formula(text: str) -> bool:
    """Say whether the text holds a spreadsheet formula ("=SUM(D4:D31)"): never reported."""
    if "(" not in text and ":" not in text and "=" not in text:
        return False
    return bool(_FORMULA.search(text))


def reportable(sentence: str) -> bool:
    """Say whether a partner's sentence can stand, reported, as a whole sentence of ours."""
    text = strip_link(sentence)
    return (
        word_count(text) <= MAX_REPORTED_WORDS
        and not text.rstrip().endswith("?")
        and not _SPEAKS_AS_ONE_OR_TO_YOU.search(text)
        and not LEANS_BACK.match(text)
        and not _NO_MAIN_CLAUSE.match(_SAYING.sub(lambda found: found.group("lead") or "", text))
        and not is_formula(text)
        and not _POINTS_BACK.search(text)
        and not _only_method(text)
        and not text.rstrip().endswith(":")
    )


def _third_person(match: re.Match[str]) -> str:
    word = match.group(0)
    base, _, contraction = word.lower().replace("’", "'").partition("'")
    shifted = _THIRD_PERSON[base] + (f"'{contraction}" if contraction else "")
    return capitalise(shifted) if word[0].isupper() else shifted


@dataclass(frozen=True)
class Speech:
    """What is needed to report partners' sentences: which capitalised words are names."""

    names: frozenset[str]

    @classmethod
    def of(cls, texts: Iterable[str]) -> Speech:
        """Learn the names: words capitalised inside a sentence and never written in lower case."""
        joined = "\n".join(texts)
        capitalised = {word.lower() for word in _INSIDE_CAPITALISED.findall(joined)}
        return cls(frozenset(capitalised - set(_LOWER_WORDS.findall(joined))))

    def report(self, sentence: str) -> str:
        """Turn "However, we think our area ..." into "our area ..." with they/their: the words
        that can follow "said that", lower-cased unless they open with a name."""
        text = strip_link(sentence)
        if _LABEL.match(text) and word_count(_LABEL.sub("", text, count=1)) >= 6:
            text = _LABEL.sub("", text, count=1)
        text = _SAYING.sub(lambda found: found.group("lead") or "", text, count=1)
        text = _FIRST_PERSON.sub(_third_person, text)
        words = text.split(maxsplit=2)
        if words and not self.keeps_capital(words):
            text = text[:1].lower() + text[1:]
        return full_stop(text)

    def keeps_capital(self, words: list[str]) -> bool:
        """Say whether the first word is a name or an acronym ("ESOL", "Belfast")."""
        first = words[0].strip("\"'“‘(,:;")
        if len(first) > 1 and (first.isupper() or any(char.isupper() for char in first[1:])):
            return True
        if first.lower() in self.names:
            return True
        common = first.lower() in ENGLISH_STOP_WORDS or len(first) == 1
        return not common and len(words) > 1 and words[1][:1].isupper()


# "we" as the partnership: the verbs that change with it, and the pronouns.
_OUR_VERBS = {
    "are": "is",
    "have": "has",
    "were": "was",
    "do": "does",
    "ask": "asks",
    "want": "wants",
    "urge": "urges",
    "recommend": "recommends",
    "call": "calls",
    "support": "supports",
    "believe": "believes",
    "propose": "proposes",
    "suggest": "suggests",
    "oppose": "opposes",
    "welcome": "welcomes",
    "see": "sees",
    "need": "needs",
}
_WE_AT_START = re.compile(r"^[Ww]e\s+((?:also|strongly|therefore|still)\s+)?(\w+)")
# fmt: off
_MODALS = frozenset((
    "would", "should", "could", "will", "can", "must", "cannot", "might", "may",
))
# fmt: on


def as_partnership(sentence: str) -> str | None:
    """Say a partner's "we ask ..." as the partnership's "The partnership asks ...".

    Return None where the sentence cannot be moved into the partnership's voice safely (it
    speaks of "we" mid-sentence, or its verb is one we do not know how to agree).
    """
    text = strip_link(sentence)
    found = _WE_AT_START.match(text)
    if found is None:
        return None
    adverb = found.group(1) or ""
    verb = found.group(2).lower()
    adverb = "" if adverb.strip() == "also" else adverb  # "also" leans on a list of its own
    if verb in _OUR_VERBS:
        text = f"The partnership {adverb}{_OUR_VERBS[verb]}{text[found.end() :]}"
    elif verb in _MODALS:
        text = f"The partnership {text[3:]}"
    else:
        return None
    if re.search(r"\b(?:we|We|us|ours|ourselves|I|my)\b", text):
        return None
    if "partnership" in text[len("The partnership") :].lower():
        return None  # "The partnership would welcome a meeting ..., jointly with the partnership"
    text = re.sub(r"\b[Oo]ur\b", "its", text)
    return full_stop(text)
