"""A module-level draw function for sweep tests (must be importable by workers)."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd


def noisy_draw(i: int, seq: np.random.SeedSequence) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seq)
    return {"values": pd.DataFrame({"x": rng.normal(size=3), "i": [i] * 3}),
            "summary": pd.DataFrame({"mean": [float(rng.random())]})}


def slow_draw(i: int, seq: np.random.SeedSequence) -> dict[str, pd.DataFrame]:
    time.sleep(0.05)
    return noisy_draw(i, seq)
