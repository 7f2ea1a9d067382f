"""The sync state machine of tests/unit/test_sync_machine.py, for a bounded number of
steps against a real Radicale and the Google fake: the same rules and invariants, the
user acting through a client of their own, the faults played by a proxy on the wire
(Radicale: a run cut off after the k-th request, one PUT whose answer is lost; Google:
the same cut, and one PATCH whose answer is lost, which the client retries)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from support.fakes.google_calendar import FakeGoogleCalendar
from support.fault_proxy import FaultProxy
from support.machine_calendar import MachineCalendar
from support.machine_google import GoogleCalendar
from support.machine_radicale import RadicaleCalendar
from support.radicale_server import Radicale
from support.sync_machine import SyncMachine

pytestmark = pytest.mark.slow

BOUNDED = settings(
    max_examples=int(os.environ.get("FOLLOWUP_SERVER_MACHINE_EXAMPLES", "10")),
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[Radicale]:
    (tmp_path / "radicale").mkdir()
    server = Radicale(tmp_path / "radicale").start()
    yield server
    server.stop()


def test_the_machine_on_radicale(radicale: Radicale) -> None:
    proxy = FaultProxy(radicale.port).start()

    class OnRadicale(SyncMachine):
        def open_calendar(self) -> MachineCalendar:
            return RadicaleCalendar(radicale, proxy)

    try:
        run_state_machine_as_test(OnRadicale, settings=BOUNDED)
    finally:
        proxy.stop()


def test_the_machine_on_the_google_fake(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeGoogleCalendar() as fake:
        proxy = FaultProxy(fake.port).start()
        monkeypatch.setenv("FOLLOWUP_GOOGLE_API_ENDPOINT", proxy.url)
        monkeypatch.setenv("FOLLOWUP_GOOGLE_RETRY_SECONDS", "0")

        class OnGoogle(SyncMachine):
            def open_calendar(self) -> MachineCalendar:
                return GoogleCalendar(fake, proxy)

        try:
            run_state_machine_as_test(OnGoogle, settings=BOUNDED)
        finally:
            proxy.stop()
