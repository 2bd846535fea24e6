"""The demo's partners' answers: enough, varied and realistic for every page to show real work."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from sqlalchemy import func, select

from consultations.db import make_engine, read_scope
from consultations.models import Consultation
from evidence.attachments import ACCEPTED
from evidence.demo import build_demo
from evidence.models import Answer, Attachment, Submission, SubmissionSnapshot
from tests.test_demo import run_demo_command

TODAY = date(2026, 11, 24)


def test_demo_holds_at_least_sixty_varied_answers_from_its_ten_organisations(database_url):
    engine = make_engine(database_url)
    build_demo(engine, today=TODAY)
    with read_scope(engine) as session:
        answers = session.scalars(select(Answer)).all()
        submissions = session.scalars(select(Submission)).all()
        consultation = session.scalar(select(Consultation).where(Consultation.status == "open"))
        files = [(f.kind, f.size, len(f.data)) for f in session.scalars(select(Attachment))]
        snapshots = session.scalar(select(func.count()).select_from(SubmissionSnapshot))
    engine.dispose()

    assert len(answers) >= 60
    assert len({s.organisation_id for s in submissions}) == 10
    assert {s.consultation_id for s in submissions} == {consultation.id}
    positions = Counter(a.position for a in answers if a.position)
    assert len(positions) >= 4, positions
    assert Counter(s.consent for s in submissions if s.status == "submitted").keys() == {
        "named",
        "sector",
        "anonymous",
    }
    assert snapshots == sum(s.status == "submitted" for s in submissions)
    assert sum(bool(re.search(r"\d", a.text)) for a in answers) >= 20  # figures
    places = ("Belfast", "Derry", "Newry", "Omagh", "Enniskillen", "Armagh", "Northern Ireland")
    assert sum(any(p in a.text for p in places) for a in answers) >= 15
    assert len(files) >= 3
    assert all(f".{kind}" in ACCEPTED and size == stored for kind, size, stored in files)


def test_the_demo_evidence_files_were_added_before_their_partner_submitted(database_url):
    engine = make_engine(database_url)
    build_demo(engine, today=TODAY)
    with read_scope(engine) as session:
        files = session.execute(
            select(Attachment.name, Attachment.uploaded_at, Submission.submitted_at).join(
                Submission, Attachment.submission_id == Submission.id
            )
        ).all()
    engine.dispose()
    assert files
    for name, uploaded_at, submitted_at in files:
        assert uploaded_at.date() < TODAY, name  # the demo's history is in the past
        assert submitted_at is None or uploaded_at < submitted_at, name


def test_demo_answers_read_as_partners_wrote_them(database_url):
    engine = make_engine(database_url)
    build_demo(engine, today=TODAY)
    with read_scope(engine) as session:
        texts = session.scalars(select(Answer.text)).all()
    engine.dispose()
    assert all("\n" not in text and "  " not in text for text in texts)
    assert any("<b>" in text for text in texts)  # markup a partner pasted stays as text
    assert all(len(text) <= 10_000 for text in texts)


def test_the_demo_command_builds_the_answers_and_says_how_many(tmp_path):
    result = run_demo_command(
        {
            "WORKBENCH_DATA_DIR": str(tmp_path),
            "WORKBENCH_DEMO_DATABASE_URL": f"sqlite:///{tmp_path}/demo.db",
        },
        module="exports.demo",
    )
    assert result.returncode == 0, result.stderr
    assert re.search(
        r"\b\d{2,} answers, a draft response in two versions, and two earlier responses",
        result.stdout,
    )
    assert (tmp_path / "demo.db").is_file()
