"""The sync's three-way merge, one row per case: pure, no server."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from interview_followup.model import Event, EventStatus, Kind, RecordState
from interview_followup.model import SyncRecord as Record
from interview_followup.sinks.base import RemoteItem
from interview_followup.sinks.content import (
    ALARM,
    ALL,
    DESCRIPTION,
    STATUS,
    TIME,
    TITLE,
    Fields,
    RemoteContent,
    fields_of,
)
from interview_followup.sync.actions import (
    UNSETTLED,
    Action,
    Op,
    RestoredDatabase,
    check_restored,
    decide,
    has_local_changes,
)

NY = ZoneInfo("America/New_York")
UID = "abc@interview-followup"
START = datetime(2030, 3, 4, 10, tzinfo=NY)
MOVED = START + timedelta(days=2)


def event(
    *,
    title: str = "Follow up with Northwind",
    description: str = "Write a short note.",
    start: datetime = START,
    status: EventStatus = EventStatus.SCHEDULED,
    alarm: int | None = 15,
    sequence: int = 1,
) -> Event:
    stamp = datetime(2030, 1, 1, tzinfo=UTC)
    return Event(
        UID, 1, Kind.FOLLOW_UP, "", 0, title, description, start, start + timedelta(minutes=15),
        "America/New_York", status, (), alarm, f"hash-{title}-{start}-{status}-{alarm}-{description}",
        sequence, stamp, stamp,
    )  # fmt: skip


BASE = event()


def record(base: Fields | None = None, *, etag: str = '"1"', pushed: Event = BASE) -> Record:
    fields = base or fields_of(pushed)
    return Record(
        UID, "abc.ics", etag, pushed.hash, pushed.sequence, RecordState.PRESENT, 0,
        json.dumps(fields.to_json()),
    )  # fmt: skip


def copy(
    fields: Fields,
    *,
    stamped: Fields | None = None,
    sequence: int = 1,
    own_text: bool = False,
    etag: str = '"2"',
) -> RemoteContent:
    """A server copy; ``stamped`` is the base our last write there carried."""
    mark = (stamped or fields_of(BASE)).stamp(sequence)
    return RemoteContent("abc.ics", etag, fields, mark, own_text)


def plan(
    want: Event, rec: Record | None, server: RemoteContent | None, *, force: bool = False
) -> Action | None:
    remote = {UID: RemoteItem(server.remote_id, server.etag)} if server else {}
    contents = {UID: server} if server else {}
    actions, _ = decide([want], {UID: rec} if rec else {}, remote, contents, force=force)
    return actions[0] if actions else None


OURS = fields_of(BASE)
THEIR_TITLE = OURS._replace(title="My own title")


def test_user_changed_a_field_we_nothing_keeps_theirs_and_remembers_it() -> None:
    action = plan(BASE, record(), copy(THEIR_TITLE))
    assert action is not None and action.op is Op.ADOPT and action.write is None
    assert action.base == OURS  # the title stays theirs: our side of it is unchanged
    # Later, a change of ours to another field is pushed, theirs kept ...
    later = plan(event(start=MOVED), record(action.base, etag='"2"'), copy(THEIR_TITLE))
    assert later is not None and later.op is Op.MERGE and later.write is not None
    assert later.write.names == {TIME}
    assert later.write.result.title == "My own title" and later.write.result.start == MOVED
    # ... and a change of ours to that very field is a conflict.
    retitled = plan(event(title="New title"), record(action.base, etag='"2"'), copy(THEIR_TITLE))
    assert retitled is not None and retitled.op is Op.CONFLICT


def test_user_changed_a_our_b_merges_in_one_write() -> None:
    action = plan(event(start=MOVED), record(), copy(THEIR_TITLE))
    assert action is not None and action.op is Op.MERGE
    assert action.write is not None and action.write.names == {TIME}
    assert action.write.result == THEIR_TITLE._replace(
        start=MOVED, end=fields_of(event(start=MOVED)).end
    )
    assert (
        action.base is not None and action.base.start == MOVED and action.base.title == OURS.title
    )


def test_both_changed_the_same_field_is_a_conflict_that_pushes_the_rest() -> None:
    want = event(title="New title", start=MOVED)
    action = plan(want, record(), copy(THEIR_TITLE))
    assert action is not None and action.op is Op.CONFLICT
    assert action.write is not None and action.write.names == {TIME}
    assert action.write.result.title == "My own title"
    assert action.base is not None and action.base.title == OURS.title  # still unsettled
    forced = plan(want, record(), copy(THEIR_TITLE), force=True)
    assert forced is not None and forced.op is Op.UPDATE and forced.write is not None
    assert forced.write.result == fields_of(want)
    assert "forced over your edits" in forced.reason


def test_force_names_only_edits_there_were() -> None:
    moved = plan(event(start=MOVED), record(), copy(OURS), force=True)
    assert moved is not None and moved.write is not None and "forced" not in moved.reason
    assert moved.write.result == fields_of(event(start=MOVED))
    gone = plan(CANCELLED, record(), copy(OURS), force=True)
    assert gone is not None and gone.op is Op.DELETE and "forced" not in gone.reason
    edited = plan(CANCELLED, record(), copy(THEIR_TITLE), force=True)
    assert edited is not None and "forced, whatever you changed" in edited.reason


def test_a_conflict_stays_until_settled() -> None:
    assert has_local_changes([BASE], {UID: record()._replace(pushed_hash=UNSETTLED)})


def test_both_made_the_same_change_is_no_conflict() -> None:
    want = event(title="My own title")
    action = plan(want, record(), copy(THEIR_TITLE))
    assert action is not None and action.op is Op.CLAIM and action.base == fields_of(want)


CANCELLED = event(status=EventStatus.CANCELLED, alarm=None)


@pytest.mark.parametrize(
    ("server", "own_text", "op", "says"),
    [
        (OURS._replace(start=MOVED), False, Op.DELETE, "carried your edits"),
        (THEIR_TITLE, False, Op.DELETE, "carried your edits"),
        (OURS._replace(description="Call Jane first"), False, Op.KEEP, "you wrote in it"),
        (OURS, True, Op.KEEP, "you wrote in it"),
        (OURS, False, Op.DELETE, ""),
    ],
)
def test_cancelled_step_the_user_touched(server: Fields, own_text: bool, op: Op, says: str) -> None:
    action = plan(CANCELLED, record(), copy(server, own_text=own_text))
    assert action is not None and action.op is op and says in action.reason
    if op is Op.KEEP:
        assert action.write is not None and action.write.names == {TITLE, STATUS, ALARM}
        kept = action.write.result
        assert kept.title.startswith("Cancelled: ") and kept.cancelled and kept.alarm is None
        assert kept.description == server.description and kept.start == server.start
    forced = plan(CANCELLED, record(), copy(server, own_text=own_text), force=True)
    assert forced is not None and forced.op is Op.DELETE


def test_a_copy_kept_as_cancelled_is_left_alone() -> None:
    marked = OURS._replace(title="Cancelled: x", cancelled=True, alarm=None)
    rec = record(marked, pushed=CANCELLED)
    assert plan(CANCELLED, rec, copy(marked, stamped=marked, etag='"1"')) is None


@pytest.mark.parametrize(
    "want",
    [BASE, event(start=MOVED), CANCELLED],
    ids=["unchanged", "changed", "cancelled"],
)
def test_user_deleted_it_stays_deleted(want: Event) -> None:
    action = plan(want, record(), None)
    assert action is not None and action.op is Op.GONE
    gone = record()._replace(state=RecordState.GONE, etag=None)
    reopened = plan(event(start=MOVED), gone, None)
    assert reopened is not None and reopened.op is Op.SKIP
    forced = plan(event(start=MOVED), gone, None, force=True)
    assert forced is not None and forced.op is Op.CREATE


def test_lost_answer_the_copy_is_what_we_pushed() -> None:
    want = event(start=MOVED, sequence=2)
    pushed = fields_of(want)
    action = plan(want, record(), copy(pushed, stamped=pushed, sequence=2))
    assert action is not None and action.op is Op.CLAIM and action.write is None


def test_lost_answer_then_another_change_of_ours_is_no_conflict() -> None:
    lost = fields_of(event(start=MOVED, sequence=2))
    want = event(start=MOVED + timedelta(days=1), title="Retitled", sequence=3)
    action = plan(want, record(), copy(lost, stamped=lost, sequence=2))
    assert action is not None and action.op is Op.UPDATE
    assert action.write is not None and action.write.result == fields_of(want)


def test_lost_answer_of_a_merge_keeps_the_user_field_theirs() -> None:
    merged_base = OURS._replace(start=MOVED, end=fields_of(event(start=MOVED)).end)
    on_server = THEIR_TITLE.taking(merged_base, frozenset({TIME}))
    action = plan(
        event(start=MOVED, title="Ours again"), record(), copy(on_server, stamped=merged_base)
    )
    assert action is not None and action.op is Op.CONFLICT  # the title was theirs all along


@pytest.mark.parametrize(
    ("server", "op"),
    [(OURS, Op.CLAIM), (fields_of(event(title="Old")), Op.UPDATE), (THEIR_TITLE, Op.ADOPT)],
    ids=["ours exactly", "an older push of ours", "edited by the user"],
)
def test_unrecorded_copy_is_taken_over_only_as_far_as_it_is_ours(server: Fields, op: Op) -> None:
    stamped = server if op is not Op.ADOPT else OURS
    action = plan(BASE, None, copy(server, stamped=stamped))
    assert action is not None and action.op is op
    if op is Op.ADOPT:
        assert action.write is None


def test_unrecorded_copy_without_our_mark_is_the_users() -> None:
    imported = RemoteContent("x.ics", '"9"', THEIR_TITLE, None, False)
    action = plan(BASE, None, imported)
    assert action is not None and action.op is Op.ADOPT


def test_restored_database_stops_before_writing() -> None:
    newer = fields_of(event(start=MOVED, sequence=5))
    contents = {UID: copy(newer, stamped=newer, sequence=5)}
    with pytest.raises(RestoredDatabase, match="--force"):
        check_restored([BASE], contents, force=False)
    check_restored([BASE], contents, force=True)
    check_restored([event(sequence=5)], contents, force=False)


def test_create_update_delete_and_nothing() -> None:
    created = plan(BASE, None, None)
    assert created is not None and created.op is Op.CREATE
    pushed = plan(event(start=MOVED), record(), copy(OURS, etag='"1"'))
    assert pushed is not None and pushed.op is Op.UPDATE and pushed.write is not None
    assert pushed.write.names == {TIME}
    deleted = plan(CANCELLED, record(), copy(OURS, etag='"1"'))
    assert deleted is not None and deleted.op is Op.DELETE
    ours_deleted = record()._replace(state=RecordState.DELETED, etag=None)
    assert plan(CANCELLED, ours_deleted, None) is None
    leftover = plan(CANCELLED, None, copy(OURS))
    assert leftover is not None and leftover.op is Op.DELETE
    assert plan(BASE, record(), copy(OURS, etag='"1"')) is None
    assert not has_local_changes([BASE], {UID: record()})


def test_every_op_is_covered() -> None:
    """One smallest case per Op, so a new Op cannot go untested."""
    gone = record()._replace(state=RecordState.GONE, etag=None)
    cases = {
        Op.CREATE: plan(BASE, None, None),
        Op.UPDATE: plan(event(start=MOVED), record(), copy(OURS, etag='"1"')),
        Op.MERGE: plan(event(start=MOVED), record(), copy(THEIR_TITLE)),
        Op.CLAIM: plan(BASE, None, copy(OURS)),
        Op.ADOPT: plan(BASE, record(), copy(THEIR_TITLE)),
        Op.KEEP: plan(CANCELLED, record(), copy(OURS, own_text=True)),
        Op.DELETE: plan(CANCELLED, record(), copy(OURS, etag='"1"')),
        Op.GONE: plan(BASE, record(), None),
        Op.CONFLICT: plan(event(title="New"), record(), copy(THEIR_TITLE)),
        Op.SKIP: plan(BASE, gone, None),
    }
    assert set(cases) == set(Op)
    for op, action in cases.items():
        assert action is not None and action.op is op, op
    assert {TIME, TITLE, DESCRIPTION, STATUS, ALARM} == ALL
