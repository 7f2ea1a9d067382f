"""Stored events: give each step of the plan its identity and its SEQUENCE.

A step keeps its UID for ever; SEQUENCE rises only when what a calendar shows
(time, title, text, status, alarm) changes. Steps that leave the plan are kept as
cancelled, never deleted, so every calendar can be told.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from interview_followup.model import (
    UID_DOMAIN,
    Event,
    EventStatus,
    Followup,
    History,
    Kind,
    Move,
)
from interview_followup.timezones import starts_at, zone

from .db import meta

HASH_VERSION = "v1"


def make_uid(install_id: str, key: tuple[int, str, str, int]) -> str:
    """A UID that is the same for the same (interview, kind, person, ordinal) for ever."""
    import base64
    import hashlib  # here, not at the top: read-only commands never hash

    digest = hashlib.sha256("|".join([install_id, *map(str, key)]).encode()).digest()
    stem = base64.b32hexencode(digest[:20]).decode().rstrip("=").lower()
    return f"{stem}@{UID_DOMAIN}"


def _when(value: datetime | date) -> str:
    return value.isoformat()


def content_hash(fields: dict[str, object]) -> str:
    import json

    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    import hashlib

    return f"{HASH_VERSION}:{hashlib.sha256(canonical.encode()).hexdigest()}"


def _content(step: Followup, tz: str, alarm_minutes: int | None) -> dict[str, object]:
    return _hashed_fields(
        step.summary, step.description, _when(step.start), _when(step.end), step.all_day, tz,
        step.status.value, list(step.categories), alarm_minutes, step.url,
    )  # fmt: skip


def _hashed_fields(
    summary: str, description: str, start: str, end: str, all_day: bool, tz: str,
    status: str, categories: list[str], alarm_minutes: int | None, url: str = "",
) -> dict[str, object]:  # fmt: skip
    """What a calendar shows of an event: the one shape its content hash is taken of.
    The URL counts only when there is one, so events without keep their hash."""
    return ({"url": url} if url else {}) | {
        "summary": summary,
        "description": description,
        "start": start,
        "end": end,
        "all_day": all_day,
        "tz": tz,
        "status": status,
        "categories": categories,
        "alarm_minutes": alarm_minutes,
    }


def alarm_for(step: Followup, minutes: int) -> int | None:
    """A reminder only on timed steps still to be done."""
    if step.all_day or step.status is not EventStatus.SCHEDULED or minutes <= 0:
        return None
    return minutes


def reconcile(
    conn: sqlite3.Connection,
    interview_id: int,
    steps: Sequence[Followup],
    tz: str,
    alarm_minutes: int,
    now: datetime,
    *,
    history: History = History.FOLLOWS,
) -> int:
    """Store the plan of one interview; returns how many events changed.

    ``history`` says what may happen to the events that are history: done, cancelled,
    or already begun.
    """
    install_id = meta(conn, "install_id")
    existing = {
        row["uid"]: row
        for row in conn.execute(
            "SELECT uid, hash, sequence, status, start, end, all_day, tz FROM events"
            " WHERE interview_id = ?",
            (interview_id,),
        )
    }

    def frozen(row: sqlite3.Row | None, wanted_status: EventStatus | None) -> bool:
        if row is None or not _is_history(row, now):
            return False
        if history is History.KEPT:
            return True
        status = str(row["status"])
        same_state = wanted_status is None or wanted_status.value == status
        if history is History.FOLLOWS:  # a correction moves what is still to do, not what is done
            return same_state and status != EventStatus.SCHEDULED.value
        return same_state

    stamp = now.isoformat(timespec="microseconds")
    changed = 0
    wanted: set[str] = set()
    for step in steps:
        uid = make_uid(install_id, step.key)
        wanted.add(uid)
        content = _content(step, tz, alarm_for(step, alarm_minutes))
        row = existing.get(uid)
        if row is not None and history is History.STATES_ONLY and has_begun(row, now):
            # A past step marked done (or otherwise changing state) stays at its time.
            content |= {"start": row["start"], "end": row["end"], "all_day": bool(row["all_day"])}
            content["tz"] = row["tz"]
        digest = content_hash(content)
        if (row is not None and row["hash"] == digest) or frozen(row, step.status):
            continue
        changed += 1
        values = (
            step.summary,
            step.description,
            content["start"],
            content["end"],
            int(bool(content["all_day"])),
            content["tz"],
            step.status.value,
            _encode_categories(step.categories),
            content["alarm_minutes"],
            digest,
            _encode_skipped(step.skipped),
            step.url,
        )
        if row is None:
            conn.execute(
                "INSERT INTO events (uid, interview_id, kind, who, idx, summary, description, start, end,"
                " all_day, tz, status, categories, alarm_minutes, hash, skipped, url, sequence,"
                " created_at, changed_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                (uid, interview_id, step.kind.value, step.who, step.ordinal, *values, stamp, stamp),
            )
        else:
            conn.execute(
                "UPDATE events SET summary = ?, description = ?, start = ?, end = ?, all_day = ?, tz = ?,"
                " status = ?, categories = ?, alarm_minutes = ?, hash = ?, skipped = ?, url = ?,"
                " sequence = sequence + 1,"
                " changed_at = ?, ics = NULL WHERE uid = ?",
                (*values, stamp, uid),
            )
    for uid, row in existing.items():
        if (
            uid not in wanted
            and row["status"] != EventStatus.CANCELLED.value
            and not frozen(row, None)
        ):
            changed += 1
            _cancel_orphan(conn, uid, stamp)
    return changed


def _cancel_orphan(conn: sqlite3.Connection, uid: str, stamp: str) -> None:
    """A step that left the plan (an interviewer removed, fewer check-ins) is cancelled."""
    cancel(conn, uid, stamp)


def cancel(conn: sqlite3.Connection, uid: str, stamp: str) -> None:
    """Cancel one event: SEQUENCE rises so every calendar hears of it."""
    row = conn.execute("SELECT * FROM events WHERE uid = ?", (uid,)).fetchone()
    content = _hashed_fields(
        row["summary"], row["description"], row["start"], row["end"], bool(row["all_day"]), row["tz"],
        EventStatus.CANCELLED.value, list(_decode_categories(row["categories"])), None, row["url"],
    )  # fmt: skip
    conn.execute(
        "UPDATE events SET status = 'cancelled', alarm_minutes = NULL, hash = ?, sequence = sequence + 1,"
        " changed_at = ?, ics = NULL WHERE uid = ?",
        (content_hash(content), stamp, uid),
    )


# json loads here, not at the top: `followup list` never reads an event.
def _encode_categories(categories: Sequence[str]) -> str:
    import json

    return json.dumps(list(categories))


def _decode_categories(text: str) -> tuple[str, ...]:
    import json

    return tuple(json.loads(text))


def _encode_skipped(skipped: Sequence[tuple[str, str, str]]) -> str:
    if not skipped:
        return "[]"
    import json

    return json.dumps([list(entry) for entry in skipped], ensure_ascii=False)


def _decode_skipped(text: str) -> tuple[tuple[str, str, str], ...]:
    if text == "[]":
        return ()
    import json

    return tuple((str(d), str(n), str(r)) for d, n, r in json.loads(text))


def _is_history(row: sqlite3.Row, now: datetime) -> bool:
    """Done, cancelled, or begun (an all-day event at 00:00 in its zone): the policy's
    'past events are history and never change'."""
    return row["status"] != EventStatus.SCHEDULED.value or has_begun(row, now)


def has_begun(row: Mapping[str, Any] | sqlite3.Row, now: datetime) -> bool:
    """Whether an event row's start (00:00 for an all-day one, in its zone) has come."""
    start = _parse_when(row["start"], bool(row["all_day"]), row["tz"])
    return starts_at(start, zone(row["tz"])) <= now


