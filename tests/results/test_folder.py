from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from instc.results import ResultsError, load_results, save_results


def frame() -> pd.DataFrame:
    return pd.DataFrame({"year": [2024, 2030], "tonnes": [1.5e6, 4.5e7], "id": ["a", "b"]})


def test_round_trip(tmp_path: Path) -> None:
    out = save_results(tmp_path / "r", {"flows": frame()}, run={"seed": 3})
    res = load_results(out)
    assert res.run["seed"] == 3 and res.table_names == ["flows"]
    pd.testing.assert_frame_equal(res.table("flows"), frame())
    assert (out / "tables" / "flows.csv").read_text().startswith("year,tonnes,id\n")
    assert not list(out.rglob("*.tmp"))


def test_tables_added_later_are_kept(tmp_path: Path) -> None:
    save_results(tmp_path, {"a": frame()}, run={"seed": 1})
    save_results(tmp_path, {"b": frame()}, run={"seed": 1})
    assert load_results(tmp_path).table_names == ["a", "b"]


def test_missing_run_json_is_an_unfinished_run(tmp_path: Path) -> None:
    with pytest.raises(ResultsError, match="did not finish"):
        load_results(tmp_path)


def test_altered_table_is_refused(tmp_path: Path) -> None:
    out = save_results(tmp_path, {"flows": frame()}, run={})
    (out / "tables" / "flows.csv").write_text("year\n1\n")
    with pytest.raises(ResultsError, match=r"differs from what run\.json recorded"):
        load_results(out)


def test_unknown_table_and_bad_name(tmp_path: Path) -> None:
    out = save_results(tmp_path, {"flows": frame()}, run={})
    with pytest.raises(ResultsError, match="no table 'routes'"):
        load_results(out).table("routes")
    with pytest.raises(ResultsError, match="not allowed"):
        save_results(tmp_path, {"../evil": frame()}, run={})
    assert json.loads((out / "run.json").read_text())["files"]


def test_written_files_are_not_private(tmp_path: Path) -> None:
    out = save_results(tmp_path / "r", {"flows": frame()}, run={})
    assert (out / "run.json").stat().st_mode & 0o044 == 0o044  # group and others can read
