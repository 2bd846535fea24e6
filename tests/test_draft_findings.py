"""The draft's first phase on small hand-made evidence: positions counted once, topics read from
questions, claims grouped by meaning across partners with exact counts."""

from __future__ import annotations

import pytest
from draft_world import evidence_of

from consultations import demo
from evidence.counting import NO_POSITION, PositionCount, count_positions
from evidence.facts import AnswerFact, QuestionFact
from exports.draft import AssemblyError, assemble, find
from exports.draft.shared import clauses
from exports.draft.topics import proposition, topic
from exports.draft.words import as_partnership, reportable, some_of

AGREE = ("Agree", "Disagree", "Neither agree nor disagree", "Don't know")
CLOSED = QuestionFact(
    id=1,
    number="Q1",
    text="Do you agree that partners applying to settle should have to show English at level B1?",
    kind="hybrid",
    options=AGREE,
)
OPEN = QuestionFact(id=2, number="Q2", text="What would the impact be in your area?", kind="open")
LATER = QuestionFact(id=3, number="Q3", text="Do you have any other comments?", kind="open")


def answer(
    answer_id: int,
    organisation: str,
    text: str = "",
    *,
    question: QuestionFact = CLOSED,
    position: str = "",
    sector: str = "health",
    consent: str = "named",
    places: tuple[str, ...] = (),
) -> AnswerFact:
    return AnswerFact(
        answer_id=answer_id,
        question_id=question.id,
        organisation=organisation,
        sector=sector,
        consent=consent,
        position=position,
        text=text,
        places=places,
    )


def points_of(draft, key: str = "question-1") -> list[str]:
    return [b.text for b in draft.section(key).blocks if b.kind == "point"]


# --- counting, in one place ---------------------------------------------------------------


def test_an_organisation_counts_once_by_its_latest_answer_and_no_position_comes_last() -> None:
    answers = [
        answer(1, "Council A", position="Agree"),
        answer(2, "Council A", position="disagree"),  # its latest answer, any case
        answer(3, "Trust B", position="Disagree"),
        answer(4, "Forum C"),
    ]
    assert count_positions(CLOSED, answers) == [
        PositionCount("Disagree", 2, (2, 3)),
        PositionCount(NO_POSITION, 1, (4,)),
    ]
    every = count_positions(CLOSED, answers, every_option=True)
    assert [c.position for c in every] == [*AGREE, NO_POSITION]


# --- topics and propositions --------------------------------------------------------------

DEMO_TOPICS = {
    "Q1": "a minimum income",
    "Q2": "the probationary period",
    "Q4": "English at level B1",
    "Q5": "adult and elderly dependent relatives",
    "Q6": "the full right of appeal",
    "Q8": "the impact on local services and communities",
    "Q9": "the costs to local services",  # not "... of families" cut before "who cannot ..."
    "Q10": "other comments on the proposals",
}


@pytest.mark.parametrize(("number", "text"), [(n, t) for n, t, _, _ in demo.FAMILY_QUESTIONS])
def test_a_question_gets_a_short_topic_from_its_own_words(number: str, text: str) -> None:
    found = topic(text)
    assert 1 <= len(found.split()) <= 12 and not found.endswith((" of", " the", " to"))
    if number in DEMO_TOPICS:
        assert found == DEMO_TOPICS[number]


def test_a_closed_question_gives_the_proposition_partners_took_a_side_on() -> None:
    assert proposition(CLOSED.text) == (
        "partners applying to settle should have to show English at level B1"
    )
    assert proposition(OPEN.text) == ""


# --- words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "total", "words"),
    [
        (2, 2, "both partners who answered"),
        (1, 1, "the one partner who answered"),
        (6, 7, "six of the seven partners who answered"),
        (12, 12, "all twelve partners who answered"),
        (23, 140, "23 of the 140 partners who answered"),
    ],
)
def test_counts_read_as_prose_never_all_two(n: int, total: int, words: str) -> None:
    assert some_of(n, total) == words


@pytest.mark.parametrize(
    "sentence",
    [
        "Yes, provided the Rules reflect the law rather than narrowing it.",
        "However dispersal must be planned.",
        "This is why we disagree.",
        "A threshold at that level would stop many residents from living here.",
        "Total =SUM(D4:D31) across the year.",
        "Do you think this is fair?",
        "The number of such households rose from 41 to 58 over the year.",
        "The attached spreadsheet sets out the quarterly figures for each office.",
    ],
)
def test_a_sentence_that_would_report_as_a_fragment_is_not_reported(sentence: str) -> None:
    assert not reportable(sentence)


