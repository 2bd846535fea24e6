"""The wording rules of the question import: what a question says, asks and offers.

Shared by the document reader (``question_documents``) and the spreadsheet reader
(``question_sheets``): tidying a question's words (footnote markers out), the options a question
names in its own words ("(Yes / No / Don't know)"), its kind, whether a paragraph continues a
question or is the paper's own prose, and whether a question asks about the respondent ("About
you") rather than the proposals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from consultations.documents import tidy

DEFAULT_AGREEMENT_OPTIONS = ("Agree", "Disagree", "Neither agree nor disagree", "Don't know")


@dataclass(frozen=True)
class ParsedQuestion:
    """One question found in an uploaded file, for the officer's preview."""

    number: str
    text: str
    kind: str
    options: tuple[str, ...]
    source: str  # where it was found: "paragraph 12", "page 3, paragraph 40", "row 4"
    section: str = ""  # the chapter or heading it stands under


@dataclass(frozen=True)
class Notice:
    """Something the import decided that the officer should check, with its place."""

    message: str
    number: str = ""  # the question it is about, if any
    source: str = ""

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.number, self.source) if part)
        return f"{where}: {self.message}" if where else self.message


# --- Tidying a question's words -----------------------------------------------------------------

_FOOTNOTE_MARKERS = re.compile(
    r"\s?\[\d{1,3}\]"  # "[1]"
    r"|[¹²³⁰⁴-⁹]+"  # "¹", "²³"
    r"|(?<=[a-z)][?.!,;:])\d{1,2}(?=\s|$)"  # "dependants?2 " where the superscript was lost
)


def clean_text(text: str) -> str:
    """Tidy a question's words: footnote markers out, white space collapsed."""
    return tidy(_FOOTNOTE_MARKERS.sub("", text))


# A question is a sentence or a paragraph. Wordings are compared on their first words only:
# difflib's work grows with the product of the two lengths, and a document whose "question" runs
# to megabytes (two such took minutes) must not make an import quadratic.
LIKENESS_WORDS = 500


def likeness(first: str, second: str) -> float:
    """Say how alike two wordings are, 0 to 1, word by word, ignoring case and punctuation."""
    words = [
        re.findall(r"[a-z0-9']+", text[: 20 * LIKENESS_WORDS].lower().replace("’", "'"))[
            :LIKENESS_WORDS
        ]
        for text in (first, second)
    ]
    return SequenceMatcher(None, *words, autojunk=False).ratio()


# --- Options a question prints or names ---------------------------------------------------------

_BOXES = "☐☑☒□▢◻❏❐❑❒⬜○◯"
_BOX = re.compile(f"[{_BOXES}]")
_ASCII_BOX = re.compile(r"\[\s*[xX✓✔]?\s*\]|\(\s+\)")
_OPTION_WORDS = (
    "neither agree nor disagree",
    "strongly disagree",
    "strongly agree",
    "tend to disagree",
    "tend to agree",
    "somewhat disagree",
    "somewhat agree",
    "partly agree",
    "partly disagree",
    "not applicable",
    "don't know",
    "do not know",
    "no opinion",
    "not sure",
    "disagree",
    "neutral",
    "neither",
    "unsure",
    "agree",
    "maybe",
    "partly",
    "n/a",
    "yes",
    "no",
)
_OPTION_WORD = "|".join(re.escape(word) for word in _OPTION_WORDS)
_OPTION_WORDS_LINE = re.compile(rf"^(?:(?:{_OPTION_WORD})(?:\s*[/|,;]\s*|\s+|$))+$", re.IGNORECASE)
_OPTION_WORD_FIND = re.compile(rf"(?<![\w'])(?:{_OPTION_WORD})(?![\w'])", re.IGNORECASE)
_SEPARATED = rf"(?:{_OPTION_WORD})(?:\s*(?:/|\||,|;|\bor\b)\s*(?:{_OPTION_WORD}))+"
# "(Yes / No / Don't know)" or "[Agree/Disagree]" anywhere in the question.
_BRACKETED_OPTIONS = re.compile(rf"\s*[(\[]\s*(?P<options>{_SEPARATED})\s*[)\]]\.?", re.I)
# "... dependants? Yes / No / Don't know" after the question's own mark.
_TRAILING_OPTIONS = re.compile(rf"(?<=[?:])\s*(?P<options>{_SEPARATED})\s*\.?$", re.I)
# "Agree/Disagree: the threshold should rise" before a statement.
_LEADING_OPTIONS = re.compile(rf"^(?P<options>{_SEPARATED})\s*[:.\-–]\s*", re.I)


def _option_label(word: str) -> str:
    word = word.strip().replace("’", "'")
    if word.lower() == "n/a":
        return "N/A"
    return word[:1].upper() + word[1:].lower()


