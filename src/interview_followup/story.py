"""One interview's whole story: what was logged, what happened, and every step."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from .model import Change, Event, EventStatus, Interview
from .service import sort_events
from .store import events as event_rows
from .store import interviews as interview_rows
from .timezones import zone
from .workspace import Workspace, utc_now

# What `show` says of a step: the stored status, or for one still to do, when it is.
STATES = ("scheduled", "due", "overdue", "done", "cancelled")


class Step(NamedTuple):
    event: Event
    state: str


class Story(NamedTuple):
    interview: Interview
    logged_at: datetime
    zone: str  # the user's, which the times are shown in
    country: str
    subdivision: str
    history: list[Change]
    steps: list[Step]


def step_state(event: Event, now: datetime, today: date) -> str:
    """done or cancelled as stored; a step to do is overdue once it ended, due on its
    day (``today``, the user's), scheduled before."""
    if event.status is not EventStatus.SCHEDULED:
        return event.status.value
    if isinstance(event.start, datetime):
        assert isinstance(event.end, datetime)
        if event.end <= now:
            return "overdue"
        return "due" if event.start.astimezone(now.tzinfo).date() <= today else "scheduled"
    if event.start < today:
        return "overdue"
    return "due" if event.start == today else "scheduled"


def story(ws: Workspace, interview_id: int, now: datetime | None = None) -> Story:
    interview = interview_rows.get(ws.conn, interview_id)
    settings = ws.settings
    mine = zone(settings.zone_name, "timezone")
    local_now = (now or utc_now()).astimezone(mine)
    today = local_now.date()
    events = sort_events(event_rows.load(ws.conn, [interview_id]))
    return Story(
        interview=interview,
        logged_at=interview_rows.logged_at(ws.conn, interview_id),
        zone=settings.zone_name,
        country=settings.country,
        subdivision=settings.subdivision,
        history=interview_rows.history(ws.conn, interview_id),
        steps=[Step(e, step_state(e, local_now, today)) for e in events],
    )


def in_zone(value: datetime | date, name: str) -> datetime | date:
    """A step's time in the user's zone (a day stays a day)."""
    if isinstance(value, datetime):
        return value.astimezone(zone(name, "timezone"))
    return value
