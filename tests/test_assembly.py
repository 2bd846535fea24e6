"""Assembling the first draft from the evidence: sections, counts, consent, references, wording.

The realistic fixture is the demo: the family migration consultation's questions and partners
(``consultations.demo``), their submitted answers (``evidence/demo_answers.json``), tagged by
the real rule tagger. Smaller cases are built by hand with ``answer`` and ``evidence_of``.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from consultations import demo
from evidence.consent import Policy
from evidence.similar import split_sentences
from evidence.tagger import build_tagger, load_default_taxonomy
from exports.assembly import (
    MAX_QUOTE_WORDS,
    AssemblyError,
    article,
    assemble,
    attribution,
    count_positions,
    join_words,
    position_summary,
    position_verb,
)
from exports.draft_model import AnswerFact, Block, Draft, Evidence, QuestionFact, ThemeFact
from exports.gate import holds

ROOT = Path(__file__).resolve().parent.parent
DEMO_ANSWERS = ROOT / "evidence" / "demo_answers.json"
TODAY = date(2026, 11, 29)
AGREE = ("Agree", "Disagree", "Neither agree nor disagree", "Don't know")
CLOSED = QuestionFact(
    id=1, number="Q1", text="Do you agree with the proposal?", kind="hybrid", options=AGREE
)
OPEN = QuestionFact(id=2, number="Q2", text="What would the impact be in your area?", kind="open")
THEMES = tuple(ThemeFact(t.id, t.label, t.description) for t in load_default_taxonomy())
EVIDENCE_KINDS = ("point", "quote", "figure", "table")
PHRASINGS = (
    "said that",
    "pointed out",
    "told us",
    "According to",
    "view,",
    "made the point",
    "noted that",
    "A point made by",
    "agreement among",
)


def answer(
    answer_id: int,
    organisation: str,
    text: str = "",
    *,
    question: QuestionFact = CLOSED,
    position: str = "",
    sector: str = "health",
    consent: str = "named",
    themes: tuple[str, ...] = (),
    figures: tuple[str, ...] = (),
    regional: bool = False,
) -> AnswerFact:
    return AnswerFact(
        answer_id=answer_id,
        question_id=question.id,
        organisation=organisation,
        sector=sector,
        consent=consent,
        position=position,
        text=text,
        themes=themes,
        figures=figures,
        regional=regional,
    )


def evidence_of(
    *answers: AnswerFact, questions: tuple[QuestionFact, ...] = (CLOSED, OPEN), about: str = ""
) -> Evidence:
    return Evidence(
        partnership="Northern Ireland Strategic Migration Partnership",
        region="Northern Ireland",
        title="Family migration: a consultation",
        reference="HO-FM-2026-07",
        department="Home Office",
        closes_on=date(2026, 12, 23),
        about=about,
        questions=questions,
        themes=THEMES,
        answers=answers,
        today=TODAY,
    )


def positions(*chosen: str, question: QuestionFact = CLOSED) -> list[AnswerFact]:
    return [
        answer(n, f"Partner organisation {n}", question=question, position=position)
        for n, position in enumerate(chosen, start=1)
    ]


def blocks_of(draft: Draft, kind: str | None = None) -> list[Block]:
    return [b for s in draft.sections for b in s.blocks if kind is None or b.kind == kind]


# --- the demo, tagged by the rule tagger ---------------------------------------------------


def build_demo_evidence() -> Evidence:
    """Build the demo consultation's evidence: its questions, partners and submitted answers."""
    loaded = json.loads(DEMO_ANSWERS.read_text(encoding="utf-8"))
    sector_of = {name: sector for name, sector, _ in demo.ORGANISATIONS}
    questions = tuple(
        QuestionFact(id=10 + n, number=number, text=text, kind=kind, options=tuple(options))
        for n, (number, text, kind, options) in enumerate(demo.FAMILY_QUESTIONS, start=1)
    )
    question_id = {question.number: question.id for question in questions}
    rows = [
        (name, response["consent"], given)
        for name, response in sorted(loaded["organisations"].items())
        if response["submitted"]
        for given in response["answers"]
    ]
    tagger = build_tagger(load_default_taxonomy())
    results = tagger.tag([given["comment"] for _, _, given in rows])
    answers = []
    for answer_id, ((name, consent, given), found) in enumerate(
        zip(rows, results, strict=True), start=101
    ):
        text = given["comment"]
        answers.append(
            AnswerFact(
                answer_id=answer_id,
                question_id=question_id[given["question"]],
                organisation=name,
                sector=sector_of[name],
                consent=consent,
                position=given.get("position", ""),
                text=text,
                evidence_note=given.get("evidence", ""),
                themes=tuple(s.theme_id for s in found.suggestions),
                figures=tuple(text[f.start_char : f.end_char] for f in found.figures),
                places=tuple(dict.fromkeys(place.name for place in found.places)),
                regional=found.regional_impact,
                theme_sentences=tuple(
                    (s.theme_id, text[start:end])
                    for s in found.suggestions
                    for start, end in s.sentences
                ),
            )
        )
    return evidence_of(*answers, questions=questions)


