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


@pytest.mark.parametrize(("content", "expected"), [
    (b"name: a\nname: b\n", "row 2: is not valid YAML: key 'name' is given twice (first on "
                             "line 1)"),
    ("name: café\n".encode("latin-1"), "row 1: byte b'\\xe9' is not valid UTF-8"),
    ("name: a\n".encode("utf-16"), "byte b'\\xff' is not valid UTF-8"),
])
def test_load_scenario_refuses_duplicate_keys_and_other_encodings(
        tmp_path: Path, content: bytes, expected: str) -> None:
    file = tmp_path / "s.yaml"
    file.write_bytes(content)
    with pytest.raises(ScenarioError) as info:
        load_scenario(file)
    assert expected in str(info.value)


def test_load_scenario_reads_utf8_with_bom_and_names_a_folder(tmp_path: Path) -> None:
    file = tmp_path / "s.yaml"
    file.write_bytes(b"\xef\xbb\xbfname: bom\n")
    assert load_scenario(file).name == "bom"
    with pytest.raises(ScenarioError, match="is a folder; expected a scenario YAML file"):
        load_scenario(tmp_path)


def test_numbers_must_be_finite_and_fit_their_column() -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from_mapping({
            "name": "n",
            "overrides": [{"table": "links", "column": "distance_km", "set": float("nan")},
                          {"table": "borders", "column": "hours", "multiply": float("inf")},
                          {"table": "links", "column": "distance_km", "set": -100},
                          {"table": "projects", "column": "year", "set": 1800}],
            "uncertain": [{"table": "borders", "column": "hours", "distribution": "uniform",
                           "low": -2, "high": -1}],
            "grid": [{"table": "borders", "column": "hours", "values": [-1, 1]},
                     {"table": "nodes", "column": "lat", "values": [95], "action": "set"}],
        })
    got = messages(info.value)
    assert "key 'overrides.0.set': input should be a finite number (got nan)" in got
    assert "key 'overrides.1.multiply': input should be a finite number (got inf)" in got
    assert ("key 'overrides.2': set -100.0 is out of range for links.csv column "
            "'distance_km'; expected a number in km greater than 0") in got
    assert any(m.startswith("key 'overrides.3': set 1800.0 is out of range for projects.csv "
                            "column 'year'; expected a number at least 1900 and at most 2100")
               for m in got)
    assert any(m.startswith("key 'uncertain.0': low -2.0 is negative") for m in got)
    assert any(m.startswith("key 'grid.0': value -1.0 would multiply by a negative") for m in got)
    assert any(m.startswith("key 'grid.1': value 95.0 is out of range for nodes.csv column "
                            "'lat'") for m in got)
    assert len(got) == 7


def test_a_wrong_year_in_a_list_is_named_without_the_union_noise() -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from_mapping({"name": "y", "years": [99999, 2024]})
    assert messages(info.value) == [
        "key 'years.0': input should be less than or equal to 2100 (got 99999)"]
