"""Plain English in small pieces: a count with its noun in the right number, the verb that goes
with a count, and a name's possessive. One place, so that no page says "1 sections differ" or
"Mourne Food Processors's"."""

from __future__ import annotations


def plural(number: int, noun: str, many: str | None = None) -> str:
    """Return the noun for this many: 'section' for 1, 'sections' (or ``many``) otherwise."""
    return noun if number == 1 else many or noun + "s"


def counted(number: int, noun: str, many: str | None = None) -> str:
    """Return '1 section', '3 sections', '1,200 answers' (or the plural given as ``many``)."""
    return f"{number:,} {plural(number, noun, many)}"


# fmt: off
NUMBER_WORDS = (
    "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
)
# fmt: on


def in_words(number: int, *, up_to: int = 9) -> str:
    """Return a count for running text: in words up to ``up_to`` (nine; the draft's prose goes
    to twenty), in figures above it."""
    return NUMBER_WORDS[number] if 0 <= number <= min(up_to, 20) else f"{number:,}"


def agreeing(number: int, one: str, many: str) -> str:
    """Return the verb that agrees with a count: agreeing(1, "differs", "differ")."""
    return one if number == 1 else many


def possessive(name: str) -> str:
    """Return "Aoife Byrne's", and "Mourne Food Processors'" for a name ending in s."""
    name = name.rstrip()
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"
