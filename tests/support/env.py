"""The environment every test runs the CLI in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def clear_env(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """No FOLLOWUP_* setting from the developer's shell, ``home`` as FOLLOWUP_HOME, and
    one machine zone everywhere (it is the last default for --tz)."""
    for name in list(os.environ):
        if name.startswith("FOLLOWUP_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("FOLLOWUP_HOME", str(home))
    monkeypatch.setenv("TZ", "UTC")


def caldav_env(monkeypatch: pytest.MonkeyPatch, home: Path, password: str) -> Path:
    """``clear_env``, and the CalDAV password the test servers take; returns ``home``."""
    clear_env(monkeypatch, home)
    monkeypatch.setenv("FOLLOWUP_CALDAV_PASSWORD", password)
    return home
