"""Validation of corridor folders and frames: every problem, with its exact message.

Each folder under ``fixtures/broken`` is the tiny corridor of
:mod:`instc.testing` with one deliberate defect (``several_defects`` has
five) and an ``expected.txt`` holding the exact error lines that
``instc validate`` must print for it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
import yaml

import instc
from instc.errors import CorridorValidationError, Problem
from instc.testing import tiny_corridor_frames, tiny_corridor_meta, write_tiny_corridor

BROKEN = Path(__file__).parent / "fixtures" / "broken"
FIXTURES = sorted(p.name for p in BROKEN.iterdir() if (p / "expected.txt").is_file())


def expected_lines(name: str) -> set[str]:
    text = (BROKEN / name / "expected.txt").read_text(encoding="utf-8")
    return {line for line in text.splitlines() if line.strip()}


def error_lines(problems: list[Problem]) -> set[str]:
    return {f"error: {p}" for p in problems if p.severity == "error"}


def run_cli(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "instc.cli", "validate", str(folder)],
        capture_output=True, text=True, encoding="utf-8", timeout=120,
        env={**os.environ, "COLUMNS": "400", "NO_COLOR": "1", "TERM": "dumb"},
    )


@pytest.fixture(scope="module")
def cli_runs() -> dict[str, subprocess.CompletedProcess[str]]:
    """Run ``instc validate`` on every fixture at once; each run starts a Python."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as pool:
        runs = pool.map(run_cli, (BROKEN / name for name in FIXTURES))
        return dict(zip(FIXTURES, runs, strict=True))


def test_there_are_enough_fixtures() -> None:
    assert len(FIXTURES) >= 35
    for name in FIXTURES:
        assert expected_lines(name), f"{name}/expected.txt lists no error"


@pytest.mark.parametrize("name", FIXTURES)
def test_validate_corridor_reports_exactly_the_expected_errors(name: str) -> None:
    problems = instc.validate_corridor(BROKEN / name)
    assert error_lines(problems) == expected_lines(name)


@pytest.mark.parametrize("name", FIXTURES)
def test_every_problem_names_its_file_and_fits_on_one_line(name: str) -> None:
    for p in instc.validate_corridor(BROKEN / name):
        assert p.severity in ("error", "warning")
        assert p.file and p.message
        assert "\n" not in str(p) and "\r" not in str(p)
        assert p.row is None or p.row >= 1


@pytest.mark.parametrize("name", FIXTURES)
def test_load_corridor_raises_with_the_same_problems(name: str) -> None:
    with pytest.raises(CorridorValidationError) as info:
        instc.load_corridor(BROKEN / name)
    assert error_lines(list(info.value.problems)) == expected_lines(name)
    # The exception is also a ValueError, so callers may catch the built-in.
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("name", FIXTURES)
def test_cli_exits_2_and_prints_every_error(
    name: str, cli_runs: dict[str, subprocess.CompletedProcess[str]]
) -> None:
    run = cli_runs[name]
    assert "Traceback" not in run.stdout + run.stderr
    assert run.returncode == 2, run.stdout + run.stderr
    printed = set(run.stdout.splitlines())
    missing = expected_lines(name) - printed
    assert not missing, f"not printed: {sorted(missing)}\nstdout:\n{run.stdout}"
    errors = {line for line in printed if line.startswith("error: ")}
    assert errors == expected_lines(name)


def test_several_defects_are_all_reported_at_once() -> None:
    lines = expected_lines("several_defects")
    assert len(lines) >= 5
    assert len({line.split(",")[0] for line in lines}) >= 4  # in four different files


# -- the clean corridor --------------------------------------------------------


@pytest.fixture
def tiny_folder(tmp_path: Path) -> Path:
    return write_tiny_corridor(tmp_path / "tiny")


def test_tiny_corridor_is_clean(tiny_folder: Path) -> None:
    assert instc.validate_corridor(tiny_folder) == []
    corridor = instc.load_corridor(tiny_folder)
    assert list(corridor.nodes["id"]) == ["A", "B", "C", "D", "E"]
    assert len(corridor.links) == 6


def test_cli_exits_0_on_the_tiny_corridor(tiny_folder: Path) -> None:
    run = run_cli(tiny_folder)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "error:" not in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_cli_exits_2_on_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    run = run_cli(tmp_path / "nowhere")
    assert run.returncode == 2
    assert "Traceback" not in run.stdout + run.stderr


