"""Dates in plain English, as partners read them: "Friday 11 December 2026, 5 days left"."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def uk_time(moment: datetime) -> datetime:
    """Return a stored time (UTC, with or without tzinfo) as UK time, summer time included."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UK)


def plain_date(day: date | datetime) -> str:
    """Return a date as 'Friday 11 December 2026' (a stored time is read as UK time)."""
    if isinstance(day, datetime):
        day = uk_time(day)
    return f"{day:%A} {day.day} {day:%B %Y}"


def plain_datetime(moment: datetime) -> str:
    """Return a stored time as 'Friday 11 December 2026 at 14:05', UK time."""
    local = uk_time(moment)
    return f"{plain_date(local)} at {local:%H:%M}"


def days_left_phrase(deadline: date, today: date) -> str:
    """Say how far away a deadline is: '5 days left', 'today', 'passed 2 days ago'."""
    days = (deadline - today).days
    if days > 1:
        return f"{days} days left"
    if days == 1:
        return "1 day left (tomorrow)"
    if days == 0:
        return "today is the last day"
    if days == -1:
        return "passed yesterday"
    return f"passed {-days} days ago"


def deadline_phrase(deadline: date, today: date) -> str:
    """Return 'Friday 11 December 2026, 5 days left'."""
    return f"{plain_date(deadline)}, {days_left_phrase(deadline, today)}"


def uk_today() -> date:
    """Return today's date in the UK, which is what deadlines mean."""
    return datetime.now(UK).date()
