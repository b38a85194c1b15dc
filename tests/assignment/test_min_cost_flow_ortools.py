"""OR-Tools' SimpleMinCostFlow against the HiGHS LP on single-commodity min-cost flows."""

from __future__ import annotations

import importlib
import importlib.util
import math

import numpy as np
import pytest

from instc.assignment.min_cost_flow import (
    Commodity,
    FlowSolution,
    SharedCapacity,
    solve_min_cost_flow,
)
from instc.errors import MissingExtraError

needs_ortools = pytest.mark.skipif(
    importlib.util.find_spec("ortools") is None,
    reason="ortools is not installed (extra 'flow'): only the HiGHS LP can be tested")


def _both(n: int, tail: list[int] | np.ndarray, head: list[int] | np.ndarray,
          cap: list[float] | np.ndarray, k: Commodity,
          penalty: float = 100.0) -> tuple[FlowSolution, FlowSolution]:
    a = solve_min_cost_flow(n, tail, head, cap, [k], penalty=penalty, solver="ortools")
    b = solve_min_cost_flow(n, tail, head, cap, [k], penalty=penalty, solver="highs")
    assert a.solver == "ortools" and b.solver == "highs"
    assert a.status == b.status == "Optimal"
    return a, b


def _two_paths(demand: float) -> tuple[list[int], list[int], list[float], Commodity]:
    # 0 -> 1 -> 3 costs 2 (capacity 5); 0 -> 2 -> 3 costs 10 (capacity 3).
    return ([0, 1, 0, 2], [1, 3, 2, 3], [5.0, math.inf, 3.0, math.inf],
            Commodity(0, np.array([3]), np.array([demand]), np.array([1.0, 1.0, 5.0, 5.0])))


@needs_ortools
@pytest.mark.parametrize("demand", [4.0, 7.0, 10.0])
def test_two_paths_same_flows_cost_unserved_and_shadow_prices(demand):
    a, b = _both(4, *_two_paths(demand))
    assert np.allclose(a.flow_t, b.flow_t) and np.isclose(a.cost_usd, b.cost_usd)
    assert np.allclose(a.unserved_t[0], b.unserved_t[0])
    assert np.allclose(a.shadow_price, b.shadow_price)
    if demand == 10.0:  # hand-computed: 2 t unserved, prices P − 2 and P − 10
        assert np.isclose(a.unserved_t[0][0], 2.0)
        assert np.allclose(a.shadow_price, [98.0, 0.0, 90.0, 0.0])


@needs_ortools
def test_several_sinks_closed_edge_and_sink_at_source():
    # 0 -> 1 (cap 6, cost 2), 0 -> 2 (cap 2, cost 1), 1 -> 2 (cost 1), 0 -> 2 closed (cost inf).
    k = Commodity(0, np.array([1, 2, 0]), np.array([3.0, 6.0, 9.0]),
                  np.array([2.0, 1.0, 1.0, math.inf]))
    a, b = _both(3, [0, 0, 1, 0], [1, 2, 2, 2], [6.0, 2.0, math.inf, math.inf], k)
    # 8 t leave vertex 0: 2 direct to 2 and 6 to 1, of which 3 go on to 2; 1 t unserved.
    assert np.allclose(a.flow_t, [[6.0, 2.0, 3.0, 0.0]]) and np.allclose(a.flow_t, b.flow_t)
    assert np.allclose(a.unserved_t[0], [0.0, 1.0, 0.0])
    assert np.allclose(a.unserved_t[0], b.unserved_t[0])
    assert np.isclose(a.cost_usd, b.cost_usd) and np.isclose(a.cost_usd, 6 * 2 + 2 + 3)
    assert np.allclose(a.shadow_price, b.shadow_price)
    assert np.allclose(a.shadow_price, [100 - 3, 100 - 1, 0.0, 0.0])


