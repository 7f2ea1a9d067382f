"""One-way sync: plan what a calendar needs (pure), then carry it out action by action.

The plan compares three things per event UID: what we want now (the stored event),
what we last pushed (the sync record) and what the server holds (its ETag). Each
action commits its own record, so a run that dies halfway loses nothing and the next
run converges.
"""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from interview_followup.errors import RemoteError
from interview_followup.model import Event, EventStatus
from interview_followup.model import SyncRecord as Record
from interview_followup.sinks.base import (
    ItemFailed,
    ItemMissing,
    PreconditionFailed,
    RemoteItem,
    Sink,
    Unavailable,
)

# Below this many deletions the guard stays quiet: one rejection legitimately
# cancels most of a small calendar.
MASS_DELETE_MINIMUM = 10
BATCH_SIZE = 50  # Google's limit per batch request


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


_HEADINGS = {
    Op.CREATE: "created",
    Op.RECOVER: "updated",
    Op.UPDATE: "updated",
    Op.DELETE: "deleted",
    Op.CONFLICT: "conflicts",
    Op.SKIP: "skipped",
    Op.GONE: "skipped",
    Op.ADOPT: "adopted",
}


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    conflicts: int = 0
    skipped: int = 0
    failed: int = 0
    adopted: int = 0
    dry_run: bool = False
    actions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def tally(self, op: Op) -> None:
        """Count one action under the heading the report shows it."""
        heading = _HEADINGS.get(op)
        if heading is not None:
            setattr(self, heading, getattr(self, heading) + 1)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors

    def as_json(self) -> dict[str, object]:
        return {
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
            "unchanged": self.unchanged,
            "conflicts": self.conflicts,
            "skipped": self.skipped,
            "failed": self.failed,
            "adopted": self.adopted,
            "dry_run": self.dry_run,
            "actions": self.actions,
            "errors": self.errors,
        }


def _wanted(event: Event | None) -> bool:
    return event is not None and event.status is not EventStatus.CANCELLED


def has_local_changes(events: Iterable[Event], records: Mapping[str, Record]) -> bool:
    """Whether anything on our side differs from what was last pushed."""
    for event in events:
        record = records.get(event.uid)
        if _wanted(event):
            if record is None or record.state == "deleted":
                return True
            if record.state == "present" and record.pushed_hash != event.hash:
                return True
        elif record is not None and record.state == "present":
            return True
    return False


def _plan_wanted(
    event: Event, record: Record | None, live: RemoteItem | None, force: bool
) -> Action | None:
    uid = event.uid
    if record is None or record.state == "deleted":
        if live is not None:
            return Action(Op.RECOVER, uid, event, record, live, "found on the server, unrecorded")
        return Action(Op.CREATE, uid, event, record)
    if record.state == "gone":
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
    if record is not None and record.state == "present":
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
    if live is not None and (record is None or record.state == "deleted"):
        return Action(Op.DELETE, uid, event, record, live, "left over from an interrupted run")
    return None


def plan(
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
            unchanged += _wanted(event)
        else:
            actions.append(action)
    return actions, unchanged


class MassDeleteRefused(RemoteError):
    exit_code = 2


def check_mass_delete(actions: Sequence[Action], on_server: int, force: bool) -> None:
    deletes = sum(a.op is Op.DELETE for a in actions)
    if not force and deletes > MASS_DELETE_MINIMUM and deletes * 2 > on_server:
        raise MassDeleteRefused(
            f"refusing to delete {deletes} of the {on_server} events in the calendar in one run;"
            " if that is intended, run again with --force"
        )


def _record(event: Event, item: RemoteItem, generation: int) -> Record:
    return Record(
        event.uid, item.remote_id, item.etag, event.hash, event.sequence, "present", generation
    )


def apply(
    actions: Sequence[Action],
    sink: Sink,
    save: Callable[[Record], None],
    report: Report,
) -> None:
    """Carry out ``actions`` in order, saving each record as soon as its write is done.

    A failure of one item is counted and the run goes on; an unreachable server stops it.
    Creations go in batches when the sink can do that.
    """
    create_batch = getattr(sink, "create_batch", None)
    if create_batch is not None:
        creates = [a for a in actions if a.op is Op.CREATE]
        actions = [a for a in actions if a.op is not Op.CREATE]
        for start in range(0, len(creates), BATCH_SIZE):
            if not _apply_batch(
                creates[start : start + BATCH_SIZE], sink, create_batch, save, report
            ):
                return
    for action in actions:
        report.actions.append(action.describe())
        try:
            report.tally(_apply_one(action, sink, save))
        except PreconditionFailed as error:
            report.conflicts += 1
            report.errors.append(f"{action.uid}: {error.message}")
        except ItemFailed as error:
            report.failed += 1
            report.errors.append(f"{action.uid}: {error.message}")
        except Unavailable as error:
            report.failed += 1
            report.errors.append(error.message)
            return


def _generation(action: Action) -> int:
    record = action.record
    if record is None:
        return 0
    # Some servers (Google) keep deleted ids for ever: a re-created event needs a new one.
    return record.generation + (action.op is Op.CREATE and record.state != "present")


def _apply_batch(
    creates: Sequence[Action],
    sink: Sink,
    create_batch: Callable[[Sequence[tuple[Event, str]]], list[RemoteItem | RemoteError]],
    save: Callable[[Record], None],
    report: Report,
) -> bool:
    """Create several events in one request; False when the server is unreachable."""
    pairs = []
    for action in creates:
        assert action.event is not None
        report.actions.append(action.describe())
        pairs.append((action.event, sink.remote_id_for(action.event, _generation(action))))
    try:
        results = create_batch(pairs)
    except Unavailable as error:
        report.failed += len(creates)
        report.errors.append(error.message)
        return False
    except RemoteError as error:
        report.failed += len(creates)
        report.errors.append(error.message)
        return True
    for action, result in zip(creates, results, strict=True):
        assert action.event is not None
        if isinstance(result, RemoteError):
            report.failed += 1
            report.errors.append(f"{action.uid}: {result.message}")
        else:
            save(_record(action.event, result, _generation(action)))
            report.created += 1
    return True


def _apply_one(action: Action, sink: Sink, save: Callable[[Record], None]) -> Op:
    """Carry out one action; returns what it turned out to be, for the report."""
    event, record, live = action.event, action.record, action.remote
    generation = _generation(action)
    if action.op is Op.CREATE:
        assert event is not None
        item = sink.create(event, sink.remote_id_for(event, generation))
        save(_record(event, item, generation))
    elif action.op in (Op.RECOVER, Op.UPDATE):
        assert event is not None and live is not None
        try:
            item = sink.update(event, live)
        except ItemMissing:  # deleted by the user since we listed
            if record is not None:
                save(record._replace(state="gone", etag=None))
            return Op.GONE
        save(_record(event, item, generation))
    elif action.op is Op.DELETE:
        assert live is not None
        with contextlib.suppress(ItemMissing):
            sink.delete(live)
        if record is not None:
            save(record._replace(state="deleted", etag=None))
    elif action.op is Op.ADOPT:
        assert record is not None and live is not None
        save(record._replace(etag=live.etag))
    elif action.op in (Op.FORGET, Op.GONE):
        assert record is not None
        save(record._replace(state="deleted" if action.op is Op.FORGET else "gone", etag=None))
    return action.op


def count_planned(actions: Sequence[Action], report: Report) -> None:
    """Fill a dry-run report: what would happen, with nothing done."""
    for action in actions:
        report.actions.append(action.describe())
        report.tally(action.op)
