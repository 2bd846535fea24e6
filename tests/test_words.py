"""Plain English in small pieces (consultations/words.py), and no page or message spelling its own
plural or possessive: "1 sections differ" and "Mourne Food Processors's" were seen by a new user."""

from __future__ import annotations

import re

import pytest

from consultations.words import agreeing, counted, in_words, plural, possessive
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("number", "expected"),
    [(0, "0 sections"), (1, "1 section"), (2, "2 sections"), (1200, "1,200 sections")],
)
def test_a_count_takes_the_noun_in_the_right_number(number, expected):
    assert counted(number, "section") == expected


@pytest.mark.parametrize(
    ("number", "expected"), [(0, "no"), (1, "one"), (9, "nine"), (10, "10"), (1200, "1,200")]
)
def test_a_count_in_running_text_is_in_words_up_to_nine(number, expected):
    assert in_words(number) == expected


def test_an_irregular_plural_is_given_and_the_verb_agrees_with_the_count():
    assert counted(3, "person", "people") == "3 people"
    assert plural(1, "person", "people") == "person"
    assert f"1 {agreeing(1, 'differs', 'differ')}" == "1 differs"
    assert f"4 {agreeing(4, 'differs', 'differ')}" == "4 differ"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Aoife Byrne", "Aoife Byrne's"),
        ("Mourne Food Processors", "Mourne Food Processors'"),
        ("NI Strategic Migration Partnership", "NI Strategic Migration Partnership's"),
        ("BELFAST CITY COUNCILS ", "BELFAST CITY COUNCILS'"),
    ],
)
def test_a_possessive_of_a_name_ending_in_s_takes_the_apostrophe_alone(name, expected):
    assert possessive(name) == expected


HAND_MADE_PLURAL = re.compile(r"""\{['"](s|has|have|was|were|is|are)['"] if """)
# A name or organisation followed by 's inside an f-string: "{organisation}'s".
HAND_MADE_POSSESSIVE = re.compile(r"""\}'s\b""")


def test_no_page_or_message_makes_its_own_plural_or_possessive():
    sources = [
        *ROOT.glob("*/pages/*.py"),
        *(ROOT / "consultations" / "mail").glob("*.py"),
        *(ROOT / "consultations").glob("*.py"),
        *(ROOT / "evidence").glob("*.py"),
    ]
    found = []
    for path in sources:
        if path.name == "words.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            possessive_here = HAND_MADE_POSSESSIVE.search(line) and "number}'s" not in line
            if HAND_MADE_PLURAL.search(line) or possessive_here:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
