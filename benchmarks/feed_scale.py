"""The feed at scale: the answer after one change, and to an unchanged feed.

    python benchmarks/feed_scale.py [--interviews 10000]

Builds a store, then times the feed's WSGI application in-process, set up as `followup
serve` sets it up (no network):
the first render, an unchanged request, and the first request after one status change
made by another `followup` process. The baseline is a naive full rebuild of the same
calendar with icalendar, in the same run.
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import sys
import tracemalloc
from collections.abc import Callable, Iterable

from common import make_home, run, table, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--interviews", type=int, default=10_000)
    args = parser.parse_args()
    built = timed(lambda: make_home(args.interviews))
    run("export", "-o", "/dev/null")  # as after everyday use: the VEVENT texts are stored

    from interview_followup import ical, service
    from interview_followup.feed import app as feed
    from interview_followup.feed import token as feed_token

    token = feed_token.load_or_create()
    app = feed.create_app(log=lambda line: None, own_process=True)  # as `followup serve`
    path = f"/feed/{token}.ics"

    def fetch() -> int:
        return _fetch(app, path)

    size = 0

    def first() -> None:
        nonlocal size
        size = fetch()

    first_s = timed(first)
    unchanged = statistics.median(timed(fetch) for _ in range(5))
    changed = []
    for n in range(3):
        run("status", str(n + 1), "heard")
        changed.append(timed(fetch))
    ws = service.open_workspace()
    events = service.plan(ws, include_cancelled=True)
    ws.close()

    def naive() -> None:
        ical.render_calendar(events, ical.CalendarInfo())

    naive_s = timed(naive)
    print(
        f"{args.interviews} interviews, {len(events)} events, feed {size / 1e6:.1f} MB; store built in {built:.0f} s"
    )
    print(table([
        ["request", "seconds"],
        ["first request (texts stored by an export)", f"{first_s:.3f}"],
        ["unchanged feed (median of 5)", f"{unchanged:.4f}"],
        ["first request after one status change (median of 3)", f"{statistics.median(changed):.3f}"],
        ["baseline: naive full rebuild with icalendar", f"{naive_s:.3f}"],
    ]))  # fmt: skip
    app.close()

    # Memory in a separate run, traced from the start (tracing slows everything down).
    gc.collect()
    tracemalloc.start()
    app = feed.create_app(log=lambda line: None)
    _fetch(app, path)
    run("status", "4", "heard")
    _fetch(app, path)
    gc.collect()
    live, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    app.close()
    print(
        f"Python memory of the feed after a request and a change: {live / 1e6:.0f} MB held"
        f" (the feed itself is {size / 1e6:.0f} MB), {peak / 1e6:.0f} MB at the peak"
    )


def _fetch(app: Callable[..., Iterable[bytes]], path: str) -> int:
    status: list[str] = []
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "wsgi.input": io.BytesIO(),
        "REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": "bench",
    }  # fmt: skip
    body = b"".join(app(environ, lambda s, h, exc=None: status.append(s)))
    assert status[0].startswith("200"), status
    return len(body)


if __name__ == "__main__":
    sys.exit(main())
