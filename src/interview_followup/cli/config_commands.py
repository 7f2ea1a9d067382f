"""`followup config get|set|list`."""

from __future__ import annotations

import click

from interview_followup.cli import completion


@click.group(name="config")
def config_group() -> None:
    """Read and change settings (time zone, country, policy numbers, sync targets)."""


_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _dumps(data: object) -> str:
    from interview_followup.cli.output import dumps

    return dumps(data)


@config_group.command(name="get")
@click.argument("key", shell_complete=completion.config_keys)
@_JSON
def config_get(key: str, as_json: bool) -> None:
    """Print one setting."""
    from interview_followup import config

    value = config.show(config.load(), key)
    click.echo(_dumps({"key": key, "value": value}) if as_json else value)


@config_group.command(name="set", context_settings={"ignore_unknown_options": True})
@click.argument("key", shell_complete=completion.config_keys)
@click.argument("value", shell_complete=completion.config_values)
@_JSON
def config_set(key: str, value: str, as_json: bool) -> None:
    """Change one setting; plans are recomputed to match (`followup undo` puts a
    setting the plans depend on back)."""
    from interview_followup import service

    stored = service.set_config(key, value)
    click.echo(_dumps({"key": key, "value": stored}) if as_json else f"{key} = {stored}")


@config_group.command(name="list")
@_JSON
def config_list(as_json: bool) -> None:
    """Every setting with its value and meaning."""
    from interview_followup import config

    settings = config.load()
    if as_json:
        click.echo(
            _dumps(
                [
                    {"key": name, "value": config.show(settings, name), "help": key.help}
                    for name, key in config.KEYS.items()
                ]
            )
        )
        return
    shown = {name: str(config.show(settings, name)) for name in config.KEYS}
    name_width = max(map(len, shown))
    value_width = max(24, *map(len, shown.values()))
    for name, key in config.KEYS.items():
        click.echo(f"{name:<{name_width}} = {shown[name]:<{value_width}}  # {key.help}")
