"""The PUT bodies of CalDAV items: a new item is built directly, and must hold exactly
what the general path (a server copy with our fields set) would have sent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from interview_followup.model import Event, EventStatus, Kind
from interview_followup.sinks import caldav_items
from interview_followup.sinks.content import RemoteContent, Write, fields_of

NY = ZoneInfo("America/New_York")
STAMP = datetime(2030, 1, 1, tzinfo=UTC)


def event(
    *,
    start: datetime | date = datetime(2030, 3, 4, 10, tzinfo=NY),
    status: EventStatus = EventStatus.SCHEDULED,
    alarm: int | None = 15,
    url: str = "",
) -> Event:
    end = (
        start + timedelta(days=1) if not isinstance(start, datetime) else start + timedelta(hours=1)
    )
    return Event(
        "abc@interview-followup", 1, Kind.FOLLOW_UP, "", 0, "Follow up with Northwind",
        "Write a short note, and say again why you want the job.", start, end,
        "America/New_York", status, ("Job search",), alarm, "hash", 3, STAMP, STAMP, url=url,
    )  # fmt: skip


def content(text: str) -> bytes:
    """The item read and written back by the library, which puts properties in one order."""
    return bytes(Calendar.from_ical(text).to_ical())


EVENTS = {
    "timed, with an alarm": event(),
    "all day, no alarm": event(start=date(2030, 3, 4), alarm=None),
    "cancelled": event(status=EventStatus.CANCELLED, alarm=None),
    "with our link": event(url="https://jobs.example.com/42"),
}


@pytest.mark.parametrize("name", EVENTS)
def test_a_new_item_holds_what_the_general_path_sends(name: str) -> None:
    ours = EVENTS[name]
    fields = fields_of(ours)
    # A copy read back without its text takes the general path: every field set anew.
    through_copy = Write(fields, current=RemoteContent("x.ics", None, fields, None, False))
    assert content(caldav_items.body(ours, None)) == content(caldav_items.body(ours, through_copy))


def test_a_new_item_reads_back_as_ours() -> None:
    ours = EVENTS["timed, with an alarm"]
    text = caldav_items.body(ours, None)
    read = caldav_items.read("x.ics", '"1"', text, ours.uid)
    assert read is not None
    assert read.fields == fields_of(ours)
    assert read.mark == Write(fields_of(ours)).stamp(ours.sequence)
    assert "X-FOLLOWUP-ALARM:TRUE" in text and "ATTENDEE" not in text
