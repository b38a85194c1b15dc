from __future__ import annotations

from pathlib import Path

import pytest

from instc import Corridor
from instc.testing import tiny_corridor_frames, tiny_corridor_meta, write_tiny_corridor


@pytest.fixture
def tiny() -> Corridor:
    return Corridor.from_frames(tiny_corridor_frames(), meta=tiny_corridor_meta())


@pytest.fixture
def tiny_folder(tmp_path: Path) -> Path:
    return write_tiny_corridor(tmp_path / "tiny")
