"""Events -> iCalendar text, through the icalendar library (it escapes and folds).

Each VEVENT is rendered on its own, so a calendar is a header, the time zones and a
concatenation of event blocks; the store keeps each block until its event changes,
which makes an export or a feed of thousands of events cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from icalendar import Alarm, Calendar
from icalendar import Event as VEvent
from icalendar.prop import vDuration

from . import __version__, timezones, vtimezone
from .model import Event, EventStatus

PRODID = f"-//interview-followup//followup {__version__}//EN"
# Raise when build_vevent changes its output: stored VEVENT texts are then rendered anew.
RENDER_VERSION = "3"
OUR_URL = "X-FOLLOWUP"
CRLF = "\r\n"


@dataclass(frozen=True)
class CalendarInfo:
    name: str = "Interview follow-ups"
    description: str = "Follow-up steps after your job interviews"
    timezone: str = ""
    refresh: timedelta | None = None  # set for subscribed feeds


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def build_vevent(event: Event) -> VEvent:
    """The VEVENT for one stored event. Never carries ATTENDEE or ORGANIZER."""
    component = VEvent()
    component.add("uid", event.uid)
    # DTSTAMP follows the last real change, so unchanged events keep identical bytes.
    component.add("dtstamp", _utc(event.changed_at))
    component.add("created", _utc(event.created_at))
    component.add("last-modified", _utc(event.changed_at))
    component.add("sequence", event.sequence)
    component.add("summary", event.summary)
    component.add("description", event.description)
    if event.url:
        # Marked as ours, so a sync tells it from a link the user added to the event.
        component.add("url", event.url, parameters={OUR_URL: "TRUE"})
    if event.all_day:
        component.add("dtstart", event.start)
        component.add("dtend", event.end)
        component.add("transp", "TRANSPARENT")
    else:
        # Aware in a ZoneInfo, so the library writes TZID=<IANA name>.
        component.add("dtstart", event.start)
        component.add("dtend", event.end)
    component.add("status", "CANCELLED" if event.status is EventStatus.CANCELLED else "CONFIRMED")
    component.add("categories", list(event.categories))
    component.add("x-followup-kind", event.kind.value)
    component.add("x-followup-interview", str(event.interview_id))
    component.add("x-followup-status", event.status.value)
    if event.alarm_minutes is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.summary)
        alarm.add("trigger", timedelta(minutes=-event.alarm_minutes))
        component.add_component(alarm)
    return component


def render_vevent(event: Event) -> str:
    """One VEVENT block as text, CRLF-terminated."""
    return str(build_vevent(event).to_ical().decode("utf-8"))


class Placement(NamedTuple):
    """What assembling a calendar needs of an event besides its VEVENT text: the order,
    and the time zone and years its VTIMEZONE must cover."""

    uid: str
    tzid: str | None  # None for an all-day event, which needs no VTIMEZONE
    first_year: int
    last_year: int

    @classmethod
    def of(cls, event: Event) -> Placement:
        tzid = None if event.all_day else event.tz
        return cls(event.uid, tzid, event.start.year, event.end.year)


def _zone_block(tzid: str, first: date, last: date) -> str:
    # Our own VTIMEZONE rather than icalendar's Timezone.from_tzid: see vtimezone.py.
    block = vtimezone.component(tzid, timezones.zone(tzid), first, last)
    return str(block.to_ical().decode("utf-8"))


@lru_cache(maxsize=256)
def _zones_text(tzids: tuple[str, ...], first: date, last: date) -> str:
    return "".join(_zone_block(tzid, first, last) for tzid in tzids)


def _header(info: CalendarInfo) -> str:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("name", info.name)
    cal.add("x-wr-calname", info.name)
    cal.add("description", info.description)
    cal.add("x-wr-caldesc", info.description)
    if info.timezone:
        cal.add("x-wr-timezone", info.timezone)
    if info.refresh is not None:
        # RFC 7986 wants VALUE=DURATION spelled out; icalendar leaves it off.
        cal.add("refresh-interval", vDuration(info.refresh), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(info.refresh))
    text = str(cal.to_ical().decode("utf-8"))
    return text.removesuffix("END:VCALENDAR" + CRLF)


def render_calendar(events: Iterable[Event], info: CalendarInfo) -> bytes:
    """A complete VCALENDAR: header, the VTIMEZONEs in use, then every event."""
    return assemble([(Placement.of(e), render_vevent(e)) for e in events], info)


def assemble(rendered: Sequence[tuple[Placement, str]], info: CalendarInfo) -> bytes:
    """A VCALENDAR from events whose VEVENT text is already rendered (or stored)."""
    ordered = sorted(rendered, key=lambda pair: pair[0].uid)
    parts = [_header(info)]
    # One pass for the zones in use and the years they must cover (feeds can be large).
    tzids: set[str] = set()
    first_year, last_year = 9999, 1
    for place, _ in ordered:
        if place.tzid is not None:
            tzids.add(place.tzid)
        first_year = min(first_year, place.first_year)
        last_year = max(last_year, place.last_year)
    if tzids:
        first, last = date(first_year, 1, 1), date(last_year + 1, 1, 1)
        parts.append(_zones_text(tuple(sorted(tzids)), first, last))
    parts.extend(text for _, text in ordered)
    parts.append("END:VCALENDAR" + CRLF)
    return "".join(parts).encode("utf-8")


def render_single(event: Event) -> bytes:
    """A calendar object resource for CalDAV: one event and its time zone, no METHOD."""
    return render_calendar([event], CalendarInfo())
