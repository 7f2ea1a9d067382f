"""Where files live: ``$FOLLOWUP_HOME`` when set, else the platform's user folders."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress

# Plain strings, not pathlib: every command starts here, and on Python 3.11 importing
# pathlib (with urllib.parse and ipaddress) costs a tenth of the start-up. Modules
# that work with files at length wrap these in Path themselves.
StrPath = str | os.PathLike[str]

APP_NAME = "interview-followup"


def data_dir() -> str:
    home = os.environ.get("FOLLOWUP_HOME")
    if home:
        return home
    if _plain_xdg():
        return _xdg_dir("XDG_DATA_HOME", ".local/share")
    from platformdirs import user_data_dir

    return user_data_dir(APP_NAME)


def config_dir() -> str:
    home = os.environ.get("FOLLOWUP_HOME")
    if home:
        return home
    if _plain_xdg():
        return _xdg_dir("XDG_CONFIG_HOME", ".config")
    from platformdirs import user_config_dir

    return user_config_dir(APP_NAME)


def _plain_xdg() -> bool:
    """Linux and the BSDs (not Android) follow the XDG rule, which takes a few lines here;
    importing platformdirs for it would cost more than the rest of a `followup list`."""
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")) and not (
        os.environ.get("ANDROID_DATA") or os.environ.get("ANDROID_ROOT")
    )


def _xdg_dir(variable: str, default: str) -> str:
    """``$XDG_..._HOME/interview-followup``, as platformdirs answers (a test compares them).

    The XDG spec says a relative value is invalid and must be ignored."""
    base = os.environ.get(variable, "")
    if not os.path.isabs(base):
        base = os.path.join(_home(), default)
    return os.path.join(base, APP_NAME)


def _home() -> str:
    """$HOME, or the account's home folder when $HOME is unset, empty or relative (as
    under some cron jobs): a relative one would move the data with the working folder."""
    home = os.environ.get("HOME", "")
    if os.path.isabs(home):
        return home.rstrip("/") or "/"
    import pwd

    return pwd.getpwuid(os.getuid()).pw_dir.rstrip("/") or "/"


def database_path() -> str:
    return os.path.join(data_dir(), "followup.sqlite3")


def config_path() -> str:
    return os.path.join(config_dir(), "config.toml")


# Files holding secrets, named once here: their modules and the permission check use them.
def feed_token_path() -> str:
    return os.path.join(data_dir(), "feed-token")


def google_token_path() -> str:
    return os.path.join(data_dir(), "google-token.json")


def google_service_account_path() -> str:
    return os.path.join(data_dir(), "google-service-account.json")


def beside(path: StrPath, name: str) -> str:
    """A file named ``name`` in the folder of ``path``."""
    return os.path.join(os.path.dirname(os.fspath(path)), name)


def ensure_private_dir(path: StrPath) -> None:
    if os.fspath(path):  # "" is the current folder, which exists
        os.makedirs(path, mode=0o700, exist_ok=True)


def write_private_file(path: StrPath, text: str) -> None:
    """Write ``text`` atomically to a file only its owner can read (0600)."""
    import secrets

    path = os.fspath(path)
    ensure_private_dir(os.path.dirname(path))
    # A random suffix keeps writers apart, threads of one process included.
    name = os.path.basename(path)
    tmp = beside(path, f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextmanager
def file_lock(path: StrPath) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created 0600): serialises read-modify-write
    cycles between processes."""
    if sys.platform == "win32":  # no flock; atomic replaces still keep files whole
        yield
        return
    import fcntl

    ensure_private_dir(os.path.dirname(os.fspath(path)))
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def permission_warning(path: StrPath) -> str | None:
    """The warning to show when group or others may read or write a private file."""
    try:
        loose = bool(os.stat(path).st_mode & 0o077)
    except FileNotFoundError:
        return None
    return f"warning: {path} is readable by others; run: chmod 600 {path}" if loose else None
