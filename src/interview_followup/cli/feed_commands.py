"""`followup serve` and `followup feed`: the calendar feed that apps subscribe to.

Imports stay inside the commands: `followup --help` must not load the HTTP server.
"""

from __future__ import annotations

import sys
import threading
from datetime import UTC, datetime

import click

from interview_followup.errors import InputError

from . import output

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765

_host_option = click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Address to listen on; the default lets only this machine in.",
)
_port_option = click.option(
    "--port",
    default=DEFAULT_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on (0: any free port).",
)
_base_url_option = click.option(
    "--base-url",
    default="",
    metavar="URL",
    help="Public address of a proxy in front of the server, e.g. https://cal.example.org.",
)


def _url(host: str, port: int, token: str, base_url: str = "") -> str:
    from interview_followup.feed import token as feed_token

    if base_url and not base_url.startswith(("http://", "https://")):
        raise InputError("base-url", f"{base_url!r} must start with https:// or http://")
    return feed_token.feed_url(feed_token.display_host(host), port, token, base_url)


def _token() -> str:
    from interview_followup import paths
    from interview_followup.feed import token as feed_token

    token = feed_token.load_or_create()
    path = feed_token.token_path()
    warning = paths.permission_warning(path)
    if warning:
        click.echo(warning, err=True)
    return token


def _echo_urls(url: str, as_json: bool = False) -> None:
    from interview_followup.feed import token as feed_token

    webcal = feed_token.webcal_url(url)
    if as_json:
        click.echo(output.dumps({"url": url, "webcal": webcal}))
    else:
        click.echo(url)
        click.echo(webcal)
    sys.stdout.flush()  # `serve` blocks next; whoever reads our output needs the URL now


def _listening_note(host: str) -> str:
    from interview_followup.feed import token as feed_token

    if feed_token.is_loopback(host):
        return (
            f"Listening on {host} only: apps on this machine can subscribe, nothing else can"
            " reach it. Google Calendar fetches from Google's servers and needs a public"
            " HTTPS address: see docs/feed.md."
        )
    return (
        f"Listening on {host}: whoever can reach it and knows the URL can read your"
        " follow-ups, unencrypted. On a public host put a TLS proxy in front (docs/feed.md)."
    )


MASK = "***"


def _masked_note(host: str, port: int) -> str:
    flags = "" if host == DEFAULT_HOST else f" --host {host}"
    flags += "" if port == DEFAULT_PORT else f" --port {port}"
    return (
        "Output is not a terminal, so the secret part of the URL is shown as ***;"
        f" `followup feed url{flags}` prints the whole URL."
    )


@click.command()
@_host_option
@_port_option
def serve(host: str, port: int) -> None:
    """Serve the live feed for calendar apps to subscribe to.

    Prints the feed URL on the first line, then its webcal:// form; when the output is
    not a terminal (a log), with the secret token shown as *** (`followup feed url`
    prints it). Changes made with followup show on the next fetch, without a restart.
    Ctrl-C stops the server.
    """
    from interview_followup.feed import app as feed_app
    from interview_followup.feed import server as feed_server

    log = feed_app.StderrLog()
    app = feed_app.create_app(log=log, own_process=True)
    try:
        server = feed_server.bind(host, port, app, log)
        threading.Thread(target=app.warm, daemon=True).start()
        token = _token()
        url = _url(host, server.port, token)
        click.echo(_listening_note(host), err=True)
        if sys.stdout.isatty():
            _echo_urls(url)  # after the notes: whoever reads the URL line finds them written
        else:
            # A pipe or a file is a log: the token, the only lock on the feed, stays out.
            click.echo(_masked_note(host, server.port), err=True)
            _echo_urls(url.replace(token, MASK))
        click.echo("Press Ctrl-C to stop.", err=True)
        feed_server.run(server)
    finally:
        app.close()
    click.echo("Stopped.", err=True)


@click.group(name="feed")
def feed_group() -> None:
    """The feed's address, its secret token and who fetched it."""


@feed_group.command(name="url")
@_host_option
@_port_option
@_base_url_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def feed_url(host: str, port: int, base_url: str, as_json: bool) -> None:
    """Print the feed URL and its webcal:// form, without serving."""
    _echo_urls(_url(host, port, _token(), base_url), as_json)


@feed_group.command(name="rotate")
@_host_option
@_port_option
@_base_url_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def feed_rotate(host: str, port: int, base_url: str, as_json: bool) -> None:
    """Issue a new secret URL; the old one stops working at once.

    A running server refuses the old URL from its next request on: no restart needed.
    """
    from interview_followup.feed import token as feed_token

    _echo_urls(_url(host, port, feed_token.rotate(), base_url), as_json)
    if not as_json:
        click.echo(
            "The old URL no longer works: subscribe your calendar apps to the new one.", err=True
        )


def _ago(moment: datetime, now: datetime) -> str:
    seconds = max(0, int((now - moment).total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


@feed_group.command(name="status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def feed_status(as_json: bool) -> None:
    """When each calendar app last fetched the feed, and what it got."""
    from interview_followup.feed import clients as feed_clients

    clients = feed_clients.read_clients()
    if as_json:
        click.echo(output.dumps([feed_clients.to_json(c) for c in clients]))
        return
    if not clients:
        click.echo("No calendar app has fetched the feed yet.")
        return
    now = datetime.now(UTC)
    rows = [
        [
            f"{c.last_fetch.astimezone():%Y-%m-%d %H:%M}",
            _ago(c.last_fetch, now),
            str(c.status),
            str(c.fetches),
            c.address,
            output.one_line(c.user_agent, 50),
        ]
        for c in clients
    ]
    click.echo(output.table(["last fetch", "", "status", "fetches", "address", "client"], rows))
    if any(c.status == 404 for c in clients):
        click.echo(
            "\n404: that client uses an old or wrong URL; subscribe it again with the one"
            " from `followup feed url`."
        )
