from __future__ import annotations

import numpy as np
import pytest

from instc.routing import cargo_class, edge_factors


@pytest.mark.parametrize("year", [2024, 2030])
def test_central_values_match_the_compiled_graph(instc_corridor, year) -> None:
    g = instc_corridor.graph(year)
    q = edge_factors(instc_corridor, g).quantities(10.0)
    np.testing.assert_allclose(q.hours, g.hours)
    np.testing.assert_allclose(q.usd_t, g.usd_t)
    given = np.isfinite(g.usd_teu)  # where the graph has a per-TEU figure, they agree
    np.testing.assert_allclose(q.usd_teu[given], g.usd_teu[given])


def test_ranges_bound_the_central_values(instc_corridor) -> None:
    f = edge_factors(instc_corridor, instc_corridor.graph(2030))
    c, lo, hi = (f.quantities(10.0, lvl) for lvl in ("central", "low", "high"))
    for name in ("km", "hours", "usd_t", "usd_teu", "co2e_kg_t"):
        a, b, m = getattr(lo, name), getattr(hi, name), getattr(c, name)
        ok = np.isfinite(m)
        assert (a[ok] <= m[ok] + 1e-9).all() and (m[ok] <= b[ok] + 1e-9).all(), name


def test_container_time_value_adds_inventory_cost(instc_corridor) -> None:
    cg = cargo_class(instc_corridor, "container")
    assert cg.per_teu
    expected = (cg.value_of_time_usd_per_t_h.central
                + cg.value_usd_per_t.central * cg.inventory_rate.central / 8760.0)
    assert cg.time_value() == pytest.approx(expected)
