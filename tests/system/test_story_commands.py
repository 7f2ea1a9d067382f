"""`followup show`, `move`, `delete` and `list --status/--open`, through the real CLI."""

from __future__ import annotations

import os
import pty
import subprocess
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from conftest import FOLLOWUP_BIN, NY, Cli, business_day_on_or_after, by_uid, one, snapshot

# --- delete ---


def test_delete_cancels_every_step_and_leaves_list(populated: Cli) -> None:
    before = by_uid(populated.plan(1))
    result = populated.json("delete", "1", "--yes")
    assert result == {"id": 1, "deleted": True, "cancelled": len(before)}
    assert [i["id"] for i in populated.json("list")] == [2]
    assert all(e["interview_id"] == 2 for e in populated.plan(all_=True))
    assert populated("plan", "1").code == 2
    assert populated("status", "1", "heard").code == 2
    # Every calendar hears of it: the export has each step cancelled, SEQUENCE raised.
    exported = icalendar.Calendar.from_ical(populated.ok("export").out)
    seen = {str(v["UID"]): v for v in exported.walk("VEVENT")}
    for uid, event in before.items():
        assert str(seen[uid]["STATUS"]) == "CANCELLED"
        assert int(seen[uid]["SEQUENCE"]) == event["sequence"] + 1


def test_delete_off_a_terminal_needs_yes(populated: Cli) -> None:
    before = snapshot(populated.home)
    result = populated("delete", "1")
    assert result.code == 2
    assert result.err.startswith("followup: error: --yes: ")
    assert snapshot(populated.home) == before


def _delete_on_a_terminal(answer: bytes) -> tuple[int, str]:
    """`followup delete 1` with its input on a pseudo-terminal, typing ``answer``."""
    leader, follower = pty.openpty()
    try:
        child = subprocess.Popen(
            [str(FOLLOWUP_BIN), "delete", "1"],
            stdin=follower,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(os.environ),
        )
        os.close(follower)
        os.write(leader, answer)
        out, err = child.communicate(timeout=60)
    finally:
        os.close(leader)
    return child.returncode, (out + err).decode()


def test_delete_on_a_terminal_asks_and_no_keeps_it(populated: Cli) -> None:
    before = snapshot(populated.home)
    code, text = _delete_on_a_terminal(b"n\n")
    assert code == 1, text
    assert "Delete interview 1 (Northwind Traders, Data Analyst, 2027-11-15 10:00)?" in text
    assert "followup: error: nothing deleted" in text
    assert snapshot(populated.home) == before


def test_delete_on_a_terminal_asks_and_yes_deletes(populated: Cli) -> None:
    code, text = _delete_on_a_terminal(b"y\n")
    assert code == 0, text
    assert "Deleted interview 1" in text
    assert [i["id"] for i in populated.json("list")] == [2]


# --- move ---


def test_move_follow_up_keeps_its_uid_and_the_check_ins_follow(populated: Cli) -> None:
    before = by_uid(populated.plan(1))
    follow_up = one(populated.plan(1), "follow-up")
    moved = populated.json("move", "1", "follow-up", "2027-12-02 14:00")
    assert moved["event"]["uid"] == follow_up["uid"]
    assert moved["event"]["sequence"] == follow_up["sequence"] + 1
    assert moved["event"]["start"] == "2027-12-02T14:00:00-05:00"
    assert moved["from"] == follow_up["start"]
    assert {e["kind"] for e in moved["followed"]} == {"check-in", "move-on"}

    def check(events: list[dict[str, Any]]) -> None:
        assert one(events, "follow-up")["start"] == "2027-12-02T14:00:00-05:00"
        for event in events:
            if event["kind"] == "check-in":
                day = business_day_on_or_after(
                    date(2027, 12, 2) + timedelta(days=7 * int(event["summary"][-7])), "US"
                )
                assert event["start"] == f"{day.isoformat()}T10:00:00-05:00"
        move_on = business_day_on_or_after(date(2027, 12, 23), "US")
        assert one(events, "move-on")["start"] == move_on.isoformat()
        assert set(by_uid(events)) == set(before)

    check(populated.plan(1))
    # A later recompute keeps the user's move.
    populated.ok("edit", "1", "--notes", "bring the portfolio")
    check(populated.plan(1))
    populated.ok("config", "set", "follow_up_time", "11:00")
    populated.ok("config", "set", "follow_up_time", "10:00")
    populated.ok("refresh")
    check(populated.plan(1))


def test_move_without_a_time_keeps_the_steps_time_and_names_the_day(populated: Cli) -> None:
    result = populated.ok("move", "2", "thank-you", "2027-12-20")
    assert "Moved thank-you (Ann Lee) of interview 2 to Mon 2027-12-20" in result.out
    thank_you = one(populated.plan(2), "thank-you")
    assert thank_you["start"].startswith("2027-12-20T")
    assert thank_you["start"][11:16] == "09:00"  # the step's own time (the morning after 18:30)


def test_move_an_all_day_step_and_one_person_thank_you(populated: Cli) -> None:
    populated.ok("move", "2", "decision-day", "2027-12-27")
    assert one(populated.plan(2), "decision-day")["start"] == "2027-12-27"
    populated.ok("move", "1", "thank-you", "2027-11-16 08:30", "--who", "raj patel")
    notes = {e["who"]: e["start"] for e in populated.plan(1) if e["kind"] == "thank-you"}
    assert notes["Raj Patel"] == "2027-11-16T08:30:00-05:00"
    assert notes["Jane Doe"] != notes["Raj Patel"]


