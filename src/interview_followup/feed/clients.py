"""Who fetched the feed, and when: one entry per client in a small JSON file.

Calendar apps fetch silently and rarely; this answers "is my phone still subscribed,
and does it use the new URL?" without touching the main database. The server batches
its writes (at most one a second) so a busy feed costs no disk write per request, and
merges them under a file lock so several server processes can share the file.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from interview_followup import paths

CLIENTS_FILE = "feed-clients.json"
MAX_CLIENTS = 100  # scanners with random user agents must not grow the file for ever
MAX_AGENT = 200
FLUSH_DELAY = 1.0  # seconds between writes while requests keep coming


@dataclass(frozen=True)
class ClientFetch:
    user_agent: str
    address: str
    last_fetch: datetime
    status: int
    fetches: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.user_agent, self.address)


def clients_path() -> Path:
    return Path(paths.data_dir(), CLIENTS_FILE)


def to_json(entry: ClientFetch) -> dict[str, Any]:
    """One client as the file keeps it and `feed status --json` prints it."""
    return {
        "user_agent": entry.user_agent,
        "address": entry.address,
        "last_fetch": entry.last_fetch.astimezone(UTC).isoformat(timespec="seconds"),
        "status": entry.status,
        "fetches": entry.fetches,
    }


def _from_json(item: dict[str, Any]) -> ClientFetch:
    return ClientFetch(
        user_agent=str(item["user_agent"]),
        address=str(item["address"]),
        last_fetch=datetime.fromisoformat(str(item["last_fetch"])),
        status=int(item["status"]),
        fetches=int(item["fetches"]),
    )


def read_clients(path: Path | None = None) -> list[ClientFetch]:
    """Every client seen, the most recent fetch first.

    A damaged file reads as empty: it is a log, not state, and the next write replaces it.
    """
    path = path or clients_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        found = [_from_json(item) for item in data["clients"]]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return sorted(found, key=lambda e: e.last_fetch, reverse=True)


def merge(stored: list[ClientFetch], seen: list[ClientFetch]) -> list[ClientFetch]:
    """Add new observations (``fetches`` counted since the last write) to the stored ones."""
    merged = {entry.key: entry for entry in stored}
    for entry in seen:
        old = merged.get(entry.key)
        if old is None:
            merged[entry.key] = entry
            continue
        newest = entry if entry.last_fetch >= old.last_fetch else old
        merged[entry.key] = ClientFetch(
            entry.user_agent,
            entry.address,
            newest.last_fetch,
            newest.status,
            old.fetches + entry.fetches,
        )
    ordered = sorted(merged.values(), key=lambda e: e.last_fetch, reverse=True)
    return ordered[:MAX_CLIENTS]


def store(path: Path, seen: list[ClientFetch]) -> None:
    """Merge ``seen`` into the file at ``path``; safe with other writers."""
    paths.ensure_private_dir(path.parent)
    with paths.file_lock(path.with_name(f".{path.name}.lock")):
        entries = merge(read_clients(path), seen)
        text = json.dumps({"clients": [to_json(e) for e in entries]}, indent=1)
        paths.write_private_file(path, text + "\n")


class FetchRecorder:
    """Collects fetches in memory and writes them at most every ``delay`` seconds."""

    def __init__(
        self, log: Callable[[str], None], path: Path | None = None, delay: float = FLUSH_DELAY
    ) -> None:
        self._log = log
        self._path = path or clients_path()
        self._delay = delay
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._pending: dict[tuple[str, str], ClientFetch] = {}
        self._timer: threading.Timer | None = None

    def record(self, user_agent: str, address: str, status: int, at: datetime) -> None:
        agent = " ".join(user_agent.split())[:MAX_AGENT] or "-"
        with self._lock:
            old = self._pending.get((agent, address))
            count = old.fetches + 1 if old else 1
            self._pending[(agent, address)] = ClientFetch(agent, address, at, status, count)
            if self._timer is None:
                self._timer = threading.Timer(self._delay, self.flush)
                self._timer.daemon = True
                self._timer.start()

    def flush(self) -> None:
        """Write what was collected; errors are swallowed: losing a log line is no outage."""
        with self._write_lock:
            with self._lock:
                seen, self._pending = list(self._pending.values()), {}
                self._timer = None
            if seen:
                try:
                    store(self._path, seen)
                except OSError as error:
                    self._log(f"cannot write {self._path}: {error.strerror or error}")

    def close(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
        self.flush()
