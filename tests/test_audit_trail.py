"""The audit trail's filters and CSV on a real database: person, consultation, kind, UK dates."""

from __future__ import annotations

import ast
import csv
import io
import re
from datetime import date, datetime

import pytest

from consultations.audit import record_event
from consultations.audit_trail import (
    EVENT_WORDS,
    AuditFilter,
    audit_choices,
    audit_csv,
    audit_events,
    event_words,
)
from consultations.errors import AccessDenied, ValidationFailed
from tests.conftest import ROOT, add_consultation, add_person


@pytest.fixture
def trail(session):
    officer = add_person(session, "officer")
    member = add_person(session, "board")
    first = add_consultation(session, officer, questions=0)
    second = add_consultation(session, officer, questions=0, title="Asylum support")
    # 23:30 UTC on 30 June is 00:30 on 1 July in the UK (summer time).
    for actor, action, cid, at in (
        (member, "review.decided", first.id, datetime(2026, 6, 30, 22, 30)),
        (member, "review.commented", second.id, datetime(2026, 6, 30, 23, 30)),
        (officer, '=HYPERLINK("x")', first.id, datetime(2026, 7, 2, 9, 0)),
    ):
        record_event(session, actor=actor, action=action, consultation_id=cid, now=at)
    session.flush()
    return officer, member, first.id, second.id


def actions(session, officer, **filters) -> list[str]:
    rows = audit_events(session, officer, AuditFilter(**filters))
    return [row.action for row in rows if not row.action.startswith("consultation.")]


def test_the_trail_filters_by_person_consultation_and_kind(session, trail):
    officer, member, _first, second = trail
    assert actions(session, officer, person_id=member.id) == [
        "review.commented",
        "review.decided",
    ]
    assert actions(session, officer, consultation_id=second) == ["review.commented"]
    assert actions(session, officer, action="review.decided") == ["review.decided"]
    people, kinds = audit_choices(session, officer)
    assert {pid for pid, _ in people} == {officer.id, member.id}
    assert "review.decided" in kinds


def test_dates_are_uk_calendar_days(session, trail):
    officer, *_ = trail
    assert actions(session, officer, since=date(2026, 7, 1), until=date(2026, 7, 1)) == [
        "review.commented"
    ]
    assert actions(session, officer, until=date(2026, 6, 30)) == ["review.decided"]


def test_a_backwards_date_range_is_refused(session, trail):
    officer, *_ = trail
    with pytest.raises(ValidationFailed, match="the 'from' date is after the 'to' date"):
        audit_events(session, officer, AuditFilter(since=date(2026, 7, 2), until=date(2026, 7, 1)))


def test_the_csv_opens_in_a_spreadsheet_without_running_formulas(session, trail):
    officer, *_ = trail
    data = audit_csv(audit_events(session, officer, AuditFilter()))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["When (UK time)", "Who", "What"]
    assert '\'=HYPERLINK("x")' in [row[2] for row in rows]
    assert "Wednesday 1 July 2026 at 00:30" in [row[0] for row in rows]


@pytest.mark.parametrize("role", ["partner", "board"])
def test_only_officers_read_the_trail(session, trail, role):
    someone = add_person(session, role)
    with pytest.raises(AccessDenied, match="Only policy officers can do this"):
        audit_events(session, someone, AuditFilter())


# --- words, not codes or JSON -------------------------------------------------------------------

SOURCES = [ROOT / "consultations", ROOT / "evidence", ROOT / "exports"]
# Helpers that take the event's code as a plain argument (their callers pass a literal).
AUDIT_HELPERS = {"audit", "_audit", "_record", "_audit_delivery"}
CODE = re.compile(r"[a-z_]+(\.[a-z_]+)?")


