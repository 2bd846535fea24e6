"""A partner's copy of their submission (a Word document built from what they submitted), the
receipt that carries it, and the officers told that a partner submitted.

The copy is built from the submission's snapshot, not from the answers as they stand, so it is
exactly what was submitted, with the quoting choice the partner made.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime

from docx import Document
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consultations.dates import plain_datetime
from consultations.file_names import TITLE_LIMIT, download_name, name_words
from consultations.mail.config import Postbox
from consultations.mail.letters import FileToSend, receipt_letter, submitted_letter
from consultations.mail.outbox import post, recipient
from consultations.models import Consultation, Organisation, User
from consultations.notifications import active_people
from evidence.consent import CONSENT_CHOICES
from evidence.models import Submission, SubmissionSnapshot

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Characters XML 1.0 cannot hold (Word's vertical tab from a pasted list, other controls).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class SubmissionCopy:
    """A copy of what an organisation submitted, as a Word document."""

    file_name: str
    content: bytes
    submitted_at: datetime
    consent: str


# What a copy says under a question with no answer; the Word route reads it as no answer.
NOT_ANSWERED = "Not answered."


def consent_words(consent: str) -> str:
    """Say how the partnership may quote the organisation, as the partner chose it."""
    return CONSENT_CHOICES.get(consent, consent)


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub(" ", text)


def copy_file_name(title: str, organisation: str, number: int) -> str:
    """A file name for the copy: the organisation and consultation, by the rule for every
    download ("belfast-council-response-to-family-migration-submission-1.docx")."""
    return download_name(
        organisation,
        "response to",
        name_words(title, limit=TITLE_LIMIT),
        f"submission {number}",
        extension="docx",
    )


def build_copy(
    consultation: Consultation,
    organisation: Organisation,
    snapshot: SubmissionSnapshot,
    *,
    partnership: str,
) -> SubmissionCopy:
    """Write the snapshot as a Word document: every question, with the answer submitted."""
    document = Document()
    properties = document.core_properties
    properties.title = _xml_safe(f"{organisation.name}: response to {consultation.title}")[:250]
    properties.author = _xml_safe(partnership)[:250]
    properties.subject = _xml_safe(consultation.title)[:250]
    document.add_heading(_xml_safe(f"Response to {consultation.title}"), level=0)
    by = snapshot.submitted_by.name if snapshot.submitted_by else "someone"
    if snapshot.entered_by_officer:
        by += " (the policy officer, on your behalf)"
    for label, value in (
        ("Organisation", organisation.name),
        ("Submitted", f"{plain_datetime(snapshot.submitted_at)}, by {by}"),
        ("Submission", f"number {snapshot.number}"),
        ("How the partnership may quote you", consent_words(snapshot.consent)),
    ):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(_xml_safe(value))
    answers = {a["question_id"]: a for a in snapshot.answers}
    for question in consultation.questions:
        document.add_heading(_xml_safe(f"{question.number}"), level=1)
        document.add_paragraph(_xml_safe(question.text), style="Quote")
        answer = answers.get(question.id)
        if answer is None or not (answer.get("position") or answer.get("text")):
            document.add_paragraph(NOT_ANSWERED)
            continue
        if answer.get("position"):
            paragraph = document.add_paragraph()
            paragraph.add_run("Position: ").bold = True
            paragraph.add_run(_xml_safe(answer["position"]))
        for line in str(answer.get("text", "")).splitlines():
            if line.strip():
                document.add_paragraph(_xml_safe(line))
        if answer.get("evidence_note"):
            paragraph = document.add_paragraph()
            paragraph.add_run("Evidence: ").bold = True
            paragraph.add_run(_xml_safe(answer["evidence_note"]))
    output = io.BytesIO()
    document.save(output)
    return SubmissionCopy(
        file_name=copy_file_name(consultation.title, organisation.name, snapshot.number),
        content=output.getvalue(),
        submitted_at=snapshot.submitted_at,
        consent=snapshot.consent,
    )


def latest_copy(submission: Submission | None, *, partnership: str) -> SubmissionCopy | None:
    """The copy of the organisation's latest submission (None before it first submits).

    The caller has checked that the person may see the submission (``open_submission``).
    """
    if submission is None or not submission.snapshots:
        return None
    return build_copy(
        submission.consultation,
        submission.organisation,
        submission.snapshots[-1],
        partnership=partnership,
    )


def mail_submission(
    session: Session,
    postbox: Postbox | None,
    submission: Submission,
    snapshot: SubmissionSnapshot,
    *,
    actor: User,
    now: datetime,
) -> None:
    """Post the receipt (with the copy) to the partner and tell the officers, in the caller's
    transaction. When an officer submitted on the organisation's behalf, the receipt goes to the
    organisation's partners."""
    if postbox is None:
        return
    consultation, organisation = submission.consultation, submission.organisation
    copy = build_copy(consultation, organisation, snapshot, partnership=postbox.partnership)
    answered = sum(1 for a in snapshot.answers if a.get("position") or a.get("text"))
    total = len(consultation.questions)
    on_behalf = actor.role == "officer"
    partners = (
        [p for p in organisation.people if p.active and p.role == "partner"]
        if on_behalf
        else [actor]
    )
    for person in sorted(partners, key=lambda p: p.name):
        post(
            session,
            postbox,
            receipt_letter(
                recipient(person),
                consultation_id=consultation.id,
                title=consultation.title,
                organisation=organisation.name,
                submitted_at=snapshot.submitted_at,
                submitted_by=actor.name,
                on_behalf=on_behalf,
                consent=consent_words(snapshot.consent),
                answered=answered,
                questions=total,
                deadline=consultation.partner_deadline,
                link=postbox.link("answer", consultation=consultation.id),
                copy=FileToSend(copy.file_name, DOCX, copy.content)
                if postbox.attaches_files
                else None,
            ),
            now=now,
            actor=actor,
        )
    submitted = session.scalar(
        select(func.count())
        .select_from(Submission)
        .where(Submission.consultation_id == consultation.id, Submission.status == "submitted")
    )
    organisations = session.scalar(
        select(func.count()).select_from(Organisation).where(Organisation.active)
    )
    for officer in active_people(session, "officer"):
        if officer.id == actor.id:
            continue
        post(
            session,
            postbox,
            submitted_letter(
                recipient(officer),
                consultation_id=consultation.id,
                title=consultation.title,
                organisation=organisation.name,
                submitted_by=actor.name,
                submitted_at=snapshot.submitted_at,
                answered=answered,
                questions=total,
                submitted_count=submitted,
                organisations=organisations,
                link=postbox.link("tracker", consultation=consultation.id),
            ),
            now=now,
            actor=actor,
        )
