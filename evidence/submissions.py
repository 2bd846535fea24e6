"""Partners' submissions: saving answers, submitting with a quoting consent, and their history.

Everyone at an organisation shares one submission per consultation. A partner may write until
the partner deadline (the whole of that day, UK time) while the consultation is open; an
officer may write on a partner's behalf at any time before drafting starts, and every such
change is marked as entered by the officer. Each submit keeps a snapshot of every answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.audit import record_event
from consultations.consultation import get_consultation
from consultations.dates import plain_date, plain_datetime
from consultations.db import hold_lock
from consultations.errors import (
    AccessDenied,
    Problem,
    StaleEdit,
    ValidationFailed,
    WorkbenchError,
)
from consultations.mail.config import Postbox
from consultations.models import Consultation, Organisation, Question, User
from evidence.consent import CONSENT_VALUES
from evidence.models import (
    MAX_COMMENT,
    MAX_EVIDENCE_NOTE,
    Answer,
    Submission,
    SubmissionSnapshot,
)
from evidence.receipts import mail_submission
from evidence.tagging import tag_saved_answers

# Stages in which answers may still change: partners only while open, officers until drafting.
PARTNER_WRITABLE = frozenset({"open"})
OFFICER_WRITABLE = frozenset({"open", "closed"})


@dataclass(frozen=True)
class AnswerInput:
    """One answer as a form or an import gives it."""

    question_id: int
    position: str = ""
    text: str = ""
    evidence_note: str = ""

    def is_empty(self) -> bool:
        """Say whether nothing was written or chosen."""
        return not (self.position.strip() or self.text.strip() or self.evidence_note.strip())


class AnswersOvertaken(StaleEdit):
    """Answers the import would replace were saved again after the person checked the file."""

    def __init__(self, message: str, *, question_ids: Sequence[int]) -> None:
        super().__init__(message)
        self.question_ids = tuple(question_ids)


class DeadlinePassed(WorkbenchError):
    """A partner tried to change or submit answers after the deadline."""


def deadline_passed(consultation: Consultation, today: date) -> bool:
    """Say whether the partner deadline is over (the deadline day itself still counts)."""
    return today > consultation.partner_deadline


def closed_message(consultation: Consultation, today: date) -> str:
    """Tell a partner why they can no longer change their answers, and whom to contact."""
    if deadline_passed(consultation, today):
        why = f"The partner deadline was {plain_date(consultation.partner_deadline)}"
    else:
        why = "This consultation is no longer open to partners"
    return (
        f"{why}, so answers can no longer be changed or submitted here. Your saved work is "
        "kept. If you have something to add, write to your partnership's policy officer, who "
        "can add it on your behalf."
    )


def organisation_for(actor: User, organisation_id: int | None) -> int:
    """Return whose submission the person works on: a partner only ever their own."""
    require(actor, "submission.edit")
    if actor.role == "partner":
        if actor.organisation_id is None:
            raise AccessDenied("Your account is not linked to an organisation. Ask your officer.")
        if organisation_id not in (None, actor.organisation_id):
            raise AccessDenied(
                "You can only see and change your own organisation's answers. "
                "This attempt has been recorded."
            )
        return actor.organisation_id
    if organisation_id is None:
        raise WorkbenchError("Choose the organisation whose answers you are entering.")
    return organisation_id


# Why an officer can no longer change answers, at each stage after partners' answers are in.
OFFICER_CLOSED = {
    "drafting": "Drafting has started, so answers can no longer change. Move the consultation "
    "back to 'closed' first if an answer must be corrected.",
    "in_review": "The draft is with the board, so answers can no longer change.",
    "approved": "The board has approved the response, so answers can no longer change.",
    "sent": "The response has been sent to the department, so the answers stay as they were.",
}


def check_writable(actor: User, consultation: Consultation, today: date) -> None:
    """Refuse a change when the consultation's stage or the deadline no longer allows one."""
    if actor.role == "officer":
        if consultation.status not in OFFICER_WRITABLE:
            why = OFFICER_CLOSED.get(consultation.status, OFFICER_CLOSED["drafting"])
            raise WorkbenchError(why)
        return
    if consultation.status not in PARTNER_WRITABLE or deadline_passed(consultation, today):
        raise DeadlinePassed(closed_message(consultation, today))


def find_submission(
    session: Session, consultation_id: int, organisation_id: int, *, for_update: bool = False
) -> Submission | None:
    """Return the organisation's submission for the consultation, if it has one."""
    query = select(Submission).where(
        Submission.consultation_id == consultation_id,
        Submission.organisation_id == organisation_id,
    )
    return session.scalar(query.with_for_update() if for_update else query)


