"""The demo: a separate database with a realistic consultation, partners, board and officers.

``python -m consultations.demo`` (re)builds it from the command line; the first-run and login
screens build it with one click. Everything in it is invented. Every demo account has the
password ``DEMO_PASSWORD``; that password exists only here, never in a real database.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine, MetaData, text
from sqlalchemy.orm import Session

from consultations.accounts import hash_password
from consultations.audit import record_event
from consultations.dates import uk_time
from consultations.db import make_engine, session_scope, utcnow
from consultations.demo_guard import DEMO_MARKER, refuse_shared_database, refuse_to_reset
from consultations.errors import WorkbenchError
from consultations.migrate import upgrade
from consultations.models import Consultation, Meta, Organisation, Question, User
from consultations.settings import Settings, load_settings

DEMO_PASSWORD = "demo-workbench-2026"
DEMO_OFFICER_EMAIL = "aoife.byrne@smp.example.org"

ORGANISATIONS = (
    ("Belfast Metropolitan Council", "local authority", "Belfast"),
    ("Foyle and Strabane District Council", "local authority", "Derry City and Strabane"),
    ("Eastern Health and Care Trust", "health", "Belfast and South Eastern"),
    ("Sperrin Health and Care Trust", "health", "Western"),
    ("Ulster Homes Housing Association", "housing", "Northern Ireland"),
    ("Community Safety Partnership NI", "police and justice", "Northern Ireland"),
    ("Schools and Skills Authority NI", "education", "Northern Ireland"),
    ("Refugee and Asylum Forum NI", "voluntary and community", "Northern Ireland"),
    ("Churches Together for Sanctuary", "faith", "Belfast"),
    ("Mourne Food Processors", "employer", "Newry, Mourne and Down"),
)

# (name, email, role, organisation or None, is_admin, is_chair)
PEOPLE = (
    ("Aoife Byrne", DEMO_OFFICER_EMAIL, "officer", None, True, False),
    ("Conor Quinn", "conor.quinn@smp.example.org", "officer", None, False, False),
    ("Margaret Doherty", "margaret.doherty@board.example.org", "board", None, False, True),
    ("David Kerr", "david.kerr@board.example.org", "board", None, False, False),
    ("Priya Nair", "priya.nair@board.example.org", "board", None, False, False),
    (
        "Siobhan McAllister",
        "s.mcallister@belfastmetro.example.org",
        "partner",
        "Belfast Metropolitan Council",
        False,
        False,
    ),
    (
        "Ciaran O'Neill",
        "c.oneill@foylestrabane.example.org",
        "partner",
        "Foyle and Strabane District Council",
        False,
        False,
    ),
    (
        "Dr Helen Graham",
        "helen.graham@easternhct.example.org",
        "partner",
        "Eastern Health and Care Trust",
        False,
        False,
    ),
    (
        "Mark Johnston",
        "mark.johnston@sperrinhct.example.org",
        "partner",
        "Sperrin Health and Care Trust",
        False,
        False,
    ),
    (
        "Grainne Murphy",
        "g.murphy@ulsterhomes.example.org",
        "partner",
        "Ulster Homes Housing Association",
        False,
        False,
    ),
    (
        "Inspector Paul Wilson",
        "paul.wilson@csp-ni.example.org",
        "partner",
        "Community Safety Partnership NI",
        False,
        False,
    ),
    (
        "Ruth Kennedy",
        "ruth.kennedy@ssani.example.org",
        "partner",
        "Schools and Skills Authority NI",
        False,
        False,
    ),
    (
        "Fatima Hassan",
        "fatima@rafni.example.org",
        "partner",
        "Refugee and Asylum Forum NI",
        False,
        False,
    ),
    (
        "Rev. John Armstrong",
        "john@sanctuary.example.org",
        "partner",
        "Churches Together for Sanctuary",
        False,
        False,
    ),
    (
        "Lisa Campbell",
        "lisa.campbell@mournefood.example.org",
        "partner",
        "Mourne Food Processors",
        False,
        False,
    ),
)

# In our own words, modelled on the proposals of the Home Office's 2011 consultation on family
# migration (spouses and partners, dependants, family visitors, Article 8).
AGREE_SCALE = ["Agree", "Disagree", "Neither agree nor disagree", "Don't know"]
FAMILY_QUESTIONS = (
    (
        "Q1",
        "Do you agree that a British citizen or settled person sponsoring a spouse or partner "
        "should have to show a minimum income, so that the family can support itself without "
        "claiming public funds? Please explain your answer and say what level you think is fair "
        "for your area.",
        "hybrid",
        AGREE_SCALE,
    ),
    (
        "Q2",
        "Do you agree that the probationary period before a spouse or partner can apply to "
        "settle should increase from two years to five years?",
        "hybrid",
        AGREE_SCALE,
    ),
    (
        "Q3",
        "Should the Immigration Rules set out the factors that show a marriage or partnership "
        "is genuine and continuing, and those that suggest it is not?",
        "hybrid",
        ["Yes", "No", "Don't know"],
    ),
    (
        "Q4",
        "Do you agree that partners applying to settle should have to show English at level B1 "
        "of the Common European Framework, rather than pass the current Life in the UK test "
        "alone?",
        "hybrid",
        AGREE_SCALE,
    ),
    (
        "Q5",
        "Should adult and elderly dependent relatives only be able to come to the UK if they "
        "apply from overseas and need long-term care that they cannot get, or afford, in their "
        "own country?",
        "hybrid",
        AGREE_SCALE,
    ),
    (
        "Q6",
        "Do you agree that the full right of appeal against refusal of a family visit visa "
        "should be removed, or limited to close family members?",
        "closed",
        AGREE_SCALE,
    ),
    (
        "Q7",
        "Should the Immigration Rules set out how the right to respect for family life "
        "(Article 8 of the European Convention on Human Rights) is weighed against the public "
        "interest, so that decisions are more consistent?",
        "hybrid",
        ["Yes", "No", "Don't know"],
    ),
    (
        "Q8",
        "What impact would these proposals have on local services and communities in your "
        "area, including councils, health and social care, housing and schools?",
        "open",
        [],
    ),
    (
        "Q9",
        "What evidence do you hold on the costs to local services of families who cannot "
        "support themselves, including those with no recourse to public funds?",
        "open",
        [],
    ),
    (
        "Q10",
        "Do you have any other comments on the proposals, including their impact on people "
        "with protected characteristics?",
        "open",
        [],
    ),
)

ASYLUM_QUESTIONS = (
    (
        "Q1",
        "How should the Home Office involve councils before it opens new asylum accommodation "
        "in their area?",
        "open",
        [],
    ),
    (
        "Q2",
        "Do you agree that asylum accommodation should be spread across all council areas "
        "in proportion to their population?",
        "hybrid",
        AGREE_SCALE,
    ),
    (
        "Q3",
        "What support do councils and health bodies need when people receive a decision on "
        "their asylum claim and must leave asylum accommodation?",
        "open",
        [],
    ),
)


@dataclass(frozen=True)
class DemoSummary:
    """What the demo holds, for the command line and the tests."""

    organisations: int
    people: int
    consultations: int
    questions: int


def reset_database(engine: Engine) -> None:
    """Drop every table (ours and Alembic's) so the demo can be built afresh.

    Only a demo database (it carries the demo marker) or one with no account and no table of
    anyone else's is emptied; any other is refused (``demo_guard.refuse_to_reset``).
    """
    refuse_to_reset(engine)
    metadata = MetaData()
    metadata.reflect(engine)
    metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


# The latest made-up time on the demo's last day (the draft's version 2 at 09:45).
LAST_MADE_UP = time(10, 0)


def demo_today(now: datetime | None = None) -> date:
    """The demo's "today": the day its made-up history ends, which must be in the past.

    It is the UK's today (partners' deadlines are UK days), unless that day's made-up events
    (in the morning, up to 09:45 UTC) are still to come: then yesterday, so that a demo built
    at 08:29 does not show a version saved "at 09:45". ``now`` is UTC, as stored.
    """
    now = now or utcnow()
    day = uk_time(now).date()
    return day if now >= datetime.combine(day, LAST_MADE_UP) else day - timedelta(days=1)


def build_demo(engine: Engine, *, today: date | None = None) -> DemoSummary:
    """Build the demo database from nothing, with dates around its today (``demo_today``)."""
    today = today or demo_today()
    reset_database(engine)
    upgrade(engine)
    now = datetime.combine(today, datetime.min.time()) + timedelta(hours=9)
    with session_scope(engine) as session:
        session.add(Meta(key=DEMO_MARKER, value="true"))
        organisations = _add_organisations(session)
        people = _add_people(session, organisations)
        officer = people[DEMO_OFFICER_EMAIL]
        family = _add_consultation(
            session,
            officer,
            FAMILY_QUESTIONS,
            now=now,
            title="Family migration: a consultation",
            department="Home Office",
            reference="HO-FM-2026-07",
            status="open",
            url="https://www.gov.uk/government/consultations/family-migration",
            description=(
                "The Home Office proposes changes to the rules for family migration: spouses "
                "and partners, dependent relatives and family visitors. The partnership will "
                "send one regional response from Northern Ireland, built on partners' answers."
            ),
            opens_on=today - timedelta(days=20),
            partner_deadline=today + timedelta(days=10),
            closes_on=today + timedelta(days=24),
        )
        _add_consultation(
            session,
            officer,
            ASYLUM_QUESTIONS,
            now=now,
            title="Asylum accommodation: working with councils",
            department="Home Office",
            reference="HO-AA-2026-11",
            status="draft",
            url="",
            description="Being set up: the questions are not final yet.",
            opens_on=today + timedelta(days=7),
            partner_deadline=today + timedelta(days=40),
            closes_on=today + timedelta(days=56),
        )
        session.flush()
        record_event(
            session,
            actor=officer,
            action="demo.built",
            object_type="consultation",
            object_id=family.id,
            consultation_id=family.id,
            now=now,
        )
        return DemoSummary(
            organisations=len(organisations),
            people=len(people),
            consultations=2,
            questions=len(FAMILY_QUESTIONS) + len(ASYLUM_QUESTIONS),
        )


def _add_organisations(session: Session) -> dict[str, Organisation]:
    organisations = {}
    for name, sector, area in ORGANISATIONS:
        organisations[name] = Organisation(name=name, sector=sector, area=area)
        session.add(organisations[name])
    session.flush()
    return organisations


def _add_people(session: Session, organisations: dict[str, Organisation]) -> dict[str, User]:
    # One hash for all: argon2 is slow on purpose, and they share the demo password anyway.
    password_hash = hash_password(DEMO_PASSWORD)
    people = {}
    for name, email, role, organisation, is_admin, is_chair in PEOPLE:
        people[email] = User(
            name=name,
            email=email,
            role=role,
            is_admin=is_admin,
            is_chair=is_chair,
            organisation_id=organisations[organisation].id if organisation else None,
            password_hash=password_hash,
        )
        session.add(people[email])
    session.flush()
    return people


def _add_consultation(
    session: Session, officer: User, questions: tuple, *, now: datetime, **details: object
) -> Consultation:
    consultation = Consultation(created_by_id=officer.id, created_at=now, **details)
    session.add(consultation)
    session.flush()
    for position, (number, wording, kind, options) in enumerate(questions, start=1):
        session.add(
            Question(
                consultation_id=consultation.id,
                position=position,
                number=number,
                text=wording,
                kind=kind,
                options=list(options),
            )
        )
    return consultation


def demo_engine(settings: Settings) -> Engine:
    """The demo database's engine, refused when it would be the real database (by any URL)."""
    main, demo = make_engine(settings.database_url), make_engine(settings.demo_database_url)
    try:
        refuse_shared_database(main, demo)
    except WorkbenchError:
        demo.dispose()
        raise
    finally:
        main.dispose()
    return demo


def main() -> int:
    """Build the demo database named by the settings and say what it holds."""
    try:
        engine = demo_engine(load_settings())
        summary = build_demo(engine)
    except WorkbenchError as exc:
        print(exc, file=sys.stderr)
        return 1
    where = engine.url.render_as_string(hide_password=True)
    engine.dispose()
    print(
        f"Demo database ready at {where}: {summary.organisations} "
        f"organisations, {summary.people} people, {summary.consultations} consultations, "
        f"{summary.questions} questions.\nStart the app (make run) and press 'Open the demo'. "
        f"Every demo account's password is {DEMO_PASSWORD}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
