"""`undo` and `history`: the journal of what each command changed, and its way back."""

from __future__ import annotations

import os
from datetime import datetime

from . import config, paths
from .errors import NotFoundError
from .store import db
from .store import interviews as interview_rows
from .store import journal as journal_rows
from .store.journal import Entry
from .workspace import Workspace, utc_now

__all__ = ["Entry", "history", "no_store", "undo"]


def no_store() -> bool:
    """No database yet: nothing was ever recorded (and looking must not create one)."""
    return not os.path.exists(paths.database_path())


def undo(ws: Workspace, now: datetime | None = None) -> Entry | None:
    """Revert the latest entry not yet undone, exactly; None when there is none.

    Statuses, fields and steps come back with their UIDs, every restored event with a
    higher SEQUENCE; a setting goes back into config.toml.
    """
    now = now or utc_now()
    with db.write(ws.conn):
        entry = journal_rows.latest_to_undo(ws.conn)
        if entry is None:
            return None
        journal_rows.undo(ws.conn, entry, now)
        # Last, inside the transaction: a config file that cannot be written undoes nothing.
        for key, before in (entry.config or {}).items():
            config.restore_value(key, before)
    return entry


def history(ws: Workspace, interview_id: int | None = None) -> list[Entry]:
    """The entries, newest first; with an id, those that changed that interview (a
    deleted one too), each with only its changes to that interview (the command that
    made them, such as an acceptance elsewhere, says why)."""
    if interview_id is not None and not interview_rows.ever_logged(ws.conn, interview_id):
        raise NotFoundError("id", f"there is no interview {interview_id} (see: followup list)")
    found = journal_rows.entries(ws.conn, interview_id)
    if interview_id is None:
        return found
    return [
        entry._replace(changes=[c for c in entry.changes if c.get("interview_id") == interview_id])
        for entry in found
    ]
