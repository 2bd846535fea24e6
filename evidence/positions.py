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
# Words before the position that do not change it: "Our position: ", "On balance, ", "Overall, ",
# a paragraph number.
_LEAD_IN = re.compile(
    r"^(?:\d{1,3}(?:\.\d{1,3})?[.)]\s+(?=[A-Za-z])"  # the paragraph's own number: "1. We agree"
    r"|(?:(?:our|your|the)\s+)?(?:position|answer|response|view|stance)\s*[:\-–—]\s*"
    r"|(?:our|my|the)\s+(?:position|answer|response|view)\s+is\s+(?:that\s+)?"  # "Our answer is no"
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
    if stance.startswith(OPTION_STANCE):
        # A ticked box or an option named in the answer: that option itself, if it has it.
        label = stance[len(OPTION_STANCE) :].casefold()
        return next((o for o in question.options if o.casefold() == label), "")
    labelled = _labelled(tuple(question.options))
    for candidate in (stance, *_NEAREST.get(stance, ())):
        if candidate in labelled:
            return labelled[candidate]
    return ""


# --- Options named or ticked rather than said -----------------------------------------------

OPTION_STANCE = "option:"  # a stance that is one of the question's own options, by its label
_BOX_CHARS = "☐☑☒□▢◻❏❐❑❒⬜○◯⊠■✓✔"
_TICKED = set("☑☒⊠■✓✔")
_BOX = re.compile(f"[{_BOX_CHARS}]")
_ASCII_BOX = re.compile(r"\[\s*[xX✓✔]?\s*\]")
_TYPED_TICK = re.compile(r"(?<![\w'’])[xX](?![\w'’])")
_NOT_AFTER = r"(?![\w'’])"


def _option_pattern(options: Sequence[str]) -> re.Pattern[str]:
    names = sorted({o.strip() for o in options if o.strip()}, key=len, reverse=True)
    return re.compile(
        r"(?<![\w'’])(?:" + "|".join(re.escape(n) for n in names) + ")" + _NOT_AFTER,
        re.IGNORECASE,
    )


def read_ticks(line: str, options: Sequence[str]) -> tuple[bool, str, str]:
    """Find a run of tick boxes in a line: (whether there is one, the option ticked or "", the
    line without it).

    "Yes ☒ No ☐ Don't know ☐", "☐ Yes ☒ No" and, as PDFs draw them apart, "☒ ☐ ☐Yes No Not sure"
    or "Yes No Don't know☐ ☒ ☐", on a line of their own or run into the question's wording or
    the comments after them: the boxes and the labels each keep their order, so the n-th box
    belongs to the n-th label. Exactly one ticked box gives its option; none, or several, give
    "" (the boxes are still the form's, not the partner's words).
    """
    text = _ASCII_BOX.sub(lambda m: "☒" if m.group(0).strip("[] ") else "☐", line)
    if _BOX.search(text):
        # "Yes X   No ☐": an X typed over one of the form's boxes is its tick.
        text = _TYPED_TICK.sub("☒", text)
    if len(_BOX.findall(text)) < 2 or not options:
        return False, "", line
    pattern = _option_pattern(options)
    labels = {o.strip().casefold(): o for o in options}
    # The line as boxes, labels and other words, in order; the tick run is the longest stretch
    # of boxes and labels with nothing else between them.
    tokens: list[tuple[str, int, int, str]] = []
    position = 0
    while position < len(text):
        if text[position] in _BOX_CHARS:
            tokens.append(("box", position, position + 1, text[position]))
            position += 1
            continue
        match = pattern.match(text, position)
        if match and (position == 0 or not text[position - 1].isalnum()):
            tokens.append(("label", position, match.end(), labels[match.group(0).casefold()]))
            position = match.end()
            continue
        word = re.match(r"[^\s☐☑☒□▢◻❏❐❑❒⬜○◯⊠■✓✔]+", text[position:])
        if word and re.search(r"\w", word.group(0)):
            tokens.append(("word", position, position + word.end(), ""))
            position += word.end()
        else:
            position += 1
    runs: list[list[tuple[str, int, int, str]]] = [[]]
    for token in tokens:
        if token[0] == "word":
            runs.append([])
        else:
            runs[-1].append(token)
    for run in sorted(runs, key=len, reverse=True):
        boxes = [t[3] for t in run if t[0] == "box"]
        found = [t[3] for t in run if t[0] == "label"]
        if len(boxes) >= 2 and len(found) == len(boxes):
            ticked = [o for o, box in zip(found, boxes, strict=True) if box in _TICKED]
            rest = tidy_line(text[: run[0][1]] + " " + text[run[-1][2] :])
            return True, ticked[0] if len(ticked) == 1 else "", rest
    return False, "", line


def tidy_line(text: str) -> str:
    """Collapse white space, as the readers do."""
    return " ".join(text.split())


def named_option(line: str, options: Sequence[str]) -> str:
    """Return the option an answer opens with by name ("Fairly easy. Most schools ...",
    "Option 2. A deposit scheme ..." for "Option 2: a deposit return scheme"), or ""."""
    text = line.strip()
    names: dict[str, list[str]] = {}
    for option in options:
        names.setdefault(option.strip().casefold(), []).append(option)
        label = option.split(":", 1)[0].strip()
        if ":" in option and label and len(label.split()) <= 4:
            names.setdefault(label.casefold(), []).append(option)
    for name in sorted(names, key=len, reverse=True):
        if len(set(names[name])) != 1:
            continue  # a short label two options share says neither
        if re.match(re.escape(name) + r"(?=\s*(?:[.,;:!)\-–—]|$))", text, re.IGNORECASE):
            return names[name][0]
    return ""
