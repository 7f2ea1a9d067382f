"""The journal: each command that changes data records one entry, with every row it
changed as the row was before, so `undo` can put them back exactly.

Temporary triggers (this connection's own, built from the tables' columns as they are
now, so a column a later migration adds is journaled too) copy a row the first time an
open entry touches it. With no entry open they record nothing: other processes (the
feed keeping rendered texts) and `undo` itself write unrecorded.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any, NamedTuple

from . import db
from .events import cancel as cancel_event
from .events import has_begun

# Parents first: restoring in this order never breaks a foreign key.
TABLES = ("interviews", "interviewers", "history", "events")
# Columns that say nothing a person changed.
_BOOKKEEPING = frozenset({"updated_at", "created_at", "changed_at", "version", "ics", "hash"})


class Entry(NamedTuple):
    id: int
    at: datetime
    command: str
    changes: list[dict[str, Any]]
    config: dict[str, str | None] | None
    undone_at: datetime | None


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def _loads(text: str | None) -> Any:
    import json

    return None if text is None else json.loads(text)


def _dumps(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _columns(conn: sqlite3.Connection, table: str) -> tuple[list[str], list[str]]:
    """The table's columns and its primary key columns, in key order."""
    info = conn.execute(f"PRAGMA main.table_info({table})").fetchall()
    keys = sorted((row["pk"], row["name"]) for row in info if row["pk"])
    return [row["name"] for row in info], [name for _, name in keys]


def _json_object(columns: list[str], ref: str) -> str:
    return "json_object(" + ", ".join(f"'{c}', {ref}.{c}" for c in columns) + ")"


