"""Whose holidays count for an interview, and which ones a count of days stepped over."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from interview_followup.config import Settings
from interview_followup.days import business_days
from interview_followup.model import Interview
from interview_followup.regions import region_for

SETTINGS = Settings(country="US", subdivision="CA")


def interview(tz: str, **extra: str) -> Interview:
    return Interview(company="A", start=datetime(2027, 11, 15, 10), tz=tz, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("tz", "extra", "expected"),
    [
        ("America/Los_Angeles", {}, ("US", "CA")),  # the configured country: its subdivision
        ("Europe/Berlin", {}, ("DE", "")),  # another country: not California's holidays
        ("UTC", {}, ("US", "CA")),  # no country of its own: the configured one
        ("Europe/Berlin", {"country": "AT"}, ("AT", "")),
        ("Europe/Berlin", {"subdivision": "BY"}, ("DE", "BY")),
        ("America/New_York", {"subdivision": "NY"}, ("US", "NY")),
    ],
)
def test_region_for(tz: str, extra: dict[str, str], expected: tuple[str, str]) -> None:
    assert region_for(interview(tz, **extra), SETTINGS) == expected


def test_business_days_are_shared_per_region_and_name_what_they_skip() -> None:
    assert business_days("US") is business_days("US")
    us = business_days("US")
    assert us.region == "US" and business_days("US", "CA").region == "US-CA"
    assert us.holidays_in(date(2027, 11, 22), date(2027, 11, 29)) == [
        (date(2027, 11, 25), "Thanksgiving Day")
    ]
    assert business_days().holidays_in(date(2027, 11, 22), date(2027, 11, 29)) == []
