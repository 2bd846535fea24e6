"""The rule-based theme tagger, on the real spaCy pipeline and the real default taxonomy."""

from __future__ import annotations

import warnings

import pytest

from evidence.tagger import (
    PhrasePattern,
    Tagger,
    TagResult,
    TaxonomyError,
    ThemeSpec,
    UnknownRegion,
    build_tagger,
    load_default_taxonomy,
    load_gazetteer,
    make_pipeline,
    themes_from_json,
)

DESIGN_THEME_IDS = [
    "asylum",
    "accommodation",
    "children",
    "nrpf",
    "employment",
    "family",
    "settlement",
    "language_education",
    "health",
    "integration",
    "safeguarding",
    "resettlement",
    "funding",
    "data_evidence",
    "regional",
    "partnership",
    "legal_rights",
    "enforcement",
]


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return build_tagger(load_default_taxonomy())


def tag(tagger: Tagger, text: str, **options: str) -> TagResult:
    return next(tagger.tag([text], **options))


def themes_of(tagger: Tagger, text: str) -> set[str]:
    return {suggestion.theme_id for suggestion in tag(tagger, text).suggestions}


def one_theme_tagger(*patterns: PhrasePattern) -> Tagger:
    theme = ThemeSpec(id="test", label="Test", description="A test theme.", patterns=patterns)
    return build_tagger([theme])


# --- the taxonomy and the pipeline --------------------------------------------------------


def test_default_taxonomy_has_the_eighteen_design_themes_in_order() -> None:
    assert [theme.id for theme in load_default_taxonomy()] == DESIGN_THEME_IDS


@pytest.mark.parametrize("theme", load_default_taxonomy(), ids=lambda theme: theme.id)
def test_default_taxonomy_gives_every_theme_dozens_of_strong_and_weak_patterns(
    theme: ThemeSpec,
) -> None:
    weights = [pattern.weight for pattern in theme.patterns]
    assert len(weights) >= 30
    assert 2.0 in weights and 1.0 in weights
    assert theme.label and theme.description and "\n" not in theme.description


def test_pipeline_is_blank_english_with_sentencizer_and_lookup_lemmatizer(
    tagger: Tagger,
) -> None:
    assert tagger.pipe_names == ["sentencizer", "lowercase_lookup_lemmatizer"]


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("Councils", "council"),
        ("COUNCILS", "council"),
        ("councils", "council"),
        ("Authorities", "authority"),
        ("Families", "family"),
        ("NRPF", "nrpf"),
    ],
)
def test_lemmatizer_looks_words_up_whatever_their_case(word: str, lemma: str) -> None:
    assert make_pipeline()(f"The {word} agreed.")[1].lemma_ == lemma


def test_pipeline_builds_without_any_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tagger = Tagger(load_default_taxonomy(), gazetteer=load_gazetteer())
        list(tagger.tag(["Councils in Northern Ireland support UASC."]))


def test_build_tagger_returns_the_same_tagger_for_the_same_taxonomy(tagger: Tagger) -> None:
    assert build_tagger(list(load_default_taxonomy())) is tagger


def test_build_tagger_builds_a_new_tagger_for_an_edited_taxonomy(tagger: Tagger) -> None:
    edited = [*load_default_taxonomy()[:-1]]
    other = build_tagger(edited)
    assert other is not tagger
    assert "enforcement" not in {theme.id for theme in other.themes}


def test_build_tagger_refuses_a_taxonomy_with_a_theme_id_used_twice() -> None:
    theme = ThemeSpec(id="twin", label="Twin", description="Twice.", patterns=())
    with pytest.raises(TaxonomyError, match="used more than once: twin"):
        build_tagger([theme, theme])


def test_themes_from_json_lists_every_problem_at_once() -> None:
    data = {
        "themes": [
            {
                "id": "a",
                "label": "A",
                "description": "A.",
                "patterns": [{"phrase": "x", "weight": 0}],
            },
            {"id": "a", "label": "", "description": "B.", "patterns": [{"weight": 2}]},
        ]
    }
    with pytest.raises(TaxonomyError) as raised:
        themes_from_json(data)
    message = str(raised.value)
    assert message.startswith("The taxonomy has 4 problems:")
    assert "weight that is not a positive number" in message
    assert "no text under 'label'" in message
    assert "pattern 1 has no phrase" in message
    assert "theme id 'a' is used more than once" in message


