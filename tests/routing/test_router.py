"""Routes on the tiny corridor, checked against answers worked by hand.

Tiny corridor (instc.testing), cargo "t" (no cargo.csv: no value of time):
sea A-L6-E: 2 (handling at A) + 5000 km x 0.005 = 27 USD/t; 12 h dwell + 200 h.
land 2024: A-L1-B-L2(X0)-C-L3(X1)-D-T2-road L5-E:
  money 2 + 3 + (6 + 1) + (0.3 + 5) + 3 + 19.2 = 39.5 USD/t;
  hours 12 + 2 + (4 + 8) + (0.2 + 24) + 6 + 320/60 = 61.5333 h.
land 2028 by rail (L4 opens 2027): ... + T1 4 + 300 x 0.025 = 28.8 USD/t.
"""

from __future__ import annotations

import pytest

from instc.errors import UnknownNodeError, UnreachableError
from instc.routing import Router, RoutingOptionError, shortest_route


def test_cheapest_is_the_sea_route(tiny_corridor) -> None:
    it = shortest_route(tiny_corridor, "Alpha Port", "Echo Port", year=2024, cargo="t",
                        cost="money")
    assert list(it.legs["element"]) == ["L6"]
    assert it.total("usd_per_t") == pytest.approx(27.0)
    assert it.total("hours") == pytest.approx(212.0)
    assert it.total("transfers") == 0


def test_fastest_goes_by_land_with_a_transshipment(tiny_corridor) -> None:
    it = shortest_route(tiny_corridor, "A", "E", year=2024, cargo="t", cost="hours")
    assert [e for e in it.steps["element"] if e != "A"] == ["L1", "L2", "L3", "T2", "L5"]
    assert it.total("hours") == pytest.approx(12 + 2 + 12 + 24.2 + 6 + 320 / 60)
    assert it.total("usd_per_t") == pytest.approx(39.5)
    assert it.total("border_crossings") == 2
    assert it.total("border_hours") == pytest.approx(32.0)
    assert list(it.border_crossings["border"]) == ["X0", "X1"]
    assert it.transfers["transfer_kind"].tolist() == ["transshipment"]


def test_project_opens_the_gauge_change_route(tiny_corridor) -> None:
    r = Router(tiny_corridor, 2028)
    it = r.route("A", "E", cargo="t", cost="money", avoid="mode:deep_sea")
    assert list(it.legs["element"]) == ["L1", "L2", "L3", "L4"]
    assert it.total("usd_per_t") == pytest.approx(28.8)
    assert it.total("gauge_changes") == 1
    before = shortest_route(tiny_corridor, "A", "E", year=2024, cargo="t", cost="money",
                            avoid="mode:deep_sea")
    assert before.total("usd_per_t") == pytest.approx(39.5)


def test_closing_a_border_with_a_cost_function_reroutes_without_rebuild(tiny_corridor) -> None:
    r = Router(tiny_corridor, 2028)
    graph = r.graph
    fast = r.route("A", "E", cargo="t", cost="hours")
    assert "X1" in set(fast.steps["border"])

    def closed_x1(edge):
        return None if edge["border"] == "X1" else edge["hours"]

    rerouted = r.route("A", "E", cargo="t", cost=closed_x1)
    assert list(rerouted.legs["element"]) == ["L6"]
    assert rerouted.cost == "closed_x1"
    assert r.graph is graph and tiny_corridor.graph(2028) is graph


def test_unreachable_destination_is_a_clear_error(tiny_corridor) -> None:
    with pytest.raises(UnreachableError, match="no route from 'Alpha Port'"):
        shortest_route(tiny_corridor, "A", "E", year=2024, avoid=["mode:deep_sea", "border:X1"])


def test_bad_options_name_the_value(tiny_corridor) -> None:
    with pytest.raises(UnknownNodeError, match="closest matches: Echo Port"):
        shortest_route(tiny_corridor, "A", "Ecko", year=2024)
    with pytest.raises(RoutingOptionError, match="unknown cost 'speed'"):
        shortest_route(tiny_corridor, "A", "E", year=2024, cost="speed")
    with pytest.raises(RoutingOptionError, match="unknown cargo class 'grain'"):
        shortest_route(tiny_corridor, "A", "E", year=2024, cargo="grain")
    with pytest.raises(RoutingOptionError, match="the corridor tags no straits"):
        shortest_route(tiny_corridor, "A", "E", year=2024, avoid="strait:suez")
    with pytest.raises(RoutingOptionError, match="route starts or ends"):
        shortest_route(tiny_corridor, "A", "E", year=2024, avoid="country:RU")


