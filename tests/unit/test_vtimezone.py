"""VTIMEZONEs from zoneinfo, checked against an independent scan of the same data.

The module bisects between daily samples; this test walks every quarter hour of three
years (every change in these zones falls on a quarter hour in UTC) and compares.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from interview_followup import vtimezone

ZONES = [
    "America/New_York",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Europe/London",
    "Australia/Sydney",
    "Asia/Tokyo",
    "America/Santiago",
    "Asia/Tehran",
    "Australia/Lord_Howe",
]
FIRST, LAST = date(2026, 1, 1), date(2029, 1, 1)
QUARTER = 15 * 60

Change = tuple[datetime, timedelta, timedelta]  # UTC instant, offset before, offset after


def _scanned(tz: ZoneInfo) -> list[Change]:
    """Every offset change between local midnights of FIRST and LAST, by brute force."""
    start = int(datetime(FIRST.year, FIRST.month, FIRST.day, tzinfo=tz).timestamp())
    end = int(datetime(LAST.year, LAST.month, LAST.day, tzinfo=tz).timestamp())
    changes: list[Change] = []
    at = start - start % QUARTER
    before = datetime.fromtimestamp(at, UTC).astimezone(tz).utcoffset()
    while at < end:
        at += QUARTER
        now = datetime.fromtimestamp(at, UTC).astimezone(tz).utcoffset()
        if now != before:
            assert before is not None and now is not None
            if at > start:
                changes.append((datetime.fromtimestamp(at, UTC), before, now))
            before = now
    return changes


def _parsed(tzid: str) -> list[icalendar.cal.Component]:
    """The observances as a parser sees them: written to text and read back."""
    text = vtimezone.component(tzid, ZoneInfo(tzid), FIRST, LAST).to_ical()
    calendar = icalendar.Calendar.from_ical(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" + text + b"END:VCALENDAR\r\n"
    )
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == tzid
    for line in text.decode().split("\r\n"):
        assert not line.startswith(("RDATE", "RRULE", "COMMENT")), line
    return [c for c in zone.subcomponents if c.name in ("STANDARD", "DAYLIGHT")]


def _onset(observance: icalendar.cal.Component) -> datetime:
    start = observance["DTSTART"].dt
    assert isinstance(start, datetime) and start.tzinfo is None  # local wall time
    offset_from = observance["TZOFFSETFROM"].td
    return (start - offset_from).replace(tzinfo=UTC)


@pytest.mark.parametrize("tzid", ZONES)
def test_every_observance_is_a_zoneinfo_change_and_every_change_has_one(tzid: str) -> None:
    tz = ZoneInfo(tzid)
    parts = _parsed(tzid)
    opening, changes = parts[0], parts[1:]
    # The first observance opens the range with the offset in force then.
    range_start = datetime(FIRST.year, 1, 1, tzinfo=tz)
    assert opening["DTSTART"].dt == datetime(FIRST.year, 1, 1)
    assert opening["TZOFFSETFROM"].td == opening["TZOFFSETTO"].td == range_start.utcoffset()
    assert (opening.name == "DAYLIGHT") == bool(range_start.dst())
    written = [(_onset(p), p["TZOFFSETFROM"].td, p["TZOFFSETTO"].td) for p in changes]
    assert written == _scanned(tz)
    for part, (onset, _, _) in zip(changes, written, strict=True):
        after = onset.astimezone(tz)
        assert str(part["TZNAME"]) == after.tzname()
        assert (part.name == "DAYLIGHT") == bool(after.dst())
        # Just before the onset, the wall clock read DTSTART minus a second.
        just_before = (onset - timedelta(seconds=1)).astimezone(tz).replace(tzinfo=None)
        assert just_before == part["DTSTART"].dt - timedelta(seconds=1)


@pytest.mark.parametrize(
    ("tzid", "count"),
    [
        ("Asia/Tokyo", 0),
        ("Asia/Tehran", 0),  # no daylight saving time since 2022
        ("America/New_York", 6),
        ("Australia/Lord_Howe", 6),  # half an hour each way
        ("America/Santiago", 6),
    ],
)
def test_the_number_of_changes(tzid: str, count: int) -> None:
    assert len(_parsed(tzid)) == 1 + count


def test_new_york_spring_forward_is_written_before_the_change() -> None:
    spring = _parsed("America/New_York")[1]
    assert spring.name == "DAYLIGHT"
    assert spring["DTSTART"].to_ical() == b"20260308T020000"
    assert _onset(spring) == datetime(2026, 3, 8, 7, tzinfo=UTC)


def test_lord_howe_moves_by_half_an_hour() -> None:
    for part in _parsed("Australia/Lord_Howe")[1:]:
        assert abs(part["TZOFFSETTO"].td - part["TZOFFSETFROM"].td) == timedelta(minutes=30)


def test_the_same_input_gives_the_same_bytes() -> None:
    tz = ZoneInfo("Europe/Berlin")
    one = vtimezone.component("Europe/Berlin", tz, FIRST, LAST).to_ical()
    assert one == vtimezone.component("Europe/Berlin", tz, FIRST, LAST).to_ical()
