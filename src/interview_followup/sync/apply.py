"""Carry out a sync's actions one by one, each committing its own state record, so a
run that dies halfway loses nothing and the next run converges."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from interview_followup.counting import Progress
from interview_followup.errors import RemoteError
from interview_followup.model import Event, RecordState
from interview_followup.model import SyncRecord as Record
from interview_followup.sinks.base import (
    Change,
    ChangeResult,
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


@dataclass
class Job:
    """One action to carry out, and what befell it so far."""

    action: Action
    retried: bool = False  # already read again after a 412: a second one is a failure
    listed: bool = False  # its line is in the report already (a batch listed it)
    alone: bool = False  # failed beside other writes: sent again with none in flight


@dataclass
class Outcome:
    """What a write came to; the main thread saves ``saves`` and counts it."""

    job: Job
    op: Op | None = None
    saves: list[Record] = field(default_factory=list)
    error: RemoteError | None = None
    again: Action | None = None  # decided afresh after a 412: carry this out next


def apply(
    actions: Sequence[Action],
    sink: Sink,
    save: Save,
    report: Report,
    *,
    force: bool = False,
    progress: Progress | None = None,
    connections: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Carry out ``actions``, saving each record as soon as its write is done.

    A failure of one item is counted and the run goes on; an unreachable server stops it.
    Writes go in batches when the sink can do that (creations first); otherwise over up
    to ``connections`` connections at once (at most what the sink allows).
    """
    from interview_followup.sync.pool import Scheduler, not_tried

    total = len(actions)
    # Writes finish in any order; the report lists them in the order decided (soonest first).
    order = {action.describe(): n for n, action in enumerate(actions)}
    listed = len(report.actions)
    jobs: list[Job] = []
    scheduler = Scheduler(sink, save, report, force, sleep)
    if progress is not None:
        scheduler.progress = lambda done: progress(done, total)
    try:
        if sink.batch_limit > 1:
            creates = [a for a in actions if a.op is Op.CREATE]
            actions = [a for a in actions if a.op is not Op.CREATE]
            for start in range(0, len(creates), sink.batch_limit):
                batch = creates[start : start + sink.batch_limit]
                if not _apply_batch(batch, sink, save, report, force, jobs):
                    left = total - scheduler.done - len(batch)
                    report.errors.extend([not_tried(left)] if left else [])
                    return
                scheduler.advance(len(batch))
        jobs.extend(Job(action) for action in actions)
        wanted = sink.max_parallel_writes if connections is None else connections
        scheduler.run(jobs, max(1, min(wanted, sink.max_parallel_writes)))
    finally:
        report.actions[listed:] = sorted(
            report.actions[listed:], key=lambda line: order.get(line, total)
        )


def before(action: Action) -> Record | None:
    """The record to save before the write goes out, if any."""
    if action.op is Op.DELETE and action.record is not None and action.remote is not None:
        # Recorded first: should the answer be lost, the next run still knows that it
        # was us who deleted it, not the user.
        return action.record._replace(state=RecordState.DELETED, etag=action.remote.etag)
    return None


_WRITES = (Op.UPDATE, Op.MERGE, Op.CONFLICT, Op.KEEP, Op.ADOPT, Op.CLAIM)


def change_of(action: Action) -> Change | None:
    """The write of an action that can travel in a batch (an update or a deletion of
    an item we listed), if it has one."""
    if action.remote is None:
        return None
    if action.op is Op.DELETE:
        return Change(action.remote)
    if action.op in _WRITES and action.write is not None:
        return Change(action.remote, action.event, action.write)
    return None


class Answered:
    """The answer a batch already brought for one job's write."""

    def __init__(self, result: ChangeResult) -> None:
        self.result = result

    def take(self) -> RemoteItem | None:
        if isinstance(self.result, RemoteError):
            raise self.result
        return self.result


def carry_out(job: Job, sink: Sink, force: bool, answered: Answered | None = None) -> Outcome:
    """Do the requests of one job, or weigh the answer its batch brought; safe on a
    worker thread (it saves nothing)."""
    action = job.action
    try:
        op, saves = _remote(action, sink, answered)
        return Outcome(job, op, saves)
    except PreconditionFailed as error:
        # Changed since we read it (or our own answer was lost and a retry came back
        # 412): read it once more and decide again.
        undo = [action.record] if action.op is Op.DELETE and action.record else []
        if job.retried:
            return Outcome(job, saves=undo, error=error)
        try:
            again = _again(action, sink, force)
        except RemoteError as failure:
            return Outcome(job, saves=undo, error=failure)
        if again is None:
            return Outcome(job, action.op, undo)
        return Outcome(job, saves=undo, again=again)
    except RemoteError as error:
        return Outcome(job, saves=refused(action, error), error=error)


def refused(action: Action, error: RemoteError) -> list[Record]:
    """The record to put back when the server refused a write outright: a deletion
    refused (5xx, 429) did not happen, so the next run must still see it to do. Only a
    lost answer (the server out of reach) leaves it recorded as sent."""
    if action.op is Op.DELETE and action.record is not None and not isinstance(error, Unavailable):
        return [action.record]
    return []


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
    later: list[Job],
) -> bool:
    """Create several events in one request; False when the server is unreachable.
    Items that turn out to exist already are weighed again, as jobs added to ``later``."""
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
            except RemoteError as error:
                report.failed += 1
                report.errors.append(f"{action.uid}: {error.message}")
                continue
            if retried is None:
                report.tally(Op.CLAIM)
            else:
                later.append(Job(retried, retried=True, listed=True))
        elif isinstance(result, RemoteError):
            report.failed += 1
            report.errors.append(f"{action.uid}: {result.message}")
        else:
            save(_record(action.event, result, _generation(action), action.base))
            report.created += 1
    return True


def _remote(action: Action, sink: Sink, answered: Answered | None) -> tuple[Op, list[Record]]:
    """The requests of one action (unless ``answered`` already): what it turned out to
    be and the records to save."""
    event, record, live = action.event, action.record, action.remote
    generation = _generation(action)
    op = action.op
    if op is Op.CREATE:
        assert event is not None
        item = sink.create(event, sink.remote_id_for(event, generation))
        return op, [_record(event, item, generation, action.base)]
    if op in _WRITES:
        assert event is not None and live is not None
        item = live
        if action.write is not None:
            try:
                if answered is None:
                    item = sink.update(event, live, action.write)
                else:
                    updated = answered.take()
                    assert updated is not None
                    item = updated
            except ItemMissing:  # deleted by the user since we listed
                gone = [record._replace(state=RecordState.GONE, etag=None)] if record else []
                return Op.GONE, gone
        return op, [_record(event, item, generation, action.base, settled=op is not Op.CONFLICT)]
    if op is Op.DELETE:
        assert live is not None
        with contextlib.suppress(ItemMissing):  # gone already: just as good
            if answered is None:
                sink.delete(live)
            else:
                answered.take()
        return op, []
    if op is Op.GONE:
        assert record is not None
        return op, [record._replace(state=RecordState.GONE, etag=None)]
    return op, []


def count_planned(actions: Sequence[Action], report: Report) -> None:
    """Fill a dry-run report: what would happen, with nothing done."""
    for action in actions:
        report.actions.append(action.describe())
        report.tally(action.op)
