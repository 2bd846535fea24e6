"""Every count in the demo's draft, recomputed with queries of our own on the demo database
(SQLite, and PostgreSQL when TEST_DATABASE_URL is set): partners who answered each question,
the positions they took, and the partners behind each point. The demo is built once."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from conftest import BACKENDS, fresh_database
from draft_world import same_point_words
from sqlalchemy import Engine, distinct, func, select

from consultations.db import make_engine, read_scope
from consultations.demo import DEMO_OFFICER_EMAIL
from consultations.models import Consultation, User
from evidence.analysis import load_evidence
from evidence.demo import build_demo
from evidence.models import Answer, Submission
from exports import models as _exports_tables  # noqa: F401  (the demo knows every table)
from exports.draft import assemble

TODAY = date(2026, 11, 29)
NUMBER = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)"
WORDS = {
    w: n
    for n, w in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    )
}
SOME_OF = re.compile(
    rf"\b({NUMBER}|both|all {NUMBER}) (?:of the ({NUMBER}) )?partners who answered", re.IGNORECASE
)
COUNTED = re.compile(
    rf"(?:^|; | and |, |: )({NUMBER}) (?:of the {NUMBER} partners who answered )?"
    r"(?:agreed|disagreed|neither|were|was|said|strongly|tended|gave|chose)",
    re.IGNORECASE,
)


def same_point(text: str, rest: int) -> int:
    """Return how many other partners "... made the same point" counts; ``rest`` answered."""
    others, everyone = same_point_words(text)
    if everyone is not None:
        assert value(everyone, rest) == rest, text
    return value(others, rest)


def value(word: str, total: int) -> int:
    word = word.lower()
    if word == "both":
        return 2
    if word.startswith("all "):
        return total
    return WORDS[word] if word in WORDS else int(word)


@pytest.fixture(scope="module", params=BACKENDS)
def demo_engine(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Engine]:
    with fresh_database(request.param, tmp_path_factory.mktemp("demo")) as url:
        engine = make_engine(url)
        build_demo(engine, today=TODAY)
        yield engine
        engine.dispose()


def test_every_count_in_the_draft_is_what_the_database_says(demo_engine: Engine) -> None:
    with read_scope(demo_engine) as session:
        officer = session.scalar(select(User).where(User.email == DEMO_OFFICER_EMAIL))
        consultation = session.scalar(select(Consultation).where(Consultation.status == "open"))
        evidence = load_evidence(
            session,
            officer,
            consultation.id,
            today=TODAY,
            partnership="Northern Ireland Strategic Migration Partnership",
            region="Northern Ireland",
        )
        draft = assemble(evidence)
        body = " ".join(b.text for s in draft.sections if s.key != "annex" for b in s.blocks)
        assert "Themes are counted" in evidence.what_counts and "Themes are" not in body
        note = draft.section("annex").blocks[0].text  # nor in the annex, before all are checked
        assert "workbench" not in note and "checked" not in note
        submitted = (
            select(Answer.question_id, Answer.position, Submission.organisation_id)
            .join(Submission, Answer.submission_id == Submission.id)
            .where(
                Submission.consultation_id == consultation.id, Submission.submitted_at.is_not(None)
            )
        )
        rows = session.execute(submitted).all()

        def partners_behind(answer_ids: list[int]) -> int:
            return session.scalar(
                select(func.count(distinct(Submission.organisation_id)))
                .select_from(Answer)
                .join(Submission, Answer.submission_id == Submission.id)
                .where(Answer.id.in_(answer_ids))
            )

        answered = Counter(q for q, _, _ in {(q, None, o) for q, _, o in rows})
        answering = {}  # question -> the organisations that answered it
        for question_id, _, organisation_id in rows:
            answering.setdefault(question_id, set()).add(organisation_id)
        positions: dict[int, Counter[str]] = {}
        for question_id, position, _ in rows:
            positions.setdefault(question_id, Counter())[position.strip().lower()] += 1
        question_of = dict(session.execute(select(Answer.id, Answer.question_id)).all())
        checked = 0
        for section in draft.sections:
            for block in section.blocks:
                found = SOME_OF.search(block.text)
                if block.kind not in ("point", "paragraph") or found is None:
                    continue
                # a key point made over several questions: out of those who answered any
                asked = {question_of[i] for i in block.answer_ids}
                total = len(set().union(*(answering[q] for q in asked)))
                if found.group(2):
                    assert value(found.group(2), total) == total, block.text
                assert "similar point" not in block.text, block.text
                if block.kind == "point" and not block.text.startswith("The "):
                    assert value(found.group(1), total) == partners_behind(block.answer_ids)
                checked += 1
        for section in draft.sections:  # "{one partner's words} X made the same point."
            for block in section.blocks:
                if block.kind != "point" or same_point_words(block.text) is None:
                    continue
                (question_id,) = {question_of[i] for i in block.answer_ids}
                others = same_point(block.text, answered[question_id] - 1)
                assert others + 1 == partners_behind(block.answer_ids), block.text
                checked += 1
        for question in evidence.questions:
            sentence = draft.section(f"question-{question.id}").blocks[1].text
            told = sorted(value(n, answered[question.id]) for n in COUNTED.findall(sentence))
            if told:
                assert told == sorted(positions[question.id].values()), sentence
                checked += 1
        assert checked >= 30
