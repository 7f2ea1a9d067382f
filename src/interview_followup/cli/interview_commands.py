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
from interview_followup.errors import InputError

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
        rounds = [i for i in service.interviews(ws) if i.process == interview.process]
        user_tz = service.user_zone(ws)
    if as_json:
        _echo_plan(
            events, True, {"id": interview_id, "interview": output.interview_json(interview)}
        )
    else:
        click.echo(f"Logged interview {interview_id}: {output.one_line(interview.company)}")
        for line in output.rounds_lines(interview, rounds):
            click.echo(line)
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
    with workspace(read_config=False, reading=True) as ws:
        rows = service.interviews(ws)
    if wanted:
        rows = [i for i in rows if i.status in wanted]
    if only_open:
        rows = [i for i in rows if i.status in OPEN_STATUSES]
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
        withdrawn_rounds = [service.interview(ws, other) for other in withdrawn]
        user_tz = service.user_zone(ws)
    if as_json:
        _echo_plan(
            events,
            True,
            {"id": interview_id, "status": status.strip().lower(), "withdrawn": withdrawn},
        )
        return
    click.echo(f"Interview {interview_id} is now {status.strip().lower()}.")
    for line in output.withdrawn_lines(withdrawn_rounds):
        click.echo(line)
    _echo_plan(events, False, user_tz=user_tz)


@click.command(context_settings=NEGATIVE_NUMBERS)
@click.argument(
    "interview_id", metavar="ID", type=INTERVIEW_ID, shell_complete=completion.interview_ids
)
@click.argument("kind", metavar="KIND", shell_complete=completion.kinds)
@click.option("--who", metavar="NAME", help="Only the step for this person (thank-you notes).")
@click.option("--all", "every", is_flag=True, help="Every step of this KIND still open.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def done(interview_id: int, kind: str, who: str | None, every: bool, as_json: bool) -> None:
    """Mark the next step of one KIND done (e.g. thank-you, follow-up, check-in)."""
    from interview_followup import service

    with workspace(create=False) as ws:
        marked = service.mark_done(ws, interview_id, kind, who, every)
        user_tz = service.user_zone(ws)
    if as_json:
        steps = [output.event_json(event) for event in marked]
        click.echo(
            output.dumps({"id": interview_id, "kind": kind.strip().lower(), "marked": steps})
        )
        return
    for event in marked:
        click.echo(f"Marked done: {output.one_line(event.summary)} ({output.when(event, user_tz)})")


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


COMMANDS = [log, edit, list_, plan, agenda, promise, status, done, refresh]
