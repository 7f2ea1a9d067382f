"""Pieces the command modules share."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from interview_followup.workspace import Workspace


class InterviewId(click.ParamType[int, object]):
    """An interview id: a positive number. A negative or huge one is no interview, and
    says so as a missing id does."""

    name = "ID"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if not re.fullmatch(r"[-+]?[0-9]+", text):
            self.fail(f"{value!r} is not a number", param, ctx)
        number = int(text)
        if not 1 <= number < 2**63:
            from interview_followup.errors import NotFoundError

            raise NotFoundError("id", f"there is no interview {text} (see: followup list)")
        return number


INTERVIEW_ID = InterviewId()
# Lets '-1' reach the argument (and its own message) instead of reading as an option.
NEGATIVE_NUMBERS = {"ignore_unknown_options": True}


@contextmanager
def workspace(
    create: bool = True, read_config: bool = True, reading: bool = False
) -> Iterator[Workspace]:
    """The open database and settings, with any permission warning shown once.
    ``reading``: the command only reads, so a read-only data folder will do."""
    from interview_followup import workspace as service

    ws = service.open_workspace(create=create, read_config=read_config, reading=reading)
    for warning in ws.warnings:
        click.echo(warning, err=True)
    try:
        yield ws
    finally:
        ws.close()
