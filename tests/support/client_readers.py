"""Our calendars as the clients people use read them: ical.js (Thunderbird, Nextcloud)
through node, vobject, and khal over a vdirsyncer subscription.

Each reader returns what the client made of every event, to compare with
`followup plan --all --json`: timed events as UTC instants, all-day ones as dates.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, Cli

JS = ROOT / "tests" / "js"
ICALJS = JS / "node_modules" / "ical.js" / "package.json"
KHAL = Path(sys.executable).parent / "khal"

When = tuple[str, str]  # (start, end): ISO instants in UTC, or ISO dates
Seen = dict[str, When]  # UID (or SUMMARY and start) -> what the client shows


# --- the calendar to read: several zones, both sides of each change, three years ---

# (company, local start, zone). Each interview brings a thank-you an hour after it, a
# follow-up about two weeks later, two weekly check-ins and an all-day move-on.
INTERVIEWS = [
    ("NY winter", "2027-01-12 10:00", "America/New_York"),
    ("NY spring change", "2027-03-14 03:30", "America/New_York"),  # the hour after it
    ("NY summer", "2027-07-06 14:00", "America/New_York"),
    ("NY autumn change", "2027-11-07 01:30", "America/New_York"),  # the repeated hour
    ("NY 2028", "2028-02-01 09:00", "America/New_York"),
    ("NY 2028 summer", "2028-06-20 16:00", "America/New_York"),
    ("NY 2029", "2029-08-14 11:00", "America/New_York"),
    ("Berlin winter", "2027-02-09 10:00", "Europe/Berlin"),
    ("Berlin spring change", "2027-03-28 03:30", "Europe/Berlin"),
    ("Berlin summer", "2028-07-11 15:00", "Europe/Berlin"),
    ("Berlin 2029", "2029-01-16 10:00", "Europe/Berlin"),
    ("Sydney summer", "2027-01-05 10:00", "Australia/Sydney"),  # before the first change
    ("Sydney winter", "2027-07-13 10:00", "Australia/Sydney"),
    ("Sydney 2028", "2028-10-01 03:30", "Australia/Sydney"),  # the hour after spring
    ("Sydney 2029", "2029-04-10 10:00", "Australia/Sydney"),
    ("Tokyo", "2028-03-07 10:00", "Asia/Tokyo"),
]


def log_interviews(cli: Cli) -> None:
    cli.ok("config", "set", "country", "US")
    cli.ok("config", "set", "timezone", "America/New_York")
    for company, at, tz in INTERVIEWS:
        cli.log("--company", company, "--at", at, "--tz", tz)
    cli.ok("status", "3", "heard")  # some cancelled events too


def _instant(value: datetime) -> str:
    assert value.tzinfo is not None, value
    return value.astimezone(UTC).isoformat()


def planned(events: list[dict[str, Any]]) -> Seen:
    """UID -> (start, end) from `followup plan --all --json`."""
    seen: Seen = {}
    for e in events:
        if e["all_day"]:
            seen[e["uid"]] = (e["start"], e["end"])
        else:
            start, end = datetime.fromisoformat(e["start"]), datetime.fromisoformat(e["end"])
            seen[e["uid"]] = (_instant(start), _instant(end))
    return seen


# --- ical.js ---


def require_icaljs() -> None:
    if shutil.which("node") is None or not ICALJS.exists():
        pytest.fail("node and ical.js are missing: `bash scripts/test.sh` installs them")


def icaljs_version() -> str:
    return str(json.loads(ICALJS.read_text())["version"])


def icaljs(path: Path) -> tuple[Seen, dict[str, str | None]]:
    """UID -> (start, end) as ical.js reads the file, and UID -> the zone it resolved."""
    require_icaljs()
    done = subprocess.run(
        ["node", str(JS / "read_ics.mjs"), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen: Seen = {}
    zones: dict[str, str | None] = {}

    def text(when: dict[str, Any]) -> str:
        if "date" in when:
            return str(when["date"])
        return _instant(datetime.fromtimestamp(when["unix"], UTC))

    for event in json.loads(done.stdout):
        seen[event["uid"]] = (text(event["start"]), text(event["end"]))
        zones[event["uid"]] = event["start"]["zone"]
    return seen, zones


# --- vobject ---


def vobject_reads(data: bytes) -> Seen:
    import vobject

    seen: Seen = {}
    for vevent in vobject.readOne(data.decode("utf-8")).vevent_list:
        start, end = vevent.dtstart.value, vevent.dtend.value
        if isinstance(start, datetime):
            # The zone is the calendar's own VTIMEZONE, not one vobject found by name.
            assert type(start.tzinfo).__module__.startswith("dateutil"), start.tzinfo
            seen[vevent.uid.value] = (_instant(start), _instant(end))
        else:
            seen[vevent.uid.value] = (start.isoformat(), end.isoformat())
    return seen


# --- khal ---


def khal_config(tmp: Path, folder: Path, zone: str) -> Path:
    path = tmp / f"khal-{zone.replace('/', '-')}.conf"
    path.write_text(
        f"""[calendars]
[[feed]]
path = {folder}
readonly = True

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
default_timezone = {zone}
local_timezone = {zone}

[sqlite]
path = {tmp / f"khal-{zone.replace('/', '-')}.db"}
""",
        encoding="utf-8",
    )
    return path


def khal_list(config: Path, first: date, last: date) -> set[tuple[str, str, str]]:
    """(SUMMARY, start, end) of each event `khal list` shows, in its local time zone."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env["HOME"] = str(config.parent)  # nothing of the developer's own khal
    done = subprocess.run(
        [
            str(KHAL),
            "-c",
            str(config),
            "list",
            "--once",
            "--day-format",
            "",
            "--json",
            "title",
            "--json",
            "start",
            "--json",
            "end",
            first.isoformat(),
            last.isoformat(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    shown: set[tuple[str, str, str]] = set()
    for line in done.stdout.splitlines():
        if line.strip():
            for event in json.loads(line):
                shown.add((event["title"], event["start"], event["end"]))
    return shown
