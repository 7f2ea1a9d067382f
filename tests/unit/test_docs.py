"""The README's command table against the CLI itself, so that neither can drift: every
command has a row, every row names a command, and every option a command's --help
lists is in its row (or in the row it points at with "the flags of `log`"). Also: the version has its section in the changelog."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click

from interview_followup import __version__
from interview_followup.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def leaf_commands() -> Iterator[tuple[str, click.Command, click.Context]]:
    """Every command that runs (not a group), with its path: "sync caldav"."""

    def walk(
        command: click.Command, ctx: click.Context, path: str
    ) -> Iterator[tuple[str, click.Command, click.Context]]:
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None, name
                sub_ctx = click.Context(sub, parent=ctx, info_name=name)
                yield from walk(sub, sub_ctx, f"{path} {name}".strip())
        else:
            yield path, command, ctx

    yield from walk(cli, click.Context(cli, info_name="followup"), "")


def option_names(command: click.Command, ctx: click.Context) -> list[list[str]]:
    """The names of each option --help lists, -h/--help aside: [["-o", "--output"], ...]."""
    help_option = command.get_help_option(ctx)
    return [
        [*param.opts, *param.secondary_opts]
        for param in command.get_params(ctx)
        if isinstance(param, click.Option) and not param.hidden and param is not help_option
    ]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def command_rows() -> dict[str, str]:
    """Each command the table's first column names, with the text of its whole row."""
    lines = README.splitlines()
    start = lines.index("| command | what it does |")
    rows: dict[str, str] = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        first = _cells(line)[0]
        for usage in re.findall(r"`([^`]+)`", first):
            words = []
            for word in usage.split():
                if not re.fullmatch(r"[a-z][a-z-]*", word):
                    break  # a flag, an argument or a bracket: the path is over
                words.append(word)
            rows[" ".join(words)] = line
    return rows


def test_every_command_has_a_row_and_every_row_a_command() -> None:
    commands = {path for path, _, _ in leaf_commands()}
    documented = set(command_rows())
    assert sorted(commands - documented) == [], "commands missing from the README table"
    assert sorted(documented - commands) == [], "README rows for commands that do not exist"


def test_every_option_is_in_its_row() -> None:
    rows = command_rows()
    missing = {}
    for path, command, ctx in leaf_commands():
        row = rows.get(path, "")
        # "the flags of `log`": a row may point at the row that lists them.
        row += "".join(rows.get(other, "") for other in re.findall(r"flags of `([^`]+)`", row))
        absent = [
            names[-1]
            for names in option_names(command, ctx)
            if not any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", row) for n in names)
        ]
        if absent:
            missing[path] = absent
    assert missing == {}, "options missing from their README rows"


def test_the_table_is_found_and_checks_something() -> None:
    rows = command_rows()
    assert {"log", "sync caldav", "config set"} <= set(rows)
    assert "--decision-by" in rows["log"]


def test_the_version_has_a_changelog_section() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(__version__)}\]", changelog, re.MULTILINE)
