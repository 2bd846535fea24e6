"""A consultation's questions: add, edit, reorder, delete, and save what an import found.

Editing a question partners have answered keeps their answers as they were: an option renamed
where it stands in the list carries the answers that chose it over to the new wording (and says
so); an edit that would leave answers with a position the question no longer offers (an option
dropped, or the question made open) is refused, saying which answers and what to do instead.
Answers belong to a later stage (``evidence``), which registers how to read and relabel them
(``register_answer_keeper``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.audit import record_event
from consultations.consultation import get_consultation
from consultations.errors import Problem, StaleEdit, ValidationFailed, WorkbenchError
from consultations.models import DEFAULT_OPTIONS, QUESTION_KINDS, Question, User
from consultations.words import agreeing, counted

# Each kind of question in words, wherever an officer sees one (never "hybrid" alone).
KIND_WORDS = {
    "open": "Open: a written answer only",
    "closed": "Closed: choose one option",
    "hybrid": "Both: choose an option and explain",
}

# An answer keeps the option chosen in a column of this many characters (evidence.models.Answer).
MAX_OPTION_LENGTH = 100
MAX_SECTION_LENGTH = 200  # Question.section
_NUMBER = re.compile(
    r"^\s*(?:q(?:uestion)?\s*)?(\d{1,3})(?:\.(\d{1,2}))?\s*\(?([a-z]?)\)?\s*$", re.IGNORECASE
)


@dataclass(frozen=True)
class QuestionForm:
    """What the officer types (or an import finds) for one question."""

    number: str
    text: str
    kind: str = "open"
    options: tuple[str, ...] = ()
    section: str = ""  # the chapter or heading it stands under in the paper


@dataclass(frozen=True)
class AnswerKeeper:
    """What the answers' stage lends this module: which positions a question's answers chose
    ({position: number of answers}), and relabelling them ({old: new} -> answers changed)."""

    chosen: Callable[[Session, int], dict[str, int]]
    relabel: Callable[[Session, int, Mapping[str, str]], int]


_keeper: AnswerKeeper | None = None


def register_answer_keeper(keeper: AnswerKeeper) -> None:
    """Let the stage that holds answers keep them through question edits (``evidence`` does,
    when it is imported; without it no answer exists to keep)."""
    global _keeper
    _keeper = keeper


@dataclass(frozen=True)
class QuestionUpdate:
    """A saved edit, and the answers carried over to renamed options: {old: (new, answers)}."""

    question: Question
    carried: dict[str, tuple[str, int]]

    def note(self) -> str:
        """Say what happened to partners' answers, or nothing when none changed."""
        return " ".join(
            f"{counted(count, 'answer')} that chose '{old}' now {agreeing(count, 'says', 'say')} "
            f"'{new}'."
            for old, (new, count) in self.carried.items()
        )


def normalise_number(number: str) -> str | None:
    """Return a question number as 'Q3', 'Q3a' or 'Q2.1', or None if it is not one."""
    match = _NUMBER.match(number)
    if not match:
        return None
    minor = f".{int(match.group(2))}" if match.group(2) else ""
    return f"Q{int(match.group(1))}{minor}{match.group(3).lower()}"


def question_problems(form: QuestionForm) -> list[str]:
    """List what is wrong with one question."""
    problems = []
    if normalise_number(form.number) is None:
        problems.append(f"'{form.number}' is not a question number (write it like Q3 or Q3a)")
    if not form.text.strip():
        problems.append("the question text is empty")
    if form.kind not in QUESTION_KINDS:
        problems.append(f"'{form.kind}' is not a kind (choose open, closed or hybrid)")
    options = [o for o in form.options if o.strip()]
    if len({o.strip().lower() for o in options}) != len(options):
        problems.append("the options repeat themselves")
    if len(form.section.strip()) > MAX_SECTION_LENGTH:
        problems.append(
            f"the section has {len(form.section.strip()):,} characters and the most is "
            f"{MAX_SECTION_LENGTH}; shorten it"
        )
    longest = max((len(o.strip()) for o in options), default=0)
    if longest > MAX_OPTION_LENGTH:
        problems.append(
            f"an option has {longest:,} characters and the most is {MAX_OPTION_LENGTH}; "
            "shorten it, and put any explanation in the question text"
        )
    return problems


def _options_for(form: QuestionForm) -> list[str]:
    if form.kind == "open":
        return []
    options = [o.strip() for o in form.options if o.strip()]
    return options or list(DEFAULT_OPTIONS)


def add_question(
    session: Session, actor: User, consultation_id: int, form: QuestionForm, *, now: datetime
) -> Question:
    """Add a question at the end of the consultation's list."""
    require(actor, "question.edit")
    return save_questions(session, actor, consultation_id, [form], now=now, source="form")[0]


