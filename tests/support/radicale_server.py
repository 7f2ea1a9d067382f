"""A real Radicale CalDAV server on loopback, for the sync tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

USER = "jobseeker"
PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
        # Its log goes to a file: a pipe nobody reads fills up and stalls the server.
        self.log = self.folder / "server.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"radicale exited: {self.log.read_text(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("radicale did not start within 20 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def items(self) -> dict[str, bytes]:
        """Every stored .ics file (path relative to the storage) and its bytes."""
        return {
            str(path.relative_to(self.storage)): path.read_bytes()
            for path in sorted(self.storage.rglob("*.ics"))
            if ".Radicale" not in str(path)
        }
