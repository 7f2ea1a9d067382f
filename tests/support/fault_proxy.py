"""An HTTP proxy on loopback that can fail on cue, to test syncs that die halfway.

Modes, starting after ``after`` forwarded requests:
- "drop": forward the request (the server applies it), then close the connection
  without an answer, as if the network or our process died right after the write;
  every later request is refused too.
- ``drop_once(method)``: forward the next request of that method, then close the
  connection without its answer; everything before and after goes through.
- "reset": close every later connection without forwarding anything.
- "500": answer every later request with 500 without forwarding it.
- "kill": forward the request, then SIGKILL the process ``victim`` before it can
  read the answer: the client dies with the server's write applied.
"""

from __future__ import annotations

import http.client
import os
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FaultProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.lock = threading.Lock()
        self.forwarded = 0
        self.methods: list[str] = []
        self.mode: str | None = None
        self.after = 0
        self.victim: int | None = None
        self.dropping: str | None = None  # drop_once: the method whose answer is lost
        self.once: tuple[str, int] | None = None  # (method, status): answer one request so
        self.once_body = b""  # ... with this body (a server's error XML, say)
        self.once_headers: dict[str, str] = {}  # ... and these headers (Retry-After, say)
        self.refuse: dict[str, int] = {}  # path fragment -> status: always refused
        self.delay = 0.0  # seconds added to every forwarded request
        self.in_flight = 0
        self.peak = 0  # the most requests in flight at once
        self.writes: list[tuple[float, str]] = []  # (monotonic time, method) of each write
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with proxy.lock:
                    failing = proxy.mode is not None and proxy.forwarded >= proxy.after
                    forward = not failing or (
                        proxy.mode in ("drop", "kill") and proxy.forwarded == proxy.after
                    )
                    if forward:
                        proxy.forwarded += 1
                        proxy.methods.append(self.command)
                with proxy.lock:
                    once, proxy.once = (
                        (proxy.once, None)
                        if proxy.once and proxy.once[0] == self.command
                        else (None, proxy.once)
                    )
                refused = next((c for f, c in proxy.refuse.items() if f in self.path), None)
                if refused is not None and self.command in ("PUT", "DELETE"):
                    once = (self.command, refused)
                if once is not None:
                    self.send_response(once[1])
                    for name, value in proxy.once_headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(proxy.once_body)))
                    if proxy.once_body:
                        self.send_header("Content-Type", "application/xml; charset=utf-8")
                    self.end_headers()
                    self.wfile.write(proxy.once_body)
                    return
                if failing and proxy.mode == "500":
                    self.send_response(500)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if forward:
                    status, headers, payload = proxy._forward(
                        self.command, self.path, dict(self.headers), body
                    )
                    with proxy.lock:
                        if proxy.dropping == self.command:
                            proxy.dropping, failing = None, True
                    if failing and proxy.mode == "kill" and proxy.victim:
                        os.kill(proxy.victim, signal.SIGKILL)
                    if not failing:
                        self.send_response(status)
                        for name, value in headers:
                            if name.lower() not in (
                                "transfer-encoding",
                                "connection",
                                "content-length",
                            ):
                                self.send_header(name, value)
                        self.send_header("Content-Length", str(len(payload)))
                        self.end_headers()
                        self.wfile.write(payload)
                        return
                self.close_connection = True
                self.connection.close()

            do_GET = do_PUT = do_PATCH = do_DELETE = do_PROPFIND = do_REPORT = do_MKCALENDAR = (
                do_POST
            ) = do_HEAD = do_OPTIONS = _handle  # noqa: E501

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        with self.lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            if method in ("PUT", "DELETE"):
                self.writes.append((time.monotonic(), method))
        try:
            if self.delay:
                time.sleep(self.delay)
            return self._send(method, path, headers, body)
        finally:
            with self.lock:
                self.in_flight -= 1

    def _send(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=30)
        headers = {
            k: v for k, v in headers.items() if k.lower() not in ("connection", "keep-alive")
        }
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        connection.close()
        return response.status, response.getheaders(), payload

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def start(self) -> FaultProxy:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail(self, mode: str, after: int) -> None:
        with self.lock:
            self.mode, self.after, self.forwarded = mode, after, 0

    def drop_once(self, method: str | None) -> None:
        with self.lock:
            self.dropping = method

    def heal(self) -> None:
        with self.lock:
            self.mode = None
