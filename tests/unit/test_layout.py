"""Small modules with one job: none of the package's modules grows past 400 lines."""

from __future__ import annotations

from pathlib import Path

MAX_LINES = 400
SRC = Path(__file__).resolve().parents[2] / "src"


def test_no_module_is_longer_than_400_lines() -> None:
    modules = sorted(SRC.rglob("*.py"))
    assert modules, f"no modules under {SRC}"
    lengths = {
        str(path.relative_to(SRC)): len(path.read_text(encoding="utf-8").splitlines())
        for path in modules
    }
    too_long = {name: lines for name, lines in lengths.items() if lines > MAX_LINES}
    assert too_long == {}, f"split these modules (lines over {MAX_LINES}): {too_long}"
