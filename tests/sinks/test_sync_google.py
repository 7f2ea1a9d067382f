"""Google Calendar sync against the local fake of the API, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.cli_helpers import ok, run
from support.env import clear_env
from support.fakes.google_calendar import FakeGoogleCalendar
from support.google_harness import GoogleHarness
from support.sink_contract import (
    ForeignEventsContract,
    SinkContract,
    assert_server_matches_plan,
    log_interviews,
    plan_now,
)

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


class TestGoogleContract(SinkContract, ForeignEventsContract):
    @pytest.fixture
    def harness(self, fake: FakeGoogleCalendar, home: Path) -> GoogleHarness:
        return GoogleHarness(fake)


@pytest.fixture
def harness(fake: FakeGoogleCalendar, home: Path) -> GoogleHarness:
    return GoogleHarness(fake)


def test_events_are_what_google_expects(harness: GoogleHarness, fake: FakeGoogleCalendar) -> None:
    first, _ = log_interviews()
    ok("done", str(first), "thank-you", "--who", "Jane Doe")
    seen_before = len(fake.send_updates_seen)
    harness.sync()
    items = harness._items()
    assert items and all(
        len(i["id"]) >= 5 and set(i["id"]) <= set("0123456789abcdefghijklmnopqrstuv") for i in items
    )
    assert set(fake.send_updates_seen[seen_before:]) == {"none"}
    assert fake.attendee_writes == 0
    for item in items:
        private = item["extendedProperties"]["private"]
        assert {"followupUid", "followupKind", "followupInterview"} <= set(private)
        reminders = item["reminders"]
        assert reminders["useDefault"] is False
        timed = "dateTime" in item["start"]
        done = item["summary"].startswith("✓")
        if timed:
            assert item["start"]["timeZone"] in ("America/New_York", "Europe/Berlin")
        expected = [{"method": "popup", "minutes": 15}] if timed and not done else []
        assert reminders.get("overrides", []) == expected, item["summary"]
    assert any(i["summary"].startswith("✓") for i in items)


def test_dedicated_calendar_is_created_once_and_remembered(
    harness: GoogleHarness, fake: FakeGoogleCalendar
) -> None:
    log_interviews()
    assert harness.sync("--dry-run")["created"] == len(plan_now())
    assert harness.calendar_id == ""  # a dry run creates nothing, not even the calendar
    harness.sync()
    calendar_id = harness.calendar_id
    assert calendar_id.endswith("@group.calendar.google.com")
    harness.sync()
    assert harness.calendar_id == calendar_id


def test_unchanged_sync_is_one_request_and_no_write(
    harness: GoogleHarness, fake: FakeGoogleCalendar
) -> None:
    log_interviews()
    harness.sync()  # its writes are checked at the end: only ours, so the token moves on
    before = fake.stats()
    report = harness.sync()
    after = fake.stats()
    assert report["unchanged"] == len(plan_now())
    assert after["writes"] == before["writes"]
    assert after["requests"] - before["requests"] == 1
    ok("status", "1", "rejected")  # updates and deletions this time
    harness.sync()
    before = fake.stats()
    harness.sync()
    assert fake.stats()["http_requests"] - before["http_requests"] == 1


def test_the_token_moves_on_only_past_changes_that_are_ours(fake: FakeGoogleCalendar) -> None:
    from support.direct_sinks import google_sink, make_event

    sink = google_sink(fake.base_url, "Marker")
    sink.list_items()
    marker = sink.listing_marker()
    events = [make_event() for _ in range(3)]
    made = {e.uid: sink.create(e, sink.remote_id_for(e, 0)) for e in events}
    ours: dict[str, str | None] = {i.remote_id: i.etag for i in made.values()}
    sink.delete(made[events[2].uid])
    ours[made[events[2].uid].remote_id] = None
    token = sink.marker_after_writes(marker, ours)
    assert token is not None and sink.unchanged_since(token)[0]

    sink.update(events[0]._replace(summary="Ours again", sequence=2), made[events[0].uid])
    service = sink.service  # type: ignore[attr-defined]
    service.events().patch(
        calendarId=sink.calendar, eventId=made[events[1].uid].remote_id, body={"summary": "Mine"}
    ).execute()
    current = {uid: item.etag for uid, item in sink.list_items().items()}
    ours[made[events[0].uid].remote_id] = current[events[0].uid]
    assert sink.marker_after_writes(token, ours) is None  # the user's edit: list next time
    ours[made[events[1].uid].remote_id] = current[events[1].uid]
    assert sink.marker_after_writes(token, ours) is not None
    assert sink.marker_after_writes("not-a-token", ours) is None


def test_expired_sync_token_falls_back_to_a_full_listing(
    harness: GoogleHarness, fake: FakeGoogleCalendar
) -> None:
    log_interviews()
    harness.sync()
    harness.sync()
    fake.expire_sync_tokens()
    before = fake.stats()
    report = harness.sync()
    assert report["unchanged"] == len(plan_now()) and report["failed"] == 0
    assert fake.stats()["writes"] == before["writes"]


def test_first_sync_uses_batches(harness: GoogleHarness, fake: FakeGoogleCalendar) -> None:
    for n in range(12):  # 60 events: two batches
        ok("log", "--company", f"Company {n}", "--at", "2030-06-03 10:00", "--tz", "UTC")
    before = fake.stats()
    report = harness.sync()
    after = fake.stats()
    assert report["created"] == len(plan_now()) == 60
    assert after["batches"] - before["batches"] == 2
    assert_server_matches_plan(harness)


def test_reopened_step_gets_a_fresh_id(harness: GoogleHarness) -> None:
    first, _ = log_interviews()
    harness.sync()
    ids_before = {i["id"] for i in harness._items()}
    ok("status", str(first), "withdrawn")
    harness.sync()
    ok("status", str(first), "waiting")
    report = harness.sync()
    assert report["created"] > 0 and report["failed"] == 0
    assert {i["id"] for i in harness._items()} - ids_before  # deleted ids are never reused
    assert_server_matches_plan(harness)


def test_an_id_taken_by_a_forgotten_event_moves_to_the_next(
    harness: GoogleHarness, fake: FakeGoogleCalendar
) -> None:
    """Google may forget a deleted event (get: 404) and still refuse its id (409)."""
    from interview_followup import service
    from interview_followup.sinks import google, google_auth

    log_interviews()
    harness.sync()
    ws = service.open_workspace()
    event = service.plan(ws)[0]
    ws.close()
    harness.user_delete(event.uid)
    root = google_auth.endpoint_root()
    assert root is not None
    sink = google.GoogleSink(
        google.build_service(google_auth.credentials(), root),
        harness.calendar_id,
        root + "batch/calendar/v3",
    )
    fake.inject_fault(status=404, reason="notFound", methods=["GET"])
    made = sink.create(event, event.uid_stem)
    assert made.remote_id == event.uid_stem + "1"
    assert made.remote_id in {i["id"] for i in harness._items()}


@pytest.mark.parametrize(
    ("status", "reason", "count"),
    [
        (429, None, 3),
        (500, None, 2),
        (503, None, 4),
        (403, "rateLimitExceeded", 3),
        (403, "userRateLimitExceeded", 2),
    ],
)
def test_rate_limit_storms_are_ridden_out(
    harness: GoogleHarness, fake: FakeGoogleCalendar, status: int, reason: str | None, count: int
) -> None:
    log_interviews()
    harness.sync()
    ok("status", "1", "heard")
    fake.inject_fault(status=status, reason=reason, count=count)
    report = harness.sync()
    assert report["failed"] == 0 and report["deleted"] > 0
    assert_server_matches_plan(harness)


def test_endless_rate_limit_ends_with_a_clear_error_then_converges(
    harness: GoogleHarness, fake: FakeGoogleCalendar
) -> None:
    log_interviews()
    harness.sync()
    ok("status", "1", "heard")
    fake.inject_fault(status=429, count=50, methods=["DELETE"])
    result = run("sync", "google")
    assert result.code == 1
    assert "run the sync again" in result.err and "Traceback" not in result.err
    fake.clear_faults()
    assert harness.sync()["failed"] == 0
    assert_server_matches_plan(harness)


def test_quota_exceeded_is_not_retried(harness: GoogleHarness, fake: FakeGoogleCalendar) -> None:
    log_interviews()
    harness.sync()
    ok("status", "1", "heard")
    fake.inject_fault(status=403, reason="quotaExceeded", count=1, methods=["DELETE"])
    before = fake.stats()["requests"]
    result = run("sync", "google")
    assert result.code == 1 and "quotaExceeded" in result.err
    assert fake.stats()["requests"] - before < 20


@pytest.mark.parametrize("after", [0, 1, 3, 6])
def test_crash_between_write_and_record_converges(
    harness: GoogleHarness, fake: FakeGoogleCalendar, after: int
) -> None:
    """The server applies a write but the answer is lost: the next run finds it, no twin."""
    log_interviews()
    ok("log", "--company", "Third", "--at", "2030-04-01 09:00", "--tz", "UTC")
    harness.sync("--dry-run")
    ok("config", "set", "google.calendar_id", fake_calendar(fake))
    fake.inject_fault(
        drop_connection=True, after=after, count=1, methods=["POST", "PATCH", "DELETE"]
    )
    first = run("sync", "google", "--json")
    fake.clear_faults()
    second = harness.sync()
    assert second["failed"] == 0, (first.err, second)
    assert len(harness._items()) == len(plan_now())
    assert_server_matches_plan(harness)
    assert harness.sync()["updated"] == 0


def fake_calendar(fake: FakeGoogleCalendar) -> str:
    from google.oauth2.credentials import Credentials
    from googleapiclient.discovery import build

    service = build(
        "calendar",
        "v3",
        credentials=Credentials(token="x"),
        static_discovery=True,
        client_options={"api_endpoint": fake.api_endpoint},
    )
    return str(service.calendars().insert(body={"summary": "Crash test"}).execute()["id"])


def test_deleted_calendar_comes_back_only_when_forced(
    harness: GoogleHarness, fake: FakeGoogleCalendar
) -> None:
    log_interviews()
    harness.sync()
    old = harness.calendar_id
    harness._service().calendars().delete(calendarId=old).execute()
    for flags in ((), ("--dry-run",)):
        stopped = run("sync", "google", *flags)
        assert stopped.code == 2 and len(stopped.err.strip().splitlines()) == 1
        assert "was deleted" in stopped.err and "--force" in stopped.err
        assert "--calendar-id" in stopped.err
        assert harness.calendar_id == old
    assert harness.sync("--dry-run", "--force")["created"] == len(plan_now())
    assert harness.calendar_id == old
    report = harness.sync("--force")
    assert report["created"] == len(plan_now())
    assert harness.calendar_id != old
    assert_server_matches_plan(harness)


def test_unknown_calendar_id_is_one_clear_line(harness: GoogleHarness) -> None:
    log_interviews()
    result = run("sync", "google", "--calendar-id", "nope@group.calendar.google.com")
    assert result.code == 1 and len(result.err.strip().splitlines()) == 1
    assert "no Google calendar" in result.err


def test_what_we_do_not_manage_survives(harness: GoogleHarness) -> None:
    """A location and a reminder of the user's stay when our alarm and time change."""
    _first, second = log_interviews()
    harness.sync()
    decision = next(
        e for e in plan_now().values() if e["kind"] == "follow-up" and e["interview_id"] == second
    )
    event_id = harness._id(decision["uid"])
    service = harness._service()
    current = service.events().get(calendarId=harness.calendar_id, eventId=event_id).execute()
    reminders = current["reminders"]["overrides"] + [{"method": "email", "minutes": 1440}]
    service.events().patch(
        calendarId=harness.calendar_id,
        eventId=event_id,
        body={
            "location": "Café Central",
            "reminders": {"useDefault": False, "overrides": reminders},
        },
    ).execute()
    harness.sync()
    ok("config", "set", "alarm_minutes", "30")
    ok("promise", str(second), "2030-03-27")
    report = harness.sync()
    assert report["conflicts"] == 0 and report["failed"] == 0
    after = service.events().get(calendarId=harness.calendar_id, eventId=event_id).execute()
    assert after["location"] == "Café Central"
    assert sorted((r["method"], r["minutes"]) for r in after["reminders"]["overrides"]) == [
        ("email", 1440),
        ("popup", 30),
    ]
    assert_server_matches_plan(harness)


