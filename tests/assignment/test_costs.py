from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad

from instc.assignment import LinkCosts, bpr, conical

FLOWS = np.array([0.0, 30.0, 100.0, 170.0, 400.0])


def costs() -> list[LinkCosts]:
    n = len(FLOWS)
    return [LinkCosts.bpr(np.full(n, 10.0), np.full(n, 100.0), alpha=0.15, beta=4.0,
                          fixed=np.full(n, 2.0)),
            LinkCosts.bpr(np.full(n, 10.0), np.full(n, 100.0), alpha=0.5, beta=2.5),
            LinkCosts.conical(np.full(n, 10.0), np.full(n, 100.0), alpha=4.0),
            LinkCosts.davidson(np.full(n, 10.0), np.full(n, 100.0), j=0.25, mu=0.9)]


def test_bpr_by_hand():
    assert float(bpr(100.0, 10.0, 100.0)) == 11.5
    assert float(bpr(200.0, 10.0, 100.0, alpha=1.0, beta=2.0)) == 50.0
    c = LinkCosts.bpr([10.0], [100.0], alpha=[0.15], beta=[4.0], fixed=[2.0])
    assert c.cost([100.0])[0] == 13.5


def test_conical_anchor_points():
    assert float(conical(0.0, 10.0, 100.0)) == pytest.approx(10.0)
    assert float(conical(100.0, 10.0, 100.0)) == pytest.approx(20.0)


@pytest.mark.parametrize("k", range(4))
def test_derivative_and_integral_are_consistent(k):
    c = costs()[k]
    h = 1e-4
    for so in (False, True):
        num = (c.cost(FLOWS + h, system_optimum=so) - c.cost(FLOWS - h, system_optimum=so)) \
            / (2 * h)
        num[0] = (c.cost(FLOWS + h, system_optimum=so)[0]
                  - c.cost(FLOWS, system_optimum=so)[0]) / h
        np.testing.assert_allclose(c.derivative(FLOWS, system_optimum=so), num,
                                   rtol=1e-5, atol=1e-8)
    for i, v in enumerate(FLOWS):
        one = c.take([i])
        expected = quad(lambda x, one=one: one.cost([x])[0], 0.0, v)[0]
        assert one.objective([v]) == pytest.approx(expected, rel=1e-9, abs=1e-9)
        assert one.objective([v], system_optimum=True) == pytest.approx(v * one.cost([v])[0])


def test_marginal_cost():
    c = LinkCosts.bpr([10.0], [100.0], alpha=[1.0], beta=[1.0])
    # t = 10 + 0.1 v, marginal = t + v t' = 10 + 0.2 v
    assert c.cost([50.0], system_optimum=True)[0] == pytest.approx(20.0)


def test_bad_parameters():
    with pytest.raises(ValueError, match="capacity of link 0"):
        LinkCosts.bpr([1.0], [0.0])
    with pytest.raises(ValueError, match="alpha > 1"):
        LinkCosts.conical([1.0], [1.0], alpha=1.0)


def test_marginal_cost_derivative_is_finite_at_tiny_flows_below_power_two():
    # v t''(v) = (beta - 1) t'(v) for BPR; t'' alone overflows at v = 5e-324 with beta < 2.
    c = LinkCosts.bpr([1.0, 1.0, 1.0], [1.0, 1.0, 1.0], alpha=[1.0, 1.0, 1.0],
                      beta=[0.5, 1.5, 4.0])
    for v in (0.0, 5e-324, 1e-300, 0.25):
        d = c.derivative(np.full(3, v), system_optimum=True)
        assert np.isfinite(d).all(), v
    v = 0.25  # 2 t' + v t'' = (beta + 1) t' = (beta + 1) beta v^(beta - 1)
    expected = [(b + 1) * b * v ** (b - 1) for b in (0.5, 1.5, 4.0)]
    np.testing.assert_allclose(c.derivative(np.full(3, v), system_optimum=True), expected)
