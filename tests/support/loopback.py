"""Starting a server of the tests' own in a child process on a loopback port."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    name: str,
    command: Sequence[str],
    port: int,
    log: Path,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    seconds: float = 20,
) -> subprocess.Popen[bytes]:
    """Start ``command`` and wait until ``port`` answers. Its output goes to ``log``: a
    pipe nobody reads fills up and stalls the server."""
    with log.open("wb") as output:
        # Its own process group, so stopping it also ends the workers it forked
        # (php -S with PHP_CLI_SERVER_WORKERS).
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {log.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    stop_server(process)
    raise RuntimeError(f"{name} did not start within {seconds:.0f} s")


def stop_server(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
