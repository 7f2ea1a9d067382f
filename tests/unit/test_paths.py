"""Where files live when FOLLOWUP_HOME is not set: the same folders platformdirs names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import platformdirs
import pytest

from interview_followup import paths

APP = paths.APP_NAME

XDG_VALUES = [None, "", "   ", "relative/dir", "/srv/xdg"]


@pytest.fixture
def user_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "user"
    home.mkdir()
    monkeypatch.delenv("FOLLOWUP_HOME", raising=False)
    monkeypatch.setenv("HOME", str(home))
    return home


def _set(monkeypatch: pytest.MonkeyPatch, name: str, value: str | None) -> None:
    if value is None:
        monkeypatch.delenv(name, raising=False)
    else:
        monkeypatch.setenv(name, value)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rule is for Linux")
@pytest.mark.parametrize("value", XDG_VALUES)
def test_folders_match_platformdirs(
    user_home: Path, monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    _set(monkeypatch, "XDG_DATA_HOME", value)
    _set(monkeypatch, "XDG_CONFIG_HOME", value)
    assert paths.data_dir() == platformdirs.user_data_dir(APP)
    assert paths.config_dir() == platformdirs.user_config_dir(APP)
    assert paths.data_dir().startswith(value if value and value.startswith("/") else str(user_home))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rule is for Linux")
@pytest.mark.parametrize("home", [None, "", "relative/home", "/srv/home/"])
def test_an_odd_home_gives_the_platformdirs_folders(
    user_home: Path, monkeypatch: pytest.MonkeyPatch, home: str | None
) -> None:
    """Cron jobs and sandboxes may clear $HOME or set it relative: the account's home
    folder is used then, never a folder relative to where the command runs."""
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    _set(monkeypatch, "HOME", home)
    assert paths.data_dir() == platformdirs.user_data_dir(APP)
    assert paths.config_dir() == platformdirs.user_config_dir(APP)
    assert os.path.isabs(paths.data_dir())


def test_default_folders_hold_the_files(user_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    env = dict(os.environ)
    followup = [sys.executable, "-m", "interview_followup"]
    subprocess.run([*followup, "config", "set", "country", "US"], env=env, check=True)
    subprocess.run(
        [*followup, "log", "--company", "Acme", "--at", "2030-03-04 10:00", "--tz", "UTC"],
        env=env,
        check=True,
        capture_output=True,
    )
    database = Path(platformdirs.user_data_dir(APP), "followup.sqlite3")
    config = Path(platformdirs.user_config_dir(APP), "config.toml")
    assert database.is_relative_to(user_home) and database.stat().st_size > 0
    assert config.read_text(encoding="utf-8") == 'country = "US"\n'
    assert database.stat().st_mode & 0o777 == 0o600
    assert database.parent.stat().st_mode & 0o777 == 0o700


def test_private_file_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    paths.write_private_file("bare-name", "text")
    assert (tmp_path / "bare-name").read_text(encoding="utf-8") == "text"
    assert (tmp_path / "bare-name").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["bare-name"]  # no temporary file left
