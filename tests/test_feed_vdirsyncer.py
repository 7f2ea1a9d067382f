"""An independent client subscribes: vdirsyncer's `http` storage syncs the feed to files.

vdirsyncer replaces UIDs by content hashes and deletes local items that leave the
feed, so events are compared by SUMMARY and DTSTART with `followup plan --all --json`.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, parse_start
from icalendar import Calendar
from test_feed import followup_ok, serving

VDIRSYNCER = Path(sys.executable).parent / "vdirsyncer"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not VDIRSYNCER.exists(), reason="vdirsyncer is not installed"),
]

Pair = tuple[str, str]


def _when(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat()


def _config(tmp: Path, url: str) -> Path:
    local = tmp / "calendar"
    local.mkdir()  # an existing folder: discover has nothing to ask
    path = tmp / "vdirsyncer.conf"
    path.write_text(
        f"""[general]
status_path = "{tmp / "status"}/"

[pair feed]
a = "feed_remote"
b = "feed_local"
collections = null
conflict_resolution = "a wins"

[storage feed_remote]
type = "http"
url = "{url}"

[storage feed_local]
type = "filesystem"
path = "{local}/"
fileext = ".ics"
""",
        encoding="utf-8",
    )
    return path


def _vdirsyncer(config: Path, *args: str) -> None:
    result = subprocess.run(
        [str(VDIRSYNCER), "-c", str(config), *args],
        input="y\n",  # should it ask anything anyway
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


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
        config = _config(tmp_path, server.url)
        followup_ok(home, "status", "1", "rejected")
        _vdirsyncer(config, "discover")
        _vdirsyncer(config, "sync")
        everything = populated.plan(all_=True)
        assert any(e["status"] == "cancelled" for e in everything)
        synced = _synced(tmp_path / "calendar")
        # Within the grace period the feed holds every event, cancelled ones included.
        assert synced == _planned(everything)
        assert len(list((tmp_path / "calendar").glob("*.ics"))) == len(everything)

        # Once cancelled events leave the feed, the subscriber deletes them too.
        followup_ok(home, "config", "set", "feed_cancelled_days", "0")
        _vdirsyncer(config, "sync")
        live = [e for e in populated.plan(all_=True) if e["status"] != "cancelled"]
        assert _synced(tmp_path / "calendar") == _planned(live)
        assert len(live) < len(everything)
