"""Every script in examples/ runs and prints exactly its saved output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCRIPTS = sorted(p for p in EXAMPLES.glob("*.py") if p.with_suffix(".out").exists())


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.stem for p in SCRIPTS])
def test_example_output(script: Path) -> None:
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=300, cwd=EXAMPLES)
    assert result.returncode == 0, result.stderr
    assert result.stdout == script.with_suffix(".out").read_text(encoding="utf-8")


def test_there_are_examples() -> None:
    assert SCRIPTS
