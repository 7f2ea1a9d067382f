"""The sync state machine: our operations, the user's edits in the calendar and syncs
of every kind, interleaved by hypothesis; after every sync the invariants must hold.

The rules are written once. A subclass says which calendar they run against through
``open_calendar``: a ``MachineCalendar`` gives the machine our sink, plays the user
through a client of its own, and plays the faults (a run killed after the k-th request,
one dropped answer). The memory calendar is in machine_calendar; the servers' in
machine_radicale and machine_google.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from interview_followup import service
from interview_followup.errors import FollowupError
from interview_followup.model import EventStatus
from interview_followup.sinks.base import CalendarMissing, Sink
from interview_followup.sinks.content import fields_of
from interview_followup.store import events as event_rows
from interview_followup.store import sync_state
from interview_followup.sync.actions import MassDeleteRefused
from interview_followup.sync.run import run
from interview_followup.workspace import Workspace, open_workspace
from support.machine_calendar import MachineCalendar, MemoryCalendar

NOW = datetime(2030, 1, 15, 9, tzinfo=UTC)
STATUSES = ["waiting", "heard", "next-round", "offer", "rejected", "withdrawn", "accepted"]
KINDS = ["thank-you", "follow-up", "check-in", "decision"]
USER_FIELDS = ["title", "description", "time", "location"]


class SyncMachine(RuleBasedStateMachine):
    """The rules and invariants, written once; a subclass says which calendar."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.mkdtemp(prefix="followup-machine-")
        self.saved_env = {k: os.environ.get(k) for k in ("FOLLOWUP_HOME", "TZ")}
        os.environ["FOLLOWUP_HOME"] = self.folder
        os.environ["TZ"] = "UTC"
        service.set_config("timezone", "UTC")
        self.ws: Workspace = open_workspace()
        # The same UIDs in every example, so hypothesis can replay and shrink one.
        self.ws.conn.execute("UPDATE meta SET value = 'machine' WHERE key = 'install_id'")
        self.cal = self.open_calendar()
        self.interviews: list[int] = []
        self.clock = NOW
        # What the user did in the calendar since the last forced sync.
        self.user_values: dict[str, dict[str, Any]] = {}
        self.user_deleted: set[str] = set()
        self.own_events: object = None
        self.calendar_deleted = False

    def open_calendar(self) -> MachineCalendar:
        raise NotImplementedError

    @property
    def sink(self) -> Sink:
        return self.cal.sink

    def teardown(self) -> None:
        self.ws.close()
        self.cal.close()
        for key, value in self.saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(self.folder, ignore_errors=True)

    def _tick(self) -> datetime:
        self.clock += timedelta(minutes=1)
        return self.clock

    # --- our operations ---

    @precondition(lambda self: len(self.interviews) < 3)
    @rule(day=st.integers(0, 20), hour=st.sampled_from([9, 14]))
    def log(self, day: int, hour: int) -> None:
        at = datetime(2030, 3, 2) + timedelta(days=day, hours=hour)
        raw = {"company": f"Co {len(self.interviews)}", "at": at.strftime("%Y-%m-%d %H:%M")}
        if day % 2:
            raw["interviewers"] = ["Jane Doe", "Raj Patel"]
        self.interviews.append(service.log_interview(self.ws, raw, self._tick()))

    @precondition(lambda self: self.interviews)
    @rule(data=st.data(), status=st.sampled_from(STATUSES))
    def status(self, data: st.DataObject, status: str) -> None:
        interview = data.draw(st.sampled_from(self.interviews))
        service.set_status(self.ws, interview, status, self._tick())

    @precondition(lambda self: self.interviews)
    @rule(data=st.data(), days=st.integers(1, 30))
    def promise(self, data: st.DataObject, days: int) -> None:
        interview = data.draw(st.sampled_from(self.interviews))
        with contextlib.suppress(FollowupError):  # before the interview: refused
            service.promise(self.ws, interview, f"2030-04-{days:02d}", self._tick())

    @precondition(lambda self: self.interviews)
    @rule(data=st.data(), change=st.sampled_from(["role", "company", "at"]), n=st.integers(0, 3))
    def edit(self, data: st.DataObject, change: str, n: int) -> None:
        interview = data.draw(st.sampled_from(self.interviews))
        value = {"role": f"Role {n}", "company": f"Renamed {n}", "at": f"2030-03-0{n + 2} 11:00"}
        service.edit_interview(self.ws, interview, {change: value[change]}, self._tick())

    @precondition(lambda self: self.interviews)
    @rule(data=st.data(), kind=st.sampled_from(KINDS))
    def done(self, data: st.DataObject, kind: str) -> None:
        interview = data.draw(st.sampled_from(self.interviews))
        with contextlib.suppress(FollowupError):  # no such step
            service.mark_done(self.ws, interview, kind, now=self._tick())

    @rule(minutes=st.sampled_from(["0", "10", "15", "30"]))
    def config_alarm(self, minutes: str) -> None:
        self.ws.close()
        service.set_config("alarm_minutes", minutes)
        self.ws = open_workspace()

    @rule()
    def refresh(self) -> None:
        service.refresh_all(self.ws, self._tick())

    # --- the user, in their calendar ---

    def _ours_on_server(self) -> list[str]:
        return sorted(i.uid for i in self.cal.items() if i.ours)

    @precondition(lambda self: any(i.ours for i in self.cal.items()))
    @rule(data=st.data(), what=st.sampled_from(USER_FIELDS), n=st.integers(0, 9))
    def user_edit(self, data: st.DataObject, what: str, n: int) -> None:
        uid = data.draw(st.sampled_from(self._ours_on_server()))
        item = self.cal.by_uid(uid)
        assert item is not None
        mine = self.user_values.setdefault(uid, {})
        if what == "title":
            self.cal.user_edit(uid, summary=f"My title {n}")
            mine["title"] = f"My title {n}"
        elif what == "description":
            self.cal.user_edit(uid, description=f"My notes {n}")
            mine["description"] = f"My notes {n}"
        elif what == "time":
            timed = isinstance(item.start, datetime)
            shift = timedelta(hours=n + 1) if timed else timedelta(days=n + 1)
            moved = item.start + shift
            self.cal.user_edit(uid, start=moved, end=item.end + shift)
            mine["time"] = moved
        else:
            self.cal.user_edit(uid, location=f"Room {n}")
            mine["location"] = f"Room {n}"

    @precondition(lambda self: any(i.ours for i in self.cal.items()))
    @rule(data=st.data(), what=st.sampled_from(USER_FIELDS), n=st.integers(0, 9))
    def user_edit_more(self, data: st.DataObject, what: str, n: int) -> None:
        self.user_edit(data, what, n)  # edits are what the merge is about: make them common

    @precondition(lambda self: any(i.ours for i in self.cal.items()))
    @rule(data=st.data())
    def user_delete(self, data: st.DataObject) -> None:
        uid = data.draw(st.sampled_from(self._ours_on_server()))
        self.cal.user_delete(uid)
        # A copy no sync has recorded yet (its run died before it could) may come back:
        # nothing tells it from a creation that never arrived.
        record = sync_state.load(self.ws.conn, self.sink.target).get(uid)
        if record is not None and record.state.value == "present":
            self.user_deleted.add(uid)
        self.user_values.pop(uid, None)

    @precondition(lambda self: self.own_events is None and self.cal.exists)
    @rule()
    def user_add_own(self) -> None:
        self.cal.user_add_own("dentist@example.com", "Dentist", NOW + timedelta(days=40))
        self.own_events = self._own()

    @precondition(lambda self: self.cal.exists)
    @rule()
    def user_delete_calendar(self) -> None:
        self.cal.user_delete_calendar()
        self.calendar_deleted = True
        self.own_events = None
        self.user_values.clear()
        self.user_deleted.clear()

    def _own(self) -> object:
        return sorted((i.uid, i.etag, i.summary) for i in self.cal.items() if not i.ours)

    # --- syncs ---

    def _state(self) -> object:
        return sorted(sync_state.load(self.ws.conn, self.sink.target).items())

    def _sync(self, **flags: bool) -> Any:
        report = run(self.ws, self.sink, now=self._tick(), **flags)
        for line in report.actions:  # what the examples reached, in the statistics
            event(line.split(" ", 1)[0])
        return report

    @rule()
    def sync(self) -> None:
        before = (self.cal.snapshot(), self._state())
        if self.calendar_deleted:
            try:
                self._sync()
            except CalendarMissing:
                assert (self.cal.snapshot(), self._state()) == before
                return
            raise AssertionError("a deleted calendar came back without --force")
        try:
            report = self._sync()
        except MassDeleteRefused:
            assert (self.cal.snapshot(), self._state()) == before
            return
        assert report.failed == 0, report.errors
        self._check_after_sync()
        writes = self.cal.writes()
        again = self._sync()  # a second sync is a no-op
        assert self.cal.writes() == writes, again.actions
        assert again.conflicts == report.conflicts

    @rule()
    def sync_more(self) -> None:
        self.sync()

    @rule()
    def dry_run(self) -> None:
        before = (self.cal.snapshot(), self._state())
        with contextlib.suppress(CalendarMissing, MassDeleteRefused):
            self._sync(dry_run=True)
        assert (self.cal.snapshot(), self._state()) == before

    @rule()
    def forced_sync(self) -> None:
        if self.calendar_deleted:
            # What `sync --force` does for a deleted calendar: start afresh in a new one.
            sync_state.forget_target(self.ws.conn, self.sink.target)
            self.cal.recreate()
            self.calendar_deleted = False
        report = self._sync(force=True)
        assert report.failed == 0 and report.conflicts == 0, report.errors
        # Every managed field is ours now; what the user added besides stays theirs.
        self.user_values = {
            uid: {"location": mine["location"]}
            for uid, mine in self.user_values.items()
            if "location" in mine and self.cal.by_uid(uid) is not None
        }
        self.user_deleted.clear()
        self._check_after_sync(forced=True)

    @precondition(lambda self: not self.calendar_deleted)
    @rule(k=st.integers(1, 8))
    def killed_sync(self, k: int) -> None:
        with self.cal.killed_after(k), contextlib.suppress(MassDeleteRefused, *self.cal.deaths):
            self._sync()
        self._note_deleted_by_design()

    def _note_deleted_by_design(self) -> None:
        """A step no longer needed that the user only moved or retitled is deleted, as
        the report says, also by a run that died later: their edit went with it."""
        for stored in event_rows.load(self.ws.conn):
            mine = self.user_values.get(stored.uid, {})
            if (
                self.cal.by_uid(stored.uid) is None
                and stored.status is EventStatus.CANCELLED
                and "description" not in mine
                and "location" not in mine
            ):
                self.user_values.pop(stored.uid, None)

    @precondition(lambda self: not self.calendar_deleted)
    @rule()
    def sync_with_a_dropped_answer(self) -> None:
        try:
            with self.cal.dropping_an_answer():
                report = self._sync()
        except MassDeleteRefused:
            return
        if not self.cal.retries:
            # The write went through but the run stopped at the lost answer: the next
            # sync must find that write ours and finish the job.
            self.sync()
            return
        assert report.failed == 0, report.errors
        self._check_after_sync()

    # --- the invariants ---

    @invariant()
    def one_item_per_uid(self) -> None:
        uids = [i.uid for i in self.cal.items()]
        assert len(uids) == len(set(uids)), uids

    @invariant()
    def own_events_untouched(self) -> None:
        if self.own_events is not None:
            assert self._own() == self.own_events

    def _check_after_sync(self, forced: bool = False) -> None:
        events = {e.uid: e for e in event_rows.load(self.ws.conn)}
        for uid in self.user_deleted:
            assert self.cal.by_uid(uid) is None, f"{uid}: the user's deletion was undone"
        for uid, stored in events.items():
            item = self.cal.by_uid(uid)
            wanted = stored.status is not EventStatus.CANCELLED
            mine = self.user_values.get(uid, {})
            if item is None:
                if wanted:
                    assert uid in self.user_deleted or not forced, f"{uid} is missing"
                    assert uid in self.user_deleted or self._was_gone(uid), f"{uid} is missing"
                else:
                    assert "description" not in mine and "location" not in mine, (
                        f"{uid}: text the user wrote was deleted"
                    )
                    self.user_values.pop(uid, None)  # only moved or retitled: deleted, said so
                continue
            want = fields_of(stored)
            if not wanted:
                assert not forced, f"{uid}: forced, yet still there"
                assert "description" in mine or "location" in mine, (
                    f"{uid}: cancelled, nothing of the user's in it, yet still there"
                )
                assert item.status == "CANCELLED"
                assert item.summary.startswith("Cancelled: ") or "title" in mine
                assert item.alarm is None
            if "title" in mine:
                assert item.summary.removeprefix("Cancelled: ") == mine["title"]
            elif wanted:
                assert item.summary == want.title
            if "description" in mine:
                assert item.description == mine["description"]
            elif wanted:
                assert item.description == want.description
            if "location" in mine:
                assert item.extra.get("LOCATION") == mine["location"]
            if "time" in mine:
                assert item.start == mine["time"], f"{uid}: the user's move was undone"
            elif wanted:
                assert item.fields().same(want, "time")
            if wanted:
                assert item.alarm == want.alarm
                assert item.status == "CONFIRMED"

    def _was_gone(self, uid: str) -> bool:
        record = sync_state.load(self.ws.conn, self.sink.target).get(uid)
        return record is not None and record.state.value == "gone"


class MemoryMachine(SyncMachine):
    def open_calendar(self) -> MachineCalendar:
        return MemoryCalendar()


class BatchingMemoryMachine(SyncMachine):
    """The memory calendar taking its writes three to a request, as Google takes 50."""

    def open_calendar(self) -> MachineCalendar:
        return MemoryCalendar(batch_limit=3)