def test_themes_from_json_reads_plain_strings_as_weak_patterns() -> None:
    (theme,) = themes_from_json(
        {"themes": [{"id": "t", "label": "T", "description": "T.", "patterns": ["hotel"]}]}
    )
    assert theme.patterns == (PhrasePattern("hotel", 1.0),)


# --- themes ---------------------------------------------------------------------------------

SHOULD_TAG = [
    ("asylum", "Decisions on asylum claims take over a year and the backlog keeps growing."),
    ("asylum", "The s95 support rate has not kept pace with prices."),
    ("accommodation", "Families in contingency hotels have no kitchen and no space to play."),
    ("accommodation", "Private landlords refuse tenants who cannot pass right to rent checks."),
    ("children", "Age assessments of separated children must be done by social workers."),
    ("children", "Care leavers lose their personal adviser too early."),
    ("nrpf", "The NRPF condition leaves working parents one pay cut from destitution."),
    ("nrpf", "Families with no recourse to public funds turn to food banks."),
    ("employment", "Care providers cannot recruit without the health and care worker visa."),
    ("employment", "Employers in hospitality report vacancies they cannot fill."),
    ("family", "The minimum income requirement keeps spouses apart."),
    ("family", "Refugee family reunion should include adult children."),
    ("settlement", "Indefinite leave to remain should be available after five years."),
    ("settlement", "Naturalisation fees put British citizenship out of reach."),
    ("language_education", "ESOL classes are oversubscribed and learners wait months."),
    ("language_education", "International students pay fees that keep courses running."),
    ("health", "People cannot register with a GP and end up in A&E instead."),
    ("health", "Mental health support for survivors of torture is scarce."),
    ("integration", "Community cohesion suffers when tensions are left unaddressed."),
    ("integration", "Misinformation on social media fuels hostility towards newcomers."),
    ("safeguarding", "Victims of modern slavery wait too long for an NRM decision."),
    ("safeguarding", "Domestic abuse survivors on spousal visas need protection."),
    ("resettlement", "The Homes for Ukraine scheme showed what safe routes can do."),
    ("resettlement", "ARAP and ACRS families need long-term support."),
    ("funding", "New burdens must be fully funded; councils have no capacity left."),
    ("funding", "Short-term funding makes it hard to keep staff."),
    ("data_evidence", "There is no published data, so the impact assessment is guesswork."),
    ("data_evidence", "Information sharing with the provider is poor and statistics are late."),
    ("regional", "The Common Travel Area and the land border make our position different."),
    ("regional", "Housing and health are devolved, so the Scottish Government must be involved."),
    ("partnership", "The consultation period was too short for partners to respond."),
    ("partnership", "Joint working through the multi-agency forum has improved."),
    ("legal_rights", "Without legal aid, people cannot get immigration advice."),
    ("legal_rights", "The proposal is discriminatory and breaches human rights."),
    ("enforcement", "Immigration detention and removals to third countries should not grow."),
    ("enforcement", "Civil penalties for illegal working are rising."),
    # Partners' own words for the taxonomy's descriptions, from the real-grounded comments.
    ("partnership", "We were told after the decision, not before the decision was taken."),
    ("data_evidence", "The estimate has a margin of error of 7,000 either way."),
    ("funding", "Councils receive nothing per bed for hotels, so who pays for the GP?"),
    ("safeguarding", "Perpetrators use a partner's status to control victims."),
    ("health", "Women miss antenatal care and midwives see the harm."),
    ("legal_rights", "Firms have taken legal aid cases out of scope and advisers have left."),
    ("accommodation", "Newly recognised refugees need somewhere to live, not a night shelter."),
]

SHOULD_NOT_TAG = [
    ("asylum", "Our council agreed the decision at its last meeting."),
    ("accommodation", "We welcome the Home Office's work on this."),
    ("children", "Children enjoy the summer scheme at the library."),
    ("nrpf", "We fund the scheme from public money."),
    ("employment", "We will work with the council on this."),
    ("family", "Our family of organisations supports this answer."),
    ("settlement", "The matter was settled at our last meeting."),
    ("language_education", "The report is written in plain English."),
    ("health", "The health of the economy matters to us."),
    ("integration", "Our community centre opens on Mondays."),
    ("safeguarding", "The abuse of process was noted."),
    ("resettlement", "The scheme closes in March."),
    ("funding", "The cost of printing is small."),
    ("data_evidence", "We have no evidence to offer on this question."),
    ("regional", "This applies across the UK."),
    ("partnership", "Councils and the Home Office were named in the report."),
    ("legal_rights", "We think this is the right approach."),
    ("enforcement", "The police attended the event."),
]


