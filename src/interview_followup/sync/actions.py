"""Decide what a calendar needs, as a list of actions: pure, no I/O.

For each event UID it weighs three versions of the managed fields (time, title,
description, status, our alarm), field by field: what we want now (the stored event),
the base (our side at the last sync, kept in the sync record) and the server copy.
A field that differs from the base on the server is the user's; one that differs
from the base here is ours. Theirs is kept, ours is pushed, both is a conflict.
The follow-up *plan* is what the policy schedules; the sync's *actions* are what it
takes to make one calendar show that plan.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from interview_followup.errors import RemoteError
from interview_followup.model import Event, EventStatus, RecordState
from interview_followup.model import SyncRecord as Record
from interview_followup.sinks.base import RemoteItem
from interview_followup.sinks.content import (
    ALARM,
    DESCRIPTION,
    MANAGED,
    STATUS,
    TITLE,
    Fields,
    RemoteContent,
    Write,
    fields_of,
    marked_cancelled,
)
from interview_followup.timezones import starts_at, zone

# Below this many deletions the guard stays quiet: one rejection legitimately
# cancels most of a small calendar.
MASS_DELETE_MINIMUM = 10
# pushed_hash of a record whose event is in conflict: the next run looks again.
UNSETTLED = "conflict"


class Op(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"  # push our changes; the server copy had none of the user's
    MERGE = "merge"  # push our changes to some fields, keep the user's in others
    CLAIM = "claim"  # the server copy already is what we want (a lost answer): record it
    ADOPT = "adopt"  # the user edited it and we did not: keep theirs, note it
    KEEP = "keep"  # no longer needed, but the user wrote in it: keep it, marked cancelled
    DELETE = "delete"
    GONE = "gone"  # the user deleted it: do not bring it back
    CONFLICT = "conflict"
    SKIP = "skip"


_VERBS = {
    Op.CREATE: "created",
    Op.UPDATE: "updated",
    Op.MERGE: "merged",
    Op.CLAIM: "recorded",
    Op.ADOPT: "kept",
    Op.KEEP: "kept",
    Op.DELETE: "deleted",
    Op.GONE: "left deleted",
    Op.CONFLICT: "in conflict",
    Op.SKIP: "left deleted",
}
_NAMES = {"time": "time", TITLE: "title", DESCRIPTION: "description", STATUS: "status"}


@dataclass(frozen=True)
class Action:
    op: Op
    uid: str
    event: Event | None = None
    record: Record | None = None
    remote: RemoteItem | None = None
    reason: str = ""
    write: Write | None = None  # what an UPDATE, MERGE, KEEP or CONFLICT sends, if anything
    base: Fields | None = None  # the base to record once done

    def describe(self) -> str:
        """One line of the report: what, which event and when (rounds share titles)."""
        event = self.event
        if event is None:
            title = self.uid
        else:
            day = event.start.date() if isinstance(event.start, datetime) else event.start
            title = f"{event.summary}, {day:%a %Y-%m-%d}"
        return f"{_VERBS[self.op]:<8} {title}" + (f" ({self.reason})" if self.reason else "")


def _wanted(event: Event | None) -> bool:
    return event is not None and event.status is not EventStatus.CANCELLED


def base_of(record: Record | None) -> Fields | None:
    if record is None or not record.base:
        return None
    return Fields.from_json(json.loads(record.base))


def has_local_changes(events: Iterable[Event], records: Mapping[str, Record]) -> bool:
    """Whether anything on our side differs from what was last pushed."""
    held = set()
    for event in events:
        held.add(event.uid)
        record = records.get(event.uid)
        if _wanted(event):
            if record is None or record.state is RecordState.DELETED:
                return True
            if record.state is RecordState.PRESENT and record.pushed_hash != event.hash:
                return True
        elif (
            record is not None
            and record.state is RecordState.PRESENT
            and record.pushed_hash != event.hash
        ):
            return True  # to delete (a copy kept as cancelled is recorded with its hash)
    # An event pushed once that the database no longer holds (damage): to delete.
    return any(r.state is RecordState.PRESENT for uid, r in records.items() if uid not in held)


def needs_reading(record: Record | None, live: RemoteItem, event: Event | None) -> bool:
    """Whether the planner must see the server copy's content for this item."""
    if record is None or record.state is not RecordState.PRESENT:
        return True
    return live.etag != record.etag or event is None or record.pushed_hash != event.hash


def _words(names: Iterable[str]) -> str:
    return ", ".join(_NAMES.get(n, "alarm") for n in MANAGED if n in set(names))


def base_for(copy: RemoteContent, recorded: Fields | None, want: Fields) -> Fields:
    """Our side of each field of ``copy``: where our stamp says a field is still as we
    wrote it, that value (even when the answer to that write was lost); elsewhere the
    user changed it, and our side is the recorded base, or without one what we want."""
    ours = copy.ours()
    fallback = recorded or want
    if ours is None:
        return fallback
    return fallback.taking(copy.fields, ours)


