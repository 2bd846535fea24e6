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


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def in_words(number: int) -> str:
    """Return a count for running text: 'one' to 'nine' in words, 10 and over in figures."""
    return NUMBER_WORDS[number] if 0 <= number < len(NUMBER_WORDS) else f"{number:,}"


def agreeing(number: int, one: str, many: str) -> str:
    """Return the verb that agrees with a count: agreeing(1, "differs", "differ")."""
    return one if number == 1 else many


def possessive(name: str) -> str:
    """Return "Aoife Byrne's", and "Mourne Food Processors'" for a name ending in s."""
    name = name.rstrip()
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"
