"""How many requests a sync makes, against a real Radicale and the fake Google API.

    python benchmarks/sync_requests.py [--interviews 170]

About 170 interviews make about 1,000 events. Prints the requests of a first sync,
of an unchanged sync (the goal: 1, and no write), of a sync after one status change,
and of one after a setting that moves every future step (`config set follow_up_time`;
on Google the goal is at most 8 requests for 300 steps). CalDAV requests are counted
by a pass-through proxy, Google's on the fake API, where a batch counts once.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

from common import make_home, run, table
from support.fakes.google_calendar import FakeGoogleCalendar
from support.fault_proxy import FaultProxy
from support.radicale_server import PASSWORD, USER, Radicale

# Each target sees the same runs; the last two follow a change here.
RUNS = (
    ("first sync", None),
    ("settling sync", None),
    ("unchanged sync", None),
    ("after one status change", "status"),
    ("after a setting moves every future step", "setting"),
)


def _change(before: str | None, interview: str) -> None:
    if before == "status":
        run("status", interview, "rejected")
    elif before == "setting":
        run("config", "set", "follow_up_time", "09:30")


def _undo_changes(interview: str) -> None:
    run("status", interview, "waiting")
    run("config", "set", "follow_up_time", "10:00")


def _sync(*args: str) -> tuple[dict[str, object], float]:
    start = time.perf_counter()
    report = json.loads(run("sync", *args, "--json").stdout)
    return report, time.perf_counter() - start


def caldav_rows(events: int) -> list[list[str]]:
    folder = Path(tempfile.mkdtemp(prefix="followup-radicale-"))
    server = Radicale(folder).start()
    proxy = FaultProxy(server.port).start()
    os.environ["FOLLOWUP_CALDAV_PASSWORD"] = PASSWORD
    rows = []
    try:
        args = ("caldav", "--url", proxy.url, "--username", USER)
        for label, before in RUNS:
            _change(before, "1")
            mark = len(proxy.methods)
            report, seconds = _sync(*args)
            methods = Counter(proxy.methods[mark:])
            writes = sum(methods[m] for m in ("PUT", "DELETE"))
            rows.append(
                [
                    "CalDAV (Radicale)",
                    label,
                    str(sum(methods.values())),
                    str(writes),
                    f"{seconds:.2f}",
                    " ".join(f"{k}:{v}" for k, v in sorted(methods.items())),
                ]
            )
        assert all(row[2] in ("1", "2") and row[3] == "0" for row in rows[1:3]), rows
    finally:
        proxy.stop()
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    _undo_changes("1")
    return rows


def google_rows() -> list[list[str]]:
    rows = []
    with FakeGoogleCalendar() as fake:
        os.environ["FOLLOWUP_GOOGLE_API_ENDPOINT"] = fake.base_url
        for label, before in RUNS:
            _change(before, "2")
            stats = fake.stats()
            report, seconds = _sync("google")
            after = fake.stats()
            requests = after["http_requests"] - stats["http_requests"]
            batches = after["batches"] - stats["batches"]
            calls = after["requests"] - stats["requests"]
            rows.append(
                [
                    "Google (fake API)",
                    label,
                    str(requests),
                    str(after["writes"] - stats["writes"]),
                    f"{seconds:.2f}",
                    f"batches:{batches} calls:{calls}",
                ]
            )
        assert rows[1][2] == rows[2][2] == "1", rows
    _undo_changes("2")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--interviews", type=int, default=170)
    args = parser.parse_args()
    home = make_home(args.interviews)
    events = len(json.loads(run("plan", "--json").stdout))
    rows = [["target", "run", "requests", "writes", "seconds", "detail"]]
    rows += caldav_rows(events)
    rows += google_rows()
    print(f"{args.interviews} interviews, {events} events")
    print(table(rows))
    print(
        "(The marker is read before writing, so an edit made meanwhile is never missed."
        " After writing, the sync asks what changed since (CalDAV sync-collection, Google"
        " an incremental listing): only our own writes, so the next run is one request."
        " On Google a batch is one request; calls counts its parts, the cost of one"
        " request per write.)"
    )
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