@pytest.fixture(scope="module")
def demo_evidence() -> Evidence:
    return build_demo_evidence()


@pytest.fixture(scope="module")
def demo_draft(demo_evidence: Evidence) -> Draft:
    return assemble(demo_evidence)


# --- the shape of the draft ----------------------------------------------------------------


def test_draft_has_every_section_in_order(demo_draft: Draft, demo_evidence: Evidence) -> None:
    keys = [section.key for section in demo_draft.sections]

    assert keys == [
        "cover",
        "about",
        "summary",
        *(f"question-{q.id}" for q in demo_evidence.questions),
        "recommendations",
        "annex",
    ]
    assert [s.question_id for s in demo_draft.sections if s.key.startswith("question-")] == [
        q.id for q in demo_evidence.questions
    ]


def test_cover_gives_partnership_title_reference_department_date_in_words_and_status(
    demo_draft: Draft,
) -> None:
    cover = demo_draft.section("cover")
    text = " | ".join(block.text for block in cover.blocks)

    assert cover.heading == "Family migration: a consultation"
    for expected in (
        "Northern Ireland Strategic Migration Partnership",
        "Home Office",
        "HO-FM-2026-07",
        "Sunday 29 November 2026",
        "Draft v1 for board review",
    ):
        assert expected in text
    assert demo_draft.status == "Draft v1 for board review"
    assert demo_draft.prepared_on == TODAY


def test_a_later_version_says_its_number_and_a_given_status_wins() -> None:
    evidence = evidence_of()

    assert assemble(evidence, version=3).status == "Draft v3 for board review"
    assert assemble(evidence, status="Approved by the Board on Friday 4 December 2026").status == (
        "Approved by the Board on Friday 4 December 2026"
    )
    with pytest.raises(ValueError, match=r"A draft's version starts at 1, not 0\."):
        assemble(evidence, version=0)


def test_about_counts_partners_and_lists_no_sector_fewer_than_three_share(
    demo_draft: Draft,
) -> None:
    texts = [block.text for block in demo_draft.section("about").blocks]

    # The demo's sectors have one or two partners each: listing them would name the only
    # education and faith bodies.
    assert "This response draws on answers from 9 partner organisations." in texts
    assert not any("(1)" in text or "(2)" in text for text in texts)
    assert any("Five of the nine partners agreed to be named" in text for text in texts)


def test_about_lists_the_sectors_three_or_more_partners_share() -> None:
    answers = [
        answer(n, f"Council {n}", "Text here.", sector="local authority") for n in range(1, 4)
    ] + [answer(4, "Trust", "Text here.", sector="health")]
    texts = [b.text for b in assemble(evidence_of(*answers)).section("about").blocks]

    assert (
        "This response draws on answers from 4 partner organisations, among them "
        "local authority (3)."
    ) in texts


def test_about_uses_the_partnerships_own_words_when_given() -> None:
    own = "We are the partnership.\n\nWe meet every quarter."
    about = assemble(evidence_of(about=own)).section("about")

    assert [block.text for block in about.blocks[:2]] == [
        "We are the partnership.",
        "We meet every quarter.",
    ]


def test_a_draft_with_no_answers_still_has_every_section_and_says_so() -> None:
    draft = assemble(evidence_of())

    assert [s.key for s in draft.sections] == [
        "cover",
        "about",
        "summary",
        "question-1",
        "question-2",
        "recommendations",
        "annex",
    ]
    assert draft.section("question-1").blocks[1].text == "No partner answered this question."
    assert draft.section("annex").blocks[1].rows == [
        ["Partner", "Sector", "Question", "Position", "Themes"]
    ]