def save_questions(
    session: Session,
    actor: User,
    consultation_id: int,
    forms: Sequence[QuestionForm],
    *,
    now: datetime,
    source: str,
    skip_unchanged: bool = False,
) -> list[Question]:
    """Add questions after the existing ones; all or nothing, every problem listed.

    With ``skip_unchanged``, a question the consultation has already (same number, same words)
    is passed over rather than refused, so importing the same file twice adds nothing twice.
    """
    require(actor, "question.import" if source != "form" else "question.edit")
    consultation = get_consultation(session, consultation_id, for_update=True)
    rows = list(enumerate(forms, start=1))
    if skip_unchanged:
        rows = [
            (row, form) for row, form in rows if not _already_there(form, consultation.questions)
        ]
        if not rows:
            return []
    forms = [form for _, form in rows]
    existing = {q.number for q in consultation.questions}
    problems: list[Problem] = []
    seen: set[str] = set()
    for row, form in rows:
        where = row if len(rows) > 1 or skip_unchanged else None
        problems += [Problem(p, row=where) for p in question_problems(form)]
        number = normalise_number(form.number)
        if number in existing:
            problems.append(Problem(f"{number} exists already in this consultation", row=where))
        elif number in seen:
            problems.append(Problem(f"{number} appears more than once", row=where))
        seen.add(number or "")
    if problems:
        raise ValidationFailed(problems, subject="The list of questions")
    position = _last_position(session, consultation_id)
    saved = []
    for offset, form in enumerate(forms, start=1):
        question = Question(
            consultation_id=consultation_id,
            position=position + offset,
            number=normalise_number(form.number),
            text=form.text.strip(),
            kind=form.kind,
            options=_options_for(form),
            section=form.section.strip(),
        )
        session.add(question)
        saved.append(question)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="questions.added",
        object_type="consultation",
        object_id=consultation_id,
        consultation_id=consultation_id,
        detail={"numbers": [q.number for q in saved], "source": source},
        now=now,
    )
    session.expire(consultation, ["questions"])
    return saved


# What an import may do with questions whose numbers the consultation has already.
CLASH_CHOICES = {
    "after": "Add them after the existing questions, numbered on from them",
    "replace": "Replace the existing questions with those numbers (only if nobody has answered "
    "them)",
}


def clashing_numbers(forms: Sequence[QuestionForm], questions: Sequence[Question]) -> list[str]:
    """The numbers an import holds that the consultation has already for other words (the same
    question imported again is not a clash: it is passed over)."""
    have = {q.number for q in questions}
    return [
        number
        for form in forms
        if (number := normalise_number(form.number)) in have and not _already_there(form, questions)
    ]


def numbered_after(
    forms: Sequence[QuestionForm], questions: Sequence[Question]
) -> list[QuestionForm]:
    """The imported questions numbered on from the consultation's highest number, leaving out
    any it has already (same number, same words): after Q1-Q5, a file's Q1, Q2 and Q2a become
    Q6, Q7 and Q7a."""
    top = max((_major(q.number) for q in questions), default=0)
    majors: dict[int, int] = {}
    renumbered = []
    for form in forms:
        number = normalise_number(form.number)
        if number is None or _already_there(form, questions):
            if number is None:
                renumbered.append(form)  # refused with its own problem when saved
            continue
        major = _major(number)
        new = majors.setdefault(major, top + len(majors) + 1)
        renumbered.append(replace(form, number=f"Q{new}{number[len(f'Q{major}') :]}"))
    return renumbered


def _major(number: str) -> int:
    match = re.match(r"Q(\d+)", number)
    return int(match.group(1)) if match else 0


def replace_questions(
    session: Session,
    actor: User,
    consultation_id: int,
    forms: Sequence[QuestionForm],
    *,
    now: datetime,
    source: str,
) -> list[Question]:
    """Import questions, replacing the consultation's questions with the same numbers, in their
    places; all or nothing. A question partners have answered is never replaced."""
    require(actor, "question.import")
    consultation = get_consultation(session, consultation_id, for_update=True)
    numbers = set(clashing_numbers(forms, consultation.questions))
    places: dict[str, int] = {}
    answered: list[str] = []
    for question in [q for q in consultation.questions if q.number in numbers]:
        try:
            # Answers point at their question with a foreign key: the database refuses to
            # delete an answered one, and the savepoint keeps the rest of the action intact.
            with session.begin_nested():
                session.delete(question)
                session.flush()
            places[question.number] = question.position
        except IntegrityError:
            answered.append(question.number)
    if answered:
        raise ValidationFailed(
            [Problem(f"{n} has answers already, so it cannot be replaced") for n in answered],
            subject="The list of questions",
        )
    session.expire(consultation, ["questions"])
    if places:
        record_event(
            session,
            actor=actor,
            action="questions.replaced",
            object_type="consultation",
            object_id=consultation_id,
            consultation_id=consultation_id,
            detail={"numbers": sorted(places), "source": source},
            now=now,
        )
    saved = save_questions(
        session, actor, consultation_id, forms, now=now, source=source, skip_unchanged=True
    )
    for question in saved:
        if question.number in places:
            question.position = places[question.number]
    session.flush()
    return saved


def _already_there(form: QuestionForm, questions: Sequence[Question]) -> bool:
    number, words = normalise_number(form.number), " ".join(form.text.split())
    return any(q.number == number and " ".join(q.text.split()) == words for q in questions)