@pytest.mark.parametrize(("theme_id", "text"), SHOULD_TAG, ids=[t for t, _ in SHOULD_TAG])
def test_tagger_files_a_clear_comment_under_its_theme(
    tagger: Tagger, theme_id: str, text: str
) -> None:
    assert theme_id in themes_of(tagger, text)


@pytest.mark.parametrize(("theme_id", "text"), SHOULD_NOT_TAG, ids=[t for t, _ in SHOULD_NOT_TAG])
def test_tagger_does_not_file_a_passing_mention_under_the_theme(
    tagger: Tagger, theme_id: str, text: str
) -> None:
    assert theme_id not in themes_of(tagger, text)


@pytest.mark.parametrize(
    "text",
    ["No comment.", "We have nothing to add to this question.", "N/A", "See our answer to Q3."],
)
def test_tagger_suggests_nothing_for_a_comment_without_substance(tagger: Tagger, text: str) -> None:
    assert tag(tagger, text).suggestions == ()


@pytest.mark.parametrize(
    ("acronym", "theme_id"),
    [
        ("NRPF", "nrpf"),
        ("UASC", "children"),
        ("UASCs", "children"),
        ("NTS", "children"),
        ("ESOL", "language_education"),
        ("ILR", "settlement"),
        ("BN(O)", "resettlement"),
        ("ARAP", "resettlement"),
        ("ACRS", "resettlement"),
        ("VPRS", "resettlement"),
        ("UKRS", "resettlement"),
        ("AASC", "accommodation"),
        ("COMPASS", "accommodation"),
        ("s95", "asylum"),
        ("s4", "asylum"),
    ],
)
def test_tagger_files_a_partner_acronym_under_its_theme(
    tagger: Tagger, acronym: str, theme_id: str
) -> None:
    assert theme_id in themes_of(tagger, f"We are concerned about {acronym} in our area.")


def test_tagger_files_nrpf_acronym_under_nrpf_theme(tagger: Tagger) -> None:
    (suggestion,) = tag(tagger, "Families with NRPF are turned away.").suggestions
    assert (suggestion.theme_id, [match.phrase for match in suggestion.matches]) == (
        "nrpf",
        ["NRPF"],
    )


def test_acronym_matches_only_when_spelled_in_capitals() -> None:
    tagger = one_theme_tagger(PhrasePattern("LA", 2.0), PhrasePattern("HO", 2.0))
    assert tag(tagger, "The LA wrote to the HO.").suggestions[0].theme_id == "test"
    assert tag(tagger, "La la land, ho ho ho.").suggestions == ()


def test_ordinary_phrase_matches_capitalised_and_plural_forms() -> None:
    tagger = one_theme_tagger(PhrasePattern("local authority", 2.0), PhrasePattern("council", 2.0))
    for text in ["Local Authorities agreed.", "LOCAL AUTHORITIES AGREED.", "Councils agreed."]:
        assert [s.theme_id for s in tag(tagger, text).suggestions] == ["test"], text


def test_a_stray_weak_word_does_not_tag(tagger: Tagger) -> None:
    assert themes_of(tagger, "We spoke to a landlord last week.") == set()


def test_a_weak_word_repeated_still_counts_once(tagger: Tagger) -> None:
    assert themes_of(tagger, "The landlord, the landlord and the landlord again.") == set()


def test_two_different_weak_words_tag_together(tagger: Tagger) -> None:
    result = tag(tagger, "The landlord would not renew the tenant's lease.")
    assert [(s.theme_id, s.score) for s in result.suggestions] == [("accommodation", 2.0)]


def test_a_word_inside_a_longer_phrase_speaks_only_for_the_phrase(tagger: Tagger) -> None:
    result = tag(tagger, "Asylum accommodation is poor.")
    assert [s.theme_id for s in result.suggestions] == ["accommodation"]
    assert [m.phrase for m in result.suggestions[0].matches] == ["Asylum accommodation"]


def test_suggestions_come_highest_score_first(tagger: Tagger) -> None:
    result = tag(tagger, "Hotels are used. NRPF, no recourse to public funds and destitution.")
    scores = [suggestion.score for suggestion in result.suggestions]
    assert scores == sorted(scores, reverse=True) and result.suggestions[0].theme_id == "nrpf"


