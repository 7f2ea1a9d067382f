"""Shared by the benchmarks: a throw-away data folder filled with generated interviews."""

from __future__ import annotations

import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLLOWUP = str(Path(sys.executable).with_name("followup"))
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

ZONES = ["America/New_York", "Europe/Berlin", "Asia/Tokyo", "America/Los_Angeles"]


def make_home(interviews: int, seed: int = 7) -> Path:
    """A new FOLLOWUP_HOME (also set in os.environ) holding ``interviews`` interviews."""
    home = Path(tempfile.mkdtemp(prefix="followup-bench-"))
    os.environ["FOLLOWUP_HOME"] = str(home)
    rng = random.Random(seed)
    sheet = home / "interviews.csv"
    with sheet.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["company", "role", "at", "tz", "interviewers", "decision_by"])
        for n in range(interviews):
            day = f"2027-{1 + n % 12:02d}-{1 + n % 27:02d} {9 + n % 8:02d}:00"
            people = "; ".join(
                f"Person {n}-{k} <p{n}.{k}@example.com>" for k in range(rng.randint(1, 3))
            )
            writer.writerow(
                [
                    f"Company {n}",
                    "Engineer",
                    day,
                    rng.choice(ZONES),
                    people,
                    "" if n % 2 else "in 1 week",
                ]
            )
    run("config", "set", "country", "US")
    run("import", str(sheet))
    return home


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([FOLLOWUP, *args], check=True, capture_output=True)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def median_time(action: Callable[[], object], repeat: int) -> float:
    return statistics.median(timed(action) for _ in range(repeat))


def table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)
