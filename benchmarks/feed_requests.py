"""Requests per second of `followup serve`, next to Python's own static file server.

Creates a temporary FOLLOWUP_HOME with 500 interviews (through `followup import`),
starts `followup serve`, and has 20 client threads fetch the feed for a few seconds:
full 200 responses, then 304 responses to If-None-Match. The baseline is
`http.server` serving the same bytes from a file (its 304 answers If-Modified-Since,
since it has no ETags). Both servers run in their own process, both log every request
(to /dev/null), both accept a backlog of 128 connections; the measurements alternate
between them and the median of each kind is reported.

    .venv/bin/python benchmarks/feed_requests.py [--seconds 2] [--rounds 3] [--threads 20]
"""

from __future__ import annotations

import argparse
import csv
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

FOLLOWUP = Path(sys.executable).parent / "followup"
COMPANIES = ["Northwind", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne"]
ROLES = ["Data Analyst", "Backend Engineer", "Product Manager", "Designer", "SRE"]
ZONES = ["America/New_York", "Europe/Berlin", "Europe/London", "Asia/Tokyo"]
COLUMNS = ["company", "role", "at", "tz", "duration", "interviewers", "decision_by", "notes"]


# --- the data ---


def write_interviews(path: Path, count: int) -> None:
    """``count`` interviews over the next months; every fifth one already rejected."""
    rng = random.Random(7)
    start = datetime.now().replace(hour=9, minute=0, second=0, microsecond=0)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*COLUMNS, "status"])
        for number in range(count):
            at = start + timedelta(days=rng.randrange(-30, 120), hours=rng.randrange(0, 8))
            people = "; ".join(
                f"Person {number}-{k} <p{number}.{k}@example.org>" for k in range(rng.randint(1, 3))
            )
            decision = (at + timedelta(days=7)).date().isoformat() if number % 3 == 0 else ""
            writer.writerow(
                [
                    f"{rng.choice(COMPANIES)} {number}",
                    rng.choice(ROLES),
                    at.strftime("%Y-%m-%d %H:%M"),
                    rng.choice(ZONES),
                    rng.choice([30, 45, 60]),
                    people,
                    decision,
                    "Asked about the team, the roadmap; said they would call.",
                    "rejected" if number % 5 == 0 else "",
                ]
            )


def followup(home: Path, *args: str) -> str:
    env = {**os.environ, "FOLLOWUP_HOME": str(home)}
    result = subprocess.run(
        [str(FOLLOWUP), *args], capture_output=True, text=True, env=env, check=False
    )
    if result.returncode != 0:
        sys.exit(f"followup {' '.join(args)} failed: {result.stderr}")
    return result.stdout


# --- the servers ---


@contextmanager
def started(command: list[str], env: dict[str, str] | None = None) -> Iterator[str]:
    """Run a server that prints its URL on the first line of stdout; yield that URL."""
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        if not url.startswith("http://"):
            sys.exit(f"{command[0]} did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


class _StaticServer(ThreadingHTTPServer):
    request_queue_size = 128  # the same backlog as `followup serve`


def static_server(directory: str) -> None:
    """The baseline: http.server's SimpleHTTPRequestHandler on ``directory``."""

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=directory, **kwargs)  # type: ignore[arg-type]

    server = _StaticServer(("127.0.0.1", 0), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}/feed.ics", flush=True)
    server.serve_forever()  # until the benchmark terminates it


# --- the clients ---


