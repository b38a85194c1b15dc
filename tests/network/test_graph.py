"""The compiled graph of the tiny corridor, counted and priced by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from instc import Corridor
from instc.errors import UnknownNodeError
from instc.network.graph import EDGE_LINK, compile_graph, service_capacity
from instc.testing import tiny_corridor_frames, tiny_corridor_meta


def test_vertex_and_edge_counts_by_hand(tiny: Corridor) -> None:
    # 2024: A{rail_1520, deep_sea}, B{rail_1520}, C{rail_1520}, D{rail_1520, road},
    # E{road, deep_sea}: 8 mode vertices + 5 origins + 5 destinations = 18.
    # Edges: 5 open links x 2 directions + T2 x 2 + 8 access + 8 egress = 28.
    g = tiny.graph(2024)
    assert (g.n_vertices, g.n_edges) == (18, 28)
    # 2028: L4 opens (P1, 2027) and with it rail_1435 at D and E, and T1.
    g = tiny.graph(2028)
    assert (g.n_vertices, g.n_edges) == (20, 36)


def test_csr_layout_is_consistent(tiny: Corridor) -> None:
    g = tiny.graph(2028)
    assert g.indptr[0] == 0 and g.indptr[-1] == g.n_edges
    for v in range(g.n_vertices):
        assert np.all(g.tail[g.indptr[v]:g.indptr[v + 1]] == v)
    assert not g.head.flags.writeable


def test_link_edge_values_by_hand(tiny: Corridor) -> None:
    e = tiny.graph(2024).edges()
    l3 = e[(e.element == "L3") & (e.from_node == "C")].iloc[0]
    # 10 km at 50 km/h = 0.2 h, plus 24 h at border X1; 10 km x 0.03 USD/t-km + 5 USD/t fee.
    assert l3.hours == pytest.approx(24.2)
    assert l3.usd_t == pytest.approx(5.3)
    assert l3.capacity_t == 2e6  # the border's capacity binds (the link has none)
    assert l3.border == "X1"
    l1 = e[(e.element == "L1")].iloc[0]
    assert (l1.hours, l1.usd_t, l1.capacity_t) == (pytest.approx(2.0), pytest.approx(3.0), 1e7)
    assert math.isinf(e[e.element == "L6"].capacity_t.iloc[0])


def test_transfers_and_node_handling(tiny: Corridor) -> None:
    e = tiny.graph(2024).edges()
    t2 = e[e.element == "T2"]
    assert len(t2) == 2 and set(t2.from_mode) == {"rail_1520", "road"}
    assert t2.hours.tolist() == [6.0, 6.0] and t2.usd_t.tolist() == [3.0, 3.0]
    assert "T1" not in set(e.element)  # rail_1435 does not reach D before 2027
    access_a = e[(e.kind == "access") & (e.from_node == "A")]
    assert set(access_a.to_mode) == {"rail_1520", "deep_sea"}
    assert access_a.hours.tolist() == [12.0, 12.0] and access_a.usd_t.tolist() == [2.0, 2.0]
    egress_e = e[(e.kind == "egress") & (e.to_node == "E")]
    assert set(egress_e.capacity_t) == {5e6}


def test_origin_and_destination_do_not_join_modes(tiny: Corridor) -> None:
    g = tiny.graph(2024)
    o, d = g.origin("A"), g.destination("A")
    out = g.head[g.indptr[o]:g.indptr[o + 1]]
    assert {g.vertex_mode[v] for v in out} == {"rail_1520", "deep_sea"}
    assert g.indptr[d] == g.indptr[d + 1]  # nothing leaves a destination vertex


def test_unknown_vertex_messages(tiny: Corridor) -> None:
    g = tiny.graph(2024)
    with pytest.raises(UnknownNodeError, match="'Z' is not in the 2024 network"):
        g.vertex("Z", "road")
    with pytest.raises(KeyError, match="no 'rail_1435' vertex in 2024; it has"):
        g.vertex("D", "rail_1435")


def test_projects_can_be_moved_or_switched_off(tiny: Corridor) -> None:
    assert "L4" in tiny.graph(2028).link_ids()
    assert "L4" not in tiny.graph(2028, projects={"P1": None}).link_ids()
    assert "L4" not in tiny.graph(2028, projects={"P1": 2030}).link_ids()
    assert "L4" in tiny.graph(2025, projects={"P1": 2025}).link_ids()


def test_graph_is_cached_per_year_and_projects(tiny: Corridor) -> None:
    assert tiny.graph(2024) is tiny.graph(2024)
    assert tiny.graph(2024) is not tiny.graph(2028)
    assert tiny.graph(2028) is not tiny.graph(2028, projects={"P1": None})


def test_service_capacity_is_derived() -> None:
    frame = pd.DataFrame({"fleet_size": [4.0], "unit_capacity_t": [5000.0],
                          "operating_days": [300.0], "round_trip_days": [10.0]})
    # 4 vessels x 5,000 t x 30 round trips = 600,000 t/year each way.
    assert service_capacity(frame).iloc[0] == pytest.approx(600_000.0)


def test_services_cap_their_links() -> None:
    frames = tiny_corridor_frames()
    frames["services"] = pd.DataFrame([{
        "id": "SV1", "mode": "deep_sea", "links": "L6", "fleet_size": 2,
        "unit_capacity_t": 1000, "round_trip_days": 73, "operating_days": 365,
        "source": "S1", "confidence": "assumption"}])
    c = Corridor.from_frames(frames, meta=tiny_corridor_meta())
    e = c.graph(2024).edges()
    assert e[e.element == "L6"].capacity_t.tolist() == pytest.approx([10_000.0, 10_000.0])


@settings(max_examples=60, deadline=None)
@given(opens=st.lists(st.one_of(st.none(), st.integers(2015, 2035)), min_size=6, max_size=6),
       year=st.integers(2010, 2040))
def test_compiling_never_loses_an_open_link(opens: list[int | None], year: int) -> None:
    frames = tiny_corridor_frames()
    links = frames["links"].copy()
    links["project"] = ""
    links["opens"] = [str(o) if o is not None else "" for o in opens]
    frames["links"] = links
    c = Corridor.from_frames(frames, meta=tiny_corridor_meta())
    g = compile_graph(c, year)
    expected = {lid for lid, o in zip(links["id"], opens, strict=True)
                if o is None or o <= year}
    assert g.link_ids() == expected
    n_link_edges = int(np.sum(g.kind == EDGE_LINK))
    assert n_link_edges == 2 * len(expected)


def test_port_handling_applies_when_a_trip_starts_or_ends_at_sea() -> None:
    frames = tiny_corridor_frames()
    frames["transfers"] = pd.concat([frames["transfers"], pd.DataFrame([{
        "id": "PA", "node": "A", "from_mode": "rail_1520", "to_mode": "deep_sea",
        "kind": "port_handling", "hours": 48.0, "usd_per_t": 8.0, "usd_per_teu": 150.0,
        "source": "S1", "confidence": "assumption"}])])
    c = Corridor.from_frames(frames, meta=tiny_corridor_meta())
    e = c.graph(2024).edges()
    to_sea = e[(e.kind == "access") & (e.from_node == "A") & (e.to_mode == "deep_sea")].iloc[0]
    to_rail = e[(e.kind == "access") & (e.from_node == "A") & (e.to_mode == "rail_1520")].iloc[0]
    # node A's own handling (2 USD/t, 12 h) plus loading the ship (8 USD/t, 48 h)
    assert (to_sea.usd_t, to_sea.hours, to_sea.usd_teu) == (10.0, 60.0, 150.0)
    assert (to_rail.usd_t, to_rail.hours) == (2.0, 12.0)


def test_edge_inputs_carry_ranges_and_make_the_central_values(tiny: Corridor) -> None:
    frames = tiny_corridor_frames()
    links = frames["links"]
    links.loc[links["id"] == "L3", ["distance_km_low", "distance_km_high"]] = [8.0, 15.0]
    g = Corridor.from_frames(frames, meta=tiny_corridor_meta()).graph(2024)
    e = next(i for i in range(g.n_edges) if g.element[i] == "L3")
    np.testing.assert_allclose(g.inputs["km"][:, e], [8.0, 10.0, 15.0])
    np.testing.assert_allclose(g.inputs["speed"][:, e], [50.0, 50.0, 50.0])  # the mode's
    np.testing.assert_allclose(g.inputs["border_h"][:, e], [24.0, 24.0, 24.0])  # X1
    assert math.isnan(g.inputs["link_h"][1, e])  # no hours given: km / speed
    # Central row through the formulas: 10 / 50 + 24 h; 10 x 0.03 + 5 USD/t.
    assert (g.hours[e], g.usd_t[e], g.km[e]) == (pytest.approx(24.2), pytest.approx(5.3), 10.0)
    assert all(a.shape == (3, g.n_edges) and not a.flags.writeable
               for a in g.inputs.values())
    t2 = next(i for i in range(g.n_edges) if g.element[i] == "T2")
    assert g.inputs["transfer_h"][1, t2] + g.inputs["node_h"][1, t2] == g.hours[t2]


def test_port_handling_on_one_water_mode_prices_the_port_call_without_a_loop() -> None:
    from instc import Corridor
    from instc.routing import shortest_route
    from instc.testing import tiny_corridor_frames, tiny_corridor_meta

    frames = tiny_corridor_frames()
    unload = {"id": "TE", "node": "E", "from_mode": "deep_sea", "to_mode": "deep_sea",
              "kind": "port_handling", "hours": 19.0, "usd_per_t": 8.0,
              "source": "S1", "confidence": "assumption"}
    plain = Corridor.from_frames(tiny_corridor_frames(), meta=tiny_corridor_meta())
    frames["transfers"] = pd.concat([frames["transfers"], pd.DataFrame([unload])],
                                    ignore_index=True)
    c = Corridor.from_frames(frames, meta=tiny_corridor_meta())
    g = c.graph(2024)
    assert not (g.tail == g.head).any()
    assert g.n_edges == plain.graph(2024).n_edges
    with_call = shortest_route(c, "A", "E", year=2024, branches="sea")
    without = shortest_route(plain, "A", "E", year=2024, branches="sea")
    assert with_call.total("hours") == pytest.approx(without.total("hours") + 19.0)
    assert with_call.total("usd_per_t") == pytest.approx(without.total("usd_per_t") + 8.0)
