"""Time zone names: validation and the machine's own zone."""

from __future__ import annotations

import contextlib
import os
from datetime import date, datetime, time
from functools import lru_cache
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:  # zoneinfo loads its tables on import: only commands that need it pay
    from zoneinfo import ZoneInfo

# Files in the zoneinfo folder that are no zone to schedule in: the machine's own zone
# under another name (it changes with the machine), the POSIX rules template, the
# placeholder zone, and the posix/ and right/ (leap-second) copies of the real ones.
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})
_NOT_ZONE_FOLDERS = ("posix/", "right/")


@lru_cache(maxsize=64)
def zone(name: str, field: str = "tz") -> ZoneInfo:
    """The ZoneInfo for an IANA name, or an InputError naming ``field``."""
    if (
        not name
        or name.startswith(("/", ".", *_NOT_ZONE_FOLDERS))
        or ".." in name
        or name in _NOT_ZONES
    ):
        raise InputError(field, f"{name!r} is not an IANA time zone such as Europe/Berlin")
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InputError(
            field, f"{name!r} is not an IANA time zone such as Europe/Berlin"
        ) from None


def machine_zone() -> str:
    """The local IANA zone name, from $TZ or /etc/localtime; UTC when unknown."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    with contextlib.suppress(OSError), open("/etc/timezone", encoding="utf-8") as handle:
        candidates.append(handle.read().strip())
    for name in candidates:
        if not name:
            continue
        try:
            zone(name)
        except InputError:
            continue
        return name
    return "UTC"


def starts_at(start: datetime | date, tz: ZoneInfo) -> datetime:
    """When something begins, as an aware instant: an all-day date begins at 00:00 in
    ``tz``; a naive time is wall-clock time in ``tz``."""
    if not isinstance(start, datetime):
        start = datetime.combine(start, time())
    return start if start.tzinfo is not None else start.replace(tzinfo=tz)
