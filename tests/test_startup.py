"""Everyday commands stay light: they never load the iCalendar, CalDAV or Google libraries."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import Cli

HEAVY = {"icalendar", "caldav", "googleapiclient", "google_auth_oauthlib", "niquests", "holidays"}


@pytest.mark.parametrize(
    "command", [["--help"], ["list"], ["agenda"], ["list", "--json"], ["plan"]]
)
def test_everyday_commands_do_not_import_heavy_libraries(
    populated: Cli, command: list[str]
) -> None:
    probe = (
        "import sys, io, contextlib\n"
        "from interview_followup.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main({command!r})\n"
        f"print(code, sorted({{m.split('.')[0] for m in sys.modules}} & set({sorted(HEAVY)!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "0 []", done.stdout + done.stderr
