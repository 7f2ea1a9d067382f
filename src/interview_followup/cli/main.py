"""`followup`: log job interviews and keep their follow-up steps in your calendars."""

from __future__ import annotations

import importlib
import os
import sys

import click

from interview_followup import __version__
from interview_followup.cli import (
    config_commands,
    file_commands,
    history_commands,
    interview_commands,
)
from interview_followup.errors import FollowupError


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


for _command in [
    *interview_commands.COMMANDS,
    *file_commands.COMMANDS,
    *history_commands.COMMANDS,
]:
    cli.add_command(_command)
cli.add_command(config_commands.config_group)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every error a user or server can cause becomes one line on stderr."""
    try:
        cli.main(args=argv, prog_name="followup", standalone_mode=False)
    except FollowupError as error:
        click.echo(f"followup: {error.label}: {error.message}", err=True)
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
