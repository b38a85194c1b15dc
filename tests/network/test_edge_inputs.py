"""Edge inputs: a table value with its range, and the time and money formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest

from instc.network.edge_inputs import FACTORS, InputColumns, money_and_time, triple


def test_triple_reads_companions_and_orders_them() -> None:
    row = {"km": 10.0, "km_low": 12.0, "km_high": 15.0, "h": float("nan")}
    assert triple(row, "km") == (10.0, 10.0, 15.0)  # a low above central is central
    assert triple(row, "h", 0.0) == (0.0, 0.0, 0.0)
    assert all(math.isnan(x) for x in triple(None, "km"))
    assert triple({"x": "not a number"}, "x", 1.0) == (1.0, 1.0, 1.0)


def test_defaults_and_formulas_by_hand() -> None:
    cols = InputColumns()
    cols.add({"km": (100.0, 100.0, 100.0), "speed": (40.0, 50.0, 60.0),
              "rate_t": (0.02, 0.03, 0.04), "border_h": (8.0, 8.0, 8.0),
              "border_usd_t": (1.0, 1.0, 1.0)})
    cols.add({"transfer_h": (6.0, 6.0, 6.0), "node_h": (2.0, 2.0, 2.0),
              "transfer_usd_t": (3.0, 3.0, 3.0), "node_usd_t": (0.5, 0.5, 0.5)})
    a = cols.arrays(np.array([0, 1]))
    assert set(a) == set(FACTORS)
    assert math.isinf(a["speed"][1, 1]) and math.isnan(a["link_h"][1, 0])
    p = money_and_time({k: v[1] for k, v in a.items()})
    np.testing.assert_allclose(p["hours"], [100 / 50 + 8, 6 + 2])
    np.testing.assert_allclose(p["usd_t"], [100 * 0.03 + 1, 3 + 0.5])
    np.testing.assert_allclose(p["run_h"], [2.0, 0.0])  # no distance, no speed: no running
    assert p["transfer_usd_t"][1] == pytest.approx(3.5)
