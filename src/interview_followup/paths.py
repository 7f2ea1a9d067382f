"""Where files live: ``$FOLLOWUP_HOME`` when set, else the platform's user folders."""

from __future__ import annotations

import os
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


def ensure_private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def write_private_file(path: Path, text: str) -> None:
    """Write ``text`` atomically to a file only its owner can read (0600)."""
    ensure_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def looser_than_private(path: Path) -> bool:
    """True when group or others may read or write ``path``."""
    try:
        return bool(path.stat().st_mode & 0o077)
    except FileNotFoundError:
        return False
