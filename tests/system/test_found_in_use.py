"""Defects found living through a job hunt with the real CLI, each pinned by a test."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import Cli

FOLLOWUP = Path(sys.executable).parent / "followup"

SEMICOLON_CSV = (
    "Company;Role;At;TZ;Interviewers\n"
    'Hooli;Data Engineer;15.03.2027 14:00;Europe/Berlin;"Gavin Belson <gavin@hooli.example>;'
    ' Jared Dunn <jared@hooli.example>"\n'
)


def test_importing_the_same_file_again_records_no_change(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hunt.csv").write_text(SEMICOLON_CSV, encoding="utf-8")
    cli.ok("import", "hunt.csv")
    cli.ok("import", "hunt.csv")
    assert [e["command"] for e in cli.json("history")] == ["import hunt.csv"]
    # A real change of the people is still told.
    cli.ok("edit", "1", "--remove-interviewer", "Jared Dunn")
    texts = [c["text"] for c in cli.json("history")[0]["changes"]]
    assert "interview 1: changed interviewers" in texts


def test_move_says_the_new_time_in_your_zone_as_it_was_given(cli: Cli) -> None:
    cli.ok("config", "set", "timezone", "Europe/London")
    cli.ok("log", "--company", "Acme", "--at", "2027-11-15 10:00", "--tz", "America/New_York")
    moved = cli.ok("move", "1", "follow-up", "2027-12-01 15:00").out
    assert "to Wed 2027-12-01 15:00 GMT (10:00 EST there)." in moved
    assert "check-in 1 follows: Wed 2027-12-08 15:00 GMT (10:00 EST there)" in moved


def test_an_acceptance_tells_one_note_per_process_not_per_round(cli: Cli) -> None:
    cli.ok("log", "--company", "Acme", "--at", "2027-11-15 10:00")
    cli.ok("log", "--company", "Acme", "--at", "2027-11-22 10:00")  # round 2 of Acme
    cli.ok("log", "--company", "Globex", "--at", "2027-11-16 10:00")
    out = cli.ok("status", "3", "accepted").out
    assert (
        "Withdrawn: interviews 1, 2 (Acme); one note to send them is scheduled, with interview 2."
        in out
    )
    assert out.count("Withdrawn:") == 1
    notes = [e for e in cli.plan() if e["kind"] == "withdraw"]
    assert [e["interview_id"] for e in notes] == [2]


def test_a_decision_date_as_a_spreadsheet_writes_it(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "eu.csv").write_text(
        "Company;At;TZ;Decision_by\nHooli;15.03.2027 14:00;Europe/Berlin;26.03.2027\n",
        encoding="utf-8",
    )
    cli.ok("import", "eu.csv")
    assert cli.json("list")[0]["decision_by"] == "2027-03-26"
    # Read as a start is: a slashed day that reads two ways waits for date_order, a
    # dotted one is day-first.
    two_ways = cli("edit", "1", "--decision-by", "04/05/2027")
    assert two_ways.code == 2 and "date_order" in two_ways.err
    cli.ok("edit", "1", "--decision-by", "04.05.2027")
    assert cli.json("list")[0]["decision_by"] == "2027-05-04"
    cli.ok("config", "set", "date_order", "DMY")
    cli.ok("edit", "1", "--decision-by", "05/05/2027")
    assert cli.json("list")[0]["decision_by"] == "2027-05-05"
    cli.ok("promise", "1", "07.05.2027")
    assert cli.json("list")[0]["decision_by"] == "2027-05-07"


def test_config_list_lines_up_its_comments(cli: Cli) -> None:
    cli.ok("config", "set", "name", "Alex Morgan")
    lines = cli.ok("config", "list").out.splitlines()
    assert len({line.index("=") for line in lines}) == 1
    assert len({line.index("  # ") for line in lines}) == 1


def test_logging_the_next_round_says_which_rounds_it_moved_on(cli: Cli) -> None:
    cli.ok("log", "--company", "Globex", "--at", "2027-11-15 10:00")
    out = cli.ok("log", "--company", " globex", "--at", "2027-11-22 10:00").out
    assert (
        "Interview 1 (Globex, 2027-11-15) is an earlier round of this process: now next-round."
        in out
    )
    # A round logged late, before the latest one, is told it is not the latest.
    out = cli.ok("log", "--company", "Globex", "--at", "2027-11-18 10:00").out
    assert "Interview 3 comes before interview 2 (2027-11-22), the latest round" in out
    assert [i["status"] for i in cli.json("list")] == ["next-round", "next-round", "waiting"]


def test_a_change_to_one_interview_leaves_its_past_as_it_was(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A setting changed earlier is not applied to past events by a later edit, status
    or import of that interview; a correction of when it was still moves them."""
    day = (datetime.now(UTC) - timedelta(days=3)).strftime("%Y-%m-%d")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hunt.csv").write_text(
        f"company,at,tz,interviewers\nInitech,{day} 10:00,UTC,Joan Smith\n", encoding="utf-8"
    )
    cli.ok("import", "hunt.csv")

    def thank_you() -> tuple[str, int]:
        [step] = [e for e in cli.plan("1") if e["kind"] == "thank-you"]
        return step["start"][11:16], step["sequence"]

    assert thank_you() == ("12:00", 0)
    cli.ok("config", "set", "thank_you_after", "2h")
    assert cli.json("import", "hunt.csv")["unchanged"] == [1]
    cli.ok("edit", "1", "--notes", "Met the whole team")
    cli.ok("status", "1", "heard")
    cli.ok("status", "1", "waiting")
    assert thank_you() == ("12:00", 0)
    cli.ok("edit", "1", "--at", f"{day} 11:00")  # it was an hour later: a correction
    assert thank_you() == ("14:00", 1)  # still to do: it follows
    cli.ok("done", "1", "thank-you")
    assert thank_you() == ("14:00", 2)  # marked done at its time
    cli.ok("edit", "1", "--at", f"{day} 10:30")
    assert thank_you() == ("14:00", 2)  # done is history, even for a correction


