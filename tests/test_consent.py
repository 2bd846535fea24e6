"""The consent policy: labels, one numbering, one sector threshold, names taken out of words."""

from __future__ import annotations

import pytest

from evidence.consent import (
    CONSENT_CHOICES,
    PLACE,
    SECTOR_THRESHOLD,
    Consent,
    Partner,
    Policy,
    UnknownOrganisation,
    consent_of,
    sector_partner,
)
from evidence.facts import AnswerFact

REFERENCE = "HO-FM-2026"


def fact(n: int, organisation: str, consent: str = "named", **changes: object) -> AnswerFact:
    values: dict[str, object] = {
        "answer_id": n,
        "question_id": 1,
        "organisation": organisation,
        "sector": "health",
        "consent": consent,
        "position": "Disagree",
        "text": "Text.",
    }
    values.update(changes)
    return AnswerFact(**values)  # type: ignore[arg-type]


def policy_of(*partners: tuple[str, str, str] | tuple[str, str, str, str]) -> Policy:
    """(organisation, sector, consent[, area]) per partner."""
    return Policy.of_partners(
        (Partner(p[0], p[1], Consent(p[2]), p[3] if len(p) > 3 else "") for p in partners),
        reference=REFERENCE,
    )


HEALTH_PAIR = policy_of(
    ("Eastern Health and Care Trust", "health", "named"),
    ("Sperrin Health and Care Trust", "health", "sector", "Western"),
    ("Churches Together for Sanctuary", "faith", "anonymous", "Belfast"),
    ("Belfast City Council", "local authority", "named", "Belfast"),
    ("Mid Ulster District Council", "local authority", "sector", "Mid Ulster"),
    ("Schools and Skills Authority NI", "education", "anonymous", "Northern Ireland"),
)


def test_consent_choices_are_the_three_stored_values_in_the_partners_words():
    assert list(CONSENT_CHOICES) == ["named", "sector", "anonymous"]
    assert [Consent(value) for value in CONSENT_CHOICES] == list(Consent)
    assert CONSENT_CHOICES["sector"].startswith("By our sector only")


@pytest.mark.parametrize(
    ("stored", "consent"),
    [
        ("named", Consent.NAMED),
        ("sector", Consent.SECTOR),
        (None, Consent.ANONYMOUS),
        ("", Consent.ANONYMOUS),
        ("public", Consent.ANONYMOUS),
    ],
)
def test_a_missing_or_unknown_consent_counts_as_anonymous(stored, consent):
    assert consent_of(stored) is consent


@pytest.mark.parametrize(
    ("sector", "phrase"),
    [
        ("health", "a health partner"),
        ("local authority", "a local authority partner"),
        ("voluntary and community", "a voluntary and community sector partner"),
        ("education", "an education partner"),
        ("other", "a partner"),
        ("", "a partner"),
    ],
)
def test_sector_partner_takes_the_right_article(sector, phrase):
    assert sector_partner(sector) == phrase


def test_labels_follow_consent_and_a_sector_shows_only_where_three_share_it():
    three = policy_of(
        ("Council A", "local authority", "sector"),
        ("Council B", "local authority", "named"),
        ("Council C", "local authority", "anonymous"),
        ("Trust A", "health", "sector"),
        ("Trust B", "health", "named"),
    )

    assert three.label("Council B") == "Council B"
    assert three.label("Council A") == "a local authority partner"
    assert three.label("Council C") == "a partner"  # anonymous: never its sector in prose
    assert three.label("Trust A") == "a partner"  # only two health bodies: the sector names it
    assert three.sector("Council C") == "local authority"  # in a table, one of three
    assert three.sector("Trust A") == ""
    assert three.sector("Trust B") == "health"  # named: nothing to hide
    assert three.sectors_shown() == [("local authority", SECTOR_THRESHOLD)]


def test_the_most_careful_choice_an_organisation_made_is_the_one_kept():
    policy = Policy.of(
        [
            fact(1, "Trust A", "named"),
            fact(2, "Trust A", "anonymous"),
            fact(3, "Trust A", "sector"),
        ],
        reference=REFERENCE,
    )

    assert not policy.named("Trust A")
    assert not policy.may_reproduce("Trust A")
    assert policy.annex_label("Trust A") == "Partner 1"


def test_only_an_anonymous_partners_words_may_not_be_reproduced():
    assert HEALTH_PAIR.may_reproduce("Eastern Health and Care Trust")
    assert HEALTH_PAIR.may_reproduce("Sperrin Health and Care Trust")
    assert not HEALTH_PAIR.may_reproduce("Churches Together for Sanctuary")


