"""Noticing that a file changed, for a long-running server: one stat() per look.

The token, the config file and the database are each read again only when their file
changed; this is the one place that decides what "changed" means.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable
from typing import NamedTuple

from interview_followup.paths import StrPath

_NEVER = object()  # before the first look


def content_key(info: os.stat_result) -> Hashable:
    """A file rewritten in place or replaced: the inode is part of it because an atomic
    replace makes a new file, which a coarse mtime alone could miss when two writes
    share a tick."""
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def identity_key(info: os.stat_result) -> Hashable:
    """Another file at the same path (a backup put back), whatever happens inside it."""
    return (info.st_dev, info.st_ino)


class Look(NamedTuple):
    changed: bool  # since the previous look; the first look always counts as a change
    info: os.stat_result | None  # None while the file is missing


class FileWatch:
    """Remembers what a file looked like at the last look. Not thread-safe: callers
    look under the lock that guards what they reload."""

    def __init__(self, path: StrPath, key: Callable[[os.stat_result], Hashable] = content_key):
        self.path = path
        self._key = key
        self._seen: Hashable = _NEVER

    def look(self) -> Look:
        try:
            info: os.stat_result | None = os.stat(self.path)
        except FileNotFoundError:
            info = None
        seen = None if info is None else self._key(info)
        changed = seen != self._seen
        self._seen = seen
        return Look(changed, info)
