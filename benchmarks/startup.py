"""Start-up time of everyday commands against `python -c "import click"`.

    python benchmarks/startup.py [--repeat 20] [--interviews 200]

Medians of whole processes, and each command's ratio to the baseline. The runs are
interleaved (baseline, then each command, round after round), so a machine that slows
down for a while slows every column alike. The package's bytecode is compiled first,
as a wheel install does, so that PYTHONDONTWRITEBYTECODE does not turn every run into a
compile.
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import time

from common import FOLLOWUP, ROOT, make_home, table

COMMANDS = (["--help"], ["list"], ["agenda"])


def _seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--interviews", type=int, default=200)
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "src", quiet=1)
    make_home(args.interviews)

    baseline_command = [sys.executable, "-c", "import click"]
    commands = [[FOLLOWUP, *command] for command in COMMANDS]
    baseline: list[float] = []
    spent: list[list[float]] = [[] for _ in commands]
    for _ in range(args.repeat):
        baseline.append(_seconds(baseline_command))
        for times, command in zip(spent, commands, strict=True):
            times.append(_seconds(command))

    base = statistics.median(baseline)
    rows = [
        ["command", "median ms", "ratio to baseline"],
        ["python -c 'import click'", f"{base * 1000:.0f}", "1.00"],
    ]
    for command, times in zip(COMMANDS, spent, strict=True):
        median = statistics.median(times)
        rows.append(
            [f"followup {' '.join(command)}", f"{median * 1000:.0f}", f"{median / base:.2f}"]
        )
    print(f"{args.interviews} interviews in the store, median of {args.repeat} interleaved runs")
    print(table(rows))


if __name__ == "__main__":
    main()
