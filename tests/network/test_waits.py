"""Waiting for departures on scheduled links: half the interval between departures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from instc import Corridor
from instc.errors import CorridorValidationError
from instc.network.graph import EDGE_LINK, service_departures
from instc.routing import edge_factors, shortest_route
from instc.testing import tiny_corridor_frames, tiny_corridor_meta

SRC = {"source": "S1", "confidence": "assumption"}


def tiny(services: list[dict[str, object]], link_departures: float | None = None) -> Corridor:
    frames = tiny_corridor_frames()
    if services:
        frames["services"] = pd.DataFrame(services)
    if link_departures is not None:
        links = frames["links"].copy()
        links["departures_per_week"] = [None] * 5 + [link_departures]
        frames["links"] = links
    return Corridor.from_frames(frames, meta=tiny_corridor_meta())


SHIPS = {"id": "V1", "mode": "deep_sea", "links": "L6", "fleet_size": 2, "fleet_size_low": 1,
         "fleet_size_high": 4, "unit_capacity_t": 20000, "round_trip_days": 14,
         "round_trip_days_low": 10, "round_trip_days_high": 20, "limits_links": True, **SRC}


def wait_on(corridor: Corridor, link: str) -> list[float]:
    g = corridor.graph(2024)
    f = edge_factors(corridor, g)
    edges = [i for i in range(g.n_edges) if g.kind[i] == EDGE_LINK and g.element[i] == link]
    waits = [list(f.values["wait_h"][:, i]) for i in edges]
    assert len(waits) == 2 and waits[0] == waits[1]  # both directions
    return waits[0]


def test_departures_follow_fleet_and_round_trip() -> None:
    row = {**SHIPS, "links": ("L6",)}
    # 2 ships x 7 / 14 days = 1 departure a week; low: 1 x 7 / 20; high: 4 x 7 / 10.
    assert service_departures(row) == pytest.approx((0.35, 1.0, 2.8))
    two = {**row, "links": ("L6", "L5")}
    assert service_departures(two) == pytest.approx((0.175, 0.5, 1.4))
    given = {**row, "departures_per_week": 3.0}
    assert service_departures(given) == (3.0, 3.0, 3.0)


def test_wait_is_half_the_interval_between_departures() -> None:
    c = tiny([SHIPS])
    # One departure a week: 168 h between sailings, 84 h waited on average.
    assert wait_on(c, "L6") == pytest.approx([84 / 2.8, 84.0, 84 / 0.35])
    assert wait_on(c, "L1") == [0.0, 0.0, 0.0]


def test_departures_of_services_and_link_add_up() -> None:
    c = tiny([SHIPS, {**SHIPS, "id": "V2", "departures_per_week": 1.0}], link_departures=2.0)
    # 1 (V1) + 1 (V2) + 2 (the link's own sailings) = 4 a week: 21 h.
    assert wait_on(c, "L6")[1] == pytest.approx(21.0)


def test_a_service_that_does_not_limit_its_links_adds_no_wait() -> None:
    c = tiny([{**SHIPS, "limits_links": False}])
    assert wait_on(c, "L6") == [0.0, 0.0, 0.0]


def test_the_route_waits_once_before_the_sailing() -> None:
    plain = shortest_route(tiny([]), "A", "E", year=2024, branches="sea")
    ships = shortest_route(tiny([SHIPS]), "A", "E", year=2024, branches="sea")
    assert ships.total("hours") == pytest.approx(plain.total("hours") + 84.0)
    assert ships.total("wait_hours") == pytest.approx(84.0)
    assert ships.total("wait_hours", "high") == pytest.approx(240.0)
    series = ships.time_cost_distance()
    waiting = series[series["event"] == "waiting"]
    assert list(waiting["node"]) == ["A"] and float(waiting["km"].iloc[0]) == 0.0
    assert float(series["hours"].iloc[-1]) == pytest.approx(ships.total("hours"))


TRAINS = {"id": "T1", "mode": "rail_1520", "links": "L1;L2;L3", "fleet_size": 1,
          "unit_capacity_t": 1500, "unit_capacity_teu": 124, "round_trip_days": 30,
          "departures_per_week": 0.7, "departures_per_week_low": 0.35, "boarding_links": "L2",
          "limits_links": False, **SRC}


def teu_wait_on(corridor: Corridor, link: str) -> list[float]:
    g = corridor.graph(2024)
    f = edge_factors(corridor, g)
    edges = [i for i in range(g.n_edges) if g.kind[i] == EDGE_LINK and g.element[i] == link]
    return list(f.values["wait_teu_h"][:, edges[0]])


def test_a_container_train_makes_boxes_wait_once_where_they_board() -> None:
    c = tiny([TRAINS])
    # 0.7 departures a week: 84 / 0.7 = 120 h, only on the boarding link, only for boxes.
    assert teu_wait_on(c, "L2") == pytest.approx([120.0, 120.0, 240.0])
    assert np.isnan(teu_wait_on(c, "L1")).all() and np.isnan(teu_wait_on(c, "L3")).all()
    assert wait_on(c, "L2") == [0.0, 0.0, 0.0]
    boxes = shortest_route(c, "A", "E", year=2024, branches="land")
    grain = shortest_route(c, "A", "E", year=2024, cargo="t", branches="land")
    plain = shortest_route(tiny([]), "A", "E", year=2024, branches="land")
    assert boxes.total("wait_hours") == pytest.approx(120.0)
    assert boxes.total("hours") == pytest.approx(plain.total("hours") + 120.0)
    assert grain.total("wait_hours") == 0.0


def test_a_general_train_makes_every_cargo_wait_where_it_boards() -> None:
    c = tiny([{**TRAINS, "unit_capacity_teu": None}])
    assert wait_on(c, "L2") == pytest.approx([120.0, 120.0, 240.0])
    assert wait_on(c, "L1") == [0.0, 0.0, 0.0]


def test_boarding_links_are_checked() -> None:
    with pytest.raises(CorridorValidationError, match="not one of the service's links"):
        tiny([{**TRAINS, "boarding_links": "L5"}])
    with pytest.raises(CorridorValidationError, match="limits its links"):
        tiny([{**TRAINS, "limits_links": True}])
