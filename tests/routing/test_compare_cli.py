from __future__ import annotations

import json
from pathlib import Path

import pytest

from instc.cli import main
from instc.routing import compare_routes, shortest_route, skim_matrices


def test_instc_comparison_has_the_branches_and_the_sea_routes(instc_corridor) -> None:
    a = compare_routes(instc_corridor, "St Petersburg", "Nhava Sheva", year=2024)
    b = compare_routes(instc_corridor, "St Petersburg", "Nhava Sheva", year=2030)
    ok = a.routes[a.routes["status"] == "ok"]
    assert {"west", "trans_caspian", "east_kti", "east_sarakhs", "suez", "cape"} <= set(
        ok["branch"])
    assert (ok["days_low"] <= ok["days"]).all() and (ok["days"] <= ok["days_high"]).all()
    west = {y: c.routes.set_index("route").loc["west"] for y, c in ((2024, a), (2030, b))}
    assert west[2030]["generalized_cost"] < west[2024]["generalized_cost"]
    assert west[2030]["gauge_changes"] == 1  # Rasht-Astara railway (2027)
    cape = a.routes.set_index("route").loc["cape"]
    suez = a.routes.set_index("route").loc["suez"]
    assert cape["km"] > suez["km"] and cape["days"] > suez["days"]
    assert not a.break_even.empty and not a.sensitivity.empty


def test_cli_compare_prints_routes_and_ranges(capsys) -> None:
    code = main(["compare", "--from", "St Petersburg", "--to", "Nhava Sheva",
                 "--cargo", "container", "--variants", "1"])
    out = capsys.readouterr().out
    assert code == 0
    for name in ("west", "trans_caspian", "east_kti", "suez", "cape", "USD/TEU", "days"):
        assert name in out


def test_cli_route_json_and_csv(tiny_folder: Path, capsys) -> None:
    assert main(["route", "--from", "alfa", "--to", "echo port", "--corridor", str(tiny_folder),
                 "--cargo", "t", "--cost", "money", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["routes"][0]["via"] == ["A", "E"]
    assert main(["route", "--from", "A", "--to", "E", "--corridor", str(tiny_folder),
                 "-k", "2", "--csv"]) == 0
    assert capsys.readouterr().out.startswith("seq,kind,element")


def test_cli_unknown_node_exits_2_with_closest(capsys) -> None:
    assert main(["route", "--from", "St Petersburg", "--to", "Nhava Shiva"]) == 2
    err = capsys.readouterr().err
    assert "closest matches" in err and "Nhava Sheva" in err


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_skim_writes_tables(tiny_folder: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"skim{suffix}"
    assert main(["skim", "--corridor", str(tiny_folder), "--year", "2028", "--out",
                 str(out)]) == 0
    assert out.exists()


def test_skim_matrix(instc_corridor) -> None:
    s = skim_matrices(instc_corridor, year=2030, nodes=["St Petersburg", "Nhava Sheva",
                                                         "Tehran"], cargo="grain")
    m = s.matrix("days")
    assert m.shape == (3, 3)
    it = shortest_route(instc_corridor, "St Petersburg", "Nhava Sheva", year=2030,
                        cargo="grain")
    assert m.loc["RU_SPB_PORT", "IN_NSA"] == pytest.approx(it.total("days"))