def _last_position(session: Session, consultation_id: int) -> int:
    return session.scalar(
        select(func.coalesce(func.max(Question.position), 0)).where(
            Question.consultation_id == consultation_id
        )
    )


def update_question(
    session: Session,
    actor: User,
    question_id: int,
    *,
    seen_version: int,
    form: QuestionForm,
    now: datetime,
) -> QuestionUpdate:
    """Change a question, refusing if someone else saved it since it was read, or if the change
    would leave partners' answers with a position it no longer offers."""
    require(actor, "question.edit")
    question = _question(session, question_id)
    if question.version != seen_version:
        raise StaleEdit(
            f"Someone else changed {question.number} while you were editing. Their version is "
            "shown; make your change again on top of it.",
            current={
                "number": question.number,
                "text": question.text,
                "kind": question.kind,
                "options": list(question.options),
                "section": question.section,
            },
        )
    problems = question_problems(form)
    number = normalise_number(form.number)
    clash = session.scalar(
        select(Question.id).where(
            Question.consultation_id == question.consultation_id,
            Question.number == number,
            Question.id != question.id,
        )
    )
    if clash:
        problems.append(f"{number} exists already in this consultation")
    chosen = _chosen(session, question.id)
    renames = _renames(list(question.options), _options_for(form))
    problems += _answers_left_behind(
        question.number, form.kind, _options_for(form), renames, chosen
    )
    if problems:
        raise ValidationFailed(problems, subject="The question")
    carried = {old: (new, chosen[old]) for old, new in renames.items() if chosen.get(old, 0) > 0}
    if carried and _keeper is not None:
        _keeper.relabel(session, question.id, {old: new for old, (new, _) in carried.items()})
    question.number = number
    question.text = form.text.strip()
    question.kind = form.kind
    question.options = _options_for(form)
    question.section = form.section.strip()
    record_event(
        session,
        actor=actor,
        action="question.updated",
        object_type="question",
        object_id=question.id,
        consultation_id=question.consultation_id,
        detail={"number": question.number}
        | ({"carried": {old: new for old, (new, _) in carried.items()}} if carried else {}),
        now=now,
    )
    return QuestionUpdate(question, carried)


def _chosen(session: Session, question_id: int) -> dict[str, int]:
    if _keeper is None:
        return {}
    return {position: n for position, n in _keeper.chosen(session, question_id).items() if position}


def _renames(old: Sequence[str], new: Sequence[str]) -> dict[str, str]:
    """Options reworded where they stand in the list: {old wording: new wording}."""
    return {
        before: after
        for before, after in zip(old, new, strict=False)
        if before != after and before not in new and after not in old
    }


def _answers_left_behind(
    number: str, kind: str, options: Sequence[str], renames: Mapping[str, str], chosen: dict
) -> list[str]:
    if not chosen:
        return []
    if kind == "open":
        listed = ", ".join(f"'{p}' ({n:,})" for p, n in chosen.items())
        answers = counted(sum(chosen.values()), "answer")
        return [
            f"{answers} to {number} chose a position ({listed}), and an open question takes "
            "none; keep it closed or 'both' so those answers keep their positions"
        ]
    return [
        f"{counted(n, 'answer')} to {number} chose '{position}', which the new options no "
        "longer have; keep that option, or reword it where it stands in the list to carry "
        "those answers over to the new wording"
        for position, n in chosen.items()
        if position not in options and position not in renames
    ]


def move_question(
    session: Session, actor: User, question_id: int, *, step: int, now: datetime
) -> None:
    """Move a question up (step -1) or down (step +1) the consultation's list."""
    require(actor, "question.edit")
    question = _question(session, question_id)
    siblings = list(
        session.scalars(
            select(Question)
            .where(Question.consultation_id == question.consultation_id)
            .order_by(Question.position)
            .with_for_update()
        )
    )
    index = siblings.index(question)
    target = index + step
    if not 0 <= target < len(siblings):
        return
    other = siblings[target]
    question.position, other.position = other.position, question.position
    record_event(
        session,
        actor=actor,
        action="question.moved",
        object_type="question",
        object_id=question.id,
        consultation_id=question.consultation_id,
        detail={"number": question.number, "step": step},
        now=now,
    )


def delete_question(session: Session, actor: User, question_id: int, *, now: datetime) -> None:
    """Delete a question that nobody has answered yet."""
    require(actor, "question.edit")
    question = _question(session, question_id)
    number, consultation_id = question.number, question.consultation_id
    try:
        # Answers point at their question with a foreign key, so the database itself refuses
        # to delete an answered question; the savepoint keeps the rest of the action intact.
        with session.begin_nested():
            session.delete(question)
            session.flush()
    except IntegrityError as exc:
        raise WorkbenchError(
            f"{number} has answers already, so it cannot be deleted. Edit its text instead."
        ) from exc
    record_event(
        session,
        actor=actor,
        action="question.deleted",
        object_type="question",
        object_id=question_id,
        consultation_id=consultation_id,
        detail={"number": number},
        now=now,
    )


def _question(session: Session, question_id: int) -> Question:
    question = session.get(Question, question_id, with_for_update=True)
    if question is None:
        raise WorkbenchError("That question does not exist any more. Reload the page.")
    return question
