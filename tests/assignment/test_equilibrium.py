from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from instc.assignment import (
    ALGORITHMS,
    AssignmentNetwork,
    LinkCosts,
    assign_equilibrium,
    network_from_tntp,
    relative_gap,
)
from instc.assignment.tntp_folder import TntpNetwork
from instc.errors import UnreachableError

ITERATIVE = [a for a in ALGORITHMS if a not in ("aon", "msa")]


def two_links(demand: float = 100.0) -> AssignmentNetwork:
    """Two parallel links 1->2: t1 = 10 (1 + v/100), t2 = 15 (1 + v/100)."""
    costs = LinkCosts.bpr([10.0, 15.0], [100.0, 100.0], alpha=1.0, beta=1.0)
    return AssignmentNetwork.from_links(
        [1, 1], [2, 2], costs,
        pd.DataFrame({"origin": [1], "destination": [2], "demand": [demand]}), name="two")


def conservation_error(net: AssignmentNetwork, flow: np.ndarray) -> float:
    a, b = net.links["init_node"].to_numpy(), net.links["term_node"].to_numpy()
    n = int(max(a.max(), b.max())) + 1
    bal = np.bincount(b, weights=flow, minlength=n) - np.bincount(a, weights=flow, minlength=n)
    d = net.demand_frame()
    dem = (np.bincount(d["destination"], weights=d["demand"], minlength=n)
           - np.bincount(d["origin"], weights=d["demand"], minlength=n))
    return float(np.abs(bal - dem).max())


@pytest.mark.parametrize("algorithm", ITERATIVE)
def test_two_parallel_links_user_equilibrium(algorithm):
    # 10 + 0.1 v1 = 15 + 0.15 v2 and v1 + v2 = 100: v1 = 80, v2 = 20, both cost 18.
    r = assign_equilibrium(two_links(), algorithm=algorithm, gap=1e-12)
    np.testing.assert_allclose(r.flow, [80.0, 20.0], rtol=0, atol=1e-8)
    np.testing.assert_allclose(r.links["cost"], [18.0, 18.0], atol=1e-9)
    assert r.converged
    # Beckmann: ∫0^80 (10 + 0.1x) + ∫0^20 (15 + 0.15x) = 1120 + 330
    assert r.objective == pytest.approx(1450.0, rel=1e-12)


@pytest.mark.parametrize("algorithm", ITERATIVE)
def test_two_parallel_links_system_optimum(algorithm):
    # Marginal costs 10 + 0.2 v1 = 15 + 0.3 v2: v1 = 70, v2 = 30; total 17 × 70 + 19.5 × 30.
    r = assign_equilibrium(two_links(), algorithm=algorithm, gap=1e-12, system_optimum=True)
    np.testing.assert_allclose(r.flow, [70.0, 30.0], rtol=0, atol=1e-8)
    assert r.objective == pytest.approx(17.0 * 70 + 19.5 * 30, rel=1e-12)


def test_all_or_nothing_and_msa():
    r = assign_equilibrium(two_links(), algorithm="aon")
    np.testing.assert_array_equal(r.flow, [100.0, 0.0])
    assert r.iterations == 1
    msa = assign_equilibrium(two_links(), algorithm="msa", gap=1e-3)
    assert msa.relative_gap <= 1e-3
    np.testing.assert_allclose(msa.flow, [80.0, 20.0], atol=1.0)


def test_low_demand_uses_one_link():
    # At 20 trips link 1 costs at most 12 < 15: everything stays on it.
    r = assign_equilibrium(two_links(20.0), gap=1e-12)
    np.testing.assert_allclose(r.flow, [20.0, 0.0], atol=1e-9)


def test_zones_below_first_thru_node_are_not_traversed():
    # 1 -> 2 is cheap only through zone 3 (1->3->2); zone 3 is not a through node.
    costs = LinkCosts.bpr([1.0, 1.0, 10.0], [1e9] * 3, alpha=0.0, beta=1.0)
    demand = pd.DataFrame({"origin": [1], "destination": [2], "demand": [5.0]})
    free = AssignmentNetwork.from_links([1, 3, 1], [3, 2, 2], costs, demand)
    np.testing.assert_array_equal(assign_equilibrium(free, algorithm="aon").flow, [5, 5, 0])
    blocked = AssignmentNetwork.from_links([1, 3, 1], [3, 2, 2], costs, demand,
                                           through=[4, 5])
    r = assign_equilibrium(blocked, gap=1e-10)
    np.testing.assert_array_equal(r.flow, [0, 0, 5])


def test_unreachable_demand_names_the_pair():
    costs = LinkCosts.bpr([1.0], [10.0])
    demand = pd.DataFrame({"origin": [2], "destination": [1], "demand": [1.0]})
    net = AssignmentNetwork.from_links([1], [2], costs, demand, name="oneway")
    with pytest.raises(UnreachableError, match="no path from zone 2 to zone 1"):
        assign_equilibrium(net)


def test_sioux_falls_algorithm_b(sioux_falls_tntp: TntpNetwork, sioux_falls):
    best = sioux_falls_tntp.best_flows
    best_gap = relative_gap(sioux_falls, best["volume"].to_numpy())
    assert best_gap.relative_gap < 1e-14
    # The README's 42.313... is the objective in other units (flows / 100, times × 0.01 h).
    assert best_gap.objective / 1e5 == pytest.approx(sioux_falls_tntp.best_objective, rel=1e-12)
    r = assign_equilibrium(sioux_falls, algorithm="algorithm-b", gap=1e-8)
    assert r.relative_gap <= 1e-8
    assert r.objective == pytest.approx(best_gap.objective, rel=1e-9)
    np.testing.assert_allclose(r.flow, best["volume"], rtol=1e-4, atol=1e-2)
    assert conservation_error(sioux_falls, r.flow) < 1e-6
    log = r.convergence
    assert list(log.columns[:5]) == ["iteration", "relative_gap", "objective", "step", "seconds"]
    assert log["relative_gap"].iloc[-1] == pytest.approx(r.relative_gap)
    assert (log["seconds"].diff().dropna() >= 0).all()


@pytest.mark.parametrize("algorithm", ["fw", "cfw", "bfw"])
def test_sioux_falls_frank_wolfe_family(sioux_falls, algorithm):
    r = assign_equilibrium(sioux_falls, algorithm=algorithm, gap=1e-3)
    assert r.relative_gap <= 1e-3
    assert r.relative_gap == pytest.approx(relative_gap(sioux_falls, r.flow).relative_gap)
    assert conservation_error(sioux_falls, r.flow) < 1e-6


def test_sioux_falls_system_optimum_is_cheaper(sioux_falls):
    ue = assign_equilibrium(sioux_falls, gap=1e-8)
    so = assign_equilibrium(sioux_falls, gap=1e-8, system_optimum=True)
    total_ue = float((ue.links["flow"] * ue.links["time"]).sum())
    assert so.objective < total_ue
    assert so.relative_gap <= 1e-8


def test_anaheim_objective(shared_tntp):
    t = shared_tntp("Anaheim")
    net = network_from_tntp(t)
    best = relative_gap(net, t.best_flows["volume"].to_numpy())
    r = assign_equilibrium(net, gap=1e-6)
    assert r.objective == pytest.approx(best.objective, rel=1e-7)
    assert conservation_error(net, r.flow) < 1e-6



def test_all_or_nothing_is_named_as_such() -> None:
    r = assign_equilibrium(two_links(), algorithm="aon")
    assert r.algorithm == "aon" and r.settings["method"] == "aon"
