"""Every way into a submission or an attachment, tried across two organisations and every role.

The council's submission holds an answer and a file. Each path is tried by the charity's partner
(naming the council's organisation or the council's ids), by a board member, and by the officer.
Only the officer gets through, and a refused attempt changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consultations.consultation import move_consultation
from consultations.errors import AccessDenied
from consultations.models import Organisation, User
from evidence.attachments import (
    add_attachment,
    attachment_for_download,
    list_attachments,
    remove_attachment,
)
from evidence.models import Answer, Attachment, Submission, SubmissionSnapshot
from evidence.submissions import (
    AnswerInput,
    import_answers,
    open_submission,
    save_answer,
    submission_by_id,
    submit,
)
from evidence.tracker import tracker_rows
from tests.conftest import NOW, add_consultation, add_organisation, add_person
from tests.test_files import pdf_bytes

TODAY = NOW.date()


@dataclass
class World:
    officer: User
    board: User
    council: Organisation
    charity_partner: User
    consultation_id: int
    question_id: int
    submission_id: int
    attachment_id: int


@pytest.fixture
def world(session: Session) -> World:
    officer = add_person(session, "officer")
    council = add_organisation(session)
    charity = add_organisation(session, "Law Centre NI", "voluntary and community", "Belfast")
    council_partner = add_person(session, "partner", organisation=council)
    consultation = add_consultation(session, officer)
    move_consultation(session, officer, consultation.id, "open", now=NOW)
    question_id = consultation.questions[0].id
    answer = save_answer(
        session,
        council_partner,
        consultation.id,
        AnswerInput(question_id, "Agree", "The council's own answer."),
        seen_version=0,
        today=TODAY,
        now=NOW,
    )
    file = add_attachment(
        session,
        council_partner,
        consultation.id,
        name="Council evidence.pdf",
        data=pdf_bytes(),
        today=TODAY,
        now=NOW,
    )
    session.flush()
    return World(
        officer=officer,
        board=add_person(session, "board"),
        council=council,
        charity_partner=add_person(session, "partner", organisation=charity),
        consultation_id=consultation.id,
        question_id=question_id,
        submission_id=answer.submission_id,
        attachment_id=file.id,
    )


def _answer(world: World, text: str) -> AnswerInput:
    return AnswerInput(world.question_id, "Disagree", text)


PATHS: dict[str, Callable[[Session, User, World], object]] = {
    "open the submission": lambda s, who, w: open_submission(
        s, who, w.consultation_id, organisation_id=w.council.id
    ),
    "open the submission by its id": lambda s, who, w: submission_by_id(s, who, w.submission_id),
    "save an answer": lambda s, who, w: save_answer(
        s,
        who,
        w.consultation_id,
        _answer(w, "Overwritten."),
        seen_version=1,
        organisation_id=w.council.id,
        today=TODAY,
        now=NOW,
    ),
    "import answers": lambda s, who, w: import_answers(
        s,
        who,
        w.consultation_id,
        [_answer(w, "Imported over it.")],
        organisation_id=w.council.id,
        source="response.xlsx",
        today=TODAY,
        now=NOW,
    ),
    "submit": lambda s, who, w: submit(
        s,
        who,
        w.consultation_id,
        consent="named",
        organisation_id=w.council.id,
        today=TODAY,
        now=NOW,
    ),
    "list the files": lambda s, who, w: list_attachments(s, who, w.consultation_id, w.council.id),
    "attach a file": lambda s, who, w: add_attachment(
        s,
        who,
        w.consultation_id,
        name="Planted.pdf",
        data=pdf_bytes("Planted"),
        organisation_id=w.council.id,
        today=TODAY,
        now=NOW,
    ),
    "download a file by its id": lambda s, who, w: attachment_for_download(
        s, who, w.attachment_id, now=NOW
    ),
    "remove a file by its id": lambda s, who, w: remove_attachment(
        s, who, w.attachment_id, today=TODAY, now=NOW
    ),
    "see the tracker": lambda s, who, w: tracker_rows(s, who, w.consultation_id),
}


def state(session: Session) -> tuple:
    """Everything a refused attempt must leave as it was."""
    session.expire_all()
    return (
        session.scalars(select(Answer.text)).all(),
        session.scalars(select(Attachment.name)).all(),
        session.scalars(select(Submission.status)).all(),
        session.scalar(select(func.count()).select_from(SubmissionSnapshot)),
    )


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("who", ["charity_partner", "board"])
def test_only_the_owning_organisation_and_officers_get_in(session, world, path, who):
    before = state(session)
    with pytest.raises(AccessDenied), session.begin_nested():
        PATHS[path](session, getattr(world, who), world)
    assert state(session) == before


@pytest.mark.parametrize("path", PATHS)
def test_the_officer_gets_in_by_every_path(session, world, path):
    PATHS[path](session, world.officer, world)
