"""Sinks built straight from the package, for tests that drive the sink interface
itself: the memory sink, CalDAV on a Radicale, Google on the fake API."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from interview_followup.model import Event, EventStatus, Kind
from interview_followup.sinks.base import Sink

_numbers = itertools.count(1)


def make_event(
    number: int | None = None,
    *,
    title: str = "Follow up with Northwind",
    start: datetime | None = None,
    sequence: int = 0,
) -> Event:
    """An event as the store would hold it; its UID has our form (32 base32hex + domain)."""
    number = next(_numbers) if number is None else number
    stem = f"{number:032d}"
    start = start or datetime(2030, 3, 4, 10, tzinfo=ZoneInfo("America/New_York"))
    stamp = datetime(2030, 1, 1, tzinfo=UTC)
    return Event(
        f"{stem}@interview-followup", 1, Kind.FOLLOW_UP, "", number, title,
        "Write a short note.\nSecond line; with, commas", start, start + timedelta(minutes=15),
        "America/New_York", EventStatus.SCHEDULED, ("Job search",), 15, f"h{number}", sequence,
        stamp, stamp,
    )  # fmt: skip


def caldav_sink(url: str, user: str, password: str, calendar: str) -> Sink:
    from interview_followup.sinks import caldav

    sink = caldav.open_sink(url, user, password, calendar, None, f"test:{calendar}")
    assert sink is not None
    return sink


def google_sink(base_url: str, name: str) -> Sink:
    from google.oauth2.credentials import Credentials

    from interview_followup.sinks import google

    base_url = base_url.rstrip("/") + "/"
    service = google.build_service(Credentials(token="x"), base_url)
    calendar_id = google.create_calendar(service, name, "America/New_York")
    return google.GoogleSink(service, calendar_id, base_url + "batch/calendar/v3", lambda _: None)
