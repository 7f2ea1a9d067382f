"""The live feed after `delete`, `move` and `undo`, fetched from a real `followup serve`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from conftest import Cli
from support.feed_server import Served, followup_ok, serving


@pytest.fixture
def server(populated: Cli) -> Iterator[Served]:
    with serving(populated.home) as served:
        yield served


def events(server: Served) -> dict[str, Any]:
    return {str(e["UID"]): e for e in server.get().calendar().walk("VEVENT")}


def test_a_deleted_interview_shows_cancelled_then_leaves_and_undo_brings_it_back(
    server: Served, populated: Cli
) -> None:
    first = {e["uid"]: e for e in populated.plan(1)}
    before = events(server)
    followup_ok(populated.home, "delete", "1", "--yes")
    deleted = events(server)
    for uid in first:
        assert str(deleted[uid]["STATUS"]) == "CANCELLED"
        assert int(deleted[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    followup_ok(populated.home, "config", "set", "feed_cancelled_days", "0")
    assert not set(first) & set(events(server))

    followup_ok(populated.home, "undo")
    back = events(server)
    for uid in first:
        assert str(back[uid]["STATUS"]) == "CONFIRMED"
        assert int(back[uid]["SEQUENCE"]) > int(deleted[uid]["SEQUENCE"])


def test_a_moved_step_keeps_its_uid_in_the_feed(server: Served, populated: Cli) -> None:
    follow_up = next(e for e in populated.plan(1) if e["kind"] == "follow-up")
    before = events(server)[follow_up["uid"]]
    followup_ok(populated.home, "move", "1", "follow-up", "2027-12-02 14:00")
    after = events(server)[follow_up["uid"]]
    assert after["DTSTART"].dt.isoformat() == "2027-12-02T14:00:00-05:00"
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
