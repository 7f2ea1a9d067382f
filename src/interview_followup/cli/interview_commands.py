"""The everyday commands: log and edit interviews, see their plans, change their status,
import and export.

Each command imports the service inside: `followup --help` lists them all and needs
neither the store nor sqlite3.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from interview_followup.cli import completion, output
from interview_followup.cli.common import INTERVIEW_ID, NEGATIVE_NUMBERS, workspace
from interview_followup.errors import FollowupError, InputError

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
        click.option(
            "--duration",
            metavar="LENGTH",
            help="Length: 45, 90m, 1h or 1h30m (default 60 minutes).",
        ),
        click.option(
            "--country",
            metavar="CC",
            help="Whose public holidays count, e.g. DE (default: the zone's country,"
            " else config country).",
        ),
        click.option("--subdivision", metavar="SD", help="State or region for holidays, e.g. BY."),
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
    raw = {name: value for name, value in kwargs.items() if value not in (None, ())}
    if editing and not raw.get("interviewers"):
        raw.pop("interviewers", None)  # no --interviewer on edit: keep the ones stored
    else:
        raw["interviewers"] = list(kwargs.get("interviewers") or [])
    return raw


def _echo_plan(
    events: list[Any], as_json: bool, extra: dict[str, Any] | None = None, user_tz: str = ""
) -> None:
    if as_json:
        click.echo(
            output.dumps({**(extra or {}), "events": [output.event_json(e) for e in events]})
        )
    else:
        click.echo(output.events_table(events, user_tz))


@click.command()
@_interview_options(required=False)
@click.option(
    "--from-invite",
    "invite",
    metavar="FILE|-",
    type=click.Path(),
    help="Read the interview from a calendar invitation (.ics; - for standard input).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def log(ctx: click.Context, /, invite: str | None, as_json: bool, **kwargs: Any) -> None:
    """Record an interview and print its follow-up plan.

    --company and --at are required, unless --from-invite reads them from an invitation:
    its start, length, zone, organizer and attendees (without your own addresses, config
    `me`), location and call link. Every flag given overrides what the invitation says.
    """
    from interview_followup import service

    raw = _raw_fields(kwargs, editing=False)
    if invite is None:
        for param in ctx.command.params:
            if param.name in ("company", "at") and kwargs.get(param.name) is None:
                raise click.MissingParameter(ctx=ctx, param=param)
    else:
        from interview_followup import config, invitation

        data, name = _read_invite(invite)
        raw = invitation.for_log(data, name, raw, config.load())
    service.validate_new_interview(raw)  # bad input creates nothing, not even the database
    with workspace() as ws:
        interview_id = service.log_interview(ws, raw)
        events = service.plan(ws, interview_id)
        interview = service.interview(ws, interview_id)
        user_tz = service.user_zone(ws)
    if as_json:
        _echo_plan(
            events, True, {"id": interview_id, "interview": output.interview_json(interview)}
        )
    else:
        click.echo(f"Logged interview {interview_id}: {output.one_line(interview.company)}")
        _echo_plan(events, False, user_tz=user_tz)
    for line in service.notices(interview):
        click.echo(line, err=True)


def _read_invite(source: str) -> tuple[bytes, str]:
    if source == "-":
        return sys.stdin.buffer.read(), "standard input"
    try:
        with open(source, "rb") as handle:
            return handle.read(), os.path.basename(source)
    except FileNotFoundError:
        raise InputError("from-invite", f"{source} does not exist") from None
    except OSError as error:
        raise InputError("from-invite", f"cannot read {source} ({error.strerror})") from None


@click.command(context_settings=NEGATIVE_NUMBERS)
@click.argument(
    "interview_id", metavar="ID", type=INTERVIEW_ID, shell_complete=completion.interview_ids
)
@_interview_options(required=False)
@click.option(
    "--add-interviewer",
    "add_interviewers",
    multiple=True,
    metavar="'NAME <EMAIL>'",
    help="Add someone you met, keeping the others (--interviewer replaces them all).",
)
@click.option(
    "--remove-interviewer",
    "remove_interviewers",
    multiple=True,
    metavar="NAME|EMAIL",
    help="Remove one interviewer, keeping the others.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def edit(interview_id: int, as_json: bool, **kwargs: Any) -> None:
    """Change an interview's details; its plan is recomputed and events keep their UIDs."""
    from interview_followup import service

    with workspace(create=False) as ws:
        before, after = service.edit_interview(ws, interview_id, _raw_fields(kwargs, editing=True))
        events = service.plan(ws, interview_id)
        user_tz = service.user_zone(ws)
    changes = output.people_changes(before, after)
    if not as_json:
        for line in changes:
            click.echo(line)
    _echo_plan(events, as_json, {"id": interview_id, "changes": changes}, user_tz)
    for line in service.notices(after) if kwargs.get("at") or kwargs.get("channel") else []:
        click.echo(line, err=True)