def test_recommendations_list_partners_requests_with_no_note_for_the_officer(
    demo_draft: Draft,
) -> None:
    section = demo_draft.section("recommendations")

    assert section.heading == "Recommendations"
    assert holds(demo_draft) == []
    requests = [block for block in section.blocks if block.kind == "point"]
    assert requests
    assert all(block.answer_ids and block.partners >= 1 for block in requests)


def test_draft_survives_storage_as_json(demo_draft: Draft) -> None:
    assert Draft.from_json(demo_draft.to_json()) == demo_draft


# --- positions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chosen", "sentence"),
    [
        ((), "No partner answered this question."),
        (("Disagree",), "Only one partner answered this question, and it disagreed."),
        (("Don't know",), "Only one partner answered this question, and it was unsure."),
        (("Agree", "Agree"), "Both partners who answered agreed."),
        (("Agree",) * 5, "All 5 partners who answered agreed."),
        (
            ("Agree", "Disagree", "Disagree", "Agree"),
            "The 4 partners who answered were evenly divided: 2 agreed and 2 disagreed.",
        ),
        (
            ("Disagree",) * 9 + ("Agree",) * 3 + ("Don't know",) * 2,
            "Of 14 partners who answered, 9 disagreed, 3 agreed and 2 were unsure.",
        ),
        (
            ("Disagree", "Disagree", "Neither agree nor disagree", "Don't know"),
            "Of 4 partners who answered, 2 disagreed, 1 neither agreed nor disagreed and 1 was "
            "unsure.",
        ),
        (
            ("Agree", "Disagree", "Don't know"),
            "Of 3 partners who answered, 1 agreed, 1 disagreed and 1 was unsure.",
        ),
        (
            ("Agree", "Agree", ""),
            "Of 3 partners who answered, 2 agreed and 1 gave no position.",
        ),
        (
            ("Strongly support", "Agree", "Strongly support"),
            'Of 3 partners who answered, 2 chose "Strongly support" and 1 agreed.',
        ),
    ],
)
def test_position_summary_counts_and_words(chosen: tuple[str, ...], sentence: str) -> None:
    assert position_summary(CLOSED, positions(*chosen)) == sentence


@pytest.mark.parametrize(
    ("count", "sentence"),
    [
        (0, "No partner answered this question."),
        (1, "One partner answered this question."),
        (5, "Five partners answered this question."),
        (23, "A total of 23 partners answered this question."),
    ],
)
def test_position_summary_of_an_open_question_counts_who_answered(
    count: int, sentence: str
) -> None:
    answers = [answer(n, f"Partner {n}", "Text.", question=OPEN) for n in range(count)]

    assert position_summary(OPEN, answers) == sentence


@pytest.mark.parametrize(
    ("option", "several", "one"),
    [
        ("Agree", "agreed", "agreed"),
        ("Disagree", "disagreed", "disagreed"),
        (
            "Neither agree nor disagree",
            "neither agreed nor disagreed",
            "neither agreed nor disagreed",
        ),
        ("Don't know", "were unsure", "was unsure"),
        ("Don’t know", "were unsure", "was unsure"),
        ("Yes", "said yes", "said yes"),
        ("No", "said no", "said no"),
        ("Partly", 'chose "Partly"', 'chose "Partly"'),
        ("", "gave no position", "gave no position"),
    ],
)
def test_position_verbs_read_naturally_in_plural_and_singular(
    option: str, several: str, one: str
) -> None:
    assert position_verb(option, 2) == several
    assert position_verb(option, 1) == one


def test_an_organisation_with_two_answers_counts_once_by_its_latest() -> None:
    answers = [
        answer(1, "Belfast Council", position="Agree"),
        answer(2, "Belfast Council", position="Disagree"),
        answer(3, "Health Trust", position="Disagree"),
    ]

    assert position_summary(CLOSED, answers) == "Both partners who answered disagreed."
    (only,) = count_positions(CLOSED, answers)
    assert only.answer_ids == (2, 3)


def test_position_counts_add_up_to_the_partners_in_every_question(demo_draft: Draft) -> None:
    for section in demo_draft.sections:
        if not section.key.startswith("question-"):
            continue
        sentence = section.blocks[1].text
        found = re.match(r"Of (\d+) partners who answered, (.*)\.$", sentence)
        if found:
            counts = [int(n) for n in re.findall(r"(?:^|, | and )(\d+) ", found.group(2))]
            assert sum(counts) == int(found.group(1)), sentence
            assert int(found.group(1)) == len(section.blocks[1].answer_ids)


