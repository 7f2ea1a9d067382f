"""What the feed holds, when it last changed, and its bytes, rendered once per state.

Every request asks the database for its state version (one small query on a pooled
read-only connection), so a change made by another `followup` process shows on the
next fetch. The body is rendered again only when the state version, the settings or
the set of cancelled events still inside their grace period changes.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sqlite3
import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from interview_followup import config, paths
from interview_followup.errors import FollowupError
from interview_followup.feed.readers import Readers
from interview_followup.feed.watch import FileWatch
from interview_followup.model import Event, EventStatus
from interview_followup.store import db
from interview_followup.store import events as event_rows

if TYPE_CHECKING:
    from interview_followup.ical import Placement

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


# --- the pure part: which events, and the time of the last change ---


class FeedEntry(NamedTuple):
    """One event as the feed keeps it between requests: what choosing and assembling
    need, and its VEVENT text. The whole event is kept only until its text is rendered,
    so a large feed holds little more than its own bytes. (A cancelled event past its
    grace period is not rendered and keeps it: a longer grace period may bring it back.)"""

    place: Placement
    cancelled: bool
    changed_at: datetime
    version: int  # the state version of its last change
    text: str | None
    event: Event | None  # None once the text is known

    @classmethod
    def of(cls, event: Event, place: Placement, text: str | None, version: int) -> FeedEntry:
        """``place`` is ``ical.Placement.of(event)``: the caller has ical loaded already."""
        cancelled = event.status is EventStatus.CANCELLED
        text = text or None  # an empty stored text is no text: render it again
        kept = None if text else event
        return cls(place, cancelled, event.changed_at, version, text, kept)

    @property
    def uid(self) -> str:
        return self.place.uid


@dataclass(frozen=True)
class Selection:
    events: list[FeedEntry]
    last_modified: datetime | None  # None for a feed that never held anything
    expires: datetime | None  # when the next cancelled event leaves the feed


def select(events: Iterable[FeedEntry], grace: timedelta, now: datetime) -> Selection:
    """Keep everything but cancelled events whose grace period is over.

    Cancelling updates ``changed_at``, so the newest ``changed_at`` moves forward on a
    cancellation. An event that leaves the feed counts as changed when it left
    (``changed_at + grace``): a feed that only shrank still gets a later Last-Modified,
    or a client sending If-Modified-Since would keep the deleted event for ever.
    """
    kept: list[FeedEntry] = []
    changes: list[datetime] = []
    expires: datetime | None = None
    for event in events:
        if event.cancelled:
            leaves = event.changed_at + grace
            if leaves <= now:
                changes.append(leaves)
                continue
            expires = leaves if expires is None else min(expires, leaves)
        kept.append(event)
        changes.append(event.changed_at)
    return Selection(kept, max(changes, default=None), expires)


# --- settings, re-read when the config file changes ---


class SettingsSource:
    """The settings a running server uses: reloaded when config.toml changes.

    A broken file keeps the last good settings (and says so once) rather than taking
    the feed down for every subscriber.
    """

    def __init__(self, log: Callable[[str], None], path: Path | None = None) -> None:
        self._log = log
        self._path = path or Path(paths.config_path())
        self._lock = threading.Lock()
        self._watch = FileWatch(self._path)
        # Look before reading: a change while it is read shows at the next look.
        self._changed_at = _modified(self._watch.look().info)
        self._settings = config.load(self._path)

    def current(self) -> tuple[config.Settings, datetime | None]:
        """The settings and when the config file last changed (None without a file)."""
        with self._lock:
            changed, info = self._watch.look()
            if changed:
                try:
                    self._settings = config.load(self._path)
                except FollowupError as error:
                    self._log(f"keeping the previous settings: {error.message}")
                self._changed_at = _modified(info)
            return self._settings, self._changed_at


def _modified(info: os.stat_result | None) -> datetime | None:
    return None if info is None else datetime.fromtimestamp(info.st_mtime, UTC)


# --- the rendered feed ---


@dataclass(frozen=True)
class Snapshot:
    key: Hashable
    body: bytes
    etag: str  # strong: a hash of the exact bytes
    last_modified: datetime | None
    expires: datetime | None

    def serves(self, key: Hashable, now: datetime) -> bool:
        return self.key == key and (self.expires is None or now < self.expires)


def render(selection: Selection, settings: config.Settings) -> tuple[bytes, dict[str, str]]:
    """The feed's bytes, and the VEVENTs it had to render (entries without a text)."""
    from interview_followup import ical  # icalendar is heavy: load it only when a feed is rendered

    info = ical.CalendarInfo(
        timezone=settings.zone_name,
        refresh=timedelta(minutes=settings.feed_refresh_minutes),
    )
    fresh = {
        entry.uid: ical.render_vevent(entry.event)
        for entry in selection.events
        if entry.text is None and entry.event is not None
    }
    rendered = [(entry.place, entry.text or fresh[entry.uid]) for entry in selection.events]
    return ical.assemble(rendered, info), fresh