def test_an_ask_moves_into_the_partnerships_voice_or_not_at_all() -> None:
    assert as_partnership("We ask the Home Office to fund ESOL.") == (
        "The partnership asks the Home Office to fund ESOL."
    )
    assert as_partnership("We would only support B1 if our members get classes.") == (
        "The partnership would only support B1 if its members get classes."
    )
    assert as_partnership("We strongly think so.") is None


# --- claims: grouped by meaning, counted by organisation ----------------------------------

ESOL_ASKS = (
    ("Belfast Council", "ESOL places are oversubscribed. We would want funded provision first."),
    ("Eastern Trust", "We would rather see investment in free, accessible ESOL than a test."),
    ("Foyle Council", "Classes are scarce. The Home Office should fund ESOL provision locally."),
    ("Housing Association", "A test is not support; we would like to see funded ESOL classes."),
    ("Police Partnership", "Our officers see many victims of crime who do not speak English."),
)


def esol_evidence(*extra: AnswerFact):
    answers = [
        answer(n, name, text, position="Disagree", sector="local authority")
        for n, (name, text) in enumerate(ESOL_ASKS, start=1)
    ]
    return evidence_of(*answers, *extra, questions=(CLOSED, OPEN, LATER))


def test_partners_asking_for_funded_esol_in_different_words_make_one_claim() -> None:
    findings = find(esol_evidence())
    question = findings.questions[0]
    claim = question.claims[0].claim
    assert claim.organisations == (
        "Belfast Council",
        "Eastern Trust",
        "Foyle Council",
        "Housing Association",
    )
    assert claim.kind == "ask"
    assert points_of(assemble(esol_evidence()))[0].startswith(
        "Four of the five partners who answered"
    )


def test_a_partner_asking_for_esol_classes_in_other_words_is_counted_with_the_claim() -> None:
    """The rural trust asks for "ESOL classes" to be available, not for funding: it shares
    ("ESOL", "classes") with the housing association's "funded ESOL classes", so it made the
    point too, and the count says five, not four."""
    rural = answer(
        6,
        "Rural Trust",
        "We could not support a higher test unless ESOL classes are available in rural towns.",
        position="Disagree",
    )
    claim = find(esol_evidence(rural, *elsewhere())).questions[0].claims[0].claim
    assert claim.partners == 5 and "Rural Trust" in claim.organisations
    assert "Police Partnership" not in claim.organisations  # English, but not classes or ESOL


def test_a_word_one_partner_alone_uses_does_not_widen_a_claim() -> None:
    """A claim reaches a new partner only through a word two of its own partners use: the
    trust's "ESOL tutors" shares "ESOL" with the claim, but no partner making it speaks of
    tutors, so the trust is not counted as asking for funded ESOL."""
    tutors = answer(6, "Tutor Trust", "ESOL tutors are paid too little.", position="Disagree")
    other = answer(7, "Housing Two", "ESOL tutors leave for schools.", position="Disagree")
    claim = find(esol_evidence(tutors, other, *elsewhere())).questions[0].claims[0].claim
    assert claim.partners == 4 and "Tutor Trust" not in claim.organisations


def elsewhere() -> list[AnswerFact]:
    """Answers to the open question on other matters: in a consultation of several questions,
    "ESOL" and "classes" are words few answers use, as they are in the demo."""
    said = (
        "Housing waiting lists are long.",
        "Families with no recourse to public funds turn to the voluntary sector.",
        "Separation from a partner is a common reason for staff leaving.",
        "Legal advice is scarce and costly.",
        "Appeals correct many refusals that rest on a factual error.",
        "Community relations are good but rules that keep families apart breed resentment.",
    )
    names = [name for name, _ in ESOL_ASKS] + ["Rural Trust"]
    return [
        answer(40 + n + 10 * q, name, text, question=(OPEN, LATER)[q])
        for q in (0, 1)
        for n, (name, text) in enumerate(zip(names, said, strict=True))
    ]


def test_clauses_of_a_sentence_stand_alone_and_an_item_of_a_list_is_not_one() -> None:
    assert clauses(
        "But a test is not the same as support, and we would like to see funded ESOL classes "
        "close to where people live."
    )[1:] == (
        "A test is not the same as support.",
        "We would like to see funded ESOL classes close to where people live.",
    )
    listed = (
        "A list would disadvantage couples who met online, couples with a large age gap, and "
        "couples from cultures where arranged marriage is normal."
    )
    assert clauses(listed) == (listed,)


