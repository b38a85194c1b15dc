"""Max-flow/min-cut, min-cost flow and expansion planning on hand-checkable networks."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from instc.assignment.max_flow import max_flow, throughput_ceiling
from instc.assignment.min_cost_flow import (
    Commodity,
    SharedCapacity,
    min_cost_flow,
    solve_min_cost_flow,
)
from instc.network import Corridor
from instc.testing import tiny_corridor_frames, tiny_corridor_meta

# s=0, a=1, b=2, t=3:  s->a 10, s->b 5, a->t 4, b->t 8, a->b 3.  Max flow 12.
TAIL = [0, 0, 1, 2, 1]
HEAD = [1, 2, 3, 3, 2]
CAP = [10.0, 5.0, 4.0, 8.0, 3.0]


def test_max_flow_value_and_both_minimum_cuts():
    mf = max_flow(4, TAIL, HEAD, CAP, [0], [3])
    assert mf.value_t == 12 and not mf.unbounded
    # Source side {s, a}: s->b, a->t, a->b (5 + 4 + 3); sink side {t}: a->t, b->t (4 + 8).
    assert sorted(mf.cut.tolist()) == [1, 2, 4]
    assert sorted(mf.sink_cut.tolist()) == [2, 3]
    assert not mf.unique_cut
    assert np.isclose(mf.flow_t[[1, 2, 4]].sum(), 12)  # the cut edges are saturated
    for v in (1, 2):  # conservation at the inner vertices
        inflow = sum(f for f, h in zip(mf.flow_t, HEAD, strict=True) if h == v)
        outflow = sum(f for f, t in zip(mf.flow_t, TAIL, strict=True) if t == v)
        assert np.isclose(inflow, outflow)


def test_max_flow_single_bottleneck_is_unique():
    # s -> a (inf) -> b (7) -> t (inf): the middle edge is the only minimum cut.
    mf = max_flow(4, [0, 1, 2], [1, 2, 3], [math.inf, 7.0, math.inf], [0], [3])
    assert mf.value_t == 7 and mf.cut.tolist() == [1] and mf.unique_cut


def test_max_flow_parallel_edges_and_unbounded():
    mf = max_flow(2, [0, 0], [1, 1], [3.0, 4.0], [0], [1])
    assert mf.value_t == 7 and sorted(mf.flow_t.tolist()) == [3.0, 4.0]
    inf = max_flow(3, [0, 1, 0], [1, 2, 2], [math.inf, math.inf, 5.0], [0], [2])
    assert inf.unbounded and inf.value_t == math.inf and len(inf.cut) == 0


def _two_paths(demand: float) -> tuple[list[int], list[int], list[float], Commodity]:
    # 0 -> 1 -> 3 costs 2 (capacity 5); 0 -> 2 -> 3 costs 10 (capacity 3).
    tail, head = [0, 1, 0, 2], [1, 3, 2, 3]
    cap = [5.0, math.inf, 3.0, math.inf]
    cost = np.array([1.0, 1.0, 5.0, 5.0])
    return tail, head, cap, Commodity(0, np.array([3]), np.array([demand]), cost)


def test_min_cost_flow_uses_the_cheaper_path_first():
    tail, head, cap, k = _two_paths(4.0)
    sol = solve_min_cost_flow(4, tail, head, cap, [k])
    assert np.allclose(sol.flow_t[0], [4, 4, 0, 0])
    assert sol.unserved_t[0].tolist() == [0.0]
    assert np.isclose(sol.cost_usd, 8.0)
    assert np.all(sol.shadow_price == 0)  # nothing binds


def test_min_cost_flow_unserved_when_capacity_is_short():
    tail, head, cap, k = _two_paths(10.0)
    sol = solve_min_cost_flow(4, tail, head, cap, [k], penalty=100.0)
    assert np.allclose(sol.flow_t[0], [5, 5, 3, 3])
    assert np.isclose(sol.unserved_t[0][0], 2.0)
    assert np.isclose(sol.cost_usd, 5 * 2 + 3 * 10)
    # One more tonne of capacity saves the penalty less the path's cost.
    assert np.isclose(sol.shadow_price[0], 100 - 2) and np.isclose(sol.shadow_price[2], 100 - 10)


def test_min_cost_flow_shared_fleet_counts_once():
    # Two parallel sea lanes of one fleet of 6 t: 6 carried, not 2 x 6.
    commodity = Commodity(0, np.array([1]), np.array([10.0]), np.array([1.0, 1.0]))
    sol = solve_min_cost_flow(2, [0, 0], [1, 1], [math.inf, math.inf], [commodity],
                              [SharedCapacity(np.array([0, 1]), 6.0)], penalty=50.0)
    assert np.isclose(sol.flow_t.sum(), 6.0) and np.isclose(sol.unserved_t[0][0], 4.0)
    assert np.isclose(sol.shared_flow_t[0], 6.0) and np.isclose(sol.shared_shadow_price[0], 49)


def test_min_cost_flow_commodities_share_capacity():
    # Two commodities from 0 to 1 over one edge of 5 t; the one with the
    # cheaper alternative (edge 1, cost 3) moves off the shared edge.
    a = Commodity(0, np.array([1]), np.array([4.0]), np.array([1.0, 3.0]))
    b = Commodity(0, np.array([1]), np.array([4.0]), np.array([1.0, 20.0]))
    sol = solve_min_cost_flow(2, [0, 0], [1, 1], [5.0, math.inf], [a, b])
    assert np.isclose(sol.flow_t[:, 0].sum(), 5.0)
    assert np.isclose(sol.flow_t[1, 0], 4.0) and np.isclose(sol.flow_t[0, 1], 3.0)


def _corridor(p1_cost: float, p2_cost: float) -> Corridor:
    frames = tiny_corridor_frames()
    src = {"source": "S1", "confidence": "assumption"}
    links = frames["links"]
    links.loc[links["id"] == "L5", "capacity_t"] = 0.5e6
    extra = pd.DataFrame([{"id": "L7", "from": "D", "to": "E", "mode": "road",
                           "distance_km": 330.0, "capacity_t": 2e6, "project": "P2",
                           "branch": "land", **src}])
    frames["links"] = pd.concat([links, extra], ignore_index=True)
    frames["projects"] = pd.DataFrame([
        {"id": "P1", "name": "Delta-Echo railway", "year": 2027, "kind": "new_link",
         "cost_musd": p1_cost, **src},
        {"id": "P2", "name": "Delta-Echo motorway", "year": 2028, "kind": "new_link",
         "cost_musd": p2_cost, **src},
    ])
    return Corridor.from_frames(frames, meta=tiny_corridor_meta())


DEMAND = pd.DataFrame({"origin": ["A"], "destination": ["E"], "cargo": ["container"],
                       "tonnes": [1.5e6]})


def test_tiny_corridor_ceiling_and_min_cost_flow():
    c = _corridor(100.0, 50.0)
    ce = throughput_ceiling(c, 2024, ["A"], ["E"], exclude_branches=["sea"])
    # A -> E by land: the road D -> E (0.5 Mt) binds before the Charlie-Delta border (2 Mt).
    assert ce.value_t == pytest.approx(0.5e6)
    assert ce.cut["element"].tolist() == ["L5"] and ce.cut["category"].tolist() == ["line"]
    assert throughput_ceiling(c, 2030, ["A"], ["E"], exclude_branches=["sea"]).value_t \
        == pytest.approx(2e6)  # both projects open: the border binds
    # With the sea lane (no capacity) the Echo port's 5 Mt throughput binds on unloading.
    sea = throughput_ceiling(c, 2024, ["A"], ["E"])
    assert sea.value_t == pytest.approx(5.5e6)
    assert ("E", "port") in set(zip(sea.cut["element"], sea.cut["category"], strict=True))
    assert throughput_ceiling(c, 2024, ["B"], ["C"]).unbounded  # no capacity on Bravo-Charlie
    flow = min_cost_flow(c, 2024, DEMAND, exclude_branches=["sea"])
    assert flow.unserved_t == pytest.approx(1e6) and not flow.feasible
    assert "L5" in set(flow.binding["element"])
    assert flow.unserved[["origin", "destination"]].values.tolist() == [["A", "E"]]


@pytest.mark.parametrize(("p1", "p2", "chosen"), [(100.0, 50.0, ("P2",)),
                                                 (40.0, 50.0, ("P1",)),
                                                 (100.0, math.nan, ("P1",))])
def test_expansion_chooses_the_cheaper_sufficient_project(p1, p2, chosen):
    from instc.assignment.expansion import plan_expansion

    plan = plan_expansion(_corridor(p1, p2), 2024, DEMAND, exclude_branches=["sea"])
    assert plan.chosen == chosen and plan.sufficient
    assert plan.unserved_without_t == pytest.approx(1e6) and plan.unserved_t == pytest.approx(0)
    assert plan.capital_cost_musd == min(c for c in (p1, p2) if not math.isnan(c))
    assert set(plan.candidates["id"]) == {"P1", "P2"}


def test_expansion_reports_the_minimum_unserved_when_projects_fall_short():
    from instc.assignment.expansion import plan_expansion

    big = DEMAND.assign(tonnes=3e6)  # the 2 Mt border binds even with both projects
    plan = plan_expansion(_corridor(100.0, 50.0), 2024, big, exclude_branches=["sea"])
    assert not plan.sufficient
    assert plan.unserved_with_all_t == pytest.approx(1e6)
    assert plan.unserved_t == pytest.approx(1e6)
    assert plan.chosen == ("P2",)  # the motorway alone fills the 2 Mt border
