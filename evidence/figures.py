"""Figures in partners' answers: numbers, percentages, money, counts of people and dates.

A figure is a stated quantity: "300 families", "45%", "£2bn", "one third", "18 months". What
only looks like one is left out: references ("Q3", "section 17", "(Article 12)", "(paragraph
1.5)", "Parts 6 and 7", "HC 194"), the years in the names of laws and conventions ("Housing
Act 1996", "the 1951 Convention") and the second half of a year range ("2018-19"). A number
before people, even with a word between ("600 single males", "4,000 Syrians"), counts them.
"""

from __future__ import annotations

import re

from evidence.pipeline import TokenColumns


def _words(text: str) -> list[str]:
    """Split a word list written as running text, which reads better than a list of strings."""
    return text.split()


# Number words the matcher finds; "one" only counts before people ("one adult in work").
NUMBER_WORDS = _words(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
    "hundreds thousand thousands million millions billion dozen dozens half"
)
_ONE_IN = _words("two three four five six seven eight nine ten twenty hundred")
FRACTIONS = [
    *(
        f"{amount} {part}"
        for amount in ("a", "one")
        for part in ("third", "quarter", "fifth", "tenth")
    ),
    "two thirds",
    "two-thirds",
    "three quarters",
    "three-quarters",
    "one half",
    *(f"one in {number}" for number in _ONE_IN),
]
MONTHS = _words(
    "January February March April May June July August September October November December"
)
# Small numbers in words are a figure only when they count people or measure a time:
# "three years", "three times as many"; "two sites" or "a two-tier system" is plain language.
_SMALL = frozenset(_words("two three four five six seven eight nine ten eleven twelve half"))
_SPAN = re.compile(
    r"[\s-]+(?:(?:more|extra|full|whole|further|long|calendar)\s+)?"
    r"(?:years?|months?|weeks?|days?|hours?|nights?|decades?|times)\b",
    re.IGNORECASE,
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
        "volunteers volunteer officers officer nurses doctors carers carer uasc young males "
        "females nationals citizens youngsters teenagers seekers visitors graduates recruits "
        "sponsors hosts households beneficiaries detainees"
    )
)
# Words that may stand between a number and its people: "300 Syrian families", "a third of the".
_PEOPLE_GAP = 2
_PERCENT_AFTER = ("%", "per cent", "percent", "per-cent")
_MONEY_AFTER = ("pounds", "gbp", "m pounds", "million pounds", "billion pounds", "bn pounds")
_CURRENCY = ("£", "€", "$")
# Digits after these words name a question, a section, a paper or a level, not a quantity.
_REFERENCE_TEXT = (
    "q qu question questions section sections s ss para paras paragraph paragraphs article "
    "articles part parts schedule schedules chapter chapters clause clauses rule rules annex "
    "appendix tier level stage phase page pages p pp no option options recommendation "
    "recommendations step steps point points hc hl cm cmnd cp si footnote footnotes table "
    "tables figure box vol volume line lines item items reg regs regulation regulations"
)
_REFERENCE_WORDS = frozenset(_words(_REFERENCE_TEXT))
_WORD_EDGES = "\"'.,;:!?()[]"
# The later numbers of a list of references: "Parts 6 and 7", "sections 58, 59 and 61".
_REFERENCE_LIST = re.compile(
    r"\b(?:" + "|".join(_words(_REFERENCE_TEXT)) + r")\.?\s+\(?[\w.]+\)?"
    r"(?:\s*(?:,|and|or|to|-|–|&)\s*\(?[\w.]+\)?)*\s*(?:,|and|or|to|-|–|&)\s*\(?$",
    re.IGNORECASE,
)
_LIST_SEPARATORS = (",", "and", "or", "to", "-", "–", "&")
# A year in the name of a law or a convention: "Housing Act 1996", "the 1951 Convention".
_LAW_BEFORE = re.compile(
    r"\b(?:Act|Acts|Order|Regulations|Rules|Measure|Convention|Protocol|Directive|Bill)"
    r"(?:\s*\((?:NI|Northern Ireland|Scotland|Wales)\))?,?\s*$"
)
_LAW_AFTER = re.compile(
    r"\s*(?:(?:UN|Refugee|Geneva|Hague|Istanbul|European)\s+)*"
    r"(?:Act|Order|Regulations|Rules|Convention|Protocol|Directive)\b"
)
# Amounts written with a scale and no space, which spaCy does not take for numbers: "£2bn".
_SCALED = re.compile(r"(?<![\w.])\d[\d,.]*(?:bn|m|k)\b")
# A plural of a nationality after a number counts people: "4,000 Syrians", "300 Afghans".
_DEMONYM = re.compile(r"\s*(?:\w+\s+)?[A-Z][a-z]+(?:ians|ans|ese|is|ns)\b")


