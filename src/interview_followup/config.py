"""One typed Settings object, read from defaults < config file < environment.

Every key is declared once in ``KEYS`` with its parser, so validation, ``config get``,
``config set`` and the docs all come from the same table.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import time
from typing import Any, NamedTuple

from . import paths
from .days import validate_region
from .errors import FollowupError, InputError
from .timezones import machine_zone, zone


class Settings(NamedTuple):
    timezone: str = ""
    name: str = ""  # signs the drafts
    country: str = ""
    subdivision: str = ""
    thank_you_after: int = 60  # minutes after the interview ends
    thank_you_within: int = 24 * 60  # minutes after the end: the stated deadline
    follow_up_time: time = time(10, 0)
    revised_follow_up_time: time = time(15, 0)
    no_date_wait_business_days: int = 10
    check_ins: int = 2
    alarm_minutes: int = 15
    feed_cancelled_days: int = 14
    feed_refresh_minutes: int = 60
    caldav_url: str = ""
    caldav_username: str = ""
    caldav_calendar: str = "Interview follow-ups"
    caldav_password_command: str = ""
    caldav_connections: int = 4  # writes in flight at once
    google_calendar_id: str = ""
    google_calendar_name: str = "Interview follow-ups"
    me: tuple[str, ...] = ()  # your own addresses, left out of an invitation's people
    date_order: str = ""  # DMY or MDY: how to read 03/04/2027 in a spreadsheet

    @property
    def zone_name(self) -> str:
        """The default zone for new interviews: the config, else the machine's."""
        return self.timezone or machine_zone()


# --- value parsers: text from the user -> typed value, or InputError naming the key ---


def format_minutes(minutes: int) -> str:
    return f"{minutes // 60}h" if minutes % 60 == 0 and minutes else f"{minutes}m"


def _count(low: int, high: int) -> Callable[[str, str], int]:
    def parse(key: str, text: str) -> int:
        text = str(text).strip()
        if not re.fullmatch(r"\d+", text) or not low <= int(text) <= high:
            raise InputError(key, f"{text!r} is not a whole number from {low} to {high}")
        return int(text)

    return parse


def _text(key: str, text: str) -> str:
    from .parsing import parse_text

    return parse_text(text, key)


def parse_minutes(key: str, text: str) -> int:
    from .parsing import parse_minutes

    return parse_minutes(text, key)


def parse_clock(key: str, text: str) -> time:
    from .parsing import parse_clock

    return parse_clock(text, key)


def _zone_name(key: str, text: str) -> str:
    text = str(text).strip()
    if text:
        zone(text, key)
    return text


def _country(key: str, text: str) -> str:
    return str(text).strip().upper()


def _subdivision(key: str, text: str) -> str:
    return str(text).strip().upper()


def _addresses(key: str, text: str) -> tuple[str, ...]:
    from .parsing import parse_email

    parts = [part for part in re.split(r"[,;\s]+", str(text)) if part]
    return tuple(parse_email(part, key).lower() for part in parts)


def _date_order(key: str, text: str) -> str:
    value = str(text).strip().upper()
    if value not in ("", "DMY", "MDY"):
        raise InputError(key, f"{text!r} is not DMY (15.12.2027) or MDY (12/15/2027)")
    return value


class Key(NamedTuple):
    name: str
    attr: str
    parse: Callable[[str, str], Any]
    show: Callable[[Any], str]
    help: str


def _key(
    name: str, parse: Callable[[str, str], Any], help: str, show: Callable[[Any], str] = str
) -> Key:
    return Key(name, name.replace(".", "_"), parse, show, help)


def _clock(value: time) -> str:
    return value.strftime("%H:%M")


KEYS: dict[str, Key] = {
    key.name: key
    for key in (
        _key("timezone", _zone_name, "default IANA zone for new interviews (empty: the machine's)"),
        _key("name", _text, "your name, to sign the drafts"),
        _key(
            "country", _country, "country code for public holidays, e.g. US (empty: weekends only)"
        ),
        _key("subdivision", _subdivision, "state or region code for holidays, e.g. CA"),
        _key(
            "thank_you_after",
            parse_minutes,
            "thank-you note this long after the interview ends",
            format_minutes,
        ),
        _key(
            "thank_you_within",
            parse_minutes,
            "deadline for thank-you notes after the end",
            format_minutes,
        ),
        _key("follow_up_time", parse_clock, "time of day for the follow-up and check-ins", _clock),
        _key(
            "revised_follow_up_time",
            parse_clock,
            "time of the follow-up on a revised decision date",
            _clock,
        ),
        _key(
            "no_date_wait_business_days",
            _count(1, 60),
            "business days to wait when no date was promised",
        ),
        _key("check_ins", _count(0, 10), "weekly check-ins after the follow-up"),
        _key("alarm_minutes", _count(0, 10080), "reminder this many minutes before timed events"),
        _key("feed_cancelled_days", _count(0, 365), "days a cancelled event stays in the feed"),
        _key(
            "feed_refresh_minutes",
            _count(5, 10080),
            "refresh interval suggested to feed subscribers",
        ),
        _key("caldav.url", _text, "CalDAV server URL"),
        _key("caldav.username", _text, "CalDAV user name"),
        _key("caldav.calendar", _text, "CalDAV calendar name"),
        _key("caldav.password_command", _text, "command that prints the CalDAV password"),
        _key("caldav.connections", _count(1, 16), "CalDAV writes sent at once (1-16)"),
        _key("google.calendar_id", _text, "Google calendar id (set by the first sync)"),
        _key("google.calendar_name", _text, "name of the Google calendar to create"),
        _key("me", _addresses, "your own e-mail addresses, comma-separated", ", ".join),
        _key("date_order", _date_order, "DMY or MDY: how to read 03/04/2027 in an import"),
    )
}