def test_a_point_many_partners_share_is_told_in_words_they_all_use() -> None:
    (point, *_) = points_of(assemble(esol_evidence()))
    assert point == (
        "Four of the five partners who answered said that the Home Office should fund ESOL "
        "provision locally."
    )


def test_a_second_answer_from_one_organisation_does_not_raise_a_claims_count() -> None:
    again = answer(9, "Belfast Council", "We too want funded ESOL classes.", position="Disagree")
    findings = find(esol_evidence(again))
    claim = findings.questions[0].claims[0].claim
    assert claim.partners == 4 and len(set(claim.organisations)) == 4


def test_one_partners_place_and_figure_are_never_given_as_many_partners() -> None:
    evidence = evidence_of(
        answer(1, "Council A", "GP registration is difficult for newly arrived families."),
        answer(2, "Council B", "GP registration is difficult for newly arrived families here."),
        answer(
            3,
            "Trust C",
            "GP registration is difficult for 40 newly arrived families in Larne.",
            places=("Larne",),
        ),
        questions=(CLOSED, OPEN),
    )
    (point, *_) = points_of(assemble(evidence))
    assert point.startswith("All three partners who answered")
    assert "Larne" not in point and "40" not in point


def test_a_formula_pasted_into_an_answer_is_never_reported() -> None:
    evidence = evidence_of(
        answer(1, "Council A", "Our costs were =SUM(D4:D31) last year. We disagree strongly."),
        answer(2, "Council B", "The costs came to £40,000 in 2025, all from our own budget."),
        questions=(CLOSED, OPEN),
    )
    text = " ".join(b.text for s in assemble(evidence).sections for b in s.blocks)
    assert "=SUM" not in text and "D4:D31" not in text
    assert "£40,000" in text  # a real figure, with its partner


def test_two_partners_who_agree_are_both_not_all_two() -> None:
    evidence = evidence_of(
        answer(1, "Council A", position="Agree"),
        answer(2, "Council B", position="agree"),
        questions=(CLOSED, OPEN),
    )
    position = assemble(evidence).section("question-1").blocks[1].text
    assert position == (
        "The partnership agrees that partners applying to settle should have to show English at "
        "level B1: both partners who answered agreed."
    )


def test_evidence_that_would_make_a_wrong_draft_is_refused_with_every_problem() -> None:
    evidence = evidence_of(
        answer(1, "Council A", consent="maybe"),
        answer(1, "Council B", question=QuestionFact(9, "Q9", "?", "open")),
        questions=(CLOSED,),
    )
    with pytest.raises(AssemblyError, match=r"used more than once: 1; answers to a question"):
        find(evidence)


def test_a_number_that_looks_like_a_year_is_still_one_partners_figure() -> None:
    evidence = evidence_of(
        answer(1, "Council A", "We recorded 1946 incidents where immigration status was a factor."),
        answer(2, "Council B", "This is why incidents where immigration status was a factor rise."),
        questions=(CLOSED, OPEN),
    )
    (point,) = points_of(assemble(evidence))
    assert point.startswith("Council A ") and "that they recorded 1946 incidents" in point
    # its figure makes it Council A's own: no "the other partner made the same point" after it
    assert point.endswith("incidents where immigration status was a factor.")


def test_no_position_ask_where_the_proposal_is_the_departments_own_act() -> None:
    """Partners who said no to "Should the Home Office publish an assessment?" did not ask it
    not to: the partnership asks nothing of it ("not to go ahead with the proposal that the
    Home Office should publish ..." read as opposing what its own partners asked for)."""
    publish = agree_question(
        1, "Do you agree that the Home Office should publish an impact assessment?"
    )
    evidence = evidence_of(
        *(
            answer(n, f"Council {n}", question=publish, position=p)
            for n, p in enumerate(("Disagree", "Disagree", "Agree"), start=1)
        ),
        questions=(publish, OTHER),
    )
    draft = assemble(evidence)
    position = draft.section("question-1").blocks[1].text
    assert position.startswith("The partnership does not agree that the Home Office should publish")
    assert [b.text for b in draft.section("recommendations").blocks[1:]] == []


