from __future__ import annotations

from pathlib import Path

import pytest

from instc.scenarios.spec import ScenarioError, load_scenario, scenario_from_mapping


def messages(exc: ScenarioError) -> list[str]:
    return [p.message for p in exc.problems]


def test_minimal_scenario_defaults() -> None:
    s = scenario_from_mapping({"name": "base"})
    assert s.corridor == "instc" and s.year_list() == [2024] and s.seed == 0


def test_year_range_and_projects() -> None:
    s = scenario_from_mapping({"name": "late", "years": {"start": 2024, "end": 2030,
                                                         "step": 3},
                               "projects": {"P1": 2032, "P2": "off"}})
    assert s.year_list() == [2024, 2027, 2030]
    assert s.project_years() == {"P1": 2032.0, "P2": None}


def test_every_problem_names_its_key() -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from_mapping({
            "name": "bad name!",
            "years": {"start": 2030, "end": 2024},
            "projects": {"P1": "of"},
            "overrides": [{"table": "linkz", "column": "hours", "set": 1.0},
                          {"table": "links", "column": "hours", "set": 1, "multiply": 2}],
            "uncertain": [{"table": "links", "column": "hours", "distribution": "triangular",
                           "low": 1.0}],
            "disruptions": [{"table": "links", "where": {"id": "L1"}, "start": 2026,
                             "end": 2025}],
            "sede": 4,
        })
    got = messages(info.value)
    expected = [
        "key 'years': end 2024 is before start 2030",
        "key 'projects': P1: 'of'; expected a year between 1900 and 2100 or 'off'",
        "key 'overrides.0.table': 'linkz' is not allowed; expected 'nodes', 'modes', 'links', "
        "'transfers', 'borders', 'services', 'projects', 'demand' or 'cargo'",
        "key 'overrides.1': give exactly one of 'set' or 'multiply'",
        "key 'uncertain.0': distribution 'triangular' needs 'mode', 'high'",
        "key 'disruptions.0': end 2025.0 is not after start 2026.0",
        "key 'sede': unknown key; remove it or check its spelling",
    ]
    for line in expected:
        assert line in got
    assert any(m.startswith("key 'name': string should match pattern") for m in got)


def test_load_scenario_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="file does not exist"):
        load_scenario(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="is not valid YAML"):
        load_scenario(bad)
    listy = tmp_path / "list.yaml"
    listy.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="must hold a mapping"):
        load_scenario(listy)
