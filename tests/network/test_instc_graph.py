"""The compiled graph of the embedded INSTC corridor across years."""

from __future__ import annotations

import numpy as np
import pytest

from instc import load_corridor
from instc.network.graph import EDGE_LINK


@pytest.fixture(scope="module")
def instc():
    return load_corridor()


def test_2024_and_2028_differ_exactly_by_the_projects_between(instc) -> None:
    years = instc.project_years()
    links = instc.links
    between = {p for p, y in years.items() if 2024 < y <= 2028}
    assert between, "the INSTC corridor should have projects opening in 2025-2028"
    opened = set(links.loc[links["project"].isin(between), "id"])
    closed = {lid for lid, c in zip(links["id"], links["closes"], strict=True) if c in between}
    g24, g28 = instc.graph(2024), instc.graph(2028)
    assert g28.link_ids() - g24.link_ids() == opened
    assert g24.link_ids() - g28.link_ids() == closed
    assert opened  # e.g. the Rasht-Astara railway


def test_every_open_link_is_compiled(instc) -> None:
    for year in (2022, 2024, 2027, 2030, 2040):
        g = instc.graph(year)
        open_ids = set(instc.links.loc[instc.open_in("links", year), "id"])
        assert g.link_ids() == open_ids
        assert np.all(np.isfinite(g.hours[g.kind == EDGE_LINK]))
        assert np.all(g.hours >= 0) and np.all(np.nan_to_num(g.usd_t) >= 0)
