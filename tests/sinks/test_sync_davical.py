"""The sink contract against DAViCal (on a private PostgreSQL).

Run by scripts/test_more_servers.sh (FOLLOWUP_EXTERNAL_SERVERS=1); tests/conftest.py
leaves this module out of every other run.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.caldav_harness import CalDAVHarness
from support.cli_helpers import ok
from support.davical_server import DAViCal
from support.env import caldav_env
from support.radicale_server import PASSWORD
from support.sink_contract import (
    ForeignEventsContract,
    SinkContract,
    assert_server_matches_plan,
    log_interviews,
    plan_now,
)

pytestmark = [pytest.mark.external_servers, pytest.mark.slow]
_names = itertools.count()


@pytest.fixture(scope="module")
def davical() -> Iterator[DAViCal]:
    server = DAViCal().start()
    yield server
    server.stop()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return caldav_env(monkeypatch, tmp_path / "home", PASSWORD)


class TestDAViCalContract(SinkContract, ForeignEventsContract):
    @pytest.fixture
    def harness(self, davical: DAViCal, home: Path) -> CalDAVHarness:
        return CalDAVHarness(davical, f"Follow-ups {next(_names)}")  # type: ignore[arg-type]


def test_imported_copies_are_replaced_not_doubled(
    davical: DAViCal, home: Path, tmp_path: Path
) -> None:
    """DAViCal accepts a second item with the same UID: the sync finds the copies by UID
    before creating, and replaces them."""
    from icalendar import Calendar

    harness = CalDAVHarness(davical, f"Follow-ups {next(_names)}")  # type: ignore[arg-type]
    log_interviews()
    exported = tmp_path / "followups.ics"
    ok("export", "-o", str(exported))
    calendar = harness.client.principal().make_calendar(name=harness.calendar, cal_id="imported")
    for n, vevent in enumerate(Calendar.from_ical(exported.read_bytes()).walk("VEVENT")[:3]):
        single = Calendar()
        single.add("prodid", "-//a calendar app//EN")
        single.add("version", "2.0")
        single.add_component(vevent)
        assert harness.client.put(f"{calendar.url}imported-{n}.ics", single.to_ical().decode(), {})
    report = harness.sync()
    assert report["failed"] == report["conflicts"] == 0
    assert len(harness._objects()) == len(plan_now())  # no UID twice
    assert_server_matches_plan(harness)
    assert harness.sync()["created"] == 0
