"""Run a sync's writes, one at a time or over a small pool of connections.

Worker threads only do the requests; every record is saved here, on the thread that
owns the database connection, as soon as its write is done. At most one write per
UID is in flight. A server that asks us to slow down (429, 503 with Retry-After)
makes the pool wait and shrink; an unreachable one stops the run after the writes
already under way have been recorded.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from interview_followup.errors import RemoteError
from interview_followup.sinks.base import (
    Change,
    PreconditionFailed,
    ServerFailed,
    Sink,
    Throttled,
    Unavailable,
)
from interview_followup.sync.apply import (
    Answered,
    Job,
    Outcome,
    Report,
    Save,
    before,
    carry_out,
    change_of,
    refused,
)

# How many "slow down" answers in a row (with no write going through between them) we
# take before giving up on this run, and the longest pause, whatever Retry-After says.
MAX_THROTTLED = 8
MAX_PAUSE = 30.0


def not_tried(count: int) -> str:
    return f"{count} more change(s) were not tried; the next sync does them"


def pause_for(error: Throttled, attempt: int) -> float:
    """How long to wait after the ``attempt``-th "slow down" in a row: Retry-After, else
    doubling from half a second."""
    wanted = error.retry_after if error.retry_after is not None else 0.5 * 2.0**attempt
    return min(MAX_PAUSE, max(0.0, wanted))


class Scheduler:
    def __init__(
        self,
        sink: Sink,
        save: Save,
        report: Report,
        force: bool,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.sink, self.save, self.report, self.force = sink, save, report, force
        self.sleep = sleep
        self.progress: Callable[[int], None] | None = None
        self.done = 0
        self.pending: deque[Job] = deque()
        self.stopped = False
        self.resume_at = 0.0  # monotonic time before which nothing new goes out
        self.limit = 1
        self.size = 1
        self.pooled = False  # writes went out several at a time
        self.streak = 0  # writes in a row that went through since the last slow-down
        self.throttled = 0  # "slow down" answers since the last write that went through

    def advance(self, count: int) -> None:
        self.done += count
        if self.progress is not None:
            self.progress(self.done)

    def run(self, jobs: Iterable[Job], size: int) -> None:
        self.pending.extend(jobs)
        self.size = self.limit = size
        self.pooled = size > 1
        if size == 1:
            self._inline()
        else:
            self._pooled()
        if self.stopped and self.pending:
            self.report.errors.append(not_tried(len(self.pending)))

    def _inline(self) -> None:
        while self.pending and not self.stopped:
            wait_for = self.resume_at - time.monotonic()
            if wait_for > 0:
                self.sleep(wait_for)
            batch = self._take_batch()
            if len(batch) > 1:
                self._send_batch(batch)
                continue
            job = batch[0][0] if batch else self.pending.popleft()
            self._start(job)
            self._settle(carry_out(job, self.sink, self.force))

    def _take_batch(self) -> list[tuple[Job, Change]]:
        """The updates and deletions at the head of the queue that can share a request:
        up to the sink's batch limit, one per UID."""
        batch: list[tuple[Job, Change]] = []
        uids: set[str] = set()
        while self.pending and len(batch) < self.sink.batch_limit:
            job = self.pending[0]
            change = change_of(job.action)
            if change is None or job.action.uid in uids:
                break
            self.pending.popleft()
            uids.add(job.action.uid)
            batch.append((job, change))
        return batch

    def _send_batch(self, batch: list[tuple[Job, Change]]) -> None:
        for job, _ in batch:
            self._start(job)
        try:
            results = self.sink.change_batch([change for _, change in batch])
        except RemoteError as error:
            # Nothing is known of these writes: the next run finds out what became of
            # them. One line for the batch; an unreachable server stops the run.
            for job, _ in batch:
                for record in refused(job.action, error):
                    self.save(record)
            self.report.failed += len(batch)
            self.report.errors.append(f"{len(batch)} changes in one request: {error.message}")
            self.stopped = self.stopped or isinstance(error, Unavailable)
            self.advance(len(batch))
            return
        for (job, _), result in zip(batch, results, strict=True):
            self._settle(carry_out(job, self.sink, self.force, Answered(result)))

    def _pooled(self) -> None:
        running: dict[Future[Outcome], str] = {}
        with ThreadPoolExecutor(self.size, thread_name_prefix="sync-write") as pool:
            while running or (self.pending and not self.stopped):
                now = time.monotonic()
                if not self.stopped and now >= self.resume_at:
                    self._submit(pool, running)
                if not running:
                    self.sleep(max(0.0, self.resume_at - time.monotonic()))
                    continue
                pausing = self.pending and not self.stopped and self.resume_at > now
                timeout = self.resume_at - now if pausing else None
                finished, _ = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
                for future in finished:
                    del running[future]
                    self._settle(future.result())

    def _submit(self, pool: ThreadPoolExecutor, running: dict[Future[Outcome], str]) -> None:
        busy = set(running.values())
        held: list[Job] = []
        while self.pending and len(running) < self.limit:
            job = self.pending.popleft()
            if job.action.uid in busy or (job.alone and running):  # one write per UID
                held.append(job)
                continue
            self._start(job)
            busy.add(job.action.uid)
            running[pool.submit(carry_out, job, self.sink, self.force)] = job.action.uid
        self.pending.extendleft(reversed(held))

    def _start(self, job: Job) -> None:
        record = before(job.action)
        if record is not None:
            self.save(record)

    def _settle(self, outcome: Outcome) -> None:
        """Save what a write came to and count it; decide what comes next."""
        job, report, error = outcome.job, self.report, outcome.error
        for record in outcome.saves:
            self.save(record)
        if outcome.again is not None:
            self.pending.appendleft(Job(outcome.again, retried=True, listed=job.listed))
            return
        if isinstance(error, Throttled) and self.throttled < MAX_THROTTLED:
            self._slow_down(error, job)
            return
        if isinstance(error, ServerFailed) and self.pooled and not job.alone:
            # Some servers (Xandikos) fail under parallel writes: one at a time from now
            # on, and this one once more. The write is conditional, so a retry is safe.
            self.size = self.limit = 1
            self.pending.appendleft(Job(job.action, job.retried, job.listed, alone=True))
            return
        self.advance(1)
        if error is None:
            self._went_through()
            if not job.listed:
                report.actions.append(job.action.describe())
            assert outcome.op is not None
            report.tally(outcome.op)
            return
        report.failed += 1
        if isinstance(error, Throttled):
            report.errors.append(
                f"{error.message}; the server kept asking to slow down, so the sync stopped"
            )
            self.stopped = True
        elif isinstance(error, Unavailable):
            report.errors.append(error.message)
            self.stopped = True  # the writes under way are still recorded
        elif isinstance(error, PreconditionFailed):
            report.errors.append(
                f"{job.action.uid}: {error.message}; changed while syncing, the next sync weighs it"
            )
        else:
            report.errors.append(f"{job.action.uid}: {error.message}")

    def _slow_down(self, error: Throttled, job: Job) -> None:
        pause = pause_for(error, self.throttled)
        self.resume_at = max(self.resume_at, time.monotonic() + pause)
        self.limit = max(1, self.limit // 2)
        self.streak = 0
        self.throttled += 1
        self.pending.appendleft(job)

    def _went_through(self) -> None:
        # Grow back one connection at a time once the server keeps up again.
        self.streak += 1
        self.throttled = 0
        if self.limit < self.size and self.streak >= 4 * self.limit:
            self.limit += 1
            self.streak = 0
