"""Carry out a sync's actions one by one, each committing its own state record, so a
run that dies halfway loses nothing and the next run converges."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from interview_followup.errors import RemoteError
from interview_followup.model import Event, RecordState
from interview_followup.model import SyncRecord as Record
from interview_followup.sinks.base import (
    ItemFailed,
    ItemMissing,
    PreconditionFailed,
    RemoteItem,
    Sink,
    Unavailable,
)
from interview_followup.sinks.content import Fields, fields_of
from interview_followup.sync.actions import UNSETTLED, Action, Op, decide_one

Save = Callable[[Record], None]


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    merged: int = 0
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
        match op:
            case Op.CREATE:
                self.created += 1
            case Op.UPDATE | Op.KEEP:
                self.updated += 1
            case Op.MERGE:
                self.merged += 1
            case Op.DELETE:
                self.deleted += 1
            case Op.CONFLICT:
                self.conflicts += 1
            case Op.SKIP | Op.GONE:
                self.skipped += 1
            case Op.ADOPT:
                self.adopted += 1
            case Op.CLAIM:
                pass  # nothing changed that a person would notice

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors

    def as_json(self) -> dict[str, object]:
        return {
            "created": self.created,
            "updated": self.updated,
            "merged": self.merged,
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


def _record(
    event: Event,
    item: RemoteItem,
    generation: int,
    base: Fields | None,
    settled: bool = True,
) -> Record:
    return Record(
        event.uid,
        item.remote_id,
        item.etag,
        event.hash if settled else UNSETTLED,
        event.sequence,
        RecordState.PRESENT,
        generation,
        json.dumps((base or fields_of(event)).to_json(), sort_keys=True),
    )


def apply(
    actions: Sequence[Action],
    sink: Sink,
    save: Save,
    report: Report,
    *,
    force: bool = False,
) -> None:
    """Carry out ``actions`` in order, saving each record as soon as its write is done.

    A failure of one item is counted and the run goes on; an unreachable server stops it.
    Creations go in batches when the sink can do that.
    """
    if sink.batch_limit > 1:
        creates = [a for a in actions if a.op is Op.CREATE]
        actions = [a for a in actions if a.op is not Op.CREATE]
        for start in range(0, len(creates), sink.batch_limit):
            batch = creates[start : start + sink.batch_limit]
            if not _apply_batch(batch, sink, save, report, force):
                return
    for action in actions:
        try:
            done: Op | None
            try:
                done = _apply_one(action, sink, save)
            except PreconditionFailed:
                # Changed since we read it (or our own answer was lost and a retry came
                # back 412): read it once more and decide again.
                retried = _again(action, sink, force)
                done = _apply_one(retried, sink, save) if retried else None
                action = retried or action
            report.actions.append(action.describe())
            report.tally(done or action.op)
        except PreconditionFailed as error:
            report.failed += 1
            report.errors.append(
                f"{action.uid}: {error.message}; changed while syncing, the next sync weighs it"
            )
        except ItemFailed as error:
            report.failed += 1
            report.errors.append(f"{action.uid}: {error.message}")
        except Unavailable as error:
            report.failed += 1
            report.errors.append(error.message)
            return


def _again(action: Action, sink: Sink, force: bool) -> Action | None:
    remote = action.remote or RemoteItem(
        sink.remote_id_for(action.event, _generation(action)) if action.event else "", None
    )
    copy = sink.read_items({action.uid: remote}).get(action.uid)
    live = RemoteItem(copy.remote_id, copy.etag) if copy else None
    return decide_one(action.uid, action.event, action.record, live, copy, force)


def _generation(action: Action) -> int:
    record = action.record
    if record is None:
        return 0
    # Some servers (Google) keep deleted ids for ever: a re-created event needs a new one.
    return record.generation + 1 if action.op is Op.CREATE else record.generation


def _apply_batch(
    creates: Sequence[Action],
    sink: Sink,
    save: Save,
    report: Report,
    force: bool,
) -> bool:
    """Create several events in one request; False when the server is unreachable."""
    pairs = []
    for action in creates:
        assert action.event is not None
        report.actions.append(action.describe())
        pairs.append((action.event, sink.remote_id_for(action.event, _generation(action))))
    try:
        results = sink.create_batch(pairs)
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
        if isinstance(result, PreconditionFailed):  # already there: weigh that copy
            try:
                retried = _again(action, sink, force)
                done = _apply_one(retried, sink, save) if retried else None
                report.tally(done or Op.CLAIM)
            except RemoteError as error:
                report.failed += 1
                report.errors.append(f"{action.uid}: {error.message}")
        elif isinstance(result, RemoteError):
            report.failed += 1
            report.errors.append(f"{action.uid}: {result.message}")
        else:
            save(_record(action.event, result, _generation(action), action.base))
            report.created += 1
    return True


def _apply_one(action: Action, sink: Sink, save: Save) -> Op:
    """Carry out one action; returns what it turned out to be, for the report."""
    event, record, live = action.event, action.record, action.remote
    generation = _generation(action)
    op = action.op
    if op is Op.CREATE:
        assert event is not None
        item = sink.create(event, sink.remote_id_for(event, generation))
        save(_record(event, item, generation, action.base))
    elif op in (Op.UPDATE, Op.MERGE, Op.CONFLICT, Op.KEEP, Op.ADOPT, Op.CLAIM):
        assert event is not None and live is not None
        item = live
        if action.write is not None:
            try:
                item = sink.update(event, live, action.write)
            except ItemMissing:  # deleted by the user since we listed
                if record is not None:
                    save(record._replace(state=RecordState.GONE, etag=None))
                return Op.GONE
        save(_record(event, item, generation, action.base, settled=op is not Op.CONFLICT))
    elif op is Op.DELETE:
        assert live is not None
        if record is not None:
            # Recorded first: should the answer be lost, the next run still knows that
            # it was us who deleted it, not the user.
            save(record._replace(state=RecordState.DELETED, etag=live.etag))
        try:
            sink.delete(live)
        except ItemMissing:
            pass
        except PreconditionFailed:  # certainly not deleted: the user edited it meanwhile
            if record is not None:
                save(record)
            raise
    elif op is Op.GONE:
        assert record is not None
        save(record._replace(state=RecordState.GONE, etag=None))
    return op


def count_planned(actions: Sequence[Action], report: Report) -> None:
    """Fill a dry-run report: what would happen, with nothing done."""
    for action in actions:
        report.actions.append(action.describe())
        report.tally(action.op)