def test_a_dropped_answer_is_ours_not_a_conflict(
    harness: GoogleHarness, fake: FakeGoogleCalendar
) -> None:
    """The patch is applied, its answer lost; the client's retry meets a 412. The copy is
    what we wrote, so it is recorded: no conflict, now or later, and later changes arrive."""
    _first, second = log_interviews()
    harness.sync()
    ok("promise", str(second), "2030-03-20")
    fake.inject_fault(drop_connection=True, methods=["PATCH"])
    report = harness.sync()
    assert report["conflicts"] == report["failed"] == 0 and report["code"] == 0
    assert any(a.startswith("recorded") for a in report["actions"]), report["actions"]
    assert_server_matches_plan(harness)
    ok("promise", str(second), "2030-03-27")
    later = harness.sync()
    assert later["conflicts"] == 0 and later["updated"] >= 1
    assert_server_matches_plan(harness)


def _log_future_interviews(count: int) -> None:
    for n in range(count):
        ok("log", "--company", f"Company {n}", "--at", "2030-06-03 10:00", "--tz", "UTC")


def test_a_setting_that_moves_300_steps_takes_at_most_8_requests(
    harness: GoogleHarness, fake: FakeGoogleCalendar
) -> None:
    _log_future_interviews(100)  # a follow-up and two check-ins each follow the setting
    harness.sync()
    harness.sync()
    ok("config", "set", "follow_up_time", "09:30")
    before = fake.stats()
    report = harness.sync()
    after = fake.stats()
    assert report["updated"] == 300 and report["failed"] == 0
    assert after["http_requests"] - before["http_requests"] <= 8
    assert after["batches"] - before["batches"] == 6
    assert_server_matches_plan(harness)


