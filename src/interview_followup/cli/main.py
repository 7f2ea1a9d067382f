"""`followup`: log job interviews and keep their follow-up steps in your calendars."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from interview_followup import __version__
from interview_followup.cli import output
from interview_followup.cli.common import workspace
from interview_followup.errors import FollowupError

F = TypeVar("F", bound=Callable[..., Any])


def _interview_options(required: bool) -> Callable[[F], F]:
    """The flags of `log`, shared by `edit` (where none is required)."""
    options = [
        click.option("--company", required=required, help="Company name."),
        click.option("--role", help="Role or job title."),
        click.option(
            "--at",
            "at",
            required=required,
            metavar="'YYYY-MM-DD HH:MM'",
            help="Interview start, local to --tz.",
        ),
        click.option(
            "--tz",
            metavar="ZONE",
            help="IANA time zone of the employer (default: config timezone, else this machine's).",
        ),
        click.option("--duration", metavar="MIN", help="Length in minutes (default 60)."),
        click.option(
            "--interviewer",
            "interviewers",
            multiple=True,
            metavar="'NAME <EMAIL>'",
            help="Someone you met; repeat for each.",
        ),
        click.option(
            "--contact",
            metavar="'NAME <EMAIL>'",
            help="Who to follow up with (default: the first interviewer).",
        ),
        click.option("--phone", metavar="P", help="The contact's phone number."),
        click.option(
            "--channel",
            type=click.Choice(["email", "phone"]),
            help="How to follow up (default: phone when a number is given).",
        ),
        click.option(
            "--decision-by",
            metavar="DATE",
            help="When they promised a decision: 2027-11-23, 'next tuesday', 'in 1 week'.",
        ),
        click.option(
            "--posting-url",
            metavar="URL",
            help="The job posting, to check whether it is still open.",
        ),
        click.option("--notes", metavar="TEXT", help="Anything to remember."),
    ]

    def decorate(function: F) -> F:
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


def _raw_fields(kwargs: dict[str, Any], *, editing: bool) -> dict[str, Any]:
    raw = {name: value for name, value in kwargs.items() if value is not None}
    if editing and not raw.get("interviewers"):
        raw.pop("interviewers", None)  # no --interviewer on edit: keep the ones stored
    else:
        raw["interviewers"] = list(kwargs.get("interviewers") or [])
    return raw


def _echo_plan(events: list[Any], as_json: bool, extra: dict[str, Any] | None = None) -> None:
    if as_json:
        click.echo(
            output.dumps({**(extra or {}), "events": [output.event_json(e) for e in events]})
        )
    else:
        click.echo(output.events_table(events))


class LazyGroup(click.Group):
    """Loads the modules of the bigger command groups only when they are asked for."""

    lazy = {
        "sync": "interview_followup.cli.sync_commands:sync",
        "google": "interview_followup.cli.sync_commands:google_group",
        "serve": "interview_followup.cli.feed_commands:serve",
        "feed": "interview_followup.cli.feed_commands:feed_group",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.lazy:
            return super().get_command(ctx, name)
        import importlib

        module, attribute = self.lazy[name].split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="followup")
def cli() -> None:
    """Turn each job interview into timely follow-up steps in your calendar.

    Log an interview once; followup schedules the thank-you notes, the decision day,
    the follow-up, weekly check-ins and the day to move on, and keeps them right as
    the application's status changes. Data lives in $FOLLOWUP_HOME when set.
    """


@cli.command()
@_interview_options(required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def log(as_json: bool, **kwargs: Any) -> None:
    """Record an interview and print its follow-up plan."""
    from interview_followup import service

    raw = _raw_fields(kwargs, editing=False)
    service.validate_new_interview(raw)  # bad input creates nothing, not even the database
    with workspace() as ws:
        interview_id = service.log_interview(ws, raw)
        events = service.plan(ws, interview_id)
        interview = service.interview(ws, interview_id)
    if as_json:
        _echo_plan(
            events, True, {"id": interview_id, "interview": output.interview_json(interview)}
        )
    else:
        click.echo(f"Logged interview {interview_id}: {output.one_line(interview.company)}")
        _echo_plan(events, False)


@cli.command()
@click.argument("interview_id", metavar="ID", type=int)
@_interview_options(required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def edit(interview_id: int, as_json: bool, **kwargs: Any) -> None:
    """Change an interview's details; its plan is recomputed and events keep their UIDs."""
    from interview_followup import service

    with workspace(create=False) as ws:
        service.edit_interview(ws, interview_id, _raw_fields(kwargs, editing=True))
        events = service.plan(ws, interview_id)
    _echo_plan(events, as_json, {"id": interview_id})


