"""How far a long job has come, for a progress line the CLI may draw; nothing here
draws anything."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

Progress = Callable[[int, int], None]  # (done, total)

T = TypeVar("T")


def counted(
    items: Sequence[T], progress: Progress | None, *, done: int = 0, total: int | None = None
) -> Iterable[T]:
    """``items`` themselves when nobody watches (no cost per item); otherwise each one
    is reported to ``progress`` once the caller has handled it.

    ``done`` is what was finished before these items, ``total`` the whole job's size
    (default: just these items).
    """
    if progress is None:
        return items
    return _reporting(items, progress, done, done + len(items) if total is None else total)


def _reporting(items: Sequence[T], progress: Progress, done: int, total: int) -> Iterator[T]:
    for item in items:
        yield item  # the caller handles it before asking for the next one
        done += 1
        progress(done, total)
