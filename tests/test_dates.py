"""Dates in plain English, as partners read them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from consultations.dates import (
    days_left_phrase,
    deadline_phrase,
    plain_date,
    plain_datetime,
    uk_today,
)

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 11), "Friday 11 December 2026"),
        (date(2026, 12, 12), "Saturday 12 December 2026"),
        (date(2026, 3, 1), "Sunday 1 March 2026"),
        (date(2027, 1, 4), "Monday 4 January 2027"),
        (datetime(2026, 12, 11, 23, 59), "Friday 11 December 2026"),
    ],
    ids=["friday", "saturday", "no leading zero", "new year", "a datetime"],
)
def test_plain_date_gives_weekday_day_month_and_year(day, expected):
    assert plain_date(day) == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 12, 11, 14, 5), "Friday 11 December 2026 at 14:05"),
        (datetime(2026, 12, 11, 9, 0), "Friday 11 December 2026 at 09:00"),
    ],
)
def test_plain_datetime_adds_the_time_on_the_24_hour_clock(moment, expected):
    assert plain_datetime(moment) == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (30, "30 days left"),
        (2, "2 days left"),
        (1, "1 day left (tomorrow)"),
        (0, "today is the last day"),
        (-1, "passed yesterday"),
        (-2, "passed 2 days ago"),
        (-45, "passed 45 days ago"),
    ],
    ids=["a month", "two days", "tomorrow", "today", "yesterday", "two days ago", "long ago"],
)
def test_days_left_phrase_says_how_far_away_the_deadline_is(days, expected):
    assert days_left_phrase(TODAY + timedelta(days=days), TODAY) == expected


def test_deadline_phrase_joins_the_date_and_the_days_left():
    assert deadline_phrase(date(2026, 12, 11), TODAY) == "Friday 11 December 2026, 10 days left"


def test_uk_today_is_within_a_day_of_the_utc_date():
    utc_today = datetime.now(UTC).date()
    assert uk_today() - utc_today in {timedelta(days=-1), timedelta(0), timedelta(days=1)}


def test_stored_times_are_shown_in_uk_time_summer_time_included():
    assert plain_datetime(datetime(2026, 7, 1, 13, 5)) == "Wednesday 1 July 2026 at 14:05"
    assert plain_datetime(datetime(2026, 12, 1, 13, 5)) == "Tuesday 1 December 2026 at 13:05"


def test_a_time_just_after_midnight_in_summer_is_the_next_uk_day():
    assert plain_date(datetime(2026, 6, 30, 23, 30)) == "Wednesday 1 July 2026"
    assert plain_date(date(2026, 6, 30)) == "Tuesday 30 June 2026"