def test_the_same_ask_in_answer_to_two_questions_is_one_recommendation() -> None:
    second = QuestionFact(
        id=3, number="Q3", text="Do you agree that fees should rise?", kind="open"
    )
    ask = "We urge the Home Office to publish an impact assessment for each region first."
    evidence = evidence_of(
        *(
            answer(n, f"Council {n % 2}", ask, question=q)
            for n, q in enumerate((CLOSED, CLOSED, second, second), start=1)
        ),
        questions=(CLOSED, OPEN, second),
    )
    asks = [b.text for b in assemble(evidence).section("recommendations").blocks[1:]]
    assert asks == [
        "The partnership urges the Home Office to publish an impact assessment for each region "
        "first. Both partners who answered Questions 1 or 3 asked for this."
    ]


# --- what the partnership may recommend, and how it states a split ------------------------


def agree_question(n: int, text: str) -> QuestionFact:
    """Question ``n``, asked with agree / disagree options and room to explain."""
    return QuestionFact(id=n, number=f"Q{n}", text=text, kind="hybrid", options=AGREE)


INCOME = agree_question(1, "Do you agree that a sponsor should have to show a minimum income?")
SETTLE = agree_question(
    2,
    "Do you agree that victims of domestic abuse should be able to settle in their own right "
    "at any point?",
)
OTHER = QuestionFact(id=3, number="Q3", text="Do you have any other comments?", kind="open")
LOWER = "We ask the Home Office to set a lower regional rate for Northern Ireland."


def recommended(*asks: tuple[str, str, str], settle: str = "Disagree") -> list[str]:
    """The recommendations from answers to Q1 (organisation, position, text), where three
    partners disagree, and from Q2, where most disagree."""
    evidence = evidence_of(
        *(
            answer(n, name, text, question=INCOME, position=position)
            for n, (name, position, text) in enumerate(asks, start=1)
        ),
        *(
            answer(20 + n, name, question=SETTLE, position=settle if n < 3 else "Agree")
            for n, name in enumerate(("Council A", "Council B", "Trust C", "Trust D"))
        ),
        questions=(INCOME, SETTLE, OTHER),
    )
    blocks = assemble(evidence).section("recommendations").blocks[1:]
    return [b.text for b in blocks if not b.text.endswith(" disagreed with it.")]


def test_the_partnership_asks_not_to_go_ahead_with_each_proposal_most_partners_opposed() -> None:
    """Its positions come first among its recommendations, each with the count behind it; a
    proposal partners supported, or were divided on, gives none."""
    evidence = evidence_of(
        *(
            answer(n, name, question=INCOME, position=position)
            for n, (name, position) in enumerate(
                (("Council A", "Disagree"), ("Council B", "Disagree"), ("Trust C", "Agree")),
                start=1,
            )
        ),
        *(
            answer(20 + n, name, question=SETTLE, position=position)
            for n, (name, position) in enumerate(
                (("Council A", "Agree"), ("Council B", "Disagree"), ("Trust C", "Don't know"))
            )
        ),
        questions=(INCOME, SETTLE, OTHER),
    )
    section = assemble(evidence).section("recommendations")
    assert [(b.text, b.partners) for b in section.blocks[1:]] == [
        (
            "The partnership asks the Home Office not to go ahead with the proposal that a "
            "sponsor should have to show a minimum income. Two of the three partners who "
            "answered Question 1 disagreed with it.",
            2,
        )
    ]
    assert section.blocks[0].text == (
        "The partnership asks the Home Office to act on these recommendations, drawn from the "
        "partnership's positions. Partners made no specific requests in their answers."
    )


def test_a_recommendation_needs_two_partners_asking_and_never_opposes_the_position() -> None:
    asked = recommended(
        ("Council A", "Disagree", LOWER),
        ("Council B", "Disagree", LOWER),
        ("Trust C", "Disagree", "We disagree."),
        ("Trust D", "Agree", ""),
    )
    assert asked == [
        "The partnership asks the Home Office to set a lower regional rate for Northern Ireland."
        " Two of the four partners who answered Question 1 asked for this."
    ]
    alone = recommended(
        ("Council A", "Disagree", LOWER),
        ("Council B", "Disagree", "A lower regional rate for Northern Ireland would be fairer."),
        ("Trust C", "Disagree", "We disagree."),
        ("Trust D", "Agree", ""),
    )
    assert alone == []  # one partner's ask is its own point, not the partnership's
    keep = LOWER.replace("to set", "to keep the minimum income requirement but set")
    kept = recommended(
        ("Council A", "Disagree", keep),
        ("Council B", "Disagree", keep),
        ("Trust C", "Disagree", "We disagree."),
        ("Trust D", "Agree", ""),
    )
    assert kept == []  # the partnership does not agree with a minimum income
    by_those_for_it = recommended(
        ("Council A", "Disagree", ""),
        ("Council B", "Disagree", ""),
        ("Trust C", "Disagree", ""),
        ("Trust D", "Agree", LOWER),
        ("Trust E", "Agree", LOWER),
    )
    assert by_those_for_it == []  # asked by the partners who took the side it rejected


