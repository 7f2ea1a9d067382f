"""VTIMEZONE components written from this machine's zoneinfo data, as RFC 5545 reads them.

One STANDARD or DAYLIGHT observance per offset change within the years a calendar uses,
each with its DTSTART in the local time *before* the change, so that DTSTART minus
TZOFFSETFROM is the UTC instant of the change. No RDATE lists, no RRULE, no COMMENT:
ical.js ignores an observance's own DTSTART once it has RDATEs, and libical rejects
the COMMENT that icalendar's ``Timezone.from_tzid`` adds.

The first observance starts at the beginning of the range with the offset then in
force (TZOFFSETFROM equal to TZOFFSETTO): clients disagree on what applies before the
first onset (dateutil, under vobject, takes the first STANDARD, which is wrong for a
southern summer), so nothing is left to that guess. A zone without changes in the
range (Asia/Tokyo) thus gets that single observance.

The output depends only on the zone, the range and the zoneinfo data: the same input
gives the same bytes, which the render cache relies on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

_STEP = 86400  # seconds between samples: no zone changes its offset twice in a day


class Observance(NamedTuple):
    onset: datetime  # the UTC instant from which this observance applies
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool

    @property
    def local_start(self) -> datetime:
        """DTSTART: the onset in the local wall time in force before it (naive)."""
        return (self.onset + self.offset_from).replace(tzinfo=None)


class _State(NamedTuple):
    offset: timedelta
    daylight: bool
    name: str


def _state(tz: ZoneInfo, seconds: int) -> _State:
    moment = datetime.fromtimestamp(seconds, tz)
    offset = moment.utcoffset() or timedelta(0)
    return _State(offset, bool(moment.dst()), moment.tzname() or "")


def _first_change(tz: ZoneInfo, low: int, high: int, before: _State) -> int:
    """The first second in (low, high] whose state differs from ``before`` (at ``low``)."""
    while high - low > 1:
        middle = (low + high) // 2
        if _state(tz, middle) == before:
            low = middle
        else:
            high = middle
    return high


def observances(tz: ZoneInfo, first: date, last: date) -> list[Observance]:
    """The observances from local midnight of ``first`` to local midnight of ``last``."""
    start = int(datetime.combine(first, time(), tz).timestamp())
    end = int(datetime.combine(last, time(), tz).timestamp())
    current = _state(tz, start)
    found = [
        Observance(
            datetime.fromtimestamp(start, UTC),
            current.offset,
            current.offset,
            current.name,
            current.daylight,
        )
    ]
    at = start
    while at < end:
        sample = min(at + _STEP, end)
        state = _state(tz, sample)
        if state == current:
            at = sample
            continue
        at = _first_change(tz, at, sample, current)
        state = _state(tz, at)
        onset = datetime.fromtimestamp(at, UTC)
        found.append(Observance(onset, current.offset, state.offset, state.name, state.daylight))
        current = state
    return found


def component(tzid: str, tz: ZoneInfo, first: date, last: date) -> Timezone:
    """The VTIMEZONE for ``tz`` (named ``tzid``) from ``first`` to ``last``."""
    zone = Timezone()
    zone.add("tzid", tzid)
    for seen in observances(tz, first, last):
        part = TimezoneDaylight() if seen.daylight else TimezoneStandard()
        part.add("dtstart", seen.local_start)
        part.add("tzoffsetfrom", seen.offset_from)
        part.add("tzoffsetto", seen.offset_to)
        if seen.name:
            part.add("tzname", seen.name)
        zone.add_component(part)
    return zone
