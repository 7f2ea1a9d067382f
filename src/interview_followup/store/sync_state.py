"""Per-calendar sync state: what was last pushed of each event, and where it lives."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from interview_followup.model import RecordState
from interview_followup.model import SyncRecord as Record
from interview_followup.store.db import write


@dataclass(frozen=True)
class Target:
    target: str
    calendar: str
    ctag: str | None


def load(conn: sqlite3.Connection, target: str) -> dict[str, Record]:
    rows = conn.execute(
        "SELECT uid, remote_id, etag, pushed_hash, sequence, state, generation, base FROM sync_state"
        " WHERE target = ?",
        (target,),
    )
    return {
        row["uid"]: Record(
            row["uid"],
            row["remote_id"],
            row["etag"],
            row["pushed_hash"],
            row["sequence"],
            RecordState(row["state"]),
            row["generation"],
            row["base"],
        )
        for row in rows
    }


def save(conn: sqlite3.Connection, target: str, record: Record, now: datetime) -> None:
    """Commit one record at once, so a run that dies later loses nothing."""
    with write(conn):
        conn.execute(
            "INSERT INTO sync_state (target, uid, remote_id, etag, pushed_hash, sequence, state, generation,"
            " base, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (target, uid) DO UPDATE"
            " SET remote_id = excluded.remote_id, etag = excluded.etag, pushed_hash = excluded.pushed_hash,"
            " sequence = excluded.sequence, state = excluded.state, generation = excluded.generation,"
            " base = excluded.base, updated_at = excluded.updated_at",
            (
                target,
                record.uid,
                record.remote_id,
                record.etag,
                record.pushed_hash,
                record.sequence,
                record.state,
                record.generation,
                record.base,
                now.isoformat(),
            ),
        )


def get_target(conn: sqlite3.Connection, target: str) -> Target | None:
    row = conn.execute(
        "SELECT target, calendar, ctag FROM sync_targets WHERE target = ?", (target,)
    ).fetchone()
    return Target(*row) if row else None


def save_target(conn: sqlite3.Connection, target: Target, now: datetime) -> None:
    with write(conn):
        conn.execute(
            "INSERT INTO sync_targets (target, calendar, ctag, synced_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (target) DO UPDATE SET calendar = excluded.calendar, ctag = excluded.ctag,"
            " synced_at = excluded.synced_at",
            (target.target, target.calendar, target.ctag, now.isoformat()),
        )


def forget_target(conn: sqlite3.Connection, target: str) -> None:
    """Drop all state of a calendar (it was deleted or replaced)."""
    with write(conn):
        conn.execute("DELETE FROM sync_state WHERE target = ?", (target,))
        conn.execute("DELETE FROM sync_targets WHERE target = ?", (target,))
