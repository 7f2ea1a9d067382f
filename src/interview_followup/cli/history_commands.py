"""Commands for an interview's story and its corrections: show, move, delete, undo, history."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from interview_followup.cli import completion, output
from interview_followup.cli.common import INTERVIEW_ID, NEGATIVE_NUMBERS, workspace
from interview_followup.errors import FollowupError, InputError

if TYPE_CHECKING:
    from datetime import date, datetime

    from interview_followup.model import Change, Event
    from interview_followup.story import Story
    from interview_followup.undo import Entry

# At most this many changes per entry in `history`'s table; --json has them all.
SHOWN_CHANGES = 6


def entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(timespec="seconds"),
        "command": entry.command,
        "undone": entry.undone_at is not None,
        "undone_at": entry.undone_at.isoformat(timespec="seconds") if entry.undone_at else None,
        "changes": entry.changes,
        "config": entry.config,
    }


def _entry_lines(entry: Entry, limit: int | None = None) -> list[str]:
    changes = [f"  {output.one_line(c['text'], 96)}" for c in entry.changes]
    if entry.config:
        changes = [
            f"  {key}: {'(unset)' if old is None else old} before"
            for key, old in entry.config.items()
        ] + changes
    if limit is not None and len(changes) > limit:
        changes = [*changes[:limit], f"  ... and {len(changes) - limit} more (see --json)"]
    return changes


@click.command(context_settings=NEGATIVE_NUMBERS)
@click.argument(
    "interview_id", metavar="ID", type=INTERVIEW_ID, shell_complete=completion.interview_ids
)
@click.option("--yes", is_flag=True, help="Delete without asking (needed when not on a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def delete(interview_id: int, yes: bool, as_json: bool) -> None:
    """Delete an interview logged by mistake: it leaves `list`, and its steps are
    cancelled in every calendar. `followup undo` brings it back."""
    from interview_followup import lifecycle, service

    with workspace(create=False) as ws:
        interview = service.interview(ws, interview_id)
        if not yes:
            if not sys.stdin.isatty():
                raise InputError(
                    "--yes",
                    f"not asked on a terminal; to delete interview {interview_id} add --yes",
                )
            label = ", ".join(x for x in (interview.company, interview.role) if x)
            when = interview.start.isoformat(sep=" ", timespec="minutes")
            question = f"Delete interview {interview_id} ({output.one_line(label)}, {when})?"
            if not click.confirm(question, default=False, err=True):
                raise FollowupError("nothing deleted")
        cancelled = lifecycle.delete_interview(ws, interview_id)
    if as_json:
        click.echo(output.dumps({"id": interview_id, "deleted": True, "cancelled": cancelled}))
        return
    click.echo(
        f"Deleted interview {interview_id} ({output.one_line(interview.company)});"
        f" {cancelled} event{'s' if cancelled != 1 else ''} cancelled. `followup undo` brings it back."
    )


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def undo(as_json: bool) -> None:
    """Revert the latest change not yet undone (log, edit, status, done, move, delete,
    import, refresh, a policy setting); run again to go further back."""
    from interview_followup import undo as journal

    entry = None
    if not journal.no_store():
        with workspace(create=False) as ws:
            entry = journal.undo(ws)
    if as_json:
        click.echo(output.dumps({"undone": entry_json(entry) if entry else None}))
    elif entry is None:
        click.echo("Nothing to undo.")
    else:
        click.echo(
            f"Undid #{entry.id}: {output.one_line(entry.command, 80)}. Reverted what it did:"
        )
        for line in _entry_lines(entry):
            click.echo(line)


@click.command(context_settings=NEGATIVE_NUMBERS)
@click.argument(
    "interview_id",
    metavar="[ID]",
    type=INTERVIEW_ID,
    shell_complete=completion.interview_ids,
    required=False,
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def history(interview_id: int | None, as_json: bool) -> None:
    """The changes made, newest first, each with what it changed; with ID, only those
    that changed that interview."""
    from interview_followup import undo as journal

    if journal.no_store() and interview_id is None:
        entries, zone_name = [], ""
    else:
        with workspace(create=False, read_config=False) as ws:
            entries = journal.history(ws, interview_id)
            zone_name = ws.settings.zone_name
    if as_json:
        click.echo(output.dumps([entry_json(e) for e in entries]))
        return
    if not entries:
        click.echo("No changes recorded yet.")
    for entry in entries:
        mark = "  (undone)" if entry.undone_at else ""
        when = _local(entry.at, zone_name)
        click.echo(f"#{entry.id}  {when}  {output.one_line(entry.command, 70)}{mark}")
        for line in _entry_lines(entry, SHOWN_CHANGES):
            click.echo(line)


@click.command(context_settings=NEGATIVE_NUMBERS)
@click.argument(
    "interview_id", metavar="ID", type=INTERVIEW_ID, shell_complete=completion.interview_ids
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(interview_id: int, as_json: bool) -> None:
    """One interview's whole story: details, people, status history and every step."""
    from interview_followup import story as stories

    with workspace(create=False) as ws:
        told = stories.story(ws, interview_id)
    if as_json:
        click.echo(output.dumps(_story_json(told)))
    else:
        click.echo(_story_text(told))


