"""Evidence for the draft's tests: the demo's answers tagged by the real tagger, and a builder
for small hand-made cases."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from consultations import demo
from evidence.facts import AnswerFact, Evidence, QuestionFact, ThemeFact
from evidence.tagger import build_tagger, load_default_taxonomy

ROOT = Path(__file__).resolve().parent.parent
DEMO_ANSWERS = ROOT / "evidence" / "demo_answers.json"
TODAY = date(2026, 11, 29)
THEMES = tuple(ThemeFact(t.id, t.label, t.description) for t in load_default_taxonomy())


def evidence_of(
    *answers: AnswerFact, questions: tuple[QuestionFact, ...], about: str = ""
) -> Evidence:
    """Wrap answers and questions as one consultation's evidence."""
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


def demo_questions() -> tuple[QuestionFact, ...]:
    """The demo consultation's ten questions, with ids 11 to 20."""
    return tuple(
        QuestionFact(id=10 + n, number=number, text=text, kind=kind, options=tuple(options))
        for n, (number, text, kind, options) in enumerate(demo.FAMILY_QUESTIONS, start=1)
    )


def demo_evidence() -> Evidence:
    """The demo consultation's submitted answers, tagged by the rule tagger (ids from 101),
    each organisation with the area it covers, as the demo database holds them."""
    loaded = json.loads(DEMO_ANSWERS.read_text(encoding="utf-8"))
    sector_of = {name: sector for name, sector, _ in demo.ORGANISATIONS}
    area_of = {name: area for name, _, area in demo.ORGANISATIONS}
    questions = demo_questions()
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
                area=area_of[name],
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


# "{one partner's words} One other partner made the same point.", "The other partner who
# answered made the same point.", "All three other partners who answered made the same point.",
# "Of the other 199 partners who answered, 61 made the same point." The others are counted,
# never named.
SAME = re.compile(r"(?<=\. )([^.]+?) made the same point(?: on [^.]+)?\.$")


def same_point_words(text: str) -> tuple[str, str | None] | None:
    """Return the word counting the others who made the same point as one partner's words, and
    the word counting all others who answered where the sentence gives it; None where the text
    has no such sentence. Anything but a count there (a name, say) fails the test."""
    found = SAME.search(text)
    if found is None:
        return None
    who = found.group(1)
    if who == "The other partner who answered":
        return "one", "one"
    if (every := re.fullmatch(r"All (\w+) other partners who answered", who)) is not None:
        return every.group(1), every.group(1)
    if (some := re.fullmatch(r"Of the other (\w+) partners who answered, (\w+)", who)) is not None:
        return some.group(2), some.group(1)
    counted = re.fullmatch(r"(\w+) other partners?", who)
    assert counted is not None, f"not a count of partners: {who!r} in {text!r}"
    return counted.group(1).lower(), None
