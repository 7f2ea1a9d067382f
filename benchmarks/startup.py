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
import os
import shutil
import statistics
import subprocess
import sys
import time

from common import FOLLOWUP, ROOT, make_home, table

COMMANDS = (["--help"], ["list"], ["agenda"])


def _seconds(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def _default_folders_env(home: str) -> dict[str, str]:
    """The same data under $HOME/.local/share and $HOME/.config, as most users have it."""
    user = os.path.join(home, "user")
    for folder, name in ((".local/share", "followup.sqlite3"), (".config", "config.toml")):
        target = os.path.join(user, folder, "interview-followup")
        os.makedirs(target)
        shutil.copy(os.path.join(home, name), target)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FOLLOWUP_", "XDG_"))}
    env["HOME"] = user
    return env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--interviews", type=int, default=200)
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "src", quiet=1)
    home = make_home(args.interviews)
    default_env = _default_folders_env(str(home))

    baseline_command = [sys.executable, "-c", "import click"]
    runs: list[tuple[str, list[str], dict[str, str] | None]] = [
        (f"followup {' '.join(command)}", [FOLLOWUP, *command], None) for command in COMMANDS
    ]
    runs.append(("followup list, default folders", [FOLLOWUP, "list"], default_env))
    baseline: list[float] = []
    spent: list[list[float]] = [[] for _ in runs]
    for _ in range(args.repeat):
        baseline.append(_seconds(baseline_command))
        for times, (_, command, env) in zip(spent, runs, strict=True):
            times.append(_seconds(command, env))

    base = statistics.median(baseline)
    rows = [
        ["command", "median ms", "ratio to baseline"],
        ["python -c 'import click'", f"{base * 1000:.0f}", "1.00"],
    ]
    for (label, _, _), times in zip(runs, spent, strict=True):
        median = statistics.median(times)
        rows.append([label, f"{median * 1000:.0f}", f"{median / base:.2f}"])
    print(
        f"{args.interviews} interviews and a config file, FOLLOWUP_HOME set unless said,"
        f" median of {args.repeat} interleaved runs"
    )
    print(table(rows))


if __name__ == "__main__":
    main()
