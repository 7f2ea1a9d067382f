"""`followup import` and `export` draw a progress line on a terminal's stderr only, and
never touch stdout with it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import icalendar
from conftest import Cli, run_followup
from support.terminal import run_on_a_terminal

# No waiting in these tests: the line shows from the first row or event on.
AT_ONCE = {"FOLLOWUP_PROGRESS_DELAY": "0"}
ROWS, WITH_STATUS = 30, 10


def big_csv(folder: Path) -> Path:
    lines = ["company,role,at,tz,status"]
    for number in range(ROWS):
        status = "heard" if number < WITH_STATUS else ""
        lines.append(f"Firm {number},Engineer,2030-05-{number % 27 + 1:02d} 10:00,UTC,{status}")
    path = folder / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_on_a_terminal_shows_rows_and_statuses(cli: Cli, tmp_path: Path) -> None:
    result = run_on_a_terminal("import", str(big_csv(tmp_path)), env=AT_ONCE)
    assert result.code == 0, result.drawn
    steps = ROWS + WITH_STATUS  # each row written, then each status it sets
    assert "Importing" in result.drawn and f"{steps}/{steps}" in result.drawn
    assert "/s" in result.drawn  # the rate
    assert (
        result.out
        == (
            f"Imported {ROWS} new and updated 0 interviews.\n"
            f"Set the status of {WITH_STATUS} of them, as the file says.\n"
        ).encode()
    )
    assert len(cli.json("list")) == ROWS


def test_import_draws_nothing_with_json_or_off_a_terminal(cli: Cli, tmp_path: Path) -> None:
    path = str(big_csv(tmp_path))
    result = run_on_a_terminal("import", path, "--json", env=AT_ONCE)
    assert result.code == 0 and result.drawn == ""
    assert len(json.loads(result.out)["added"]) == ROWS
    piped = run_followup("import", path, env={**os.environ, **AT_ONCE})
    assert piped.returncode == 0 and piped.stderr == ""
    assert piped.stdout == f"Imported 0 new and updated 0 interviews, {ROWS} already as stored.\n"


def test_a_quick_import_shows_no_line(cli: Cli, tmp_path: Path) -> None:
    # Before the delay is up nothing is drawn: a short run would only flicker.
    result = run_on_a_terminal(
        "import", str(big_csv(tmp_path)), env={"FOLLOWUP_PROGRESS_DELAY": "60"}
    )
    assert result.code == 0 and result.drawn == ""


def test_export_to_stdout_keeps_the_calendar_clean(cli: Cli, tmp_path: Path) -> None:
    assert run_followup("import", big_csv(tmp_path)).returncode == 0
    result = run_on_a_terminal("export", env=AT_ONCE)
    assert result.code == 0, result.drawn
    calendar = icalendar.Calendar.from_ical(result.out)
    events = len(calendar.walk("VEVENT"))
    assert events > ROWS
    assert result.out.startswith(b"BEGIN:VCALENDAR\r\n")
    assert result.out.endswith(b"END:VCALENDAR\r\n")
    assert "Exporting" in result.drawn and f"{events}/{events}" in result.drawn
    # Every text is stored now: nothing is left to render, so nothing is drawn.
    again = run_on_a_terminal("export", env=AT_ONCE)
    assert again.code == 0 and again.drawn == "" and again.out == result.out


def test_export_to_a_file_and_off_a_terminal(cli: Cli, tmp_path: Path) -> None:
    assert run_followup("import", big_csv(tmp_path)).returncode == 0
    target = tmp_path / "out.ics"
    piped = run_followup("export", env={**os.environ, **AT_ONCE})
    assert piped.returncode == 0 and piped.stderr == ""
    icalendar.Calendar.from_ical(piped.stdout)
    # Off a terminal the texts were stored too; a changed interview is rendered again.
    cli.ok("status", "1", "rejected")
    result = run_on_a_terminal("export", "-o", str(target), env=AT_ONCE)
    assert result.code == 0 and result.out == b""
    assert "Exporting" in result.drawn and f"Wrote {target}." in result.drawn
    assert result.drawn.index("Exporting") < result.drawn.index("Wrote")
    assert len(icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")) > ROWS
