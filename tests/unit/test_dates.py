"""Dates and times as spreadsheets hold them, read by python-dateutil."""

from __future__ import annotations

from datetime import datetime

import pytest

from interview_followup.dates import read_start
from interview_followup.errors import InputError

DEC_15 = datetime(2026, 12, 15, 14, 0)


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-15 14:00",
        "2026-12-15T14:00",
        "2026-12-15 14:00:00",  # what Excel and LibreOffice write with seconds
        "2026-12-15T14:00:59",
        "15.12.2026 14:00",
        "15.12.2026 14:00:00",
        "12/15/2026 2:00 PM",
        "12/15/2026 2:00:00 PM",
        "15/12/2026 14:00",
        "2026/12/15 14:00",
        "Dec 15, 2026 2:00 PM",
        "15 December 2026 14:00",
        "  15.12.2026   14:00 ",
    ],
)
def test_readable_forms(text: str) -> None:
    assert read_start(text) == DEC_15


def test_an_iso_hour_may_have_one_digit() -> None:
    assert read_start("2026-12-15 9:05") == datetime(2026, 12, 15, 9, 5)
    assert read_start("2026-12-15T9:05:30") == datetime(2026, 12, 15, 9, 5)


@pytest.mark.parametrize("order", ["", "DMY", "MDY"])
def test_iso_and_year_first_forms_are_never_ambiguous(order: str) -> None:
    assert read_start("2026-03-04 10:00", date_order=order) == datetime(2026, 3, 4, 10, 0)
    assert read_start("2026/03/04 10:00", date_order=order) == datetime(2026, 3, 4, 10, 0)


def test_a_date_that_reads_two_ways_needs_the_setting() -> None:
    with pytest.raises(InputError) as caught:
        read_start("03/04/2026 10:00")
    message = str(caught.value)
    assert message.startswith("at: '03/04/2026 10:00' could be 3 April 2026")
    assert "4 March 2026" in message and "date_order" in message
    assert read_start("03/04/2026 10:00", date_order="DMY") == datetime(2026, 4, 3, 10, 0)
    assert read_start("03/04/2026 10:00", date_order="MDY") == datetime(2026, 3, 4, 10, 0)
    assert read_start("03.04.26 10:00", date_order="DMY") == datetime(2026, 4, 3, 10, 0)


def test_a_dotted_date_is_day_first() -> None:
    assert read_start("07.12.2026 10:00") == datetime(2026, 12, 7, 10, 0)
    assert read_start("7.12.26 9:30") == datetime(2026, 12, 7, 9, 30)
    assert read_start("07.12.2026 10:00", date_order="MDY") == datetime(2026, 7, 12, 10, 0)


def test_the_same_day_either_way_is_not_ambiguous() -> None:
    assert read_start("04/04/2026 10:00") == datetime(2026, 4, 4, 10, 0)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("next tuesday", "is not a date and time"),
        ("tuesday 10:00", "has no year"),
        ("15.12.2026", "has no time"),
        ("10:00", "has no year"),
        ("2027-13-01 10:00", "is not a date and time"),
        ("2027-02-29 10:00", "is not a date and time"),
        ("31.02.2027 10:00", "is not a date and time"),
        ("15.12.2026 25:00", "is not a date and time"),
        ("2026-12-15 14:00+01:00", "UTC offset"),
        ("15.12.9999 10:00", "outside the years"),
        ("1" * 80, "too long"),
        ("", "is required"),
    ],
)
def test_what_is_refused(text: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        read_start(text, "at")
    assert caught.value.field == "at"
    assert problem in str(caught.value)
