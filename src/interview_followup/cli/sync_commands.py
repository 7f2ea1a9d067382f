"""`followup sync caldav` (and later targets): push the plan to a calendar."""

from __future__ import annotations

import click

from interview_followup.cli import output
from interview_followup.cli.common import workspace
from interview_followup.cli.progress import progress_bar
from interview_followup.errors import FollowupError, InputError


class ConflictsLeft(FollowupError):
    """Everything else is done, but some events were changed on both sides."""

    exit_code = 3
    label = "warning"


def _finish(report: object, as_json: bool) -> None:
    from interview_followup.sync.apply import Report

    assert isinstance(report, Report)
    if as_json:
        click.echo(output.dumps(report.as_json()))
    else:
        for line in report.actions:
            click.echo(("would be " if report.dry_run else "") + line)
        click.echo(
            f"{'Dry run: ' if report.dry_run else ''}{report.created} created, {report.updated} updated,"
            f" {report.merged} merged, {report.deleted} deleted, {report.unchanged} unchanged,"
            f" {report.conflicts} conflicts, {report.skipped} skipped"
            + (f", {report.failed} failed" if report.failed else "")
        )
        for error in report.errors:
            click.echo(f"  {error}", err=True)
    if not report.ok:
        problems = f"{report.failed} change(s) could not be made" if report.failed else ""
        raise FollowupError(
            f"{problems or 'the sync stopped early'}; nothing was lost: run the sync again to"
            " finish"
        )
    if report.conflicts and not report.dry_run:
        raise ConflictsLeft(
            f"{report.conflicts} event(s) changed both here and in the calendar: the calendar"
            " keeps your version of those fields and got the rest; --force takes followup's"
        )


@click.group()
def sync() -> None:
    """Push the follow-ups to a calendar and keep them current (one way)."""


@sync.command()
@click.option("--url", help="Server or calendar-home URL (default: config caldav.url).")
@click.option("--username", help="User name (default: config caldav.username).")
@click.option(
    "--calendar", help="Calendar name (default: 'Interview follow-ups'; created when missing)."
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--force",
    is_flag=True,
    help="Make every managed field on the server followup's and bring back deleted events.",
)
@click.option(
    "--connections",
    type=click.IntRange(1, 16),
    help="Writes sent at once (default: config caldav.connections, 4).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def caldav(
    url: str | None,
    username: str | None,
    calendar: str | None,
    dry_run: bool,
    force: bool,
    connections: int | None,
    as_json: bool,
) -> None:
    """Sync to a CalDAV calendar (Nextcloud, Fastmail, iCloud, Radicale...).

    The password comes from FOLLOWUP_CALDAV_PASSWORD, caldav.password_command or the
    system keyring; it is never stored by followup.
    """
    from interview_followup.sync import run as sync_runner

    with workspace() as ws, progress_bar("Syncing", enabled=not as_json) as progress:
        report = sync_runner.sync_caldav(
            ws,
            url=url,
            username=username,
            calendar=calendar,
            force=force,
            dry_run=dry_run,
            connections=connections,
            progress=progress,
        )
    _finish(report, as_json)


@sync.command()
@click.option(
    "--calendar-id", help="Sync into this calendar (default: a dedicated one, created once)."
)
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--force",
    is_flag=True,
    help="Make every managed field in Google followup's and bring back deleted events.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def google(calendar_id: str | None, dry_run: bool, force: bool, as_json: bool) -> None:
    """Sync to Google Calendar through its API (sign in first: followup google login)."""
    from interview_followup.sync import run as sync_runner

    with workspace() as ws, progress_bar("Syncing", enabled=not as_json) as progress:
        report = sync_runner.sync_google(
            ws, calendar_id=calendar_id, force=force, dry_run=dry_run, progress=progress
        )
    _finish(report, as_json)


@click.group(name="google")
def google_group() -> None:
    """Sign in to Google Calendar."""


@google_group.command()
@click.option(
    "--client-secrets",
    type=click.Path(dir_okay=False),
    help="OAuth client file (Desktop app) from the Google Cloud console.",
)
@click.option(
    "--service-account",
    type=click.Path(dir_okay=False),
    help="Service account key file, for a calendar shared with it.",
)
@click.option(
    "--no-browser", is_flag=True, help="Print the sign-in address instead of opening a browser."
)
def login(client_secrets: str | None, service_account: str | None, no_browser: bool) -> None:
    """Sign in once; the token is kept in the data folder (mode 0600) and refreshed silently."""
    from interview_followup.sinks import google_auth

    if bool(client_secrets) == bool(service_account):
        raise InputError(
            "client-secrets", "give exactly one of --client-secrets FILE or --service-account FILE"
        )
    if service_account:
        saved = google_auth.use_service_account(service_account)
    else:
        assert client_secrets is not None
        saved = google_auth.login(client_secrets, open_browser=not no_browser)
    click.echo(f"Signed in; credentials saved to {saved}")


@google_group.command()
def logout() -> None:
    """Forget the saved Google credentials."""
    from interview_followup.sinks import google_auth

    google_auth.token_path().unlink(missing_ok=True)
    google_auth.service_account_path().unlink(missing_ok=True)
    click.echo("Signed out of Google.")
