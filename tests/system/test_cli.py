"""The real CLI end to end: `followup log/plan/list/agenda/status/promise/done/edit/config`."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import (
    FOLLOWUP_BIN,
    NY,
    Cli,
    add_business_days,
    by_uid,
    is_business_day,
    next_business_day,
    of_kind,
    one,
    parse_start,
    run_followup,
)

EVENT_FIELDS = {
    "uid",
    "interview_id",
    "kind",
    "who",
    "summary",
    "start",
    "end",
    "all_day",
    "status",
    "sequence",
}


def log_example_1(cli: Cli, *extra: str) -> int:
    return cli.log(
        "--company",
        "Northwind Traders",
        "--role",
        "Data Analyst",
        "--at",
        "2027-11-15 10:00",
        "--interviewer",
        "Jane Doe <jane.doe@northwind.example>",
        "--interviewer",
        "Raj Patel <raj.patel@northwind.example>",
        *extra,
    )


def log_example_2(cli: Cli) -> int:
    return cli.log(
        "--company",
        "Globex",
        "--role",
        "Backend Engineer",
        "--at",
        "2027-12-16 18:30",
        "--duration",
        "60",
        "--interviewer",
        "Ann Lee <ann.lee@globex.example>",
        "--decision-by",
        "2027-12-23",
    )


def rows(events: list[dict[str, Any]]) -> list[tuple[str, str, str, str, bool]]:
    return [(e["kind"], e["who"], e["start"], e["end"], e["all_day"]) for e in events]


def statuses(cli: Cli) -> dict[int, str]:
    return {i["id"]: i["status"] for i in cli.json("list")}


# --- the worked examples, through `followup plan --json` ---


def test_worked_example_1(us_cli: Cli) -> None:
    interview_id = log_example_1(us_cli)
    events = us_cli.plan(interview_id)
    assert rows(events) == [
        ("thank-you", "Jane Doe", "2027-11-15T12:00:00-05:00", "2027-11-15T12:30:00-05:00", False),
        ("thank-you", "Raj Patel", "2027-11-15T12:00:00-05:00", "2027-11-15T12:30:00-05:00", False),
        ("follow-up", "", "2027-11-30T10:00:00-05:00", "2027-11-30T10:15:00-05:00", False),
        ("check-in", "", "2027-12-07T10:00:00-05:00", "2027-12-07T10:15:00-05:00", False),
        ("check-in", "", "2027-12-14T10:00:00-05:00", "2027-12-14T10:15:00-05:00", False),
        ("move-on", "", "2027-12-21", "2027-12-22", True),
    ]
    for event in events:
        assert set(event) >= EVENT_FIELDS
        assert event["interview_id"] == interview_id
        assert event["status"] == "scheduled"
        assert event["sequence"] == 0
        assert event["uid"].endswith("@interview-followup")
        assert "Northwind Traders" in event["summary"]
    assert len({e["uid"] for e in events}) == len(events)
    # The whole plan (all interviews) is the same list here.
    assert us_cli.plan() == events


def test_worked_example_2(us_cli: Cli) -> None:
    interview_id = log_example_2(us_cli)
    events = us_cli.plan(interview_id)
    assert rows(events) == [
        ("thank-you", "Ann Lee", "2027-12-17T09:00:00-05:00", "2027-12-17T09:30:00-05:00", False),
        ("decision-day", "", "2027-12-23", "2027-12-24", True),
        ("follow-up", "", "2027-12-27T10:00:00-05:00", "2027-12-27T10:15:00-05:00", False),
        ("check-in", "", "2028-01-03T10:00:00-05:00", "2028-01-03T10:15:00-05:00", False),
        ("check-in", "", "2028-01-10T10:00:00-05:00", "2028-01-10T10:15:00-05:00", False),
        ("move-on", "", "2028-01-18", "2028-01-19", True),
    ]
    assert {e["interview_id"] for e in events} == {interview_id}


def test_log_json_echoes_the_interview_and_its_plan(us_cli: Cli) -> None:
    data = us_cli.json(
        "log",
        "--company",
        "Globex",
        "--at",
        "2027-12-16T18:30",
        "--contact",
        "Sam <sam@globex.example>",
        "--phone",
        "+1 555 010 2030",
    )
    assert data["interview"]["tz"] == NY
    assert data["interview"]["channel"] == "phone"
    assert data["interview"]["contact"] == {"name": "Sam", "email": "sam@globex.example"}
    assert [e["kind"] for e in data["events"]][:2] == ["thank-you", "follow-up"]
    assert one(data["events"], "follow-up")["summary"] == "Follow up with Globex: call Sam"


def test_human_output_lists_the_plan(us_cli: Cli) -> None:
    result = us_cli.ok("log", "--company", "Initech", "--at", "2027-11-15 10:00")
    assert result.out.startswith("Logged interview 1: Initech")
    assert "Tue 2027-11-30 10:00 EST" in result.out
    table = us_cli.ok("plan").out
    assert "follow-up" in table and "move-on" in table


# --- policy table rows through the CLI ---


@pytest.mark.parametrize(
    ("at", "duration", "start"),
    [
        ("2027-11-15 18:00", "60", "2027-11-16T09:00:00-05:00"),  # 20:00: next morning
        ("2027-11-15 17:45", "60", "2027-11-15T19:45:00-05:00"),
        ("2027-11-15 05:30", "60", "2027-11-15T09:00:00-05:00"),  # 07:30: 09:00 that day
        ("2027-11-15 06:30", "30", "2027-11-15T08:00:00-05:00"),
    ],
)
def test_thank_you_time_rules(us_cli: Cli, at: str, duration: str, start: str) -> None:
    interview_id = us_cli.log("--company", "Acme", "--at", at, "--duration", duration)
    thank = one(us_cli.plan(interview_id), "thank-you")
    assert thank["start"] == start
    assert thank["who"] == ""
    assert "your interviewer" in thank["summary"]


def test_config_changes_recompute_the_plan(us_cli: Cli) -> None:
    interview_id = log_example_1(us_cli)
    before = by_uid(us_cli.plan(interview_id))

    assert us_cli.ok("config", "set", "check_ins", "3").out.strip() == "check_ins = 3"
    events = us_cli.plan(interview_id)
    assert [e["start"] for e in of_kind(events, "check-in")] == [
        "2027-12-07T10:00:00-05:00",
        "2027-12-14T10:00:00-05:00",
        "2027-12-21T10:00:00-05:00",
    ]
    assert one(events, "move-on")["start"] == "2027-12-28"
    after = by_uid(events)
    assert set(before) < set(after)  # the old steps kept their UIDs
    sequences = [(e["kind"], e["sequence"]) for e in events]
    assert sequences == [
        ("thank-you", 0),
        ("thank-you", 0),
        ("follow-up", 0),
        ("check-in", 1),  # its title now says "of 3"
        ("check-in", 1),
        ("check-in", 0),
        ("move-on", 1),
    ]

    us_cli.ok("config", "set", "follow_up_time", "09:30")
    events = us_cli.plan(interview_id)
    assert one(events, "follow-up")["start"] == "2027-11-30T09:30:00-05:00"
    assert {e["start"][11:16] for e in of_kind(events, "check-in")} == {"09:30"}

    us_cli.ok("config", "set", "no_date_wait_business_days", "5")
    events = us_cli.plan(interview_id)
    assert one(events, "follow-up")["start"] == "2027-11-22T09:30:00-05:00"
    assert [e["start"][:10] for e in of_kind(events, "check-in")] == [
        "2027-11-29",
        "2027-12-06",
        "2027-12-13",
    ]

    assert us_cli.ok("config", "set", "thank_you_after", "2h").out.strip() == "thank_you_after = 2h"
    events = us_cli.plan(interview_id)
    assert {e["start"] for e in of_kind(events, "thank-you")} == {"2027-11-15T13:00:00-05:00"}
    assert us_cli.ok("config", "get", "thank_you_after").out.strip() == "2h"


def test_a_changed_setting_leaves_past_and_done_events_alone(cli: Cli) -> None:
    """Past events are history: a new setting moves only what is still to come."""
    started = (datetime.now(ZoneInfo("UTC")) - timedelta(days=3)).strftime("%Y-%m-%d 10:00")
    interview_id = cli.log("--company", "Initech", "--at", started, "--tz", "UTC")
    cli.ok("done", interview_id, "follow-up")  # done before its time: history too
    before = by_uid(cli.plan(interview_id, all_=True))
    cli.ok("config", "set", "thank_you_after", "2h")
    cli.ok("config", "set", "follow_up_time", "11:00")
    cli.ok("config", "set", "check_ins", "1")
    cli.ok("refresh")
    after = by_uid(cli.plan(interview_id, all_=True))
    thank_you = one(list(before.values()), "thank-you")["uid"]
    follow_up = one(list(before.values()), "follow-up")["uid"]
    assert after[thank_you] == before[thank_you]  # three days old
    assert after[follow_up] == before[follow_up]  # done
    checks = of_kind(list(before.values()), "check-in")
    assert after[checks[0]["uid"]]["start"][11:16] == "11:00"  # still to come: moved
    assert after[checks[1]["uid"]]["status"] == "cancelled"  # one check-in only now


def test_fewer_check_ins_cancel_the_extra_one(us_cli: Cli) -> None:
    interview_id = log_example_1(us_cli)
    second = of_kind(us_cli.plan(interview_id), "check-in")[1]
    us_cli.ok("config", "set", "check_ins", "1")
    assert len(of_kind(us_cli.plan(interview_id), "check-in")) == 1
    everything = by_uid(us_cli.plan(interview_id, all_=True))
    assert everything[second["uid"]]["status"] == "cancelled"
    assert everything[second["uid"]]["sequence"] == 1
    move_on = one(list(everything.values()), "move-on")
    assert move_on["start"] == "2027-12-14"


def test_holidays_with_a_country_and_a_subdivision(cli: Cli) -> None:
    cli.ok("config", "set", "timezone", "Europe/Berlin")
    cli.ok("config", "set", "country", "de")
    cli.ok("config", "set", "subdivision", "by")
    assert cli.ok("config", "get", "subdivision").out.strip() == "BY"
    interview_id = cli.log(
        "--company", "Muster GmbH", "--at", "2028-01-03 10:00", "--decision-by", "2028-01-05"
    )
    # Epiphany, Thu 2028-01-06, is a holiday in Bavaria.
    follow = one(cli.plan(interview_id), "follow-up")
    assert follow["start"] == "2028-01-07T10:00:00+01:00"
    cli.ok("config", "set", "subdivision", "BE")
    moved = one(cli.plan(interview_id), "follow-up")
    assert moved["start"] == "2028-01-06T10:00:00+01:00"
    assert (moved["uid"], moved["sequence"]) == (follow["uid"], 1)


def test_no_country_skips_weekends_only(cli: Cli) -> None:
    # UTC belongs to no country: only the configured one can add holidays.
    interview_id = log_example_1(cli, "--tz", "UTC")
    assert one(cli.plan(interview_id), "follow-up")["start"] == "2027-11-29T10:00:00+00:00"
    cli.ok("config", "set", "country", "US")
    assert one(cli.plan(interview_id), "follow-up")["start"] == "2027-11-30T10:00:00+00:00"
    cli.ok("config", "set", "country", "")
    assert one(cli.plan(interview_id), "follow-up")["start"] == "2027-11-29T10:00:00+00:00"


def test_tz_defaults_to_config_then_machine_zone(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    first = cli.json("log", "--company", "A", "--at", "2027-11-15 10:00")
    assert first["interview"]["tz"] == "Asia/Tokyo"
    assert one(first["events"], "follow-up")["start"].endswith("+09:00")
    cli.ok("config", "set", "timezone", "Europe/London")
    second = cli.json("log", "--company", "B", "--at", "2027-11-15 10:00")
    assert second["interview"]["tz"] == "Europe/London"
    third = cli.json("log", "--company", "C", "--at", "2027-11-15 10:00", "--tz", "America/Chicago")
    assert third["interview"]["tz"] == "America/Chicago"


@pytest.mark.parametrize(
    ("tz", "at", "before", "after"),
    [
        (NY, "2027-03-12 10:00", "-05:00", "-04:00"),
        (NY, "2027-11-05 10:00", "-04:00", "-05:00"),
        ("Europe/Berlin", "2027-03-26 10:00", "+01:00", "+02:00"),
        ("Europe/Paris", "2027-10-29 10:00", "+02:00", "+01:00"),
    ],
)
def test_dst_switch(cli: Cli, tz: str, at: str, before: str, after: str) -> None:
    interview_id = cli.log("--company", "Acme", "--at", at, "--tz", tz)
    events = cli.plan(interview_id)
    assert one(events, "thank-you")["start"] == f"{at[:10]}T12:00:00{before}"
    for event in [one(events, "follow-up"), *of_kind(events, "check-in")]:
        assert event["start"].endswith(f"T10:00:00{after}"), event
        moment = parse_start(event["start"])
        assert isinstance(moment, datetime)
        local = moment.astimezone(ZoneInfo(tz))
        assert (local.hour, local.minute) == (10, 0)


# --- promises ---


def test_revised_promise_after_the_date_passed(us_cli: Cli) -> None:
    interview_id = us_cli.log(
        "--company", "Old Co", "--at", "2025-06-02 10:00", "--decision-by", "2025-06-09"
    )
    before = by_uid(us_cli.plan(interview_id))
    assert one(list(before.values()), "follow-up")["start"] == "2025-06-10T10:00:00-04:00"

    data = us_cli.json("promise", interview_id, "2031-03-07")
    assert data["decision_by"] == "2031-03-07"
    events = data["events"]
    assert rows(events) == [
        ("thank-you", "", "2025-06-02T12:00:00-04:00", "2025-06-02T12:30:00-04:00", False),
        ("decision-day", "", "2031-03-07", "2031-03-08", True),
        ("follow-up", "", "2031-03-07T15:00:00-05:00", "2031-03-07T15:15:00-05:00", False),
        ("check-in", "", "2031-03-14T10:00:00-04:00", "2031-03-14T10:15:00-04:00", False),
        ("check-in", "", "2031-03-21T10:00:00-04:00", "2031-03-21T10:15:00-04:00", False),
        ("move-on", "", "2031-03-28", "2031-03-29", True),
    ]
    after = by_uid(events)
    assert set(after) == set(before)
    for uid, event in after.items():
        expected = before[uid]["sequence"] + (0 if event["kind"] == "thank-you" else 1)
        assert event["sequence"] == expected, event["kind"]
    assert "mid-afternoon" in one(us_cli.plan(interview_id), "follow-up")["description"]


def test_revised_promise_on_a_weekend_follows_up_on_the_next_business_day(us_cli: Cli) -> None:
    interview_id = us_cli.log(
        "--company", "Old Co", "--at", "2025-06-02 10:00", "--decision-by", "2025-06-09"
    )
    events = us_cli.json("promise", interview_id, "2031-03-08")["events"]  # a Saturday
    assert one(events, "follow-up")["start"] == "2031-03-10T15:00:00-04:00"
    assert one(events, "decision-day")["start"] == "2031-03-08"
    assert [e["start"][:10] for e in of_kind(events, "check-in")] == ["2031-03-17", "2031-03-24"]


def test_promise_before_the_date_passed_is_the_normal_rule(us_cli: Cli) -> None:
    interview_id = us_cli.log(
        "--company", "Future Co", "--at", "2030-06-03 10:00", "--decision-by", "2030-06-07"
    )
    before = by_uid(us_cli.plan(interview_id))
    events = us_cli.json("promise", interview_id, "2030-06-12")["events"]
    assert one(events, "follow-up")["start"] == "2030-06-13T10:00:00-04:00"
    after = by_uid(events)
    assert set(after) == set(before)
    assert [(e["kind"], e["sequence"]) for e in events] == [
        ("thank-you", 0),
        ("decision-day", 1),
        ("follow-up", 1),
        ("check-in", 1),
        ("check-in", 1),
        ("move-on", 1),
    ]


def test_promise_for_an_interview_without_a_date(us_cli: Cli) -> None:
    interview_id = us_cli.log("--company", "Old Co", "--at", "2025-06-02 10:00")
    before = by_uid(us_cli.plan(interview_id))
    result = us_cli.ok("promise", interview_id, "2031-03-07")
    assert "Decision expected by 2031-03-07." in result.out
    events = us_cli.plan(interview_id)
    follow = one(events, "follow-up")
    assert follow["start"] == "2031-03-10T10:00:00-04:00"  # not revised: the next business day
    assert before[follow["uid"]]["sequence"] + 1 == follow["sequence"]
    decision = one(events, "decision-day")
    assert decision["uid"] not in before and decision["sequence"] == 0


def test_promise_phrase_counts_from_today(us_cli: Cli) -> None:
    interview_id = us_cli.log("--company", "Old Co", "--at", "2025-06-02 10:00")
    today = datetime.now(ZoneInfo(NY)).date()
    data = us_cli.json("promise", interview_id, "in 2 weeks")
    # Midnight may pass during the call; either day is right.
    assert data["decision_by"] in {
        (today + timedelta(days=14)).isoformat(),
        (today + timedelta(days=15)).isoformat(),
    }


def test_business_day_phrases_skip_the_configured_holidays(us_cli: Cli) -> None:
    # Tuesday 2027-11-23; Thanksgiving is Thursday 11-25. UTC is no country's zone.
    log = ["log", "--company", "Acme", "--at", "2027-11-23 10:00", "--tz", "UTC"]
    logged = us_cli.json(*log, "--decision-by", "in 3 business days")
    assert logged["interview"]["decision_by"] == "2027-11-29"
    us_cli.ok("config", "set", "country", "")
    logged = us_cli.json(*log, "--role", "Other", "--decision-by", "in 3 business days")
    assert logged["interview"]["decision_by"] == "2027-11-26"


# --- status changes ---


@pytest.fixture
def future(us_cli: Cli) -> int:
    """An interview in 2030, so every event is still ahead."""
    return us_cli.log(
        "--company",
        "Future Co",
        "--role",
        "Engineer",
        "--at",
        "2030-05-06 10:00",
        "--interviewer",
        "Ann A",
        "--interviewer",
        "Bob B",
        "--decision-by",
        "2030-05-10",
    )


@pytest.mark.parametrize("status", ["heard", "next-round", "offer"])
def test_closing_status_cancels_future_events_except_thank_you(
    us_cli: Cli, future: int, status: str
) -> None:
    before = by_uid(us_cli.plan(future))
    data = us_cli.json("status", future, status.upper())
    assert data["status"] == status and data["withdrawn"] == []
    after = by_uid(data["events"])
    assert set(after) == set(before)
    for event in after.values():
        if event["kind"] == "thank-you":
            assert (event["status"], event["sequence"]) == ("scheduled", 0)
        else:
            assert (event["status"], event["sequence"]) == ("cancelled", 1)
    assert {e["kind"] for e in us_cli.plan(future)} == {"thank-you"}
    assert statuses(us_cli)[future] == status
    # Setting the same status again changes nothing.
    assert by_uid(us_cli.json("status", future, status)["events"]) == after


def test_rejected_adds_stay_in_touch(us_cli: Cli, future: int) -> None:
    events = us_cli.json("status", future, "rejected")["events"]
    stay = one(events, "stay-in-touch")
    start = parse_start(stay["start"])
    assert isinstance(start, datetime)
    assert start.tzinfo is not None
    local = start.astimezone(ZoneInfo(NY))
    assert (local.hour, local.minute) == (10, 0)
    # The interview (Mon 2030-05-06) is still ahead: two business days after it.
    assert local.date() == add_business_days(date(2030, 5, 6), 2, "US")
    assert parse_start(stay["end"]) - start == timedelta(minutes=15)  # type: ignore[operator]
    assert stay["status"] == "scheduled" and stay["sequence"] == 0
    assert stay["summary"] == "Stay in touch with Future Co"
    others = [e for e in events if e["kind"] not in ("thank-you", "stay-in-touch")]
    assert others and {e["status"] for e in others} == {"cancelled"}
    assert {e["status"] for e in of_kind(events, "thank-you")} == {"scheduled"}


def test_withdrawn_cancels_all_future_events(us_cli: Cli, future: int) -> None:
    data = us_cli.json("status", future, "withdrawn")
    assert {e["status"] for e in data["events"]} == {"cancelled"}
    assert not [e for e in data["events"] if e["kind"] == "withdraw"]
    assert us_cli.plan(future) == []


def test_waiting_reopens_with_the_same_uids_and_a_higher_sequence(us_cli: Cli, future: int) -> None:
    original = by_uid(us_cli.plan(future))
    cancelled = by_uid(us_cli.json("status", future, "heard")["events"])
    reopened = by_uid(us_cli.json("status", future, "waiting")["events"])
    assert set(reopened) == set(original)
    for uid, event in reopened.items():
        assert event["status"] == "scheduled"
        assert event["start"] == original[uid]["start"]
        if original[uid]["kind"] == "thank-you":
            assert event["sequence"] == 0
        else:
            assert event["sequence"] == cancelled[uid]["sequence"] + 1 == 2
    assert statuses(us_cli)[future] == "waiting"


def test_reopen_after_rejection_cancels_the_stay_in_touch(us_cli: Cli, future: int) -> None:
    us_cli.ok("status", future, "rejected")
    events = us_cli.json("status", future, "waiting")["events"]
    stay = one(events, "stay-in-touch")
    assert (stay["status"], stay["sequence"]) == ("cancelled", 1)
    assert one(events, "follow-up")["status"] == "scheduled"


def test_status_change_leaves_past_events_alone(us_cli: Cli) -> None:
    """An interview 20 days ago: whatever already started is history and stays as it was."""
    started = datetime.now(ZoneInfo(NY)) - timedelta(days=20)
    interview_id = us_cli.log("--company", "Recent Co", "--at", f"{started:%Y-%m-%d} 10:00")
    before = by_uid(us_cli.plan(interview_id))
    now = datetime.now(ZoneInfo(NY))
    after = by_uid(us_cli.json("status", interview_id, "heard")["events"])
    past = future_ = 0
    for uid, old in before.items():
        start = parse_start(old["start"])
        moment = (
            start
            if isinstance(start, datetime)
            else datetime.combine(start, datetime.min.time(), tzinfo=ZoneInfo(NY))
        )
        if moment <= now:
            past += 1
            assert after[uid] == old
        else:
            future_ += 1
            assert after[uid]["status"] == "cancelled"
            assert after[uid]["sequence"] == old["sequence"] + 1
    assert past >= 2  # the thank-you and the follow-up 10 business days on
    assert past + future_ == len(before)


def test_accepted_withdraws_every_other_open_process(us_cli: Cli) -> None:
    waiting = us_cli.log(
        "--company",
        "Acme",
        "--at",
        "2030-05-06 10:00",
        "--interviewer",
        "Ann Able <ann@acme.example>",
        "--interviewer",
        "Ben Baker",
        "--contact",
        "Carla Contact <carla@acme.example>",
        "--phone",
        "+1 555 010 1000",
    )
    heard = us_cli.log(
        "--company",
        "Beta KK",
        "--at",
        "2030-05-07 10:00",
        "--tz",
        "Asia/Tokyo",
        "--interviewer",
        "Bo",
    )
    rejected = us_cli.log("--company", "Gamma", "--at", "2030-05-08 10:00")
    round_1 = us_cli.log("--company", "Delta", "--role", "Dev", "--at", "2030-05-09 10:00")
    round_2 = us_cli.log("--company", "DELTA", "--role", "dev", "--at", "2030-05-16 10:00")
    offer = us_cli.log("--company", "Epsilon", "--at", "2030-05-10 10:00")
    chosen = us_cli.log("--company", "Zeta", "--at", "2030-05-11 10:00", "--interviewer", "Zed")
    us_cli.ok("status", heard, "heard")
    us_cli.ok("status", rejected, "rejected")
    us_cli.ok("status", offer, "offer")
    assert statuses(us_cli)[round_1] == "next-round"
    rejected_before = us_cli.plan(rejected, all_=True)

    zones = {waiting: NY, heard: "Asia/Tokyo", round_1: NY, round_2: NY, offer: NY}
    days_before = {i: datetime.now(ZoneInfo(tz)).date() for i, tz in zones.items()}
    data = us_cli.json("status", chosen, "accepted")
    days_after = {i: datetime.now(ZoneInfo(tz)).date() for i, tz in zones.items()}

    assert sorted(data["withdrawn"]) == sorted(zones)
    assert statuses(us_cli) == {
        waiting: "withdrawn",
        heard: "withdrawn",
        rejected: "rejected",
        round_1: "withdrawn",
        round_2: "withdrawn",
        offer: "withdrawn",
        chosen: "accepted",
    }
    # One note per process: Delta's two rounds share the note on the later one.
    assert of_kind(us_cli.plan(round_1, all_=True), "withdraw") == []
    del zones[round_1]
    for interview_id, tz in zones.items():
        events = us_cli.plan(interview_id, all_=True)
        note = one(events, "withdraw")
        start = parse_start(note["start"])
        assert isinstance(start, datetime)
        local = start.astimezone(ZoneInfo(tz))
        assert start.utcoffset() == local.utcoffset()  # written in its own zone
        assert (local.hour, local.minute) == (10, 0)
        country = "JP" if tz == "Asia/Tokyo" else "US"  # the holidays of the zone's country
        assert local.date() in {
            next_business_day(days_before[interview_id], country),
            next_business_day(days_after[interview_id], country),
        }
        assert note["status"] == "scheduled"
        assert "accepted another offer" in note["summary"]
        others = [e for e in events if e["kind"] != "withdraw"]
        assert {e["status"] for e in others} == {"cancelled"}
    acme_note = one(us_cli.plan(waiting), "withdraw")
    described = us_cli.json("plan", waiting)[0]["description"]
    assert acme_note["summary"].startswith("Tell Acme")
    for name in ("Carla Contact <carla@acme.example>", "Ann Able <ann@acme.example>", "Ben Baker"):
        assert name in described
    assert "+1 555 010 1000" in described
    # The rejected process is closed already: untouched.
    assert us_cli.plan(rejected, all_=True) == rejected_before
    chosen_events = us_cli.plan(chosen, all_=True)
    assert {e["status"] for e in of_kind(chosen_events, "thank-you")} == {"scheduled"}
    assert {e["status"] for e in chosen_events if e["kind"] != "thank-you"} == {"cancelled"}


def test_status_human_output_names_withdrawn_processes(us_cli: Cli) -> None:
    other = us_cli.log("--company", "Other\nCorp", "--at", "2030-05-06 10:00")
    chosen = us_cli.log("--company", "Chosen", "--at", "2030-05-07 10:00")
    out = us_cli.ok("status", chosen, "accepted").out
    assert f"Interview {chosen} is now accepted." in out
    assert f"Withdrawn: interview {other} (Other Corp)" in out


def test_next_round_same_company_and_role(us_cli: Cli) -> None:
    first = us_cli.log(
        "--company", "Globex", "--role", "Backend Engineer", "--at", "2030-05-01 10:00"
    )
    other_role = us_cli.log("--company", "Globex", "--role", "Designer", "--at", "2030-05-02 10:00")
    second = us_cli.log(
        "--company", "GLOBEX", "--role", "backend engineer", "--at", "2030-05-08 10:00"
    )
    assert statuses(us_cli) == {first: "next-round", other_role: "waiting", second: "waiting"}
    events = us_cli.plan(first, all_=True)
    assert {e["status"] for e in of_kind(events, "thank-you")} == {"scheduled"}
    assert {e["status"] for e in events if e["kind"] != "thank-you"} == {"cancelled"}
    assert {e["status"] for e in us_cli.plan(second)} == {"scheduled"}
    assert len(us_cli.plan(second)) == 5


# --- done ---


def test_done_for_one_interviewer(us_cli: Cli) -> None:
    interview_id = log_example_1(us_cli)
    result = us_cli.ok("done", interview_id, "thank-you", "--who", "raj patel")
    assert result.out.strip() == (
        "Marked done: Send a thank-you note to Raj Patel (Northwind Traders)"
        " (Mon 2027-11-15 12:00 EST)"
    )
    thanks = {e["who"]: e for e in of_kind(us_cli.plan(interview_id), "thank-you")}
    assert thanks["Raj Patel"]["status"] == "done"
    assert thanks["Raj Patel"]["summary"].startswith("✓ Done: ")
    assert thanks["Raj Patel"]["sequence"] == 1
    assert thanks["Jane Doe"]["status"] == "scheduled"
    assert not thanks["Jane Doe"]["summary"].startswith("✓")


def test_done_follow_up_keeps_the_check_ins(us_cli: Cli) -> None:
    interview_id = log_example_1(us_cli)
    assert us_cli.ok("done", interview_id, "follow-up").code == 0
    events = us_cli.plan(interview_id)
    assert one(events, "follow-up")["status"] == "done"
    assert {e["status"] for e in of_kind(events, "check-in")} == {"scheduled"}
    marked = us_cli.ok("done", interview_id, "thank-you", "--all").out.splitlines()
    assert len(marked) == 2 and all(line.startswith("Marked done: ") for line in marked)
    # A done event stays through a status change.
    us_cli.ok("status", interview_id, "heard")
    after = us_cli.plan(interview_id)
    assert {e["kind"] for e in after} == {"thank-you", "follow-up"}
    assert {e["status"] for e in after} == {"done"}


def test_done_then_revised_promise_schedules_the_new_follow_up(us_cli: Cli) -> None:
    interview_id = us_cli.log(
        "--company", "Old Co", "--at", "2025-06-02 10:00", "--decision-by", "2025-06-09"
    )
    us_cli.ok("done", interview_id, "follow-up")
    assert one(us_cli.plan(interview_id), "follow-up")["status"] == "done"
    us_cli.ok("promise", interview_id, "2031-03-07")
    follow = one(us_cli.plan(interview_id), "follow-up")
    assert follow["start"] == "2031-03-07T15:00:00-05:00"
    assert follow["status"] == "scheduled"
    assert not follow["summary"].startswith("✓")


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["done", "1", "thanks"], "kind"),
        (["done", "1", "stay-in-touch"], "kind"),
        (["done", "1", "thank-you", "--who", "Nobody"], "who"),
        (["done", "9", "thank-you"], "id"),
    ],
)
def test_done_unknown_kind_or_who_exits_2(populated: Cli, args: list[str], field: str) -> None:
    result = populated(*args)
    assert result.code == 2
    assert result.err.startswith(f"followup: error: {field}: ")
    assert result.out == ""


def test_done_marks_the_next_check_in_and_all_marks_every_one(us_cli: Cli) -> None:
    interview_id = log_example_1(us_cli)
    first = us_cli.ok("done", interview_id, "check-in").out
    assert "(1 of 2)" in first and "2027-12-07" in first
    checks = of_kind(us_cli.plan(interview_id), "check-in")
    assert [c["status"] for c in checks] == ["done", "scheduled"]
    assert "(2 of 2)" in us_cli.ok("done", interview_id, "check-in").out
    again = us_cli("done", interview_id, "check-in")
    assert again.code == 2 and "already done" in again.err
    other = log_example_2(us_cli)
    assert len(us_cli.ok("done", other, "check-in", "--all").out.splitlines()) == 2


def test_accepting_a_later_round_closes_the_earlier_ones_quietly(us_cli: Cli) -> None:
    """Three rounds at Acme and two open rounds at Globex, then round 3 is accepted."""
    acme = [
        us_cli.log("--company", "Acme", "--role", "Data Analyst", "--at", at, "--interviewer", who)
        for at, who in [
            ("2030-05-06 10:00", "Ann Able"),
            ("2030-05-13 10:00", "Ben Baker"),
            ("2030-05-20 10:00", "Cy Clay"),
        ]
    ]
    globex_1 = us_cli.log(
        "--company",
        "Globex",
        "--at",
        "2030-05-07 10:00",
        "--interviewer",
        "Gil <gil@globex.example>",
    )
    globex_2 = us_cli.log(
        "--company", " globex ", "--at", "2030-05-14 10:00", "--interviewer", "Hana",
        "--contact", "Sam Hire <sam@globex.example>",
    )  # fmt: skip
    data = us_cli.json("status", acme[2], "accepted")
    assert sorted(data["withdrawn"]) == [globex_1, globex_2]
    states = statuses(us_cli)
    assert [states[i] for i in acme] == ["accepted"] * 3
    for earlier in acme[:2]:
        events = us_cli.plan(earlier, all_=True)
        assert of_kind(events, "withdraw") == []
        assert {e["status"] for e in of_kind(events, "thank-you")} == {"scheduled"}
    notes = [e for e in us_cli.plan() if e["kind"] == "withdraw"]
    assert len(notes) == 1 and notes[0]["interview_id"] == globex_2
    assert notes[0]["summary"].startswith("Tell globex") or notes[0]["summary"].startswith(
        "Tell  globex"
    )
    for name in ("Gil <gil@globex.example>", "Hana", "Sam Hire <sam@globex.example>"):
        assert name in notes[0]["description"]
    assert "Acme" not in " ".join(e["summary"] for e in notes)


def test_the_agenda_forgets_what_closed_processes_left_behind(us_cli: Cli) -> None:
    rejected = us_cli.log(
        "--company", "Gone Co", "--at", "2025-06-02 10:00", "--decision-by", "2025-06-06"
    )
    chosen = us_cli.log("--company", "Chosen Co", "--at", "2025-06-03 10:00")
    withdrawn = us_cli.log("--company", "Left Co", "--at", "2025-06-04 10:00")
    us_cli.ok("status", rejected, "rejected")
    before = us_cli.json("agenda")
    assert rejected not in {e["interview_id"] for e in before["overdue"]}
    us_cli.ok("status", chosen, "accepted")
    due = us_cli.json("agenda")
    overdue = {(e["interview_id"], e["kind"]) for e in due["overdue"]}
    upcoming = {(e["interview_id"], e["kind"]) for e in due["upcoming"]}
    assert overdue == set()
    # What the closings created are duties: stay in touch, and tell Left Co.
    assert {(rejected, "stay-in-touch"), (withdrawn, "withdraw")} <= upcoming
    assert all(kind in {"stay-in-touch", "withdraw"} for _, kind in upcoming)


# --- edit, list, agenda ---


def test_edit_recomputes_and_keeps_uids(us_cli: Cli) -> None:
    interview_id = log_example_1(us_cli)
    before = by_uid(us_cli.plan(interview_id))
    events = us_cli.json(
        "edit", interview_id, "--at", "2027-11-16 10:00", "--notes", "Bring a portfolio"
    )["events"]
    after = by_uid(events)
    assert set(after) == set(before)
    assert {e["start"] for e in of_kind(events, "thank-you")} == {"2027-11-16T12:00:00-05:00"}
    assert one(events, "follow-up")["start"] == "2027-12-01T10:00:00-05:00"
    assert {e["sequence"] for e in events} == {1}
    assert all("Bring a portfolio" in e["description"] for e in us_cli.json("plan", interview_id))

    # A decision date adds a decision day; the others keep their UIDs.
    events = us_cli.json("edit", interview_id, "--decision-by", "2027-11-19")["events"]
    assert one(events, "decision-day")["start"] == "2027-11-19"
    assert one(events, "follow-up")["start"] == "2027-11-22T10:00:00-05:00"
    assert set(before) < set(by_uid(events))

    # Nothing changed: nothing moves.
    again = by_uid(us_cli.json("edit", interview_id)["events"])
    assert again == by_uid(events)


def test_edit_interviewers_cancels_the_old_thank_you(us_cli: Cli) -> None:
    interview_id = log_example_1(us_cli)
    before = {e["who"]: e for e in of_kind(us_cli.plan(interview_id), "thank-you")}
    us_cli.ok("edit", interview_id, "--interviewer", "Jane Doe", "--interviewer", "Kim Lo")
    everything = us_cli.plan(interview_id, all_=True)
    thanks = {e["who"]: e for e in of_kind(everything, "thank-you")}
    assert thanks["Jane Doe"]["uid"] == before["Jane Doe"]["uid"]
    assert thanks["Raj Patel"]["status"] == "cancelled"
    assert thanks["Raj Patel"]["sequence"] == 1
    assert thanks["Kim Lo"]["status"] == "scheduled"


def test_list_json_fields(us_cli: Cli) -> None:
    first = log_example_1(us_cli)
    second = log_example_2(us_cli)
    listed = us_cli.json("list")
    assert [i["id"] for i in listed] == [first, second]
    for item in listed:
        assert {"id", "company", "role", "status", "start", "tz", "decision_by"} <= set(item)
    assert (listed[0]["company"], listed[0]["role"], listed[0]["status"]) == (
        "Northwind Traders",
        "Data Analyst",
        "waiting",
    )
    assert (listed[0]["start"], listed[0]["tz"], listed[0]["decision_by"]) == (
        "2027-11-15T10:00",
        NY,
        None,
    )
    assert listed[1]["decision_by"] == "2027-12-23"
    assert [p["name"] for p in listed[0]["interviewers"]] == ["Jane Doe", "Raj Patel"]
    table = us_cli.ok("list").out
    assert "Northwind Traders" in table and "2027-12-23" in table


def test_list_when_empty(cli: Cli) -> None:
    assert cli.json("list") == []
    assert cli.ok("list").out.strip() == "No interviews yet."


def test_agenda_shows_overdue_first(us_cli: Cli) -> None:
    past = us_cli.log("--company", "Past Co", "--at", "2025-06-02 10:00")
    tomorrow = datetime.now(ZoneInfo(NY)).date() + timedelta(days=1)
    soon = us_cli.log("--company", "Soon Co", "--at", f"{tomorrow} 10:00")
    text = us_cli.ok("agenda").out
    overdue_at = text.index("Overdue:")
    upcoming_at = text.index("Due in the next 7 days:")
    assert overdue_at < upcoming_at
    assert "Past Co" in text[overdue_at:upcoming_at]
    assert "Soon Co" not in text[overdue_at:upcoming_at]
    assert "Soon Co" in text[upcoming_at:]
    data = us_cli.json("agenda")
    assert {e["interview_id"] for e in data["overdue"]} == {past}
    # thank-you, follow-up, 2 check-ins; a passed move-on day is no duty
    assert [e["kind"] for e in data["overdue"]] == [
        "thank-you",
        "follow-up",
        "check-in",
        "check-in",
    ]
    assert [e["kind"] for e in data["upcoming"]] == ["thank-you"]
    assert data["upcoming"][0]["interview_id"] == soon
    # Done steps are no longer due; `done` marks the next one of its kind.
    out = us_cli.ok("done", past, "check-in").out
    assert out.startswith("Marked done: Check in with Past Co (1 of 2) (")
    assert len(us_cli.json("agenda")["overdue"]) == 3


def test_agenda_when_nothing_is_due(us_cli: Cli) -> None:
    us_cli.log("--company", "Far Co", "--at", "2030-05-06 10:00")
    assert us_cli.ok("agenda", "--days", "3").out.strip() == "Nothing due in the next 3 days."


# --- the installed script as a child process ---


def test_subprocess_exit_codes_and_no_traceback(home: Path) -> None:
    ok = run_followup("log", "--company", "Acme", "--at", "2027-11-15 10:00", "--tz", NY, "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["id"] == 1
    assert ok.stderr == "" or ok.stderr.startswith("warning: ")  # a date far from today

    bad = run_followup("log", "--company", "Acme", "--at", "2027-11-15 25:00")
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and bad.stderr.startswith("followup: error: at: ")
    assert "Traceback" not in bad.stderr and bad.stdout == ""

    missing = run_followup("status", "7", "heard")
    assert missing.returncode == 2 and "id: there is no interview 7" in missing.stderr

    usage = run_followup("frobnicate")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr

    (home / "followup.sqlite3").write_bytes(b"this is not a database" * 100)
    corrupt = run_followup("list")
    assert corrupt.returncode == 1
    assert "corrupt" in corrupt.stderr and "Traceback" not in corrupt.stderr


def test_subprocess_help_and_version_do_not_load_heavy_modules(home: Path) -> None:
    assert run_followup("--version").stdout.startswith("followup, version ")
    probe = (
        "import sys\n"
        "from interview_followup.cli.main import main\n"
        "code = main(['--help'])\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules}"
        " & {'icalendar', 'caldav', 'googleapiclient', 'holidays'})\n"
        "print(code, heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "0 []"
    assert "Usage: followup" in done.stdout


def test_twenty_concurrent_logs_all_land(home: Path) -> None:
    assert FOLLOWUP_BIN.exists()

    def log(n: int) -> Any:
        return run_followup(
            "log",
            "--company",
            f"Company {n}",
            "--at",
            f"2027-11-{n % 20 + 1:02d} 10:00",
            "--tz",
            "Europe/Berlin",
            "--interviewer",
            f"Person {n}",
            "--json",
            timeout=120,
        )

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(log, range(20)))
    for result in results:
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    ids = sorted(json.loads(r.stdout)["id"] for r in results)
    assert ids == list(range(1, 21))
    listed = json.loads(run_followup("list", "--json").stdout)
    assert sorted(i["company"] for i in listed) == sorted(f"Company {n}" for n in range(20))
    events = json.loads(run_followup("plan", "--json").stdout)
    assert len(events) == 20 * 5
    assert len({e["uid"] for e in events}) == 100
    for event in events:
        if not event["all_day"]:
            start = parse_start(event["start"])
            assert isinstance(start, datetime)
            if event["kind"] in ("follow-up", "check-in"):
                assert is_business_day(start.date())


def test_decision_date_phrase_counts_from_the_interview_day(us_cli: Cli) -> None:
    data = us_cli.json(
        "log", "--company", "Acme", "--at", "2027-11-15 10:00", "--decision-by", "next friday"
    )
    assert data["interview"]["decision_by"] == "2027-11-19"
    assert one(data["events"], "decision-day")["start"] == date(2027, 11, 19).isoformat()


def test_refresh_brings_stored_events_back_to_the_rules(us_cli: Cli) -> None:
    """As after an upgrade that changed the wording: stored texts differ from the rules."""
    import sqlite3

    us_cli.log("--company", "Acme", "--at", "2027-11-15 10:00", "--tz", NY)
    assert us_cli.ok("refresh").out.strip() == "0 events changed."
    with sqlite3.connect(us_cli.home / "followup.sqlite3") as conn:
        conn.execute(
            "UPDATE events SET summary = 'old words', hash = 'v0:old' WHERE kind = 'follow-up'"
        )
    assert us_cli.ok("refresh").out.strip() == "1 event changed."
    follow_up = [e for e in us_cli.json("plan", "--json") if e["kind"] == "follow-up"]
    assert (
        follow_up[0]["summary"].startswith("Follow up with Acme") and follow_up[0]["sequence"] == 1
    )


@pytest.mark.parametrize(
    "zone_name", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Tokyo", "UTC"]
)
def test_agenda_matches_a_full_scan_in_every_zone(us_cli: Cli, zone_name: str) -> None:
    """The agenda reads only steps due soon; check it against a scan of the whole plan."""
    from interview_followup import service
    from interview_followup.model import EventStatus

    for day in range(1, 20, 3):
        us_cli.log("--company", f"Co {day}", "--at", f"2030-05-{day:02d} 23:30", "--tz", zone_name)
    ws = service.open_workspace()
    try:
        everything = [e for e in service.plan(ws) if e.status is EventStatus.SCHEDULED]
        for hours in range(0, 24 * 40, 7):
            now = datetime(2030, 5, 1, tzinfo=ZoneInfo("UTC")) + timedelta(hours=hours)
            due = service.agenda(ws, now=now, days_ahead=7)
            expected = set()
            today = now.astimezone(ZoneInfo(NY)).date()  # the user's own zone
            for event in everything:
                if isinstance(event.start, datetime):
                    start_day = event.start.astimezone(ZoneInfo(NY)).date()
                elif event.start < today:
                    continue  # a passed move-on day is no duty
                else:
                    start_day = event.start
                if start_day <= today + timedelta(days=7):
                    expected.add(event.uid)
            assert {e.uid for e in due.overdue + due.upcoming} == expected, now
    finally:
        ws.close()
