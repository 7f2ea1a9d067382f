"""A memory calendar for the sync state machine, with the faults it plays: a run
killed after the k-th request, and one dropped answer that the client retries (as
Google's client does: the retry then meets a 412)."""

from __future__ import annotations

from interview_followup.model import Event
from interview_followup.sinks.base import RemoteItem
from interview_followup.sinks.content import Write
from interview_followup.sinks.memory import MemorySink


class Killed(BaseException):
    """The process died: nothing after this point ran."""


class FaultySink(MemorySink):
    def __init__(self, name: str = "machine") -> None:
        super().__init__(name)
        self.kill_after: int | None = None  # requests still to answer before dying
        self.drop_next_update = False
        self.after_request = self._count

    def _count(self, method: str) -> None:
        if self.kill_after is None:
            return
        self.kill_after -= 1
        if self.kill_after <= 0:
            self.kill_after = None
            raise Killed(method)

    def update(self, event: Event, item: RemoteItem, write: Write | None = None) -> RemoteItem:
        made = super().update(event, item, write)
        if self.drop_next_update:
            self.drop_next_update = False
            return super().update(event, item, write)  # the retry: 412, it changed
        return made

    def snapshot(self) -> object:
        return sorted(
            (rid, i.uid, i.etag, i.summary, i.start, i.status, i.alarm, tuple(i.extra.items()))
            for rid, i in self.items.items()
        )
