from __future__ import annotations

import pytest

from instc import Corridor
from instc.report.model import ReportInput
from instc.report.sections import DEFAULT_SECTIONS
from instc.report.sections.branches import branches_table
from instc.report.sections.capacity import declared_capacity_by_year, demand_totals
from instc.report.sections.map import map_section
from instc.report.sections.projects import project_elements
from instc.report.sections.sources import citations


def test_every_default_section_builds_on_the_tiny_corridor(tiny: Corridor) -> None:
    inp = ReportInput(tiny, 2024)
    sections = [build(inp) for build in DEFAULT_SECTIONS]
    ids = [s.id for s in sections if s is not None]
    # No results folder: the sections that read one are left out.
    assert ids == ["overview", "map", "comparison", "time_cost_distance", "branches",
                   "crossings", "capacity", "projects", "assumptions", "sources"]
    for s in sections:
        if s is None:
            continue
        assert s.title
        assert s.intro or s.charts or s.tables, f"section {s.id} is empty"


def test_map_draws_open_and_planned_links_and_lists_the_ones_it_cannot_draw(
        tiny: Corridor) -> None:
    section = map_section(ReportInput(tiny, 2024))
    links = {f["properties"]["id"]: f["properties"] for f in section.data["links"]["features"]}
    assert links["L1"]["state"] == "open"
    assert links["L4"]["state"] == "planned" and links["L4"]["opens"] == 2027
    # L6 is 5,000 km between ends ~560 km apart: a straight line would cross land.
    assert "L6" not in links
    assert section.tables[0].frame["id"].tolist() == ["L6"]
    assert {f["properties"]["id"] for f in section.data["borders"]["features"]} == {"X0", "X1"}
    gauge = [f["properties"]["id"] for f in section.data["nodes"]["features"]
             if f["properties"]["gauge_change"]]
    assert gauge == ["D"]
    assert section.data["countries"]["features"], "no country outlines near the corridor"
    static = section.exports[0].figure["data"]
    assert {t.get("name") for t in static} >= {"rail_1520", "opens after 2024", "nodes"}
    later = map_section(ReportInput(tiny, 2027)).data["links"]["features"]
    assert {f["properties"]["id"]: f["properties"]["state"] for f in later}["L4"] == "open"


def test_declared_capacity_follows_the_years_elements_open(tiny: Corridor) -> None:
    caps = declared_capacity_by_year(ReportInput(tiny, 2024, years=(2025, 2028)))
    by = {(r["year"], r["id"]): r["capacity_t"] for r in caps.to_dict("records")}
    assert by[(2025, "L1")] == 10e6
    assert by[(2028, "E")] == 5e6
    assert by[(2025, "X1")] == 2e6
    assert (2025, "L2") not in by  # no declared capacity


def test_demand_totals_sum_each_scenario(tiny: Corridor) -> None:
    totals = demand_totals(ReportInput(tiny, 2024))
    assert totals[["scenario", "year", "pairs", "tonnes"]].values.tolist() == [
        ["base", 2024, 1, 1e6]]


def test_tiny_branches_projects_and_citations(tiny: Corridor) -> None:
    inp = ReportInput(tiny, 2027)
    branches = branches_table(inp).set_index("branch")
    assert branches.loc["land", "km"] == pytest.approx(100 + 200 + 10 + 300 + 320)
    assert branches.loc["land", "borders"] == "Bravo-Charlie; Charlie-Delta"
    assert branches.loc["land", "gauge_changes"] == "Delta"
    assert branches.loc["sea", "km"] == 5000
    elements = project_elements(inp).set_index("id")
    assert elements.loc["P1", "opens"] == "L4"
    cited = citations(inp).set_index("id")
    assert cited.loc["S1", "citations"] > 20


# -- the embedded INSTC corridor ------------------------------------------------

def test_instc_capacity_steps_when_samur_yalama_is_rebuilt(instc_corridor: Corridor) -> None:
    caps = declared_capacity_by_year(ReportInput(instc_corridor, 2024))
    year = int(instc_corridor.projects.set_index("id").loc["samur2_yalama2", "year"])
    old = caps[caps["id"] == "W06"]
    new = caps[caps["id"] == "W06B"]
    assert old["year"].max() == year - 1 and new["year"].min() == year
    assert new["capacity_t"].iat[0] > old["capacity_t"].iat[0]
    assert caps["year"].min() == 2022 and caps["year"].max() == 2040


def test_instc_demand_totals_have_the_45_mt_target(instc_corridor: Corridor) -> None:
    totals = demand_totals(ReportInput(instc_corridor, 2024))
    target = totals[(totals["scenario"] == "target-2030") & (totals["year"] == 2030)]
    assert target["tonnes"].iat[0] == pytest.approx(45e6, rel=1e-6)
    routes = totals[totals["scenario"] == "observed-routes"]
    assert (routes["pairs"] == 1).all() and routes["id"].ne("").all()


def test_instc_map_leaves_out_the_all_sea_routes_and_draws_rasht_astara_as_planned(
        instc_corridor: Corridor) -> None:
    section = map_section(ReportInput(instc_corridor, 2024))
    not_drawn = section.tables[0].frame
    assert set(not_drawn["branch"]) >= {"suez", "cape"}
    states = {f["properties"]["project"]: f["properties"]["state"]
              for f in section.data["links"]["features"] if f["properties"]["project"]}
    assert states.get("rasht_astara") == "planned"
    assert set(section.data["branches"]) == set(instc_corridor.meta.branches)


def test_instc_observed_section_sets_the_model_beside_published_figures(
        instc_corridor: Corridor) -> None:
    from instc.report.sections.observed import observed_section
    from instc.routing.observed import check_observations

    section = observed_section(ReportInput(instc_corridor, 2024))
    assert section is not None and section.id == "observed"
    table = section.tables[0]
    expected = check_observations(instc_corridor)
    assert list(table.frame["id"]) == list(expected["id"])
    assert table.frame["model"].tolist() == pytest.approx(expected["model"].tolist())
    # One marker per routed figure, at model ÷ published.
    xs = [x for trace in section.charts[0].figure["data"] for x in trace["x"]]
    assert sorted(xs) == pytest.approx(sorted(expected["ratio"].round(3)))
    assert "median ratio" in section.intro[1]


def test_observed_section_is_left_out_for_other_corridors(tiny: Corridor) -> None:
    from instc.report.sections.observed import observed_section

    assert observed_section(ReportInput(tiny, 2024)) is None


def test_labels_of_close_points_take_different_positions() -> None:
    import pandas as pd

    from instc.report.sections.comparison import LABEL_POSITIONS, label_positions

    # Three branches within a day and USD 100 of each other, one far away.
    rows = pd.DataFrame({"days": [21.5, 21.7, 21.8, 33.0],
                         "usd": [3700.0, 3750.0, 3600.0, 1500.0]})
    pos = label_positions(rows, "days", "usd", near_x=0.1, near_y=0.1)
    assert pos[:3] == list(LABEL_POSITIONS[:3])
    assert pos[3] == LABEL_POSITIONS[0]
    assert label_positions(rows.iloc[:1], "days", "usd") == [LABEL_POSITIONS[0]]
