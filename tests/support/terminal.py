"""Running the real `followup` with its stderr on a pseudo-terminal, as a person sees it."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

FOLLOWUP = Path(sys.executable).parent / "followup"


class OnATerminal(NamedTuple):
    code: int
    out: bytes  # stdout, a plain file: what a pipe would get
    drawn: str  # everything written to the terminal


def run_on_a_terminal(*args: str, env: dict[str, str] | None = None) -> OnATerminal:
    leader, follower = pty.openpty()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(
            [str(FOLLOWUP), *args],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=follower,
            env={**os.environ, **(env or {})},
        )
        os.close(follower)
        drawn = b""
        while True:  # read as it comes, or a full terminal would block the child
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            drawn += chunk
        os.close(leader)
        code = child.wait(timeout=120)
        out.seek(0)
        return OnATerminal(code, out.read(), drawn.decode("utf-8", "replace"))