def _merge(
    event: Event, record: Record | None, copy: RemoteContent, base: Fields, force: bool
) -> Action | None:
    """A wanted event whose server copy may hold edits of the user's."""
    want, server, uid = fields_of(event), copy.fields, event.uid
    item = RemoteItem(copy.remote_id, copy.etag)
    missing = server.differing(want)
    if not missing:
        if record is not None and record.etag == copy.etag and record.pushed_hash == event.hash:
            return None  # read only because forced: nothing to do
        reason = (
            "found there as followup last wrote it"
            if copy.untouched
            else "already as wanted there; nothing of yours is overwritten"
        )
        return Action(Op.CLAIM, uid, event, record, item, reason, base=want)
    theirs = base.differing(server)
    if force and theirs:
        forced = Write(want, missing, copy, want)
        return Action(Op.UPDATE, uid, event, record, item, "forced over your edits", forced, want)
    ours = base.differing(want)
    conflicts = frozenset(n for n in ours & theirs if not server.same(want, n))
    push = ours - theirs
    agreed = frozenset(n for n in MANAGED if server.same(want, n))
    new_base = base.taking(want, push | agreed)
    write = Write(want, push, copy, new_base) if push else None
    if conflicts:
        reason = (
            f"you changed the {_words(conflicts)} there and followup changed it here;"
            " kept yours, --force takes followup's"
        )
        return Action(Op.CONFLICT, uid, event, record, item, reason, write, new_base)
    if push and theirs:
        reason = f"kept your {_words(theirs)}, set the {_words(push)}"
        return Action(Op.MERGE, uid, event, record, item, reason, write, new_base)
    if push:
        reason = f"followup changed the {_words(push)}"
        return Action(Op.UPDATE, uid, event, record, item, reason, write, new_base)
    reason = f"you changed the {_words(theirs)} there; kept"
    return Action(Op.ADOPT, uid, event, record, item, reason, base=new_base)


def _plan_wanted(
    event: Event,
    record: Record | None,
    live: RemoteItem | None,
    copy: RemoteContent | None,
    force: bool,
) -> Action | None:
    uid, want = event.uid, fields_of(event)
    state = record.state if record is not None else None
    if state is RecordState.GONE and not force:
        return Action(
            Op.SKIP, uid, event, record, reason="you deleted it there; --force brings it back"
        )
    if live is None:
        if state is RecordState.PRESENT and not force:
            return Action(Op.GONE, uid, event, record, reason="you deleted it there; left deleted")
        forced = state in (RecordState.PRESENT, RecordState.GONE)
        reason = (
            "you had deleted it there; back because forced"
            if forced
            else "needed again"
            if state is RecordState.DELETED
            else "a new step"
        )
        return Action(Op.CREATE, uid, event, record, reason=reason, base=want)
    if copy is None:  # unchanged on both sides: not even read
        return None
    if state is not RecordState.PRESENT:
        # Unrecorded (a renamed calendar, a restored database, an interrupted run):
        # take it over only as far as it is ours; anything else in it is the user's.
        return _merge(event, record, copy, base_for(copy, None, want), force)
    assert record is not None
    recorded = base_of(record)
    if recorded is None and copy.mark is None:  # written before bases were kept
        recorded = copy.fields if live.etag == record.etag else want
    return _merge(event, record, copy, base_for(copy, recorded, want), force)


def _cancel_edited(
    uid: str, event: Event | None, record: Record | None, copy: RemoteContent, base: Fields
) -> Action:
    """A copy the user edited that we no longer need: delete it, unless they wrote in it."""
    server = copy.fields
    item = RemoteItem(copy.remote_id, copy.etag)
    theirs = base.differing(server)
    if event is not None and (copy.own_text or DESCRIPTION in theirs):
        marked = server._replace(title=marked_cancelled(server.title), cancelled=True, alarm=None)
        names = frozenset({TITLE, STATUS, ALARM})
        reason = "no longer needed, but you wrote in it: kept, marked cancelled; --force deletes"
        new_base = base.taking(marked, names)
        write = Write(marked, names, copy, new_base)
        return Action(Op.KEEP, uid, event, record, item, reason, write, new_base)
    reason = "no longer needed; it carried your edits" if theirs else "no longer needed"
    return Action(Op.DELETE, uid, event, record, item, reason)


