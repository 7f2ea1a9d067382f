"""Carry out a sync's actions one by one, each committing its own state record, so a
run that dies halfway loses nothing and the next run converges."""

from __future__ import annotations

import contextlib
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
from interview_followup.sync.actions import Action, Op


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
        match op:
            case Op.CREATE:
                self.created += 1
            case Op.RECOVER | Op.UPDATE:
                self.updated += 1
            case Op.DELETE:
                self.deleted += 1
            case Op.CONFLICT:
                self.conflicts += 1
            case Op.SKIP | Op.GONE:
                self.skipped += 1
            case Op.ADOPT:
                self.adopted += 1
            case Op.FORGET:
                pass  # already gone from the server: nothing to tell

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


def _record(event: Event, item: RemoteItem, generation: int) -> Record:
    return Record(
        event.uid,
        item.remote_id,
        item.etag,
        event.hash,
        event.sequence,
        RecordState.PRESENT,
        generation,
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
    if sink.batch_limit > 1:
        creates = [a for a in actions if a.op is Op.CREATE]
        actions = [a for a in actions if a.op is not Op.CREATE]
        for start in range(0, len(creates), sink.batch_limit):
            if not _apply_batch(creates[start : start + sink.batch_limit], sink, save, report):
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
    if action.op is Op.CREATE and record.state is not RecordState.PRESENT:
        return record.generation + 1
    return record.generation


def _apply_batch(
    creates: Sequence[Action],
    sink: Sink,
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
                save(record._replace(state=RecordState.GONE, etag=None))
            return Op.GONE
        save(_record(event, item, generation))
    elif action.op is Op.DELETE:
        assert live is not None
        with contextlib.suppress(ItemMissing):
            sink.delete(live)
        if record is not None:
            save(record._replace(state=RecordState.DELETED, etag=None))
    elif action.op is Op.ADOPT:
        assert record is not None and live is not None
        save(record._replace(etag=live.etag))
    elif action.op in (Op.FORGET, Op.GONE):
        assert record is not None
        state = RecordState.DELETED if action.op is Op.FORGET else RecordState.GONE
        save(record._replace(state=state, etag=None))
    return action.op


def count_planned(actions: Sequence[Action], report: Report) -> None:
    """Fill a dry-run report: what would happen, with nothing done."""
    for action in actions:
        report.actions.append(action.describe())
        report.tally(action.op)
