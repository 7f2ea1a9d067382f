"""The everyday commands: log and edit interviews, see their plans, change their status,
import and export."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

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


@click.command()
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


@click.command()
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


@click.command(name="list")
@click.option(
    "--status", "statuses", multiple=True, metavar="S", help="Only this status; repeat for more."
)
@click.option(
    "--open",
    "only_open",
    is_flag=True,
    help="Only processes still open (waiting, heard, next-round, offer).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(statuses: tuple[str, ...], only_open: bool, as_json: bool) -> None:
    """One row per interview."""
    from interview_followup import service
    from interview_followup.model import OPEN_STATUSES
    from interview_followup.parsing import parse_status

    wanted = {parse_status(s) for s in statuses}
    with workspace(read_config=False) as ws:
        rows = service.interviews(ws)
    if wanted:
        rows = [i for i in rows if i.status in wanted]
    if only_open:
        rows = [i for i in rows if i.status in OPEN_STATUSES]
    if as_json:
        click.echo(output.dumps([output.interview_json(i) for i in rows]))
    else:
        click.echo(output.interviews_table(rows))


@click.command()
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


@click.command()
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


@click.command()
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


@click.command()
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


@click.command()
@click.argument("interview_id", metavar="ID", type=int)
@click.argument("kind", metavar="KIND")
@click.option("--who", metavar="NAME", help="Only the step for this person (thank-you notes).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def done(interview_id: int, kind: str, who: str | None, as_json: bool) -> None:
    """Mark the steps of one KIND done (e.g. thank-you, follow-up, check-in)."""
    from interview_followup import service

    with workspace(create=False) as ws:
        count = service.mark_done(ws, interview_id, kind, who)
    if as_json:
        click.echo(
            output.dumps({"id": interview_id, "kind": kind.strip().lower(), "marked": count})
        )
        return
    click.echo(f"Marked {count} {kind.strip().lower()} step{'s' if count != 1 else ''} done.")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def refresh(as_json: bool) -> None:
    """Recompute every plan, e.g. after an upgrade changed the rules or the wording."""
    from interview_followup import service

    with workspace() as ws:
        changed = service.refresh_all(ws)
    if as_json:
        click.echo(output.dumps({"changed": changed}))
        return
    click.echo(f"{changed} event{'s' if changed != 1 else ''} changed.")


@click.command(name="import")
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

    with workspace() as ws:
        data = export_calendar(ws)
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        try:
            Path(target).write_bytes(data)
        except OSError as error:
            raise FollowupError(f"cannot write {target}: {error.strerror}") from None
        click.echo(f"Wrote {target}.", err=True)


COMMANDS = [log, edit, list_, plan, agenda, promise, status, done, refresh, import_, export]