# --- consent --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("consent", "expected"),
    [("named", "Eastern Health and Care Trust"), ("sector", "a health partner"), ("anonymous", "")],
)
def test_attribution_follows_consent(consent: str, expected: str) -> None:
    fact = answer(1, "Eastern Health and Care Trust", consent=consent, sector="health")
    others = [answer(n, f"Trust {n}", consent="anonymous", sector="health") for n in (2, 3)]
    policy = Policy.of([fact, *others], reference="HO-FM-2026-07")

    assert attribution(policy, fact) == expected


def test_a_partner_alone_in_its_sector_is_quoted_as_a_partner() -> None:
    fact = answer(1, "Eastern Health and Care Trust", consent="sector", sector="health")
    policy = Policy.of([fact], reference="HO-FM-2026-07")

    assert attribution(policy, fact) == "a partner"


def quoted_evidence(consent: str, sector: str = "education", *, alone: bool = False) -> Evidence:
    text = (
        "ESOL classes at B1 level are very hard to find outside the main towns of the region. "
        "In January 2026 there were 160 people waiting for a place at our three venues alone. "
        "We would want any change to come with funded provision for rural learners."
    )
    # Two more bodies of the sector (with a position only), so that the sector may be shown.
    others = (
        ()
        if alone
        else tuple(
            answer(n, f"College {n}", position="Agree", sector=sector, consent="anonymous")
            for n in (2, 3)
        )
    )
    return evidence_of(
        answer(
            1,
            "Schools and Skills Authority NI",
            text,
            consent=consent,
            sector=sector,
            themes=("language_education",),
            figures=(split_sentences(text)[1],),
        ),
        *others,
    )


def test_a_named_partner_is_quoted_by_name() -> None:
    draft = assemble(quoted_evidence("named"))

    quotes = blocks_of(draft, "quote")
    assert quotes
    assert {quote.attribution for quote in quotes} == {"Schools and Skills Authority NI"}


def test_a_sector_partner_is_quoted_by_sector_with_the_right_article_and_never_named() -> None:
    draft = assemble(quoted_evidence("sector"))

    quotes = blocks_of(draft, "quote") + blocks_of(draft, "figure")
    assert quotes
    assert {quote.attribution for quote in quotes} == {"an education partner"}
    assert "Schools and Skills Authority NI" not in draft.to_json()


def test_a_sector_partner_alone_in_its_sector_is_quoted_without_it() -> None:
    draft = assemble(quoted_evidence("sector", alone=True))

    quotes = blocks_of(draft, "quote") + blocks_of(draft, "figure")
    assert quotes
    assert {quote.attribution for quote in quotes} == {"a partner"}
    assert "education partner" not in draft.to_json()


def test_an_anonymous_partner_is_never_quoted_named_or_described_by_sector() -> None:
    draft = assemble(quoted_evidence("anonymous"))

    assert blocks_of(draft, "quote") == []
    # Alone in its point, its own words (its 160 learners, its three venues) are not reported.
    assert not [b for b in blocks_of(draft) if 1 in b.answer_ids and b.kind in ("quote", "figure")]
    for detail in ("160", "venues", "main towns", "rural learners"):
        assert detail not in draft.to_json()
    assert "education partner" not in draft.to_json()
    assert "Schools and Skills Authority NI" not in draft.to_json()
    # Its answer still counts, in neutral words: the theme it raised.
    assert "English language and education (one partner)" in draft.to_json()


def test_an_anonymous_partners_own_name_is_taken_out_of_its_words() -> None:
    text = (
        "Churches Together for Sanctuary has helped 37 households with visa fees this year. "
        "Marriage and family life should not depend on income."
    )
    fact = answer(
        1, "Churches Together for Sanctuary", text, consent="anonymous", sector="faith",
        themes=("family",), figures=(split_sentences(text)[0],),
    )  # fmt: skip

    draft = assemble(evidence_of(fact))

    assert "Churches Together" not in draft.to_json()


