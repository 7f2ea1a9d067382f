"""The journal at the store level: what it records, and that it follows the columns."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from interview_followup.errors import InputError
from interview_followup.store import db, journal

NOW = datetime(2027, 11, 20, 12, 0, tzinfo=UTC)


def _interview(conn: object, company: str = "Acme") -> int:
    cursor = conn.execute(  # type: ignore[attr-defined]
        "INSERT INTO interviews (company, start, tz, duration, status, created_at, updated_at)"
        " VALUES (?, '2027-11-15T10:00', 'UTC', 60, 'waiting', 'x', 'x')",
        (company,),
    )
    return int(cursor.lastrowid)


def test_a_column_added_later_is_journaled_and_restored(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "f.sqlite3")
    with db.write(conn):
        conn.execute("ALTER TABLE interviews ADD COLUMN employer_note TEXT")  # as a later migration
        first = _interview(conn)
        conn.execute("UPDATE interviews SET employer_note = 'DE' WHERE id = ?", (first,))
    with journal.recording(conn, "edit", NOW):
        conn.execute(
            "UPDATE interviews SET employer_note = 'FR', role = 'Dev' WHERE id = ?", (first,)
        )
    entry = journal.latest_to_undo(conn)
    assert entry is not None and entry.command == "edit"
    assert [c["text"] for c in entry.changes] == [f"interview {first}: changed role, employer_note"]
    with db.write(conn):
        journal.undo(conn, entry, NOW)
    row = conn.execute(
        "SELECT employer_note, role FROM interviews WHERE id = ?", (first,)
    ).fetchone()
    assert (row["employer_note"], row["role"]) == ("DE", "")
    assert journal.latest_to_undo(conn) is None


def test_an_entry_that_changed_nothing_is_dropped_and_a_failed_one_leaves_nothing(
    tmp_path: Path,
) -> None:
    conn = db.connect(tmp_path / "f.sqlite3")
    with journal.recording(conn, "status 1 waiting", NOW):
        pass
    assert journal.entries(conn) == []
    with pytest.raises(InputError), journal.recording(conn, "log", NOW):
        _interview(conn)
        raise InputError("company", "no")
    assert journal.entries(conn) == []
    assert conn.execute("SELECT count(*) FROM interviews").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM journal_rows").fetchone()[0] == 0


def test_nested_recordings_are_one_entry_and_writes_outside_record_nothing(
    tmp_path: Path,
) -> None:
    conn = db.connect(tmp_path / "f.sqlite3")
    with journal.recording(conn, "status 1 accepted", NOW):
        _interview(conn, "One")
        with journal.recording(conn, "inner", NOW):
            _interview(conn, "Two")
    with db.write(conn):
        _interview(conn, "Three")  # not a journaled command: no entry, no rows
    entries = journal.entries(conn)
    assert [e.command for e in entries] == ["status 1 accepted"]
    assert [c["text"] for c in entries[0].changes] == [
        "logged interview 1 (One) with 0 steps",
        "logged interview 2 (Two) with 0 steps",
    ]
    assert conn.execute("SELECT count(*) FROM journal_rows").fetchone()[0] == 2
