"""Published door-to-door figures against the model (instc.routing.observed)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from instc import Corridor
from instc.errors import CorridorValidationError
from instc.routing import shortest_route
from instc.routing.observed import (
    OBSERVED_COLUMNS,
    RESULT_COLUMNS,
    ObservationsError,
    check_observations,
    load_observations,
)

BASE = {"cargo": "container", "kind": "measured", "title": "A test shipment",
        "publisher": "Test Gazette", "date": "2024-01-01", "url": "", "quote": "", "notes": ""}


def write_obs(path: Path, rows: list[dict[str, object]], columns=OBSERVED_COLUMNS) -> Path:
    file = path / "observed.csv"
    with file.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({**BASE, "branch": "", "via": "", "value_low": "", "value_high": "",
                        **r})
    return file


def row(id: str, **kw: object) -> dict[str, object]:
    return {"id": id, "origin": "A", "destination": "E", "year": 2024, "quantity": "km",
            "value": 630, **kw}


def test_distances_are_the_hand_counted_chains(tiny_corridor: Corridor, tmp_path: Path) -> None:
    # 2024: A-B-C-D by rail (100 + 200 + 10 km), D-E by road (320 km); the
    # D-E railway (300 km) opens in 2027.
    file = write_obs(tmp_path, [
        row("land-2024", branch="land"),
        row("rail-2027", year=2027, via="mode:rail_1435", value=600),
        row("sea", branch="sea", value=5000),
    ])
    t = check_observations(tiny_corridor, load_observations(file)).set_index("id")
    assert list(t.reset_index().columns) == list(RESULT_COLUMNS)
    assert t.loc["land-2024", "model"] == pytest.approx(630)
    assert t.loc["land-2024", "ratio"] == pytest.approx(1.0)
    assert t.loc["land-2024", "verdict"] == "ranges overlap"
    assert t.loc["land-2024", "route"] == "Alpha Port – Bravo – Charlie – Delta – Echo Port"
    assert t.loc["rail-2027", "model"] == pytest.approx(610)
    assert t.loc["rail-2027", "ratio"] == pytest.approx(610 / 600)
    assert t.loc["rail-2027", "verdict"] == "model above"
    assert t.loc["sea", "model"] == pytest.approx(5000)
    assert t.loc["sea", "route"] == "Alpha Port – Echo Port"


def test_model_totals_are_the_itinerary_totals(tiny_corridor: Corridor, tmp_path: Path) -> None:
    file = write_obs(tmp_path, [
        row("fast", branch="sea", quantity="days", value=5, value_low=4, value_high=6),
        row("slow", branch="sea", quantity="days", value=20, value_low=18, value_high=30),
        row("cost", branch="land", quantity="usd_per_t", value=30),
    ])
    t = check_observations(tiny_corridor, load_observations(file)).set_index("id")
    sea = shortest_route(tiny_corridor, "A", "E", year=2024, branches="sea")
    land = shortest_route(tiny_corridor, "A", "E", year=2024, branches="land")
    # The sea leg alone is 5,000 km at 25 km/h = 200 h, over 8 days.
    assert sea.total("days") > 200 / 24
    for level, column in (("low", "model_low"), ("central", "model"), ("high", "model_high")):
        assert t.loc["fast", column] == pytest.approx(sea.total("days", level))
        assert t.loc["cost", column] == pytest.approx(land.total("usd_per_t", level))
    assert t.loc["fast", "verdict"] == "model above"
    assert t.loc["slow", "verdict"] == "model below"
    assert t.loc["fast", "published_low"] == 4 and t.loc["fast", "published_high"] == 6
    assert t.loc["cost", "published_low"] == t.loc["cost", "published_high"] == 30


def test_days_after_departure_leave_out_the_wait_for_departures(tmp_path: Path) -> None:
    from instc.testing import tiny_corridor_frames, tiny_corridor_meta

    frames = tiny_corridor_frames()
    frames["links"] = frames["links"].assign(departures_per_week=[None] * 5 + [1.0])
    ships = Corridor.from_frames(frames, meta=tiny_corridor_meta())
    file = write_obs(tmp_path, [
        row("door", branch="sea", quantity="days", value=10),
        row("run", branch="sea", quantity="days_after_departure", value=10),
    ])
    t = check_observations(ships, load_observations(file)).set_index("id")
    # One sailing a week: 84 h waited on average, 3.5 days, not in the ship's own run.
    assert t.loc["door", "model"] - t.loc["run", "model"] == pytest.approx(3.5)
    assert t.loc["run", "unit"] == "days"


def test_a_route_closed_that_year_is_reported_not_raised(tiny_corridor: Corridor,
                                                         tmp_path: Path) -> None:
    file = write_obs(tmp_path, [row("rail-2024", via="mode:rail_1435")])
    t = check_observations(tiny_corridor, load_observations(file))
    assert t.loc[0, "verdict"].startswith("no route:")
    assert math.isnan(t.loc[0, "model"])


def test_unknown_names_are_named_with_row_and_column(tiny_corridor: Corridor,
                                                     tmp_path: Path) -> None:
    file = write_obs(tmp_path, [row("ok"), row("bad-origin", origin="Zulu"),
                                row("bad-branch", branch="air"),
                                row("bad-cargo", cargo="unobtainium")])
    with pytest.raises(CorridorValidationError) as err:
        check_observations(tiny_corridor, load_observations(file), label="observed.csv")
    where = {(p.row, p.column) for p in err.value.problems}
    assert where == {(3, "origin"), (4, "branch"), (5, "cargo")}


def test_bad_rows_are_all_reported(tmp_path: Path) -> None:
    file = write_obs(tmp_path, [
        row("a", quantity="hours"),
        row("a", kind="rumour"),
        row("c", value="fast"),
        row("d", value=10, value_low=12),
        row("e", value=10, value_high=8),
        row("f", year="soon"),
        row("g", origin=""),
        row("h", value=-3),
        row("i", value="nan"),
    ])
    with pytest.raises(CorridorValidationError) as err:
        load_observations(file)
    found = {(p.row, p.column) for p in err.value.problems}
    assert found == {(2, "quantity"), (3, "id"), (3, "kind"), (4, "value"),
                     (5, "value_low"), (6, "value_high"), (7, "year"), (8, "origin"),
                     (9, "value"), (10, "value")}
    assert all(p.file == "observed.csv" for p in err.value.problems)


def test_missing_columns_and_unreadable_files(tmp_path: Path) -> None:
    file = write_obs(tmp_path, [row("a")], columns=("id", "origin", "destination"))
    with pytest.raises(CorridorValidationError, match="missing column"):
        load_observations(file)
    with pytest.raises(CorridorValidationError):
        load_observations(tmp_path / "absent.csv")


def test_another_corridor_needs_its_own_file(tiny_corridor: Corridor) -> None:
    with pytest.raises(ObservationsError, match="give a CSV file"):
        check_observations(tiny_corridor)


def test_embedded_observations_all_resolve_on_the_instc(instc_corridor: Corridor) -> None:
    obs = load_observations()
    assert len(obs) >= 10 and obs["id"].is_unique
    t = check_observations(instc_corridor, obs)
    assert not t["verdict"].str.startswith("no route").any()
    assert (t["model"] > 0).all() and (t["model_low"] <= t["model"]).all()
    assert (t["model"] <= t["model_high"]).all()
    # Each check keeps to the branch the shipment took.
    west = t.set_index("id").loc["concor-2020-west-days", "route"]
    assert "Yalama" in west and "Sarakhs" not in west


def test_cli_observed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from instc.cli import main

    assert main(["observed", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)["observations"]
    assert {"id", "published", "model", "verdict", "source", "url"} <= set(out[0])
    bad = write_obs(tmp_path, [row("x", quantity="hours")])
    assert main(["observed", "--file", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "observed.csv" in err and "quantity" in err and "Traceback" not in err
