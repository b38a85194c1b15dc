"""Multinomial and path-size logit route choice."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from instc.assignment.logit import logit_shares, path_size, route_choice
from tests.assignment.test_corridor import DEMAND, _tiny


def test_two_routes_match_the_closed_form():
    theta, c1, c2 = 0.05, 100.0, 120.0
    p = logit_shares([c1, c2], theta)
    assert p[0] == pytest.approx(1.0 / (1.0 + math.exp(-theta * (c2 - c1))))
    assert p.sum() == pytest.approx(1.0)
    assert logit_shares([c1, c2], 0.0) == pytest.approx([0.5, 0.5])
    assert logit_shares([c1, c2], 10.0)[0] == pytest.approx(1.0)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0.0, 5000.0), min_size=1, max_size=8), st.floats(0.0, 2.0))
def test_shares_sum_to_one_and_fall_with_cost(costs, theta):
    p = logit_shares(costs, theta)
    assert p.sum() == pytest.approx(1.0) and (p >= 0).all()
    order = np.argsort(costs, kind="stable")
    assert (np.diff(p[order]) <= 1e-12).all()


def test_path_size_by_hand():
    # r1 = a + b, r2 = a + c, r3 = d; every edge 1 km except d (2 km).
    km = np.array([1.0, 1.0, 1.0, 2.0, 0.0])
    ps = path_size([(0, 1), (0, 2, 4), (3,)], km)
    assert ps == pytest.approx([0.75, 0.75, 1.0])
    # Two identical routes count as one: each gets half the share of a distinct third.
    p = logit_shares([10.0, 10.0, 10.0], 1.0, path_size=path_size([(0,), (0,), (3,)], km))
    assert p == pytest.approx([0.25, 0.25, 0.5])


def test_route_choice_on_the_tiny_corridor():
    r = route_choice(_tiny(), 2024, DEMAND, theta=0.05, k=3)
    routes = r.routes
    assert set(routes["cargo"]) == {"container", "general_cargo"}
    sums = routes.groupby(["origin", "destination", "cargo"])["share"].sum()
    assert sums.to_numpy() == pytest.approx(1.0)
    for _, g in routes.groupby("cargo"):
        if len(g) == 2:  # land and sea share nothing: path size 1, closed form
            c1, c2 = g["cost_usd_t"]
            assert g["path_size"].to_numpy() == pytest.approx([1.0, 1.0])
            assert g["share"].iloc[0] == pytest.approx(1 / (1 + math.exp(-0.05 * (c2 - c1))))
        assert (np.diff(g["cost_usd_t"].to_numpy()) >= 0).all()
    out = r.edges[r.edges["kind"] == "access"].groupby("cargo")["flow_t"].sum()
    assert out.to_dict() == pytest.approx({"container": 1.5e6, "general_cargo": 1.0e6})
    mnl = route_choice(_tiny(), 2024, DEMAND, theta=0.05, k=3, path_size_logit=False)
    assert mnl.model == "multinomial logit" and r.model == "path-size logit"
