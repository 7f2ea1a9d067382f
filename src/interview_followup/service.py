"""The use cases: wire validation, policy and store together. No click here."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from contextlib import closing
from datetime import date, datetime
from typing import Any

from . import config, paths
from .errors import NotFoundError
from .model import (
    OPEN_STATUSES,
    Change,
    ChangeType,
    Event,
    EventStatus,
    History,
    Interview,
    Status,
)
from .store import events as event_rows
from .store import interviews as interview_rows
from .store import lookup
from .store.journal import recording
from .timezones import starts_at, zone
from .workspace import Workspace, agenda, open_workspace, remember_zone, user_zone, utc_now

__all__ = ["Workspace", "agenda", "open_workspace", "utc_now", "user_zone"]

# Loaded inside the use cases that need them, as the command modules load this one (and
# export.py loads ical): policy by those that change a plan, fields and parsing by those
# that validate input, importer (csv, json, pathlib) by import. `list` and `agenda` need
# none of them.


# --- keeping the stored events equal to the policy ---


def _refresh(
    ws: Workspace, interview_id: int, now: datetime, past: History = History.STATES_ONLY
) -> int:
    """Store one interview's plan again; ``past`` says what its history may undergo."""
    interview = interview_rows.get(ws.conn, interview_id)
    history = interview_rows.history(ws.conn, interview_id)
    from . import policy  # the rules load only for commands that change a plan

    remember_zone(ws)
    rounds = interview_rows.withdrawn_with(ws.conn, interview, history)
    days = ws.days_for(interview)
    interview_rows.set_holiday_region(ws.conn, interview, days.region)
    settings = ws.settings._replace(timezone=ws.settings.zone_name)  # the user's own zone
    moves = event_rows.moves(ws.conn, interview_id)
    steps = policy.schedule(interview, history, settings, days, rounds, moves=moves)
    return event_rows.reconcile(
        ws.conn,
        interview_id,
        steps,
        interview.tz,
        ws.settings.alarm_minutes,
        now,
        history=past,
    )


def replan(ws: Workspace, interview_id: int, now: datetime) -> int:
    """Store the policy's plan of one interview again (inside a write), after a change
    to its own facts (a moved step); returns the events changed."""
    return _refresh(ws, interview_id, now, History.FOLLOWS)


# Settings the schedule depends on: changing one recomputes every plan.
_PLAN_KEYS = frozenset(
    {
        "country",
        "subdivision",
        "thank_you_after",
        "thank_you_within",
        "follow_up_time",
        "revised_follow_up_time",
        "no_date_wait_business_days",
        "check_ins",
        "alarm_minutes",
        "timezone",
        "name",
    }
)


def set_config(key: str, value: str) -> str:
    """Store one setting (validated with the rest of the file); replan when it matters.

    A setting the plans depend on is journaled with its previous value, so undo puts
    both the setting and the plans back.
    """
    if key not in _PLAN_KEYS or not os.path.exists(paths.database_path()):
        return config.set_value(key, value)
    before = config.read_raw().get(key)
    previous = None if before is None else str(before)
    stored = config.set_value(key, value)
    now = utc_now()
    try:
        with closing(open_workspace()) as ws:
            changed = {key: previous} if previous != stored else None
            with recording(ws.conn, f"config set {key} {stored}", now, changed):
                refresh_all(ws, now)
    except BaseException:
        config.restore_value(key, previous)  # the plans could not follow: nor does the file
        raise
    return stored


def refresh_all(ws: Workspace, now: datetime | None = None) -> int:
    """Recompute every plan after a config change or an upgrade; returns the events
    changed. Only what is still to come changes: past events are history."""
    now = now or utc_now()
    with recording(ws.conn, "refresh", now):
        return sum(
            _refresh(ws, i.id, now, History.KEPT) for i in interview_rows.all_interviews(ws.conn)
        )


def sort_events(items: Iterable[Event]) -> list[Event]:
    return sorted(
        items,
        key=lambda e: (
            starts_at(e.start, zone(e.tz)),
            e.interview_id,
            e.kind.value,
            e.who,
            e.ordinal,
        ),
    )


def plan(
    ws: Workspace, interview_id: int | None = None, *, include_cancelled: bool = False
) -> list[Event]:
    if interview_id is not None:
        interview_rows.get(ws.conn, interview_id)
    found = event_rows.load(ws.conn, None if interview_id is None else [interview_id])
    if interview_id is None:  # a deleted interview's (cancelled) events are not its plan
        live = {i.id for i in interview_rows.all_interviews(ws.conn)}
        found = [e for e in found if e.interview_id in live]
    if not include_cancelled:
        found = [e for e in found if e.status is not EventStatus.CANCELLED]
    return sort_events(found)


