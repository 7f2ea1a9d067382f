"""Where files live: ``$FOLLOWUP_HOME`` when set, else the platform's user folders."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

APP_NAME = "interview-followup"


def data_dir() -> Path:
    home = os.environ.get("FOLLOWUP_HOME")
    if home:
        return Path(home)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME)


def config_dir() -> Path:
    home = os.environ.get("FOLLOWUP_HOME")
    if home:
        return Path(home)
    from platformdirs import user_config_path

    return user_config_path(APP_NAME)


def database_path() -> Path:
    return data_dir() / "followup.sqlite3"


def config_path() -> Path:
    return config_dir() / "config.toml"


# Files holding secrets, named once here: their modules and the permission check use them.
def feed_token_path() -> Path:
    return data_dir() / "feed-token"


def google_token_path() -> Path:
    return data_dir() / "google-token.json"


def google_service_account_path() -> Path:
    return data_dir() / "google-service-account.json"


def ensure_private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def write_private_file(path: Path, text: str) -> None:
    """Write ``text`` atomically to a file only its owner can read (0600)."""
    import secrets

    ensure_private_dir(path.parent)
    # A random suffix keeps writers apart, threads of one process included.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created 0600): serialises read-modify-write
    cycles between processes."""
    if sys.platform == "win32":  # no flock; atomic replaces still keep files whole
        yield
        return
    import fcntl

    ensure_private_dir(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def looser_than_private(path: Path) -> bool:
    """True when group or others may read or write ``path``."""
    try:
        return bool(path.stat().st_mode & 0o077)
    except FileNotFoundError:
        return False
