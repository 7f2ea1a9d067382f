"""A real Xandikos CalDAV server on loopback (no authentication), for the sync tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from support.radicale_server import free_port


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
        # Its log goes to a file: a pipe nobody reads fills up and stalls the server.
        self.log = self.folder.with_name(self.folder.name + ".log")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"xandikos exited: {self.log.read_text(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("xandikos did not start within 20 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def items(self) -> dict[str, bytes]:
        """Every stored file (Git objects included): any write changes this."""
        return {
            str(path.relative_to(self.folder)): path.read_bytes()
            for path in sorted(self.folder.rglob("*"))
            if path.is_file() and not path.name.endswith(".lock") and path.name != "index"
        }