def test_matches_give_character_offsets_into_the_original_text(tagger: Tagger) -> None:
    text = "  Our view:\tUnaccompanied asylum-seeking children (UASCs) need care.  The HO agrees."
    result = tag(tagger, text)
    matches = [match for suggestion in result.suggestions for match in suggestion.matches]
    assert matches
    for match in matches:
        assert text[match.start_char : match.end_char] == match.phrase
    children = next(s for s in result.suggestions if s.theme_id == "children")
    assert {m.phrase for m in children.matches} == {
        "Unaccompanied asylum-seeking children",
        "UASCs",
    }


def test_suggestion_names_the_sentences_that_hold_its_matches(tagger: Tagger) -> None:
    text = "We thank the partnership. The NRPF condition causes destitution. Nothing else."
    (suggestion,) = [s for s in tag(tagger, text).suggestions if s.theme_id == "nrpf"]
    assert [text[start:end] for start, end in suggestion.sentences] == [
        "The NRPF condition causes destitution."
    ]


@pytest.mark.parametrize(
    "text",
    [
        "NRPF families.",
        "NRPF families. More NRPF families!",
        "  NRPF families.  More NRPF?  ",
        "NRPF families... and e.g. NRPF again.\n\nNRPF once more",
        "NRPF families!! (NRPF.) NRPF",
        "Costs of £3.50 for NRPF families. NRPF again.",
        "NRPF families。NRPF again！NRPF",
    ],
)
def test_suggestion_sentences_are_the_sentencizers_own(tagger: Tagger, text: str) -> None:
    (suggestion,) = [s for s in tag(tagger, text).suggestions if s.theme_id == "nrpf"]
    sentencized = make_pipeline()(text).sents
    assert list(suggestion.sentences) == [
        (sent.start_char, sent.end_char) for sent in sentencized if "NRPF" in sent.text
    ]


def test_tagger_keeps_answers_in_order_across_batches(tagger: Tagger) -> None:
    texts = ["NRPF families.", "No comment.", "ESOL classes.", ""] * 5
    results = list(tagger.tag(texts, batch_size=3))
    assert [[s.theme_id for s in r.suggestions] for r in results[:4]] == [
        ["nrpf"],
        [],
        ["language_education"],
        [],
    ]
    assert len(results) == len(texts)


def test_tagger_refuses_a_single_string(tagger: Tagger) -> None:
    with pytest.raises(TypeError, match="a list of answers, not a single string"):
        tagger.tag("NRPF")


def test_tagger_refuses_an_unknown_home_region(tagger: Tagger) -> None:
    with pytest.raises(UnknownRegion, match="'Atlantis' is not a region or nation"):
        tagger.tag(["NRPF"], home_region="Atlantis")


# --- figures --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("We supported 300 families last year.", ("people_count",)),
        ("A third of households had no income.", ("people_count",)),
        ("Over 2.5 million people applied.", ("people_count",)),
        ("Presentations rose by 45%.", ("percentage",)),
        ("Presentations rose by twenty per cent.", ("percentage",)),
        ("The scheme cost £2.4 million.", ("money",)),
        ("Budgets fell by £400m.", ("money",)),
        ("The contract ends on 31 March 2026.", ("date",)),
        ("Funding ends in April.", ("date",)),
        ("Waiting times have trebled since 2022.", ("date",)),
        ("Three times as many people asked for help.", ("number",)),
        ("Decisions took 18 months.", ("number",)),
    ],
)
def test_tagger_finds_the_kinds_of_figure_in_a_sentence(
    tagger: Tagger, text: str, kinds: tuple[str, ...]
) -> None:
    (figure,) = tag(tagger, text).figures
    assert (text[figure.start_char : figure.end_char], figure.kinds) == (text, kinds)


@pytest.mark.parametrize(
    "text",
    [
        "See our answer to Q3.",
        "People on s95 and s4 support.",
        "Section 17 and section 55 apply, as does Article 8.",
        "We refer to paragraph 4.2 and Tier 2.",
        "One of our concerns is the May deadline.",
        "Since Covid-19 things have changed.",
    ],
)
def test_tagger_does_not_take_references_for_figures(tagger: Tagger, text: str) -> None:
    assert tag(tagger, text).figures == ()