def _options_in(words: str) -> list[str]:
    return [_option_label(word) for word in _OPTION_WORD_FIND.findall(words.replace("’", "'"))]


def named_options(text: str) -> tuple[str, list[str]]:
    """Take the options a question names in its own words out of its text.

    "Do you agree? (Yes / No / Don't know)" gives ("Do you agree?", ["Yes", "No", "Don't
    know"]); a question that names none comes back as it was, with no options.
    """
    for pattern in (_BRACKETED_OPTIONS, _TRAILING_OPTIONS, _LEADING_OPTIONS):
        match = pattern.search(text.replace("’", "'"))
        if match:
            rest = tidy(text[: match.start()] + " " + text[match.end() :])
            return rest, _options_in(match.group("options"))
    return text, []


def _labels_before_boxes(line: str) -> list[str]:
    """Read "Yes No Don't know ☐ ☐ ☐": labels drawn apart from their boxes, as PDFs often are."""
    boxes = len(_BOX.findall(line))
    words = _BOX.sub(" ", line).strip().replace("’", "'")
    if not boxes or not words or len(words) > 120 or not _OPTION_WORDS_LINE.match(words):
        return []
    labels = _options_in(words)
    trailing = not _BOX.sub("", line[_BOX.search(line).start() :]).strip()
    return labels if trailing and len(labels) == boxes else []


def split_ticks(line: str) -> tuple[str, list[str]]:
    """Split a line into its text and the tick-box options printed after it."""
    boxed = _ASCII_BOX.sub("☐", line)
    first_box = _BOX.search(boxed)
    labels = _labels_before_boxes(boxed)
    if labels:
        return "", labels
    if first_box is None:
        words = line.strip().replace("’", "'")
        # Length cap: only a short line can be nothing but answer words.
        if len(words) <= 120 and _OPTION_WORDS_LINE.match(words):
            return "", _options_in(words)
        return line, []
    # Text before the boxes ends at its last sentence mark: "Do you agree? Yes ☐ No ☐".
    cut = max(boxed.rfind(mark, 0, first_box.start()) for mark in "?:.")
    options = [tidy(part).strip("/,;|-–. ") for part in _BOX.split(boxed[cut + 1 :])]
    return boxed[: cut + 1], [option for option in options if option]


# --- Kind ---------------------------------------------------------------------------------------

_ASKS_EXPLANATION = re.compile(
    r"\b(?:explain|explanation|reasons?|comments?|elaborate|justify|why|describe|tell\s+us)\b"
    r"|\bprovide\b.*\b(?:details?|evidence|examples?|information)\b",
    re.IGNORECASE,
)
_ASKS_AGREEMENT = re.compile(
    r"\b(?:do|would|to\s+what\s+extent\s+do)\s+you\s+agree\b|\bagree\s+or\s+disagree\b",
    re.IGNORECASE,
)
_ASKS_TICK = re.compile(
    r"\b(?:please\s+)?(?:tick|select|choose|circle|mark)\s+(?:one|only\s+one|the\s+(?:box|option)"
    r"|all\s+that\s+apply|one\s+(?:box|option)|an?\s+(?:box|option))\b",
    re.IGNORECASE,
)


def asks_explanation(text: str) -> bool:
    """Say whether words ask for reasons or comments ("Please explain", "Why?")."""
    return bool(_ASKS_EXPLANATION.search(text))


def classify(
    text: str, options: Iterable[str], *, explain: bool
) -> tuple[str, tuple[str, ...], str]:
    """Decide a question's kind and options: (kind, options, a warning or "").

    - Options printed or named ("Yes ☐ No ☐", "(Yes / No / Don't know)") make it "closed", or
      "hybrid" when it also asks for comments or an explanation.
    - Without them, "Do you agree ...?" gets DEFAULT_AGREEMENT_OPTIONS, closed or hybrid by the
      same test.
    - A question that asks to tick one of options that are nowhere to be found is "open", with a
      warning to add them.
    - Anything else is "open", with no options.
    """
    printed = tuple(dict.fromkeys(options))
    explains = explain or asks_explanation(text)
    if not printed and _ASKS_AGREEMENT.search(text):
        printed = DEFAULT_AGREEMENT_OPTIONS
    if printed:
        return ("hybrid" if explains else "closed"), printed, ""
    if _ASKS_TICK.search(text):
        return (
            "open",
            (),
            "it asks for a choice but its options were not found, so it was imported as an "
            "open question; add its options after importing",
        )
    return "open", (), ""


# --- Where a question's words stop ------------------------------------------------------------

