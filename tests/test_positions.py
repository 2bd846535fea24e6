"""Positions read from the opening words of a partner's answer, mapped to a question's options."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from evidence.positions import option_for, read_stance

AGREEMENT = ("Agree", "Disagree", "Neither agree nor disagree", "Don't know")


@pytest.mark.parametrize(
    ("line", "stance", "words", "alone"),
    [
        ("We disagree.", "disagree", "We disagree", True),
        ("Disagree", "disagree", "Disagree", True),
        ("We do not agree with this proposal", "disagree", "We do not agree", False),
        (
            "The council strongly agrees with this",
            "strongly agree",
            "The council strongly agrees",
            False,
        ),
        ("Strongly agree", "strongly agree", "Strongly agree", True),
        ("Yes, but only with funding", "yes", "Yes", False),
        ("Yes, provided the threshold reflects regional wages.", "yes", "Yes", False),
        ("No.", "no", "No", True),
        ("No, because care homes would close.", "no", "No", False),
        ("Not sure.", "don't know", "Not sure", True),
        (
            "Our position: Neither agree nor disagree",
            "neither",
            "Our position: Neither agree nor disagree",
            True,
        ),
        ("Partly.", "partly", "Partly", True),
        ("We partly agree", "partly", "We partly agree", True),
        ("We agree in part.", "partly", "We agree in part", True),
        ("We support in principle", "in principle", "We support in principle", True),
        (
            "We support the proposal in principle, but",
            "in principle",
            "We support the proposal in principle",
            False,
        ),
        ("In principle, yes.", "in principle", "In principle, yes", True),
        ("On balance, we agree.", "agree", "On balance, we agree", True),
        ("The Trust supports this.", "agree", "The Trust supports this", True),
        ("We welcome the proposed changes.", "agree", "We welcome the proposed changes", True),
        ("We strongly oppose this change.", "strongly disagree", "We strongly oppose", False),
        ("We oppose the removal of appeal rights.", "disagree", "We oppose", False),
        ("We cannot support this.", "disagree", "We cannot support", False),
        ("We object to the change.", "disagree", "We object to", False),
    ],
)
def test_read_stance_reads_the_position_a_partner_wrote(line, stance, words, alone):
    found = read_stance(line)

    assert (found.key, found.words, found.alone) == (stance, words, alone)


@pytest.mark.parametrize(
    "line",
    [
        "No recourse to public funds leaves families destitute.",
        "Agreements with landlords are failing.",
        "Yesterday we met the Home Office.",
        "Nobody asked us.",
        "Support for families is vital.",
        "Supporting evidence is attached.",
        "We support the aim of helping partners learn English, but B1 is too high.",
        "We are concerned that the threshold is too high.",
    ],
)
def test_read_stance_takes_no_position_from_words_that_give_none(line):
    assert read_stance(line).key == ""


@dataclass(frozen=True)
class Question:
    id: int
    number: str
    text: str
    kind: str
    options: tuple[str, ...]


def question(options: tuple[str, ...]) -> Question:
    return Question(1, "Q1", "?", "hybrid" if options else "open", options)


@pytest.mark.parametrize(
    ("stance", "options", "label"),
    [
        ("disagree", AGREEMENT, "Disagree"),
        ("strongly agree", AGREEMENT, "Agree"),
        ("strongly agree", ("Strongly agree", "Agree", "Disagree"), "Strongly agree"),
        ("yes", AGREEMENT, "Agree"),
        ("disagree", ("Yes", "No"), "No"),
        ("no", AGREEMENT, "Disagree"),
        ("don't know", ("Yes", "No", "Not sure"), "Not sure"),
        ("in principle", AGREEMENT, "Agree"),
        ("in principle", ("Strongly agree", "Tend to agree", "Tend to disagree"), "Tend to agree"),
        ("in principle", ("Yes", "No"), "Yes"),
        ("partly", ("Yes", "No", "Partly", "Don't know"), "Partly"),
        ("partly", ("Yes", "No", "In part"), "In part"),
        ("partly", AGREEMENT, ""),  # no option says "partly": the officer chooses
        ("neither", AGREEMENT, "Neither agree nor disagree"),
        ("agree", (), ""),  # an open question takes no position
    ],
)
def test_option_for_maps_a_stance_to_the_questions_own_labels(stance, options, label):
    assert option_for(stance, question(options)) == label