def open_submission(
    session: Session, actor: User, consultation_id: int, *, organisation_id: int | None = None
) -> Submission | None:
    """Return the submission the person may see (None if nobody has started it yet)."""
    require(actor, "consultation.view")
    organisation = organisation_for(actor, organisation_id)
    consultation = get_consultation(session, consultation_id)
    if actor.role == "partner" and consultation.status == "draft":
        raise AccessDenied(
            "This consultation is not open to partners yet. This attempt has been recorded."
        )
    return find_submission(session, consultation_id, organisation)


def submission_by_id(session: Session, actor: User, submission_id: int) -> Submission:
    """Return a submission by id, refusing anyone outside its organisation but officers."""
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise WorkbenchError("That submission does not exist.")
    organisation_for(actor, submission.organisation_id)
    return submission


def _submission_for_writing(
    session: Session, actor: User, consultation: Consultation, organisation_id: int, now: datetime
) -> Submission:
    submission = find_submission(session, consultation.id, organisation_id, for_update=True)
    # FOR UPDATE cannot lock a row not there yet: two first saves of one organisation would
    # both add one.
    if submission is None and hold_lock(session, f"submission {consultation.id} {organisation_id}"):
        submission = find_submission(session, consultation.id, organisation_id, for_update=True)
    if submission is None:
        if session.get(Organisation, organisation_id) is None:
            raise WorkbenchError("That organisation does not exist.")
        submission = Submission(
            consultation_id=consultation.id,
            organisation_id=organisation_id,
            created_at=now,
            last_activity_at=now,
        )
        session.add(submission)
        session.flush()
    return submission


def answer_problems(question: Question, answer: AnswerInput) -> list[str]:
    """List what is wrong with one answer to one question."""
    problems = []
    position = answer.position.strip()
    if position and question.kind == "open":
        problems.append(f"{question.number} asks for a written answer only, not a position")
    if position and question.kind != "open" and position not in question.options:
        listed = ", ".join(question.options)
        problems.append(f"'{position}' is not one of the answers to {question.number}: {listed}")
    if len(answer.text) > MAX_COMMENT:
        problems.append(
            f"the comment on {question.number} has {len(answer.text):,} characters; "
            f"the most is {MAX_COMMENT:,}"
        )
    if len(answer.evidence_note) > MAX_EVIDENCE_NOTE:
        problems.append(
            f"the evidence note on {question.number} is longer than {MAX_EVIDENCE_NOTE:,} "
            "characters"
        )
    # PostgreSQL cannot store a NUL character in text, and no one means to type one.
    if "\x00" in answer.text + answer.evidence_note + answer.position:
        problems.append(
            f"the answer to {question.number} holds an invisible NUL character that cannot be "
            "saved; type the text again, or paste it as plain text"
        )
    return problems


def save_answer(
    session: Session,
    actor: User,
    consultation_id: int,
    answer: AnswerInput,
    *,
    seen_version: int,
    organisation_id: int | None = None,
    today: date,
    now: datetime,
) -> Answer:
    """Save one answer; refuse if someone else saved it since it was read (seen_version 0 = new)."""
    organisation = organisation_for(actor, organisation_id)
    # Shared: organisations save side by side; a stage change waits for the saves under way.
    consultation = get_consultation(session, consultation_id, for_share=True)
    check_writable(actor, consultation, today)
    question = _question_of(session, consultation_id, answer.question_id)
    problems = answer_problems(question, answer)
    if problems:
        raise ValidationFailed(problems, subject=f"Your answer to {question.number}")
    submission = _submission_for_writing(session, actor, consultation, organisation, now)
    row = session.scalar(
        select(Answer)
        .where(Answer.submission_id == submission.id, Answer.question_id == question.id)
        .with_for_update()
    )
    current_version = row.version if row else 0
    if current_version != seen_version:
        raise _stale(question, row)
    created = row is None
    if row is None:
        row = Answer(submission_id=submission.id, question_id=question.id)
        session.add(row)
    _fill(row, answer, actor=actor, now=now)
    submission.last_activity_at = now
    if submission.status == "submitted":
        submission.status = "draft"
    session.flush()
    record_event(
        session,
        actor=actor,
        action="answer.saved",
        object_type="answer",
        object_id=row.id,
        consultation_id=consultation_id,
        detail={
            "question": question.number,
            "organisation_id": organisation,
            "on_behalf": actor.role == "officer",
        },
        now=now,
    )
    # After the answer is written: a tagging failure leaves it untagged, never unsaved.
    tag_saved_answers(session, [row], now=now, new_ids={row.id} if created else ())
    return row


