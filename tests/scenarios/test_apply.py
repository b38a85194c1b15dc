from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from instc import Corridor
from instc.scenarios.apply import (
    apply_disruptions,
    apply_overrides,
    check_scenario,
    demand_for_year,
    draw_overrides,
    select_rows,
)
from instc.scenarios.spec import DemandPath, Disruption, Override, scenario_from_mapping


def test_select_rows_by_value_list_and_membership(tiny: Corridor) -> None:
    links = tiny.links
    assert links[select_rows(links, {"mode": "rail_1520"})]["id"].tolist() == ["L1", "L2", "L3"]
    assert links[select_rows(links, {"id": ["L4", "L6"]})]["id"].tolist() == ["L4", "L6"]
    assert links[select_rows(links, {"branch": "sea"})]["id"].tolist() == ["L6"]
    assert select_rows(links, {}).all()


def test_overrides_multiply_and_set(tiny: Corridor) -> None:
    c = apply_overrides(tiny, [
        Override(table="borders", column="hours", where={"id": "X1"}, multiply=0.5),
        Override(table="links", column="distance_km", where={"id": "L6"}, set=6000.0),
    ])
    assert c.borders.set_index("id").loc["X1", "hours"] == 12.0
    assert c.links.set_index("id").loc["L6", "distance_km"] == 6000.0
    assert tiny.borders.set_index("id").loc["X1", "hours"] == 24.0  # original untouched
    e = c.graph(2024).edges()
    assert e[(e.element == "L3")].hours.iloc[0] == pytest.approx(12.2)


def test_check_scenario_against_corridor(tiny: Corridor) -> None:
    s = scenario_from_mapping({
        "name": "x", "projects": {"P9": 2030},
        "overrides": [{"table": "links", "column": "mode", "set": 1},
                      {"table": "links", "column": "hours", "where": {"id": "L99"},
                       "multiply": 2},
                      {"table": "links", "column": "hours", "where": {"colour": "red"},
                       "multiply": 2}],
        "demand": {"scenario": "nope"}, "capacity_exclude_branches": ["sea", "suez"],
    })
    got = [p.message for p in check_scenario(s, tiny)]
    assert "key 'capacity_exclude_branches': no link of the corridor is tagged 'suez'; " \
        "expected one of land, sea" in got
    assert not any("'sea';" in m for m in got)
    assert "key 'projects.P9': 'P9' is not a project of the corridor; expected one of P1" in got
    assert any(m.startswith("key 'overrides.0.column': 'mode' is not a numeric parameter")
               for m in got)
    assert "key 'overrides.1.where': {'id': 'L99'} selects no row of links.csv" in got
    assert "key 'overrides.2.where.colour': links.csv has no column 'colour'" in got
    assert "key 'demand.scenario': 'nope' is not a demand scenario of the corridor; " \
        "expected one of base" in got


def test_draws_are_reproducible_and_within_bounds(tiny: Corridor) -> None:
    s = scenario_from_mapping({"name": "mc", "uncertain": [
        {"table": "borders", "column": "hours", "distribution": "triangular",
         "low": 0.5, "mode": 1.0, "high": 2.0},
        {"table": "modes", "column": "speed_kmh", "where": {"mode": "deep_sea"},
         "distribution": "uniform", "low": 0.9, "high": 1.1}]})
    a = draw_overrides(tiny, s.uncertain, np.random.default_rng(7))
    b = draw_overrides(tiny, s.uncertain, np.random.default_rng(7))
    assert a == b
    assert 0.5 <= a[0].multiply <= 2.0 and 0.9 <= a[1].multiply <= 1.1


def test_data_range_draws_each_row_within_its_range(tiny: Corridor) -> None:
    links = tiny.links.copy()
    links["distance_km_low"] = links["distance_km"] * 0.9
    links["distance_km_high"] = links["distance_km"] * 1.2
    c = Corridor.from_frames({**tiny.tables(), "links": links}, meta=tiny.meta)
    s = scenario_from_mapping({"name": "mc", "uncertain": [
        {"table": "links", "column": "distance_km", "distribution": "data_range"}]})
    draws = draw_overrides(c, s.uncertain, np.random.default_rng(1))
    assert len(draws) == 6
    for d, central in zip(draws, links["distance_km"], strict=True):
        assert 0.9 * central <= d.set <= 1.2 * central


def test_disruption_derates_for_the_overlap(tiny: Corridor) -> None:
    quarter = Disruption(table="links", where={"id": "L1"}, start=2026.0, end=2026.25,
                         action="derate", factor=0.0)
    c = apply_disruptions(tiny, [quarter], 2026)
    assert c.links.set_index("id").loc["L1", "capacity_t"] == pytest.approx(7.5e6)
    assert apply_disruptions(tiny, [quarter], 2027).links.equals(tiny.links)


def test_disruption_closing_a_whole_year_removes_the_link(tiny: Corridor) -> None:
    closure = Disruption(table="links", where={"branch": "sea"}, start=2024, end=2025.5)
    c = apply_disruptions(tiny, [closure], 2024)
    assert "L6" not in c.graph(2024).link_ids()
    c25 = apply_disruptions(tiny, [closure], 2025)
    assert "L6" in c25.graph(2025).link_ids()
    assert math.isnan(c25.links.set_index("id").loc["L6", "capacity_t"])  # no stated capacity


def test_border_closed_all_year_closes_its_link(tiny: Corridor) -> None:
    c = apply_disruptions(tiny, [Disruption(table="borders", where={"id": "X1"},
                                            start=2024, end=2025)], 2024)
    assert "L3" not in c.graph(2024).link_ids()


def test_demand_interpolates_between_years(tiny: Corridor) -> None:
    demand = tiny.demand.copy()
    later = demand.iloc[[0]].assign(id="D2", year=2030, tonnes=4e6)
    c = Corridor.from_frames({**tiny.tables(),
                              "demand": pd.concat([demand, later])},
                             meta=tiny.meta)
    path = DemandPath(scenario="base", scale=2.0)
    assert demand_for_year(c, path, 2027)["tonnes"].iloc[0] == pytest.approx(2 * 2.5e6)
    assert demand_for_year(c, path, 2020)["tonnes"].iloc[0] == pytest.approx(2 * 1e6)
    assert demand_for_year(c, path, 2040)["tonnes"].iloc[0] == pytest.approx(2 * 4e6)


def test_a_changed_corridor_does_not_reuse_compiled_graphs(tiny: Corridor) -> None:
    before = tiny.graph(2024)
    changed = apply_overrides(tiny, [Override(table="borders", column="hours",
                                              where={"id": "X1"}, multiply=2.0)])
    after = changed.graph(2024)
    assert after is not before
    e = after.edges()
    assert e[e.element == "L3"].hours.iloc[0] == pytest.approx(48.2)