@click.command(name="list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(as_json: bool) -> None:
    """One row per interview."""
    from interview_followup import service

    with workspace(read_config=False, reading=True) as ws:
        rows = service.interviews(ws)
    if as_json:
        click.echo(output.dumps([output.interview_json(i) for i in rows]))
    else:
        click.echo(output.interviews_table(rows))


@click.command(context_settings=NEGATIVE_NUMBERS)
@click.argument(
    "interview_id",
    metavar="[ID]",
    type=INTERVIEW_ID,
    required=False,
    shell_complete=completion.interview_ids,
)
@click.option("--all", "include_cancelled", is_flag=True, help="Include cancelled events.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plan(interview_id: int | None, include_cancelled: bool, as_json: bool) -> None:
    """The scheduled events, soonest first."""
    from interview_followup import service

    with workspace(read_config=False, reading=True) as ws:
        events = service.plan(ws, interview_id, include_cancelled=include_cancelled)
        user_tz = service.user_zone(ws)
    if as_json:
        click.echo(output.dumps([output.event_json(e) for e in events]))
    else:
        click.echo(output.events_table(events, user_tz))


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

    with workspace(read_config=False, reading=True) as ws:
        due = service.agenda(ws, days_ahead=days)
        user_tz = service.user_zone(ws)
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
        click.echo(output.events_table(due.overdue, user_tz))
    if due.upcoming:
        if due.overdue:
            click.echo()
        click.echo(f"Due in the next {days} days:")
        click.echo(output.events_table(due.upcoming, user_tz))


@click.command(context_settings=NEGATIVE_NUMBERS)
@click.argument(
    "interview_id", metavar="ID", type=INTERVIEW_ID, shell_complete=completion.interview_ids
)
@click.argument("day", metavar="DATE")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def promise(interview_id: int, day: str, as_json: bool) -> None:
    """Record the date by which they promised a decision (ISO date or 'next friday')."""
    from interview_followup import service

    with workspace(create=False) as ws:
        decided = service.promise(ws, interview_id, day)
        events = service.plan(ws, interview_id)
        user_tz = service.user_zone(ws)
    if not as_json:
        click.echo(f"Decision expected by {decided.isoformat()}.")
    _echo_plan(events, as_json, {"id": interview_id, "decision_by": decided.isoformat()}, user_tz)


@click.command(context_settings=NEGATIVE_NUMBERS)
@click.argument(
    "interview_id", metavar="ID", type=INTERVIEW_ID, shell_complete=completion.interview_ids
)
@click.argument("status", metavar="STATUS", shell_complete=completion.statuses)
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
        user_tz = service.user_zone(ws)
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
    _echo_plan(events, False, user_tz=user_tz)


@click.command(context_settings=NEGATIVE_NUMBERS)
@click.argument(
    "interview_id", metavar="ID", type=INTERVIEW_ID, shell_complete=completion.interview_ids
)
@click.argument("kind", metavar="KIND", shell_complete=completion.kinds)
@click.option("--who", metavar="NAME", help="Only the step for this person (thank-you notes).")
@click.option("--all", "every", is_flag=True, help="Every step of this KIND still open.")
def done(interview_id: int, kind: str, who: str | None, every: bool) -> None:
    """Mark the next step of one KIND done (e.g. thank-you, follow-up, check-in)."""
    from interview_followup import service

    with workspace(create=False) as ws:
        marked = service.mark_done(ws, interview_id, kind, who, every)
        user_tz = service.user_zone(ws)
    for event in marked:
        click.echo(f"Marked done: {output.one_line(event.summary)} ({output.when(event, user_tz)})")


@click.command()
def refresh() -> None:
    """Recompute every plan, e.g. after an upgrade changed the rules or the wording."""
    from interview_followup import service

    with workspace() as ws:
        changed = service.refresh_all(ws)
    click.echo(f"{changed} event{'s' if changed != 1 else ''} changed.")


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
    from interview_followup import service

    # A bad file creates nothing, not even the database.
    service.validate_import(path, company=company, tz=tz)
    with workspace() as ws:
        report = service.import_file(ws, path, company=company, tz=tz)
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

    if target != "-":
        _check_writable(target)  # before any work: nothing is rendered for nowhere
    with workspace(reading=True) as ws:
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


def _check_writable(target: str) -> None:
    import os

    from interview_followup.errors import InputError

    folder = os.path.dirname(os.path.abspath(target))
    if os.path.isdir(target):
        raise InputError("output", f"{target} is a folder; name a file in it")
    if not os.path.isdir(folder):
        raise InputError("output", f"cannot write {target}: there is no folder {folder}")
    if not os.access(folder, os.W_OK):
        raise InputError("output", f"cannot write {target}: the folder {folder} is not writable")


COMMANDS = [log, edit, list_, plan, agenda, promise, status, done, refresh, import_, export]
