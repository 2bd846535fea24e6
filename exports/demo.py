"""The whole demo: partners' tagged answers, a draft in two versions, the board at work.

``python -m exports.demo`` (or ``make demo``, or "Open the demo" in the app) builds it: the
consultations demo, the partners' answers and tags (``evidence.demo``), then the officer's
first draft assembled from them and a second version with the officer's recommendations, so
the analysis, the draft, its history and the comparison all show real work at once. Two
earlier consultations show the board's part (``exports.demo_board``): one in review with a
comment and an approval, one approved and sent.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine, func, select

from consultations import demo as base
from consultations.db import session_scope
from consultations.errors import WorkbenchError
from consultations.models import Consultation, User
from consultations.settings import load_settings
from evidence import demo as evidence_demo
from evidence.analysis import partnership_evidence
from evidence.models import Answer
from exports.demo_board import add_demo_board
from exports.draft_model import Block
from exports.drafts import assemble_draft, draft_of, save_section

RECOMMENDATIONS = (  # as the partnership's positions and partners' answers have them
    "Do not require a sponsor to show a minimum income. If one is kept, set a lower rate for "
    "Northern Ireland, and count the partner's own earnings and job offers.",
    "Keep the probationary period before a spouse or partner can apply to settle at two years.",
    "Keep the full right of appeal against refusal of a family visit visa.",
    "Do not limit adult and elderly dependent relatives to those who apply from overseas and "
    "need long-term care they cannot get, or afford, in their own country.",
    "Fund free, accessible ESOL classes close to where people live, in rural towns as well as "
    "cities, with the Northern Ireland Executive, before any higher English language "
    "requirement applies.",
    "Publish an equality impact assessment that covers Northern Ireland, with the numbers of "
    "families likely to be affected here, before the changes are made.",
)


def build_demo(engine: Engine, *, today: date | None = None) -> base.DemoSummary:
    """Build the partners' demo, then assemble a draft and save the officer's edit to it."""
    today = today or base.demo_today()
    summary = evidence_demo.build_demo(engine, today=today)
    add_demo_draft(engine, today=today)
    add_demo_board(engine, today=today)
    return summary


def add_demo_draft(engine: Engine, *, today: date) -> int:
    """Assemble version 1 yesterday, add recommendations as version 2 today; return the count."""
    settings = load_settings()
    yesterday = datetime.combine(today - timedelta(days=1), time(15, 30))
    with session_scope(engine) as session:
        officer = session.scalar(select(User).where(User.email == base.DEMO_OFFICER_EMAIL))
        consultation = session.scalar(select(Consultation).where(Consultation.status == "open"))
        evidence = partnership_evidence(
            session, officer, consultation.id, today=today, settings=settings
        )
        first = assemble_draft(session, officer, evidence, consultation.id, now=yesterday)
        section = draft_of(first).section("recommendations")
        intro = Block(
            "paragraph",
            "The partnership asks the Home Office to act on these recommendations, which draw "
            "on its partners' answers to each question.",
        )
        written = [Block("point", text) for text in RECOMMENDATIONS]
        save_section(
            session,
            officer,
            consultation.id,
            replace(section, blocks=[intro, *written]),  # the officer's own words throughout
            seen=first.number,
            now=datetime.combine(today, time(9, 45)),
            note="Added the partnership's recommendations",
        )
    return 2


def main() -> int:
    """Build the demo database named by the settings and say what it holds."""
    try:
        engine = base.demo_engine(load_settings())
        summary = build_demo(engine)
    except WorkbenchError as exc:
        print(exc, file=sys.stderr)
        return 1
    with session_scope(engine) as session:
        answers = session.scalar(select(func.count()).select_from(Answer))
        consultations = session.scalar(select(func.count()).select_from(Consultation))
    where = engine.url.render_as_string(hide_password=True)
    engine.dispose()
    print(
        f"Demo database ready at {where}: {summary.organisations} organisations, "
        f"{summary.people} people, {consultations} consultations, {answers} answers, a draft "
        "response in two versions, and two earlier responses with the board (one in review, "
        "one sent).\nStart the app (make run) and press 'Open the demo'. Every demo "
        f"account's password is {base.DEMO_PASSWORD}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