_ANSWER_PROMPT = re.compile(
    r"^(?:"
    r"(?:your\s+)?(?:comments?|responses?|answers?|views?|reasons?|explanation|evidence|details)"
    r"\s*(?::|$)"
    r"|please\s+(?:explain|give|provide|tell|describe|expand|outline|set\s+out|add|use|tick|"
    r"select|choose|mark|indicate|state|enter|type|write|insert|circle|answer|include|share)\b"
    r"|if\s+(?:yes|no|so|not|you)\b"
    r"|\[[^\]]*\]$"
    r"|(?:type|enter|insert|write)\s+(?:your|here)\b"
    r"|\(?(?:max(?:imum)?|up\s+to|no\s+more\s+than|limit)\b.*\bwords?\b"
    r"|(?:tick|select|choose)\s+(?:one|all|any|the)\b"
    r")",
    re.IGNORECASE,
)
# An instruction to the respondent that belongs to the question before it.
_INSTRUCTION = re.compile(
    r"^(?:please\b|give\b|provide\b|explain\b|describe\b|include\b|tell\s+us\b|if\s+(?:so|not|"
    r"yes|no|you)\b|where\s+(?:possible|you\s+can|applicable)\b|in\s+your\s+(?:answer|response)\b"
    r"|you\s+may\s+(?:wish|want)\b|we\s+would\s+(?:welcome|particularly\s+welcome)\b"
    r"|consider\b|see\s+(?:paragraph|chapter|annex|section)\b|refer\s+to\b|think\s+about\b)",
    re.IGNORECASE,
)


def is_answer_prompt(text: str) -> bool:
    """Say whether a line labels an answer box or asks for one ("Comments:", "If not, ...")."""
    return bool(_ANSWER_PROMPT.match(text))


def is_instruction(text: str) -> bool:
    """Say whether a paragraph speaks to the respondent ("Please give reasons.", "If so, ...")."""
    return bool(_INSTRUCTION.match(text)) and len(text.split()) <= 60


def is_follow_on_question(text: str) -> bool:
    """Say whether a short paragraph asks a further question, part of the one before it."""
    return text.rstrip().endswith("?") and len(text.split()) <= 45


def unfinished(text: str) -> bool:
    """Say whether a question's words so far stop in mid-sentence (or before a list, at ':')."""
    stripped = text.rstrip(" \"'”’)")
    return bool(stripped) and (
        stripped.endswith((":", ",", ";", "-", "–")) or stripped[-1].isalnum()
    )


# --- Questions about the respondent ("About you") ------------------------------------------

_RESPONDENT_SECTION = re.compile(
    r"^(?:(?:section|part)\s+\w+\s*[:.\-–]?\s*)?(?:about\s+you(?:rself)?|your\s+details|"
    r"respondent(?:'s)?\s+(?:details|information)|information\s+about\s+you|personal\s+"
    r"(?:information|details)|about\s+your\s+organi[sz]ation|contact\s+details|your\s+"
    r"information)\b",
    re.IGNORECASE,
)
_RESPONDENT_QUESTION = re.compile(
    r"\b(?:(?:your|full)\s+(?:full\s+)?name\b|e-?mail(?:\s+address)?\b|postcode\b|"
    r"(?:telephone|phone|contact)\s+(?:number|details)\b|job\s+title\b|your\s+address\b|"
    r"(?:name|type)\s+of\s+(?:your\s+)?organi[sz]ation\b|which\s+organi[sz]ation\b|"
    r"organi[sz]ation\s+(?:name|you\s+represent|are\s+you\s+responding)\b|"
    r"responding\s+(?:as\s+an?\s+individual|on\s+behalf\s+of|in\s+a\s+personal)|"
    r"(?:as\s+an?\s+individual|on\s+behalf\s+of\s+an?\s+organi[sz]ation)\b|"
    r"(?:response|reply|information|answers?)\s+(?:to\s+)?(?:be\s+)?(?:treated\s+as\s+|kept\s+)?"
    r"confidential|(?:keep|treat)\s+(?:your|my)\s+(?:response|reply|details)\s+confidential|"
    r"(?:may|can)\s+we\s+contact\s+you|contact\s+you\s+(?:about|again|further)|"
    r"(?:be\s+)?kept\s+informed|keep\s+you\s+(?:informed|updated)|"
    r"publish\s+your\s+(?:name|response))",
    re.IGNORECASE,
)


def is_respondent_section(heading: str) -> bool:
    """Say whether a heading opens the part that asks about the respondent ("About you")."""
    return bool(_RESPONDENT_SECTION.match(tidy(heading)))


def asks_about_respondent(text: str) -> bool:
    """Say whether a question asks who the respondent is, rather than about the proposals."""
    return bool(_RESPONDENT_QUESTION.search(text)) and len(text.split()) <= 40
