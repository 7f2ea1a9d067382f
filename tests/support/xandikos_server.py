"""A real Xandikos CalDAV server on loopback (no authentication), for the sync tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support.loopback import free_port, start_server, stop_server


class Xandikos:
    """Start with ``start()``; ``stop()`` kills it. Principal /user/, Git storage."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> Xandikos:
        executable = Path(sys.executable).parent / "xandikos"
        command = [
            str(executable), "serve", "-d", str(self.folder), "--defaults",
            "-l", "127.0.0.1", "-p", str(self.port), "--no-detect-systemd",
        ]  # fmt: skip
        self.process = start_server(
            "xandikos", command, self.port, self.folder.with_name(self.folder.name + ".log")
        )
        return self

    def stop(self) -> None:
        stop_server(self.process)
        self.process = None

    def items(self) -> dict[str, bytes]:
        """Every stored file (Git objects included): any write changes this."""
        return {
            str(path.relative_to(self.folder)): path.read_bytes()
            for path in sorted(self.folder.rglob("*"))
            if path.is_file() and not path.name.endswith(".lock") and path.name != "index"
        }
