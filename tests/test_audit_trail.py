"""The audit trail's filters and CSV on a real database: person, consultation, kind, UK dates."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest

from consultations.audit import record_event
from consultations.audit_trail import AuditFilter, audit_choices, audit_csv, audit_events
from consultations.errors import AccessDenied, ValidationFailed
from tests.conftest import add_consultation, add_person


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
