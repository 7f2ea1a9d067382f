"""`followup import` and `followup export`: interviews in from files, events out to one."""

from __future__ import annotations

import os
import sys

import click

from interview_followup.cli import output
from interview_followup.cli.common import workspace
from interview_followup.cli.progress import progress_bar
from interview_followup.errors import FollowupError, InputError


@click.command(name="import")
@click.argument("path", metavar="FILE", type=click.Path())
@click.option("--company", default="", help="Company of the rows and events that name none.")
@click.option(
    "--tz",
    default="",
    metavar="ZONE",
    help="Zone of the rows that name none, and of an invitation's UTC or floating times.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def import_(path: str, company: str, tz: str, as_json: bool) -> None:
    """Add or update interviews from a CSV, JSON or iCalendar (.ics) file; nothing is
    written if a row is bad.

    CSV may be separated by commas, semicolons or tabs; an empty cell means the default.
    Each event of a calendar file is read as `log --from-invite` reads one.
    """
    from interview_followup import importing

    with progress_bar("Importing", enabled=not as_json) as progress:
        # A bad file creates nothing, not even the database.
        importing.validate_import(path, company=company, tz=tz)
        with workspace() as ws:
            report = importing.import_file(ws, path, company=company, tz=tz, progress=progress)
    if as_json:
        click.echo(
            output.dumps(
                {
                    "added": report.added,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "statuses": report.statuses,
                    "ignored_columns": report.ignored_columns,
                }
            )
        )
        return
    if report.ignored_columns:
        click.echo(f"Ignored columns: {', '.join(report.ignored_columns)}", err=True)
    same = f", {len(report.unchanged)} already as stored" if report.unchanged else ""
    click.echo(
        f"Imported {len(report.added)} new and updated {len(report.updated)} interviews{same}."
    )
    if report.statuses:
        click.echo(f"Set the status of {len(report.statuses)} of them, as the file says.")


@click.command()
@click.option(
    "-o",
    "--output",
    "target",
    default="-",
    metavar="FILE|-",
    help="Where to write (default: stdout).",
)
def export(target: str) -> None:
    """Write every event as one iCalendar file, cancelled ones included."""
    from pathlib import Path

    from interview_followup.export import export as export_calendar

    if target != "-":
        _check_writable(target)  # before any work: nothing is rendered for nowhere
    # The bar goes to stderr: stdout carries nothing but the calendar.
    with progress_bar("Exporting") as progress, workspace(reading=True) as ws:
        data = export_calendar(ws, progress)
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        try:
            Path(target).write_bytes(data)
        except OSError as error:
            raise FollowupError(f"cannot write {target}: {error.strerror}") from None
        click.echo(f"Wrote {target}.", err=True)


def _check_writable(target: str) -> None:

    folder = os.path.dirname(os.path.abspath(target))
    if os.path.isdir(target):
        raise InputError("output", f"{target} is a folder; name a file in it")
    if not os.path.isdir(folder):
        raise InputError("output", f"cannot write {target}: there is no folder {folder}")
    if not os.access(folder, os.W_OK):
        raise InputError("output", f"cannot write {target}: the folder {folder} is not writable")


COMMANDS = [import_, export]
