"""A sync killed with SIGKILL at many different points always converges on the next run.

The sync runs as a real process through a proxy that, after forwarding the k-th
request (so the server applied it), kills the process before it reads the answer.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.caldav_harness import CalDAVHarness, sync_args
from support.cli_helpers import ok
from support.env import clear_env
from support.fakes.google_calendar import FakeGoogleCalendar
from support.fault_proxy import FaultProxy
from support.google_harness import GoogleHarness
from support.radicale_server import PASSWORD, Radicale
from support.sink_contract import assert_server_matches_plan, log_interviews, plan_now

# The kinds of change between runs, so each killed run has real work to do.
CHANGES = [
    ("1", "withdrawn"),
    ("1", "waiting"),
    ("2", "rejected"),
    ("2", "waiting"),
    ("3", "heard"),
    ("3", "waiting"),
]


def _killed_sync(args: list[str], proxy: FaultProxy, after: int, env: dict[str, str]) -> int:
    proxy.fail("kill", after)
    process = subprocess.Popen(
        [sys.executable, "-m", "interview_followup", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    proxy.victim = process.pid
    code = process.wait(timeout=60)
    proxy.heal()
    return code


def _crash_loop(
    harness: object, sync_args: list[str], proxy: FaultProxy, runs: int, spread: int
) -> None:
    env = dict(os.environ)
    log_interviews()
    ok("log", "--company", "Third", "--at", "2030-04-01 09:00", "--tz", "UTC")
    killed = 0
    for run_number in range(runs):
        interview, status = CHANGES[run_number % len(CHANGES)]
        ok("status", interview, status)
        after = 1 + (run_number * 3) % spread  # kill points spread over the run
        if _killed_sync(sync_args, proxy, after, env) == -9:
            killed += 1
        report = harness.sync()  # type: ignore[attr-defined]
        assert report["failed"] == 0
        # Our own lost answers are recognised as ours: nothing is blamed on the user.
        assert report["conflicts"] == report["adopted"] == report["merged"] == 0, report
        assert_server_matches_plan(harness)  # type: ignore[arg-type]
        assert len(harness.events()) == len(plan_now())  # type: ignore[attr-defined]
        assert harness.sync()["updated"] == 0  # type: ignore[attr-defined]
    assert killed >= runs // 2  # most runs really were killed mid-way


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    clear_env(monkeypatch, tmp_path / "home")
    monkeypatch.setenv("FOLLOWUP_CALDAV_PASSWORD", PASSWORD)
    monkeypatch.setenv("FOLLOWUP_GOOGLE_RETRY_SECONDS", "0.01")
    return tmp_path / "home"


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[Radicale]:
    folder = tmp_path / "radicale"
    folder.mkdir()
    server = Radicale(folder).start()
    yield server
    server.stop()


def test_caldav_sync_killed_anywhere_converges(home: Path, radicale: Radicale) -> None:
    proxy = FaultProxy(radicale.port).start()
    try:
        # The same address as the killed runs: one calendar, one sync state.
        harness = CalDAVHarness(radicale, "Crash test", proxy.url)
        args = sync_args(proxy.url, "Crash test")[:-1]  # no --json: the process is killed
        _crash_loop(harness, args, proxy, runs=20, spread=11)
    finally:
        proxy.stop()


def test_google_sync_killed_anywhere_converges(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeGoogleCalendar() as fake:
        proxy = FaultProxy(fake.port).start()
        try:
            monkeypatch.setenv("FOLLOWUP_GOOGLE_API_ENDPOINT", proxy.url)
            harness = GoogleHarness(fake)
            # Google needs fewer requests: creations travel in batches.
            _crash_loop(harness, ["sync", "google"], proxy, runs=20, spread=4)
        finally:
            proxy.stop()
