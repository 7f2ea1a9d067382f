"""Export cost at scale: the cached concatenation against a full icalendar rebuild.

    python benchmarks/export.py [--interviews 10000]

Prints medians and the ratio; both measured in the same run on the same data.
"""

from __future__ import annotations

import argparse
import shutil

from common import make_home, median_time, run, table, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--interviews", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    build = {}
    build["store"] = timed(lambda: make_home(args.interviews))
    from interview_followup import ical, service

    ws = service.open_workspace()
    events = service.plan(ws, include_cancelled=True)
    ws.close()

    def naive() -> bytes:
        return ical.render_calendar(events, ical.CalendarInfo())

    naive_s = median_time(naive, max(1, args.repeat // 2))
    first_s = timed(lambda: run("export", "-o", "/dev/null"))
    cached_s = median_time(lambda: run("export", "-o", "/dev/null"), args.repeat)
    changed_s = median_time(
        lambda: (
            run("status", "1", "heard"),
            run("status", "1", "waiting"),
            run("export", "-o", "/dev/null"),
        ),
        3,
    )
    status_s = (
        median_time(lambda: run("status", "2", "heard") and run("status", "2", "waiting"), 3) / 1
    )

    rows = [
        ["measure", "seconds", "note"],
        ["naive full rebuild (icalendar, in-process)", f"{naive_s:.2f}", f"{len(events)} events"],
        [
            "first `followup export` (renders all, keeps them)",
            f"{first_s:.2f}",
            "once after a migration or import",
        ],
        [
            "`followup export`, nothing changed",
            f"{cached_s:.2f}",
            f"median of {args.repeat}, whole process",
        ],
        ["two status changes + export", f"{changed_s:.2f}", "only the changed events re-rendered"],
        ["two status changes alone", f"{status_s:.2f}", "baseline for the line above"],
        ["ratio naive / cached export", f"{naive_s / cached_s:.1f}x", ""],
    ]
    print(
        f"{args.interviews} interviews, {len(events)} events; store built in {build['store']:.1f} s"
    )
    print(table(rows))
    shutil.rmtree(service.paths.data_dir(), ignore_errors=True)


if __name__ == "__main__":
    main()
