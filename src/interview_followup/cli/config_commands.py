"""`followup config get|set|list`."""

from __future__ import annotations

import click

from interview_followup.cli import completion


@click.group(name="config")
def config_group() -> None:
    """Read and change settings (time zone, country, policy numbers, sync targets)."""


@config_group.command(name="get")
@click.argument("key", shell_complete=completion.config_keys)
def config_get(key: str) -> None:
    """Print one setting."""
    from interview_followup import config

    click.echo(config.show(config.load(), key))


@config_group.command(name="set", context_settings={"ignore_unknown_options": True})
@click.argument("key", shell_complete=completion.config_keys)
@click.argument("value", shell_complete=completion.config_values)
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
