"""Business days and holidays (days.py), and the date phrases people type (parsing.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import is_business_day

from interview_followup.days import BusinessDays, validate_region
from interview_followup.errors import InputError
from interview_followup.parsing import parse_day


def test_us_holidays_in_the_worked_examples() -> None:
    us = BusinessDays("US")
    for holiday in (
        date(2027, 11, 25),  # Thanksgiving
        date(2027, 12, 24),  # Christmas (observed)
        date(2027, 12, 31),  # New Year's Day 2028 (observed), from next year's table
        date(2028, 1, 17),  # Martin Luther King Jr. Day
    ):
        assert not us.is_business_day(holiday), holiday
    assert us.is_business_day(date(2027, 11, 26))
    assert not us.is_business_day(date(2027, 12, 25))  # a Saturday


def test_next_bd_is_strictly_after() -> None:
    us = BusinessDays("US")
    assert us.next_bd(date(2027, 11, 22)) == date(2027, 11, 23)  # Mon -> Tue
    assert us.next_bd(date(2027, 12, 23)) == date(2027, 12, 27)  # over Christmas and weekend
    assert us.next_bd(date(2027, 12, 30)) == date(2028, 1, 3)  # over New Year (observed)


def test_on_or_after_keeps_a_business_day() -> None:
    us = BusinessDays("US")
    assert us.on_or_after(date(2027, 11, 24)) == date(2027, 11, 24)
    assert us.on_or_after(date(2027, 11, 25)) == date(2027, 11, 26)
    assert us.on_or_after(date(2028, 1, 17)) == date(2028, 1, 18)


def test_add_counts_business_days_strictly_after() -> None:
    us = BusinessDays("US")
    assert us.add(date(2027, 11, 15), 10) == date(2027, 11, 30)
    assert us.add(date(2027, 11, 15), 0) == date(2027, 11, 15)
    assert us.add(date(2027, 11, 20), 1) == date(2027, 11, 22)  # from a Saturday
    assert BusinessDays().add(date(2027, 11, 15), 10) == date(2027, 11, 29)


def test_no_country_skips_weekends_only() -> None:
    days = BusinessDays()
    assert days.is_business_day(date(2027, 12, 24))
    assert days.is_business_day(date(2027, 11, 25))
    assert not days.is_business_day(date(2027, 11, 27))
    assert not days.is_business_day(date(2027, 11, 28))
    assert days.next_bd(date(2027, 11, 26)) == date(2027, 11, 29)


def test_subdivision_holidays() -> None:
    # Epiphany (Thu 2028-01-06) is a holiday in Bavaria, not in Germany as a whole.
    assert not BusinessDays("DE", "BY").is_business_day(date(2028, 1, 6))
    assert BusinessDays("DE").is_business_day(date(2028, 1, 6))
    assert BusinessDays("DE", "BE").is_business_day(date(2028, 1, 6))
    assert BusinessDays("DE", "BY").next_bd(date(2028, 1, 5)) == date(2028, 1, 7)


@pytest.mark.parametrize(
    ("country", "subdivision"), [("US", ""), ("DE", "BY"), ("GB", ""), ("", "")]
)
def test_every_day_agrees_with_the_holidays_package(country: str, subdivision: str) -> None:
    days = BusinessDays(country, subdivision)
    day = date(2026, 1, 1)
    while day < date(2031, 1, 1):
        assert days.is_business_day(day) == is_business_day(day, country, subdivision), day
        day += timedelta(days=1)


def test_unknown_country_is_an_input_error() -> None:
    with pytest.raises(InputError) as raised:
        BusinessDays("XX").is_business_day(date(2027, 11, 15))
    assert raised.value.field == "country"
    with pytest.raises(InputError) as raised:
        validate_region("XX", "")
    assert raised.value.field == "country"


def test_validate_region() -> None:
    validate_region("US", "CA")
    validate_region("", "")
    with pytest.raises(InputError) as raised:
        validate_region("US", "ZZ")
    assert raised.value.field == "subdivision"
    with pytest.raises(InputError) as raised:
        validate_region("", "CA")
    assert raised.value.field == "subdivision"


# --- date phrases, counted from a reference day (a Monday) ---

MONDAY = date(2027, 11, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027-11-23", date(2027, 11, 23)),
        ("today", MONDAY),
        ("Tomorrow", date(2027, 11, 16)),
        ("friday", date(2027, 11, 19)),
        ("next friday", date(2027, 11, 19)),
        ("monday", date(2027, 11, 22)),  # strictly after the reference
        ("in 3 days", date(2027, 11, 18)),
        ("in a week", date(2027, 11, 22)),
        ("in 2 weeks", date(2027, 11, 29)),
        ("in five business days", date(2027, 11, 22)),
        ("next week", date(2027, 11, 22)),
        ("  In   1   Week ", date(2027, 11, 22)),
    ],
)
def test_parse_day_phrases(text: str, expected: date) -> None:
    assert parse_day(text, MONDAY) == expected


@pytest.mark.parametrize("text", ["someday", "2027-02-30", "in zero days", "next month", ""])
def test_parse_day_rejects(text: str) -> None:
    with pytest.raises(InputError) as raised:
        parse_day(text, MONDAY, "decision-by")
    assert raised.value.field == "decision-by"