def test_a_recommendation_restating_a_proposal_partners_disagreed_with_is_dropped() -> None:
    ask = "Victims of domestic abuse must be able to settle in their own right."
    asks = (("Council A", "Disagree", ask), ("Council B", "Disagree", ask))
    assert recommended(*asks, ("Trust C", "Agree", "")) == []
    assert recommended(*asks, ("Trust C", "Agree", ""), settle="Agree") == [
        "Victims of domestic abuse must be able to settle in their own right. Two of the three "
        "partners who answered Question 1 asked for this."
    ]


def test_when_most_took_neither_side_partners_are_divided_not_leaning() -> None:
    positions = (
        "Agree",
        "Agree",
        "Disagree",
        "Don't know",
        "Don't know",
        "Neither agree nor disagree",
    )
    evidence = evidence_of(
        *(answer(n, f"Council {n}", position=p) for n, p in enumerate(positions, start=1)),
        questions=(CLOSED, OPEN),
    )
    position = assemble(evidence).section("question-1").blocks[1].text
    assert position == (
        "Partners were divided on this proposal: two of the six partners who answered agreed; "
        "two were unsure, one disagreed and one neither agreed nor disagreed."
    )


def test_a_point_one_section_tells_is_not_told_again_in_the_next_with_other_figures() -> None:
    later = QuestionFact(id=3, number="Q3", text="What else should we know?", kind="open")
    said = "Legal advice is scarce outside the city, and {} families a year cannot afford it."
    evidence = evidence_of(
        *(
            answer(n, name, said.format(n * 10), question=question)
            for n, (name, question) in enumerate(
                (
                    ("Council A", OPEN),
                    ("Council B", OPEN),
                    ("Council A", later),
                    ("Council B", later),
                ),
                start=1,
            )
        ),
        questions=(CLOSED, OPEN, later),
    )
    draft = assemble(evidence)
    assert any("legal advice is scarce" in p.lower() for p in points_of(draft, "question-2"))
    told = " ".join(b.text for b in draft.section("question-3").blocks).lower()
    assert "legal advice" not in told


def test_a_topic_cut_before_who_keeps_a_whole_noun_phrase() -> None:
    held = (
        "What evidence do you hold on the number of families who live apart because of the rules?"
    )
    assert topic(held) == "the number of families"


def test_the_next_sections_evidence_comes_first_from_partners_not_yet_heard() -> None:
    later = QuestionFact(id=3, number="Q3", text="What else should we know?", kind="open")
    figures = (
        "Our advice line took 410 calls last winter.",
        "Housing officers gave 220 hours to tenants.",
        "Schools enrolled 35 newly arrived pupils in September.",
        "The clinic registered 72 patients without a doctor.",
        "Churches handed out 900 food parcels.",
    )
    points = (  # each partner's own point, told before its figure
        "Volunteers feel exhausted and unsupported.",
        "Landlords ignore repair requests from tenants.",
        "Teachers welcome bilingual classroom assistants.",
        "Pharmacies translate prescription labels badly.",
        "Congregations organise weekend sports clubs.",
    )
    evidence = evidence_of(
        *(
            answer(10 * q + n, f"Partner {n}", f"{again}{point} {again}{text}", question=which)
            for q, which, again in ((2, OPEN, ""), (3, later, "Again this year, "))
            for n, (point, text) in enumerate(zip(points, figures, strict=True), start=1)
        ),
        questions=(CLOSED, OPEN, later),
    )
    draft = assemble(evidence)

    def evidence_from(key: str) -> list[str]:
        return [b.attribution for b in draft.section(key).blocks if b.kind == "figure"]

    assert evidence_from("question-2") == ["Partner 1", "Partner 2", "Partner 3", "Partner 4"]
    assert "Partner 5" in evidence_from("question-3")  # before Partner 4 is heard again


def test_a_partners_ask_naming_the_partnership_is_not_moved_into_its_voice() -> None:
    asked = "We would welcome a meeting with Home Office officials, jointly with the partnership."
    assert as_partnership(asked) is None  # "The partnership would welcome ... with the partnership"


