"""The scenarios shipped with the embedded INSTC corridor."""

from __future__ import annotations

from pathlib import Path

import pytest

from instc import load_corridor
from instc.data import instc_corridor_path
from instc.scenarios.apply import check_scenario
from instc.scenarios.spec import load_scenario

SHIPPED = sorted((instc_corridor_path() / "scenarios").glob("*.yaml"))


def test_the_shipped_set() -> None:
    names = {p.stem for p in SHIPPED}
    assert {"baseline", "rasht-astara-2027", "rasht-astara-late", "long-term-100",
            "red-sea-closure", "caspian-low-water", "border-closure"} <= names
    assert any("2030" in n and "target" in n for n in names)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_each_scenario_fits_the_corridor(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.name == path.stem
    assert check_scenario(scenario, load_corridor(), label=path.name) == []


@pytest.fixture(scope="module")
def shipped_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from instc.scenarios.runner import run_scenario

    root = tmp_path_factory.mktemp("shipped")
    return {p.stem: run_scenario(load_scenario(p), out=root / p.stem) for p in SHIPPED}


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_each_scenario_runs(path: Path, shipped_runs: dict[str, Path]) -> None:
    from instc.results import load_results

    res = load_results(shipped_runs[path.stem])
    assert {"routes", "loads", "throughput", "comparison"} <= set(res.table_names)
    assert res.run["scenario"]["name"] == path.stem


def test_rasht_astara_on_time_vs_late(shipped_runs: dict[str, Path]) -> None:
    from instc.scenarios.diff import diff_results

    d = diff_results(shipped_runs["rasht-astara-2027"], shipped_runs["rasht-astara-late"])
    loads = d["loads"]
    w10 = loads[loads["element"] == "W10"]
    # The railway carries flows from 2027 on time, only from 2032 when late.
    assert set(w10["year"]) == set(range(2027, 2032))
    assert (w10["change"] == "removed").all()
    assert set(d["routes"]["year"]) <= set(range(2027, 2032))


def test_red_sea_closure_sends_suez_traffic_round_the_cape(
        shipped_runs: dict[str, Path]) -> None:
    from instc.results import load_results

    cmp = load_results(shipped_runs["red-sea-closure"]).table("comparison")
    suez24 = cmp[(cmp["year"] == 2024) & (cmp["branch"] == "suez")]
    suez25 = cmp[(cmp["year"] == 2025) & (cmp["branch"] == "suez")]
    assert (suez24["status"] != "ok").all()
    assert (suez25["status"] == "ok").any()


def test_rasht_astara_raises_what_the_corridor_can_carry(shipped_runs: dict[str, Path]) -> None:
    from instc.results import load_results

    on_time = load_results(shipped_runs["rasht-astara-2027"]).table("carried").set_index("year")
    late = load_results(shipped_runs["rasht-astara-late"]).table("carried").set_index("year")
    assert on_time.loc[2026, "carried_t"] == late.loc[2026, "carried_t"]
    assert on_time.loc[2028, "carried_t"] > late.loc[2028, "carried_t"]
    assert on_time.loc[2032, "carried_t"] == late.loc[2032, "carried_t"]
    ceilings = load_results(shipped_runs["rasht-astara-2027"]).table("ceilings")
    assert set(ceilings["direction"]) == {"main", "reverse"}
    assert (ceilings["ceiling_t"] > 0).all()
