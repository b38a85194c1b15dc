"""Facts of the embedded INSTC corridor (``src/instc/data/instc``).

These tests check the dataset, not the code: published lengths, the branches'
connectivity over the years, the Rasht–Astara project, the Suez baseline,
sources and ranges. Distances are summed along km-shortest paths of the
compiled graph restricted to one branch's links.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from instc import load_corridor, validate_corridor
from instc.network.schema import CONFIDENCES, TABLES

ORIGIN = "RU_SPB_PORT"
DESTINATION = "IN_NSA"
RAIL_AND_SEA = frozenset({"rail_1520", "rail_1435", "deep_sea"})
BRANCHES = {
    # branch -> branches whose links a trip on it may use
    "west": {"west", "common"},
    "trans_caspian": {"trans_caspian", "common"},
    "east_kti": {"east_kti", "common"},
    "east_sarakhs": {"east_sarakhs", "common"},
}


@pytest.fixture(scope="module")
def corridor():
    return load_corridor()


def _branch_links(corridor, branches: set[str]) -> set[str]:
    links = corridor.links
    return {
        lid
        for lid, tags in zip(links["id"], links["branch"], strict=True)
        if branches & _as_set(tags)
    }


def _as_set(value) -> set[str]:
    """Return the items of a list column cell (a tuple, or a ``;``-separated string)."""
    if isinstance(value, str):
        return set(filter(None, value.split(";")))
    return set(value) if isinstance(value, (tuple, list)) else set()


def shortest_km(
    corridor,
    year: int,
    links: set[str],
    *,
    modes=None,
    origin: str = ORIGIN,
    destination: str = DESTINATION,
) -> float:
    """Shortest distance (km) from ``origin`` to ``destination`` in ``year``.

    Only the given links are used, with every transfer and access/egress edge of
    the compiled graph; ``modes`` restricts the vertices' modes. Returns inf
    when the destination cannot be reached.
    """
    g = corridor.graph(year)
    edges = g.edges()
    keep = np.where(edges["kind"].eq("link"), edges["element"].isin(links), True)
    if modes is not None:
        allowed = set(modes) | {"origin", "destination"}
        keep &= edges["from_mode"].isin(allowed) & edges["to_mode"].isin(allowed)
    e = edges[keep]
    # a tiny weight on zero-length edges keeps them in the sparse matrix
    weight = np.maximum(e["km"].to_numpy(), 1e-9)
    m = csr_matrix((weight, (e["tail"], e["head"])), shape=(g.n_vertices, g.n_vertices))
    dist = dijkstra(m, indices=g.origin(origin))
    return float(dist[g.destination(destination)])


def _cell(frame: pd.DataFrame, column: str, row):
    """Return a non-empty cell, or None."""
    if column not in frame:
        return None
    value = frame[column].get(row)
    return (
        None
        if value is None or (isinstance(value, float) and math.isnan(value)) or value == ""
        else value
    )


def test_embedded_corridor_validates_without_any_problem():
    problems = validate_corridor()
    assert problems == []


def test_every_sourced_number_has_a_resolving_source_and_a_confidence(corridor):
    source_ids = set(corridor.sources["id"])
    unsourced = []
    for name, table in TABLES.items():
        frame = getattr(corridor, name, None)
        if frame is None or frame.empty:
            continue
        for col in (c for c in table.columns if c.sourced and c.name in frame):
            for i, value in frame[col.name].items():
                if pd.isna(value):
                    continue
                ids = _as_set(_cell(frame, f"{col.name}_source", i))
                if not ids:
                    ids = _as_set(_cell(frame, "source", i))
                conf = _cell(frame, f"{col.name}_confidence", i) or _cell(frame, "confidence", i)
                if not ids or not ids <= source_ids or conf not in CONFIDENCES:
                    unsourced.append((name, i, col.name, sorted(ids), conf))
    assert unsourced == []


def test_ranges_bracket_the_central_values(corridor):
    bad = []
    for name, table in TABLES.items():
        frame = getattr(corridor, name, None)
        if frame is None or frame.empty:
            continue
        for col in (c for c in table.columns if c.sourced and c.name in frame):
            for suffix, ok in (("_low", lambda v, b: b <= v), ("_high", lambda v, b: b >= v)):
                if col.name + suffix not in frame:
                    continue
                both = frame[[col.name, col.name + suffix]].dropna()
                for i, (v, b) in both.iterrows():
                    if not ok(v, b):
                        bad.append((name, i, col.name + suffix, v, b))
    assert bad == []


def test_western_rail_chain_with_rasht_astara_is_the_published_7200_km(corridor):
    year = int(corridor.projects.set_index("id").loc["rasht_astara", "year"])
    km = shortest_km(corridor, year, _branch_links(corridor, BRANCHES["west"]), modes=RAIL_AND_SEA)
    assert km == pytest.approx(7200, rel=0.05)
    # the chain really runs by rail through Astara and Rasht, not by sea via Suez
    assert km < corridor.links.set_index("id").loc["O03", "distance_km"]


@pytest.mark.parametrize("branch", sorted(BRANCHES))
@pytest.mark.parametrize("year", [2022, 2024, 2030])
def test_each_branch_connects_st_petersburg_to_nhava_sheva(corridor, branch, year):
    km = shortest_km(corridor, year, _branch_links(corridor, BRANCHES[branch]))
    assert math.isfinite(km)


@pytest.mark.parametrize(
    ("branch", "first_year"),
    [("east_kti", 2014), ("east_sarakhs", 2013)],
)
def test_branches_open_in_the_year_their_last_link_opened(corridor, branch, first_year):
    # KTI railway December 2014; Bolashak-Serhetyaka May 2013 (the western branch
    # was open by road before its Astara rail link of 2018)
    links = _branch_links(corridor, BRANCHES[branch])
    assert math.isinf(shortest_km(corridor, first_year - 1, links))
    assert math.isfinite(shortest_km(corridor, first_year, links))


def test_western_branch_is_not_all_rail_before_rasht_astara(corridor):
    year = int(corridor.projects.set_index("id").loc["rasht_astara", "year"])
    links = _branch_links(corridor, BRANCHES["west"])
    assert math.isinf(shortest_km(corridor, year - 1, links, modes=RAIL_AND_SEA))
    assert math.isfinite(shortest_km(corridor, year, links, modes=RAIL_AND_SEA))


def test_rasht_astara_railway_opens_in_its_project_year(corridor):
    year = int(corridor.projects.set_index("id").loc["rasht_astara", "year"])
    links = corridor.links.set_index("id")
    assert links.loc["W10", "project"] == "rasht_astara"
    assert {links.loc["W10", "from"], links.loc["W10", "to"]} == {"IR_ASTARA", "IR_RASHT"}
    assert "W10" not in corridor.graph(year - 1).link_ids()
    assert "W10" in corridor.graph(year).link_ids()
    assert "W10" in corridor.graph(year + 5).link_ids()


def test_rasht_astara_year_range_spans_the_sources(corridor):
    p = corridor.projects.set_index("id").loc["rasht_astara"]
    assert p["year_low"] <= 2027 <= p["year_high"]
    assert p["year_high"] - p["year_low"] >= 3


def test_suez_route_is_longer_than_every_instc_branch(corridor):
    links = corridor.links.set_index("id")
    suez = links.loc["O03", "distance_km"]
    cape = links.loc["O04", "distance_km"]
    assert suez < cape
    for branch, tags in BRANCHES.items():
        km = shortest_km(corridor, 2030, _branch_links(corridor, tags))
        assert km < suez, branch


def test_suez_baseline_is_the_searoute_distance(corridor):
    links = corridor.links.set_index("id")
    assert links.loc["O03", "distance_km"] == pytest.approx(14119, abs=1)
    assert links.loc["O04", "distance_km"] == pytest.approx(22393, abs=1)
    assert _as_set(links.loc["O03", "branch"]) == {"suez"}


def test_every_land_link_between_countries_has_a_border_crossing(corridor):
    nodes = corridor.nodes.set_index("id")["country"]
    links = corridor.links
    land = links[links["mode"].isin(["rail_1520", "rail_1435", "road"])]
    crossing = land[land["from"].map(nodes) != land["to"].map(nodes)]
    assert set(crossing["id"]) <= set(corridor.borders["link"])
    assert len(crossing) >= 8


def test_rail_gauges_follow_the_countries(corridor):
    nodes = corridor.nodes.set_index("id")["country"]
    links = corridor.links
    for _, link in links[links["mode"].eq("rail_1435")].iterrows():
        assert {nodes[link["from"]], nodes[link["to"]]} == {"IR"}, link["id"]
    for _, link in links[links["mode"].eq("rail_1520")].iterrows():
        countries = {nodes[link["from"]], nodes[link["to"]]}
        # 1520 mm reaches into Iran only at Astara, Sarakhs and Incheh Borun
        if "IR" in countries:
            assert {link["from"], link["to"]} & {"IR_ASTARA", "IR_SARAKHS", "IR_INCHEH"}


def test_gauge_changes_at_the_iranian_rail_borders(corridor):
    t = corridor.transfers
    gauge = t[t["kind"].str.startswith("gauge_change")]
    assert {"IR_ASTARA", "IR_SARAKHS", "IR_INCHEH"} <= set(gauge["node"])
    astara = t[t["node"].eq("IR_ASTARA")]
    # today's western route: 1520 mm wagons to trucks at Astara (IR)
    assert ((astara["kind"] == "transshipment") & (astara["to_mode"] == "road")).any()


def test_astara_terminal_upgrade_replaces_the_1_mt_terminal(corridor):
    # 1 Mt/yr now (Azerbaijani government, October 2025); 2 Mt in the 2019-20 statements
    t = corridor.transfers.set_index("id")
    assert t.loc["T_IR_ASTARA_RAIL_ROAD", "capacity_t"] == 1e6
    assert t.loc["T_IR_ASTARA_RAIL_ROAD", "capacity_t_high"] == 2e6
    assert t.loc["T_IR_ASTARA_RAIL_ROAD", "closes"] == "astara_terminal_5mt"
    assert t.loc["T_IR_ASTARA_RAIL_ROAD_2", "capacity_t"] == 5e6
    assert t.loc["T_IR_ASTARA_RAIL_ROAD_2", "project"] == "astara_terminal_5mt"


def test_link_distances_are_not_shorter_than_the_great_circle(corridor):
    nodes = corridor.nodes.set_index("id")
    lat = np.radians(nodes["lat"])
    lon = np.radians(nodes["lon"])
    links = corridor.links
    a, b = links["from"], links["to"]
    h = (
        np.sin((lat[b].values - lat[a].values) / 2) ** 2
        + np.cos(lat[a].values)
        * np.cos(lat[b].values)
        * np.sin((lon[b].values - lon[a].values) / 2) ** 2
    )
    gc = 2 * 6371.0088 * np.arcsin(np.sqrt(h))
    for col in ("distance_km", "distance_km_low"):
        short = links[links[col].to_numpy() < gc - 5]
        assert short.empty, short[["id", col]]


@pytest.mark.parametrize(
    ("scenario", "total"),
    [
        ("target-2030", 45e6),
        ("long-term-100", 100e6),
        ("edb-2030-low", 14.6e6),
        ("edb-2030-high", 24.7e6),
        ("mintrans-2030", 41e6),
        ("rzd-2030-rail", 20e6),
    ],
)
def test_demand_scenarios_add_up_to_their_published_totals(corridor, scenario, total):
    d = corridor.demand[corridor.demand["scenario"].eq(scenario)]
    assert d["tonnes"].sum() == pytest.approx(total, rel=0.01)
    assert set(d["cargo"]) <= set(corridor.cargo["id"])


def test_observed_demand_is_the_published_2022_and_2023_volumes(corridor):
    d = corridor.demand[corridor.demand["scenario"].eq("observed")]
    by_year = d.groupby("year")["tonnes"].sum()
    assert by_year[2022] == pytest.approx(10.21e6 + 3.57e6)
    assert by_year[2023] == pytest.approx(11.69e6 + 5.54e6)


def test_services_derive_capacity_from_fleet(corridor):
    s = corridor.services
    assert "capacity_t" not in s.columns
    assert (s["round_trip_days"] > 0).all()
    ice = s.set_index("id").loc["S01", "operating_days"]
    assert ice < 365  # winter ice in the northern Caspian and the Volga channel


@pytest.mark.parametrize("node", ["IN_NSA", "IN_BOM", "IN_MUN"])
def test_indian_destination_ports_charge_for_unloading(corridor, node):
    # a trip ending at an Indian port by sea pays the port's port_handling transfer
    t = corridor.transfers
    ports = t[t["node"].eq(node) & t["kind"].eq("port_handling")]
    assert len(ports) >= 1
    assert (ports["hours"] > 0).all() and (ports["usd_per_teu"] > 0).all()


def test_iranian_caspian_thc_is_70_percent_of_the_southern_table(corridor):
    t = corridor.transfers.set_index("id")
    south = t.loc["T_IR_SRP_RAIL", "usd_per_teu"]
    for tid in ("T_IR_ANZALI", "T_IR_CASPIAN_ROAD", "T_IR_AMIRABAD_RAIL", "T_IR_NOWSHAHR"):
        assert t.loc[tid, "usd_per_teu"] == pytest.approx(0.7 * south, abs=1)


def test_a_trip_ending_at_nhava_sheva_by_sea_pays_unloading(corridor):
    from instc.routing import shortest_route

    it = shortest_route(corridor, "St Petersburg", "Nhava Sheva", year=2024,
                        branches="suez")
    steps = it.steps
    last = steps.iloc[-1]
    assert last["to_node"] == "IN_NSA" and last["hours"] >= 19


def test_sailings_make_cargo_wait_on_the_caspian_and_deep_sea_links(corridor):
    from instc.routing import shortest_route

    suez = shortest_route(corridor, "St Petersburg", "Nhava Sheva", year=2024,
                          branches="suez")
    # FESCO's direct line about twice a month: about a week's wait on average.
    assert 120 <= suez.total("wait_hours") <= 240
    caspian = shortest_route(corridor, "Astrakhan", "Bandar Anzali", year=2024,
                             via="link:C01")
    assert 0 < caspian.total("wait_hours") < 48


def test_published_door_to_door_figures_are_kept_apart_from_the_inputs(corridor):
    # The checks (instc observed) must not cite a page the corridor's numbers come from.
    from instc.routing.observed import load_observations

    def key(url: object) -> str:
        return str(url).strip().rstrip("/").split("://")[-1].removeprefix("www.")

    inputs = {key(u) for u in corridor.sources["url"] if isinstance(u, str) and u}
    checks = load_observations()
    shared = sorted(i for i, u in zip(checks["id"], checks["url"], strict=True)
                    if u and key(u) in inputs)
    assert not shared, f"observations whose page is also a corridor source: {shared}"
