"""What the agenda counts as a duty, and what is overdue or coming up. Pure.

A step is a duty until it is done or cancelled, or until its process closed after the
step's time (a rejection or an acceptance makes the steps it finds in the past moot).
A decision day and a move-on day are days to notice, not duties: once passed, they are
never overdue.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from .model import Event, EventStatus, Kind
from .timezones import starts_at, zone

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

DAYS_TO_NOTICE = frozenset({Kind.DECISION_DAY, Kind.MOVE_ON})


class Due(NamedTuple):
    overdue: list[Event]
    upcoming: list[Event]


def is_duty(event: Event, closed_at: datetime | None) -> bool:
    if event.status is not EventStatus.SCHEDULED:
        return False
    return closed_at is None or closed_at <= starts_at(event.start, zone(event.tz))


def user_day(event: Event, user_tz: ZoneInfo) -> date:
    """The day of the user's calendar an event falls on: an all-day step is a day of its
    own; a timed one falls where its start does in the user's zone."""
    if isinstance(event.start, datetime):
        return event.start.astimezone(user_tz).date()
    return event.start


def due(
    events: Iterable[Event],
    closed: Mapping[int, datetime],
    now: datetime,
    user_tz: ZoneInfo,
    days_ahead: int,
) -> Due:
    """Overdue duties, then what falls from the user's today to ``days_ahead`` days on;
    both in the user's order: by day, a day's all-day steps first, then by time."""
    today = now.astimezone(user_tz).date()
    last = today + timedelta(days=days_ahead)
    overdue: list[Event] = []
    upcoming: list[Event] = []
    for event in events:
        if not is_duty(event, closed.get(event.interview_id)):
            continue
        day = user_day(event, user_tz)
        passed = event.end <= now if isinstance(event.end, datetime) else day < today
        if passed:
            if event.kind not in DAYS_TO_NOTICE:
                overdue.append(event)
        elif day <= last:
            upcoming.append(event)
    return Due(in_user_order(overdue, user_tz), in_user_order(upcoming, user_tz))


def in_user_order(events: Iterable[Event], user_tz: ZoneInfo) -> list[Event]:
    def key(event: Event) -> tuple[date, bool, datetime, int, str, str, int]:
        return (
            user_day(event, user_tz),
            isinstance(event.start, datetime),
            starts_at(event.start, zone(event.tz)),
            event.interview_id,
            event.kind.value,
            event.who,
            event.ordinal,
        )

    return sorted(events, key=key)