def _values(answer: AnswerInput, *, actor: User, now: datetime) -> dict[str, object]:
    """Return what a save writes into an answer's row."""
    return {
        "position": answer.position.strip(),
        "text": answer.text.strip(),
        "evidence_note": answer.evidence_note.strip(),
        "updated_at": now,
        "updated_by_id": actor.id,
        "entered_by_officer": actor.role == "officer",
    }


def _fill(row: Answer, answer: AnswerInput, *, actor: User, now: datetime) -> None:
    for name, value in _values(answer, actor=actor, now=now).items():
        setattr(row, name, value)


def _insert_answers(
    session: Session, submission: Submission, values: Sequence[dict[str, object]]
) -> list[Answer]:
    """Insert new answers with one statement and return them.

    The unit of work would insert them one statement each on SQLite, because it needs each new
    id back in order and SQLite cannot promise that order: about a millisecond of a 20-answer
    import, 7% of it.
    """
    if not values:
        return []
    session.execute(insert(Answer.__table__), values)
    session.expire(submission, ["answers"])
    return list(
        session.scalars(
            select(Answer).where(
                Answer.submission_id == submission.id,
                Answer.question_id.in_([value["question_id"] for value in values]),
            )
        )
    )


def _stale(question: Question, row: Answer | None) -> StaleEdit:
    who = row.updated_by.name if row and row.updated_by else "someone"
    return StaleEdit(
        f"{who} saved an answer to {question.number} while you were writing, so yours was not "
        "saved. Their answer is shown below: copy what you need from yours, then save again.",
        current={
            "position": row.position if row else "",
            "comment": row.text if row else "",
            "evidence": row.evidence_note if row else "",
            "saved by": who,
        },
        version=row.version if row else 0,
    )


def _question_of(session: Session, consultation_id: int, question_id: int) -> Question:
    question = session.get(Question, question_id)
    if question is None or question.consultation_id != consultation_id:
        raise WorkbenchError("That question is not part of this consultation. Reload the page.")
    return question


def import_answers(
    session: Session,
    actor: User,
    consultation_id: int,
    answers: Sequence[AnswerInput],
    *,
    organisation_id: int | None = None,
    source: str,
    today: date,
    now: datetime,
    seen_versions: Mapping[int, int] | None = None,
) -> Submission:
    """Fill a submission from an import: every answer checked first, then all saved, or none.

    Answers in the file replace the saved ones for the same questions (so importing the same
    file twice changes nothing); questions the file leaves empty keep their saved answers.
    ``seen_versions``: each question's saved answer version (0: none) when the person checked
    the file (``evidence.import_preview``); an answer saved again since, which the file would
    change, stops the whole import (``AnswersOvertaken``) until the person has seen it.
    """
    organisation = organisation_for(actor, organisation_id)
    consultation = get_consultation(session, consultation_id, for_share=True)
    check_writable(actor, consultation, today)
    questions = {q.id: q for q in consultation.questions}
    problems: list[Problem] = []
    for answer in answers:
        question = questions.get(answer.question_id)
        if question is None:
            problems.append(Problem("the question is not part of this consultation"))
            continue
        problems += [Problem(p) for p in answer_problems(question, answer)]
    if problems:
        raise ValidationFailed(problems, subject=f"The file '{source}'")
    submission = _submission_for_writing(session, actor, consultation, organisation, now)
    existing = {a.question_id: a for a in submission.answers}
    if seen_versions is not None:
        _check_not_overtaken(answers, existing, seen_versions, questions)
    changed = []
    updated_rows = []
    new_values = []
    for answer in answers:
        if answer.is_empty():
            continue
        row = existing.get(answer.question_id)
        if row is not None and _same(row, answer):
            continue
        changed.append(questions[answer.question_id].number)
        if row is None:
            new_values.append(
                {
                    "submission_id": submission.id,
                    "question_id": answer.question_id,
                    **_values(answer, actor=actor, now=now),
                }
            )
        else:
            _fill(row, answer, actor=actor, now=now)
            updated_rows.append(row)
    if changed:
        submission.last_activity_at = now
        if submission.status == "submitted":
            submission.status = "draft"
    session.flush()
    new_rows = _insert_answers(session, submission, new_values)
    record_event(
        session,
        actor=actor,
        action="answers.imported",
        object_type="submission",
        object_id=submission.id,
        consultation_id=consultation_id,
        detail={"source": source, "changed": changed, "on_behalf": actor.role == "officer"},
        now=now,
    )
    tag_saved_answers(
        session, updated_rows + new_rows, now=now, new_ids={row.id for row in new_rows}
    )
    return submission


