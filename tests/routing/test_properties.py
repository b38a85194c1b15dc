"""Property tests: triangle inequality, and no path cheaper than the best, on any cost."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from instc.routing import Router
from instc.routing._dijkstra import shortest_path_trees
from instc.routing.alternatives import k_shortest_paths

weights = st.tuples(st.floats(0.0, 50.0), st.floats(0.0, 5.0), st.floats(0.0, 1.0))


def cost_fn(a: float, b: float, c: float):
    def fn(edge):
        return a * edge["usd_t"] + b * edge["hours"] + c * edge["km"]
    return fn


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(weights, st.sampled_from([2024, 2028]))
def test_triangle_inequality(tiny_corridor, w, year) -> None:
    # On vertices: a node-level trip that ends at D and restarts there on
    # another mode skips D's transfer (origin and destination vertices join
    # every mode for free), so the inequality is a property of vertices.
    r = Router(tiny_corridor, year)
    fn = cost_fn(*w)
    weight = np.array([fn(e) for e in _records(r)])
    g = r.graph
    dist, _ = shortest_path_trees(g.indptr, g.head, weight, np.arange(g.n_vertices))
    via = dist[:, :, None] + dist[None, :, :]  # d(a, b) + d(b, c)
    assert (dist[:, None, :] <= via + 1e-9).all()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(weights)
def test_no_route_is_cheaper_than_the_best(instc_corridor, w) -> None:
    r = Router(instc_corridor, 2030)
    fn = cost_fn(*w)
    best = r.route("St Petersburg", "Nhava Sheva", cargo="grain", cost=fn)
    weight = np.array([fn(e) for e in _records(r)])
    paths = k_shortest_paths(r.graph, weight, r.graph.origin("RU_SPB_PORT"),
                             r.graph.destination("IN_NSA"), 6)
    total = float(best.steps["weight"].sum())
    for p in paths:
        assert total <= weight[list(p.edges)].sum() + 1e-6


def _records(r: Router):
    from instc.routing.cost import edge_records, generalized_cost

    q = r.factors.quantities(10.0)
    cargo = r.corridor.cargo["id"].iloc[0] if len(r.corridor.cargo) else "t"
    return edge_records(r.factors, q, generalized_cost(q, r.cargo(cargo)))
