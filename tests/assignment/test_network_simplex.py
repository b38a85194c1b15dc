"""The network simplex on hand-checkable networks, and against the HiGHS LP."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from instc.assignment._integer_flow import IntegerFlow, integer_flow, to_units
from instc.assignment._network_simplex import network_simplex
from instc.assignment.min_cost_flow import (
    Commodity,
    FlowSolution,
    SharedCapacity,
    solve_min_cost_flow,
)
from tests.assignment.test_min_cost_flow_ortools import _random_network, _two_paths


def _simplex(n: int, tail: list[int] | np.ndarray, head: list[int] | np.ndarray,
             cap: list[float] | np.ndarray, k: Commodity, penalty: float = 100.0) -> FlowSolution:
    sol = solve_min_cost_flow(n, tail, head, cap, [k], penalty=penalty, solver="simplex")
    assert sol.solver == "simplex" and sol.status == "Optimal"
    return sol


def _check_flow(n: int, tail: np.ndarray, head: np.ndarray, cap: np.ndarray, k: Commodity,
                sol: FlowSolution, tol: float = 1e-6) -> None:
    """Assert that the flow conserves the served demand and respects capacities and closures."""
    flow, unserved = sol.flow_t[0], sol.unserved_t[0]
    assert np.all(flow >= 0) and np.all(unserved >= -tol) and np.all(unserved <= k.demand_t + tol)
    assert np.all(flow <= cap + tol) and np.all(flow[~np.isfinite(k.cost)] == 0)
    net = np.bincount(tail, weights=flow, minlength=n) - np.bincount(head, weights=flow,
                                                                      minlength=n)
    served = np.where(k.sinks == k.source, 0.0, k.demand_t - unserved)
    expected = np.zeros(n)
    expected[k.source] += served.sum()
    np.add.at(expected, k.sinks, -served)
    assert np.allclose(net, expected, atol=tol)


def _dual_gap(p: IntegerFlow, cost_u: np.ndarray) -> int:
    """Return the primal cost less the dual objective of the simplex's own optimum.

    In cost units: ``Σ c x − (−Σ_v b_v π_v − Σ_e cap_e max(0, −(c_e + π_tail − π_head)))``,
    the integer form of the identity in :mod:`instc.assignment.min_cost_flow`'s
    docstring; exactly 0 when ``π`` is an optimal dual.
    """
    flow, pi, feasible = network_simplex(p.supply.shape[0], p.tail, p.head, p.capacity, cost_u,
                                         p.supply)
    assert feasible
    # No trace of the artificial arcs' big M: potentials are real path costs.
    assert np.abs(pi).max(initial=0) <= pi.shape[0] * np.abs(cost_u).max(initial=0)
    reduced = cost_u + pi[p.tail] - pi[p.head]
    # Complementary slackness, exactly: empty arcs price ≥ 0, full ones ≤ 0.
    assert np.all(reduced[flow < p.capacity] >= 0) and np.all(reduced[flow > 0] <= 0)
    primal = sum(int(c) * int(f) for c, f in zip(cost_u, flow, strict=True))
    dual = -sum(int(b) * int(q) for b, q in zip(p.supply, pi, strict=True)) - sum(
        int(u) * max(0, -int(r)) for u, r in zip(p.capacity, reduced, strict=True))
    return primal - dual


def test_two_parallel_arcs_fill_the_cheaper_first():
    # 0 -> 1 twice: cost 1 with capacity 5, cost 3 unlimited; 8 t to carry.
    k = Commodity(0, np.array([1]), np.array([8.0]), np.array([1.0, 3.0]))
    sol = _simplex(2, [0, 0], [1, 1], [5.0, math.inf], k)
    assert np.allclose(sol.flow_t, [[5.0, 3.0]]) and sol.unserved_t[0].tolist() == [0.0]
    assert math.isclose(sol.cost_usd, 5 * 1 + 3 * 3)
    # One more tonne on the cheap arc saves 3 − 1; the unlimited arc has no price.
    assert np.allclose(sol.shadow_price, [2.0, 0.0])


@pytest.mark.parametrize(("demand", "flow", "unserved", "price"), [
    (4.0, [4, 4, 0, 0], 0.0, [0, 0, 0, 0]),
    (7.0, [5, 5, 2, 2], 0.0, [8, 0, 0, 0]),
    (10.0, [5, 5, 3, 3], 2.0, [98, 0, 90, 0]),
])
def test_two_paths_unserved_demand_and_prices_by_hand(demand, flow, unserved, price):
    # 0 -> 1 -> 3 costs 2 (capacity 5); 0 -> 2 -> 3 costs 10 (capacity 3); P = 100.
    sol = _simplex(4, *_two_paths(demand))
    assert np.allclose(sol.flow_t[0], flow) and np.isclose(sol.unserved_t[0][0], unserved)
    assert np.isclose(sol.cost_usd, 2 * min(demand, 5) + 10 * (min(demand, 8) - 5) * (demand > 5))
    assert np.allclose(sol.shadow_price, price)


def test_unreachable_sink_and_zero_capacity_are_unserved_not_infeasible():
    # Sink 2 has no arc in; sink 3 only one of capacity 0; sink 1 is reached.
    k = Commodity(0, np.array([1, 2, 3]), np.array([4.0, 5.0, 6.0]), np.array([2.0, 1.0, 1.0]))
    tail, head, cap = np.array([0, 0, 2]), np.array([1, 3, 1]), np.array([10.0, 0.0, 1.0])
    sol = _simplex(4, tail, head, cap, k, penalty=50.0)
    assert np.allclose(sol.flow_t, [[4.0, 0.0, 0.0]])
    assert np.allclose(sol.unserved_t[0], [0.0, 5.0, 6.0]) and np.isclose(sol.cost_usd, 8.0)
    # The empty arc to 3 would save 50 − 1 a tonne: its capacity binds.
    assert np.allclose(sol.shadow_price, [0.0, 49.0, 0.0])
    _check_flow(4, tail, head, cap, k, sol)


def test_zero_cost_cycle_and_tied_paths():
    # Two tied paths 0 -> 1 -> 3 and 0 -> 2 -> 3 (cost 2 each, capacity 3 on
    # the first arcs) and a zero-cost cycle 1 -> 2 -> 1: for 7 t, 6 go for 12
    # USD whichever way they split, and the 7th is unserved.
    tail = np.array([0, 1, 0, 2, 1, 2])
    head = np.array([1, 3, 2, 3, 2, 1])
    cap = np.array([3.0, math.inf, 3.0, math.inf, math.inf, math.inf])
    k = Commodity(0, np.array([3]), np.array([7.0]), np.array([1.0, 1.0, 1.0, 1.0, 0.0, 0.0]))
    sol = _simplex(4, tail, head, cap, k)
    assert np.isclose(sol.cost_usd, 12.0) and np.isclose(sol.unserved_t[0][0], 1.0)
    assert np.allclose(sol.flow_t[0][[0, 2]], [3.0, 3.0])
    assert np.allclose(sol.shadow_price, [98.0, 0.0, 98.0, 0.0, 0.0, 0.0])
    _check_flow(4, tail, head, cap, k, sol)
    p = integer_flow(4, tail, head, cap, k, 100.0)
    assert _dual_gap(p, to_units(p.cost_usd_t, 0)) == 0


def test_no_demand_closed_edges_and_sink_at_source():
    k = Commodity(0, np.array([1]), np.array([0.0]), np.array([1.0]))
    sol = _simplex(2, [0], [1], [1.0], k)
    assert sol.flow_t.sum() == 0 and sol.cost_usd == 0 and sol.shadow_price.tolist() == [0.0]
    # 0 -> 2 closed (cost inf): 2 is served through 1; the sink at 0 is served as is.
    k = Commodity(0, np.array([2, 0]), np.array([3.0, 9.0]), np.array([1.0, 1.0, math.inf]))
    sol = _simplex(3, [0, 1, 0], [1, 2, 2], [math.inf, math.inf, math.inf], k)
    assert np.allclose(sol.flow_t, [[3.0, 3.0, 0.0]]) and np.allclose(sol.unserved_t[0], 0.0)


def test_kernel_reports_infeasible_supplies_and_refuses_bad_input():
    one = np.array([0], dtype=np.int64)
    supply = np.array([5, -5], dtype=np.int64)
    # One arc of capacity 2 for 5 units: the artificial arcs keep the rest.
    flow, _, feasible = network_simplex(2, one, one + 1, one + 2, one + 1, supply)
    assert not feasible and flow.tolist() == [2]
    with pytest.raises(ValueError, match="sum to 1"):
        network_simplex(2, one, one + 1, one + 2, one + 1, np.array([1, 0]))
    with pytest.raises(ValueError, match="overflow"):
        network_simplex(2, one, one + 1, one + 2, one + 2**60, supply)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_random_2000_arc_network_matches_highs(seed):
    tail, head, cap, k = _random_network(seed)
    a = _simplex(300, tail, head, cap, k, penalty=1e4)
    b = solve_min_cost_flow(300, tail, head, cap, [k], penalty=1e4, solver="highs")
    unserved = float(b.unserved_t[0].sum())
    assert 0 < unserved < k.demand_t.sum()  # capacity binds, some is carried
    assert math.isclose(a.cost_usd, b.cost_usd, rel_tol=1e-9)
    assert np.allclose(a.unserved_t[0], b.unserved_t[0], atol=1e-6)
    _check_flow(300, tail, head, cap, k, a)
    # Shadow prices only on saturated edges, and here the dual is unique.
    priced = a.shadow_price > 1e-9
    assert priced.any() and np.all(a.flow_t[0][priced] >= cap[priced] - 1e-6)
    assert np.allclose(a.shadow_price, b.shadow_price, atol=1e-6)
    # Strong duality on the integer problem, with the simplex's own potentials.
    p = integer_flow(300, tail, head, cap, k, 1e4)
    assert _dual_gap(p, to_units(p.cost_usd_t, p.cost_exponent(1e12))) == 0


@st.composite
def small_networks(draw: st.DrawFn) -> tuple[int, np.ndarray, np.ndarray, np.ndarray,
                                             Commodity]:
    """A random network of 2-7 vertices with integer capacities and costs, source 0."""
    n = draw(st.integers(2, 7))
    m = draw(st.integers(0, 16))
    ends = st.integers(0, n - 1)
    tail = np.array(draw(st.lists(ends, min_size=m, max_size=m)), dtype=np.int64)
    head = np.array(draw(st.lists(ends, min_size=m, max_size=m)), dtype=np.int64)
    cap = np.array(draw(st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0, 5.0, 8.0, math.inf]),
                                 min_size=m, max_size=m)))
    cost = np.array(draw(st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0, 7.0, math.inf]),
                                  min_size=m, max_size=m)))
    sinks = np.array(draw(st.lists(st.integers(1, n - 1), min_size=1, max_size=n - 1,
                                   unique=True)), dtype=np.int64)
    demand = np.array(draw(st.lists(st.integers(0, 9), min_size=len(sinks),
                                    max_size=len(sinks))), dtype=np.float64)
    return n, tail, head, cap, Commodity(0, sinks, demand, cost)


@settings(max_examples=150, deadline=None)
@given(small_networks())
def test_small_networks_optimal_like_highs(case):
    # Self-loops, parallel arcs, zero capacities, zero-cost cycles and ties included.
    n, tail, head, cap, k = case
    a = _simplex(n, tail, head, cap, k, penalty=100.0)
    b = solve_min_cost_flow(n, tail, head, cap, [k], penalty=100.0, solver="highs")
    _check_flow(n, tail, head, cap, k, a, tol=1e-9)
    objective = a.cost_usd + 100.0 * float(a.unserved_t[0].sum())
    assert objective == pytest.approx(b.cost_usd + 100.0 * float(b.unserved_t[0].sum()),
                                      abs=1e-6)
    p = integer_flow(n, tail, head, cap, k, 100.0)
    assert _dual_gap(p, to_units(p.cost_usd_t, 0)) == 0


def test_auto_picks_the_simplex_for_one_commodity_only():
    tail, head, cap, k = _two_paths(4.0)
    assert solve_min_cost_flow(4, tail, head, cap, [k]).solver == "simplex"
    assert solve_min_cost_flow(4, tail, head, cap, [k, k]).solver == "highs"
    shared = [SharedCapacity(np.array([0, 2]), 6.0)]
    assert solve_min_cost_flow(4, tail, head, cap, [k], shared).solver == "highs"
    with pytest.raises(ValueError, match="'simplex' takes one commodity"):
        solve_min_cost_flow(4, tail, head, cap, [k, k], solver="simplex")
