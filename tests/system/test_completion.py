"""Shell completion through Click's protocol, as bash, zsh and fish call the installed
script: `_FOLLOWUP_COMPLETE=<shell>_complete` with COMP_WORDS and COMP_CWORD."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import FOLLOWUP_BIN, Cli, snapshot


def complete(words: str, shell: str = "bash", home: Path | None = None) -> list[str]:
    """The completion script's answer for the command line ``words`` (cursor at its end)."""
    parts = words.split()
    cword = len(parts) if words.endswith(" ") else len(parts) - 1
    # fish passes the word being completed itself, bash and zsh its index.
    current = "" if words.endswith(" ") else parts[-1]
    env = {
        **os.environ,
        "_FOLLOWUP_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": current if shell == "fish" else str(cword),
    }
    if home is not None:
        env["FOLLOWUP_HOME"] = str(home)
    done = subprocess.run(
        [str(FOLLOWUP_BIN)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return [line for line in done.stdout.splitlines() if line]


def values(lines: list[str]) -> list[str]:
    """bash answers one `type,value` line per item."""
    return [line.split(",", 1)[1] for line in lines]


def test_statuses(populated: Cli) -> None:
    assert values(complete("followup status 1 ")) == [
        "waiting",
        "heard",
        "next-round",
        "offer",
        "rejected",
        "withdrawn",
        "accepted",
    ]
    assert values(complete("followup status 1 w")) == ["waiting", "withdrawn"]


def test_kinds(populated: Cli) -> None:
    assert values(complete("followup done 2 th")) == ["thank-you"]
    assert "check-in" in values(complete("followup done 2 "))


@pytest.mark.parametrize(
    "command", ["status", "done", "edit", "promise", "plan", "show", "move", "delete", "history"]
)
def test_interview_ids(populated: Cli, command: str) -> None:
    assert values(complete(f"followup {command} ")) == ["1", "2"]


def test_a_deleted_interview_is_not_offered(populated: Cli) -> None:
    populated.ok("delete", "1", "--yes")
    assert values(complete("followup status ")) == ["2"]


def test_move_completes_kinds(populated: Cli) -> None:
    assert values(complete("followup move 1 fo")) == ["follow-up"]


def test_ids_come_with_the_company_in_zsh_and_fish(populated: Cli) -> None:
    zsh = complete("followup status ", "zsh")
    # zsh: type, value, help, three lines per item.
    assert zsh == [
        "plain",
        "1",
        "Northwind Traders (Data Analyst), 2027-11-15 10:00, waiting",
        "plain",
        "2",
        "Globex, 2027-12-16 18:30, waiting",
    ]
    fish = complete("followup status ", "fish")
    assert fish[0] == "plain,1\tNorthwind Traders (Data Analyst), 2027-11-15 10:00, waiting"


def test_config_keys_and_values(cli: Cli) -> None:
    keys = values(complete("followup config set "))
    assert {"timezone", "country", "me", "date_order", "caldav.url"} <= set(keys)
    assert values(complete("followup config get dat")) == ["date_order"]
    assert values(complete("followup config set date_order ")) == ["DMY", "MDY"]


def test_files_are_left_to_the_shell(cli: Cli) -> None:
    assert complete("followup import inter") == ["file,inter"]
    assert complete("followup log --from-invite inv") == ["file,inv"]


def test_no_database_completes_no_id_and_creates_nothing(cli: Cli) -> None:
    assert complete("followup status ") == []
    assert snapshot(cli.home) == {}


def test_a_broken_database_completes_nothing_quietly(populated: Cli) -> None:
    (populated.home / "followup.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\x07" * 4096)
    before = snapshot(populated.home)
    assert complete("followup edit ") == []
    assert snapshot(populated.home) == before


def test_completion_never_changes_the_database(populated: Cli) -> None:
    before = snapshot(populated.home)
    complete("followup plan ")
    assert snapshot(populated.home) == before


def test_the_shell_scripts_are_generated(cli: Cli) -> None:
    for shell, marker in (
        ("bash", "complete -o"),
        ("zsh", "compdef"),
        ("fish", "complete --no-files --command followup"),
    ):
        env = {**os.environ, "_FOLLOWUP_COMPLETE": f"{shell}_source"}
        done = subprocess.run(
            [str(FOLLOWUP_BIN)], env=env, capture_output=True, text=True, timeout=60, check=True
        )
        assert marker in done.stdout and "_FOLLOWUP_COMPLETE" in done.stdout
