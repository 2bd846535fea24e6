"""The board's part of the demo: one response with the board now, one approved and sent.

``add_demo_board(engine, today=...)`` runs after the partners' demo (``exports.demo``) and
leaves the demo's open consultation alone, so partners can still answer it. It adds two
consultations that closed earlier, each answered by a few demo partners through the same
functions the app uses (answers saved and tagged, submitted, draft assembled):

- "Asylum support: rates and payments", in board review: version 2 is with the board, after a
  member asked for changes to version 1; one member has commented on a section and one (not
  the chair) has approved.
- "English language requirements for settlement", approved by the chair and recorded as sent
  to the Home Office, so partners can read and download the approved response.

Everything goes through ``exports.approval``, so the audit trail and the notifications show the
same history a real review leaves.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine, select

from consultations import demo as base
from consultations.consultation import move_consultation
from consultations.db import session_scope
from consultations.models import Consultation, Question, User
from consultations.settings import load_settings
from evidence.analysis import partnership_evidence
from evidence.submissions import AnswerInput, save_answer, submit
from exports.approval import add_comment, record_decision, record_sent, send_for_review
from exports.approval_rule import APPROVE, CHANGES
from exports.draft_model import Block
from exports.drafts import assemble_draft, draft_of, save_section, version

CHAIR = "margaret.doherty@board.example.org"
MEMBER = "david.kerr@board.example.org"
THIRD = "priya.nair@board.example.org"
AGREE = ["Agree", "Disagree", "Neither agree nor disagree", "Don't know"]


@dataclass(frozen=True)
class DemoConsultation:
    title: str
    reference: str
    description: str
    questions: tuple[tuple[str, str, str, list[str]], ...]
    # partner's email -> (consent, [(question number, position, comment)])
    answers: dict[str, tuple[str, list[tuple[str, str, str]]]]


SUPPORT = DemoConsultation(
    title="Asylum support: rates and payments",
    reference="HO-AS-2026-05",
    description=(
        "The Home Office asks how asylum support should be set and paid, including the weekly "
        "rate and the payment card."
    ),
    questions=(
        (
            "Q1",
            "Do you agree that the weekly rate of asylum support meets essential living needs?",
            "hybrid",
            AGREE,
        ),
        (
            "Q2",
            "What problems, if any, do people in your area have with the payment card?",
            "open",
            [],
        ),
    ),
    answers={
        "fatima@rafni.example.org": (
            "named",
            [
                (
                    "Q1",
                    "Disagree",
                    "The weekly rate does not cover food, travel to appointments and phone "
                    "credit. In our casework 62% of families ran out of money before the "
                    "next payment.",
                ),
                (
                    "Q2",
                    "",
                    "Shops in rural Fermanagh do not take the card, so people travel to "
                    "Enniskillen to buy food.",
                ),
            ],
        ),
        "helen.graham@easternhct.example.org": (
            "sector",
            [
                (
                    "Q1",
                    "Disagree",
                    "Clinicians see malnutrition in pregnant women on asylum support in Belfast.",
                ),
            ],
        ),
        "john@sanctuary.example.org": (
            "anonymous",
            [
                (
                    "Q1",
                    "Disagree",
                    "Our food bank in Belfast now serves 140 people on asylum support each week.",
                ),
                (
                    "Q2",
                    "",
                    "Cards are blocked without warning and people are left with nothing for days.",
                ),
            ],
        ),
        "s.mcallister@belfastmetro.example.org": (
            "named",
            [
                (
                    "Q1",
                    "Neither agree nor disagree",
                    "Councils need data on how many people on "
                    "support live in each area to plan services.",
                ),
            ],
        ),
    },
)

ENGLISH = DemoConsultation(
    title="English language requirements for settlement",
    reference="HO-EL-2026-03",
    description="Proposals to raise the English language level needed for settlement to B2.",
    questions=(
        (
            "Q1",
            "Do you agree that people applying to settle should show English at level B2?",
            "hybrid",
            AGREE,
        ),
        (
            "Q2",
            "What English language (ESOL) provision is there in your area, and is it enough?",
            "open",
            [],
        ),
    ),
    answers={
        "ruth.kennedy@ssani.example.org": (
            "named",
            [
                (
                    "Q1",
                    "Disagree",
                    "ESOL classes in Northern Ireland have waiting lists of up to a "
                    "year, so B2 is out of reach for many.",
                ),
                (
                    "Q2",
                    "",
                    "Further education colleges run ESOL, but places fell by 20% since 2023.",
                ),
            ],
        ),
        "fatima@rafni.example.org": (
            "named",
            [
                ("Q1", "Disagree", "Carers and shift workers cannot attend daytime classes."),
            ],
        ),
        "lisa.campbell@mournefood.example.org": (
            "sector",
            [
                (
                    "Q1",
                    "Neither agree nor disagree",
                    "Our workers want to learn English; we would "
                    "host classes at work if they were funded.",
                ),
                ("Q2", "", "There is no ESOL provision in Newry in the evenings."),
            ],
        ),
    },
)


def add_demo_board(engine: Engine, *, today: date) -> tuple[int, int]:
    """Add the consultation in review and the one approved and sent; return their ids."""
    in_review = _answered(engine, SUPPORT, closed_on=today - timedelta(days=12))
    sent = _answered(engine, ENGLISH, closed_on=today - timedelta(days=40))
    _review(engine, in_review, today=today)
    _approve_and_send(engine, sent, today=today - timedelta(days=20))
    return in_review, sent


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


def _person(session, email: str) -> User:
    return session.scalar(select(User).where(User.email == email))


def _answered(engine: Engine, demo: DemoConsultation, *, closed_on: date) -> int:
    """Add the consultation, let its partners answer and submit, close it, assemble a draft."""
    opened_on = closed_on - timedelta(days=30)
    with session_scope(engine) as session:
        officer = _person(session, base.DEMO_OFFICER_EMAIL)
        consultation = Consultation(
            title=demo.title,
            department="Home Office",
            reference=demo.reference,
            description=demo.description,
            opens_on=opened_on,
            partner_deadline=closed_on,
            closes_on=closed_on + timedelta(days=28),
            status="open",
            created_by_id=officer.id,
            created_at=_at(opened_on, 9),
        )
        session.add(consultation)
        session.flush()
        for position, (number, text, kind, options) in enumerate(demo.questions, start=1):
            session.add(
                Question(
                    consultation_id=consultation.id,
                    position=position,
                    number=number,
                    text=text,
                    kind=kind,
                    options=options,
                )
            )
        cid = consultation.id
    answering = opened_on + timedelta(days=10)
    for email, (consent, answers) in demo.answers.items():
        with session_scope(engine) as session:
            partner = _person(session, email)
            numbers = {q.number: q.id for q in session.get(Consultation, cid).questions}
            for number, position, comment in answers:
                save_answer(
                    session,
                    partner,
                    cid,
                    AnswerInput(numbers[number], position=position, text=comment),
                    seen_version=0,
                    today=answering,
                    now=_at(answering, 11),
                )
            submit(session, partner, cid, consent=consent, today=answering, now=_at(answering, 12))
    settings = load_settings()
    with session_scope(engine) as session:
        officer = _person(session, base.DEMO_OFFICER_EMAIL)
        move_consultation(session, officer, cid, "closed", now=_at(closed_on, 17))
        evidence = partnership_evidence(session, officer, cid, today=closed_on, settings=settings)
        assemble_draft(session, officer, evidence, cid, now=_at(closed_on + timedelta(days=1), 10))
    return cid


def _recommend(session, officer: User, cid: int, number: int, text: str, *, now: datetime):
    section = draft_of(version(session, cid, number)).section("recommendations")
    return save_section(
        session,
        officer,
        cid,
        replace(section, blocks=[*section.blocks[:1], Block("point", text)]),
        seen=number,
        now=now,
        note="Added a recommendation",
    )


def _review(engine: Engine, cid: int, *, today: date) -> None:
    """Version 1 sent back with changes; version 2 with the board: a comment and one approval."""
    started = today - timedelta(days=8)
    with session_scope(engine) as session:
        officer = _person(session, base.DEMO_OFFICER_EMAIL)
        send_for_review(
            session,
            officer,
            cid,
            number=1,
            review_by=today + timedelta(days=5),
            today=started,
            now=_at(started, 10),
        )
        record_decision(
            session,
            _person(session, THIRD),
            cid,
            number=1,
            decision=CHANGES,
            comment="Add a recommendation on the payment card: it is the partners' main worry.",
            now=_at(started + timedelta(days=1), 15),
        )
        _recommend(
            session,
            officer,
            cid,
            1,
            "Make the payment card work in every shop that takes debit cards, and end blocks "
            "without warning.",
            now=_at(started + timedelta(days=3), 11),
        )
        send_for_review(
            session,
            officer,
            cid,
            number=2,
            review_by=today + timedelta(days=7),
            today=started + timedelta(days=3),
            now=_at(started + timedelta(days=3), 12),
            note="Added the recommendation on the payment card that Priya asked for.",
        )
        add_comment(
            session,
            _person(session, MEMBER),
            cid,
            number=2,
            section_key="summary",
            text="Open the summary with the figure from the food bank: it is the strongest "
            "evidence we have.",
            now=_at(today - timedelta(days=2), 9, 30),
        )
        record_decision(
            session,
            _person(session, MEMBER),
            cid,
            number=2,
            decision=APPROVE,
            comment="Content with it once the summary leads with the figure.",
            now=_at(today - timedelta(days=2), 9, 40),
        )


def _approve_and_send(engine: Engine, cid: int, *, today: date) -> None:
    """Sent to the board, approved by the chair and a member, recorded as sent."""
    with session_scope(engine) as session:
        officer = _person(session, base.DEMO_OFFICER_EMAIL)
        send_for_review(
            session,
            officer,
            cid,
            number=1,
            review_by=today + timedelta(days=4),
            today=today,
            now=_at(today, 10),
        )
        for email, hours in ((MEMBER, 14), (CHAIR, 16)):
            record_decision(
                session,
                _person(session, email),
                cid,
                number=1,
                decision=APPROVE,
                now=_at(today + timedelta(days=1), hours),
            )
        record_sent(
            session,
            officer,
            cid,
            sent_on=today + timedelta(days=2),
            method="Email to the department",
            reference="HO-EL-2026-03/R118",
            today=today + timedelta(days=2),
            now=_at(today + timedelta(days=2), 11),
        )
