"""Empty moves where the trade is unbalanced: a share of the line haul, from cargo.csv."""

from __future__ import annotations

import pandas as pd
import pytest

from instc import Corridor
from instc.routing import compare_routes, shortest_route
from instc.testing import tiny_corridor_frames, tiny_corridor_meta

SRC = {"source": "S1", "confidence": "assumption"}


def tiny(share: float | None) -> Corridor:
    frames = tiny_corridor_frames()
    row = {"id": "container", "name": "Containers", "unit": "TEU", "tonnes_per_teu": 10.0,
           **SRC}
    if share is not None:
        row |= {"empty_return_share": share, "empty_return_share_low": share / 2,
                "empty_return_share_high": 2 * share}
    frames["cargo"] = pd.DataFrame([row])
    return Corridor.from_frames(frames, meta=tiny_corridor_meta())


def test_the_class_share_is_charged_on_the_line_haul() -> None:
    base = shortest_route(tiny(None), "A", "E", year=2024, branches="sea")
    with_share = shortest_route(tiny(0.2), "A", "E", year=2024, branches="sea")
    # Sea leg: 5,000 km × 0.005 USD/t-km × 10 t/TEU = 250 USD/TEU of line haul.
    assert with_share.total("usd_per_teu") == pytest.approx(base.total("usd_per_teu") + 50.0)
    # The class's range goes into the low and high totals.
    assert with_share.total("usd_per_teu", "low") == pytest.approx(
        base.total("usd_per_teu", "low") + 25.0)
    assert with_share.total("usd_per_teu", "high") == pytest.approx(
        base.total("usd_per_teu", "high") + 100.0)
    assert any("20% of the line haul" in n and "cargo.csv" in n for n in with_share.notes)
    assert any("not included" in n for n in base.notes)


def test_the_option_overrides_the_class_share() -> None:
    base = shortest_route(tiny(None), "A", "E", year=2024, branches="sea")
    off = shortest_route(tiny(0.2), "A", "E", year=2024, branches="sea", empty_return_share=0)
    assert off.total("usd_per_teu") == pytest.approx(base.total("usd_per_teu"))
    half = shortest_route(tiny(None), "A", "E", year=2024, branches="sea",
                          empty_return_share=0.5)
    assert half.total("usd_per_teu") == pytest.approx(base.total("usd_per_teu") + 125.0)
    assert half.total("usd_per_teu", "high") == pytest.approx(
        base.total("usd_per_teu", "high") + 125.0)


def test_the_share_is_an_input_of_the_sensitivity_table() -> None:
    cmp = compare_routes(tiny(0.2), "A", "E", year=2024)
    rows = cmp.sensitivity[cmp.sensitivity["parameter"] == "empty return share"]
    assert not rows.empty
    usd = rows[rows["metric"] == "usd"].set_index("route")
    for route, r in usd.iterrows():
        assert r["at_low"] < r["central"] < r["at_high"], route