def test_warnings_do_not_fail_validation(tiny_folder: Path) -> None:
    (tiny_folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    problems = instc.validate_corridor(tiny_folder)
    assert [p.severity for p in problems] == ["warning"]
    assert str(problems[0]).startswith("notes.csv: is not a corridor table")
    assert instc.load_corridor(tiny_folder).warnings == tuple(problems)
    run = run_cli(tiny_folder)
    assert run.returncode == 0
    assert f"warning: {problems[0]}" in run.stdout.splitlines()


def test_a_problem_reads_file_row_column_message() -> None:
    p = Problem("links.csv", 6, "mode", "'raod' is not allowed")
    assert str(p) == "links.csv, row 6, column 'mode': 'raod' is not allowed"
    assert str(Problem("nodes.csv", None, None, "file is missing")) == (
        "nodes.csv: file is missing")


# -- frames --------------------------------------------------------------------

# Fixtures whose every file pandas reads as it is, so the same tables can be
# handed to ``Corridor.from_frames``; problems must then be the same, the file
# named as the frame.
FRAME_FIXTURES = [
    "bad_boolean", "bad_confidence", "bad_country_code", "bad_mode", "bad_year",
    "border_countries_mismatch", "border_unknown_link", "closes_not_after_opens",
    "demand_unknown_node", "disconnected_component", "disconnected_pair",
    "duplicate_link_id", "duplicate_node_id", "duplicate_source_id", "empty_required_cell",
    "header_only_nodes", "infinite_distance", "latitude_out_of_range",
    "link_opens_before_node", "link_without_speed", "longitude_out_of_range",
    "low_above_central", "missing_distance", "missing_required_column",
    "negative_capacity", "negative_distance", "non_numeric_distance",
    "number_without_source", "self_loop_link", "several_defects",
    "shorter_than_great_circle", "source_does_not_resolve", "transfer_mode_not_at_node",
    "transfer_unknown_node", "unknown_branch", "unknown_column", "unknown_from_node",
    "unknown_project", "unknown_to_node",
]


def frames_of(folder: Path) -> dict[str, pd.DataFrame]:
    return {
        p.stem: pd.read_csv(p, dtype=str, keep_default_na=False)
        for p in sorted(folder.glob("*.csv"))
    }


def as_frame_label(line: str) -> str:
    head, rest = line.split(": ", 1)
    table = rest.split(".csv", 1)[0]
    return f"{head}: {table} (DataFrame){rest[len(table) + 4:]}"


def test_frame_fixtures_exist() -> None:
    assert set(FRAME_FIXTURES) <= set(FIXTURES)


@pytest.mark.parametrize("name", FRAME_FIXTURES)
def test_from_frames_reports_the_same_problems(name: str) -> None:
    folder = BROKEN / name
    meta = yaml.safe_load((folder / "corridor.yaml").read_text(encoding="utf-8"))
    with pytest.raises(CorridorValidationError) as info:
        instc.Corridor.from_frames(frames_of(folder), meta=meta)
    want = {as_frame_label(line) for line in expected_lines(name)}
    assert error_lines(list(info.value.problems)) == want


def test_from_frames_accepts_the_tiny_corridor() -> None:
    corridor = instc.Corridor.from_frames(tiny_corridor_frames(), meta=tiny_corridor_meta())
    assert corridor.warnings == ()


def mutated(table: str, row: int, column: str, value: object) -> dict[str, pd.DataFrame]:
    frames = tiny_corridor_frames()
    frame = frames[table].astype(object)
    frame.loc[row, column] = value
    frames[table] = frame
    return frames


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "expected"),
    [
        ("links", 1, "from", "Q", "links (DataFrame), row 3, column 'from': 'Q' does not "
         "resolve; expected an id in nodes.csv"),
        ("links", 4, "mode", "raod", "links (DataFrame), row 6, column 'mode': 'raod' is not "
         "allowed (did you mean 'road'?); expected one of 'rail_1520', 'rail_1435', "
         "'rail_1676', 'road', 'caspian_sea', 'deep_sea', 'inland_water'"),
        ("links", 4, "distance_km", -320.0, "links (DataFrame), row 6, column 'distance_km': "
         "'-320.0' is negative; expected a number in km greater than 0"),
        ("links", 4, "distance_km", float("inf"), "links (DataFrame), row 6, column "
         "'distance_km': 'inf' is not a finite number; expected a number in km greater than 0"),
        ("links", 4, "distance_km", None, "links (DataFrame), row 6, column 'distance_km': "
         "is empty; expected a number in km greater than 0"),
        ("nodes", 0, "lat", 95.0, "nodes (DataFrame), row 2, column 'lat': '95.0' is out of "
         "range; expected a number in degrees at least -90 and at most 90"),
        ("nodes", 2, "id", "B", "nodes (DataFrame), row 4, column 'id': 'B' is used twice "
         "(first on row 3); expected a unique id"),
        ("modes", 2, "source", "", "modes (DataFrame), row 4, column 'speed_kmh': 60 has no "
         "source; this corridor is marked sourced in corridor.yaml, so give a source id in "
         "'source' or 'speed_kmh_source'"),
        ("links", 5, "branch", ["sea", "ocean"], "links (DataFrame), row 7, column 'branch': "
         "branch 'ocean' is not declared in corridor.yaml; expected one of 'land', 'sea'"),
        ("projects", 0, "year", 20277, "projects (DataFrame), row 2, column 'year': '20277' is "
         "not a plausible year; expected a year between 1900 and 2100"),
    ],
)
def test_from_frames_reports_a_bad_cell(
    table: str, row: int, column: str, value: object, expected: str
) -> None:
    with pytest.raises(CorridorValidationError) as info:
        instc.Corridor.from_frames(mutated(table, row, column, value), meta=tiny_corridor_meta())
    assert f"error: {expected}" in error_lines(list(info.value.problems))


def test_from_frames_names_an_unknown_table() -> None:
    frames = {**tiny_corridor_frames(), "nodez": pd.DataFrame({"id": ["A"]})}
    with pytest.raises(CorridorValidationError) as info:
        instc.Corridor.from_frames(frames, meta=tiny_corridor_meta())
    assert any(str(p).startswith("nodez: unknown table 'nodez'") for p in info.value.problems)


def _walk(folder: Path) -> Iterator[Path]:
    yield from sorted(p for p in folder.iterdir() if p.is_file())


def test_fixtures_differ_from_the_tiny_corridor_in_few_files(tmp_path: Path) -> None:
    """Each fixture changes one or two files of the tiny corridor, so its defect is clear."""
    clean = write_tiny_corridor(tmp_path / "tiny")
    originals = {p.name: p.read_bytes() for p in _walk(clean)}
    for name in FIXTURES:
        files = {p.name: p.read_bytes() for p in _walk(BROKEN / name) if p.name != "expected.txt"}
        changed = {f for f in originals.keys() | files.keys()
                   if originals.get(f) != files.get(f)}
        limit = 5 if name == "several_defects" else 2
        assert 1 <= len(changed) <= limit, (name, sorted(changed))