def _plan_unwanted(
    uid: str,
    event: Event | None,
    record: Record | None,
    live: RemoteItem | None,
    copy: RemoteContent | None,
    force: bool,
) -> Action | None:
    state = record.state if record is not None else None
    if state is RecordState.PRESENT:
        assert record is not None
        if live is None:
            # We never deleted it (a deletion of ours is recorded before it is sent):
            # the user did, and it stays deleted even if the step comes back.
            return Action(Op.GONE, uid, event, record, reason="you deleted it there")
        base = base_of(record)
        if base is not None and base.cancelled and not force:
            # Kept, marked cancelled, by an earlier run: the user's now.
            if live.etag == record.etag:
                return None
            return Action(Op.ADOPT, uid, event, record, live, "yours now; left as it is", base=base)
        if force or copy is None:
            edited = copy is not None and not (copy.untouched and not copy.own_text)
            reason = (
                "no longer needed; forced, whatever you changed"
                if force and edited
                else "no longer needed"
            )
            return Action(Op.DELETE, uid, event, record, live, reason)
        if copy.untouched and not copy.own_text:
            return Action(Op.DELETE, uid, event, record, live, "no longer needed")
        return _cancel_edited(uid, event, record, copy, base_for(copy, base, _assumed(event, copy)))
    if live is not None and state in (None, RecordState.DELETED):
        # Left over from a run that died after writing, or one whose deletion failed.
        if copy is None or (copy.untouched and not copy.own_text) or force:
            return Action(Op.DELETE, uid, event, record, live, "left over from an interrupted run")
        return _cancel_edited(uid, event, record, copy, base_for(copy, None, _assumed(event, copy)))
    return None


def _assumed(event: Event | None, copy: RemoteContent) -> Fields:
    """Without a recorded base: our event's text and time, the copy's status and alarm."""
    if event is None:
        return copy.fields
    return fields_of(event)._replace(cancelled=copy.fields.cancelled, alarm=copy.fields.alarm)


def decide(
    events: Sequence[Event],
    records: Mapping[str, Record],
    remote: Mapping[str, RemoteItem],
    contents: Mapping[str, RemoteContent] | None = None,
    *,
    force: bool = False,
) -> tuple[list[Action], int]:
    """The actions that make the server match ``events``, and how many need none.

    ``contents`` holds the server copies read this run (see ``needs_reading``)."""
    contents = contents or {}
    by_uid = {e.uid: e for e in events}
    actions: list[Action] = []
    unchanged = 0
    # Soonest first, so the report reads in the order of the calendar.
    soonest = sorted(events, key=lambda e: (starts_at(e.start, zone(e.tz)), e.uid))
    others = sorted((records.keys() | remote.keys()) - by_uid.keys())
    for uid in [e.uid for e in soonest] + others:
        event = by_uid.get(uid)
        if uid not in by_uid and uid not in records:
            continue  # not an event of ours (another database's, say): never touch it
        action = decide_one(uid, event, records.get(uid), remote.get(uid), contents.get(uid), force)
        if action is None or action.op is Op.CLAIM:
            unchanged += 1 if _wanted(event) else 0
        if action is not None:
            actions.append(action)
    return actions, unchanged


def decide_one(
    uid: str,
    event: Event | None,
    record: Record | None,
    live: RemoteItem | None,
    copy: RemoteContent | None,
    force: bool,
) -> Action | None:
    if _wanted(event):
        assert event is not None
        return _plan_wanted(event, record, live, copy, force)
    return _plan_unwanted(uid, event, record, live, copy, force)


class MassDeleteRefused(RemoteError):
    exit_code = 2


def check_mass_delete(actions: Sequence[Action], on_server: int, force: bool) -> None:
    """Stop a run that would delete most of the calendar for no reason found here.

    A step cancelled here (an acceptance withdraws every other process) is reason
    enough: a copy the user edited is kept, marked cancelled, and `undo` brings the
    rest back. Events the database no longer holds at all are not: that is damage.
    """
    deletes = len([a for a in actions if a.op is Op.DELETE and a.event is None])
    if not force and deletes > MASS_DELETE_MINIMUM and deletes * 2 > on_server:
        raise MassDeleteRefused(
            f"refusing to delete {deletes} of the {on_server} events in the calendar in one run:"
            " the database no longer holds them (damaged, or replaced by another one?); if that"
            " is intended, run again with --force"
        )


class RestoredDatabase(RemoteError):
    exit_code = 2


def check_restored(
    events: Sequence[Event], contents: Mapping[str, RemoteContent], force: bool
) -> None:
    """Stop when the server holds newer pushes of ours than this database made: it was
    restored from an older backup, and writing now would undo later work."""
    if force:
        return
    by_uid = {e.uid: e for e in events}
    newer = [
        uid
        for uid, copy in contents.items()
        if uid in by_uid and copy.sequence > by_uid[uid].sequence
    ]
    if newer:
        raise RestoredDatabase(
            f"the calendar holds newer versions of {len(newer)} event(s) than this database knows"
            " (was it restored from an older backup?); nothing was written; run again with"
            " --force to make the calendar match this database"
        )
