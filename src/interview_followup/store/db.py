"""The database connection: WAL, a busy timeout, explicit write transactions, migrations."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from interview_followup.errors import ReadOnlyStoreError, StoreError
from interview_followup.paths import StrPath, ensure_private_dir

BUSY_TIMEOUT_MS = 30_000


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run statements one by one: executescript() would commit the open transaction."""
    statement = ""
    for piece in script.split(";"):
        statement += piece + ";"
        if sqlite3.complete_statement(statement):
            if statement.strip(" \n;"):
                conn.execute(statement)
            statement = ""


def _m001_initial(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE interviews (
            id INTEGER PRIMARY KEY,
            company TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT '',
            start TEXT NOT NULL,
            tz TEXT NOT NULL,
            duration INTEGER NOT NULL,
            contact_name TEXT NOT NULL DEFAULT '',
            contact_email TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            channel TEXT,
            decision_by TEXT,
            posting_url TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE interviewers (
            interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            email TEXT NOT NULL,
            PRIMARY KEY (interview_id, position)
        );
        CREATE TABLE history (
            id INTEGER PRIMARY KEY,
            interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            at TEXT NOT NULL,
            status TEXT,
            promised TEXT,
            kind TEXT,
            who TEXT,
            because_of INTEGER
        );
        CREATE INDEX history_by_interview ON history(interview_id, at);
        CREATE TABLE events (
            uid TEXT PRIMARY KEY,
            interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            who TEXT NOT NULL,
            idx INTEGER NOT NULL,
            summary TEXT NOT NULL,
            description TEXT NOT NULL,
            start TEXT NOT NULL,
            end TEXT NOT NULL,
            all_day INTEGER NOT NULL,
            tz TEXT NOT NULL,
            status TEXT NOT NULL,
            categories TEXT NOT NULL,
            alarm_minutes INTEGER,
            hash TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            changed_at TEXT NOT NULL
        );
        CREATE INDEX events_by_interview ON events(interview_id);
        CREATE INDEX events_by_start ON events(start);
        -- One row per calendar we sync to: its resolved address and change marker.
        CREATE TABLE sync_targets (
            target TEXT PRIMARY KEY,
            calendar TEXT NOT NULL,
            ctag TEXT,
            synced_at TEXT
        );
        -- What we last pushed of each event to each calendar.
        CREATE TABLE sync_state (
            target TEXT NOT NULL,
            uid TEXT NOT NULL,
            remote_id TEXT NOT NULL,
            etag TEXT,
            pushed_hash TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            -- 'present', 'deleted' (we removed it) or 'gone' (the user deleted it)
            state TEXT NOT NULL DEFAULT 'present',
            generation INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (target, uid)
        );
        -- Every change to the events moves the version, so caches know when to refresh.
        CREATE TRIGGER events_insert_version AFTER INSERT ON events BEGIN
            UPDATE meta SET value = value + 1 WHERE key = 'version';
        END;
        CREATE TRIGGER events_update_version AFTER UPDATE OF hash, sequence, status ON events BEGIN
            UPDATE meta SET value = value + 1 WHERE key = 'version';
        END;
        CREATE TRIGGER events_delete_version AFTER DELETE ON events BEGIN
            UPDATE meta SET value = value + 1 WHERE key = 'version';
        END;
        """,
    )
    conn.execute("INSERT INTO meta VALUES ('version', '0')")
    import secrets

    conn.execute("INSERT INTO meta VALUES ('install_id', ?)", (secrets.token_hex(16),))


def _m002_rendered_events(conn: sqlite3.Connection) -> None:
    # Each event's VEVENT text, rendered once per change: exports and feeds concatenate.
    conn.execute("ALTER TABLE events ADD COLUMN ics TEXT")


def _m003_event_versions(conn: sqlite3.Connection) -> None:
    # Each event notes the state version of its last change, so a long-running reader
    # (the feed) fetches only what changed since it last looked.
    _run_script(
        conn,
        """
        ALTER TABLE events ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX events_by_version ON events(version);
        DROP TRIGGER events_insert_version;
        DROP TRIGGER events_update_version;
        CREATE TRIGGER events_insert_version AFTER INSERT ON events BEGIN
            UPDATE meta SET value = value + 1 WHERE key = 'version';
            UPDATE events SET version = (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'version')
                WHERE uid = NEW.uid;
        END;
        CREATE TRIGGER events_update_version AFTER UPDATE OF hash, sequence, status ON events BEGIN
            UPDATE meta SET value = value + 1 WHERE key = 'version';
            UPDATE events SET version = (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'version')
                WHERE uid = NEW.uid;
        END;
        """,
    )


def _m004_countries_and_marks(conn: sqlite3.Connection) -> None:
    # Each interview may name the country (and subdivision) whose holidays count, and
    # notes the region its plan was last made with; a done
    # mark may name which one of its kind it marks; each event notes the holidays its
    # date skipped, as JSON, for `plan --json`, and its link (posting, mailto:, tel:).
    _run_script(
        conn,
        """
        ALTER TABLE interviews ADD COLUMN country TEXT NOT NULL DEFAULT '';
        ALTER TABLE interviews ADD COLUMN subdivision TEXT NOT NULL DEFAULT '';
        ALTER TABLE interviews ADD COLUMN holiday_region TEXT NOT NULL DEFAULT '';
        ALTER TABLE history ADD COLUMN ordinal INTEGER;
        ALTER TABLE events ADD COLUMN skipped TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE events ADD COLUMN url TEXT NOT NULL DEFAULT '';
        """,
    )


def _m005_journal(conn: sqlite3.Connection) -> None:
    _run_script(
        conn,
        """
        -- A deleted interview keeps its rows (undo brings it back); its events are cancelled.
        ALTER TABLE interviews ADD COLUMN deleted_at TEXT;
        -- Where the user moved a step, and when: the policy places the step there.
        ALTER TABLE events ADD COLUMN moved_to TEXT;
        ALTER TABLE events ADD COLUMN moved_at TEXT;
        -- One entry per command that changed data; `undo` reverts the latest not undone.
        CREATE TABLE journal (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            command TEXT NOT NULL,
            changes TEXT NOT NULL DEFAULT '[]',
            -- For `config set`: {key: the value in config.toml before, or null}
            config TEXT,
            undone_at TEXT
        );
        -- Each row an entry changed, as it was before (old is NULL: the entry added it).
        CREATE TABLE journal_rows (
            entry_id INTEGER NOT NULL REFERENCES journal(id) ON DELETE CASCADE,
            tbl TEXT NOT NULL,
            key TEXT NOT NULL,
            interview_id INTEGER,
            old TEXT,
            PRIMARY KEY (entry_id, tbl, key)
        );
        CREATE INDEX journal_rows_by_interview ON journal_rows(interview_id, entry_id);
        """,
    )


def _m006_sync_base(conn: sqlite3.Connection) -> None:
    # Per event and calendar, our side of the managed fields (time, title, description,
    # status, alarm) at the last sync: the base the next sync merges the server copy
    # against, so a user's edit is told apart from ours field by field.
    conn.execute("ALTER TABLE sync_state ADD COLUMN base TEXT")


# Forward-only, in order; the schema version is their count (PRAGMA user_version).
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _m001_initial,
    _m002_rendered_events,
    _m003_event_versions,
    _m004_countries_and_marks,
    _m005_journal,
    _m006_sync_base,
]


def _create_private(path: str) -> None:
    ensure_private_dir(os.path.dirname(path))
    if not os.path.exists(path):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)


def connect(path: StrPath, *, create: bool = True) -> sqlite3.Connection:
    """Open (and migrate) the database at ``path``; errors become StoreError."""
    path = os.fspath(path)
    conn: sqlite3.Connection | None = None
    try:
        if create:
            _create_private(path)
        elif not os.path.exists(path):
            raise StoreError(f"no database at {path}: log an interview first")
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        _refuse_newer(conn)  # before anything that would change the file
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        _migrate(conn)
    except BaseException as error:
        if conn is not None:
            conn.close()
        if isinstance(error, sqlite3.DatabaseError):
            raise _store_error(path, error) from None
        if isinstance(error, OSError):
            raise StoreError(f"cannot open the database {path}: {error.strerror}") from None
        raise
    return conn


def _refuse_newer(conn: sqlite3.Connection) -> None:
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > len(MIGRATIONS):
        raise StoreError(
            f"the database was written by a newer interview-followup (schema {current}); upgrade"
        )


def _read_only(text: str) -> bool:
    return "readonly" in text or "unable to open" in text


def _store_error(path: str, error: sqlite3.DatabaseError) -> StoreError:
    message = _explain(path, error)
    return ReadOnlyStoreError(message) if _read_only(str(error)) else StoreError(message)


def connect_read_only(path: StrPath) -> sqlite3.Connection:
    """Open a database that cannot be written (a read-only folder) for reading only.

    SQLite reads a WAL database read-only when it may keep its shared-memory file
    beside it; in a read-only folder it cannot, and then reads it as immutable."""
    from urllib.parse import quote

    path = os.fspath(path)
    error: sqlite3.DatabaseError | None = None
    for mode in ("mode=ro", "immutable=1"):
        try:
            conn = sqlite3.connect(f"file:{quote(path)}?{mode}", uri=True, isolation_level=None)
        except sqlite3.DatabaseError as failed:
            error = failed
            continue
        try:
            conn.row_factory = sqlite3.Row
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as failed:
            conn.close()
            error = failed
            continue
        if version != len(MIGRATIONS):
            conn.close()
            raise StoreError(
                f"the database {path} is read-only and was written by another version"
                f" (schema {version}); make its folder writable once to upgrade it"
            )
        return conn
    assert error is not None
    raise StoreError(_explain(path, error))


def _explain(path: str, error: sqlite3.DatabaseError) -> str:
    text = str(error)
    if "not a database" in text or "malformed" in text:
        return f"the database {path} is corrupt ({text}); restore it from a backup or move it away"
    if _read_only(text):
        return (
            f"cannot write the database {path}: it is read-only ({text});"
            " check the folder's permissions"
        )
    if "locked" in text or "busy" in text:
        return (
            f"the database {path} stayed busy (another followup is writing); try again in a moment"
        )
    if "full" in text:
        return f"the disk holding {path} is full; free some space and try again"
    return f"database error in {path}: {text}"


def _migrate(conn: sqlite3.Connection) -> None:
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    for version in range(current, len(MIGRATIONS)):
        with write(conn):
            # Re-check inside the lock: another process may have migrated meanwhile.
            if conn.execute("PRAGMA user_version").fetchone()[0] > version:
                continue
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, taking the write lock up front so no update is lost.

    A database error (locked too long, disk full, read-only) becomes a StoreError.
    Inside another write it joins that transaction, which commits or rolls back as one.
    """
    if conn.in_transaction:
        yield conn
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    except sqlite3.OperationalError as error:
        raise _store_error(_path_of(conn), error) from None


def _path_of(conn: sqlite3.Connection) -> str:
    row = conn.execute("PRAGMA database_list").fetchone()
    return str(row[2]) if row else "?"


def meta(conn: sqlite3.Connection, key: str) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else ""


def put_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Note one fact about this database, inside the caller's write transaction."""
    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Note one fact about this database, in a write transaction of its own."""
    with write(conn):
        put_meta(conn, key, value)


@contextmanager
def read_snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction: everything read inside belongs to the same state version."""
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("ROLLBACK")  # read only: nothing to keep


def state_version(conn: sqlite3.Connection) -> int:
    return int(meta(conn, "version") or 0)