def _figure_kind(text: str, start: int, end: int, *, is_word: bool) -> str | None:
    """Say what kind of figure the number at text[start:end] is, or None if it is a reference."""
    if not is_word and (_is_reference(text, start) or _names_a_law(text, start, end)):
        return None
    if not is_word and _ends_a_year_range(text, start):
        return None  # "19" in "2018-19": the year range is one date
    after = text[end : end + 48].lower()
    if _after_currency(text, start):
        return "money"
    if after.lstrip().startswith(_PERCENT_AFTER):
        return "percentage"
    if after.lstrip().startswith(_MONEY_AFTER):
        return "money"
    # A year reads as a date even before people: "in 2024 people waited longer".
    if not is_word and (_YEAR_OR_DATE.fullmatch(text, start, end) or _names_month(after)):
        return "date"
    if _counts_people(after) or _DEMONYM.match(text, end, end + 48):
        return "people_count"
    return "number"


def _after_currency(text: str, start: int) -> bool:
    return text[max(start - 2, 0) : start].strip().endswith(_CURRENCY)


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
    return bool(words) and words[0].strip(_WORD_EDGES).capitalize() in MONTHS


def _is_reference(text: str, start: int) -> bool:
    words_before = text[max(start - 16, 0) : start].split()
    if words_before and words_before[-1].strip("([").rstrip(".").lower() in _REFERENCE_WORDS:
        return True
    before = text[max(start - 6, 0) : start].rstrip(" (")
    if not before.endswith(_LIST_SEPARATORS):
        return False  # most numbers: no list of references can end just before them
    return _REFERENCE_LIST.search(text, max(start - 48, 0), start) is not None


def _names_a_law(text: str, start: int, end: int) -> bool:
    """Say whether a number is the year in a law's or a convention's name."""
    if not _YEAR_OR_DATE.fullmatch(text, start, end):
        return False
    return (
        _LAW_BEFORE.search(text, max(start - 32, 0), start) is not None
        or _LAW_AFTER.match(text, end) is not None
    )


def _ends_a_year_range(text: str, start: int) -> bool:
    return (
        start >= 5
        and text[start - 1] in "-–/"
        and _YEAR_OR_DATE.fullmatch(text, start - 5, start - 1) is not None
    )


def may_have_digits(text: str) -> bool:
    """Say whether the text may hold a number written in digits: whether to look for one."""
    if not text.isascii():
        return True  # str.isdigit knows more digits than 0-9; let the tokens decide
    # A loop of ``in`` tests, not any() over a generator or a regular expression: 4 times faster.
    for digit in _DIGITS:  # noqa: SIM110
        if digit in text:
            return True
    return False


def digit_figures(text: str, columns: TokenColumns) -> list[tuple[int, str]]:
    """Find numbers written in digits: (start_char, kind), references such as "section 17" left out.

    spaCy's tokens already say which words look like numbers; "Q3", "s95" and "B1" are single
    tokens that do not, so they never get here. Ask ``may_have_digits`` first: most answers
    have no digit, and reading the tokens costs more than looking at the text.
    """
    found = []
    for scaled in _SCALED.finditer(text):
        kind = _figure_kind(text, scaled.start(), scaled.end(), is_word=False)
        if kind is not None:
            found.append((scaled.start(), kind))
    for start, end in columns.number_spans():
        if not text[start].isdigit():
            continue  # number words come from the matcher, which knows "one" and "a third" too
        kind = _figure_kind(text, start, end, is_word=False)
        if kind is not None:
            found.append((start, kind))
    return found


def word_figure(
    text: str, columns: TokenColumns, start: int, end: int, figure: str
) -> tuple[int, str] | None:
    """Classify a number word or month the matcher found: (start_char, kind) or None."""
    start_char, end_char = columns.span(start, end)
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
    small = kind == "number" and text[start_char:end_char].lower() in _SMALL
    if small and not _SPAN.match(text, end_char):
        return None  # "two sites", "two-tier", "all four nations": words, not a statistic
    return start_char, kind or "number"
