"""Deleting an interview logged by mistake, and moving a step to another time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from .errors import InputError, NotFoundError
from .model import Event, EventStatus, Interview, Kind
from .service import replan
from .store import events as event_rows
from .store import interviews as interview_rows
from .store.journal import recording
from .timezones import zone
from .workspace import Workspace, utc_now


def delete_interview(ws: Workspace, interview_id: int, now: datetime | None = None) -> int:
    """Delete an interview: it leaves every list and its events are cancelled (kept, so
    every calendar hears of it, and undo can bring it back). Returns the events cancelled."""
    now = now or utc_now()
    with recording(ws.conn, f"delete {interview_id}", now):
        interview = interview_rows.get(ws.conn, interview_id)
        interview_rows.mark_deleted(ws.conn, interview_id, now)
        return event_rows.reconcile(ws.conn, interview_id, [], interview.tz, 0, now)


class Moved(NamedTuple):
    before: Event
    after: Event
    followed: list[Event]  # the steps that count from it, where they are now


def move_step(
    ws: Workspace,
    interview_id: int,
    kind_text: str,
    when_text: str,
    who: str | None = None,
    now: datetime | None = None,
) -> Moved:
    """Move the next step of a kind that is still to do; the policy keeps it there."""
    from .parsing import parse_kind

    now = now or utc_now()
    kind = parse_kind(kind_text)
    command = f"move {interview_id} {kind.value} {' '.join(when_text.split())}"
    with recording(ws.conn, command + (f" --who {who}" if who else ""), now):
        interview = interview_rows.get(ws.conn, interview_id)
        before = event_rows.load(ws.conn, [interview_id])
        step = _next_step(before, interview, kind, who)
        to = _target(ws, step, interview, when_text, now)
        event_rows.set_move(ws.conn, step.uid, to, now)
        replan(ws, interview_id, now)
        after = {e.uid: e for e in event_rows.load(ws.conn, [interview_id])}
    followed = [after[e.uid] for e in before if e.uid != step.uid and after[e.uid].start != e.start]
    return Moved(step, after[step.uid], followed)


def _next_step(events: Sequence[Event], interview: Interview, kind: Kind, who: str | None) -> Event:
    from .service import sort_events

    todo = [e for e in events if e.kind is kind and e.status is EventStatus.SCHEDULED]
    if who is not None:
        todo = [e for e in todo if e.who.casefold() == who.strip().casefold()]
        if not todo:
            raise NotFoundError(
                "who", f"no {kind.value} step for {who!r} still to do in interview {interview.id}"
            )
    if not todo:
        raise NotFoundError("kind", f"interview {interview.id} has no {kind.value} step to do")
    return sort_events(todo)[0]


def _target(
    ws: Workspace, step: Event, interview: Interview, text: str, now: datetime
) -> datetime | date:
    """WHEN in the user's zone, as the step stores it: a day for an all-day step, else
    wall-clock time in the interview's zone. Without a time the step keeps its own."""
    from .parsing import parse_when

    mine = zone(ws.settings.zone_name, "timezone")
    today = now.astimezone(mine).date()
    day, clock = parse_when(text, today, "when", ws.days_for(interview))
    if step.all_day:
        if clock is not None:
            raise InputError(
                "when", f"a {step.kind.value} step lasts all day: give a day, not a time"
            )
        if day < today:
            raise InputError("when", f"{text!r} ({day.isoformat()}) is in the past")
        return day
    assert isinstance(step.start, datetime)
    clock = clock or step.start.astimezone(mine).time().replace(tzinfo=None)
    moment = datetime.combine(day, clock, tzinfo=mine)
    if moment <= now:
        raise InputError("when", f"{text!r} ({moment:%Y-%m-%d %H:%M}) is in the past")
    return moment.astimezone(zone(interview.tz)).replace(tzinfo=None)
