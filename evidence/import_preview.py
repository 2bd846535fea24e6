"""What an import would do, row by row: which saved answer each row of a file replaces.

An Excel template or a partner's letter may be older than answers saved since on the answer
page. Before importing, the person sees every row beside the answer it would replace (who saved
it and when), and the versions they saw are noted (``saved_versions``); the import is then
given those versions and refuses rows whose answer was saved again since, until the person has
seen the newer answer and said yes (``evidence.submissions.import_answers``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from consultations.dates import plain_datetime
from consultations.models import User
from evidence.submissions import AnswerInput, open_submission


@dataclass(frozen=True)
class SavedAnswer:
    """An answer as the database holds it now."""

    question_id: int
    version: int
    position: str
    text: str
    evidence_note: str
    saved_by: str
    saved_at: datetime

    def same_as(self, answer: AnswerInput) -> bool:
        """Say whether importing this row would change nothing."""
        return (self.position, self.text, self.evidence_note) == (
            answer.position.strip(),
            answer.text.strip(),
            answer.evidence_note.strip(),
        )


@dataclass(frozen=True)
class ImportRow:
    """One row of a file beside what it would replace."""

    answer: AnswerInput
    number: str
    replaces: SavedAnswer | None  # the saved answer the row changes (None: nothing saved yet)
    unchanged: bool  # the same answer is saved already: importing the row changes nothing
    saved_since: bool  # the saved answer changed after the person first checked the file

    def replaces_phrase(self) -> str:
        """Say what importing the row does to the saved answer, in words."""
        if self.answer.is_empty():
            return "Empty in the file: the saved answer is kept"
        if self.unchanged:
            return "Already saved: no change"
        if self.replaces is None:
            return "New: nothing saved yet"
        what = (
            f"Replaces the answer saved by {self.replaces.saved_by} on "
            f"{plain_datetime(self.replaces.saved_at)}"
        )
        return what + (" (saved after you checked the file)" if self.saved_since else "")

    def replaced_text(self) -> str:
        """The saved answer the row replaces, as one line ('' when it replaces none)."""
        if self.replaces is None or self.unchanged:
            return ""
        saved = (self.replaces.position, self.replaces.text, self.replaces.evidence_note)
        return " / ".join(part for part in saved if part)


def saved_answers(
    session: Session, actor: User, consultation_id: int, *, organisation_id: int | None = None
) -> dict[int, SavedAnswer]:
    """Return the organisation's saved answers by question (checking the person may see them)."""
    submission = open_submission(session, actor, consultation_id, organisation_id=organisation_id)
    if submission is None:
        return {}
    return {
        row.question_id: SavedAnswer(
            question_id=row.question_id,
            version=row.version,
            position=row.position,
            text=row.text,
            evidence_note=row.evidence_note,
            saved_by=row.updated_by.name if row.updated_by else "someone",
            saved_at=row.updated_at,
        )
        for row in submission.answers
    }


def saved_versions(saved: Mapping[int, SavedAnswer]) -> dict[int, int]:
    """Return each question's saved answer version, to note when a person checks a file."""
    return {question_id: answer.version for question_id, answer in saved.items()}


def import_rows(
    answers: Sequence[AnswerInput],
    saved: Mapping[int, SavedAnswer],
    seen_versions: Mapping[int, int],
    numbers: Mapping[int, str],
) -> list[ImportRow]:
    """Set each row of the file beside the saved answer it would replace."""
    rows = []
    for answer in answers:
        current = saved.get(answer.question_id)
        unchanged = answer.is_empty() or (current is not None and current.same_as(answer))
        rows.append(
            ImportRow(
                answer=answer,
                number=numbers[answer.question_id],
                replaces=current,
                unchanged=unchanged,
                saved_since=current is not None
                and not unchanged
                and current.version != seen_versions.get(answer.question_id, 0),
            )
        )
    return rows


def saved_since(rows: Sequence[ImportRow]) -> list[ImportRow]:
    """Return the rows whose saved answer changed after the person checked the file."""
    return [row for row in rows if row.saved_since]


def versions_to_import(
    rows: Sequence[ImportRow], seen_versions: Mapping[int, int], *, replace_newer: bool
) -> dict[int, int]:
    """The versions to give the import: those first seen, or (when the person said yes to
    replacing the newer answers they have now been shown) those shown now."""
    versions = dict(seen_versions)
    if replace_newer:
        versions.update(
            {row.answer.question_id: row.replaces.version for row in rows if row.replaces}
        )
    return versions
