"""Recognise how a partner marks the start of an answer: "Question 3 – subtitle", "Q.6", "QUESTION
THREE", "Questions 3 and 4", "Q3 & Q4", "Response to Q2", a bare "3." and a sign-off.

Everything here reads one line of text and says what it found; deciding which of the found
markers really start answers is ``evidence.word_route``'s job, which sees the whole document.

Explicit markers
    "Question 3", "QUESTION 3:", "Issue 3" (a call for evidence lists issues, numbered in
    order like its questions), "Question No. 3", "Consultation question 3", "Q3", "Q 3", "Q.3",
    "Q. 6", "Qu. 3", "Qn 3", "Q3a", "Question 3(a)", spelled numbers ("Question three"), and
    "Response to question 3" / "Our answer to Q3", and "In response to question 3, ..." /
    "With regard to question 3, ..." / "On your third question, ..." opening a letter's
    paragraph. After the number comes a separator (":", ".", ")", a dash), a tab, the end of
    the line, or a space before a capital, so that "Question 1 asks ..." in prose is not a
    marker.
Joint markers
    One answer for several questions: "Questions 3 and 4", "Questions 3, 4 and 5", "Questions
    3-5", "Qs 3 & 4", "Q3 & Q4", "Q3/Q4", "Q3 and Q4", "Q3–Q5". A dash makes a range only after
    "Questions" or before a second "Q" ("Question 2 – 5 years is too long" is question 2).
Bare numbers
    "3." / "3)" / "3 –" followed by text, or "3." alone. "1.1" (a paragraph number) is not one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# fmt: off
_SPELLED = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty",
)
# fmt: on
_TENS = {"twenty": 20, "thirty": 30}
WORD_NUMBERS = {word: value for value, word in enumerate(_SPELLED, start=1)}
for _tens, _base in _TENS.items():
    WORD_NUMBERS[_tens] = _base
    for _unit, _value in list(WORD_NUMBERS.items())[:9]:
        WORD_NUMBERS[f"{_tens}-{_unit}"] = _base + _value
        WORD_NUMBERS[f"{_tens} {_unit}"] = _base + _value
_WORD_NUMBER = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS), key=len, reverse=True))


def _number(name: str) -> str:
    return (
        rf"(?:(?P<{name}>\d{{1,3}})(?:\.(?P<{name}m>\d{{1,2}})(?!\d))?"
        rf"(?:\s?\((?P<{name}s>[a-zA-Z])\)|(?P<{name}t>[a-zA-Z])(?![a-zA-Z]))?"
        rf"|(?P<{name}w>{_WORD_NUMBER})(?![a-z-]))"
    )


# After the last number: a separator, a tab, the end, or a space before a capital or a quote.
# "Q2.1" is question 2.1 (numbered by chapter), never question 2 followed by "1".
_AFTER = (
    r"(?:\s+(?:response|answer|reply|comments?)\s*[:.\-–—]\s*"  # "Q4 response: We agree"
    r"|\s*[:.)\-–—]+(?!\d)\s*|\t\s*|\s+(?=(?-i:[A-Z])|[\"“‘'(\[])|\s*$)(?P<rest>.*)$"
)
_LEAD = (
    r"^[\s•·▪●◦*–—-]*(?:re\s*:\s*|(?:our\s+|the\s+)?(?:response|answer|reply|comments?)\s+"
    r"(?:to|on)\s+)?"  # "Re: Question 4", "Our response to Q4"
)
_Q = r"(?:q(?:u|n)?\s*\.?\s*)"
_QUESTION = r"(?:consultation\s+)?(?:question|issue)\s*(?:no\.?|number|#)?\s*"
_QUESTIONS = r"(?:consultation\s+)?(?:questions|issues|qs\.?)\s*(?:nos?\.?|numbers|#)?\s*"
_AND = r"\s*(?:,|&|\+|/|and|to|-|–|—)\s*"
_AND_SINGLE = r"\s*(?:&|\+|/|and)\s*"
_AND_RANGE = r"\s*(?:,|to|-|–|—)\s*"
_MORE = r"(?P<more>(?:{sep}(?:{q})?\s*(?:\d{{1,3}}(?:\.\d{{1,2}})?[a-z]?|{words}))*)"

_PLURAL = re.compile(
    _LEAD + _QUESTIONS + _number("n") + _MORE.format(sep=_AND, q=_Q, words=_WORD_NUMBER) + _AFTER,
    re.IGNORECASE | re.DOTALL,
)
_SINGLE = re.compile(
    _LEAD
    + rf"(?:{_QUESTION}|{_Q})"
    + _number("n")
    + rf"(?P<more>(?:(?:{_AND_SINGLE}{_Q}?|{_AND_RANGE}{_Q})\s*\d{{1,3}}(?:\.\d{{1,2}})?[a-z]?)*)"
    + _AFTER,
    re.IGNORECASE | re.DOTALL,
)
_ONE_NUMBER = re.compile(
    rf"{_Q}?\s*(?:(\d{{1,3}})(?:\.(\d{{1,2}}))?([a-z]?)|({_WORD_NUMBER}))", re.IGNORECASE
)
_RANGE_SIGN = re.compile(r"^\s*(?:to|-|–|—)\s*", re.IGNORECASE)
_BARE = re.compile(
    r"^\s*(?P<n>\d{1,3})(?:\((?P<ns>[a-z])\)|(?P<nt>[a-z]))?(?:[.)]|\s+[-–—:])(?:\s+(?P<rest>\S.*))?$",
    re.DOTALL,
)
_PARAGRAPH_NUMBER = re.compile(r"^\s*\d{1,3}\.\d{1,3}\.?(?:\s+|$)")
_SIGN_OFF = re.compile(
    r"^(?:yours\s+(?:sincerely|faithfully|truly)|kind(?:est)?\s+regards|best\s+wishes"
    r"|with\s+(?:best\s+|kind\s+)?regards|many\s+thanks|regards|best\s+regards)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Marker:
    """A marker found at the start of a line."""

    numbers: tuple[str, ...]  # normalised: ("Q3",), ("Q3", "Q4"), ("Q3a",)
    found: str  # the marker as written: "Question 3", "Q.6", "Questions 3 and 4"
    rest: str  # the text after it on the same line
    explicit: bool  # "Question"/"Q" written; False for a bare "3."


def question_number(number: int, suffix: str = "") -> str:
    """Return a question number as the workbench stores it: "Q3", "Q3a", "Q2.1"."""
    return f"Q{number}{suffix.lower()}"


def _first_number(match: re.Match[str], name: str = "n") -> tuple[int, str]:
    digits = match.group(name)
    if digits is not None:
        groups = match.groupdict()
        minor = groups.get(f"{name}m")
        letter = groups.get(f"{name}s") or groups.get(f"{name}t") or ""
        return int(digits), (f".{int(minor)}" if minor else "") + letter
    return WORD_NUMBERS[" ".join(match.group(f"{name}w").lower().split())], ""


def _more_numbers(first: int, more: str) -> list[tuple[int, str]]:
    """Read the numbers after the first one, expanding ranges ("3-5", "3 to 5")."""
    found: list[tuple[int, str]] = []
    last = first
    position = 0
    while position < len(more):
        rest = more[position:]
        ranged = bool(_RANGE_SIGN.match(rest)) and not rest.lstrip().startswith(",")
        match = _ONE_NUMBER.search(rest)
        if match is None:
            break
        if match.group(4):
            value, suffix = WORD_NUMBERS[" ".join(match.group(4).lower().split())], ""
        else:
            minor = match.group(2)
            value, suffix = (
                int(match.group(1)),
                (f".{int(minor)}" if minor else "") + match.group(3),
            )
        if ranged and not suffix and last < value <= last + 20:
            found.extend((n, "") for n in range(last + 1, value + 1))
        else:
            found.append((value, suffix))
        last = value
        position += match.end()
    return found


def _marker(match: re.Match[str], line: str, *, explicit: bool) -> Marker:
    first, suffix = _first_number(match)
    more = _more_numbers(first, match.group("more") or "") if explicit else []
    numbers = tuple(dict.fromkeys(question_number(n, s) for n, s in [(first, suffix), *more]))
    rest = match.group("rest") or ""
    found = line[: len(line) - len(rest)] if rest else line
    found = _tidy(found).strip(" :.-–—)\t•·▪●◦*")
    if found.count("(") > found.count(")"):
        found += ")"
    return Marker(numbers, found, rest.strip(), explicit)


# "In response to question 2, the council ..." or "4. With regard to Question 3, we ...": the
# question named in the sentence that opens a letter's paragraph.
_IN_PROSE = re.compile(
    r"^\s*(?:\d{1,3}[.)]\s+)?(?:in\s+(?:response|answer|reply|relation)\s+to|with\s+(?:regard|"
    r"reference|respect)\s+to|regarding|turning\s+to|as\s+for)\s+(?:consultation\s+)?"
    r"(?:question|q\.?)\s*" + _number("n") + r"\s*,\s*(?P<more>)(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)


# fmt: off
_ORDINAL_WORDS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth",
)
# fmt: on
_ORDINALS = {word: place for place, word in enumerate(_ORDINAL_WORDS, start=1)}
# "On your first question, we agree ...", "Turning to the third question, ...": a letter that
# names the questions by their order.
_BY_ORDER = re.compile(
    r"^\s*(?:\d{1,3}[.)]\s+)?(?:on|turning\s+to|in\s+(?:response|answer|reply)\s+to|with\s+"
    r"(?:regard|reference|respect)\s+to|regarding|as\s+for)\s+(?:your|the)\s+(?P<order>"
    + "|".join(_ORDINALS)
    + r")\s+question\s*,\s*(?P<rest>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)


def find_explicit(line: str) -> Marker | None:
    """Find "Question 3", "Q.6", "Questions 3 and 4" and the like at the start of a line."""
    text = line.strip()
    match = _PLURAL.match(text) or _SINGLE.match(text) or _IN_PROSE.match(text)
    if match is None:
        by_order = _BY_ORDER.match(text)
        if by_order is None:
            return None
        number = question_number(_ORDINALS[by_order.group("order").lower()])
        found = _tidy(text[: by_order.start("rest")]).rstrip(" ,")
        return Marker((number,), found, by_order.group("rest").strip(), True)
    return _marker(match, text, explicit=True)


def find_bare(line: str) -> Marker | None:
    """Find a bare "3." or "3)" at the start of a line (not a paragraph number like "1.1")."""
    text = line.strip()
    if _PARAGRAPH_NUMBER.match(text):
        return None
    match = _BARE.match(text)
    if match is None:
        return None
    return _marker(match, text, explicit=False)


_SHORT_SIGN_OFF = re.compile(
    r"^(?:(?:many\s+)?thanks|thank\s+you|cheers|best|all\s+the\s+best|warm\s+regards)\b[,.!]?",
    re.IGNORECASE,
)


_ROLE = (
    r"(?:officer|director|chair(?:person)?|co-?ordinator|convenor|manager|executive|lead|head"
    r"|secretary|clerk|president|chief|adviser|advisor|trustee|solicitor|minister|coordinator"
    r"|councillor|mayor|partner|founder|organiser|organizer|worker)"
)
_TITLE = r"(?:revd|rev|dr|cllr|councillor|mr|mrs|ms|miss|mx|prof|professor|sister|father|bishop)"
_NAME = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’.-]*){1,3}"
_SIGNATURE = re.compile(
    rf"^(?:{_TITLE}\.?\s+{_NAME}(?:\s*,\s*.+)?|{_NAME}\s*,\s*(?:[\w&'’-]+\s+){{0,5}}{_ROLE}\b.*)$",
    re.IGNORECASE,
)


def is_signature(line: str) -> bool:
    """Say whether a short line is a signature: "Revd Samuel Orr, Convenor", "Dr A Keenan"."""
    text = line.strip().rstrip(".")
    if len(text.split()) > 10 or text.endswith(("?", ";")):
        return False
    return bool(_SIGNATURE.match(text))


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE_LINE = re.compile(
    rf"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?"
    rf"{_MONTH}\.?,?\s+\d{{4}}$|^\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}$",
    re.IGNORECASE,
)


def is_date_line(line: str) -> bool:
    """Say whether a line is only a date: "February 2026", "14 February 2026", "14/02/2026"."""
    return bool(_DATE_LINE.match(line.strip().rstrip(".")))


def is_sign_off(line: str) -> bool:
    """Say whether a line closes a letter: "Yours sincerely", "Kind regards", "Thanks, Maria"."""
    text = line.strip()
    if _SIGN_OFF.match(text):
        return True
    # "Thanks, Maria" ends an email; "Thanks to the council's support ..." does not.
    return len(text.split()) <= 4 and bool(_SHORT_SIGN_OFF.match(text))


def _tidy(text: str) -> str:
    return " ".join(text.split())