@dataclass
class Result:
    requests: int
    seconds: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def fetch(url: str, headers: dict[str, str], method: str = "GET") -> http.client.HTTPResponse:
    """One request with http.client, for the checks around the measurements."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    conn.request(method, parts.path, headers=headers)
    response = conn.getresponse()
    response.body = response.read()  # type: ignore[attr-defined]
    conn.close()
    return response


def raw_request(url: str, headers: dict[str, str]) -> bytes:
    parts = urlsplit(url)
    lines = [f"GET {parts.path} HTTP/1.0", f"Host: {parts.netloc}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def hammer(url: str, headers: dict[str, str], expect: int, seconds: float, threads: int) -> Result:
    """``threads`` clients, each fetching in a loop until ``seconds`` pass.

    Raw sockets rather than http.client, so that on a small machine the clients leave
    the CPU to the server under test. Both servers close the connection after each
    answer (HTTP/1.0), which ends each read.
    """
    parts = urlsplit(url)
    address = (parts.hostname or "", parts.port or 80)
    payload = raw_request(url, headers)
    prefix = f"HTTP/1.0 {expect} ".encode()
    counts = [0] * threads
    errors = [0] * threads
    start = time.perf_counter()
    deadline = start + seconds

    def client(slot: int) -> None:
        buffer = memoryview(bytearray(1 << 20))
        while time.perf_counter() < deadline:
            try:
                with socket.create_connection(address, timeout=30) as conn:
                    conn.sendall(payload)
                    head = b""
                    while size := conn.recv_into(buffer):
                        if len(head) < 16:
                            head += bytes(buffer[: min(size, 16)])
            except OSError:
                errors[slot] += 1
                continue
            if head.startswith(prefix):
                counts[slot] += 1
            else:
                errors[slot] += 1

    pool = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return Result(sum(counts), time.perf_counter() - start, sum(errors))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interviews", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=2.0, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="measurements of each kind")
    parser.add_argument("--threads", type=int, default=20)
    parser.add_argument("--static-server", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.static_server:
        static_server(args.static_server)
        return

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        table = Path(tmp) / "interviews.csv"
        write_interviews(table, args.interviews)
        began = time.perf_counter()
        followup(home, "config", "set", "timezone", "America/New_York")
        followup(home, "import", str(table))
        print(
            f"setup: {args.interviews} interviews imported in {time.perf_counter() - began:.1f} s"
        )

        env = {**os.environ, "FOLLOWUP_HOME": str(home)}
        static = Path(tmp) / "static"
        static.mkdir()
        with started([str(FOLLOWUP), "serve", "--port", "0"], env) as masked:
            # A pipe gets the URL with its token masked: `feed url` prints the whole one.
            port = masked.split("/feed/", 1)[0].rsplit(":", 1)[1]
            ours = followup(home, "feed", "url", "--port", port).split()[0]
            began = time.perf_counter()
            first = fetch(ours, {})
            cold = time.perf_counter() - began
            body: bytes = first.body  # type: ignore[attr-defined]
            etag = first.getheader("ETag") or ""
            began = time.perf_counter()
            fetch(ours, {})
            warm = time.perf_counter() - began
            print(f"feed: {body.count(b'BEGIN:VEVENT')} events, {len(body) / 1e6:.2f} MB")
            print(f"first request (renders): {cold * 1000:.0f} ms; next: {warm * 1000:.1f} ms")

            (static / "feed.ics").write_bytes(body)
            os.utime(static / "feed.ics", (time.time() - 60, time.time() - 60))
            command = [sys.executable, __file__, "--static-server", str(static)]
            with started(command) as theirs:
                stamp = fetch(theirs, {}, "HEAD").getheader("Last-Modified") or ""
                kinds = {
                    ("ours", 200): (ours, {}),
                    ("ours", 304): (ours, {"If-None-Match": etag}),
                    ("base", 200): (theirs, {}),
                    ("base", 304): (theirs, {"If-Modified-Since": stamp}),
                }
                results: dict[tuple[str, int], list[Result]] = {kind: [] for kind in kinds}
                for _ in range(args.rounds):  # alternate, so a noisy moment hits both
                    for (who, status), (url, headers) in kinds.items():
                        result = hammer(url, headers, status, args.seconds, args.threads)
                        results[(who, status)].append(result)

            followup(home, "status", "2", "rejected")  # one interview's events change
            began = time.perf_counter()
            changed = fetch(ours, {})
            assert changed.status == 200 and changed.getheader("ETag") != etag
            print(f"first request after a change: {(time.perf_counter() - began) * 1000:.0f} ms")

    print(
        f"\n{args.threads} client threads; requests per second, median of {args.rounds}"
        f" runs of {args.seconds:g} s:"
    )
    print(f"{'':<16}{'followup serve':>16}{'http.server':>16}{'ratio':>8}")
    for status, label in ((200, "200 full body"), (304, "304 not changed")):
        mine = statistics.median([r.rate for r in results[("ours", status)]])
        base = statistics.median([r.rate for r in results[("base", status)]])
        print(f"{label:<16}{mine:>16.0f}{base:>16.0f}{mine / base:>8.2f}")
    failed = sum(r.errors for runs in results.values() for r in runs)
    if failed:
        print(f"unexpected answers or connection errors: {failed}")


if __name__ == "__main__":
    main()
