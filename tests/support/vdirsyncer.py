"""vdirsyncer subscribed to our feed: its http storage pulling into a folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

VDIRSYNCER = Path(sys.executable).parent / "vdirsyncer"


def subscription_config(tmp: Path, url: str) -> Path:
    local = tmp / "calendar"
    local.mkdir()  # an existing folder: discover has nothing to ask
    path = tmp / "vdirsyncer.conf"
    path.write_text(
        f"""[general]
status_path = "{tmp / "status"}/"

[pair feed]
a = "feed_remote"
b = "feed_local"
collections = null
conflict_resolution = "a wins"

[storage feed_remote]
type = "http"
url = "{url}"

[storage feed_local]
type = "filesystem"
path = "{local}/"
fileext = ".ics"
""",
        encoding="utf-8",
    )
    return path


def run_vdirsyncer(config: Path, *args: str) -> None:
    result = subprocess.run(
        [str(VDIRSYNCER), "-c", str(config), *args],
        input="y\n",  # should it ask anything anyway
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
