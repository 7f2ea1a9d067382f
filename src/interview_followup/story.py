"""One interview's whole story: what was logged, what happened, and every step."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from .duties import DAYS_TO_NOTICE, is_duty
from .model import Change, Event, EventStatus, Interview
from .regions import region_for
from .service import sort_events
from .store import events as event_rows
from .store import interviews as interview_rows
from .timezones import zone
from .workspace import Workspace, utc_now

# What `show` says of a step: the stored status, or for one still to do, when it is.
STATES = ("scheduled", "due", "overdue", "passed", "done", "cancelled")


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


def step_state(event: Event, now: datetime, today: date, closed_at: datetime | None) -> str:
    """done or cancelled as stored; a duty is overdue once it ended, due on its day
    (``today``, the user's), scheduled before; a step that is no duty (a decision or
    move-on day, or a step its closed process left behind) has passed once it ended."""
    if event.status is not EventStatus.SCHEDULED:
        return event.status.value
    state = _state_by_time(event, now, today)
    if state == "overdue" and (event.kind in DAYS_TO_NOTICE or not is_duty(event, closed_at)):
        return "passed"
    return state


def _state_by_time(event: Event, now: datetime, today: date) -> str:
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
    country, subdivision = region_for(interview, settings)
    closed_at = interview_rows.closing_times(ws.conn).get(interview_id)
    mine = zone(settings.zone_name, "timezone")
    local_now = (now or utc_now()).astimezone(mine)
    today = local_now.date()
    events = sort_events(event_rows.load(ws.conn, [interview_id]))
    return Story(
        interview=interview,
        logged_at=interview_rows.logged_at(ws.conn, interview_id),
        zone=settings.zone_name,
        country=country,
        subdivision=subdivision,
        history=interview_rows.history(ws.conn, interview_id),
        steps=[Step(e, step_state(e, local_now, today, closed_at)) for e in events],
    )


def in_zone(value: datetime | date, name: str) -> datetime | date:
    """A step's time in the user's zone (a day stays a day)."""
    if isinstance(value, datetime):
        return value.astimezone(zone(name, "timezone"))
    return value
