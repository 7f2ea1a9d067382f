"""The use cases: wire validation, policy and store together. No click here."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from . import config, paths
from .errors import NotFoundError
from .model import OPEN_STATUSES, Change, ChangeType, Event, EventStatus, Interview, Status
from .store import events as event_rows
from .store import interviews as interview_rows
from .store.journal import recording
from .timezones import starts_at, zone
from .workspace import Workspace, open_workspace, utc_now

__all__ = ["Workspace", "open_workspace", "utc_now"]


# --- keeping the stored events equal to the policy ---


def _refresh(ws: Workspace, interview_id: int, now: datetime, *, keep_history: bool = False) -> int:
    interview = interview_rows.get(ws.conn, interview_id)
    history = interview_rows.history(ws.conn, interview_id)
    from . import policy  # the rules load only for commands that change a plan

    moves = event_rows.moves(ws.conn, interview_id)
    steps = policy.schedule(interview, history, ws.settings, ws.days, moves)
    return event_rows.reconcile(
        ws.conn,
        interview_id,
        steps,
        interview.tz,
        ws.settings.alarm_minutes,
        now,
        keep_history=keep_history,
    )


def replan(ws: Workspace, interview_id: int, now: datetime) -> int:
    """Store the policy's plan of one interview again (inside a write); events changed."""
    return _refresh(ws, interview_id, now)


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
            _refresh(ws, i.id, now, keep_history=True)
            for i in interview_rows.all_interviews(ws.conn)
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
    ws: Workspace, interview_id: int, status: Status, now: datetime, because_of: int | None = None
) -> None:
    interview_rows.set_status(ws.conn, interview_id, status, now)
    interview_rows.add_change(
        ws.conn, interview_id, Change(ChangeType.STATUS, now, status=status, because_of=because_of)
    )
    _refresh(ws, interview_id, now)


def _insert(ws: Workspace, interview: Interview, now: datetime) -> int:
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


def validate_import(path: str) -> None:
    """Check every row of an import file without opening (or creating) the database."""
    from pathlib import Path

    from . import importer

    importer.read(Path(path), config.load())


def log_interview(ws: Workspace, raw: Mapping[str, Any], now: datetime | None = None) -> int:
    now = now or utc_now()
    from . import fields

    interview = fields.build(raw, ws.settings)
    when = interview.start.isoformat(sep=" ", timespec="minutes")
    with recording(ws.conn, f"log {interview.company} {when}", now):
        return _insert(ws, interview, now)


def _update(ws: Workspace, before: Interview, after: Interview, now: datetime) -> None:
    interview_rows.update(ws.conn, after, now)
    if after.decision_by != before.decision_by:
        # An edit corrects the record; a new answer from the employer is `promise`.
        promise = (
            Change(ChangeType.PROMISE, now, promised=after.decision_by)
            if after.decision_by
            else None
        )
        interview_rows.replace_promises(ws.conn, after.id, promise)
    _refresh(ws, after.id, now)
    if (after.company.casefold(), after.role.casefold()) != (
        before.company.casefold(),
        before.role.casefold(),
    ):
        _mark_rounds(ws, after, now)


def edit_interview(
    ws: Workspace, interview_id: int, raw: Mapping[str, Any], now: datetime | None = None
) -> None:
    now = now or utc_now()
    with recording(ws.conn, f"edit {interview_id}", now):
        before = interview_rows.get(ws.conn, interview_id)
        from . import fields

        after = fields.build(raw, ws.settings, base=before)
        _update(ws, before, after, now)


# --- status, promises, done ---


def set_status(
    ws: Workspace, interview_id: int, status_text: str, now: datetime | None = None
) -> list[int]:
    """Change the status; returns the ids of other interviews withdrawn by an acceptance."""
    now = now or utc_now()
    from .parsing import parse_status

    status = parse_status(status_text)
    with recording(ws.conn, f"status {interview_id} {status.value}", now):
        return _change_status(ws, interview_id, status, now)


def _withdrawn_by_acceptance(ws: Workspace, interview_id: int) -> bool:
    changes = [
        c for c in interview_rows.history(ws.conn, interview_id) if c.type is ChangeType.STATUS
    ]
    return (
        bool(changes)
        and changes[-1].status is Status.WITHDRAWN
        and changes[-1].because_of is not None
    )


def _change_status(ws: Workspace, interview_id: int, status: Status, now: datetime) -> list[int]:
    """The status change with its cascade: accepting withdraws every other open process."""
    if interview_rows.get(ws.conn, interview_id).status is status:
        return []
    _record_status(ws, interview_id, status, now)
    withdrawn: list[int] = []
    if status is Status.ACCEPTED:
        for other in interview_rows.all_interviews(ws.conn):
            if other.id != interview_id and other.status in OPEN_STATUSES:
                _record_status(ws, other.id, Status.WITHDRAWN, now, because_of=interview_id)
                withdrawn.append(other.id)
    return withdrawn


