"""The code stays in readable units: scripts/check_sizes.py (also run by .ci/run) finds no module over 600
lines and no function over 80 lines outside its listed exceptions, and it does detect an offender."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_module_or_function_over_the_limits() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/check_sizes.py"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


def test_the_checker_finds_a_long_function(tmp_path: Path) -> None:
    long = tmp_path / "scoring" / "long.py"
    long.parent.mkdir()
    long.write_text("def f():\n" + "    x = 1\n" * 85)
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import check_sizes
    finally:
        sys.path.pop(0)
    assert check_sizes.check(long, tmp_path) == ["scoring/long.py:1 f() is 86 lines (max 80)"]