def test_the_annex_numbers_unnamed_partners_and_hides_a_sector_fewer_than_three_share() -> None:
    answers = (
        answer(1, "Belfast Council", "Text one here.", sector="local authority"),
        answer(2, "Sperrin Trust", "Text two here.", sector="health", consent="sector"),
        answer(3, "Eastern Trust", "Text three here.", sector="health", consent="anonymous"),
        answer(4, "Western Trust", "Text four here.", sector="health", consent="anonymous"),
        answer(5, "Schools Authority", "Text five.", sector="education", consent="anonymous"),
    )
    draft = assemble(evidence_of(*answers))
    annex = draft.section("annex")
    table = next(block for block in annex.blocks if block.kind == "table")
    by_answer = dict(zip(table.answer_ids, table.rows[1:], strict=True))
    policy = Policy.of(answers, reference="HO-FM-2026-07")
    unnamed = ("Sperrin Trust", "Eastern Trust", "Western Trust", "Schools Authority")

    assert by_answer[1][:2] == ["Belfast Council", "local authority"]
    assert by_answer[2][:2] == [policy.annex_label("Sperrin Trust"), "health"]
    assert by_answer[3][:2] == [policy.annex_label("Eastern Trust"), "health"]  # one of three
    assert by_answer[5][:2] == [policy.annex_label("Schools Authority"), "not given"]  # alone
    assert len({policy.annex_label(name) for name in unnamed}) == 4
    assert all(policy.annex_label(name).startswith("Partner ") for name in unnamed)
    named = annex.blocks[-1].text
    assert named == (
        "Belfast Council contributed to this response and agreed to be named. "
        "Four other partners also contributed without being named."
    )
    for name in unnamed:
        assert name not in draft.to_json()


def test_demo_never_names_a_partner_that_did_not_consent(
    demo_draft: Draft, demo_evidence: Evidence
) -> None:
    stored = demo_draft.to_json()
    unnamed = {a.organisation for a in demo_evidence.answers if a.consent != "named"}
    policy = Policy.of(demo_evidence.answers, reference=demo_evidence.reference)

    assert unnamed
    for name in unnamed:
        assert name not in stored
    for block in blocks_of(demo_draft):
        facts = [a for a in demo_evidence.answers if a.answer_id in block.answer_ids]
        if block.kind in ("quote", "figure") and facts:
            (fact,) = facts
            assert block.attribution == attribution(policy, fact)
            assert block.kind == "figure" or fact.consent != "anonymous"


def test_demo_annex_lists_every_answer_and_only_named_organisations_by_name(
    demo_draft: Draft, demo_evidence: Evidence
) -> None:
    annex = demo_draft.section("annex")
    (table,) = [block for block in annex.blocks if block.kind == "table"]
    named = sorted({a.organisation for a in demo_evidence.answers if a.consent == "named"})

    assert len(table.rows) == len(demo_evidence.answers) + 1
    assert sorted(table.answer_ids) == sorted(a.answer_id for a in demo_evidence.answers)
    assert annex.blocks[-1].text.startswith(
        f"These organisations contributed to this response and agreed to be named: "
        f"{join_words(named)}."
    )


# --- references to the evidence -------------------------------------------------------------


def test_every_point_quote_figure_and_table_keeps_its_answers(
    demo_draft: Draft, demo_evidence: Evidence
) -> None:
    known = {a.answer_id for a in demo_evidence.answers}
    for block in blocks_of(demo_draft):
        assert set(block.answer_ids) <= known, block
        if block.kind in EVIDENCE_KINDS:
            assert block.answer_ids, block


def test_a_question_section_draws_only_on_answers_to_that_question(
    demo_draft: Draft, demo_evidence: Evidence
) -> None:
    question_of = {a.answer_id: a.question_id for a in demo_evidence.answers}
    for section in demo_draft.sections:
        if section.question_id is None:
            continue
        assert {question_of[i] for i in section.answer_ids()} <= {section.question_id}
        assert section.answer_ids()


def test_a_points_partner_count_is_its_distinct_organisations(
    demo_draft: Draft, demo_evidence: Evidence
) -> None:
    organisation = {a.answer_id: a.organisation for a in demo_evidence.answers}
    for block in blocks_of(demo_draft, "point"):  # summary points too
        assert block.partners == len({organisation[i] for i in block.answer_ids}), block


