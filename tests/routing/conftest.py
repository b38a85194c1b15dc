from __future__ import annotations

import pandas as pd
import pytest

from instc import Corridor, load_corridor
from instc.testing import tiny_corridor_frames, tiny_corridor_meta


@pytest.fixture(scope="session")
def instc_corridor() -> Corridor:
    return load_corridor()


def tiny_with(extra_links: list[dict] | None = None) -> Corridor:
    frames = tiny_corridor_frames()
    if extra_links:
        frames["links"] = pd.concat([frames["links"], pd.DataFrame(extra_links)],
                                    ignore_index=True)
    return Corridor.from_frames(frames, meta=tiny_corridor_meta())


@pytest.fixture(scope="session")
def make_tiny():
    return tiny_with


@pytest.fixture(scope="session")
def tiny_corridor() -> Corridor:
    return tiny_with()
