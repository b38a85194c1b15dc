from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from instc.assignment import AssignmentNetwork, LinkCosts, assign_equilibrium, relative_gap
from instc.assignment.all_or_nothing import all_or_nothing


@st.composite
def networks(draw: st.DrawFn) -> AssignmentNetwork:
    """A random strongly connected network: a ring both ways plus random chords."""
    n = draw(st.integers(3, 8))
    tails = [*range(n), *[(i + 1) % n for i in range(n)]]
    heads = [*[(i + 1) % n for i in range(n)], *range(n)]
    for _ in range(draw(st.integers(0, 8))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a != b:
            tails.append(a)
            heads.append(b)
    m = len(tails)
    pos = st.floats(0.1, 20.0)
    costs = LinkCosts.bpr(draw(st.lists(pos, min_size=m, max_size=m)),
                          draw(st.lists(st.floats(1.0, 50.0), min_size=m, max_size=m)),
                          alpha=draw(st.lists(st.floats(0.0, 2.0), min_size=m, max_size=m)),
                          beta=draw(st.lists(st.floats(1.0, 5.0), min_size=m, max_size=m)))
    k = draw(st.integers(1, 6))
    od = pd.DataFrame({"origin": draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k)),
                       "destination": draw(st.lists(st.integers(0, n - 1), min_size=k,
                                                    max_size=k)),
                       "demand": draw(st.lists(st.floats(0.0, 100.0), min_size=k, max_size=k))})
    return AssignmentNetwork.from_links(tails, heads, costs, od)


def imbalance(net: AssignmentNetwork, flow: np.ndarray) -> float:
    n = net.n_vertices
    a, b = net.links["init_node"].to_numpy(), net.links["term_node"].to_numpy()
    bal = np.bincount(b, weights=flow, minlength=n) - np.bincount(a, weights=flow, minlength=n)
    d = net.demand_frame()
    dem = (np.bincount(d["destination"], weights=d["demand"], minlength=n)
           - np.bincount(d["origin"], weights=d["demand"], minlength=n))
    return float(np.abs(bal - dem).max())


@settings(max_examples=25, deadline=None)
@given(networks(), st.sampled_from(["bfw", "algorithm-b"]), st.booleans())
def test_flows_conserved_and_gap_not_negative(net, algorithm, so):
    r = assign_equilibrium(net, algorithm=algorithm, gap=1e-6, max_iterations=50,
                           system_optimum=so)
    assert imbalance(net, r.flow) <= 1e-9 * max(1.0, net.total_demand)
    assert (r.flow >= 0).all()
    g = relative_gap(net, r.flow, system_optimum=so)
    assert g.relative_gap >= -1e-12
    assert (r.convergence["relative_gap"] >= -1e-12).all()


@settings(max_examples=25, deadline=None)
@given(networks(), st.integers(0, 2**32 - 1))
def test_gap_of_any_feasible_flow_is_not_negative(net, seed):
    # Any all-or-nothing loading, at any costs, is a feasible flow.
    rng = np.random.default_rng(seed)
    flow, _ = all_or_nothing(net, rng.uniform(0.0, 10.0, net.n_edges))
    assert imbalance(net, net.to_links(flow)) <= 1e-9 * max(1.0, net.total_demand)
    assert relative_gap(net, net.to_links(flow)).relative_gap >= -1e-12
