"""The demo with partners' answers: the consultations demo, plus submissions from its partners.

``exports.demo`` builds on it (``python -m exports.demo``, ``make demo``). The answers are
invented and kept in ``demo_answers.json`` beside this file; they arrive tagged, a third of
them reviewed (``evidence.demo_tags``).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from consultations import demo as base
from consultations.db import session_scope
from consultations.models import Consultation, Organisation, Question, User
from evidence.demo_tags import tag_demo
from evidence.models import Answer, Attachment, Submission, SubmissionSnapshot

ANSWERS_FILE = Path(__file__).with_name("demo_answers.json")


def build_demo(engine: Engine, *, today: date | None = None) -> base.DemoSummary:
    """Build the consultations demo, then fill the open consultation with partners' answers."""
    today = today or base.demo_today()
    summary = base.build_demo(engine, today=today)
    with session_scope(engine) as session:
        add_demo_answers(session, today=today)
    tag_demo(engine, today=today)
    return summary


def add_demo_answers(session: Session, *, today: date) -> int:
    """Add the invented submissions to the open demo consultation; return how many answers."""
    loaded = json.loads(ANSWERS_FILE.read_text(encoding="utf-8"))
    consultation = session.scalar(select(Consultation).where(Consultation.status == "open"))
    questions = {q.number: q for q in consultation.questions}
    count = 0
    for index, (name, response) in enumerate(sorted(loaded["organisations"].items())):
        organisation = session.scalar(select(Organisation).where(Organisation.name == name))
        author = session.scalar(select(User).where(User.email == response["author_email"]))
        # Spread the activity over the past fortnight, so the tracker looks like real life.
        when = datetime.combine(today, datetime.min.time()) - timedelta(days=14 - index, hours=-10)
        submission = Submission(
            consultation_id=consultation.id,
            organisation_id=organisation.id,
            created_at=when,
            last_activity_at=when,
        )
        session.add(submission)
        session.flush()
        answers = [
            _answer(submission, questions[a["question"]], a, author, when)
            for a in response["answers"]
        ]
        session.add_all(answers)
        count += len(answers)
        if response.get("submitted"):
            _submit(session, submission, answers, author, response["consent"], when)
    _add_attachments(session, consultation.id)
    return count


def _answer(
    submission: Submission, question: Question, data: dict, author: User, when: datetime
) -> Answer:
    return Answer(
        submission_id=submission.id,
        question_id=question.id,
        position=data.get("position", ""),
        text=data["comment"],
        evidence_note=data.get("evidence", ""),
        updated_at=when,
        updated_by_id=author.id,
    )


def _submit(
    session: Session,
    submission: Submission,
    answers: list[Answer],
    author: User,
    consent: str,
    when: datetime,
) -> None:
    session.flush()
    submission.status = "submitted"
    submission.consent = consent
    submission.submitted_at = when + timedelta(hours=2)
    submission.submitted_by_id = author.id
    submission.last_activity_at = submission.submitted_at
    session.add(
        SubmissionSnapshot(
            submission_id=submission.id,
            number=1,
            submitted_at=submission.submitted_at,
            submitted_by_id=author.id,
            consent=consent,
            answers=[
                {
                    "question_id": a.question_id,
                    "position": a.position,
                    "text": a.text,
                    "evidence_note": a.evidence_note,
                    "entered_by_officer": False,
                }
                for a in answers
            ],
        )
    )


def _add_attachments(session: Session, consultation_id: int) -> None:
    files = {
        "Refugee and Asylum Forum NI": (
            "NRPF casework summary 2025-26.csv",
            "csv",
            "text/csv",
            _CSV.encode(),
        ),
        "Belfast Metropolitan Council": (
            "Income and wages in Belfast.pdf",
            "pdf",
            "application/pdf",
            _tiny_pdf("Income and wages"),
        ),
        "Eastern Health and Care Trust": (
            "GP registrations of new arrivals.xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _workbook(_GP_REGISTRATIONS),
        ),
    }
    for name, (file_name, kind, media_type, data) in files.items():
        submission = session.scalar(
            select(Submission)
            .join(Organisation)
            .where(Organisation.name == name, Submission.consultation_id == consultation_id)
        )
        if submission is None:
            continue
        session.add(
            Attachment(
                submission_id=submission.id,
                name=file_name,
                kind=kind,
                media_type=media_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                data=data,
                uploaded_by_id=submission.submitted_by_id,
                # Between the partner's answers and their submission: the demo's history is
                # in the past, whenever it is built.
                uploaded_at=submission.created_at + timedelta(hours=1),
            )
        )


_CSV = """Quarter,Households with no recourse to public funds,Of which with children
2025 Q2,41,29
2025 Q3,47,33
2025 Q4,52,38
2026 Q1,58,41
"""


_GP_REGISTRATIONS = [
    ("Month", "New arrivals registered with a GP", "Median days to register"),
    ("June 2026", 118, 9),
    ("July 2026", 131, 11),
    ("August 2026", 142, 14),
    ("September 2026", 127, 12),
]


def _workbook(rows: list[tuple]) -> bytes:
    """Return a one-sheet Excel workbook holding the rows."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _tiny_pdf(title: str) -> bytes:
    """Return a small valid one-page PDF with a title on it."""
    stream = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        table,
    )
    return bytes(out)