def test_numbers_are_the_same_whatever_order_the_answers_arrive_in():
    names = [f"Organisation {letter}" for letter in "ABCDEFGHIJKL"]
    answers = [fact(n, name, "anonymous") for n, name in enumerate(names, start=1)]

    forward = Policy.of(answers, reference=REFERENCE)
    backward = Policy.of(answers[::-1], reference=REFERENCE)

    labels = [forward.annex_label(name) for name in names]
    assert labels == [backward.annex_label(name) for name in names]
    assert sorted(labels, key=lambda label: int(label.split()[1])) == [
        f"Partner {n}" for n in range(1, 13)
    ]
    assert labels != sorted(labels, key=lambda label: int(label.split()[1]))  # not alphabetical


def test_another_consultation_numbers_the_same_partners_differently():
    answers = [fact(n, f"Organisation {n}", "anonymous") for n in range(1, 13)]

    here = Policy.of(answers, reference=REFERENCE)
    there = Policy.of(answers, reference="HO-AA-2026-11")

    assert [here.number(a.organisation) for a in answers] != [
        there.number(a.organisation) for a in answers
    ]


def test_a_named_partner_is_named_in_tables_and_others_are_numbered():
    assert HEALTH_PAIR.annex_label("Belfast City Council") == "Belfast City Council"
    assert HEALTH_PAIR.annex_label("Churches Together for Sanctuary").startswith("Partner ")


def test_asking_about_an_organisation_that_gave_no_answer_is_refused():
    with pytest.raises(UnknownOrganisation, match="'Nobody' gave none of the answers"):
        HEALTH_PAIR.label("Nobody")


@pytest.mark.parametrize(
    ("speaker", "text", "expected"),
    [
        # its own full name, in any case
        (
            "Churches Together for Sanctuary",
            "CHURCHES TOGETHER FOR SANCTUARY helped 37 households.",
            "[a partner] helped 37 households.",
        ),
        # the name without "NI", and its initials
        (
            "Eastern Health and Care Trust",
            "Schools and Skills Authority told us; so did SSANI and the SSA.",
            "[a partner] told us; so did [a partner] and the [a partner].",
        ),
        # another partner's short name for it
        (
            "Eastern Health and Care Trust",
            "We work with the Sperrin Trust and Churches Together.",
            "We work with the [a partner] and [a partner].",
        ),
        # a place-like core only in the council's own words: Mid Ulster supports ...
        (
            "Mid Ulster District Council",
            "Mid Ulster supports the change.",
            "[a partner] supports the change.",
        ),
        (
            "Eastern Health and Care Trust",
            "Families in Mid Ulster wait longest.",
            "Families in Mid Ulster wait longest.",
        ),
        (
            "Belfast City Council",
            "Mid Ulster Council agrees with us.",
            "[a partner] agrees with us.",
        ),
        # named partners stay named
        (
            "Sperrin Health and Care Trust",
            "Eastern Health and Care Trust agrees.",
            "Eastern Health and Care Trust agrees.",
        ),
    ],
)
def test_scrub_takes_every_unnamed_partners_names_out(speaker, text, expected):
    assert HEALTH_PAIR.scrub(text, speaker) == expected


def test_scrub_takes_an_unnamed_partners_own_area_out_of_its_own_words_only():
    own = "In the Western area we made 318 home visits."

    assert HEALTH_PAIR.scrub(own, "Sperrin Health and Care Trust") == (
        f"In the {PLACE} area we made 318 home visits."
    )
    assert HEALTH_PAIR.scrub(own, "Eastern Health and Care Trust") == own
    # A named partner's name holding the place is kept; the region as a whole says nothing.
    churches = "Belfast City Council and our Belfast congregations, across Northern Ireland."
    assert HEALTH_PAIR.scrub(churches, "Churches Together for Sanctuary") == (
        f"Belfast City Council and our {PLACE} congregations, across Northern Ireland."
    )
    schools = "Schools in Northern Ireland teach newcomer pupils."
    assert HEALTH_PAIR.scrub(schools, "Schools and Skills Authority NI") == schools


def test_an_area_three_partners_cover_does_not_identify_any_of_them():
    policy = policy_of(
        ("Council A", "local authority", "sector", "Belfast"),
        ("Council B", "local authority", "named", "Belfast"),
        ("Forum C", "voluntary and community", "anonymous", "Belfast"),
    )

    assert policy.scrub("Families in Belfast wait.", "Forum C") == "Families in Belfast wait."


def test_scrub_leaves_a_named_partners_words_about_itself_alone():
    text = "Belfast City Council asked us (BCC) to say so."

    assert HEALTH_PAIR.scrub(text, "Belfast City Council") == text
    assert not HEALTH_PAIR.names_unnamed(text)
    assert HEALTH_PAIR.names_unnamed("Ask the Sperrin Trust.")