def test_a_point_five_partners_made_says_five_even_with_more_answers() -> None:
    point = "Waiting lists for ESOL classes in Omagh and Enniskillen are longer than a year."
    answers = [
        answer(
            n, name, point.replace("longer", word), sector=sector, themes=("language_education",)
        )
        for n, (name, sector, word) in enumerate(
            [
                ("Fermanagh Council", "local authority", "longer"),
                ("Fermanagh Council", "local authority", "much longer"),
                ("Western Trust", "health", "longer"),
                ("Omagh Migrant Centre", "voluntary and community", "far longer"),
                ("Enniskillen College", "education", "longer"),
                ("Sperrin Foods", "employer", "now longer"),
            ],
            start=1,
        )
    ]

    draft = assemble(evidence_of(*answers))
    (shared,) = [b for b in draft.section("question-1").blocks if b.kind == "point"]

    assert shared.partners == 5
    assert shared.answer_ids == [1, 2, 3, 4, 5, 6]
    assert "five partners" in shared.text.lower()
    assert "six" not in shared.text.lower()


def test_a_point_made_with_different_figures_gives_them_as_one_partners_not_everyones() -> None:
    said = "Last year we supported {} families with no recourse to public funds in the city."
    answers = [
        answer(n, name, said.format(families), themes=("nrpf",))
        for n, (name, families) in enumerate(
            [("Belfast Council", 63), ("Derry Council", 41), ("Newry Council", 12)], start=1
        )
    ]

    section = assemble(evidence_of(*answers)).section("question-1")
    (point,) = [block for block in section.blocks if block.kind == "point"]

    assert point.partners == 3
    assert re.search(r"each with figures of their own|with their own figures", point.text)
    assert sum(str(n) in point.text for n in (63, 41, 12)) == 1


def test_references_such_as_section_75_are_not_figures_of_their_own() -> None:
    answers = [
        answer(1, "Belfast Council", "Public bodies here have duties under Section 75 of the "
               "Northern Ireland Act 1998 to promote equality.", themes=("legal_rights",)),
        answer(2, "Refugee Forum", "Public bodies here have duties under Section 75 to promote "
               "equality of opportunity.", themes=("legal_rights",)),
    ]  # fmt: skip

    points = [b for b in blocks_of(assemble(evidence_of(*answers)), "point") if b.partners == 2]

    assert points
    assert all("figures" not in point.text for point in points)


# --- themes and quotes ----------------------------------------------------------------------


def test_themes_come_most_partners_first_not_most_answers() -> None:
    said = [
        # Housing: four answers, but from two organisations.
        ("Ulster Homes", "Private landlords ask about status before any tenancy.", "accommodation"),
        (
            "Ulster Homes",
            "Social housing waiting lists are long in Belfast today.",
            "accommodation",
        ),
        ("Ulster Homes", "Overcrowding is a real concern in west Belfast homes.", "accommodation"),
        (
            "Belfast Council",
            "Temporary accommodation is far from schools and work.",
            "accommodation",
        ),
        # Health: three answers from three organisations.
        ("Eastern Trust", "Mental health teams see harm from insecure status.", "health"),
        ("Sperrin Trust", "GP registration is still hard for newly arrived families.", "health"),
        ("Refugee Forum", "Anxiety and depression rise while families wait for years.", "health"),
    ]
    answers = [
        answer(n, name, text, themes=(theme,)) for n, (name, text, theme) in enumerate(said, 1)
    ]

    section = assemble(evidence_of(*answers)).section("question-1")
    headings = [b.text for b in section.blocks if b.kind == "subheading"]

    assert headings[:2] == ["Health and wellbeing", "Housing and accommodation"]


def test_demo_themes_in_each_question_are_ordered_by_partners(
    demo_draft: Draft, demo_evidence: Evidence
) -> None:
    organisation = {a.answer_id: a.organisation for a in demo_evidence.answers}
    for section in demo_draft.sections:
        if section.question_id is None:
            continue
        counts = [
            len({organisation[i] for i in block.answer_ids})
            for block in section.blocks
            if block.kind == "subheading" and block.theme
        ]
        assert counts == sorted(counts, reverse=True), section.key


def test_a_quote_prefers_the_answer_with_figures() -> None:
    shared = "Waiting lists for ESOL classes are far too long across the whole of the region."
    with_figures = f"{shared} We counted 212 adults waiting for a place in March 2026."
    without = f"{shared} Many adults wait a very long time for a place."
    for figure_first in (True, False):
        texts = [with_figures, without] if figure_first else [without, with_figures]
        answers = [
            answer(
                n,
                name,
                text,
                themes=("language_education",),
                figures=tuple(s for s in split_sentences(text) if re.search(r"\d", s)),
            )
            for n, (name, text) in enumerate(zip(("Forum A", "Forum B"), texts, strict=True), 1)
        ]

        quotes = blocks_of(assemble(evidence_of(*answers)), "quote")

        assert quotes, figure_first
        assert "212 adults" in quotes[0].text