def test_importing_again_keeps_what_the_file_leaves_out(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hunt.csv").write_text(
        "company,at,tz,phone\nAcme,2027-03-15 14:00,UTC,\n", encoding="utf-8"
    )
    cli.ok("import", "hunt.csv")
    cli.ok("edit", "1", "--notes", "Bring the portfolio", "--phone", "+1 555 0100")
    assert cli.json("import", "hunt.csv")["unchanged"] == [1]
    [stored] = cli.json("list")
    assert (stored["notes"], stored["phone"]) == ("Bring the portfolio", "+1 555 0100")
    (tmp_path / "hunt.csv").write_text(
        "company,at,tz,phone\nAcme,2027-03-15 14:00,UTC,+1 555 0199\n", encoding="utf-8"
    )
    assert cli.json("import", "hunt.csv")["updated"] == [1]
    [stored] = cli.json("list")
    assert (stored["notes"], stored["phone"]) == ("Bring the portfolio", "+1 555 0199")


def test_undoing_a_setting_later_leaves_what_passed_meanwhile(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The setting moved a step still ahead then; by the undo that step has passed, both
    where it was and where the undo would put it: it stays as the calendar showed it."""
    ahead = datetime.now(UTC) + timedelta(days=1)
    cli.ok("log", "--company", "Initech", "--at", ahead.strftime("%Y-%m-%d %H:%M"), "--tz", "UTC")
    cli.ok("config", "set", "thank_you_after", "2h")
    [before] = [e for e in cli.plan("1") if e["kind"] == "thank-you"]
    later = (ahead + timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")
    assert shutil.which("faketime"), "apt-get install faketime (scripts/test.sh does this as root)"
    undone = subprocess.run(
        ["faketime", later, str(FOLLOWUP), "undo", "--json"], capture_output=True, text=True
    )
    assert undone.returncode == 0, undone.stderr
    [after] = [e for e in cli.plan("1") if e["kind"] == "thank-you"]
    assert (after["start"], after["sequence"]) == (before["start"], before["sequence"])
    assert cli.ok("config", "get", "thank_you_after").out.strip() == "1h"  # the setting is back