# --- logging and editing ---


def _mark_rounds(ws: Workspace, interview: Interview, now: datetime) -> list[int]:
    """Of the open interviews for one company and role, all but the latest become next-round."""
    others = [
        interview_rows.get(ws.conn, i)
        for i in interview_rows.find_open_rounds(
            ws.conn, interview.company, interview.role, interview.id
        )
    ]
    if not others:
        return []
    rounds = sorted([*others, interview], key=lambda i: (i.start, i.id))
    changed = []
    for earlier in rounds[:-1]:
        if earlier.status is not Status.NEXT_ROUND:
            _record_status(ws, earlier.id, Status.NEXT_ROUND, now)
            changed.append(earlier.id)
    return changed


def _record_status(
    ws: Workspace,
    interview_id: int,
    status: Status,
    now: datetime,
    because_of: int | None = None,
    *,
    refresh: bool = True,
) -> None:
    interview_rows.set_status(ws.conn, interview_id, status, now)
    interview_rows.add_change(
        ws.conn, interview_id, Change(ChangeType.STATUS, now, status=status, because_of=because_of)
    )
    if refresh:
        _refresh(ws, interview_id, now)


def insert_interview(ws: Workspace, interview: Interview, now: datetime) -> int:
    new_id = interview_rows.insert(ws.conn, interview, now)
    if interview.decision_by is not None:
        interview_rows.add_change(
            ws.conn, new_id, Change(ChangeType.PROMISE, now, promised=interview.decision_by)
        )
    _refresh(ws, new_id, now)
    _mark_rounds(ws, interview._replace(id=new_id), now)
    return new_id


def validate_new_interview(raw: Mapping[str, Any]) -> None:
    """Check the fields of a new interview without opening (or creating) the database."""
    from . import fields

    fields.build(raw, config.load())


def log_interview(ws: Workspace, raw: Mapping[str, Any], now: datetime | None = None) -> int:
    now = now or utc_now()
    from . import fields

    interview = fields.build(raw, ws.settings)
    when = interview.start.isoformat(sep=" ", timespec="minutes")
    with recording(ws.conn, f"log {interview.company} {when}", now):
        return insert_interview(ws, interview, now)


def same_facts(interview: Interview) -> Interview:
    """What the plan is made of: everything but the notes and what is derived."""
    return interview._replace(notes="", holiday_region="")


def update_interview(ws: Workspace, before: Interview, after: Interview, now: datetime) -> None:
    interview_rows.update(ws.conn, after, now)
    if after.decision_by != before.decision_by:
        # An edit corrects the record; a new answer from the employer is `promise`.
        promise = (
            Change(ChangeType.PROMISE, now, promised=after.decision_by)
            if after.decision_by
            else None
        )
        interview_rows.replace_promises(ws.conn, after.id, promise)
    # A correction of the facts is followed by the whole plan; an edit of the notes
    # alone (or an import of the same row again) leaves the history as it is.
    corrected = same_facts(after) != same_facts(before)
    _refresh(ws, after.id, now, History.FOLLOWS if corrected else History.STATES_ONLY)
    if (after.company.casefold(), after.role.casefold()) != (
        before.company.casefold(),
        before.role.casefold(),
    ):
        _mark_rounds(ws, after, now)


def edit_interview(
    ws: Workspace, interview_id: int, raw: Mapping[str, Any], now: datetime | None = None
) -> tuple[Interview, Interview]:
    """Apply an edit; returns the interview before and after it."""
    now = now or utc_now()
    with recording(ws.conn, f"edit {interview_id}", now):
        before = interview_rows.get(ws.conn, interview_id)
        from . import fields

        after = fields.build(raw, ws.settings, base=before)
        update_interview(ws, before, after, now)
    return before, after


def notices(interview: Interview, now: datetime | None = None) -> list[str]:
    """Warnings about a valid interview that is probably not what was meant."""
    from . import fields

    return fields.notices(interview, now or utc_now())


# --- status, promises, done ---


def set_status(
    ws: Workspace, interview_id: int, status_text: str, now: datetime | None = None
) -> list[int]:
    """Change the status; returns the ids of other interviews withdrawn by an acceptance."""
    now = now or utc_now()
    from .parsing import parse_status

    status = parse_status(status_text)
    with recording(ws.conn, f"status {interview_id} {status.value}", now):
        return change_status(ws, interview_id, status, now)