def test_move_takes_the_next_check_in_not_done(populated: Cli) -> None:
    populated.ok("move", "1", "check-in", "2027-12-09 16:00")
    check_ins = [e for e in populated.plan(1) if e["kind"] == "check-in"]
    assert "(1 of 2)" in check_ins[0]["summary"] and check_ins[0]["start"].startswith(
        "2027-12-09T16:00"
    )


def test_move_reads_when_in_the_users_zone(populated: Cli) -> None:
    populated.ok("config", "set", "timezone", "Europe/Berlin")
    populated.ok("move", "2", "follow-up", "2028-01-04 16:00")
    follow_up = one(populated.plan(2), "follow-up")
    moment = datetime.fromisoformat(follow_up["start"])
    assert moment.astimezone(ZoneInfo("Europe/Berlin")).hour == 16
    assert moment.astimezone(ZoneInfo(NY)).hour == 10


# --- show ---


def test_show_tells_the_whole_story(populated: Cli) -> None:
    populated.ok(
        "edit",
        "1",
        "--phone",
        "+1 555 010 2030",
        "--posting-url",
        "https://n.example/job",
        "--notes",
        "team of five",
    )
    populated.ok("status", "1", "heard")
    populated.ok("done", "1", "thank-you", "--who", "Jane Doe")
    story = populated.json("show", "1")
    assert set(story) == {
        "interview",
        "logged_at",
        "zone",
        "country",
        "subdivision",
        "history",
        "steps",
    }
    interview = story["interview"]
    assert interview["company"] == "Northwind Traders" and interview["role"] == "Data Analyst"
    assert [p["email"] for p in interview["interviewers"]] == ["jane@northwind.example", ""]
    assert interview["phone"] == "+1 555 010 2030"
    assert story["zone"] == NY and story["country"] == "US"
    assert [(c["type"], c["status"] or c["kind"]) for c in story["history"]] == [
        ("status", "heard"),
        ("done", "thank-you"),
    ]
    states = {(s["kind"], s["who"]): s["state"] for s in story["steps"]}
    assert states[("thank-you", "Jane Doe")] == "done"
    assert states[("thank-you", "Raj Patel")] == "scheduled"
    assert states[("follow-up", "")] == "cancelled"
    assert all(s["local_start"] for s in story["steps"])

    text = populated.ok("show", "1").out
    for piece in [
        "Interview 1: Northwind Traders - Data Analyst  [heard]",
        "Jane Doe <jane@northwind.example>",
        "Raj Patel",
        "+1 555 010 2030",
        "https://n.example/job",
        "team of five",
        "status heard",
        "thank-you (Jane Doe) marked done",
        "logged",
        "US",
    ]:
        assert piece in text, piece
    assert text.count("cancelled") >= 3


def test_show_states_of_past_steps(cli: Cli) -> None:
    """Logged a week ago: its thank-you is overdue; a step moved to today is due."""
    cli.ok("config", "set", "timezone", "UTC")
    past = (datetime.now() - timedelta(days=7)).strftime("%Y-%m-%d 10:00")
    interview_id = cli.log("--company", "Acme", "--at", past)
    later = (datetime.now() + timedelta(minutes=2)).strftime("%Y-%m-%d %H:%M")
    if later[:10] == datetime.now().strftime("%Y-%m-%d"):
        cli.ok("move", interview_id, "follow-up", later)
        expected = "due"
    else:
        expected = "scheduled"
    states = {s["kind"]: s["state"] for s in cli.json("show", interview_id)["steps"]}
    assert states["thank-you"] == "overdue"
    if expected == "due":
        assert states["follow-up"] == "due"


# --- list filters and --json everywhere ---


def test_list_status_and_open(populated: Cli) -> None:
    third = populated.log("--company", "Initech", "--at", "2027-11-20 09:00")
    populated.ok("status", "1", "rejected")
    populated.ok("status", str(third), "offer")
    assert [i["id"] for i in populated.json("list", "--status", "rejected")] == [1]
    assert [
        i["id"] for i in populated.json("list", "--status", "offer", "--status", "waiting")
    ] == [third, 2]
    assert [i["id"] for i in populated.json("list", "--open")] == [third, 2]
    assert "Initech" not in populated.ok("list", "--status", "rejected").out


@pytest.mark.parametrize(
    ("args", "fields"),
    [
        (["config", "get", "check_ins"], {"key", "value"}),
        (["config", "set", "check_ins", "3"], {"key", "value"}),
        (["done", "1", "thank-you"], {"id", "kind", "marked"}),
        (["refresh"], {"changed"}),
        (["status", "1", "heard"], {"id", "status", "withdrawn", "events"}),
        (["promise", "2", "2028-01-10"], {"id", "decision_by", "events"}),
        (
            ["move", "1", "follow-up", "2027-12-02 14:00"],
            {"id", "kind", "from", "event", "followed"},
        ),
        (["delete", "1", "--yes"], {"id", "deleted", "cancelled"}),
        (["undo"], {"undone"}),
        (
            ["show", "1"],
            {"interview", "logged_at", "zone", "country", "subdivision", "history", "steps"},
        ),
    ],
)
def test_json_fields(populated: Cli, args: list[str], fields: set[str]) -> None:
    assert set(populated.json(*args)) == fields


def test_config_list_json(populated: Cli) -> None:
    settings = {s["key"]: s for s in populated.json("config", "list")}
    assert settings["country"]["value"] == "US"
    assert set(settings["country"]) == {"key", "value", "help"}