def test_via_a_country_and_a_node(tiny_corridor) -> None:
    it = shortest_route(tiny_corridor, "A", "E", year=2024, cargo="t", cost="money",
                        via="country:AZ")
    assert "C" in it.via
    it2 = shortest_route(tiny_corridor, "A", "E", year=2024, cargo="t", cost="money",
                         via=["Bravo"])
    assert it2.total("usd_per_t") == pytest.approx(39.5)


def test_parallel_cheaper_link_is_used_and_zero_costs_work(make_tiny) -> None:
    c = make_tiny([{"id": "L5B", "from": "D", "to": "E", "mode": "road", "distance_km": 320.0,
                    "usd_per_tkm": 0.01, "branch": "land", "source": "S1",
                    "confidence": "assumption"}])
    it = shortest_route(c, "A", "E", year=2024, cargo="t", cost="money",
                        avoid="mode:deep_sea")
    assert "L5B" in set(it.legs["element"])
    assert it.total("usd_per_t") == pytest.approx(39.5 - 320 * 0.05)
    zero = shortest_route(c, "A", "E", year=2024, cargo="t", cost=lambda e: 0.0)
    assert zero.steps["weight"].sum() == 0.0


def test_alternatives_merge_parallel_duplicates(make_tiny) -> None:
    c = make_tiny([{"id": "L5B", "from": "D", "to": "E", "mode": "road", "distance_km": 320.0,
                    "branch": "land", "source": "S1", "confidence": "assumption"}])
    alts = Router(c, 2028).alternatives("A", "E", k=5, cargo="t", cost="money")
    vias = [tuple(it.legs["element"]) for it in alts.itineraries]
    assert vias[0] == ("L6",)
    assert ("L1", "L2", "L3", "L4") in vias
    assert sum(v[-1] in ("L5", "L5B") for v in vias) == 1
    costs = alts.summary["generalized_cost"].tolist()
    assert costs == sorted(costs)


def test_time_cost_distance_series_is_cumulative(tiny_corridor) -> None:
    it = shortest_route(tiny_corridor, "A", "E", year=2024, cargo="t", cost="hours")
    s = it.time_cost_distance()
    assert s["km"].is_monotonic_increasing and s["hours"].is_monotonic_increasing
    assert s["hours"].iloc[-1] == pytest.approx(it.total("hours"))
    assert s["usd"].iloc[-1] == pytest.approx(it.total("usd_per_t"))
    borders = s[s["event"] == "border"]
    assert len(borders) == 2 and set(borders["node"]) == {"C", "D"}


def test_one_to_many(tiny_corridor) -> None:
    table = Router(tiny_corridor, 2024).costs_from("A", cargo="t", cost="money")
    row = table.set_index("destination").loc["E"]
    assert row["cost"] == pytest.approx(27.0)
    assert set(table["destination"]) == {"B", "C", "D", "E"}


def test_records_and_tables_of_an_itinerary_agree(tiny_corridor) -> None:
    it = shortest_route(tiny_corridor, "A", "E", year=2024, cargo="t", cost="hours")
    records = it.step_records()
    assert [r["element"] for r in records] == list(it.steps["element"])
    assert [r["hours"] for r in records] == pytest.approx(list(it.steps["hours"]))
    d = it.to_dict()
    assert d["steps"] == records and len(d["totals"]) == len(it.totals)
    assert {r["quantity"]: r["central"] for r in d["totals"]}["hours"] == pytest.approx(
        it.total("hours"))
    assert it.total("hours", "low") <= it.total("hours") <= it.total("hours", "high")
    with pytest.raises(KeyError, match="unknown total 'speed'"):
        it.total("speed")
    with pytest.raises(KeyError, match="unknown level 'mid'"):
        it.total("hours", "mid")
    assert it == shortest_route(tiny_corridor, "A", "E", year=2024, cargo="t", cost="hours")


def test_avoiding_a_whole_branch_leaves_it_out_of_the_comparison(tiny_corridor) -> None:
    from instc.routing import compare_routes

    with pytest.raises(UnreachableError, match=r"via 'link:L6': nothing open in 2024"):
        shortest_route(tiny_corridor, "A", "E", year=2024, cargo="t", via="link:L6",
                       avoid="link:L6")
    cmp = compare_routes(tiny_corridor, "A", "E", year=2024, cargo="t", avoid="link:L6")
    status = dict(zip(cmp.routes["route"], cmp.routes["status"], strict=True))
    assert status["sea"] == "no route in 2024" and status["land"] == "ok"