def _parse_when(text: str, all_day: bool, tz: str) -> datetime | date:
    if all_day:
        return date.fromisoformat(text)
    return datetime.fromisoformat(text).astimezone(zone(tz))


def _row_to_event(row: sqlite3.Row) -> Event:
    all_day = bool(row["all_day"])
    return Event(
        uid=row["uid"],
        interview_id=row["interview_id"],
        kind=Kind(row["kind"]),
        who=row["who"],
        ordinal=row["idx"],
        summary=row["summary"],
        description=row["description"],
        start=_parse_when(row["start"], all_day, row["tz"]),
        end=_parse_when(row["end"], all_day, row["tz"]),
        tz=row["tz"],
        status=EventStatus(row["status"]),
        categories=_decode_categories(row["categories"]),
        alarm_minutes=row["alarm_minutes"],
        hash=row["hash"],
        sequence=row["sequence"],
        created_at=datetime.fromisoformat(row["created_at"]),
        changed_at=datetime.fromisoformat(row["changed_at"]),
        skipped=_decode_skipped(row["skipped"]),
        url=row["url"],
    )


def load(conn: sqlite3.Connection, interview_ids: Iterable[int] | None = None) -> list[Event]:
    """Stored events, all or of some interviews, in no particular order."""
    if interview_ids is None:
        rows = conn.execute("SELECT * FROM events").fetchall()
    else:
        ids = list(interview_ids)
        marks = ",".join("?" * len(ids))
        rows = conn.execute(f"SELECT * FROM events WHERE interview_id IN ({marks})", ids).fetchall()
    return [_row_to_event(row) for row in rows]