def closed_by_acceptance(ws: Workspace, interview_id: int) -> bool:
    last = interview_rows.last_status(interview_rows.history(ws.conn, interview_id))
    return last is not None and last.because_of is not None


def change_status(ws: Workspace, interview_id: int, status: Status, now: datetime) -> list[int]:
    """The status change with its cascade: accepting closes the other rounds of the same
    process quietly and withdraws every other open process; returns the withdrawn."""
    chosen = interview_rows.get(ws.conn, interview_id)
    if chosen.status is status:
        return []
    _record_status(ws, interview_id, status, now)
    if status is not Status.ACCEPTED:
        return []
    withdrawn: list[int] = []
    closed: list[int] = []
    for other in interview_rows.all_interviews(ws.conn):
        if other.id == interview_id or other.status not in OPEN_STATUSES:
            continue
        # Every status first, then the plans: one note per process needs all its rounds.
        same = other.process == chosen.process
        new_status = Status.ACCEPTED if same else Status.WITHDRAWN
        _record_status(ws, other.id, new_status, now, interview_id, refresh=False)
        closed.append(other.id)
        if not same:
            withdrawn.append(other.id)
    for other_id in closed:
        _refresh(ws, other_id, now)
    return withdrawn


def promise(ws: Workspace, interview_id: int, day_text: str, now: datetime | None = None) -> date:
    now = now or utc_now()
    with recording(ws.conn, f"promise {interview_id} {day_text.strip()}", now):
        interview = interview_rows.get(ws.conn, interview_id)
        today = now.astimezone(zone(interview.tz)).date()
        from . import fields
        from .dates import read_decision_day

        day = read_decision_day(
            day_text, today, "date", ws.days_for(interview), ws.settings.date_order
        )
        fields.check_decision(interview, day)
        interview_rows.update(ws.conn, interview._replace(decision_by=day), now)
        interview_rows.add_change(
            ws.conn, interview_id, Change(ChangeType.PROMISE, now, promised=day)
        )
        _refresh(ws, interview_id, now, History.FOLLOWS)  # a new date moves its days
    return day


def mark_done(
    ws: Workspace,
    interview_id: int,
    kind_text: str,
    who: str | None = None,
    every: bool = False,
    now: datetime | None = None,
) -> list[Event]:
    """Mark the next step of one kind done (for ``who``, when given), or every one still
    open with ``every``; returns the steps marked, as they were before."""
    now = now or utc_now()
    from .parsing import parse_kind

    kind = parse_kind(kind_text)
    with recording(
        ws.conn,
        f"done {interview_id} {kind.value}"
        + (f" --who {who}" if who else "")
        + (" --all" if every else ""),
        now,
    ):
        interview_rows.get(ws.conn, interview_id)
        candidates = [e for e in event_rows.load(ws.conn, [interview_id]) if e.kind is kind]
        if not candidates:
            raise NotFoundError("kind", f"interview {interview_id} has no {kind.value} step")
        if who is not None:
            candidates = [e for e in candidates if e.who.casefold() == who.strip().casefold()]
            if not candidates:
                raise NotFoundError(
                    "who", f"no {kind.value} step for {who!r} in interview {interview_id}"
                )
        still_open = sort_events(e for e in candidates if e.status is EventStatus.SCHEDULED)
        if not still_open:
            raise NotFoundError(
                "kind",
                f"every {kind.value} step of interview {interview_id} is already done or cancelled",
            )
        if every:
            marked = still_open
            change = Change(ChangeType.DONE, now, kind=kind, who=marked[0].who if who else None)
        else:
            marked = still_open[:1]
            change = Change(
                ChangeType.DONE, now, kind=kind, who=marked[0].who, ordinal=marked[0].ordinal
            )
        interview_rows.add_change(ws.conn, interview_id, change)
        _refresh(ws, interview_id, now)
    return marked


# --- reading ---


def interviews(ws: Workspace) -> list[Interview]:
    return interview_rows.all_interviews(ws.conn)


def interview(ws: Workspace, interview_id: int) -> Interview:
    return interview_rows.get(ws.conn, interview_id)


def interview_labels() -> list[lookup.Label]:
    """Each interview's id, company, role, start and status, for shell completion:
    read-only, without the config, never creating or migrating the database."""
    return lookup.interview_labels(paths.database_path())