def test_no_recommendation_from_asks_says_partners_asked_but_not_enough_in_line() -> None:
    ask = "Victims of domestic abuse must be able to settle in their own right."
    evidence = evidence_of(
        answer(1, "Council A", ask, question=INCOME, position="Disagree"),
        answer(2, "Council B", ask, question=INCOME, position="Disagree"),
        *(answer(3 + n, f"Trust {n}", question=SETTLE, position="Disagree") for n in range(2)),
        questions=(INCOME, SETTLE, OTHER),
    )
    blocks = assemble(evidence).section("recommendations").blocks
    assert blocks[0].text == (
        "The partnership asks the Home Office to act on these recommendations, drawn from the "
        "partnership's positions. Partners' requests are reported under each question; none "
        "was made by enough partners, in line with the partnership's positions, to be a "
        "recommendation of the whole partnership."
    )
    assert all(b.text.endswith(" disagreed with it.") for b in blocks[1:])  # its positions


def test_an_ask_made_in_answer_to_two_questions_is_one_key_point_counting_each_partner_once() -> (
    None
):
    """Two councils ask for funded ESOL classes in answer to Question 1, one of them again and a
    trust in answer to Question 2: three organisations, not four, out of the ten who answered
    either question; the key message says so, with the reason they share."""
    ask = "We would like to see funded ESOL classes close to where people live."
    why = "There are not enough classes for the people who want to learn English."
    answers = [
        answer(1, "Council A", f"{ask} {why}", position="Disagree"),
        answer(2, "Council B", f"{ask} {why}", position="Disagree"),
        answer(3, "Council D", "Legal advice is scarce.", position="Agree"),
        answer(4, "Council A", f"{ask}", question=OPEN),
        answer(5, "Trust C", f"{why} {ask}", question=OPEN),
        *elsewhere(),
    ]
    findings = find(evidence_of(*answers, questions=(CLOSED, OPEN, LATER)))
    (point,) = [p for p in findings.key_points if "esol" in p.claim.words]
    assert point.partners == 3 and point.answered == 10 and point.question_ids == (1, 2)
    summary = assemble(evidence_of(*answers, questions=(CLOSED, OPEN, LATER))).section("summary")
    message = next(b for b in summary.blocks if "ESOL" in b.text)
    assert message.text == (
        "Three of the ten partners who answered Questions 1 or 2 would like to see funded "
        "ESOL classes close to where people live, because there are not enough classes for the "
        "people who want to learn English."
    )
    assert message.partners == 3
    # Two readers took a count over several questions beside a section's count of its own
    # question for a contradiction: the introduction says what each counts.
    assert summary.blocks[0].text.endswith(
        "A point made in answer to several questions counts each partner once, out of all who "
        "answered any of them; each question's section counts that question alone."
    )


def test_restating_a_proposal_partners_were_divided_on_is_still_a_recommendation() -> None:
    """Partners split evenly on Question 2 did not reject its proposal: an ask restating it
    stands (in the 5,000-answer bench, every such ask was dropped for this)."""
    ask = "Victims of domestic abuse must be able to settle in their own right."
    asks = (("Council A", "Disagree", ask), ("Council B", "Disagree", ask))
    divided = recommended(*asks, ("Trust C", "Agree", ""), settle="Neither agree nor disagree")
    assert divided == [
        "Victims of domestic abuse must be able to settle in their own right. Two of the three "
        "partners who answered Question 1 asked for this."
    ]


def test_an_ask_inside_a_wider_point_is_a_recommendation_counted_by_those_who_asked() -> None:
    """Four partners make the domestic-abuse point; two of them ask for something. It is not
    an "ask" claim (most of its partners did not ask), but the two asked: the recommendation
    stands, counted as two, with their two answers behind it."""
    ask = "Victims of domestic abuse must be able to apply for settlement in their own right."
    point = "Financial dependence on a sponsor is a factor in domestic abuse cases."
    evidence = evidence_of(
        answer(1, "Council A", f"{point} {ask}", question=OPEN),
        answer(2, "Council B", f"{point} {ask}", question=OPEN),
        answer(3, "Trust C", point, question=OPEN),
        answer(4, "Trust D", point, question=OPEN),
        questions=(CLOSED, OPEN),
    )
    findings = find(evidence)
    (claim,) = [c.claim for c in findings.questions[1].claims if "abuse" in c.claim.words]
    assert claim.kind == "point" and claim.partners == 4
    (block,) = assemble(evidence).section("recommendations").blocks[1:]
    assert block.text == (f"{ask} Two of the four partners who answered Question 2 asked for this.")
    assert block.partners == 2 and block.answer_ids == [1, 2]