def test_figures_are_reported_by_sentence(tagger: Tagger) -> None:
    text = "We agree. In 2024, 120 people came to us. Most were young. Costs rose 10%."
    figures = tag(tagger, text).figures
    assert [(text[f.start_char : f.end_char], f.kinds) for f in figures] == [
        ("In 2024, 120 people came to us.", ("people_count", "date")),
        ("Costs rose 10%.", ("percentage",)),
    ]


# --- places and regional impact -----------------------------------------------------------


def test_gazetteer_holds_the_nations_regions_councils_and_smps() -> None:
    places = load_gazetteer().places
    count = {
        (kind, nation): sum(1 for p in places if p.kind == kind and p.nation == nation)
        for kind, nation in {(p.kind, p.nation) for p in places}
    }
    assert count[("council", "Northern Ireland")] == 11
    assert count[("council", "Scotland")] == 32
    assert count[("principal_area", "Wales")] == 22
    assert count[("region", "England")] == 9
    assert sum(1 for p in places if p.kind == "smp") == 12
    assert {p.name for p in places if p.kind == "nation"} == {
        "England",
        "Northern Ireland",
        "Scotland",
        "Wales",
    }


def test_tagger_names_places_with_their_kind_and_region(tagger: Tagger) -> None:
    text = "In Belfast, Derry City and Strabane and Cardiff, demand has risen."
    places = tag(tagger, text).places
    assert [(p.name, p.kind, p.region, text[p.start_char : p.end_char]) for p in places] == [
        ("Belfast", "council", "Northern Ireland", "Belfast"),
        ("Derry City and Strabane", "council", "Northern Ireland", "Derry City and Strabane"),
        ("Cardiff", "principal_area", "Wales", "Cardiff"),
    ]


def test_place_names_must_be_spelled_as_written(tagger: Tagger) -> None:
    assert tag(tagger, "We went down to the mid point of the angus steak.").places == ()


def test_naming_a_place_files_the_answer_under_regional_impact(tagger: Tagger) -> None:
    result = tag(tagger, "Rents in Newry have doubled.")
    assert [s.theme_id for s in result.suggestions] == ["regional"]
    assert [m.phrase for m in result.suggestions[0].matches] == ["Newry"]


@pytest.mark.parametrize(
    ("text", "home_region", "expected"),
    [
        ("Rents in Belfast have doubled.", "Northern Ireland", True),
        ("Rents in Cardiff have doubled.", "Northern Ireland", False),
        ("Rents in Cardiff have doubled.", "Wales", True),
        ("Rents in Leeds have doubled.", "England", True),
        ("Here in our region rents have doubled.", "Northern Ireland", True),
        ("Unlike England, councils here have no housing duty.", "Northern Ireland", True),
        ("The Common Travel Area changes everything.", "Scotland", True),
        ("Rents have doubled.", "Northern Ireland", False),
    ],
)
def test_regional_impact_needs_a_home_place_or_a_local_difference(
    tagger: Tagger, text: str, home_region: str, expected: bool
) -> None:
    assert tag(tagger, text, home_region=home_region).regional_impact is expected


# --- words that fire without meaning it (issue 15) ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We gave evidence to the House of Lords committee last spring.",
        "The House of Commons debated the Bill for a whole day.",
        "Officials at Wellington House read every response.",
        "Staff at Lunar House were helpful.",
    ],
)
def test_names_of_houses_are_not_housing(tagger: Tagger, text: str) -> None:
    assert "accommodation" not in themes_of(tagger, text)


def test_housing_keeps_its_own_lemma_so_house_does_not_match_it() -> None:
    doc = make_pipeline()("Housing costs rose in every house.")
    assert [doc[0].lemma_, doc[5].lemma_] == ["housing", "house"]


def test_housing_still_counts_for_accommodation(tagger: Tagger) -> None:
    assert "accommodation" in themes_of(tagger, "Housing supply and temporary accommodation.")


def test_dispersal_alone_files_the_answer_under_accommodation(tagger: Tagger) -> None:
    assert "accommodation" in themes_of(tagger, "Dispersal has brought strain to our wards.")