def load_due(conn: sqlite3.Connection, last_day: date) -> list[Event]:
    """Steps still to do that start on or before ``last_day`` (their local date)."""
    rows = conn.execute(
        "SELECT * FROM events WHERE status = 'scheduled' AND substr(start, 1, 10) <= ?",
        (last_day.isoformat(),),
    )
    return [_row_to_event(row) for row in rows]


def load_changed(
    conn: sqlite3.Connection, version: str, changed_after: int | None = None
) -> Iterator[tuple[Event, str | None, int]]:
    """Events with their cached VEVENT text and the state version of their last change.

    The text is None when the event changed since it was rendered, or when the texts
    were made by another version of the renderer. All events, or those changed after
    state version ``changed_after``; one at a time, so a reader that keeps less than
    the whole event never holds them all.
    """
    valid = meta(conn, "render_version") == version
    if changed_after is None:
        rows = conn.execute("SELECT * FROM events")
    else:
        rows = conn.execute("SELECT * FROM events WHERE version > ?", (changed_after,))
    return ((_row_to_event(row), row["ics"] if valid else None, row["version"]) for row in rows)


def load_rendered(conn: sqlite3.Connection, version: str) -> list[tuple[Event, str | None]]:
    """Every event with its cached VEVENT text (see load_changed)."""
    return [(event, text) for event, text, _ in load_changed(conn, version)]


def version_summary(conn: sqlite3.Connection) -> tuple[int, int]:
    """How many events there are and the sum of their versions: a reader holding a
    copy compares it with its own to notice rows it cannot have seen change."""
    count, total = conn.execute("SELECT count(*), total(version) FROM events").fetchone()
    return int(count), int(total)


def save_rendered(
    conn: sqlite3.Connection, rendered: Iterable[tuple[Event, str]], version: str
) -> None:
    """Keep rendered texts, unless the event changed meanwhile (another process)."""
    if meta(conn, "render_version") != version:
        conn.execute("UPDATE events SET ics = NULL")
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('render_version', ?)", (version,))
    conn.executemany(
        "UPDATE events SET ics = ? WHERE uid = ? AND hash = ? AND sequence = ?",
        [(text, event.uid, event.hash, event.sequence) for event, text in rendered],
    )


def set_move(conn: sqlite3.Connection, uid: str, to: datetime | date, at: datetime) -> None:
    """Note where the user moved a step (wall-clock time in its zone, or a day)."""
    conn.execute(
        "UPDATE events SET moved_to = ?, moved_at = ? WHERE uid = ?",
        (to.isoformat(), at.isoformat(timespec="microseconds"), uid),
    )


def moves(conn: sqlite3.Connection, interview_id: int) -> list[Move]:
    """The steps of one interview that the user moved, for the policy to place."""
    rows = conn.execute(
        "SELECT kind, who, idx, moved_to, moved_at FROM events"
        " WHERE interview_id = ? AND moved_to IS NOT NULL",
        (interview_id,),
    )
    return [
        Move(
            kind=Kind(row["kind"]),
            who=row["who"],
            ordinal=row["idx"],
            to=datetime.fromisoformat(row["moved_to"])
            if "T" in row["moved_to"]
            else date.fromisoformat(row["moved_to"]),
            at=datetime.fromisoformat(row["moved_at"]),
        )
        for row in rows
    ]