@click.command(context_settings=NEGATIVE_NUMBERS)
@click.argument(
    "interview_id", metavar="ID", type=INTERVIEW_ID, shell_complete=completion.interview_ids
)
@click.argument("kind", metavar="KIND", shell_complete=completion.kinds)
@click.argument("when", metavar="WHEN")
@click.option("--who", metavar="NAME", help="The thank-you note to this person.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def move(interview_id: int, kind: str, when: str, who: str | None, as_json: bool) -> None:
    """Move the next KIND step still to do to WHEN: 'tomorrow 14:00', 'monday',
    'in 2 business days', '2027-11-23 14:00' (your zone; no time: the step keeps its
    own). Check-ins and move-on follow a moved follow-up; recomputing keeps the move."""
    from interview_followup import lifecycle, service

    with workspace(create=False) as ws:
        moved = lifecycle.move_step(ws, interview_id, kind, when, who)
        user_tz = service.user_zone(ws)
    if as_json:
        click.echo(
            output.dumps(
                {
                    "id": interview_id,
                    "kind": moved.after.kind.value,
                    "from": moved.before.start.isoformat(),
                    "event": output.event_json(moved.after),
                    "followed": [output.event_json(e) for e in moved.followed],
                }
            )
        )
        return
    click.echo(
        f"Moved {_label(moved.after)} of interview {interview_id}"
        f" to {output.when(moved.after, user_tz)}."
    )
    for other in moved.followed:
        click.echo(f"  {_label(other)} follows: {output.when(other, user_tz)}")


def _label(event: Event) -> str:
    number = f" {event.ordinal}" if event.kind.value == "check-in" else ""
    return f"{event.kind.value}{number}" + (f" ({event.who})" if event.who else "")


# --- show's two forms ---


def _story_json(told: Story) -> dict[str, Any]:
    from interview_followup.story import in_zone

    return {
        "interview": output.interview_json(told.interview),
        "logged_at": told.logged_at.isoformat(timespec="seconds"),
        "zone": told.zone,
        "country": told.country,
        "subdivision": told.subdivision,
        "history": [
            {
                "at": c.at.isoformat(timespec="seconds"),
                "type": c.type.value,
                "status": c.status.value if c.status else None,
                "promised": c.promised.isoformat() if c.promised else None,
                "kind": c.kind.value if c.kind else None,
                "who": c.who,
                "because_of": c.because_of,
            }
            for c in told.history
        ],
        "steps": [
            {
                **output.event_json(s.event),
                "state": s.state,
                "local_start": in_zone(s.event.start, told.zone).isoformat(),
                "local_end": in_zone(s.event.end, told.zone).isoformat(),
            }
            for s in told.steps
        ],
    }


def _story_text(told: Story) -> str:
    from interview_followup.story import in_zone

    i = told.interview
    title = " - ".join(x for x in (output.one_line(i.company), output.one_line(i.role)) if x)
    lines = [f"Interview {i.id}: {title}  [{i.status.value}]"]
    start = i.start.strftime("%a %Y-%m-%d %H:%M")
    lines.append(f"When:         {start} {i.tz}, {i.duration} min")
    region = "-".join(x for x in (told.country, told.subdivision) if x) or "(none set)"
    lines.append(f"Country:      {region} (business days and holidays)")
    contact = i.contact.label() or "(none)"
    phone = f", phone {i.phone}" if i.phone else ""
    lines.append(f"Contact:      {contact}{phone}; follow up by {i.reach_by.value}")
    people = [p.label() for p in i.interviewers] or ["(none)"]
    lines.append(f"Interviewers: {people[0]}")
    lines += [f"              {p}" for p in people[1:]]
    if i.decision_by:
        lines.append(f"Decision by:  {i.decision_by.isoformat()}")
    if i.posting_url:
        lines.append(f"Posting:      {i.posting_url}")
    if i.notes:
        notes = i.notes.splitlines()
        lines += [f"Notes:        {notes[0]}", *[f"              {n}" for n in notes[1:]]]
    lines.append("")
    lines.append(f"History (times in {told.zone}):")
    lines.append(f"  {_local(told.logged_at, told.zone)}  logged")
    for change in told.history:
        lines.append(f"  {_local(change.at, told.zone)}  {_change_text(change)}")
    lines.append("")
    lines.append(f"Steps (times in {told.zone}):")
    rows = [
        [
            _step_when(in_zone(s.event.start, told.zone)),
            _label(s.event),
            s.state,
            output.one_line(s.event.summary),
        ]
        for s in told.steps
    ]
    lines.append(output.table(["when", "step", "state", "what"], rows) or "No steps.")
    return "\n".join(lines)


def _local(moment: datetime, zone_name: str) -> str:
    from interview_followup.story import in_zone

    return f"{in_zone(moment, zone_name):%Y-%m-%d %H:%M}"


def _step_when(value: datetime | date) -> str:
    from datetime import datetime

    if isinstance(value, datetime):
        return f"{value:%a %Y-%m-%d %H:%M}"
    return f"{value:%a %Y-%m-%d} all day"


def _change_text(change: Change) -> str:
    if change.status is not None:
        cause = f" (accepted interview {change.because_of})" if change.because_of else ""
        return f"status {change.status.value}{cause}"
    if change.promised is not None:
        return f"decision promised by {change.promised.isoformat()}"
    who = f" ({change.who})" if change.who else ""
    return f"{change.kind.value if change.kind else 'steps'}{who} marked done"


COMMANDS = [show, move, delete, undo, history]
