"""Opening the store with the settings it is used with."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from . import config, paths
from .days import BusinessDays, business_days
from .errors import InputError, ReadOnlyStoreError
from .model import Interview
from .store import db
from .store import events as event_rows
from .store import interviews as interview_rows
from .timezones import machine_zone, zone

if TYPE_CHECKING:
    from .duties import Due


def utc_now() -> datetime:
    return datetime.now(UTC)


class Workspace:
    """An open database with the settings it is used with."""

    def __init__(
        self, conn: sqlite3.Connection, settings: config.Settings | None, warnings: list[str]
    ) -> None:
        self.conn = conn
        self._settings = settings
        self.warnings = warnings

    @property
    def settings(self) -> config.Settings:
        if self._settings is None:
            self._settings = config.load()
        return self._settings

    @property
    def settings_loaded(self) -> bool:
        return self._settings is not None

    def days_for(self, interview: Interview) -> BusinessDays:
        """The business days of the interview's country (see regions.py)."""
        from .regions import region_for

        return business_days(*region_for(interview, self.settings))

    def close(self) -> None:
        self.conn.close()


def open_workspace(
    *, create: bool = True, read_config: bool = True, reading: bool = False
) -> Workspace:
    """The database, and the settings unless ``read_config`` is False: commands that
    only show what is stored start faster without them (they load on first use).
    ``reading``: the command only reads, so a read-only data folder will do."""
    # Read first: a bad config file then stops the command before it touches the database.
    settings = config.load() if read_config else None
    try:
        conn = db.connect(paths.database_path(), create=create)
    except ReadOnlyStoreError:
        if not reading:
            raise
        conn = db.connect_read_only(paths.database_path())
    return Workspace(conn, settings, loose_file_warnings())


def loose_file_warnings() -> list[str]:
    """A warning for each of our private files that others may read."""
    private = [
        paths.database_path(),
        paths.config_path(),
        paths.feed_token_path(),
        paths.google_token_path(),
        paths.google_service_account_path(),
    ]
    return [w for w in map(paths.permission_warning, private) if w]


def user_zone(ws: Workspace) -> str:
    """The user's own zone: the `timezone` setting, else the machine's.

    Commands that only show what is stored do not read the config file; they take the
    zone from the environment, else the one the stored texts were written for."""
    if ws.settings_loaded:
        return ws.settings.zone_name
    for name in (os.environ.get("FOLLOWUP_TIMEZONE", "").strip(), db.meta(ws.conn, "timezone")):
        if name:
            try:
                zone(name)
            except InputError:
                continue
            return name
    return machine_zone()


def remember_zone(ws: Workspace) -> None:
    """Note the `timezone` setting beside the texts written for it (see user_zone);
    empty stands for the machine's zone."""
    name = ws.settings.timezone
    if db.meta(ws.conn, "timezone") != name:
        db.put_meta(ws.conn, "timezone", name)


def agenda(ws: Workspace, now: datetime | None = None, days_ahead: int = 7) -> Due:
    """Duties still to do: overdue ones, then those due from today to ``days_ahead`` days
    on, in the user's own days."""
    now = now or utc_now()
    from .duties import due

    user_tz = zone(user_zone(ws))
    # Stored starts begin with their local date; two days' margin covers every zone.
    last_day = now.astimezone(user_tz).date() + timedelta(days=days_ahead + 2)
    todo = event_rows.load_due(ws.conn, last_day)
    return due(todo, interview_rows.closing_times(ws.conn), now, user_tz, days_ahead)
