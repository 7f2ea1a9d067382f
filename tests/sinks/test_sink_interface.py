"""The sink contract, driven directly: every target answers the same calls the same way.

The memory sink runs in every test run; CalDAV on Radicale and on Xandikos, and Google
on the fake, are slow (real servers on loopback).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from support.direct_sinks import caldav_sink, google_sink, make_event
from support.fakes.google_calendar import FakeGoogleCalendar
from support.radicale_server import PASSWORD, USER, Radicale
from support.xandikos_server import Xandikos

from interview_followup.errors import RemoteError
from interview_followup.sinks.base import (
    Change,
    ItemMissing,
    PreconditionFailed,
    RemoteItem,
    Sink,
)
from interview_followup.sinks.content import TIME, Fields, Write, fields_of
from interview_followup.sinks.memory import MemorySink

_names = itertools.count()


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    server = Radicale(tmp_path_factory.mktemp("radicale")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def xandikos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Xandikos]:
    server = Xandikos(tmp_path_factory.mktemp("xandikos")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeGoogleCalendar]:
    with FakeGoogleCalendar() as server:
        yield server


@pytest.fixture(
    params=[
        "memory",
        pytest.param("caldav", marks=pytest.mark.slow),
        pytest.param("xandikos", marks=pytest.mark.slow),
        pytest.param("google", marks=pytest.mark.slow),
    ]
)
def sink(request: pytest.FixtureRequest, tmp_path: Path) -> Sink:
    name = f"Contract {next(_names)}"
    if request.param == "memory":
        return MemorySink(name)
    if request.param in ("caldav", "xandikos"):
        server = request.getfixturevalue("radicale" if request.param == "caldav" else "xandikos")
        return caldav_sink(server.url, USER, PASSWORD, name)
    return google_sink(request.getfixturevalue("fake").base_url, name)


def _made(sink: Sink, *events: object) -> dict[str, RemoteItem]:
    for event in events:
        sink.create(event, sink.remote_id_for(event, 0))  # type: ignore[arg-type]
    return sink.list_items()


def _same(found: Fields, wanted: Fields) -> bool:
    return not found.differing(wanted)


def test_create_list_and_read(sink: Sink) -> None:
    first, second = make_event(), make_event(title='Acme, "Rockets"; Inc. 🚀')
    listed = _made(sink, first, second)
    assert set(listed) == {first.uid, second.uid}
    assert all(item.etag for item in listed.values())
    contents = sink.read_items(listed)
    for event in (first, second):
        copy = contents[event.uid]
        assert _same(copy.fields, fields_of(event)), copy.fields
        assert copy.untouched and copy.sequence == event.sequence and not copy.own_text
        assert copy.etag == listed[event.uid].etag


def test_creating_an_existing_id_is_refused(sink: Sink) -> None:
    event = make_event()
    _made(sink, event)
    with pytest.raises(PreconditionFailed):
        sink.create(event, sink.remote_id_for(event, 0))


def test_update_with_a_stale_etag_is_refused(sink: Sink) -> None:
    event = make_event()
    item = _made(sink, event)[event.uid]
    day = timedelta(days=1)
    moved = event._replace(start=event.start + day, end=event.end + day, sequence=1)
    fresh = sink.update(moved, item)
    assert fresh.etag != item.etag
    with pytest.raises(PreconditionFailed):
        sink.update(moved, item)
    assert _same(sink.read_items({event.uid: fresh})[event.uid].fields, fields_of(moved))


def test_update_sets_only_the_fields_named(sink: Sink) -> None:
    event = make_event()
    item = _made(sink, event)[event.uid]
    copy = sink.read_items({event.uid: item})[event.uid]
    theirs = copy.fields._replace(title="Kept title")
    moved = event._replace(
        start=event.start + timedelta(days=2), end=event.end + timedelta(days=2), sequence=1
    )
    write = Write(fields_of(moved), frozenset({TIME}), copy._replace(fields=theirs))
    # The server copy still has our title: the write must leave it, not set "Kept title".
    done = sink.update(moved, item, write)
    after = sink.read_items({event.uid: done})[event.uid]
    assert after.fields.title == event.summary
    assert after.fields.same(fields_of(moved), TIME)


def test_delete_missing_and_stale(sink: Sink) -> None:
    event = make_event()
    item = _made(sink, event)[event.uid]
    fresh = sink.update(event._replace(summary="Changed", sequence=1), item)
    with pytest.raises(PreconditionFailed):
        sink.delete(item)
    sink.delete(fresh)
    assert event.uid not in sink.list_items()
    with pytest.raises(ItemMissing):
        sink.delete(fresh)
    assert sink.read_items({event.uid: fresh}) == {}


def test_unchanged_since(sink: Sink) -> None:
    event = make_event()
    _made(sink, event)
    _, marker = sink.unchanged_since(None)
    sink.list_items()
    marker = sink.listing_marker() or marker
    same, marker = sink.unchanged_since(marker)
    assert same
    same, marker = sink.unchanged_since(marker)
    assert same
    sink.create(make_event(), sink.remote_id_for(make_event(900), 0))
    assert not sink.unchanged_since(marker)[0]


def test_create_batch(sink: Sink) -> None:
    events = [make_event() for _ in range(3)]
    taken = events[0]
    _made(sink, taken)
    results = sink.create_batch([(e, sink.remote_id_for(e, 0)) for e in events])
    assert isinstance(results[0], RemoteError)
    assert all(isinstance(r, RemoteItem) for r in results[1:])
    assert set(sink.list_items()) == {e.uid for e in events}


def test_change_batch_answers_each_change_on_its_own(sink: Sink) -> None:
    kept, moved, stale, gone, dropped = (make_event() for _ in range(5))
    listed = _made(sink, kept, moved, stale, gone, dropped)
    sink.update(stale._replace(summary="Edited meanwhile", sequence=1), listed[stale.uid])
    sink.delete(listed[gone.uid])
    day = timedelta(days=1)
    later = moved._replace(start=moved.start + day, end=moved.end + day, sequence=1)
    results = sink.change_batch(
        [
            Change(listed[moved.uid], later),
            Change(listed[stale.uid], stale._replace(summary="Ours", sequence=2)),
            Change(listed[gone.uid]),
            Change(listed[dropped.uid]),
        ]
    )
    updated, refused, missing, deleted = results
    assert isinstance(updated, RemoteItem) and updated.etag != listed[moved.uid].etag
    assert isinstance(refused, PreconditionFailed)
    assert isinstance(missing, ItemMissing)
    assert deleted is None
    now = sink.list_items()
    assert set(now) == {kept.uid, moved.uid, stale.uid}
    copies = sink.read_items(now)
    assert _same(copies[moved.uid].fields, fields_of(later))
    assert copies[stale.uid].fields.title == "Edited meanwhile"
