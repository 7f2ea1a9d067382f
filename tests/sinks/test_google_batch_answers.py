"""Batched Google writes whose answers are lost or come in pieces, against the fake
API over real HTTP: every write that went through is recorded and counted as done."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.cli_helpers import ok
from support.env import clear_env
from support.fakes.google_calendar import FakeGoogleCalendar
from support.google_harness import GoogleHarness
from support.sink_contract import assert_server_matches_plan, plan_now

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeGoogleCalendar]:
    with FakeGoogleCalendar() as server:
        yield server


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeGoogleCalendar) -> Path:
    clear_env(monkeypatch, tmp_path / "home")
    monkeypatch.setenv("FOLLOWUP_GOOGLE_API_ENDPOINT", fake.base_url)
    monkeypatch.setenv("FOLLOWUP_GOOGLE_RETRY_SECONDS", "0.01")
    fake.clear_faults()
    return tmp_path / "home"


@pytest.fixture
def harness(fake: FakeGoogleCalendar, home: Path) -> GoogleHarness:
    return GoogleHarness(fake)


def _synced_future_interviews(harness: GoogleHarness, count: int) -> None:
    for n in range(count):
        ok("log", "--company", f"Company {n}", "--at", "2030-06-03 10:00", "--tz", "UTC")
    harness.sync()
    harness.sync()


def test_a_lost_answer_to_a_batch_of_updates_is_ours_not_a_conflict(
    harness: GoogleHarness, fake: FakeGoogleCalendar
) -> None:
    """All parts applied, the answer lost; the resent batch meets 412 in every part."""
    _synced_future_interviews(harness, 4)  # 12 steps follow the setting
    ok("config", "set", "follow_up_time", "09:30")
    fake.inject_fault(drop_connection=True, methods=["PATCH"])
    report = harness.sync()
    assert report["conflicts"] == report["failed"] == 0, report
    assert_server_matches_plan(harness)
    again = harness.sync()
    assert again["conflicts"] == again["failed"] == 0
    assert again["updated"] == 0


@pytest.mark.parametrize("resend", ["refused", "cut off"])
def test_parts_that_went_through_are_recorded_when_the_resend_fails(
    harness: GoogleHarness, fake: FakeGoogleCalendar, resend: str
) -> None:
    """One part of 12 is refused for the moment; sending it again fails as a whole (or
    its connection is lost). The 11 others went through in the first batch: done,
    recorded, not failures."""
    _synced_future_interviews(harness, 4)
    ok("config", "set", "follow_up_time", "09:30")
    fake.inject_fault(status=429, count=1, methods=["PATCH"])
    if resend == "refused":
        fake.inject_fault(status=503, count=50, after=1, methods=["BATCH"])
    else:
        fake.inject_fault(drop_connection=True, count=50, after=1, methods=["BATCH"])
    first = harness.sync(expect_ok=False)
    assert first["updated"] == 11 and first["failed"] == 1, first
    fake.clear_faults()
    second = harness.sync()
    assert_server_matches_plan(harness)
    # Only the refused one was left to do; the others' records were committed.
    assert second["updated"] == 1
    assert not [a for a in second["actions"] if a.startswith("recorded")]


def test_a_lost_answer_to_a_batch_of_deletions_converges(
    harness: GoogleHarness, fake: FakeGoogleCalendar
) -> None:
    _synced_future_interviews(harness, 8)
    for n in (1, 2):
        ok("status", str(n), "rejected")
    fake.inject_fault(drop_connection=True, methods=["DELETE"])
    report = harness.sync()
    assert report["failed"] == report["conflicts"] == 0, report
    assert report["deleted"] >= 6
    assert_server_matches_plan(harness)
    assert harness.sync()["deleted"] == 0


def test_creations_that_went_through_are_recorded_when_the_resend_fails(
    harness: GoogleHarness, fake: FakeGoogleCalendar
) -> None:
    """The first sync of 4 interviews: one insert refused for the moment, and sending it
    again fails as a whole; the inserts that went through are recorded as created."""
    for n in range(4):
        ok("log", "--company", f"Company {n}", "--at", "2030-06-03 10:00", "--tz", "UTC")
    harness.sync("--dry-run")  # names the calendar without writing to it
    ok("config", "set", "google.calendar_id", _calendar(harness))
    fake.inject_fault(status=429, count=1, methods=["POST"])
    fake.inject_fault(status=503, count=50, after=1, methods=["BATCH"])
    first = harness.sync(expect_ok=False)
    fake.clear_faults()
    second = harness.sync()
    assert_server_matches_plan(harness)
    assert first["created"] == len(plan_now()) - 1 and first["failed"] == 1, first
    assert second["created"] == 1
    assert not [a for a in second["actions"] if a.startswith("recorded")]


def _calendar(harness: GoogleHarness) -> str:
    made = harness._service().calendars().insert(body={"summary": "Batches"}).execute()
    return str(made["id"])


def test_a_batch_refused_as_a_whole_is_reported_once(
    harness: GoogleHarness, fake: FakeGoogleCalendar
) -> None:
    _synced_future_interviews(harness, 4)
    ok("config", "set", "follow_up_time", "09:30")
    fake.inject_fault(status=503, count=50, methods=["BATCH"])
    first = harness.sync(expect_ok=False)
    assert first["code"] == 1 and first["failed"] == 12
    assert first["errors"] == [first["errors"][0]]
    assert first["errors"][0].startswith("12 changes in one request: Google kept refusing")
    fake.clear_faults()
    assert harness.sync()["updated"] == 12
    assert_server_matches_plan(harness)
