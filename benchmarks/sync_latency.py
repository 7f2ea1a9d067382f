"""CalDAV sync over a slow network: followup against vdirsyncer, in the same run.

    python benchmarks/sync_latency.py [--interviews 60] [--rtt-ms 100]

Starts Radicale and a proxy on loopback that adds a fixed round-trip time to every
request, then pushes the same events twice: once with `followup sync caldav`, once with
vdirsyncer 0.21 from a filesystem folder holding the same events (filesystem -> caldav,
`conflict_resolution = "a wins"`). Prints wall time and requests for the first sync, a
sync after one status change, and an unchanged sync, with the ratio to vdirsyncer.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from common import make_home, run, table
from support.radicale_server import PASSWORD, USER, Radicale

VDIRSYNCER = str(Path(sys.executable).with_name("vdirsyncer"))


class LatencyProxy:
    """Forwards each request to ``upstream_port`` after half the round trip, and answers
    after the other half. One upstream connection per client connection (keep-alive).

    Nothing else may cost time: Nagle's algorithm is off on both sides, else a body
    written after its headers waits for the peer's delayed ACK (about 40 ms on Linux),
    which every answer with a body (PROPFIND, REPORT) would pay."""

    def __init__(self, upstream_port: int, rtt: float) -> None:
        self.requests = 0
        lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with lock:
                    proxy.requests += 1
                time.sleep(rtt / 2)
                upstream = getattr(self, "upstream", None)
                if upstream is None:
                    upstream = http.client.HTTPConnection("127.0.0.1", upstream_port)
                    upstream.connect()
                    upstream.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    self.upstream = upstream
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                upstream.request(self.command, self.path, body, headers)
                response = upstream.getresponse()
                payload = response.read()
                time.sleep(rtt / 2)
                self.send_response(response.status, response.reason)
                for name, value in response.getheaders():
                    if name.lower() not in ("transfer-encoding", "content-length", "connection"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_PUT = do_DELETE = do_PROPFIND = do_REPORT = _handle
            do_MKCALENDAR = do_OPTIONS = do_POST = do_PROPPATCH = do_HEAD = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"


def mirror_events(folder: Path) -> int:
    """The folder vdirsyncer syncs from: one .ics file per event we want in a calendar."""
    from interview_followup import ical, workspace
    from interview_followup.model import EventStatus
    from interview_followup.store import events as event_rows

    ws = workspace.open_workspace()
    try:
        wanted = {
            f"{e.uid_stem}.ics": ical.render_single(e)
            for e in event_rows.load(ws.conn)
            if e.status is not EventStatus.CANCELLED
        }
    finally:
        ws.close()
    for path in folder.glob("*.ics"):
        if path.name not in wanted:
            path.unlink()
    for name, data in wanted.items():
        path = folder / name
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    return len(wanted)


def vdirsyncer_config(tmp: Path, local: Path, url: str) -> Path:
    config = tmp / "vdirsyncer.conf"
    config.write_text(
        f"""[general]
status_path = "{tmp / "status"}/"

[pair bench]
a = "bench_local"
b = "bench_remote"
collections = null
conflict_resolution = "a wins"

[storage bench_local]
type = "filesystem"
path = "{local}/"
fileext = ".ics"

[storage bench_remote]
type = "caldav"
url = "{url}"
username = "{USER}"
password = "{PASSWORD}"
""",
        encoding="utf-8",
    )
    return config


def make_calendar(url: str, name: str) -> str:
    """A calendar collection for vdirsyncer to write into; returns its path."""
    from caldav.davclient import DAVClient

    client = DAVClient(url, username=USER, password=PASSWORD, auth_type="basic")
    calendar = client.get_principal().make_calendar(name=name, cal_id=name)
    return urlsplit(str(calendar.url)).path


def timed_requests(proxy: LatencyProxy, action: Callable[[], None]) -> tuple[float, int]:
    before = proxy.requests
    start = time.perf_counter()
    action()
    return time.perf_counter() - start, proxy.requests - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=60)
    parser.add_argument("--rtt-ms", type=float, default=100.0)
    parser.add_argument("--connections", type=int, default=4, help="followup's write pool")
    args = parser.parse_args()

    home = make_home(args.interviews)
    folder = Path(tempfile.mkdtemp(prefix="followup-radicale-"))
    server = Radicale(folder).start()
    proxy = LatencyProxy(server.port, args.rtt_ms / 1000)
    os.environ["FOLLOWUP_CALDAV_PASSWORD"] = PASSWORD
    local = home / "vdir"
    local.mkdir()
    try:
        calendar = proxy.url.rstrip("/") + make_calendar(server.url, "vdirsyncer")
        config = vdirsyncer_config(home, local, calendar)
        events = mirror_events(local)
        vdirsyncer = [VDIRSYNCER, "-c", str(config)]
        subprocess.run([*vdirsyncer, "discover"], input=b"y\n", check=True, capture_output=True)

        def followup_sync() -> None:
            run(
                "sync", "caldav", "--url", proxy.url, "--username", USER,
                "--connections", str(args.connections), "--json",
            )  # fmt: skip

        def vdirsyncer_sync() -> None:
            mirror_events(local)
            subprocess.run([*vdirsyncer, "sync"], check=True, capture_output=True)

        rows = [["run", "followup", "requests", "vdirsyncer", "requests", "ratio"]]
        for label, before in (
            ("first sync", None),
            ("after one status change", ("status", "1", "rejected")),
            ("unchanged sync", None),
        ):
            if before:
                run(*before)
            ours, our_requests = timed_requests(proxy, followup_sync)
            theirs, their_requests = timed_requests(proxy, vdirsyncer_sync)
            rows.append(
                [
                    label,
                    f"{ours:.2f} s",
                    str(our_requests),
                    f"{theirs:.2f} s",
                    str(their_requests),
                    f"{ours / theirs:.2f}x",
                ]
            )
        print(f"{events} events, {args.rtt_ms:.0f} ms added round trip, Radicale on loopback")
        print(table(rows))
        print(json.dumps({"events": events, "rows": rows[1:]}))
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