def promise(ws: Workspace, interview_id: int, day_text: str, now: datetime | None = None) -> date:
    now = now or utc_now()
    with recording(ws.conn, f"promise {interview_id} {day_text.strip()}", now):
        interview = interview_rows.get(ws.conn, interview_id)
        today = now.astimezone(zone(interview.tz)).date()
        from . import fields
        from .parsing import parse_day

        day = parse_day(day_text, today, "date", ws.days)
        fields.check_decision(interview, day)
        interview_rows.update(ws.conn, interview._replace(decision_by=day), now)
        interview_rows.add_change(
            ws.conn, interview_id, Change(ChangeType.PROMISE, now, promised=day)
        )
        _refresh(ws, interview_id, now)
    return day


def mark_done(
    ws: Workspace,
    interview_id: int,
    kind_text: str,
    who: str | None = None,
    now: datetime | None = None,
) -> int:
    """Mark the steps of one kind (or the one for ``who``) done; returns how many."""
    now = now or utc_now()
    from .parsing import parse_kind

    kind = parse_kind(kind_text)
    with recording(
        ws.conn, f"done {interview_id} {kind.value}" + (f" --who {who}" if who else ""), now
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
        interview_rows.add_change(
            ws.conn,
            interview_id,
            Change(ChangeType.DONE, now, kind=kind, who=candidates[0].who if who else None),
        )
        _refresh(ws, interview_id, now)
    return len(candidates)


# --- reading ---


def interviews(ws: Workspace) -> list[Interview]:
    return interview_rows.all_interviews(ws.conn)


def interview(ws: Workspace, interview_id: int) -> Interview:
    return interview_rows.get(ws.conn, interview_id)


class Agenda(NamedTuple):
    overdue: list[Event]
    upcoming: list[Event]


def agenda(ws: Workspace, now: datetime | None = None, days_ahead: int = 7) -> Agenda:
    """Steps still to do: overdue ones, then those due from today to ``days_ahead`` days on."""
    now = now or utc_now()
    # Stored starts begin with their local date; a day's margin covers every zone.
    last_day = now.date() + timedelta(days=days_ahead + 1)
    todo = sort_events(event_rows.load_due(ws.conn, last_day))
    overdue, upcoming = [], []
    for event in todo:
        tz = zone(event.tz)
        today = now.astimezone(tz).date()
        if isinstance(event.start, datetime):
            if event.end <= now:  # type: ignore[operator]
                overdue.append(event)
            elif event.start.astimezone(tz).date() <= today + timedelta(days=days_ahead):
                upcoming.append(event)
        elif event.start < today:
            overdue.append(event)
        elif event.start <= today + timedelta(days=days_ahead):
            upcoming.append(event)
    return Agenda(overdue, upcoming)


def company_names(ws: Workspace, ids: Sequence[int]) -> dict[int, str]:
    return {i.id: i.company for i in interview_rows.all_interviews(ws.conn) if i.id in set(ids)}


class ImportReport(NamedTuple):
    added: list[int]
    updated: list[int]
    ignored_columns: list[str]


def import_file(ws: Workspace, path: str, now: datetime | None = None) -> ImportReport:
    """Validate every row, then add or update all of them in one transaction."""
    from pathlib import Path

    from . import importer

    now = now or utc_now()
    rows, ignored = importer.read(Path(path), ws.settings)
    added: list[int] = []
    updated: list[int] = []
    statuses: list[tuple[int, Status]] = []
    with recording(ws.conn, f"import {os.path.basename(path)}", now):
        for row in rows:
            existing = interview_rows.find_same(
                ws.conn, row.interview.company, row.interview.role, row.interview.start
            )
            if existing is None:
                interview_id = _insert(ws, row.interview, now)
                added.append(interview_id)
            else:
                interview_id = existing
                before = interview_rows.get(ws.conn, existing)
                _update(ws, before, row.interview._replace(id=existing, status=before.status), now)
                updated.append(existing)
            if row.status is not None:
                statuses.append((interview_id, row.status))
        # After every row is in, acceptances last, so the result does not depend on the
        # order of the rows; a process an acceptance withdrew stays withdrawn, so
        # importing the same file again changes nothing.
        statuses.sort(key=lambda pair: pair[1] is Status.ACCEPTED)
        for interview_id, status in statuses:
            if status in OPEN_STATUSES and _withdrawn_by_acceptance(ws, interview_id):
                continue
            _change_status(ws, interview_id, status, now)
    return ImportReport(added, updated, ignored)
