"""Grouping what partners said alike: near-duplicate answers and shared points (TF-IDF cosine)."""

from __future__ import annotations

import pytest

from evidence.similar import (
    ANSWER_THRESHOLD,
    SENTENCE_THRESHOLD,
    Statement,
    group_near_duplicate_answers,
    group_statements,
    is_content,
    shared_points,
    split_sentences,
    terms,
    vectorise,
)

TEMPLATE = (
    "We support the joint statement of the migrant support network. The proposals would push "
    "more families into poverty and separation. A single UK income threshold ignores the lower "
    "wages paid in Northern Ireland. We urge the Home Office to publish a regional impact "
    "assessment before deciding."
)
EDITS = (
    ("", ""),
    ("push more families", "force more families"),
    ("We urge", "We ask"),
    ("poverty and separation", "poverty, debt and separation"),
    ("before deciding", "before it decides"),
)
OTHER_ANSWERS = (
    "Classes at B1 level are hard to find outside Belfast, and very few offer childcare.",
    "Our tenancy sustainment officers spent around 420 hours with these households last year.",
)


def statement(answer_id: int, organisation: str, text: str) -> Statement:
    return Statement(answer_id=answer_id, organisation=organisation, text=text)


def campaign() -> list[Statement]:
    """Five organisations send the network's template, lightly edited; two write their own."""
    answers = [
        statement(n, f"Organisation {n}", TEMPLATE.replace(old, new) if old else TEMPLATE)
        for n, (old, new) in enumerate(EDITS, start=1)
    ]
    answers += [
        statement(10 + n, f"Other {n}", text) for n, text in enumerate(OTHER_ANSWERS, start=1)
    ]
    return answers


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("We disagree. It is unfair.", ["We disagree.", "It is unfair."]),
        (
            "Some areas, e.g. Belfast, are hit hard. Dr. Graham agrees.",
            ["Some areas, e.g. Belfast, are hit hard.", "Dr. Graham agrees."],
        ),
        ("No. Article 8 is a qualified right.", ["No.", "Article 8 is a qualified right."]),
        ("We visited No. 10 Downing Street.", ["We visited No. 10 Downing Street."]),
        (
            "Costs rose by 2.5% in 2025. £38,600 went on grants.",
            ["Costs rose by 2.5% in 2025.", "£38,600 went on grants."],
        ),
        ("  ", []),
    ],
)
def test_split_sentences_keeps_abbreviations_and_decimals_inside_their_sentence(
    text: str, sentences: list[str]
) -> None:
    assert split_sentences(text) == sentences


def test_terms_fold_american_spellings_and_plurals_into_british_singulars() -> None:
    assert terms("Organizations prioritize the councils' policies") == terms(
        "organisation prioritise council policy"
    )


def test_terms_drop_english_stop_words() -> None:
    assert terms("We would not do this at all") == []


def test_a_bare_position_is_not_a_point_of_its_own() -> None:
    assert not is_content("We disagree.")
    assert is_content("ESOL classes in Omagh are oversubscribed.")


def test_near_duplicate_answers_form_one_group_counting_five_partners() -> None:
    groups = group_near_duplicate_answers(campaign())

    assert groups[0].partners == 5
    assert groups[0].answer_ids == (1, 2, 3, 4, 5)
    assert [group.partners for group in groups[1:]] == [1, 1]


def test_a_point_counts_organisations_not_answers() -> None:
    same_point = "Waiting lists for ESOL classes in Belfast are far too long."
    answers = [
        statement(1, "Belfast Council", same_point),
        statement(2, "Belfast Council", same_point.replace("far", "much")),
        statement(3, "Belfast Council", same_point),
        statement(4, "Refugee Forum", same_point.replace("are", "remain")),
        statement(5, "Health Trust", same_point),
    ]

    (group,) = group_statements(answers)

    assert group.partners == 3
    assert group.organisations == ("Belfast Council", "Health Trust", "Refugee Forum")
    assert group.answer_ids == (1, 2, 3, 4, 5)


def test_shared_points_finds_a_sentence_several_partners_wrote_in_their_own_words() -> None:
    answers = [
        statement(1, "Trust", "Consistent decisions would help everyone. We say yes."),
        statement(2, "Police", "Consistent decisions help public confidence in the system."),
        statement(3, "Council", "Housing waiting lists in Derry are the longest in years."),
    ]

    (point,) = shared_points(answers)

    assert point.partners == 2
    assert point.answer_ids == (1, 2)
    assert {s.text for s in point.statements} == {
        "Consistent decisions would help everyone.",
        "Consistent decisions help public confidence in the system.",
    }


def test_shared_points_leaves_bare_positions_out_even_when_everyone_wrote_them() -> None:
    answers = [statement(n, f"Partner {n}", "We disagree.") for n in range(1, 6)]

    assert shared_points(answers) == []


def test_shared_points_can_list_points_made_by_one_partner_too() -> None:
    answers = [statement(1, "Trust", "Interpreting costs the Trust £1.2 million a year.")]

    (point,) = shared_points(answers, min_partners=1)

    assert point.partners == 1
    assert point.closeness == (1.0,)


def test_unrelated_sentences_on_one_question_stay_apart() -> None:
    groups = group_statements(
        [
            statement(1, "A", "The minimum income threshold is far too high for Northern Ireland."),
            statement(2, "B", "Schools need funding for newcomer pupils learning English."),
            statement(3, "C", "Domestic abuse victims need settlement in their own right."),
        ]
    )

    assert [group.partners for group in groups] == [1, 1, 1]


def test_the_representative_is_the_member_closest_to_the_centroid() -> None:
    answers = [
        statement(1, "A", "ESOL waiting lists in Belfast are long."),
        statement(2, "B", "ESOL waiting lists in Belfast are long and classes are full."),
        statement(3, "C", "ESOL classes are full and waiting lists in Belfast are long, we find."),
    ]

    (group,) = group_statements(answers, threshold=0.3)
    best = max(range(3), key=lambda i: group.closeness[i])

    assert group.representative == group.statements[best]
    assert all(0.0 < value <= 1.0 + 1e-6 for value in group.closeness)


def test_groups_come_with_most_partners_first_and_the_same_every_time() -> None:
    answers = campaign()

    first = group_statements(answers, threshold=ANSWER_THRESHOLD)
    again = group_statements(list(answers), threshold=ANSWER_THRESHOLD)

    assert first == again
    assert [group.partners for group in first] == sorted(
        (group.partners for group in first), reverse=True
    )


def test_every_statement_lands_in_exactly_one_group() -> None:
    sentences = [
        Statement(a.answer_id, a.organisation, text, index)
        for a in campaign()
        for index, text in enumerate(split_sentences(a.text))
    ]

    groups = group_statements(sentences, threshold=SENTENCE_THRESHOLD)

    grouped = [s for group in groups for s in group.statements]
    assert sorted(grouped, key=sentences.index) == sentences


def test_group_statements_accepts_vectors_weighed_against_a_wider_set() -> None:
    answers = campaign()
    vectors = vectorise([a.text for a in answers])

    assert (
        group_statements(answers[:5], vectors=vectors[:5], threshold=ANSWER_THRESHOLD)[0].partners
        == 5
    )


def test_group_statements_refuses_vectors_that_do_not_match_the_statements() -> None:
    answers = campaign()

    with pytest.raises(ValueError, match="7 statements but 2 vectors; give one vector per"):
        group_statements(answers, vectors=vectorise(["one text", "another text"]))


def test_nothing_to_group_gives_no_groups() -> None:
    assert group_statements([]) == []
    assert shared_points([]) == []
