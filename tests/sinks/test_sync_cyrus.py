"""The sink contract against Cyrus IMAP's CalDAV (Fastmail's server).

Run by scripts/test_more_servers.sh (FOLLOWUP_EXTERNAL_SERVERS=1); tests/conftest.py
leaves this module out of every other run.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.caldav_harness import CalDAVHarness
from support.cyrus_server import Cyrus
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
def cyrus() -> Iterator[Cyrus]:
    server = Cyrus().start()
    yield server
    server.stop()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return caldav_env(monkeypatch, tmp_path / "home", PASSWORD)


class TestCyrusContract(SinkContract, ForeignEventsContract):
    @pytest.fixture
    def harness(self, cyrus: Cyrus, home: Path) -> CalDAVHarness:
        return CalDAVHarness(cyrus, f"Follow-ups {next(_names)}")  # type: ignore[arg-type]


def test_categories_split_into_lines_are_no_user_edit(cyrus: Cyrus, home: Path) -> None:
    """Cyrus stores CATEGORIES one value a line: reading them back is no change."""
    harness = CalDAVHarness(cyrus, f"Follow-ups {next(_names)}")  # type: ignore[arg-type]
    log_interviews()
    harness.sync()
    raw = next(iter(harness.events().values())).raw.replace("\r\n", "\n")
    assert raw.count("\nCATEGORIES:") == 2, raw
    again = harness.sync()
    assert (again["updated"], again["adopted"], again["conflicts"]) == (0, 0, 0)
    assert_server_matches_plan(harness)


def test_a_uid_in_another_calendar_fails_that_event(cyrus: Cyrus, home: Path) -> None:
    """Cyrus refuses a UID already used in another calendar of the account (403,
    unique-scheduling-object-resource): each such event fails with a line saying so,
    the one whose UID is free is written, and nothing is taken for a login problem."""
    first = CalDAVHarness(cyrus, f"Follow-ups {next(_names)}")  # type: ignore[arg-type]
    log_interviews()
    first.sync()
    free = next(iter(plan_now()))
    first.user_delete(free)
    second = CalDAVHarness(cyrus, f"Follow-ups {next(_names)}")  # type: ignore[arg-type]
    report = second.sync(expect_ok=False)
    assert report["code"] != 0 and "Traceback" not in report["err"]
    assert report["failed"] == len(plan_now()) - 1 and report["created"] == 1, report
    assert "already in another calendar of this account" in report["err"] + str(report)
    assert list(second.events()) == [free]