@pytest.mark.parametrize(
    ("theme_id", "text"),
    [
        ("legal_rights", "A two-tier approach to training is not what we asked for."),
        ("legal_rights", "The effect on small charities is disproportionate to the gain."),
        ("partnership", "The forum meets in the town hall."),
        ("data_evidence", "Our research team is small."),
        ("regional", "Decisions on this are devolved to the project board."),
        ("employment", "Landlords told us checking documents is not their job."),
        ("integration", "We welcome the proposal."),
        ("funding", "Exceptional Case Funding is slow and hard to use."),
        ("data_evidence", "Rough sleeping rose by 40% over the winter."),
        ("language_education", "Church teaching is clear on welcoming the stranger."),
        ("settlement", "People granted leave to remain must leave their accommodation."),
    ],
)
def test_a_word_in_passing_does_not_file_the_answer_alone(
    tagger: Tagger, theme_id: str, text: str
) -> None:
    assert theme_id not in themes_of(tagger, text)


@pytest.mark.parametrize(
    ("theme_id", "text"),
    [
        ("partnership", "There was no advance warning and nobody consulted the council."),
        ("partnership", "The online questionnaire used leading questions and gave us no time."),
        ("asylum", "Asylum applicants lost their cash support after a final refusal."),
        ("asylum", "People on Section 4 support wait years for a first decision."),
        ("funding", "The bill lands with councils, who must meet the full costs."),
        ("funding", "Short-term funding leaves stretched services with a funding gap."),
        ("data_evidence", "Nobody knows how many people are placed here; there is no data."),
        ("data_evidence", "Our poll found 57% support, against 46% three years earlier."),
        ("funding", "Councils are left out of pocket for every family they house."),
        ("partnership", "We were not told before the hotel opened; we found out from the press."),
        ("legal_rights", "Exceptional Case Funding is slow and hard to use."),
    ],
)
def test_tagger_finds_the_themes_partners_put_in_their_own_words(
    tagger: Tagger, theme_id: str, text: str
) -> None:
    assert theme_id in themes_of(tagger, text)


# --- figures that are not figures, and figures in words (issue 15) -------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Councils have duties under the Housing Act 1996.",
        "The 1951 Convention still binds the UK.",
        "This breaches the Children (Northern Ireland) Order 1995.",
        "The right is set out in the treaty (Article 12).",
        "See the consultation document (paragraph 1.5).",
        "Parts 6 and 7 of the Bill should go.",
        "Sections 58, 59 and 61 of the Act narrow support.",
        "The committee's report HC 194 said the same.",
        "A two-tier system is unfair.",
        "All four nations must cooperate.",
    ],
)
def test_laws_references_and_plain_words_are_not_figures(tagger: Tagger, text: str) -> None:
    kinds = {kind for figure in tag(tagger, text).figures for kind in figure.kinds}
    assert kinds <= {"date"}, kinds


def test_the_second_half_of_a_year_range_is_part_of_the_date(tagger: Tagger) -> None:
    (figure,) = tag(tagger, "In 2018-19 applications fell.").figures
    assert figure.kinds == ("date",)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("One third of families had no income.", "people_count"),
        ("The scheme costs £2bn a year.", "money"),
        ("Councils were given 2.5bn pounds.", "money"),
        ("The base will hold 600 single males.", "people_count"),
        ("About 4,000 Syrians have come to the region.", "people_count"),
        ("People waited three years for a decision.", "number"),
    ],
)
def test_tagger_finds_figures_written_in_words_and_counts_of_people(
    tagger: Tagger, text: str, kind: str
) -> None:
    (figure,) = tag(tagger, text).figures
    assert kind in figure.kinds


# --- the gazetteer (issue 15) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "region"),
    [
        ("County Durham", "North East"),
        ("Essex", "East of England"),
        ("Chelmsford", "East of England"),
        ("Eastbourne", "South East"),
        ("Kent", "South East"),
        ("Dover", "South East"),
        ("Croydon", "London"),
        ("Hillingdon", "London"),
        ("Wolverhampton", "West Midlands"),
        ("Lancashire", "North West"),
        ("Tyrone", "Northern Ireland"),
        ("Fermanagh", "Northern Ireland"),
        ("County Down", "Northern Ireland"),
        ("Co. Antrim", "Northern Ireland"),
    ],
)
def test_tagger_names_english_councils_counties_and_ni_counties(
    tagger: Tagger, written: str, region: str
) -> None:
    text = f"Pressures in {written} have grown."
    assert [(text[p.start_char : p.end_char], p.region) for p in tag(tagger, text).places] == [
        (written, region)
    ]


