"""What `followup serve` writes: the whole secret URL on a terminal only, and never a
token in anything that may end up in a log (stdout to a pipe, stderr, the request log,
the client list)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time
from pathlib import Path

import pytest
from conftest import FOLLOWUP_BIN, Cli
from support.feed_server import URL_LINE, request, serving

from interview_followup.feed import token as feed_token

pytestmark = pytest.mark.slow


def _read_lines(fd: int, count: int, timeout: float = 20) -> list[str]:
    """The first ``count`` lines written to a pseudo-terminal's master side."""
    data = b""
    deadline = time.monotonic() + timeout
    while data.count(b"\n") < count:
        left = deadline - time.monotonic()
        assert left > 0, f"no {count} lines in time: {data!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            chunk = os.read(fd, 4096)
            assert chunk, f"the terminal closed: {data!r}"
            data += chunk
    return [line.strip() for line in data.decode().splitlines()[:count]]


def test_on_a_terminal_serve_prints_the_whole_url(populated: Cli, tmp_path: Path) -> None:
    env = {**os.environ, "FOLLOWUP_HOME": str(populated.home)}
    master, slave = pty.openpty()
    errors_path = tmp_path / "stderr.log"
    with errors_path.open("w") as errors:
        process = subprocess.Popen(
            [str(FOLLOWUP_BIN), "serve", "--port", "0"], stdout=slave, stderr=errors, env=env
        )
    os.close(slave)
    try:
        first, second = _read_lines(master, 2)
        assert request(first).status == 200  # the whole, working URL
    finally:
        process.terminate()
        process.wait(timeout=10)
        os.close(master)
    match = URL_LINE.fullmatch(first)
    assert match is not None, first
    assert match.group(2) == feed_token.read_token()
    assert second == "webcal://" + first.removeprefix("http://")
    assert "not a terminal" not in errors_path.read_text()
    assert match.group(2) not in errors_path.read_text()


def test_nothing_the_server_writes_holds_the_token(populated: Cli) -> None:
    home = populated.home
    with serving(home) as server:
        token = server.url.rsplit("/", 1)[1].removesuffix(".ics")
        assert server.get().status == 200
        assert server.get("HEAD").status == 200
        assert server.get("POST").status == 405
        assert request(f"{server.base}/feed/{token}").status == 404
        assert request(f"{server.base}/feed/{token}.ics/more").status == 404
        assert request(f"{server.base}/x/feed/{token}.ics").status == 404
        assert request(f"{server.base}/feed/{token[:-1]}.ics").status == 404
        rotated = server.url  # the next line rotates: the old token is still a secret to keep
        feed_token.rotate()
        assert request(rotated).status == 404
        new_token = feed_token.read_token()
        assert new_token is not None and request(rotated.replace(token, new_token)).status == 200
        time.sleep(1.2)  # the client list is written at most once a second
        assert server.get(headers={"User-Agent": "Test/1"}).status == 404
        server.process.terminate()
        server.process.wait(timeout=10)
        assert server.process.stdout is not None
        rest = server.process.stdout.read()
    written = {
        "stdout": "\n".join(server.printed) + "\n" + rest,
        "stderr": server.log(),
        "clients": (home / "feed-clients.json").read_text(),
    }
    assert '"GET /feed/***.ics" 200' in written["stderr"]
    assert "Test/1" in written["clients"]
    for name, text in written.items():
        for line in text.splitlines():
            for secret in (token, new_token):
                assert secret not in line, (name, line)
                assert secret[:-1] not in line, (name, line)
