"""An independent client subscribes: vdirsyncer's `http` storage syncs the feed to files.

vdirsyncer replaces UIDs by content hashes and deletes local items that leave the
feed, so events are compared by SUMMARY and DTSTART with `followup plan --all --json`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, parse_start
from icalendar import Calendar
from support.feed_server import followup_ok, serving
from support.vdirsyncer import run_vdirsyncer, subscription_config

pytestmark = pytest.mark.slow

Pair = tuple[str, str]


def _when(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat()


def _synced(folder: Path) -> set[Pair]:
    pairs: set[Pair] = set()
    for path in folder.glob("*.ics"):
        for event in Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            pairs.add((str(event["SUMMARY"]), _when(event.start)))
    return pairs


def _planned(events: list[dict[str, Any]]) -> set[Pair]:
    return {(e["summary"], _when(parse_start(e["start"]))) for e in events}


def test_vdirsyncer_subscribes_and_follows_changes(populated: Cli, tmp_path: Path) -> None:
    home = populated.home
    with serving(home) as server:
        config = subscription_config(tmp_path, server.url)
        followup_ok(home, "status", "1", "rejected")
        run_vdirsyncer(config, "discover")
        run_vdirsyncer(config, "sync")
        everything = populated.plan(all_=True)
        assert any(e["status"] == "cancelled" for e in everything)
        synced = _synced(tmp_path / "calendar")
        # Within the grace period the feed holds every event, cancelled ones included.
        assert synced == _planned(everything)
        assert len(list((tmp_path / "calendar").glob("*.ics"))) == len(everything)

        # Once cancelled events leave the feed, the subscriber deletes them too.
        followup_ok(home, "config", "set", "feed_cancelled_days", "0")
        run_vdirsyncer(config, "sync")
        live = [e for e in populated.plan(all_=True) if e["status"] != "cancelled"]
        assert _synced(tmp_path / "calendar") == _planned(live)
        assert len(live) < len(everything)
