"""A progress line on stderr for long runs: only on a terminal, only after a second."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from interview_followup import environment
from interview_followup.counting import Progress

# A run this quick needs no progress line: it would only flicker.
DELAY_SECONDS = 1.0


def delay_seconds() -> float:
    """How long a run goes before its line shows (FOLLOWUP_PROGRESS_DELAY, default 1)."""
    return environment.seconds("FOLLOWUP_PROGRESS_DELAY", DELAY_SECONDS)


@contextmanager
def progress_bar(label: str, *, enabled: bool = True) -> Iterator[Progress | None]:
    """A callback that draws Click's progress bar (done, total, rate) on stderr.

    None when stderr is not a terminal or ``enabled`` is false, so that callers
    skip the bookkeeping altogether.
    """
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    started, delay = time.monotonic(), delay_seconds()
    state: dict[str, Any] = {"bar": None, "shown": 0}

    def rate(_: object) -> str:
        elapsed = max(time.monotonic() - started, 1e-6)
        return f"{state['shown'] / elapsed:.1f}/s"

    def report(done: int, total: int) -> None:
        bar = state["bar"]
        if bar is None:
            if time.monotonic() - started < delay or total <= 0:
                return
            bar = state["bar"] = click.progressbar(
                length=total,
                label=label,
                file=sys.stderr,
                show_pos=True,
                show_eta=False,
                item_show_func=rate,
            )
            bar.__enter__()
        step, state["shown"] = done - state["shown"], done
        bar.update(step, current_item=done)

    try:
        yield report
    finally:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)
