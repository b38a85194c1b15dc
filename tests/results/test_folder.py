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


def listed(out: Path, files: object) -> Path:
    run = json.loads((out / "run.json").read_text())
    run["files"] = files
    (out / "run.json").write_text(json.dumps(run))
    return out


def test_a_file_is_not_a_results_folder(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(ResultsError, match="is a file; expected a results folder"):
        load_results(tmp_path / "f")
    with pytest.raises(ResultsError, match="is a file; expected a results folder"):
        save_results(tmp_path / "f", {"flows": frame()}, run={})


@pytest.mark.parametrize("files", ["abc", ["tables/flows.csv"], {"tables/flows.csv": 5}])
def test_a_files_entry_of_the_wrong_type_is_refused(tmp_path: Path, files: object) -> None:
    out = listed(save_results(tmp_path, {"flows": frame()}, run={}), files)
    with pytest.raises(ResultsError, match=r"run\.json: 'files'"):
        load_results(out)


@pytest.mark.parametrize("rel", ["../outside.txt", "/etc/hostname", "tables/../../outside.txt",
                                 "run.json", "tables/sub/x.csv"])
def test_files_outside_the_tables_folder_are_never_read(tmp_path: Path, rel: str) -> None:
    import hashlib

    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    out = save_results(tmp_path / "r", {"flows": frame()}, run={})
    listed(out, {rel: hashlib.sha256(b"secret").hexdigest()})
    with pytest.raises(ResultsError, match=r"expected tables/NAME\.parquet or \.csv"):
        load_results(out)


def test_a_table_that_is_not_parquet_is_named(tmp_path: Path) -> None:
    import hashlib

    out = save_results(tmp_path, {"flows": frame()}, run={})
    (out / "tables" / "flows.parquet").write_bytes(b"not parquet")
    run = json.loads((out / "run.json").read_text())
    run["files"]["tables/flows.parquet"] = hashlib.sha256(b"not parquet").hexdigest()
    (out / "run.json").write_text(json.dumps(run))
    with pytest.raises(ResultsError, match=r"flows\.parquet cannot be read as Parquet"):
        load_results(out).table("flows")


def test_require_columns_names_every_missing_column(tmp_path: Path) -> None:
    res = load_results(save_results(tmp_path, {"flows": frame(), "b": frame()}, run={}))
    res.require_columns({"flows": ["year"], "absent": ["x"]})
    with pytest.raises(ResultsError) as info:
        res.require_columns({"flows": ["year", "km"], "b": ["id", "mode"]})
    assert "tables/flows.parquet has no column 'km'" in str(info.value)
    assert "tables/b.parquet has no column 'mode'" in str(info.value)


def test_an_interrupted_save_leaves_the_previous_results(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from instc.results import folder

    out = save_results(tmp_path, {"a": frame(), "b": frame()}, run={"seed": 1})
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    calls = []
    stage = folder.stage_file

    def interrupted(path: Path, data: bytes | str) -> Path:
        calls.append(path)
        if len(calls) == 3:  # the second table
            raise KeyboardInterrupt
        return stage(path, data)

    monkeypatch.setattr(folder, "stage_file", interrupted)
    changed = frame().assign(tonnes=0.0)
    with pytest.raises(KeyboardInterrupt):
        save_results(out, {"a": changed, "b": changed}, run={"seed": 2})
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert load_results(out).run["seed"] == 1


CTRL_C_SCRIPT = """
import os, signal, sys
from pathlib import Path
import pandas as pd
from instc.results import folder, save_results

renamed = []
real_replace = os.replace

def replace(src, dst):
    if not Path(dst).name.startswith("."):  # a final name, not a staged file
        if not renamed:
            signal.raise_signal(signal.SIGINT)  # Ctrl+C at the first rename
        renamed.append(Path(dst).name)
    real_replace(src, dst)

class OnlyHere:
    def __getattr__(self, name):
        return replace if name == "replace" else getattr(os, name)

folder.os = OnlyHere()
# Ctrl+C as in a terminal, even when this process was started with SIGINT
# ignored (a background job of a shell without job control).
signal.signal(signal.SIGINT, signal.default_int_handler)
frame = pd.DataFrame({"year": [2024], "tonnes": [1.0]})
try:
    save_results(sys.argv[1], {"a": frame, "b": frame}, run={"seed": 3})
except KeyboardInterrupt:
    print("interrupted after", ",".join(renamed))
    sys.exit(0)
print("not interrupted")
sys.exit(1)
"""


def test_ctrl_c_while_renaming_waits_for_the_last_rename(tmp_path: Path) -> None:
    # In a process of its own, with Python's Ctrl+C handler installed: the test
    # run itself may have been started with SIGINT ignored.
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", CTRL_C_SCRIPT, str(tmp_path)],
                         capture_output=True, text=True, timeout=300, check=False)
    assert out.returncode == 0, out.stdout + out.stderr
    names = out.stdout.strip().removeprefix("interrupted after ").split(",")
    assert len(names) == 5 and names[-1] == "run.json"
    assert load_results(tmp_path).run["seed"] == 3


def test_an_unreadable_previous_run_json_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "run.json").write_text("{not json")
    save_results(tmp_path, {"a": frame()}, run={"seed": 4})
    assert load_results(tmp_path).table_names == ["a"]
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".")]