@needs_ortools
def test_no_demand_and_fractional_tonnes():
    k = Commodity(0, np.array([1]), np.array([0.0]), np.array([1.0]))
    a = solve_min_cost_flow(2, [0], [1], [1.0], [k], solver="ortools")
    assert a.status == "Optimal" and a.flow_t.sum() == 0 and a.cost_usd == 0
    # Tonnes far below one: the unit of flow follows the demand.
    k = Commodity(0, np.array([1]), np.array([3.3e-7]), np.array([2.5]))
    a, b = _both(2, [0, 0], [1, 1], [1.1e-7, math.inf], Commodity(
        0, k.sinks, k.demand_t, np.array([1.0, 2.5])))
    assert np.allclose(a.flow_t, [[1.1e-7, 2.2e-7]], rtol=1e-9, atol=0)
    assert math.isclose(a.cost_usd, b.cost_usd, rel_tol=1e-9)


def _random_network(seed: int, n: int = 300, m: int = 2_000) -> tuple[
        np.ndarray, np.ndarray, np.ndarray, Commodity]:
    rng = np.random.default_rng(seed)
    tail = rng.integers(0, n, m)
    head = (tail + rng.integers(1, n, m)) % n  # no self-loops
    cap = rng.uniform(100.0, 5_000.0, m)
    cap[rng.random(m) < 0.1] = math.inf
    cost = rng.uniform(1.0, 50.0, m)
    cost[rng.random(m) < 0.02] = math.inf  # closed to the commodity
    sinks = rng.choice(np.arange(1, n), 25, replace=False)
    demand = rng.uniform(1_000.0, 10_000.0, sinks.shape[0])
    return tail, head, cap, Commodity(0, sinks, demand, cost)


@needs_ortools
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_2000_arc_network_same_cost_and_unserved(seed):
    tail, head, cap, k = _random_network(seed)
    a, b = _both(300, tail, head, cap, k, penalty=1e4)
    unserved = float(b.unserved_t[0].sum())
    assert unserved > 0 and unserved < k.demand_t.sum()  # capacity binds, some is carried
    assert math.isclose(a.cost_usd, b.cost_usd, rel_tol=1e-9)
    assert float(a.unserved_t[0].sum()) == pytest.approx(unserved, rel=1e-9, abs=1e-6)
    assert np.allclose(a.unserved_t[0], b.unserved_t[0], atol=1e-6)
    # Complementary slackness: a shadow price only on a saturated edge (to
    # OR-Tools' unit of flow, 1e-6 t here).
    flow = a.flow_t[0]
    priced = a.shadow_price > 1e-9
    assert priced.any() and np.all(np.isfinite(a.shadow_price))
    assert np.all(flow[priced] >= cap[priced] - 1e-6)
    # Both duals are optimal, so the capacity rents (Σ cap × price) agree
    # when the dual is unique (checked by the total over the priced edges).
    rent_a = float(np.dot(np.where(priced, cap, 0.0), a.shadow_price))
    rent_b = float(np.dot(np.where(b.shadow_price > 1e-9, cap, 0.0), b.shadow_price))
    assert rent_a == pytest.approx(rent_b, rel=1e-6)


def test_ortools_refuses_several_commodities_and_unknown_solver():
    tail, head, cap, k = _two_paths(4.0)
    with pytest.raises(ValueError, match="one commodity"):
        solve_min_cost_flow(4, tail, head, cap, [k, k], solver="ortools")
    shared = [SharedCapacity(np.array([0, 2]), 6.0)]
    with pytest.raises(ValueError, match="1 shared"):
        solve_min_cost_flow(4, tail, head, cap, [k], shared, solver="ortools")
    with pytest.raises(ValueError, match="'lemon'"):
        solve_min_cost_flow(4, tail, head, cap, [k], solver="lemon")  # type: ignore[arg-type]


def test_without_ortools_auto_still_solves_and_ortools_names_the_extra(monkeypatch):
    def missing(module: str, *, extra: str) -> None:
        raise MissingExtraError(f"{module!r} is needed; install instc[{extra}]")

    monkeypatch.setattr(importlib.import_module("instc.assignment._ortools_flow"),
                        "import_optional", missing)
    tail, head, cap, k = _two_paths(4.0)
    assert solve_min_cost_flow(4, tail, head, cap, [k]).solver == "simplex"
    with pytest.raises(MissingExtraError, match=r"instc\[flow\]"):
        solve_min_cost_flow(4, tail, head, cap, [k], solver="ortools")