def _install(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS journal_open (entry INTEGER NOT NULL)")
    present = {
        row[0] for row in conn.execute("SELECT name FROM temp.sqlite_master WHERE type = 'trigger'")
    }
    for table in TABLES:
        columns, key = _columns(conn, table)
        owner = "id" if table == "interviews" else "interview_id"
        # An INTEGER PRIMARY KEY is known only after the insert; other keys before it, which
        # matters for events: their insert trigger updates the row it just inserted.
        insert_when = "AFTER" if key == ["id"] else "BEFORE"
        for op, when, ref in (
            ("update", "BEFORE", "OLD"),
            ("delete", "BEFORE", "OLD"),
            ("insert", insert_when, "NEW"),
        ):
            name = f"journal_{table}_{op}"
            if name in present:
                continue
            old = "NULL" if op == "insert" else _json_object(columns, "OLD")
            conn.execute(
                f"CREATE TEMP TRIGGER {name} {when} {op.upper()} ON main.{table} BEGIN"
                " INSERT OR IGNORE INTO journal_rows (entry_id, tbl, key, interview_id, old)"
                f" SELECT entry, '{table}', {_json_object(key, ref)}, {ref}.{owner}, {old}"
                " FROM temp.journal_open; END"
            )


@contextmanager
def recording(
    conn: sqlite3.Connection,
    command: str,
    now: datetime,
    config: Mapping[str, str | None] | None = None,
) -> Iterator[int]:
    """One write transaction that records one journal entry; yields the entry's id.

    Inside another recording it joins that entry: an acceptance and its cascade, or a
    setting and the plans it recomputes, are one entry. An entry that changed nothing
    is dropped.
    """
    with db.write(conn):
        _install(conn)
        joined = conn.execute("SELECT entry FROM temp.journal_open").fetchone()
        if joined is not None:
            yield int(joined[0])
            return
        cursor = conn.execute(
            "INSERT INTO journal (at, command, config) VALUES (?, ?, ?)",
            (_iso(now), command, _dumps(dict(config)) if config else None),
        )
        entry = int(cursor.lastrowid or 0)
        conn.execute("INSERT INTO temp.journal_open VALUES (?)", (entry,))
        yield entry
        conn.execute("DELETE FROM temp.journal_open")
        changes = describe(conn, entry)
        if not changes and not config:
            conn.execute("DELETE FROM journal WHERE id = ?", (entry,))
        else:
            conn.execute("UPDATE journal SET changes = ? WHERE id = ?", (_dumps(changes), entry))


# --- reading the rows an entry touched ---


class _Touched(NamedTuple):
    table: str
    key: dict[str, Any]
    interview_id: int | None
    old: dict[str, Any] | None
    now: dict[str, Any] | None


def _current(conn: sqlite3.Connection, table: str, key: Mapping[str, Any]) -> dict[str, Any] | None:
    where = " AND ".join(f"{name} = ?" for name in key)
    row = conn.execute(f"SELECT * FROM {table} WHERE {where}", list(key.values())).fetchone()
    return None if row is None else dict(row)


def _touched(conn: sqlite3.Connection, entry: int) -> list[_Touched]:
    rows = conn.execute(
        "SELECT tbl, key, interview_id, old FROM journal_rows WHERE entry_id = ?", (entry,)
    ).fetchall()
    found = []
    for row in sorted(rows, key=lambda r: (TABLES.index(r["tbl"]), r["key"])):
        key = _loads(row["key"])
        current = _current(conn, row["tbl"], key)
        found.append(_Touched(row["tbl"], key, row["interview_id"], _loads(row["old"]), current))
    return found


def _differs(old: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    return [c for c in now if c not in _BOOKKEEPING and c in old and old[c] != now[c]]


def _step(row: Mapping[str, Any]) -> str:
    who = f" ({row['who']})" if row["who"] else ""
    number = f" {row['idx']}" if row["kind"] == "check-in" else ""
    return f"{row['kind']}{number}{who}"


def _when(text: str) -> str:
    return text[:16].replace("T", " ")


def _describe_row(item: _Touched) -> list[str]:
    old, now = item.old, item.now
    if now is None:
        return [f"removed a {item.table} row"] if item.table == "events" else []
    if item.table == "interviews":
        if old is None:
            return [f"logged interview {now['id']} ({now['company']})"]
        changed = _differs(old, now)
        lines = []
        if "deleted_at" in changed:
            verb = "deleted" if now["deleted_at"] else "restored"
            lines.append(f"{verb} interview {now['id']} ({now['company']})")
        if "status" in changed:
            lines.append(f"interview {now['id']}: {old['status']} -> {now['status']}")
        fields = [c for c in changed if c not in {"deleted_at", "status"}]
        if fields:
            lines.append(f"interview {now['id']}: changed {', '.join(fields)}")
        return lines
    if item.table != "events":
        return []  # interviewers and history show through the interview and its steps
    if old is None:
        return [f"interview {now['interview_id']}: new step {_step(now)} {_when(now['start'])}"]
    changed = _differs(old, now)
    lines = []
    if "status" in changed:
        lines.append(
            f"interview {now['interview_id']}: {_step(now)} {old['status']} -> {now['status']}"
        )
    if "start" in changed:
        lines.append(
            f"interview {now['interview_id']}: {_step(now)} {_when(old['start'])} -> {_when(now['start'])}"
        )
    if not lines and "moved_to" in changed:
        lines.append(f"interview {now['interview_id']}: {_step(now)} kept at {_when(now['start'])}")
    elif not lines and {"summary", "description", "alarm_minutes", "categories"} & set(changed):
        lines.append(f"interview {now['interview_id']}: {_step(now)} reworded")
    return lines


def _order(item: _Touched) -> tuple[int, int, str]:
    """Interviews first, then each interview's steps in time order."""
    start = str(item.now["start"]) if item.table == "events" and item.now else ""
    return (TABLES.index(item.table), item.interview_id or 0, start)


def describe(conn: sqlite3.Connection, entry: int) -> list[dict[str, Any]]:
    """What the entry changed, one line per change, from the rows before and now. The
    steps of an interview the entry logged are counted, not listed."""
    changes: list[dict[str, Any]] = []
    touched = sorted(_touched(conn, entry), key=_order)
    # Interviewers are rewritten as a whole: only a row that came out different counts.
    people = {t.interview_id for t in touched if t.table == "interviewers" and t.old != t.now}
    logged = {t.interview_id for t in touched if t.table == "interviews" and t.old is None}
    steps = {i: 0 for i in logged}
    for item in touched:
        if item.table == "events" and item.old is None and item.interview_id in logged:
            steps[item.interview_id] += 1
    for item in touched:
        if item.table == "events" and item.old is None and item.interview_id in logged:
            continue
        lines = _describe_row(item)
        if item.table == "interviews" and item.old is None:
            count = steps[item.interview_id]
            lines = [f"{lines[0]} with {count} step{'s' if count != 1 else ''}"]
        if item.table == "interviews" and item.old is not None and item.interview_id in people:
            lines.append(f"interview {item.interview_id}: changed interviewers")
            people.discard(item.interview_id)
        changes += [{"interview_id": item.interview_id, "text": line} for line in lines]
    return changes


# --- listing and undoing ---


def _entry(row: sqlite3.Row) -> Entry:
    return Entry(
        id=row["id"],
        at=datetime.fromisoformat(row["at"]),
        command=row["command"],
        changes=_loads(row["changes"]),
        config=_loads(row["config"]),
        undone_at=datetime.fromisoformat(row["undone_at"]) if row["undone_at"] else None,
    )


def entries(conn: sqlite3.Connection, interview_id: int | None = None) -> list[Entry]:
    """Every entry, newest first; with ``interview_id``, those that touched it."""
    if interview_id is None:
        rows = conn.execute("SELECT * FROM journal ORDER BY id DESC")
    else:
        rows = conn.execute(
            "SELECT * FROM journal WHERE id IN"
            " (SELECT entry_id FROM journal_rows WHERE interview_id = ?) ORDER BY id DESC",
            (interview_id,),
        )
    return [_entry(row) for row in rows]


def latest_to_undo(conn: sqlite3.Connection) -> Entry | None:
    row = conn.execute(
        "SELECT * FROM journal WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return None if row is None else _entry(row)


def undo(conn: sqlite3.Connection, entry: Entry, now: datetime) -> None:
    """Put every row the entry changed back as it was, and mark the entry undone.

    Interviews and events are never dropped, so every calendar hears of the undo: an
    interview the entry added is deleted (its steps cancelled), and a restored event
    gets a SEQUENCE above any it had. The caller holds the write transaction.
    """
    stamp = _iso(now)
    for item in _touched(conn, entry.id):
        if not _history_since(item, now):
            _restore(conn, item, stamp)
    conn.execute("UPDATE journal SET undone_at = ? WHERE id = ?", (stamp, entry.id))


def _history_since(item: _Touched, now: datetime) -> bool:
    """An event whose time has passed both as it was and as it is, in the same state:
    what the calendar showed when it happened stays (a setting undone weeks later must
    not rewrite past events)."""
    old, current = item.old, item.now
    return (
        item.table == "events"
        and old is not None
        and current is not None
        and old["status"] == current["status"]
        and has_begun(old, now)
        and has_begun(current, now)
    )


def _restore(conn: sqlite3.Connection, item: _Touched, stamp: str) -> None:
    table, key, old, now = item.table, item.key, item.old, item.now
    where = " AND ".join(f"{name} = ?" for name in key)
    if old is None:
        if now is None:
            return
        if table == "interviews":
            conn.execute(
                "UPDATE interviews SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                (stamp, now["id"]),
            )
        elif table == "events":
            if now["status"] != "cancelled":
                cancel_event(conn, now["uid"], stamp)
        else:
            conn.execute(f"DELETE FROM {table} WHERE {where}", list(key.values()))
        return
    values = dict(old)
    if table == "events":
        if now is not None and not _event_differs(values, now):
            return
        values.pop("version", None)  # the triggers number it
        highest = max(values["sequence"], now["sequence"] if now is not None else -1)
        values.update(sequence=highest + 1, ics=None, changed_at=stamp)
    if now is None:
        names = ", ".join(values)
        marks = ", ".join("?" * len(values))
        conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(values.values()))
    else:
        assignments = ", ".join(f"{name} = ?" for name in values)
        conn.execute(
            f"UPDATE {table} SET {assignments} WHERE {where}",
            [*values.values(), *key.values()],
        )


def _event_differs(old: Mapping[str, Any], now: Mapping[str, Any]) -> bool:
    ignored = {"version", "ics", "sequence", "changed_at"}
    return any(old[c] != now[c] for c in now if c in old and c not in ignored)