def test_a_position_carries_the_reason_the_partners_on_its_side_share() -> None:
    """Three of four partners disagree; two of them say why in much the same words. The key
    message gives the position with that reason; the partner who agreed lends it nothing."""
    why = "Repeated visa fees push families into debt and arrears."
    answers = [
        answer(1, "Council A", f"We disagree. {why}", position="Disagree"),
        answer(2, "Council B", f"We disagree. {why.replace('push', 'drive')}", position="Disagree"),
        answer(3, "Trust C", "We disagree.", position="Disagree"),
        answer(4, "Trust D", "Visa fees fund the system fairly.", position="Agree"),
        *elsewhere(),
    ]
    evidence = evidence_of(*answers, questions=(CLOSED, OPEN, LATER))
    assert find(evidence).questions[0].reason.text == why
    (position,) = [
        b.text
        for b in assemble(evidence).section("summary").blocks
        if b.text.startswith("The partnership")
    ]
    assert position == (
        "The partnership does not agree that partners applying to settle should have to show "
        "English at level B1 (Question 1): three of the four partners who answered disagreed, "
        "because repeated visa fees push families into debt and arrears."
    )


def test_a_position_carries_no_reason_most_of_its_side_did_not_give() -> None:
    """Four partners disagree; two of them give the same reason, the other two none: two of
    four is not most of the side, so the position stands without a "because"."""
    why = "Repeated visa fees push families into debt and arrears."
    answers = [
        answer(1, "Council A", f"We disagree. {why}", position="Disagree"),
        answer(2, "Council B", f"We disagree. {why.replace('push', 'drive')}", position="Disagree"),
        answer(3, "Trust C", "We disagree.", position="Disagree"),
        answer(4, "Trust D", "We disagree.", position="Disagree"),
        answer(5, "Trust E", "Visa fees fund the system fairly.", position="Agree"),
        *elsewhere(),
    ]
    evidence = evidence_of(*answers, questions=(CLOSED, OPEN, LATER))
    assert find(evidence).questions[0].reason is None
    (position,) = [
        b.text
        for b in assemble(evidence).section("summary").blocks
        if b.text.startswith("The partnership")
    ]
    assert position.endswith("four of the five partners who answered disagreed.")


def test_a_reason_is_cut_to_its_first_clause_and_comes_from_the_positions_side() -> None:
    """Three of four disagree and say why, at length; the partner who agreed says the same
    words with its own ending. The reason is the first clause of a disagreeing partner's
    sentence, never the rest of it."""
    why = "Repeated visa fees push families into debt and arrears"
    answers = [
        answer(
            1,
            "Council A",
            f"{why}, and in rural areas, where wages are low, it is worse.",
            position="Disagree",
        ),
        answer(
            2,
            "Council B",
            f"{why}, and in rural areas, where wages are low, it is worse.",
            position="Disagree",
        ),
        answer(
            3,
            "Trust C",
            f"{why}, and in rural areas, where wages are low, it is worse.",
            position="Disagree",
        ),
        answer(4, "Trust D", "Visa fees fund the system fairly.", position="Agree"),
        *elsewhere(),
    ]
    evidence = evidence_of(*answers, questions=(CLOSED, OPEN, LATER))
    reason = find(evidence).questions[0].reason
    assert reason is not None and reason.text == f"{why}."
    assert reason.organisation in {"Council A", "Council B", "Trust C"}
    (position,) = [
        b.text
        for b in assemble(evidence).section("summary").blocks
        if b.text.startswith("The partnership")
    ]
    assert position.endswith(
        "three of the four partners who answered disagreed, because repeated visa fees push "
        "families into debt and arrears."
    )


# --- sentences that cannot stand alone, and points said twice -----------------------------


def draft_texts(draft) -> str:
    """The text of the draft's question sections (the annex gives every answer whole)."""
    return "\n".join(
        b.text for s in draft.sections if s.key.startswith("question-") for b in s.blocks
    )


def test_a_sentence_leaning_on_households_named_before_or_only_saying_where_figures_came_from_is_never_given() -> (  # noqa: E501
    None
):
    """A reader asked "which households?" of a quote about "these households", and found "Our
    finance team took figures from our arrears workbook ..." quoted as if it were a finding."""
    method = (
        "Our finance team took figures from our arrears workbook for households where a tenant "
        "has no recourse to public funds."
    )
    leaning = "Our members spent £38,600 on emergency grants for these households over the year."
    standing = "We supported 63 families with no recourse to public funds in 2025-26."
    evidence = evidence_of(
        answer(1, "Housing A", f"{method} {leaning}", question=OPEN),
        answer(2, "Forum B", f"{standing} {leaning}", question=OPEN),
        questions=(CLOSED, OPEN),
    )
    text = draft_texts(assemble(evidence))
    assert standing.rstrip(".") in text or "63 families" in text
    assert "these households" not in text
    assert "arrears workbook" not in text


