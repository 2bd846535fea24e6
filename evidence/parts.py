"""The parts of a partner's response, each with the question it seems to answer; the officer's say.

Every reader of a partner's own document (``evidence.word_route`` for Word and PDF letters,
``evidence.sheet_route`` for their own spreadsheets) returns a list of ``ProposedAnswer``: every
part of the document, in order, with the question (or questions) it was matched to, how sure the
match is and why. Nothing is merged silently: text that matches no question is a part of its own
with no question, for the officer to give to a question or leave out.

Confidence says how sure the proposal is, including a proposal of "no question":

- ``high``: the partner marked it ("Question 3", a table row numbered 3), or, for no question,
  it is plainly not an answer (a sign-off, "About us");
- ``medium``: a good reason short of a marker (a heading numbered 4 that is about Q4, a bare "3."
  after "Question 2", a section whose text is clearly about one question);
- ``low``: a guess the officer should check (text only a little like a question; a number and
  nothing else; a section like no question).

``answers_from_mapping`` applies the officer's corrections and joins the parts given to each
question into one answer for ``evidence.submissions.import_answers``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from consultations.errors import Problem, ValidationFailed
from evidence.positions import QuestionLike, option_for
from evidence.submissions import AnswerInput

HIGH, MEDIUM, LOW = "high", "medium", "low"
CONFIDENCES = (HIGH, MEDIUM, LOW)


@dataclass(frozen=True)
class ProposedAnswer:
    """One part of a partner's document and the question(s) it seems to answer."""

    index: int
    question_ids: tuple[int, ...]  # none: matched to no question; two or more: one joint answer
    numbers: tuple[str, ...]  # those questions' numbers, or the numbers found if none matched
    marker: str  # what started the part, as written: "Question 3", "Q.6", a heading's text
    subtitle: str  # the topic written after the marker ("minimum income threshold"), not answer
    stance: str  # the position the words take ("disagree", "yes", ...), kept for re-mapping
    stance_words: str  # the words it was read from ("We disagree"), or ""
    position: str  # the first question's option for that stance, or ""
    position_line: str  # a line that only gave the position ("No."), left out of ``text``
    text: str
    evidence_note: str
    confidence: str  # HIGH, MEDIUM or LOW
    why: str
    source: str  # "paragraphs 12-15", "table 1, row 3", "page 2", "row 7"

    @property
    def question_id(self) -> int | None:
        """Return the first question proposed, or None."""
        return self.question_ids[0] if self.question_ids else None

    @property
    def joint(self) -> bool:
        """Say whether one answer was written for several questions."""
        return len(self.question_ids) > 1


Choice = int | None | Sequence[int]


def _chosen(choice: Choice) -> tuple[int, ...]:
    if choice is None:
        return ()
    if isinstance(choice, int):
        return (choice,)
    return tuple(choice)


def answers_from_mapping(
    mapping: Sequence[ProposedAnswer],
    corrections: Mapping[int, Choice],
    *,
    questions: Sequence[QuestionLike],
) -> list[AnswerInput]:
    """Apply the officer's corrections and return one answer per question given any part.

    ``corrections`` maps a part's index to a question id, several ids (one answer for several
    questions), or None to leave the part out; parts not in it keep their proposal. Parts given
    to the same question are joined in document order, and a part's position is read again
    against each question it is given to.
    """
    by_id = {q.id: q for q in questions}
    gathered: dict[int, list[ProposedAnswer]] = {}
    problems: list[Problem] = []
    known = {part.index for part in mapping}
    for index in corrections:
        if index not in known:
            problems.append(Problem(f"part {index + 1} is not in the document; reload the preview"))
    for part in mapping:
        for question_id in _chosen(corrections.get(part.index, part.question_ids)):
            if question_id not in by_id:
                problems.append(
                    Problem(
                        f"part {part.index + 1} is given to a question that is not part of this "
                        "consultation; choose one of its questions"
                    )
                )
                continue
            gathered.setdefault(question_id, []).append(part)
    answers = []
    for question in questions:
        parts = gathered.get(question.id)
        if not parts:
            continue
        answer, problem = _joined(question, parts)
        if problem:
            problems.append(problem)
        answers.append(answer)
    if problems:
        raise ValidationFailed(problems, subject="The mapping")
    return [answer for answer in answers if not answer.is_empty()]


def _joined(
    question: QuestionLike, parts: list[ProposedAnswer]
) -> tuple[AnswerInput, Problem | None]:
    positions: dict[str, int] = {}
    texts, notes = [], []
    for part in parts:
        position = option_for(part.stance, question)
        if position:
            positions.setdefault(position, part.index + 1)
        elif part.position_line:
            # The position does not fit this question: keep the words in the comment instead.
            texts.append(part.position_line)
        texts.append(part.text)
        notes.append(part.evidence_note)
    problem = None
    if len(positions) > 1:
        listed = " and ".join(f"'{p}' (part {n})" for p, n in positions.items())
        problem = Problem(
            f"{question.number} would get two positions, {listed}; give one of those parts to no "
            "question, or to another question"
        )
    text = "\n\n".join(text for text in texts if text)
    note = "\n\n".join(note for note in notes if note)
    return AnswerInput(question.id, next(iter(positions), ""), text, note), problem


# --- Words for the officer's check ---------------------------------------------------------

_HOW_SURE = {HIGH: "", MEDIUM: ", likely", LOW: ", a guess"}


def how_sure(part: ProposedAnswer) -> str:
    """Say in plain words what the part was matched to and how sure the match is."""
    if not part.question_ids:
        return "left out unless you choose a question"
    return f"{' and '.join(part.numbers)}{_HOW_SURE[part.confidence]}"


@dataclass(frozen=True)
class MappingSummary:
    """How a document split: how many parts, how many sure, to check, and with no question."""

    parts: int
    sure: int
    to_check: int
    unmatched: int

    def sentence(self) -> str:
        """Return the summary as a sentence for the officer."""
        counted = [
            f"{self.sure} matched by the partner's own markers or numbers",
            f"{self.to_check} to check",
            f"{self.unmatched} with no question",
        ]
        plural = "part" if self.parts == 1 else "parts"
        return (
            f"The document splits into {self.parts} {plural}: {', '.join(counted)}. Check which "
            "question each part answers, give any part with no question to one if it answers it, "
            "then import."
        )


def summarise(mapping: Sequence[ProposedAnswer]) -> MappingSummary:
    """Count the parts by how sure their match is."""
    unmatched = sum(1 for part in mapping if not part.question_ids)
    sure = sum(1 for part in mapping if part.question_ids and part.confidence == HIGH)
    return MappingSummary(len(mapping), sure, len(mapping) - sure - unmatched, unmatched)


def choices_for(
    part: ProposedAnswer, questions: Sequence[QuestionLike]
) -> dict[tuple[int, ...], str]:
    """Return the choices for a part, with their labels: none, a joint answer's questions, or
    each question."""
    choices: dict[tuple[int, ...], str] = {(): "Leave out"}
    if part.joint:
        choices[part.question_ids] = f"{' and '.join(part.numbers)} (one answer for each)"
    for question in questions:
        text = " ".join(question.text.split())
        short = text if len(text) <= 70 else text[:69] + "…"
        choices[(question.id,)] = f"{question.number}: {short}"
    return choices
