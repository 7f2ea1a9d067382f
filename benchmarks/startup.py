"""Start-up time of everyday commands against `python -c "import click"`.

    python benchmarks/startup.py [--repeat 10] [--interviews 200]

Medians of whole processes, and each command's ratio to the baseline.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from common import FOLLOWUP, make_home, median_time, table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--interviews", type=int, default=200)
    args = parser.parse_args()
    make_home(args.interviews)

    def proc(*command: str) -> None:
        subprocess.run(command, check=True, capture_output=True)

    baseline = median_time(lambda: proc(sys.executable, "-c", "import click"), args.repeat)
    rows = [
        ["command", "median ms", "ratio to baseline"],
        ["python -c 'import click'", f"{baseline * 1000:.0f}", "1.00"],
    ]
    for command in (["--help"], ["list"], ["agenda"]):
        spent = median_time(lambda command=command: proc(FOLLOWUP, *command), args.repeat)
        rows.append(
            [f"followup {' '.join(command)}", f"{spent * 1000:.0f}", f"{spent / baseline:.2f}"]
        )
    print(f"{args.interviews} interviews in the store, median of {args.repeat} runs")
    print(table(rows))


if __name__ == "__main__":
    main()