def test_quotes_are_whole_sentences_under_the_word_limit_and_at_most_two_a_theme(
    demo_draft: Draft, demo_evidence: Evidence
) -> None:
    text_of = {a.answer_id: a.text for a in demo_evidence.answers}
    for section in demo_draft.sections:
        per_theme = Counter(b.theme for b in section.blocks if b.kind == "quote")
        assert all(count <= 2 for count in per_theme.values()), section.key
        for block in section.blocks:
            if block.kind != "quote":
                continue
            (answer_id,) = block.answer_ids
            assert len(block.text.split()) <= MAX_QUOTE_WORDS
            # Word for word, except a dropped "However," marked "[T]he ...".
            quoted = re.sub(r"^\[(\w)\]", r"\1", block.text)
            assert quoted in text_of[answer_id] or quoted[1:] in text_of[answer_id], block.text
            assert block.text.endswith((".", "!", "?")), block.text


# --- wording --------------------------------------------------------------------------------


def test_points_are_reported_speech_not_the_partners_first_person(demo_draft: Draft) -> None:
    for block in blocks_of(demo_draft, "point"):
        # "told us" is the partnership speaking; the partners' "we" must have become "they".
        assert not re.search(r"\b(?:we|our|ours)\b|(?<!told )\bus\b", block.text, re.I), block.text
        assert block.text.endswith("."), block.text
        assert block.text[0].isupper(), block.text


def test_points_open_in_varied_ways(demo_draft: Draft) -> None:
    phrasings = Counter()
    for block in blocks_of(demo_draft, "point"):
        for phrase in PHRASINGS:
            if phrase in block.text:
                phrasings[phrase] += 1
                break
    assert len(phrasings) >= 5
    assert max(phrasings.values()) < sum(phrasings.values()) / 2
    for section in demo_draft.sections:
        points = [b.text for b in section.blocks if b.kind == "point"]
        openings = [" ".join(text.split()[:3]) for text in points]
        assert all(a != b for a, b in itertools.pairwise(openings)), section.key


def test_counts_in_words_read_like_prose(demo_draft: Draft) -> None:
    summary = demo_draft.section("summary")

    assert summary.blocks[0].text.startswith("Nine partner organisations answered")
    for block in blocks_of(demo_draft):
        assert not re.search(
            r"\b1 partners\b|\bone partners\b|\b[02-9] partner\b(?! organisations)", block.text
        )


@pytest.mark.parametrize(
    ("word", "expected"),
    [("education", "an"), ("employer", "an"), ("health", "a"), ("unitary", "a"), ("hour", "an")],
)
def test_article_follows_the_sound(word: str, expected: str) -> None:
    assert article(word) == expected


def test_join_words_uses_and_and_semicolons_when_items_hold_commas() -> None:
    assert join_words(["a", "b", "c"]) == "a, b and c"
    assert join_words(["Belfast", "Newry, Mourne and Down"]) == "Belfast and Newry, Mourne and Down"
    assert join_words(["A, B", "C", "D"]) == "A, B; C and D"


# --- determinism and errors -----------------------------------------------------------------


def test_the_same_evidence_gives_the_same_draft(demo_evidence: Evidence) -> None:
    assert assemble(demo_evidence).to_json() == assemble(demo_evidence).to_json()


def test_the_draft_does_not_depend_on_pythons_hash_seed() -> None:
    script = (
        "import sys, hashlib; sys.path.insert(0, 'tests'); import test_assembly as t; "
        "from exports.assembly import assemble; "
        "print(hashlib.sha256(assemble(t.build_demo_evidence()).to_json().encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }

    assert len(digests) == 1


def test_evidence_that_would_make_a_wrong_draft_is_refused_with_every_problem() -> None:
    stray = QuestionFact(id=99, number="Q9", text="Not in the consultation?", kind="open")
    bad = evidence_of(
        answer(1, "A", "Text.", consent="public"),
        answer(1, "B", "Text."),
        answer(2, "C", "Text.", question=stray),
    )

    with pytest.raises(AssemblyError) as refused:
        assemble(bad)

    assert str(refused.value) == (
        "The draft cannot be assembled: answer ids used more than once: 1; answers to a "
        "question not in the evidence: 2; consent 'public' is not one of named, sector, "
        "anonymous. Rebuild the evidence from the saved submissions and try again."
    )
