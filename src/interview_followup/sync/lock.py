"""One sync per calendar at a time: a lock file in the data folder."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from interview_followup import environment
from interview_followup.errors import FollowupError
from interview_followup.paths import data_dir, ensure_private_dir

DEFAULT_WAIT_SECONDS = 60.0


class SyncBusy(FollowupError):
    """Another sync of the same calendar held the lock for longer than we wait."""


def _wait_seconds() -> float:
    return environment.seconds("FOLLOWUP_SYNC_LOCK_SECONDS", DEFAULT_WAIT_SECONDS)


@contextmanager
def calendar_lock(target: str, calendar: str) -> Iterator[None]:
    """Hold this calendar's lock; wait a bounded time for another sync to finish."""
    if sys.platform == "win32":  # no flock; the ETag checks still keep every write safe
        yield
        return
    import fcntl
    import hashlib

    folder = os.path.join(data_dir(), "locks")
    ensure_private_dir(folder)
    name = hashlib.sha256(target.encode("utf-8")).hexdigest()[:24]
    fd = os.open(os.path.join(folder, f"sync-{name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + _wait_seconds()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise SyncBusy(
                        f"another sync of {calendar} is running and did not finish within"
                        f" {_wait_seconds():.0f} s; try again when it has finished"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # closing releases the lock
