"""Everyday commands stay light: they never load the iCalendar, CalDAV or Google libraries,
nor the costlier parts of the standard library that they can do without."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import Cli

HEAVY = {
    "icalendar",
    "caldav",
    "googleapiclient",
    "google_auth_oauthlib",
    "niquests",
    "holidays",
    "dateutil",
}


@pytest.mark.parametrize(
    "command", [["--help"], ["list"], ["agenda"], ["list", "--json"], ["plan"]]
)
def test_everyday_commands_do_not_import_heavy_libraries(
    populated: Cli, command: list[str]
) -> None:
    assert _loaded(command, HEAVY) == []


def _loaded(command: list[str], watched: set[str], env: dict[str, str] | None = None) -> list[str]:
    """Which of ``watched`` (top-level module names) the command imported."""
    probe = (
        "import sys, io, contextlib\n"
        "from interview_followup.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main({command!r})\n"
        "assert code == 0, code\n"
        f"loaded = sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(watched)!r}))\n"
        "import json; print(json.dumps(loaded))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


# pathlib brings urllib.parse and ipaddress (a tenth of the start-up on Python 3.11);
# platformdirs brings pathlib and tempfile.
# tomllib compiles its regular expressions on import; json is for --json and events.
COSTLY = {"pathlib", "platformdirs", "tomllib", "json"}


@pytest.mark.parametrize(
    ("command", "needed"), [(["--help"], []), (["list"], []), (["agenda"], ["json"])]
)
def test_everyday_commands_skip_costly_modules(
    tmp_path: Path, command: list[str], needed: list[str]
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FOLLOWUP_", "XDG_"))}
    env["HOME"] = str(tmp_path)  # the default folders, as for most users
    config = tmp_path / ".config" / "interview-followup" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('country = "US"\n', encoding="utf-8")  # a config they need not read
    soon = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%d 10:00")
    subprocess.run(
        [sys.executable, "-m", "interview_followup", "log", "--company", "Acme", "--at", soon],
        env=env,
        check=True,
        capture_output=True,
    )
    assert _loaded(command, COSTLY, env) == needed
