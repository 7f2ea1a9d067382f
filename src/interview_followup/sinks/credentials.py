"""Passwords come from the environment, a command or the system keyring; never a file of ours."""

from __future__ import annotations

import os
import shlex
import subprocess

from interview_followup.errors import InputError, RemoteError

KEYRING_SERVICE = "interview-followup"


def _from_command(command: str) -> str:
    try:
        done = subprocess.run(
            shlex.split(command), capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, ValueError, subprocess.TimeoutExpired) as error:
        raise RemoteError(f"caldav.password_command could not run: {error}") from None
    if done.returncode != 0:
        raise RemoteError(f"caldav.password_command failed with exit status {done.returncode}")
    lines = done.stdout.splitlines()
    return lines[0] if lines else ""


def _from_keyring(username: str, url: str) -> str:
    try:
        import keyring  # optional: used only when installed
    except ImportError:
        return ""
    try:
        return keyring.get_password(KEYRING_SERVICE, f"{username}@{url}") or ""
    except Exception:  # any keyring backend failure means "no password there"
        return ""


def caldav_password(username: str, url: str, password_command: str) -> str:
    """The CalDAV password, or '' when no user name is configured."""
    if not username:
        return ""
    password = os.environ.get("FOLLOWUP_CALDAV_PASSWORD", "")
    if not password and password_command:
        password = _from_command(password_command)
    if not password:
        password = _from_keyring(username, url)
    if not password:
        raise InputError(
            "password",
            "no CalDAV password: set FOLLOWUP_CALDAV_PASSWORD, or caldav.password_command,"
            f" or store it in the keyring as service '{KEYRING_SERVICE}', user '{username}@{url}'",
        )
    return password
