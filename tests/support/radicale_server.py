"""A real Radicale CalDAV server on loopback, for the sync tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support.loopback import free_port, start_server, stop_server

USER = "jobseeker"
PASSWORD = "correct horse battery staple"


class Radicale:
    """Start with ``start()``; ``stop()`` kills it (the storage folder survives)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.storage = folder / "collections"
        self.htpasswd = folder / "users"
        self.htpasswd.write_text(f"{USER}:{PASSWORD}\n")
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> Radicale:
        command = [
            sys.executable, "-m", "radicale", "--config", "",
            "--server-hosts", f"127.0.0.1:{self.port}",
            "--storage-filesystem-folder", str(self.storage),
            "--auth-type", "htpasswd",
            "--auth-htpasswd-filename", str(self.htpasswd),
            "--auth-htpasswd-encryption", "plain",
            "--logging-level", "warning",
        ]  # fmt: skip
        self.process = start_server(
            "radicale", command, self.port, self.folder.with_name(self.folder.name + ".log")
        )
        return self

    def stop(self) -> None:
        stop_server(self.process)
        self.process = None

    def items(self) -> dict[str, bytes]:
        """Every stored .ics file (path relative to the storage) and its bytes."""
        return {
            str(path.relative_to(self.storage)): path.read_bytes()
            for path in sorted(self.storage.rglob("*.ics"))
            if ".Radicale" not in str(path)
        }
