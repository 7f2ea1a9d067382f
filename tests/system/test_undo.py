"""`followup undo` and `followup history`: every command that changes data records one
entry; undo puts back exactly what it changed, with the same UIDs and a higher SEQUENCE."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import icalendar
import pytest
from conftest import Cli, by_uid, snapshot


def state(cli: Cli) -> dict[str, Any]:
    """Everything a person can see of the data, less the SEQUENCEs (which only rise)."""
    interviews = cli.json("list")
    return {
        "interviews": interviews,
        "history": {i["id"]: cli.json("show", i["id"])["history"] for i in interviews},
        "events": sorted(
            ({k: v for k, v in e.items() if k != "sequence"} for e in cli.plan(all_=True)),
            key=lambda e: str(e["uid"]),
        ),
    }


def without_added(now: dict[str, Any], before: dict[str, Any]) -> dict[str, Any]:
    """``now`` less the steps that did not exist ``before`` and are cancelled: a step the
    undone command added stays, cancelled, so every calendar that got it drops it."""
    known = {e["uid"] for e in before["events"]}
    events = [e for e in now["events"] if e["uid"] in known or e["status"] != "cancelled"]
    return {**now, "events": events}


def sequences(cli: Cli) -> dict[str, int]:
    return {e["uid"]: e["sequence"] for e in cli.plan(all_=True)}


IMPORT_CSV = "company,role,start,tz,status\nInitech,Engineer,2027-11-20 09:00,America/New_York,\nGlobex,,2027-12-16 18:30,America/New_York,heard\n"


@pytest.mark.parametrize(
    "args",
    [
        ["log", "--company", "Initech", "--at", "2027-11-18 09:00"],
        ["edit", "1", "--notes", "ask about the team", "--interviewer", "Kim <kim@n.example>"],
        ["edit", "2", "--decision-by", "2028-01-07"],
        ["promise", "2", "2028-01-10"],
        ["status", "1", "rejected"],
        ["status", "2", "offer"],
        ["done", "1", "thank-you"],
        ["done", "1", "check-in", "--all"],
        ["move", "1", "follow-up", "2027-12-02 14:00"],
        ["delete", "1", "--yes"],
        ["import", "interviews.csv"],
        ["config", "set", "check_ins", "3"],
        ["config", "set", "follow_up_time", "11:30"],
    ],
    ids=lambda args: "-".join(args[:3]),
)
def test_undo_puts_back_exactly_what_a_command_changed(
    populated: Cli, args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "interviews.csv").write_text(IMPORT_CSV, encoding="utf-8")
    populated.ok("status", "2", "heard")  # an earlier entry undo must not reach
    before, config_before = state(populated), (populated.home / "config.toml").read_bytes()
    entries = len(populated.json("history"))
    populated.ok(*args)
    assert len(populated.json("history")) == entries + 1
    changed = sequences(populated)
    assert state(populated) != before

    undone = populated.json("undo")["undone"]
    assert undone["command"].split()[0] == args[0]
    assert without_added(state(populated), before) == before
    assert (populated.home / "config.toml").read_bytes() == config_before
    # Nothing goes back to an older SEQUENCE; what changed again goes above.
    after = sequences(populated)
    assert all(after.get(uid, seq) >= seq for uid, seq in changed.items())
    history = populated.json("history")
    assert history[0]["undone"] is True and history[1]["undone"] is False


def test_undo_of_an_acceptance_reverts_the_whole_cascade(populated: Cli, tmp_path: Path) -> None:
    third = populated.log("--company", "Initech", "--at", "2027-11-20 09:00")
    populated.ok("status", "2", "offer")
    before = state(populated)
    before_events = by_uid(populated.plan(all_=True))

    accepted = populated.json("status", third, "accepted")
    assert sorted(accepted["withdrawn"]) == [1, 2]
    accepted_events = by_uid(populated.plan(all_=True))
    withdraw_uids = {u for u, e in accepted_events.items() if e["kind"] == "withdraw"}
    assert len(withdraw_uids) == 2

    result = populated.ok("undo")
    assert f"status {third} accepted" in result.out
    assert "interview 1: waiting -> withdrawn" in result.out

    assert state(populated)["interviews"] == before["interviews"]
    statuses = {i["id"]: i["status"] for i in populated.json("list")}
    assert statuses == {1: "waiting", 2: "offer", third: "waiting"}
    now = by_uid(populated.plan(all_=True))
    assert set(now) == set(before_events) | withdraw_uids  # the same UIDs, none new
    for uid, event in before_events.items():
        assert now[uid]["status"] == event["status"], uid
        assert now[uid]["start"] == event["start"], uid
        if accepted_events[uid]["sequence"] != event["sequence"]:
            assert now[uid]["sequence"] > accepted_events[uid]["sequence"], uid
    for uid in withdraw_uids:  # the notes the acceptance added are cancelled everywhere
        assert now[uid]["status"] == "cancelled"
        assert now[uid]["sequence"] > accepted_events[uid]["sequence"]

    exported = icalendar.Calendar.from_ical(populated.ok("export").out)
    seen = {str(v["UID"]): v for v in exported.walk("VEVENT")}
    for uid, event in now.items():
        assert str(seen[uid]["STATUS"]) == {
            "scheduled": "CONFIRMED", "done": "CONFIRMED", "cancelled": "CANCELLED"
        }[event["status"]]  # fmt: skip
        assert int(seen[uid]["SEQUENCE"]) == event["sequence"]

    # Run again, it goes further back: the offer, then Initech's log.
    assert "status 2 offer" in populated.ok("undo").out
    assert populated.json("list")[1]["status"] == "waiting"
    assert "log Initech" in populated.ok("undo").out
    assert [i["id"] for i in populated.json("list")] == [1, 2]


def test_status_without_a_change_records_nothing(populated: Cli) -> None:
    entries = populated.json("history")
    populated.ok("status", "1", "waiting")
    assert populated.json("history") == entries


def test_nothing_to_undo_says_so_and_changes_nothing(populated: Cli) -> None:
    while populated.json("undo")["undone"] is not None:
        pass
    before = snapshot(populated.home)
    result = populated.ok("undo")
    assert result.out == "Nothing to undo.\n"
    assert populated.json("undo") == {"undone": None}
    assert snapshot(populated.home) == before


def test_history_lists_newest_first_with_what_changed(populated: Cli) -> None:
    populated.ok("status", "1", "rejected")
    populated.ok("promise", "2", "2028-01-10")
    entries = populated.json("history")
    assert [e["command"] for e in entries[:3]] == [
        "promise 2 2028-01-10",
        "status 1 rejected",
        "log Globex 2027-12-16 18:30",
    ]
    assert set(entries[0]) == {"id", "at", "command", "undone", "undone_at", "changes", "config"}
    texts = [c["text"] for c in entries[1]["changes"]]
    assert "interview 1: waiting -> rejected" in texts
    assert any("new step stay-in-touch" in t for t in texts)
    assert {c["interview_id"] for c in entries[1]["changes"]} == {1}
    assert [e["command"] for e in populated.json("history", "1")] == [
        "status 1 rejected",
        "log Northwind Traders 2027-11-15 10:00",
    ]
    assert entries[0]["id"] > entries[1]["id"]
    human = populated.ok("history").out
    assert human.index("promise 2") < human.index("status 1 rejected")


def test_history_of_one_interview_shows_only_its_changes(populated: Cli) -> None:
    populated.ok("status", "2", "accepted")  # withdraws interview 1
    entry = populated.json("history", "1")[0]
    assert entry["command"] == "status 2 accepted"
    assert entry["changes"] and {c["interview_id"] for c in entry["changes"]} == {1}
    everything = populated.json("history")[0]["changes"]
    assert {c["interview_id"] for c in everything} == {1, 2}


def test_history_of_a_deleted_interview_and_undo_of_the_delete(populated: Cli) -> None:
    populated.ok("delete", "1", "--yes")
    assert [e["command"] for e in populated.json("history", "1")][0] == "delete 1"
    assert "delete 1" in populated.ok("undo").out
    assert [i["id"] for i in populated.json("list")] == [1, 2]
    assert all(e["status"] == "scheduled" for e in populated.plan(1))


def test_config_set_entry_keeps_the_previous_value(populated: Cli) -> None:
    populated.ok("config", "set", "check_ins", "4")
    populated.ok("config", "set", "check_ins", "1")
    entry = populated.json("history")[0]
    assert entry["config"] == {"check_ins": "4"}
    populated.ok("undo")
    assert populated.json("config", "get", "check_ins")["value"] == "4"
    assert len([e for e in populated.plan(1) if e["kind"] == "check-in"]) == 4
    populated.ok("undo")
    assert "check_ins" not in (populated.home / "config.toml").read_text(encoding="utf-8")


def test_a_setting_the_plans_ignore_is_not_journaled(populated: Cli) -> None:
    entries = populated.json("history")
    populated.ok("config", "set", "feed_cancelled_days", "3")
    assert populated.json("history") == entries


def test_undo_and_history_before_anything_was_logged(cli: Cli) -> None:
    assert cli.ok("undo").out == "Nothing to undo.\n"
    assert cli.json("history") == []
    assert snapshot(cli.home) == {}
