"""Read-only database connections for the feed server, reused between requests.

Opening a connection and reading the schema costs several times the one small query
that tells whether anything changed, so idle connections wait in a short list. Each
request still sees the latest committed state: the connections run in autocommit
mode and hold no transaction while idle.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from interview_followup.feed.watch import FileWatch, identity_key

READ_TIMEOUT = 10.0  # seconds; WAL readers rarely wait at all
KEEP_IDLE = 8


def open_reader(path: Path) -> sqlite3.Connection:
    # Read-only: the feed must never write. Shared between threads, one at a time.
    uri = path.absolute().as_uri() + "?mode=ro"
    conn = sqlite3.connect(
        uri, uri=True, timeout=READ_TIMEOUT, isolation_level=None, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    return conn


class Readers:
    """A small pool of read-only connections to the database at ``path``."""

    def __init__(self, path: Path, keep: int = KEEP_IDLE) -> None:
        self._path = path
        self._keep = keep
        self._lock = threading.Lock()
        self._idle: list[sqlite3.Connection] = []
        self._watch = FileWatch(path, identity_key)
        self._generation = 0

    @property
    def generation(self) -> int:
        """Counts the database files the pool has opened: a new one is a restored backup."""
        return self._generation

    def _take(self) -> sqlite3.Connection:
        # A restored backup is a new file: connections to the old one would read it for
        # ever.
        with self._lock:
            changed, info = self._watch.look()
            if info is None:
                raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(self._path))
            stale: list[sqlite3.Connection] = []
            if changed:
                stale, self._idle = self._idle, []
                self._generation += 1
            conn = self._idle.pop() if self._idle else None
        for old in stale:
            old.close()
        return conn if conn is not None else open_reader(self._path)

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        conn = self._take()
        reusable = False
        try:
            yield conn
            reusable = not conn.in_transaction
        finally:
            pooled = False
            if reusable:
                with self._lock:
                    if len(self._idle) < self._keep:
                        self._idle.append(conn)
                        pooled = True
            if not pooled:
                conn.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
