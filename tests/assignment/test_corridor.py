"""Multi-class equilibrium on hand-solved networks, and the corridor assignment."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from instc.assignment import LinkCosts
from instc.assignment.corridor import assign_corridor, corridor_network
from instc.assignment.multiclass import multiclass_equilibrium, multiclass_gap
from instc.assignment.network import AssignmentNetwork
from instc.errors import UnreachableError
from instc.network import Corridor
from instc.testing import tiny_corridor_frames, tiny_corridor_meta


def _two_routes(demand: dict[int, float], money: float, *, classes: int = 1
                ) -> list[AssignmentNetwork]:
    """Node 1 -> 2 over a Davidson queue (t0 1 h, capacity 10, J 1) or a 1 h link with a fee.

    The fee ``money`` is in hours-equivalent of class 0; ``demand[k]`` is class k's.
    """
    nets = []
    for k in range(classes):
        fee = money if k == 0 else money * 2.0  # class 1 values time half as much
        fn = np.array([2, 0], dtype=np.int8)  # davidson, bpr (alpha 0: fixed)
        params = np.array([[1.0, 1.0], [10.0, 1.0], [1.0, 0.0], [0.95, 1.0], [0.0, fee]])
        od = pd.DataFrame({"origin": [1], "destination": [2], "demand": [demand.get(k, 0.0)]})
        nets.append(AssignmentNetwork.from_links([1, 1], [2, 2], LinkCosts(fn, params), od))
    return nets


@pytest.mark.parametrize("method", ["fw", "cfw", "bfw"])
def test_single_class_davidson_split_by_hand(method):
    # Equal costs: 1 + x/(1-x) = 1 + 1  ->  x = 1/2, so 5 of the 8 t queue and 3 pay the fee.
    sol = multiclass_equilibrium(_two_routes({0: 8.0}, 1.0), [1.0], method=method, gap=1e-10)
    flow = sol.flows[0]
    assert flow.sum() == pytest.approx(8.0)
    assert sorted(flow) == pytest.approx([3.0, 5.0], abs=1e-6)
    assert 0.0 <= sol.gap.relative_gap <= 1e-9


def test_two_classes_share_the_queue_by_value_of_time():
    # Class 0 (w = 2, fee 2 USD = 1 h-equivalent) queues while x/(1-x) <= 1;
    # class 1 (w = 1, the same fee is 2 h-equivalent) while x/(1-x) <= 2, i.e. x <= 2/3.
    # Class 1 alone fills the queue to x = 2/3 (6.67 t); class 0 pays the fee.
    nets = _two_routes({0: 3.0, 1: 8.0}, 1.0, classes=2)
    sol = multiclass_equilibrium(nets, [2.0, 1.0], method="bfw", gap=1e-10)
    queue = [int(np.flatnonzero(n.edge_link == 0)[0]) for n in nets]
    assert sol.flows[0, queue[0]] == pytest.approx(0.0, abs=1e-6)
    assert sol.flows[1, queue[1]] == pytest.approx(20.0 / 3.0, abs=1e-5)
    assert sol.flows.sum(axis=1) == pytest.approx([3.0, 8.0])
    assert sol.gap.relative_gap <= 1e-8


@settings(max_examples=30, deadline=None)
@given(q0=st.floats(0.1, 20.0), q1=st.floats(0.1, 20.0), s0=st.floats(0, 1), s1=st.floats(0, 1))
def test_multiclass_gap_is_never_negative(q0, q1, s0, s1):
    nets = _two_routes({0: q0, 1: q1}, 1.0, classes=2)
    flows = np.array([[s0 * q0, (1 - s0) * q0], [s1 * q1, (1 - s1) * q1]])
    g = multiclass_gap(nets, [2.0, 1.0], flows)
    assert g.relative_gap >= -1e-12
    assert g.tstt >= g.sptt - 1e-9


def _tiny() -> Corridor:
    frames = tiny_corridor_frames()
    src = {"source": "S1", "confidence": "assumption"}
    frames["cargo"] = pd.DataFrame([
        {"id": "container", "name": "Containers", "unit": "TEU", "tonnes_per_teu": 10.0,
         "value_usd_per_t": 0.0, "value_of_time_usd_per_t_h": 1.0, "inventory_rate": 0.0,
         **src},
        {"id": "general_cargo", "name": "General cargo", "unit": "t",
         "value_usd_per_t": 0.0, "value_of_time_usd_per_t_h": 0.2, "inventory_rate": 0.0,
         **src}])
    return Corridor.from_frames(frames, meta=tiny_corridor_meta())


DEMAND = pd.DataFrame({"origin": ["A", "A"], "destination": ["E", "E"],
                       "cargo": ["container", "general_cargo"], "tonnes": [1.5e6, 1.0e6]})


def test_corridor_assignment_conserves_flow_and_queues_at_the_border():
    c = _tiny()
    r = assign_corridor(c, 2024, DEMAND, gap=1e-8, exclude_branches=["sea"])
    assert r.converged and 0.0 <= r.relative_gap <= 1e-8
    g = c.graph(2024)
    for cargo, tonnes in zip(DEMAND["cargo"], DEMAND["tonnes"], strict=True):
        f = r.flows[r.flows["cargo"] == cargo]
        net = np.zeros(g.n_vertices)
        np.add.at(net, g.tail[f["edge"]], f["flow_t"])
        np.add.at(net, g.head[f["edge"]], -f["flow_t"].to_numpy())
        supply = np.zeros(g.n_vertices)
        supply[g.origin("A")] = tonnes
        supply[g.destination("E")] = -tonnes
        assert net == pytest.approx(supply, abs=1e-3)
    # Everything crosses Charlie-Delta (2 Mt/year, 24 h dwell): Davidson's delay there.
    x3 = r.edges[r.edges["element"] == "L3"].iloc[0]
    assert x3["function"] == "fixed+davidson" and x3["flow_t"] == pytest.approx(2.5e6)
    x = 2.5 / 2.0  # past mu = 0.95: on the tangent
    mu = 0.95
    tangent = 24 * 0.25 * (mu / (1 - mu)) + 24 * 0.25 / (2e6 * (1 - mu) ** 2) * (x - mu) * 2e6
    assert x3["delay_h"] == pytest.approx(tangent)
    assert x3["utilisation"] == pytest.approx(1.25)
    pairs = r.pairs.set_index("cargo")
    assert (pairs["cost_usd_t"] >= pairs["free_flow_cost_usd_t"]).all()


def test_corridor_assignment_splits_between_land_and_sea_at_equal_cost():
    c = _tiny()
    r = assign_corridor(c, 2024, DEMAND, gap=1e-9)
    # Both routes used by a class means their costs are equal at equilibrium:
    # the cost of every used edge path equals the pair's cost (gap ~ 0).
    assert r.relative_gap <= 1e-9
    assert r.flows.groupby("cargo")["flow_t"].sum().gt(0).all()
    aon = assign_corridor(c, 2024, DEMAND, algorithm="aon")
    assert aon.iterations == 1 and aon.delay_t_h >= r.delay_t_h


def test_corridor_network_peak_factor_scales_capacity_and_checks_reachability():
    c = _tiny()
    base = corridor_network(c, 2024, DEMAND)
    peak = corridor_network(c, 2024, DEMAND, peak_factor=2.0)
    cap = base.nets[0].costs.params[1]
    queued = cap > 1.0  # fixed-time parts carry a unit capacity that never enters the cost
    assert queued.sum() >= 3
    assert peak.nets[0].costs.params[1][queued] == pytest.approx(cap[queued] / 2.0)
    with pytest.raises(UnreachableError, match="E→A"):
        corridor_network(c, 2024, DEMAND.assign(origin="E", destination="A"),
                         exclude_branches=["sea", "land"])
    with pytest.raises(ValueError, match="peak_factor"):
        corridor_network(c, 2024, DEMAND, peak_factor=0.0)