def test_deletions_travel_in_batches_and_a_refused_part_is_sent_again(
    harness: GoogleHarness, fake: FakeGoogleCalendar
) -> None:
    _log_future_interviews(12)
    harness.sync()
    harness.sync()
    for n in range(1, 8):
        ok("status", str(n), "rejected")  # each loses its follow-up and check-ins
    fake.inject_fault(status=429, count=2, after=5, methods=["DELETE"])
    before = fake.stats()
    report = harness.sync()
    after = fake.stats()
    assert report["deleted"] >= 21 and report["failed"] == 0
    direct = (
        after["http_requests"] - after["batches"] - (before["http_requests"] - before["batches"])
    )
    assert after["by_method"].get("DELETE", 0) - before["by_method"].get("DELETE", 0) == (
        report["deleted"] + 2
    )
    assert direct <= 3  # the look for changes and the listing; no write goes alone
    assert_server_matches_plan(harness)


def test_a_check_that_cannot_get_through_keeps_the_other_answers(
    fake: FakeGoogleCalendar,
) -> None:
    """A refused deletion is checked with a GET; when Google is out of reach by then,
    that part says so and the answers the batch brought for the others stay."""
    from support.direct_sinks import google_sink, make_event

    from interview_followup.sinks.base import Change, RemoteItem, Unavailable

    sink = google_sink(fake.base_url, "Follow-ups after a batch")
    events = [make_event() for _ in range(3)]
    made = [sink.create(e, sink.remote_id_for(e, 0)) for e in events]
    stale = made[1]
    sink.update(events[1]._replace(summary="Edited there", sequence=2), stale)
    fake.inject_fault(drop_connection=True, count=50, methods=["GET"])
    moved = events[0]._replace(summary="Moved", sequence=2)
    results = sink.change_batch([Change(made[0], moved), Change(stale), Change(made[2])])
    fake.clear_faults()
    assert isinstance(results[0], RemoteItem)
    assert isinstance(results[1], Unavailable)
    assert results[2] is None
    listed = sink.list_items()
    assert set(listed) == {events[0].uid, events[1].uid}
    assert sink.read_items(listed)[events[0].uid].fields.title == "Moved"