def recorded_codes() -> set[str]:
    """Every event code the code writes: each literal given as ``action`` or to an audit helper
    (the draft's changes name theirs as ``draft.<change>``: see ``draft_changes``)."""
    codes = set()
    for path in (p for folder in SOURCES for p in folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for value in _code_arguments(node):
                codes |= {
                    part.value
                    for part in ast.walk(value)
                    if isinstance(part, ast.Constant)
                    and isinstance(part.value, str)
                    and CODE.fullmatch(part.value)
                    and part.value != "store_true"
                }
    return codes


def _code_arguments(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.keyword) and node.arg == "action":
        return [node.value]
    if isinstance(node, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == "action" for t in node.targets
    ):
        return [node.value]
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") in AUDIT_HELPERS:
        return list(node.args)
    return []


def draft_changes() -> set[str]:
    """The draft's kinds of change (its events are ``draft.<change>``), as drafts.py names them."""
    text = (ROOT / "exports" / "drafts.py").read_text(encoding="utf-8")
    return set(re.findall(r'change(?:: str)?\s*=\s*"([a-z_]+)"', text))


def test_every_kind_of_event_the_code_records_has_words():
    assert {"assembled", "section", "regenerated"} <= draft_changes()
    codes = recorded_codes() | {f"draft.{change}" for change in draft_changes()}
    assert {"tag.accepted", "mail.sent", "mail.withheld", "login", "review.decided"} <= codes
    missing = sorted(code for code in codes if "." in code or code in ("login", "logout"))
    assert [code for code in missing if code not in EVENT_WORDS] == []


def test_the_trail_says_what_happened_in_words_with_its_details_in_words(session, trail):
    officer, *_ = trail
    record_event(
        session,
        actor=officer,
        action="tag.accepted",
        object_type="answer",
        object_id=7,
        detail={"theme": "housing", "label": "Housing", "origin": "rules", "replaces": None},
    )
    record_event(
        session,
        actor=officer,
        action="consultation.status",
        detail={"from": "closed", "to": "in_review", "review_by": "2026-12-12", "on_behalf": True},
    )
    record_event(session, actor=None, action="mail.sent", object_type="outbox_message")
    record_event(
        session, actor=officer, action="account.locked", detail={"until": "2026-12-11T14:05:00"}
    )
    session.flush()
    rows = {row.action: row for row in audit_events(session, officer, AuditFilter())}
    tag = rows["tag.accepted"]
    assert tag.what == "Accepted a suggested theme"
    assert tag.detail == "label: Housing; origin: suggested by the theme rules; theme: housing"
    moved = rows["consultation.status"]
    assert moved.what == "Moved the consultation to another stage"
    assert moved.detail == (
        "from stage: closed to partners; on behalf of: yes; "
        "review by: Saturday 12 December 2026; to stage: in board review"
    )
    assert (rows["mail.sent"].what, rows["mail.sent"].object_type) == ("An email was sent", "email")
    assert rows["account.locked"].detail == "until: Friday 11 December 2026 at 14:05"
    text = audit_csv(list(rows.values())).decode("utf-8-sig")
    assert "Accepted a suggested theme" in text and "tag.accepted" not in text
    assert "{" not in text


def test_the_trail_names_a_draft_version_by_its_own_number_and_gives_sizes_in_words(session, trail):
    officer, *_ = trail
    for action, kind, row, detail in (
        ("draft.section", "draft version", 21, {"number": 18, "section": "summary"}),
        ("review.decided", "review decision", 7, {"number": 18, "replaces": 5}),
        ("draft.approved", "approval", 3, {"number": 18, "size": 34085}),
        ("tag.accepted", "answer", 412, {"label": "Family migration"}),
    ):
        record_event(
            session,
            actor=officer,
            action=action,
            object_type=kind,
            object_id=row,
            detail=detail,
        )
    session.flush()

    rows = [
        row
        for row in audit_events(session, officer, AuditFilter())
        if row.object_id and row.object_type != "consultation"
    ]
    assert [(row.about, row.detail) for row in rows] == [
        ("answer", "label: Family migration"),
        ("approval of version 18", "size: 33 KB"),  # 34,085 bytes, as files.plain_size says
        ("board decision on version 18", "replaces: an earlier decision"),
        ("draft version 18", "section: Summary"),
    ]


def test_a_code_without_words_yet_reads_as_words_and_anything_else_as_written():
    assert event_words("theme.phrase_reordered") == "Theme: phrase reordered"
    assert event_words('=HYPERLINK("x")') == '=HYPERLINK("x")'


def test_the_csv_names_what_each_event_was_about_instead_of_ids_and_codes(session, trail):
    from sqlalchemy import select

    from consultations.models import Question
    from tests.conftest import add_organisation

    officer, member, *_ = trail
    council = add_organisation(session, "Derry City Council")
    consultation = add_consultation(session, officer, questions=1, title="Family migration")
    question = session.scalar(select(Question).where(Question.consultation_id == consultation.id))
    record_event(
        session,
        actor=officer,
        action="person.invited",
        object_type="person",
        object_id=member.id,
        detail={"organisation_id": council.id},
    )
    record_event(
        session,
        actor=officer,
        action="draft.section",
        consultation_id=consultation.id,
        detail={"section": f"question-{question.id}", "number": 2},
    )
    record_event(
        session,
        actor=officer,
        action="draft.added",
        detail={"section": "key-messages"},
    )
    record_event(
        session,
        actor=officer,
        action="answers.retagged",
        detail={"answers": 70, "taxonomy": "9f2c4e1ab3d57788"},
    )
    session.flush()

    rows = {row.action: row for row in audit_events(session, officer, AuditFilter())}
    assert rows["person.invited"].about == f"person {member.name}"
    assert rows["person.invited"].detail == "organisation: Derry City Council"
    assert rows["draft.section"].detail == (
        f"number: 2; section: {question.number}: {question.text}"
    )
    assert rows["draft.added"].detail == "section: Key messages"
    assert rows["answers.retagged"].detail == "answers: 70"
    text = audit_csv(list(rows.values())).decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header == ["When (UK time)", "Who", "What", "About", "Consultation", "Details"]
    for code in ("Object id", "organisation id", "question-", "taxonomy", "9f2c4e1a"):
        assert code not in text
