"""Quick, read-only looks at the database for shell completion: never creates, migrates
or locks it."""

from __future__ import annotations

import os
import sqlite3
from typing import NamedTuple


class Label(NamedTuple):
    id: int
    company: str
    role: str
    start: str  # 'YYYY-MM-DD HH:MM', wall-clock time in the interview's zone
    status: str


def interview_labels(path: str) -> list[Label]:
    """Every interview's id with what names it; [] when there is no database yet."""
    if not os.path.exists(path):
        return []
    from urllib.parse import quote

    # Read-only still creates the -shm and -wal files of a WAL database when no one has
    # it open; then nothing is being written, and `immutable` reads it without them.
    live = os.path.exists(path + "-wal") and os.path.exists(path + "-shm")
    mode = "mode=ro" if live else "immutable=1"
    conn = sqlite3.connect(f"file:{quote(path)}?{mode}", uri=True, timeout=0.5)
    try:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(interviews)")}
        # A deleted interview has left `list`; a database from before deletions has none.
        kept = " WHERE deleted_at IS NULL" if "deleted_at" in columns else ""
        rows = conn.execute(
            f"SELECT id, company, role, start, status FROM interviews{kept} ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    return [
        Label(int(i), str(c), str(r), str(s)[:16].replace("T", " "), str(st))
        for i, c, r, s, st in rows
    ]