def _check_not_overtaken(
    answers: Sequence[AnswerInput],
    existing: Mapping[int, Answer],
    seen_versions: Mapping[int, int],
    questions: Mapping[int, Question],
) -> None:
    overtaken = [
        row
        for answer in answers
        if not answer.is_empty()
        and (row := existing.get(answer.question_id)) is not None
        and row.version != seen_versions.get(answer.question_id, 0)
        and not _same(row, answer)
    ]
    if not overtaken:
        return
    saved = "; ".join(
        f"{questions[row.question_id].number} by "
        f"{row.updated_by.name if row.updated_by else 'someone'} on "
        f"{plain_datetime(row.updated_at)}"
        for row in overtaken
    )
    raise AnswersOvertaken(
        f"Newer answers were saved after you checked this file ({saved}), and the file would "
        "replace them. Nothing was imported. Read them in the table, then say whether to "
        "replace them with the file's answers.",
        question_ids=[row.question_id for row in overtaken],
    )


def _same(row: Answer, answer: AnswerInput) -> bool:
    return (row.position, row.text, row.evidence_note) == (
        answer.position.strip(),
        answer.text.strip(),
        answer.evidence_note.strip(),
    )


def submit(
    session: Session,
    actor: User,
    consultation_id: int,
    *,
    consent: str,
    organisation_id: int | None = None,
    today: date,
    now: datetime,
    postbox: Postbox | None = None,
) -> SubmissionSnapshot:
    """Submit the organisation's answers with its quoting consent; keep a snapshot for good.

    With email set up (a ``postbox``), the receipt and the officers' news go in the same
    transaction.
    """
    organisation = organisation_for(actor, organisation_id)
    consultation = get_consultation(session, consultation_id, for_share=True)
    check_writable(actor, consultation, today)
    if consent not in CONSENT_VALUES:
        raise ValidationFailed(
            ["choose how the partnership may quote you before submitting"], subject="The form"
        )
    # Two people of one organisation submitting at once take turns (each snapshot's number).
    submission = find_submission(session, consultation_id, organisation, for_update=True)
    answers = [a for a in (submission.answers if submission else []) if a.position or a.text]
    if submission is None or not answers:
        raise WorkbenchError("Answer at least one question before submitting.")
    submission.status = "submitted"
    submission.consent = consent
    submission.submitted_at = now
    submission.submitted_by_id = actor.id
    submission.last_activity_at = now
    snapshot = SubmissionSnapshot(
        submission_id=submission.id,
        number=len(submission.snapshots) + 1,
        submitted_at=now,
        submitted_by_id=actor.id,
        entered_by_officer=actor.role == "officer",
        consent=consent,
        answers=[_snapshot_of(a) for a in sorted(answers, key=lambda a: a.question.position)],
    )
    session.add(snapshot)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="submission.submitted",
        object_type="submission",
        object_id=submission.id,
        consultation_id=consultation_id,
        detail={
            "snapshot": snapshot.number,
            "consent": consent,
            "answers": len(answers),
            "on_behalf": actor.role == "officer",
        },
        now=now,
    )
    mail_submission(session, postbox, submission, snapshot, actor=actor, now=now)
    return snapshot


def _snapshot_of(answer: Answer) -> dict[str, object]:
    return {
        "question_id": answer.question_id,
        "number": answer.question.number,
        "position": answer.position,
        "text": answer.text,
        "evidence_note": answer.evidence_note,
        "entered_by_officer": answer.entered_by_officer,
    }


def answered_count(submission: Submission | None) -> int:
    """Count the questions that have a position or a comment."""
    if submission is None:
        return 0
    return sum(1 for a in submission.answers if a.position or a.text)


def status_phrase(submission: Submission | None) -> str:
    """Say where a submission stands: not started, in progress, submitted on a date by whom."""
    if submission is None or (not submission.answers and not submission.snapshots):
        return "not started"
    if submission.status == "submitted" and submission.submitted_at:
        who = submission.submitted_by.name if submission.submitted_by else "someone"
        officer = " (entered by the officer)" if submission.snapshots[-1].entered_by_officer else ""
        return f"submitted on {plain_date(submission.submitted_at)} by {who}{officer}"
    if submission.snapshots:
        last = submission.snapshots[-1]
        return (
            f"changed since it was submitted on {plain_date(last.submitted_at)}: "
            "submit again to send the changes"
        )
    return "in progress"