@cli.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(as_json: bool) -> None:
    """One row per interview."""
    from interview_followup import service

    with workspace(read_config=False) as ws:
        rows = service.interviews(ws)
    if as_json:
        click.echo(output.dumps([output.interview_json(i) for i in rows]))
    else:
        click.echo(output.interviews_table(rows))


@cli.command()
@click.argument("interview_id", metavar="[ID]", type=int, required=False)
@click.option("--all", "include_cancelled", is_flag=True, help="Include cancelled events.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plan(interview_id: int | None, include_cancelled: bool, as_json: bool) -> None:
    """The scheduled events, soonest first."""
    from interview_followup import service

    with workspace(read_config=False) as ws:
        events = service.plan(ws, interview_id, include_cancelled=include_cancelled)
    if as_json:
        click.echo(output.dumps([output.event_json(e) for e in events]))
    else:
        click.echo(output.events_table(events))


@cli.command()
@click.option(
    "--days",
    default=7,
    show_default=True,
    type=click.IntRange(0, 365),
    help="How far ahead to look.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def agenda(days: int, as_json: bool) -> None:
    """What is overdue, due today and due in the next days."""
    from interview_followup import service

    with workspace(read_config=False) as ws:
        due = service.agenda(ws, days_ahead=days)
    if as_json:
        click.echo(
            output.dumps(
                {
                    "overdue": [output.event_json(e) for e in due.overdue],
                    "upcoming": [output.event_json(e) for e in due.upcoming],
                }
            )
        )
        return
    if not due.overdue and not due.upcoming:
        click.echo(f"Nothing due in the next {days} days.")
    if due.overdue:
        click.echo("Overdue:")
        click.echo(output.events_table(due.overdue))
    if due.upcoming:
        if due.overdue:
            click.echo()
        click.echo(f"Due in the next {days} days:")
        click.echo(output.events_table(due.upcoming))


@cli.command()
@click.argument("interview_id", metavar="ID", type=int)
@click.argument("day", metavar="DATE")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def promise(interview_id: int, day: str, as_json: bool) -> None:
    """Record the date by which they promised a decision (ISO date or 'next friday')."""
    from interview_followup import service

    with workspace(create=False) as ws:
        decided = service.promise(ws, interview_id, day)
        events = service.plan(ws, interview_id)
    if not as_json:
        click.echo(f"Decision expected by {decided.isoformat()}.")
    _echo_plan(events, as_json, {"id": interview_id, "decision_by": decided.isoformat()})


@cli.command()
@click.argument("interview_id", metavar="ID", type=int)
@click.argument("status", metavar="STATUS")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def status(interview_id: int, status: str, as_json: bool) -> None:
    """Set the status: waiting, heard, next-round, offer, rejected, withdrawn or accepted.

    Accepting an offer withdraws every other open process and schedules a note to each.
    """
    from interview_followup import service

    with workspace(create=False) as ws:
        withdrawn = service.set_status(ws, interview_id, status)
        events = service.plan(ws, interview_id, include_cancelled=True)
        names = service.company_names(ws, withdrawn)
    if as_json:
        _echo_plan(
            events,
            True,
            {"id": interview_id, "status": status.strip().lower(), "withdrawn": withdrawn},
        )
        return
    click.echo(f"Interview {interview_id} is now {status.strip().lower()}.")
    for other in withdrawn:
        click.echo(
            f"Withdrawn: interview {other} ({output.one_line(names[other])}); a note to send them is scheduled."
        )
    _echo_plan(events, False)


@cli.command()
@click.argument("interview_id", metavar="ID", type=int)
@click.argument("kind", metavar="KIND")
@click.option("--who", metavar="NAME", help="Only the step for this person (thank-you notes).")
def done(interview_id: int, kind: str, who: str | None) -> None:
    """Mark the steps of one KIND done (e.g. thank-you, follow-up, check-in)."""
    from interview_followup import service

    with workspace(create=False) as ws:
        count = service.mark_done(ws, interview_id, kind, who)
    click.echo(f"Marked {count} {kind.strip().lower()} step{'s' if count != 1 else ''} done.")


@cli.command()
def refresh() -> None:
    """Recompute every plan, e.g. after an upgrade changed the rules or the wording."""
    from interview_followup import service

    with workspace() as ws:
        changed = service.refresh_all(ws)
    click.echo(f"{changed} event{'s' if changed != 1 else ''} changed.")


@cli.command(name="import")
@click.argument("path", metavar="FILE")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def import_(path: str, as_json: bool) -> None:
    """Add or update interviews from a CSV or JSON file; nothing is written if a row is bad."""
    from interview_followup import service

    service.validate_import(path)  # a bad file creates nothing, not even the database
    with workspace() as ws:
        report = service.import_file(ws, path)
    if as_json:
        click.echo(
            output.dumps(
                {
                    "added": report.added,
                    "updated": report.updated,
                    "ignored_columns": report.ignored_columns,
                }
            )
        )
        return
    if report.ignored_columns:
        click.echo(f"Ignored columns: {', '.join(report.ignored_columns)}", err=True)
    click.echo(f"Imported {len(report.added)} new and updated {len(report.updated)} interviews.")


@cli.command()
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

    from interview_followup import service

    with workspace() as ws:
        data = service.export(ws)
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        try:
            Path(target).write_bytes(data)
        except OSError as error:
            raise FollowupError(f"cannot write {target}: {error.strerror}") from None
        click.echo(f"Wrote {target}.", err=True)


@cli.group(name="config")
def config_group() -> None:
    """Read and change settings (time zone, country, policy numbers, sync targets)."""


@config_group.command(name="get")
@click.argument("key")
def config_get(key: str) -> None:
    """Print one setting."""
    from interview_followup import config

    click.echo(config.show(config.load(), key))


@config_group.command(name="set")
@click.argument("key")
@click.argument("value")
def config_set(key: str, value: str) -> None:
    """Change one setting; plans are recomputed to match."""
    from interview_followup import service

    click.echo(f"{key} = {service.set_config(key, value)}")


@config_group.command(name="list")
def config_list() -> None:
    """Every setting with its value and meaning."""
    from interview_followup import config

    settings = config.load()
    for name, key in config.KEYS.items():
        click.echo(f"{name} = {config.show(settings, name)!s:<24}  # {key.help}")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every error a user or server can cause becomes one line on stderr."""
    try:
        cli.main(args=argv, prog_name="followup", standalone_mode=False)
    except FollowupError as error:
        click.echo(f"followup: error: {error.message}", err=True)
        return error.exit_code
    except click.exceptions.Exit as exit_:
        return exit_.exit_code
    except click.Abort:
        click.echo("followup: aborted", err=True)
        return 130
    except click.ClickException as error:
        click.echo(f"followup: error: {' '.join(error.format_message().split())}", err=True)
        return error.exit_code
    except BrokenPipeError:
        return 1
    except Exception as error:  # a bug: say so in one line; FOLLOWUP_DEBUG=1 shows the traceback
        if os.environ.get("FOLLOWUP_DEBUG"):
            raise
        click.echo(
            f"followup: internal error: {type(error).__name__}: {error} (set FOLLOWUP_DEBUG=1 for details)",
            err=True,
        )
        return 70
    return 0


if __name__ == "__main__":
    sys.exit(main())