def lookup(name: str) -> Key:
    try:
        return KEYS[name]
    except KeyError:
        raise InputError("key", f"{name!r} is not a config key; known: {', '.join(KEYS)}") from None


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = value
    return flat


def read_raw(path: paths.StrPath | None = None) -> dict[str, Any]:
    """The config file as a flat {dotted key: value} map; {} when it does not exist."""
    path = path or paths.config_path()
    try:
        with open(path, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise InputError("config", f"cannot read {path}: {error.strerror}") from None
    import tomllib  # only now: without a config file, start-up never pays for it

    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InputError(
            "config", f"{path} is not valid TOML ({error}); fix or remove it"
        ) from None
    return _flatten(data)


def _from_environment() -> dict[str, str]:
    # FOLLOWUP_COUNTRY=DE, FOLLOWUP_CALDAV_URL=... override the file, for scripts and CI.
    found = {}
    for name in KEYS:
        value = os.environ.get("FOLLOWUP_" + name.replace(".", "_").upper())
        if value is not None:
            found[name] = value
    return found


def load(path: paths.StrPath | None = None) -> Settings:
    path = path or paths.config_path()
    values = _parsed(read_raw(path), f"config file ({path})")
    values.update(_parsed(_from_environment(), "environment"))
    # The country is checked when set; checking here would load the holiday tables
    # on every start-up.
    return Settings(**values)


def _parsed(raw: dict[str, Any], source: str) -> dict[str, Any]:
    """Settings attributes from {key: text}; an unknown key or bad value is an InputError."""
    values: dict[str, Any] = {}
    for name, value in raw.items():
        key = KEYS.get(name)
        if key is None:
            raise InputError("config", f"unknown key {name!r} in the {source}")
        values[key.attr] = key.parse(name, value if isinstance(value, str) else str(value))
    return values


def show(settings: Settings, name: str) -> str:
    key = lookup(name)
    return str(key.show(getattr(settings, key.attr)))


@contextmanager
def locked(path: paths.StrPath | None = None) -> Iterator[None]:
    """Hold the config file's lock: read-modify-write cycles of two processes never interleave."""
    path = path or paths.config_path()
    with paths.file_lock(paths.beside(path, ".config.lock")):
        yield


def set_value(name: str, text: str, path: paths.StrPath | None = None, *, lock: bool = True) -> str:
    """Validate and store one key; returns the value as stored. Writes nothing on error.

    ``lock=False`` is for a caller that already holds ``locked()``.
    """
    if lock:
        where = path or paths.config_path()
        try:
            with locked(path):
                return set_value(name, text, path, lock=False)
        except OSError as error:
            raise FollowupError(
                f"cannot write the config file {where}: {error.strerror}; nothing was changed"
            ) from None
    path = path or paths.config_path()
    key = lookup(name)
    value = key.parse(name, text)
    raw = read_raw(path)
    raw[name] = key.show(value)
    # The whole file must still be valid with the new value, or nothing is written.
    merged = Settings(**_parsed(raw, f"config file ({path})"))
    _check_agreement(name, merged)
    if merged.country or merged.subdivision:
        validate_region(merged.country, merged.subdivision)
    if os.path.exists(path):
        # A file made read-only means "do not change me", though its folder would let
        # the atomic replace through: ask the file itself.
        os.close(os.open(path, os.O_WRONLY))
    paths.write_private_file(path, _to_toml(raw))
    return str(raw[name])


def _check_agreement(name: str, settings: Settings) -> None:
    """Refuse settings that contradict each other, naming both."""
    if settings.thank_you_within <= settings.thank_you_after:
        within = format_minutes(settings.thank_you_within)
        after = format_minutes(settings.thank_you_after)
        other = "thank_you_after" if name == "thank_you_within" else "thank_you_within"
        raise InputError(
            name,
            f"thank_you_within ({within}) must be longer than thank_you_after ({after}), or the"
            f" note would be due before its reminder; change {other} first",
        )


def restore_value(name: str, stored: str | None, path: paths.StrPath | None = None) -> None:
    """Put back one key as the file had it (``None``: absent), as undo does."""
    path = path or paths.config_path()
    with locked(path):
        raw = read_raw(path)
        if stored is None:
            raw.pop(name, None)
        else:
            raw[name] = stored
        paths.write_private_file(path, _to_toml(raw))


def _to_toml(flat: dict[str, Any]) -> str:
    """A flat map as TOML: plain keys first, then one table per dotted prefix."""
    import json  # only `config set` writes the file

    tables: dict[str, dict[str, Any]] = {"": {}}
    for name in sorted(flat):
        section, _, leaf = name.rpartition(".")
        tables.setdefault(section, {})[leaf] = flat[name]
    lines = []
    for section, entries in tables.items():
        if section:
            lines.append(f"\n[{section}]")
        # JSON string escapes are valid TOML basic-string escapes.
        lines.extend(
            f"{leaf} = {json.dumps(str(value), ensure_ascii=False)}"
            for leaf, value in entries.items()
        )
    return "\n".join(lines).lstrip("\n") + "\n"
