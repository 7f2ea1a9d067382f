"""The clients people use read our calendars at the times we mean: ical.js (Thunderbird,
the Nextcloud calendar), vobject, and khal subscribed to the feed through vdirsyncer.

The calendar spans three years and several zones, with events on both sides of every
change (and in the hour right after a spring change, which a VTIMEZONE whose DTSTART
is written in the time after the change gets wrong). Every event's start and end must
be the instants of `followup plan --all --json`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import Cli
from support.client_readers import (
    icaljs,
    khal_config,
    khal_list,
    log_interviews,
    planned,
    vobject_reads,
)
from support.feed_server import serving
from support.vdirsyncer import run_vdirsyncer, subscription_config


@pytest.fixture
def spread(cli: Cli, tmp_path: Path) -> tuple[bytes, list[dict[str, Any]]]:
    """The export of the multi-year calendar, and its plan."""
    log_interviews(cli)
    target = tmp_path / "spread.ics"
    cli.ok("export", "-o", target)
    events = cli.plan(all_=True)
    assert len(events) >= 16 * 5
    years = {e["start"][:4] for e in events}
    assert years >= {"2027", "2028", "2029"}
    return target.read_bytes(), events


@pytest.mark.slow
def test_icaljs_reads_the_export_at_the_planned_instants(
    spread: tuple[bytes, list[dict[str, Any]]], tmp_path: Path
) -> None:
    data, events = spread
    path = tmp_path / "read.ics"
    path.write_bytes(data)
    seen, zones = icaljs(path)
    assert seen == planned(events)
    for event in events:  # the VTIMEZONE was found, not the time read as floating
        assert zones[event["uid"]] == (None if event["all_day"] else event["tz"])


def test_vobject_reads_the_export_at_the_planned_instants(
    spread: tuple[bytes, list[dict[str, Any]]],
) -> None:
    data, events = spread
    assert vobject_reads(data) == planned(events)


@pytest.mark.slow
def test_icaljs_and_vobject_read_the_feed_at_the_planned_instants(cli: Cli, tmp_path: Path) -> None:
    log_interviews(cli)
    events = cli.plan(all_=True)
    with serving(cli.home) as server:
        reply = server.get()
    assert reply.status == 200
    path = tmp_path / "feed.ics"
    path.write_bytes(reply.body)
    seen, _ = icaljs(path)
    assert seen == planned(events)
    assert vobject_reads(reply.body) == planned(events)


def _local(value: str, zone: ZoneInfo) -> str:
    """A timed plan start or end as khal prints it in ``zone``."""
    return f"{datetime.fromisoformat(value).astimezone(zone):%Y-%m-%d %H:%M}"


def _day_before(value: str) -> str:
    return (date.fromisoformat(value) - timedelta(days=1)).isoformat()


@pytest.mark.slow
def test_khal_subscribed_through_vdirsyncer_shows_the_planned_local_times(
    cli: Cli, tmp_path: Path
) -> None:
    log_interviews(cli)
    events = cli.plan(all_=True)
    with serving(cli.home) as server:
        config = subscription_config(tmp_path, server.url)
        run_vdirsyncer(config, "discover")
        run_vdirsyncer(config, "sync")
    folder = tmp_path / "calendar"
    assert len(list(folder.glob("*.ics"))) == len(events)
    # vdirsyncer's http storage replaces UIDs: compare by SUMMARY, start and end.
    for name in ("America/New_York", "Asia/Tokyo"):
        zone = ZoneInfo(name)
        shown = khal_list(khal_config(tmp_path, folder, name), date(2026, 12, 1), date(2030, 1, 1))
        expected = {
            (e["summary"], _local(e["start"], zone), _local(e["end"], zone))
            if not e["all_day"]
            # khal shows an all-day event's last day, not the exclusive end
            else (e["summary"], e["start"], _day_before(e["end"]))
            for e in events
        }
        assert shown == expected, name
