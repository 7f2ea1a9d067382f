"""Pieces the command modules share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from interview_followup.workspace import Workspace


@contextmanager
def workspace(create: bool = True, read_config: bool = True) -> Iterator[Workspace]:
    """The open database and settings, with any permission warning shown once."""
    from interview_followup import workspace as service

    ws = service.open_workspace(create=create, read_config=read_config)
    for warning in ws.warnings:
        click.echo(warning, err=True)
    try:
        yield ws
    finally:
        ws.close()
