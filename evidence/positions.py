"""Read a partner's position from an answer's opening words, and map it to a question's options.

Partners who answer in a letter rarely tick a box: they write "We disagree.", "No.", "Yes,
provided ...", "Partly", "We support this in principle" or "Strongly agree" at the start of their
answer. ``read_stance`` finds such words at the start of a line and names the stance they take;
``option_for`` turns a stance into the question's own option label (yes <-> agree, no <->
disagree, "strongly agree" -> "Agree" when the question has no "Strongly agree", "in principle"
-> "Tend to agree" or "Agree"), and gives "" for an open question or when no option says the same.
Every position found this way is shown to the officer with the words it was read from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol


class QuestionLike(Protocol):
    """What the intake needs of a question: a saved ``Question`` or one read by the dry run."""

    id: int
    number: str
    text: str
    kind: str
    options: Sequence[str]


@dataclass(frozen=True)
class Stance:
    """A position found at the start of an answer."""

    key: str  # "agree", "disagree", "strongly agree", "in principle", "partly", "yes", "no", ...
    words: str  # the words it was read from, as written ("We disagree", "Yes, provided")
    alone: bool  # the line says nothing else ("Disagree.")


NO_STANCE = Stance("", "", False)

# Who speaks, and how firmly: "We", "The council", "Our trust", "I", then "would", "very much".
_SUBJECT = r"(?:(?:we|i|(?:the|our|this)\s+[a-z]+(?:\s+[a-z]+)?)\s+)"
_AUX = r"(?:(?:would|do|does|very\s+much|fully|entirely|completely|wholly|generally|therefore)\s+)*"
# "Agree" alone is a tick-box answer; "support" and "oppose" need someone doing it ("Support for
# families is vital" takes no position).
_WHO = f"{_SUBJECT}?{_AUX}"
_SOMEONE = f"{_SUBJECT}{_AUX}"
_END = r"(?![\w'’-])"
_OBJECT = r"(?:\s+(?:this|the|these|that|those|it|them)(?:\s+(?:proposals?|changes?|approach))?)?"
_PRINCIPLE = r"\s*,?\s*in\s+principle"
_FOR = r"(?:agree[sd]?|support(?:s|ed)?|welcome[sd]?)"
# "We support" and "We welcome" take a position only on the proposal itself: "We support this.",
# "We welcome the proposal, but ..."; "We support the aim of ..., but ..." takes none.
_SUPPORT = r"(?:support(?:s|ed)?|welcome[sd]?)"
_THE_PROPOSAL = (
    r"(?:\s+(?:it|this|these|them|the\s+(?:proposed\s+)?(?:proposals?|changes?|approach)"
    r"|(?:this|these|that|those)\s+(?:proposals?|changes?|approach)))?"
)
_CLAUSE_END = r"(?=\s*(?:[.,;:!)\-–—]|$)|\s+(?:and|but|fully|wholeheartedly|in\s+full)\b)"
_AGAINST = r"(?:oppose[sd]?|object(?:s|ed)?\s+to)"
_STANCES = (
    (rf"{_WHO}neither\s+agree\s+nor\s+disagree{_END}", "neither"),
    (rf"{_WHO}strongly\s+disagree[sd]?{_END}", "strongly disagree"),
    (rf"{_SOMEONE}strongly\s+{_AGAINST}{_END}", "strongly disagree"),
    (rf"{_WHO}strongly\s+agree[sd]?{_END}", "strongly agree"),
    (rf"{_SOMEONE}strongly\s+{_SUPPORT}{_THE_PROPOSAL}{_CLAUSE_END}", "strongly agree"),
    (rf"{_WHO}agree[sd]?{_OBJECT}{_PRINCIPLE}{_END}", "in principle"),
    (rf"{_SOMEONE}{_SUPPORT}{_THE_PROPOSAL}{_PRINCIPLE}{_END}", "in principle"),
    (r"in\s+principle\s*,?\s*(?:yes|we\s+(?:agree|support(?:\s+it)?))" + _END, "in principle"),
    (
        rf"{_WHO}(?:do\s+not|don['’]t|cannot|can['’]t|does\s+not|could\s+not|would\s+not)\s+"
        rf"(?:agree|support){_END}",
        "disagree",
    ),
    (rf"{_WHO}(?:tend\s+to|somewhat|broadly|mostly|largely)\s+disagree{_END}", "tend to disagree"),
    (rf"{_WHO}(?:tend\s+to|somewhat|broadly|mostly|largely)\s+agree{_END}", "tend to agree"),
    (rf"{_WHO}(?:partly|partially|in\s+part)(?:\s+(?:dis)?agree)?{_END}", "partly"),
    (rf"{_SOMEONE}(?:agree|support)[sd]?{_OBJECT}\s+in\s+part{_END}", "partly"),
    (rf"{_WHO}disagree[sd]?{_END}", "disagree"),
    (rf"{_SOMEONE}{_AGAINST}{_END}", "disagree"),
    (rf"{_WHO}agree[sd]?{_END}", "agree"),
    (rf"{_SOMEONE}{_SUPPORT}{_THE_PROPOSAL}{_CLAUSE_END}", "agree"),
    (
        r"(?:(?:we|i)\s+(?:are\s+|am\s+)?)?(?:(?:do\s+not|don['’]t)\s+know|not\s+sure|unsure"
        rf"|undecided){_END}",
        "don't know",
    ),
    (rf"(?:neutral|no\s+(?:view|opinion)){_END}", "neither"),
    (r"yes(?=\s*(?:[.,;:!)\-–—]|$|we\b|i\b|but\b|because\b|in\b|with\b|provided\b|if\b))", "yes"),
    (r"no(?=\s*(?:[.,;:!)\-–—]|$|we\b|i\b|but\b|because\b))", "no"),
)
_STANCE_PATTERNS = tuple((re.compile(pattern, re.IGNORECASE), key) for pattern, key in _STANCES)
# Words before the position that do not change it: "Our position: ", "On balance, ", "Overall, ".
_LEAD_IN = re.compile(
    r"^(?:(?:(?:our|your|the)\s+)?(?:position|answer|response|view|stance)\s*[:\-–—]\s*"
    r"|(?:on\s+balance|overall|in\s+short|in\s+summary|in\s+brief|broadly\s+speaking)\s*,?\s+)",
    re.IGNORECASE,
)
# When a question has no option for what was written, the nearest that means the same.
_NEAREST = {
    "strongly agree": ("agree", "yes", "tend to agree"),
    "tend to agree": ("agree", "yes"),
    "in principle": ("tend to agree", "agree", "yes"),
    "agree": ("yes", "tend to agree"),
    "yes": ("agree",),
    "strongly disagree": ("disagree", "no", "tend to disagree"),
    "tend to disagree": ("disagree", "no"),
    "disagree": ("no", "tend to disagree"),
    "no": ("disagree",),
    "neither": ("don't know",),
}
# Option labels that are not stances of their own but name one.
_OPTION_NAMES = {
    "partly": "partly",
    "partially": "partly",
    "in part": "partly",
    "partly agree": "partly",
    "somewhat": "partly",
    "agree in principle": "in principle",
    "support in principle": "in principle",
    "support": "agree",
    "oppose": "disagree",
}


def read_stance(line: str) -> Stance:
    """Find a position at the start of an answer's first line; ``NO_STANCE`` when there is none."""
    stripped = line.strip()
    text = _LEAD_IN.sub("", stripped)
    for pattern, key in _STANCE_PATTERNS:
        match = pattern.match(text)
        if match:
            remainder = text[match.end() :].strip(" .!,;:-–—")
            words = stripped[: len(stripped) - len(text) + match.end()].strip(" ,;:-–—")
            return Stance(key, words, not remainder)
    return NO_STANCE


def recognise_stance(line: str) -> tuple[str, str, bool]:
    """Return (stance, the words, whether that is all) for the start of a line."""
    stance = read_stance(line)
    return stance.key, stance.words, stance.alone


def _option_key(option: str) -> str:
    name = " ".join(option.casefold().replace("’", "'").split()).strip(" .")
    if name in _OPTION_NAMES:
        return _OPTION_NAMES[name]
    stance = read_stance(option)
    return stance.key if stance.alone else ""


@lru_cache(maxsize=1024)
def _labelled(options: tuple[str, ...]) -> dict[str, str]:
    """Map each stance to the first option that says it (cached: questions share option lists)."""
    labelled: dict[str, str] = {}
    for option in options:
        key = _option_key(option)
        if key:
            labelled.setdefault(key, option)
    return labelled


def option_for(stance: str, question: QuestionLike | None) -> str:
    """Return the question's option that says the stance, or "" when none does."""
    if not stance or question is None or question.kind == "open" or not question.options:
        return ""
    labelled = _labelled(tuple(question.options))
    for candidate in (stance, *_NEAREST.get(stance, ())):
        if candidate in labelled:
            return labelled[candidate]
    return ""
