"""What the board (and, once approved, everyone) may read: a version, and the partners'
answers behind any point of it, each shown as the consent policy says (``evidence.consent``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from consultations.access import require
from consultations.consultation import (
    get_consultation,
)
from consultations.errors import AccessDenied
from consultations.models import Consultation, Organisation, Question, User
from evidence.consent import Partner, Policy, consent_of
from evidence.models import Answer, Submission
from exports.approval_records import current_approval, request_for
from exports.draft_model import Draft
from exports.models import (
    DraftVersion,
    version_by_number,
)
from exports.word import status_line

# --- reading: who may read which version, and the evidence behind a point ---------------------


def readable_version(
    session: Session, actor: User, consultation_id: int, number: int
) -> DraftVersion:
    """Return a version if the person may read it.

    Officers read every version; board members read the versions sent to them; everyone else
    reads only the approved version, once the board has approved it.
    """
    require(actor, "response.view")
    consultation = get_consultation(session, consultation_id)
    version = version_by_number(session, consultation_id, number)
    if actor.role == "officer":
        return version
    if actor.role == "board" and request_for(session, version.id) is not None:
        return version
    approval = current_approval(session, consultation)
    if approval is not None and approval.draft_version_id == version.id:
        return version
    if actor.role == "board":
        raise AccessDenied(
            f"Version {number} has not been sent to the board. Board members read the versions "
            "the officer sends them."
        )
    raise AccessDenied(
        "Partners can read the response once the board has approved it. Until then the draft "
        "is the officer's and the board's. This attempt has been recorded."
    )


@dataclass(frozen=True)
class AnswerShown:
    """A partner's answer behind a point, shown as its organisation consented."""

    answer_id: int
    who: str
    sector: str  # empty for an anonymous answer
    question: str
    position: str
    text: str


def readable_draft(session: Session, actor: User, consultation_id: int, number: int) -> Draft:
    """The draft a version holds, if the person may read it (see ``readable_version``)."""
    return Draft.from_json(readable_version(session, actor, consultation_id, number).content)


def as_approved(draft: Draft, approved_on: date) -> Draft:
    """The approved version as the app shows it: its cover says it was approved, as the frozen
    .docx's cover does, not "for board review"."""
    status = status_line(draft, approved_on=approved_on)

    def stamped(section):
        blocks = [replace(b, text=status) if b.text == draft.status else b for b in section.blocks]
        return replace(section, blocks=blocks)

    sections = [stamped(s) if s.key == "cover" else s for s in draft.sections]
    return replace(draft, status=status, sections=sections)


def evidence_behind(
    session: Session, actor: User, consultation_id: int, number: int, answer_ids: Iterable[int]
) -> list[AnswerShown]:
    """The answers behind a point of a version, each shown as the consent policy says.

    A partner that agreed to be named is named; any other is "Partner 7", with its sector where
    the policy shows it, as in the annex. Names of partners that are not named are taken out of
    the words. Only answers the version cites can be opened.
    """
    require(actor, "draft.read")
    version = readable_version(session, actor, consultation_id, number)
    cited = {i for s in Draft.from_json(version.content).sections for i in s.answer_ids()}
    wanted = list(dict.fromkeys(answer_ids))
    if not set(wanted) <= cited:
        raise AccessDenied(
            f"Those answers are not behind any point of version {number}. Open the evidence "
            "from a point of the draft."
        )
    policy = consultation_policy(session, consultation_id)
    rows = session.execute(
        select(Answer, Organisation.name, Question.number)
        .join(Submission, Answer.submission_id == Submission.id)
        .join(Organisation, Submission.organisation_id == Organisation.id)
        .join(Question, Answer.question_id == Question.id)
        .where(
            Answer.id.in_(wanted),
            Submission.consultation_id == consultation_id,
            Submission.submitted_at.is_not(None),
        )
        .order_by(Question.position, Answer.id)
    ).all()
    return [
        AnswerShown(
            answer.id,
            policy.annex_label(name),
            policy.sector(name),
            question,
            answer.position,
            policy.scrub(answer.text, name),
        )
        for answer, name, question in rows
    ]


def consultation_policy(session: Session, consultation_id: int) -> Policy:
    """The consent policy of a consultation's submitted answers, as the draft was built with.

    The organisations are those with a submitted answer, the same ones ``load_evidence`` reads,
    so the numbers and sectors are the ones the draft's annex and the workbooks show.
    """
    consultation = session.get(Consultation, consultation_id)
    rows = session.execute(
        select(Organisation.name, Organisation.sector, Organisation.area, Submission.consent)
        .join(Submission, Submission.organisation_id == Organisation.id)
        .where(
            Submission.consultation_id == consultation_id,
            Submission.submitted_at.is_not(None),
            Submission.id.in_(select(Answer.submission_id)),
        )
        .distinct()
    ).all()
    partners = (
        Partner(name, sector or "", consent_of(consent), area or "")
        for name, sector, area, consent in rows
    )
    return Policy.of_partners(partners, reference=consultation.reference if consultation else "")
