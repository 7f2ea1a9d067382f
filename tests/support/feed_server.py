"""The feed server in a child process, and plain HTTP requests to it."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from conftest import FOLLOWUP_BIN, run_followup
from icalendar import Calendar

URL_LINE = re.compile(r"http://127\.0\.0\.1:(\d+)/feed/([A-Za-z0-9_-]+)\.ics")
# What `serve` prints when its output is not a terminal: the token masked.
MASKED_LINE = re.compile(r"http://127\.0\.0\.1:(\d+)/feed/\*\*\*\.ics")


# --- a real server in a child process ---


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def calendar(self) -> Calendar:
        assert self.body.endswith(b"END:VCALENDAR\r\n"), self.body[-80:]
        return Calendar.from_ical(self.body)


def request(
    url: str, method: str = "GET", headers: dict[str, str] | None = None, timeout: float = 20
) -> Reply:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        conn.request(method, parts.path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        found = {name.lower(): value for name, value in response.getheaders()}
        return Reply(response.status, found, body)
    finally:
        conn.close()


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    webcal: str
    log_path: Path
    printed: list[str]  # the two lines `serve` printed on its stdout (a pipe)

    @property
    def base(self) -> str:
        return self.url.split("/feed/", 1)[0]

    def get(self, method: str = "GET", headers: dict[str, str] | None = None) -> Reply:
        return request(self.url, method, headers)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8")


@contextmanager
def serving(home: Path, *args: str) -> Iterator[Served]:
    """`followup serve --port 0` with FOLLOWUP_HOME=home; stopped with SIGTERM."""
    env = {**os.environ, "FOLLOWUP_HOME": str(home)}
    log_path = home.parent / f"serve-{time.monotonic_ns()}.log"
    # The server logs every request to stderr: a file, so a full pipe never blocks it.
    with log_path.open("w") as errors:
        process = subprocess.Popen(
            [str(FOLLOWUP_BIN), "serve", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=env,
        )
    try:
        assert process.stdout is not None
        first = process.stdout.readline().strip()
        second = process.stdout.readline().strip()
        found = MASKED_LINE.fullmatch(first)
        assert found, f"{first!r}; log: {log_path.read_text()}"
        # The pipe shows no token: the whole URL comes from `feed url`, as the note says.
        url, webcal = followup_ok(home, "feed", "url", "--port", found.group(1)).split()
        yield Served(process, url, webcal, log_path, [first, second])
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def followup_ok(home: Path, *args: object) -> str:
    result = run_followup(*args, env={**os.environ, "FOLLOWUP_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    return result.stdout
