"""The embedded server behind `followup serve`: the stdlib's wsgiref, a thread per request.

Good for one person's calendars on this machine or a home network. For a public host,
run the same app under gunicorn or waitress behind a TLS proxy (docs/feed.md).
"""

from __future__ import annotations

import errno
import re
import signal
import socket
import socketserver
import sys
from collections.abc import Callable
from types import FrameType
from typing import IO, Any, cast
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer

from interview_followup.errors import FollowupError, InputError
from interview_followup.feed.app import FeedApp

_FEED_WORD = re.compile(r"/feed/[^\s'\"]*")


def _redact_text(text: str) -> str:
    flat = " ".join(text.split())  # no newlines from the network into the log
    return _FEED_WORD.sub("/feed/***", flat)[:300]


class _ServerHandler(ServerHandler):
    def finish_content(self) -> None:
        # wsgiref adds "Content-Length: 0" to every empty response; on a 304 that would
        # contradict the length of the 200 (RFC 9110 section 8.6): send none.
        # (typeshed declares neither attribute; wsgiref sets both before this runs)
        sent, status = getattr(self, "headers_sent", False), str(getattr(self, "status", ""))
        if not sent and status.startswith("304"):
            self.send_headers()
            return
        super().finish_content()


class _Handler(WSGIRequestHandler):
    timeout = 30  # a client that stops sending must not hold a thread for ever
    # Buffered: wsgiref writes the status line, Date, Server and the headers one call
    # each; unbuffered, that is one send() per line.
    wbufsize = -1

    def handle(self) -> None:
        """WSGIRequestHandler.handle, with the handler class above."""
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536:
            self.requestline = self.request_version = self.command = ""
            self.send_error(414)
            return
        if not self.parse_request():
            return
        handler = _ServerHandler(
            self.rfile,
            cast(IO[bytes], self.wfile),
            self.get_stderr(),
            self.get_environ(),
            multithread=True,
        )
        handler.request_handler = self  # type: ignore[attr-defined]  # wsgiref logs through it
        app = self.server.get_app()  # type: ignore[attr-defined]
        handler.run(app)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """The app logs every request itself, with the token hidden."""

    def log_message(self, format: str, *args: Any) -> None:
        # Only protocol errors get here (a malformed request line, 414): keep one line,
        # and hide anything that looks like a feed path.
        server = self.server
        assert isinstance(server, FeedServer)
        server.log(f"{self.client_address[0]} {_redact_text(format % args)}")


class FeedServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops connections when 50 clients arrive at once.
    request_queue_size = 128

    def __init__(self, address: tuple[Any, ...], family: int, log: Callable[[str], None]) -> None:
        self.address_family = family
        self.log = log
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), a DNS lookup that can hang.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)
        self.setup_environ()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # socketserver prints a traceback here (a client timing out, a reset): one line.
        error = sys.exc_info()[1]
        self.log(
            _redact_text(f"{client_address[0]} connection error: {type(error).__name__}: {error}")
        )

    @property
    def port(self) -> int:
        return int(self.server_address[1])


def _resolve(host: str, port: int) -> tuple[int, tuple[Any, ...]]:
    try:
        found = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (socket.gaierror, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise InputError("host", f"cannot resolve {host!r} ({reason})") from None
    family, _, _, _, address = found[0]
    return int(family), tuple(address)


def bind(host: str, port: int, app: FeedApp, log: Callable[[str], None]) -> FeedServer:
    """Listen on ``host:port`` (0: any free port); errors become one clear message."""
    family, address = _resolve(host, port)
    try:
        server = FeedServer(address, family, log)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise FollowupError(
                f"port {port} on {host} is already in use: stop the other server or pick another --port"
            ) from None
        if error.errno == errno.EADDRNOTAVAIL:
            raise InputError("host", f"{host} is not an address of this machine") from None
        if error.errno == errno.EACCES:
            raise FollowupError(
                f"not allowed to listen on port {port}: ports below 1024 need privileges; pick --port 8765"
            ) from None
        raise FollowupError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    server.set_app(app)
    return server


def _stop(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run(server: FeedServer) -> None:
    """Serve until Ctrl-C or SIGTERM, then close the socket."""
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
