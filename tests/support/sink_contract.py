"""The behaviour every sync target must show, written once.

A test module subclasses ``SinkContract`` and provides a ``harness`` fixture that
knows how to run the sync for its target and how to look at (and meddle with) the
server as an independent client would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import pytest

from support.cli_helpers import ok, run

HOSTILE = 'Acme, "Rockets"; Inc.\r\nBEGIN:VEVENT\\ 🚀 שלום'
HOSTILE_STORED = HOSTILE.replace("\r\n", "\n")  # one kind of line break in iCalendar


@dataclass(frozen=True)
class ServerEvent:
    uid: str
    summary: str
    start: datetime | date
    description: str
    raw: str  # the whole item as the server returns it


class Harness(Protocol):
    def sync(self, *flags: str, expect_ok: bool = True) -> dict[str, Any]: ...
    def events(self) -> dict[str, ServerEvent]: ...
    def snapshot(self) -> object: ...
    def user_edit(self, uid: str, summary: str) -> None: ...
    def user_delete(self, uid: str) -> None: ...
    def add_foreign(self, summary: str) -> None: ...
    def foreign(self) -> list[str]: ...


def log_interviews() -> tuple[int, int]:
    first = ok(
        "log", "--company", "Northwind", "--role", "Analyst", "--at", "2030-03-04 10:00",
        "--tz", "America/New_York", "--interviewer", "Jane Doe <jane@northwind.example>",
        "--interviewer", "Raj Patel <raj@northwind.example>", "--json",
    ).json()["id"]  # fmt: skip
    second = ok(
        "log", "--company", HOSTILE, "--at", "2030-03-06 14:00", "--tz", "Europe/Berlin",
        "--decision-by", "2030-03-13", "--notes", "line one\nline two; with, commas", "--json",
    ).json()["id"]  # fmt: skip
    return first, second


def plan_now(include_cancelled: bool = False) -> dict[str, dict[str, Any]]:
    args = ["plan", "--json"] + (["--all"] if include_cancelled else [])
    return {e["uid"]: e for e in ok(*args).json()}


def _start(value: datetime | date) -> str:
    return value.isoformat()


def assert_server_matches_plan(harness: Harness) -> None:
    expected = plan_now()
    found = harness.events()
    assert set(found) == set(expected)
    for uid, event in found.items():
        assert event.summary == expected[uid]["summary"]
        assert event.description == expected[uid]["description"]
        want = expected[uid]["start"]
        if isinstance(event.start, datetime):
            assert event.start == datetime.fromisoformat(want)
        else:
            assert event.start.isoformat() == want
        assert "ATTENDEE" not in event.raw.upper()
        assert "ORGANIZER" not in event.raw.upper()


class SinkContract:
    @pytest.fixture
    def harness(self) -> Harness:
        raise NotImplementedError

    def test_first_sync_creates_the_plan(self, harness: Harness) -> None:
        log_interviews()
        report = harness.sync()
        assert report["created"] == len(plan_now())
        assert report["failed"] == report["conflicts"] == 0
        assert_server_matches_plan(harness)

    def test_second_sync_writes_nothing(self, harness: Harness) -> None:
        log_interviews()
        harness.sync()
        before = harness.snapshot()
        report = harness.sync()
        assert (report["created"], report["updated"], report["deleted"]) == (0, 0, 0)
        assert report["unchanged"] == len(plan_now())
        assert harness.snapshot() == before

    def test_status_change_moves_and_cancels(self, harness: Harness) -> None:
        first, second = log_interviews()
        harness.sync()
        ok("promise", str(second), "2030-03-20")  # moves the decision day and what follows
        ok("status", str(first), "withdrawn")  # cancels all of the first one
        report = harness.sync()
        cancelled = [e for e in plan_now(True).values() if e["status"] == "cancelled"]
        assert report["deleted"] == len(cancelled) > 0
        assert report["updated"] > 0
        assert_server_matches_plan(harness)
        assert harness.sync()["updated"] == 0

    def test_user_edit_is_kept(self, harness: Harness) -> None:
        log_interviews()
        harness.sync()
        uid = next(iter(plan_now()))
        harness.user_edit(uid, "My own title")
        report = harness.sync()
        assert report["updated"] == 0 and report["conflicts"] == 0
        assert harness.events()[uid].summary == "My own title"
        assert harness.sync()["adopted"] == 0  # recorded once, then quiet
        forced = harness.sync("--force")  # ours again, though our side did not change
        assert forced["updated"] == 1
        assert_server_matches_plan(harness)

    def test_user_title_and_our_move_merge(self, harness: Harness) -> None:
        _first, second = log_interviews()
        harness.sync()
        follow_up = next(
            e
            for e in plan_now().values()
            if e["kind"] == "follow-up" and e["interview_id"] == second
        )
        harness.user_edit(follow_up["uid"], "Renamed by me")
        assert harness.sync()["adopted"] == 1  # kept, and remembered as theirs
        ok("promise", str(second), "2030-03-27")  # moves it: a field the user left alone
        report = harness.sync()
        assert report["conflicts"] == 0 and report["merged"] >= 1
        moved = harness.events()[follow_up["uid"]]
        assert moved.summary == "Renamed by me"
        assert moved.start == datetime.fromisoformat(plan_now()[follow_up["uid"]]["start"])
        assert harness.sync()["merged"] == 0

    def test_both_changed_the_title_is_a_conflict_until_forced(self, harness: Harness) -> None:
        first, _second = log_interviews()
        harness.sync()
        note = next(
            e for e in plan_now().values() if e["kind"] == "thank-you" and "Jane" in e["summary"]
        )
        harness.user_edit(note["uid"], "My own title")
        harness.sync()  # kept
        ok("done", str(first), "thank-you", "--who", "Jane Doe")  # our title changes too
        result = harness.sync(expect_ok=False)
        assert result["conflicts"] == 1 and result["code"] == 3
        assert result["err"].startswith("followup: warning: 1 event(s) changed both here")
        assert harness.events()[note["uid"]].summary == "My own title"
        again = harness.sync(expect_ok=False)  # the conflict stays until settled
        assert again["conflicts"] == 1 and again["updated"] == 0
        forced = harness.sync("--force")
        assert forced["updated"] >= 1 and forced["conflicts"] == 0
        assert_server_matches_plan(harness)
        assert harness.sync()["conflicts"] == 0

    def test_user_deletion_is_respected_until_forced(self, harness: Harness) -> None:
        log_interviews()
        harness.sync()
        uid = next(iter(plan_now()))
        harness.user_delete(uid)
        report = harness.sync()
        assert report["created"] == 0 and report["skipped"] == 1
        assert uid not in harness.events()
        assert harness.sync()["created"] == 0
        assert harness.sync("--force")["created"] == 1
        assert_server_matches_plan(harness)

    def test_user_deletion_stays_when_we_cancel_first_and_reopen(self, harness: Harness) -> None:
        first, _second = log_interviews()
        harness.sync()
        uid = next(e["uid"] for e in plan_now().values() if e["interview_id"] == first)
        harness.user_delete(uid)
        ok("status", str(first), "withdrawn")  # cancels it before any sync saw the deletion
        harness.sync()
        ok("status", str(first), "waiting")  # and reopens it
        report = harness.sync()
        assert uid not in harness.events() and report["failed"] == 0
        assert uid in plan_now()
        assert harness.sync("--force")["created"] == 1
        assert_server_matches_plan(harness)

    def test_dry_run_writes_nothing(self, harness: Harness) -> None:
        log_interviews()
        before = harness.snapshot()
        report = harness.sync("--dry-run")
        assert report["dry_run"] is True and report["created"] == len(plan_now())
        assert harness.snapshot() == before
        assert harness.sync()["created"] == len(plan_now())

    def test_hostile_text_arrives_intact(self, harness: Harness) -> None:
        log_interviews()
        harness.sync()
        found = harness.events()
        titles = [e.summary for e in found.values()]
        assert any(HOSTILE_STORED in t for t in titles)
        assert any("line one\nline two; with, commas" in e.description for e in found.values())
        assert_server_matches_plan(harness)

    def test_reopened_steps_come_back(self, harness: Harness) -> None:
        first, _second = log_interviews()
        harness.sync()
        ok("status", str(first), "withdrawn")
        harness.sync()
        ok("status", str(first), "waiting")
        report = harness.sync()
        assert report["created"] > 0 and report["failed"] == 0
        assert_server_matches_plan(harness)

    def test_move_delete_and_undo_reach_the_calendar(self, harness: Harness) -> None:
        first, second = log_interviews()
        harness.sync()
        ok("move", str(second), "follow-up", "2030-03-25 15:00")
        ok("delete", str(first), "--yes")
        report = harness.sync()
        assert report["deleted"] > 0 and report["updated"] >= 3  # the follow-up and check-ins
        assert not any(e["interview_id"] == first for e in plan_now().values())
        assert_server_matches_plan(harness)
        ok("undo")  # the deletion: its steps come back under their UIDs
        ok("undo")  # the move
        report = harness.sync()
        assert report["created"] > 0 and report["updated"] >= 3 and report["failed"] == 0
        assert_server_matches_plan(harness)

    def test_bad_flag_value_writes_nothing(self, harness: Harness) -> None:
        log_interviews()
        before = harness.snapshot()
        result = run("sync", harness_name(harness), "--no-such-flag")
        assert result.code == 2
        assert harness.snapshot() == before


class ForeignEventsContract:
    """Mixed into SinkContract: what the user keeps in the same calendar is never touched."""

    def test_foreign_events_are_left_alone(self, harness: Harness) -> None:
        first, _ = log_interviews()
        harness.sync()
        harness.add_foreign("Dentist")
        ok("status", str(first), "withdrawn")
        report = harness.sync("--force")
        assert report["failed"] == 0
        assert harness.foreign() == ["Dentist"]
        assert_server_matches_plan(harness)


def harness_name(harness: Harness) -> str:
    return str(harness.name)
