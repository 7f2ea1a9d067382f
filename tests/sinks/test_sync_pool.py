"""CalDAV writes over several connections, against Radicale through the fault proxy:
one refused item stops nothing else, "slow down" slows the pool, and the progress
line shows on a terminal only."""

from __future__ import annotations

import itertools
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.caldav_harness import CalDAVHarness, sync_args
from support.cli_helpers import ok, run
from support.fault_proxy import FaultProxy
from support.radicale_server import PASSWORD, Radicale
from support.sink_contract import assert_server_matches_plan, plan_now
from support.terminal import FOLLOWUP, run_on_a_terminal

pytestmark = pytest.mark.slow
_names = itertools.count()


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    server = Radicale(tmp_path_factory.mktemp("radicale")).start()
    yield server
    server.stop()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FOLLOWUP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("FOLLOWUP_CALDAV_PASSWORD", PASSWORD)
    return tmp_path / "home"


def log_many(count: int) -> None:
    for number in range(count):
        ok("log", "--company", f"Firm {number}", "--at", f"2030-05-{number % 27 + 1:02d} 10:00",
           "--tz", "UTC")  # fmt: skip


def synced(proxy: FaultProxy, harness: CalDAVHarness, interviews: int) -> None:
    """``interviews`` logged and synced twice: the second run stores the sync token."""
    log_many(interviews)
    for _ in range(2):
        assert run(*sync_args(proxy.url, harness.calendar)).code == 0


@pytest.fixture
def proxied(radicale: Radicale, home: Path) -> Iterator[tuple[FaultProxy, CalDAVHarness]]:
    proxy = FaultProxy(radicale.port).start()
    try:
        yield proxy, CalDAVHarness(radicale, f"Pool {next(_names)}")
    finally:
        proxy.stop()


def test_one_refused_item_stops_nothing_else(proxied: tuple[FaultProxy, CalDAVHarness]) -> None:
    proxy, harness = proxied
    log_many(8)
    refused_uid = next(iter(plan_now()))
    proxy.refuse = {refused_uid.split("@")[0]: 500}
    result = run(*sync_args(proxy.url, harness.calendar))
    report = result.json()
    assert result.code == 1 and "Traceback" not in result.err
    assert report["failed"] == 1 and report["created"] == len(plan_now()) - 1
    assert proxy.peak > 1  # the writes really went out side by side
    assert set(harness.events()) == set(plan_now()) - {refused_uid}
    proxy.refuse = {}
    assert run(*sync_args(proxy.url, harness.calendar)).json()["created"] == 1
    assert_server_matches_plan(harness)


def test_a_refused_deletion_is_done_by_the_next_sync(
    proxied: tuple[FaultProxy, CalDAVHarness],
) -> None:
    """The marker moved past our own writes, so the calendar looks unchanged: the
    deletion the server refused must still count as work left here."""
    proxy, harness = proxied
    synced(proxy, harness, 3)
    ok("status", "1", "heard")  # deletions only: nothing new to create
    steps = [uid for uid, e in plan_now(True).items() if e["status"] == "cancelled"]
    proxy.refuse = {uid.split("@")[0]: 500 for uid in steps}
    result = run(*sync_args(proxy.url, harness.calendar))
    assert result.code == 1 and result.json()["failed"] == len(steps) > 0
    proxy.refuse = {}
    assert run(*sync_args(proxy.url, harness.calendar)).json()["deleted"] == len(steps)
    assert_server_matches_plan(harness)


def test_a_forbidden_deletion_names_the_calendar_not_the_password(
    proxied: tuple[FaultProxy, CalDAVHarness],
) -> None:
    proxy, harness = proxied
    synced(proxy, harness, 2)
    ok("status", "1", "heard")
    proxy.once = ("DELETE", 403)
    result = run(*sync_args(proxy.url, harness.calendar))
    assert result.code == 1 and "Traceback" not in result.err
    [error] = result.json()["errors"]
    assert "forbade it" in error and "read-only" in error and "password" not in error
    assert run(*sync_args(proxy.url, harness.calendar)).json()["deleted"] == 1
    assert_server_matches_plan(harness)


def test_the_report_reads_soonest_first_and_names_what_was_not_tried(
    proxied: tuple[FaultProxy, CalDAVHarness],
) -> None:
    proxy, harness = proxied
    log_many(6)
    first = run(*sync_args(proxy.url, harness.calendar))
    days = [re.search(r", \w{3} (\d{4}-\d\d-\d\d)", line) for line in first.json()["actions"]]
    assert all(days) and [d[1] for d in days if d] == sorted(d[1] for d in days if d)
    ok("status", "1", "withdrawn")
    ok("status", "2", "withdrawn")
    proxy.fail("reset", after=3)  # the server goes away after the marker, listing and a write
    result = run(
        *sync_args(
            proxy.url,
            harness.calendar,
        ),
        "--connections",
        "1",
    )
    report = result.json()
    assert result.code == 1
    assert any("were not tried; the next sync does them" in e for e in report["errors"])
    proxy.heal()
    assert run(*sync_args(proxy.url, harness.calendar)).code == 0
    assert_server_matches_plan(harness)


def test_retry_after_slows_the_pool_instead_of_failing(
    proxied: tuple[FaultProxy, CalDAVHarness],
) -> None:
    proxy, harness = proxied
    log_many(6)
    proxy.once, proxy.once_headers = ("PUT", 503), {"Retry-After": "1"}
    result = run(*sync_args(proxy.url, harness.calendar))
    assert result.code == 0, result.err
    assert result.json()["created"] == len(plan_now()) and result.json()["failed"] == 0
    times = [at for at, _ in proxy.writes]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert max(gaps) >= 0.9  # the pool waited out the Retry-After
    assert_server_matches_plan(harness)


def _sync_in_a_terminal(args: list[str]) -> str:
    """Run the real `followup` with stderr on a pseudo-terminal; what it drew there."""
    result = run_on_a_terminal(*args)
    assert result.code in (0, 3)
    return result.drawn


def test_progress_on_a_terminal_only(proxied: tuple[FaultProxy, CalDAVHarness]) -> None:
    proxy, harness = proxied
    log_many(10)
    proxy.delay = 0.12  # a slow server: the sync takes a few seconds
    args = sync_args(proxy.url, harness.calendar)[:-1]  # without --json
    drawn = _sync_in_a_terminal([*args, "--connections", "2"])
    total = len(plan_now())
    assert "Syncing" in drawn and f"/{total}" in drawn and "/s" in drawn
    proxy.delay = 0.3  # fewer writes now: still more than a second
    ok("status", "1", "rejected")
    piped = subprocess.run(
        [str(FOLLOWUP), *args, "--connections", "1"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert piped.returncode == 0 and piped.stderr == ""
    ok("status", "2", "rejected")
    drawn_json = _sync_in_a_terminal([*args, "--connections", "1", "--json"])
    assert "Syncing" not in drawn_json
