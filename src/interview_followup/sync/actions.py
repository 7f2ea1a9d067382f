"""Decide what a calendar needs, as a list of actions: pure, no I/O.

For each event UID it compares three things: what we want now (the stored event),
what we last pushed (the sync record) and what the server holds (its ETag). The
follow-up *plan* is what the policy schedules; the sync's *actions* are what it takes
to make one calendar show that plan.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from interview_followup.errors import RemoteError
from interview_followup.model import Event, EventStatus, RecordState
from interview_followup.model import SyncRecord as Record
from interview_followup.sinks.base import RemoteItem

# Below this many deletions the guard stays quiet: one rejection legitimately
# cancels most of a small calendar.
MASS_DELETE_MINIMUM = 10


class Op(enum.StrEnum):
    CREATE = "create"
    RECOVER = "recover"  # ours on the server but unrecorded (a run died after writing)
    UPDATE = "update"
    DELETE = "delete"
    ADOPT = "adopt"  # the user edited it and we did not: keep theirs, note the ETag
    FORGET = "forget"  # already gone from the server: just note it
    GONE = "gone"  # the user deleted it: do not bring it back
    CONFLICT = "conflict"
    SKIP = "skip"


@dataclass(frozen=True)
class Action:
    op: Op
    uid: str
    event: Event | None = None
    record: Record | None = None
    remote: RemoteItem | None = None
    reason: str = ""

    def describe(self) -> str:
        title = self.event.summary if self.event else self.uid
        return f"{self.op.value:<8} {title}" + (f" ({self.reason})" if self.reason else "")


def _wanted(event: Event | None) -> bool:
    return event is not None and event.status is not EventStatus.CANCELLED


def has_local_changes(events: Iterable[Event], records: Mapping[str, Record]) -> bool:
    """Whether anything on our side differs from what was last pushed."""
    for event in events:
        record = records.get(event.uid)
        if _wanted(event):
            if record is None or record.state is RecordState.DELETED:
                return True
            if record.state is RecordState.PRESENT and record.pushed_hash != event.hash:
                return True
        elif record is not None and record.state is RecordState.PRESENT:
            return True
    return False


def _plan_wanted(
    event: Event, record: Record | None, live: RemoteItem | None, force: bool
) -> Action | None:
    uid = event.uid
    if record is None or record.state is RecordState.DELETED:
        if live is not None:
            return Action(Op.RECOVER, uid, event, record, live, "found on the server, unrecorded")
        return Action(Op.CREATE, uid, event, record)
    if record.state is RecordState.GONE:
        if force:
            return Action(Op.RECOVER if live else Op.CREATE, uid, event, record, live, "forced")
        return Action(
            Op.SKIP, uid, event, record, reason="you deleted it there; --force brings it back"
        )
    if live is None:
        if force:
            return Action(Op.CREATE, uid, event, record, reason="forced")
        return Action(Op.GONE, uid, event, record, reason="deleted on the server; left deleted")
    if live.etag == record.etag:
        if record.pushed_hash != event.hash:
            return Action(Op.UPDATE, uid, event, record, live)
        return None
    # The server copy changed since our last push: the user edited it.
    if record.pushed_hash == event.hash:
        return Action(Op.ADOPT, uid, event, record, live, "edited on the server; kept")
    if force:
        return Action(Op.UPDATE, uid, event, record, live, "forced over your edit")
    return Action(
        Op.CONFLICT, uid, event, record, live, "changed here and on the server; --force overwrites"
    )


def _plan_unwanted(
    uid: str, event: Event | None, record: Record | None, live: RemoteItem | None, force: bool
) -> Action | None:
    if record is not None and record.state is RecordState.PRESENT:
        if live is None:
            return Action(Op.FORGET, uid, event, record)
        if live.etag == record.etag or force:
            return Action(Op.DELETE, uid, event, record, live)
        return Action(
            Op.CONFLICT,
            uid,
            event,
            record,
            live,
            "cancelled here but edited on the server; --force deletes",
        )
    if live is not None and (record is None or record.state is RecordState.DELETED):
        return Action(Op.DELETE, uid, event, record, live, "left over from an interrupted run")
    return None


def decide(
    events: Sequence[Event],
    records: Mapping[str, Record],
    remote: Mapping[str, RemoteItem],
    *,
    force: bool = False,
) -> tuple[list[Action], int]:
    """The actions that make the server match ``events``, and how many need none."""
    by_uid = {e.uid: e for e in events}
    actions: list[Action] = []
    unchanged = 0
    for uid in sorted(by_uid.keys() | records.keys() | remote.keys()):
        event = by_uid.get(uid)
        if uid not in by_uid and uid not in records:
            continue  # not an event of ours (another database's, say): never touch it
        record, live = records.get(uid), remote.get(uid)
        if _wanted(event):
            assert event is not None
            action = _plan_wanted(event, record, live, force)
        else:
            action = _plan_unwanted(uid, event, record, live, force)
        if action is None:
            unchanged += 1 if _wanted(event) else 0
        else:
            actions.append(action)
    return actions, unchanged


class MassDeleteRefused(RemoteError):
    exit_code = 2


def check_mass_delete(actions: Sequence[Action], on_server: int, force: bool) -> None:
    deletes = len([a for a in actions if a.op is Op.DELETE])
    if not force and deletes > MASS_DELETE_MINIMUM and deletes * 2 > on_server:
        raise MassDeleteRefused(
            f"refusing to delete {deletes} of the {on_server} events in the calendar in one run;"
            " if that is intended, run again with --force"
        )
