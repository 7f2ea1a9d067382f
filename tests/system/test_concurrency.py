"""Several processes at once: status changes while a sync and feed requests run."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading

from conftest import FOLLOWUP_BIN, Cli
from icalendar import Calendar
from support.fakes.google_calendar import FakeGoogleCalendar
from support.feed_server import serving


def test_status_while_syncing_and_serving_corrupts_nothing(populated: Cli) -> None:
    home = populated.home
    with FakeGoogleCalendar() as fake, serving(home) as served:
        env = {
            **os.environ,
            "FOLLOWUP_HOME": str(home),
            "FOLLOWUP_GOOGLE_API_ENDPOINT": fake.base_url,
            "FOLLOWUP_GOOGLE_RETRY_SECONDS": "0.01",
        }

        def followup(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [str(FOLLOWUP_BIN), *args], env=env, capture_output=True, text=True, timeout=120
            )

        problems: list[str] = []
        stop = threading.Event()

        def syncing() -> None:
            for _ in range(4):
                done = followup("sync", "google")
                if done.returncode not in (0, 1) or "Traceback" in done.stderr:
                    problems.append(f"sync: {done.stderr}")

        def fetching() -> None:
            while not stop.is_set():
                reply = served.get()
                if reply.status != 200:
                    problems.append(f"feed answered {reply.status}")
                    return
                Calendar.from_ical(reply.body)  # a complete calendar, or this raises

        threads = [threading.Thread(target=syncing), threading.Thread(target=fetching)]
        for thread in threads:
            thread.start()
        for status in ("heard", "waiting", "rejected", "waiting", "withdrawn", "waiting"):
            done = followup("status", "1", status)
            assert done.returncode == 0, done.stderr
        threads[0].join(timeout=300)
        stop.set()
        threads[1].join(timeout=60)
        assert not problems, problems

        with sqlite3.connect(home / "followup.sqlite3") as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        final = followup("sync", "google", "--json")
        assert final.returncode == 0, final.stderr
        calendar_id = followup("config", "get", "google.calendar_id").stdout.strip()
        on_server = sorted(e["summary"] for e in fake.events(calendar_id, include_deleted=False))
        import json

        planned = sorted(e["summary"] for e in json.loads(followup("plan", "--json").stdout))
        assert on_server == planned
        feed_titles = sorted(
            str(e["SUMMARY"])
            for e in Calendar.from_ical(served.get().body).walk("VEVENT")
            if str(e["STATUS"]) != "CANCELLED"
        )
        assert feed_titles == planned