@pytest.mark.parametrize(
    ("sentence", "stands"),
    [
        ("Our tenancy officers spent 420 hours with these households.", False),
        ("Those who arrive in winter need coats.", False),  # leans back by its first word
        ("We help those who arrive with nothing.", True),
        ("We took the figures from our case system.", False),
        ("We used data from the 2021 census: 12% of residents were born abroad.", True),
        ("We used our reserves to keep the service open.", True),
    ],
)
def test_what_a_sentence_needs_said_before_it_decides_whether_it_is_reported(
    sentence: str, stands: bool
) -> None:
    assert reportable(sentence) is stands


def test_a_request_tells_a_point_for_all_only_where_most_of_its_partners_asked() -> None:
    """A council describes families crossing the border under the Common Travel Area; a forum
    urges the Home Office to think about the Common Travel Area. "Two of the three partners
    urged ..." would put the forum's request in the council's mouth."""
    evidence = evidence_of(
        answer(
            1,
            "Council A",
            "Families here move between two jurisdictions every day under the Common Travel "
            "Area, and people can identify as British, Irish or both.",
            question=OPEN,
        ),
        answer(
            2,
            "Forum B",
            "We also urge the Home Office to think about the Common Travel Area and the land "
            "border.",
            question=OPEN,
        ),
        answer(
            3, "Trust C", "Interpreting costs the Trust a great deal every year.", question=OPEN
        ),
        questions=(CLOSED, OPEN),
    )
    text = draft_texts(assemble(evidence))
    assert "Two of the three partners who answered urged" not in text
    assert "Forum B urged the Home Office to think about the Common Travel Area" in text


def test_the_about_section_says_partners_are_described_by_sector_only_where_one_is() -> None:
    """A reader found "the others are described by their sector or not at all" and no partner
    described by its sector anywhere: a sector fewer than three partners share is not shown."""
    two_health = [
        answer(1, "Trust A", "Waiting lists are long.", sector="health"),
        answer(2, "Trust B", "Waiting lists are long.", sector="health", consent="sector"),
        answer(3, "Forum C", "Waiting lists are long.", sector="voluntary", consent="anonymous"),
    ]
    about = assemble(evidence_of(*two_health, questions=(CLOSED,))).section("about")
    assert about.blocks[-1].text.endswith(
        "One of the three partners agreed to be named; the others are not named, as they asked."
    )
    three_health = [*two_health, answer(4, "Trust D", "Waiting lists are long.", sector="health")]
    about = assemble(evidence_of(*three_health, questions=(CLOSED,))).section("about")
    assert about.blocks[-1].text.endswith(
        "Two of the four partners agreed to be named; the others are not named, as they asked, "
        "and some are described by their sector."
    )


def test_a_partner_that_would_welcome_something_is_reported_as_welcoming_it() -> None:
    """A reader found "Belfast Metropolitan Council stressed that they would welcome ...": a
    wish is reported as one, not stressed or argued."""
    evidence = evidence_of(
        answer(
            1,
            "Council A",
            "We would welcome a regional data-sharing arrangement through the partnership.",
            question=OPEN,
        ),
        questions=(CLOSED, OPEN),
    )
    assert (
        "Council A would welcome a regional data-sharing arrangement through the partnership."
        in draft_texts(assemble(evidence)).splitlines()
    )


def test_the_sectors_the_about_section_lists_add_up_to_every_partner() -> None:
    """A reader added up "26 faith partners, 26 local authority partners, ..." and found 17 of
    the 200 missing: the partners of sectors too small to show are counted too."""
    answers = [
        answer(1, "Trust A", "Waiting lists are long.", sector="health"),
        answer(2, "Trust B", "Waiting lists are long.", sector="health"),
        answer(3, "Trust C", "Waiting lists are long.", sector="health"),
        answer(4, "Council D", "Waiting lists are long.", sector="local authority"),
    ]
    about = assemble(evidence_of(*answers, questions=(CLOSED,))).section("about")
    assert about.blocks[-2].text == (
        "This response draws on the answers of four partner organisations, among them three "
        "health partners and one other partner."
    )