class FeedSource:
    """The current feed. Thread-safe; at most one thread renders at a time."""

    def __init__(
        self,
        settings: SettingsSource,
        db_path: Path | None = None,
        clock: Clock = utc_now,
        *,
        freeze_after_load: bool = False,
    ) -> None:
        self._settings = settings
        self._readers = Readers(db_path or Path(paths.database_path()))
        self._clock = clock
        self._render_lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        # Every event as last read, and the state version it was read at: a refresh
        # reads only the events changed since.
        self._rows: dict[str, FeedEntry] = {}
        self._read_at: int | None = None
        self._read_generation: int | None = None  # of the database file, see Readers
        self._freeze_after_load = freeze_after_load

    def _key(self, conn: sqlite3.Connection) -> tuple[Hashable, config.Settings, datetime | None]:
        settings, config_changed = self._settings.current()
        return (db.state_version(conn), settings, config_changed), settings, config_changed

    def current(self) -> Snapshot:
        now = self._clock()
        with self._readers.connection() as conn:
            key, _, _ = self._key(conn)
        snapshot = self._snapshot
        if snapshot is not None and snapshot.serves(key, now):
            return snapshot
        with self._render_lock:
            return self._refresh()

    def _refresh(self) -> Snapshot:
        # One read transaction: the events belong to exactly this version.
        with self._readers.connection() as conn, db.read_snapshot(conn):
            key, settings, config_changed = self._key(conn)
            snapshot = self._snapshot
            if snapshot is not None and snapshot.serves(key, self._clock()):
                return snapshot  # another thread rendered it while this one waited
            rows = self._read_events(conn, db.state_version(conn))
        # Read after the events: no change they hold is later than now, and renders
        # (serialised by the lock) see the clock only move forward.
        now = self._clock()
        grace = timedelta(days=settings.feed_cancelled_days)
        selection = select(rows, grace, now)
        body, fresh = render(selection, settings)
        for uid, text in fresh.items():  # keep the text, not the event: a later render reuses it
            self._rows[uid] = self._rows[uid]._replace(text=text, event=None)
        etag = '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
        changes = [t for t in (selection.last_modified, config_changed) if t is not None]
        last_modified = min(max(changes), now) if changes else None
        if (
            snapshot is not None
            and snapshot.etag != etag
            and last_modified is not None
            and snapshot.last_modified is not None
            and last_modified <= snapshot.last_modified
        ):
            # The bytes changed but no recorded time moved (rows deleted outright, a
            # clock set back): use now, so If-Modified-Since cannot pin the old feed.
            last_modified = now
        self._snapshot = Snapshot(key, body, etag, last_modified, selection.expires)
        return self._snapshot

    def _read_events(self, conn: sqlite3.Connection, version: int) -> list[FeedEntry]:
        from interview_followup import ical

        if self._readers.generation != self._read_generation:
            self._rows, self._read_at = {}, None  # another file: a restored backup
            self._read_generation = self._readers.generation
        read_at = self._read_at
        changed = event_rows.load_changed(conn, ical.RENDER_VERSION, changed_after=read_at)
        place = ical.Placement.of
        self._rows.update(
            (event.uid, FeedEntry.of(event, place(event), text, at)) for event, text, at in changed
        )
        kept = (len(self._rows), sum(row.version for row in self._rows.values()))
        if read_at is not None and kept != event_rows.version_summary(conn):
            # Rows removed, or a backup copied over the file in place: start over.
            self._rows, self._read_at = {}, None
            return self._read_events(conn, version)
        if self._read_at is None and self._freeze_after_load:
            # Our own server process: tens of thousands of long-lived events need not be
            # walked by every later garbage collection.
            gc.collect()
            gc.freeze()
        self._read_at = version
        return list(self._rows.values())

    def entries(self) -> list[FeedEntry]:
        """Every event as kept between requests."""
        return list(self._rows.values())

    def close(self) -> None:
        self._readers.close()
        self._rows, self._read_at, self._snapshot = {}, None, None