def test_gazetteer_holds_every_english_local_authority_area() -> None:
    english = [
        place
        for place in load_gazetteer().places
        if place.nation == "England"
        and place.kind
        in ("london_borough", "metropolitan_district", "unitary_authority", "district")
    ]
    # ONS: 33 London boroughs (with the City), 36 metropolitan districts, 62 unitary
    # authorities and 164 districts in April 2023.
    assert len(english) >= 290
    assert {place.region for place in english} == {
        "North East",
        "North West",
        "Yorkshire and the Humber",
        "East Midlands",
        "West Midlands",
        "East of England",
        "London",
        "South East",
        "South West",
    }


@pytest.mark.parametrize(
    ("text", "name", "region"),
    [
        ("Families in Newcastle upon Tyne wait longest.", "Newcastle upon Tyne", "North East"),
        ("Families in Newcastle wait longest.", "Newcastle upon Tyne", "North East"),
        ("Families in Newcastle, County Down wait longest.", "Newcastle", "Northern Ireland"),
        ("Families in Bangor wait longest.", "Bangor", "Northern Ireland"),
        ("Families in Bangor in Gwynedd wait longest.", "Bangor", "Wales"),
    ],
)
def test_a_shared_place_name_is_read_by_the_words_around_it(
    tagger: Tagger, text: str, name: str, region: str
) -> None:
    first = tag(tagger, text).places[0]
    assert (first.name, first.region) == (name, region)


@pytest.mark.parametrize(
    "text",
    [
        "Our casework and that of the North West Migrants Forum point the same way.",
        "Law Centre (NI) gave advice to every family.",
        "Migrant Centre NI runs the helpline.",
    ],
)
def test_organisation_names_are_not_places(tagger: Tagger, text: str) -> None:
    result = tag(tagger, text, home_region="Northern Ireland")
    assert (result.places, result.regional_impact) == ((), False)
    assert "regional" not in {s.theme_id for s in result.suggestions}


def test_this_region_meaning_another_continent_is_not_regional_impact(tagger: Tagger) -> None:
    text = "Conflict across East Africa has displaced millions; this region needs safe routes."
    result = tag(tagger, text)
    assert result.regional_impact is False
    assert "regional" not in {s.theme_id for s in result.suggestions}


def test_places_abroad_are_named_but_are_not_regional(tagger: Tagger) -> None:
    result = tag(tagger, "Families from Syria and Ukraine arrived in the UK.")
    assert [p.name for p in result.places] == ["Syria", "Ukraine", "United Kingdom"]
    assert "regional" not in {s.theme_id for s in result.suggestions}


@pytest.mark.parametrize(
    "text",
    [
        "ESOL in England is a postcode lottery for learners.",
        "Guidance for councils in England should link to specialist advice.",
        "Many EU citizens in our area still have pre-settled status.",
    ],
)
def test_england_as_a_policy_scope_or_our_area_alone_is_not_regional(
    tagger: Tagger, text: str
) -> None:
    # Measured on the labelled files: England named alone went with the regional theme in 1
    # comment of 7, "in our area" in none of 6; each now needs another sign of a local point.
    assert "regional" not in themes_of(tagger, text)


@pytest.mark.parametrize(
    "text",
    [
        "England and Scotland fund ESOL in different ways.",
        "Unlike England, councils here have no housing duty.",
        "Rents in our area have doubled since the hotel opened locally.",
    ],
)
def test_england_with_a_devolved_nation_or_a_local_point_is_regional(text: str) -> None:
    # The rules' own finding: two weak signs, which the default model's combiner may take back
    # (tests/test_default_model.py).
    rules = build_tagger(load_default_taxonomy(), learned=False)
    assert "regional" in themes_of(rules, text)


def test_places_abroad_and_the_uk_are_not_home_regions() -> None:
    regions = load_gazetteer().regions
    assert "Northern Ireland" in regions and "London" in regions
    assert "abroad" not in regions and "United Kingdom" not in regions


@pytest.mark.parametrize(
    ("text", "theme_id"),
    [
        ("We thank the Asylum Support Appeals Project for its advice.", "asylum"),
        ("We sit on the Home Office Asylum Stakeholders Forum.", "partnership"),
    ],
)
def test_theme_words_inside_an_organisations_name_count_for_nothing(
    tagger: Tagger, text: str, theme_id: str
) -> None:
    assert theme_id not in themes_of(tagger, text)


def test_a_name_ending_in_forum_is_not_the_word_forum(tagger: Tagger) -> None:
    result = tag(tagger, "Joint working through the multi-agency forum has improved.")
    assert "partnership" in {s.theme_id for s in result.suggestions}
