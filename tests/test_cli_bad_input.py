"""Bad input on the command line: a message naming the option or file, exit code 2, and
nothing already on disk overwritten or half written."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from instc.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run ``instc ARGS``; return the exit code and stderr with whitespace collapsed."""
    code = main(list(args))
    err = " ".join(capsys.readouterr().err.split())
    assert "internal error" not in err and "Traceback" not in err
    return code, err


@pytest.mark.parametrize(("args", "expected"), [
    (["route", "--from", "A", "--to", "E", "-k", "0"], "'-k': Input should be greater"),
    (["route", "--from", "A", "--to", "E", "-k", "1000000"], "'-k': Input should be less"),
    (["route", "--from", "A", "--to", "E", "--json", "--csv"], "give --json or --csv, not both"),
    (["compare", "--from", "A", "--to", "E", "--variants", "0"],
     "'--variants': Input should be greater than or equal to 1"),
    (["skim", "--quantity", "bogus"], "'--quantity': Value error, 'bogus' is not one of 'km'"),
    (["summary", "--year", "99999"], "'--year': Input should be less than or equal to 2100"),
    (["route", "--from", "A", "--to", "E", "--year", "1800"],
     "'--year': Input should be greater than or equal to 1900"),
    (["export", "g", "--format", "gmns", "--year", "2030"],
     "--year: GMNS tables hold every element"),
    (["import-gmns", ".", "new", "--mode", "bogus"], "--mode: 'bogus' is not a mode"),
    (["report", "--year", "3000"], "'--year': Input should be less than or equal to 2100"),
    (["scenario", "run", "baseline", "--draws", "2", "--dask", "garbage"],
     "--dask: 'garbage' is not a scheduler address; expected SCHEME://HOST:PORT"),
    (["scenario", "run", "baseline", "--workers", "100000"],
     "'--workers': Input should be less than or equal to"),
])
def test_an_option_out_of_range_is_a_usage_error(capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 args: list[str], expected: str) -> None:
    monkeypatch.chdir(tmp_path)
    code, err = run(capsys, *args)
    assert code == 2 and expected in err, err
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def blockers(tmp_path: Path) -> Path:
    """A folder holding a file, a non-empty folder and a named pipe."""
    (tmp_path / "file").write_text("keep", encoding="utf-8")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "nodes.csv").write_text("keep", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe")
    return tmp_path


@pytest.mark.parametrize(("args", "expected"), [
    (["skim", "--out", "full"], "--out: 'full' is a folder; expected the name of a file"),
    (["skim", "--out", "file/x.csv"], "'file' is a file, so 'file/x.csv' cannot be written"),
    (["skim", "--out", "skims.xlsx"], "'skims.xlsx' does not end in .parquet or .csv"),
    (["skim", "--out", "pipe"], "'pipe' exists and is not a regular file"),
    (["export", "full"], "OUT: 'full' is a folder; expected the name of a file"),
    (["export", "."], "OUT: '.' is a folder"),
    (["export", "file", "--format", "gmns"], "OUT: 'file' is a file; expected a folder"),
    (["import-gmns", "full", "full"], "OUT: 'full' already holds files; expected a new or "
                                      "empty folder"),
    (["import-gmns", "file", "new"], "'gmns_folder': dir 'file' is a file"),
    (["report", "--out", "file"], "--out: 'file' is a file; expected a folder"),
    (["scenario", "run", "baseline", "--out", "file"], "--out: 'file' is a file"),
    (["scenario", "run", "baseline", "--out", "file/sub"],
     "'file' is a file, so the folder 'file/sub' cannot be made"),
    (["scenario", "diff", "a", "b", "--out", "file"], "--out: 'file' is a file"),
])
def test_an_output_that_would_destroy_something_is_refused_before_any_work(
        capsys: pytest.CaptureFixture[str], blockers: Path, monkeypatch: pytest.MonkeyPatch,
        args: list[str], expected: str) -> None:
    monkeypatch.chdir(blockers)
    code, err = run(capsys, *args)
    assert code == 2 and expected in err, err
    assert sorted(p.name for p in blockers.iterdir()) == ["file", "full", "pipe"]
    assert (blockers / "file").read_text(encoding="utf-8") == "keep"
    assert [p.name for p in (blockers / "full").iterdir()] == ["nodes.csv"]


def test_serve_names_a_port_in_use_and_a_bad_host(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("uvicorn", reason="serve needs the 'app' extra")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, err = run(capsys, "serve", "--port", str(port))
    assert code == 2 and f"cannot listen on 127.0.0.1:{port}" in err and "--port" in err
    code, err = run(capsys, "serve", "--host", "no such host!")
    assert code == 2 and "--host: 'no such host!' is not an address of this machine" in err


def test_ctrl_c_says_interrupted_and_exits_130(capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from instc.cli import _network

    def interrupted(path: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_network, "load_corridor_arg", interrupted)
    code, err = run(capsys, "summary")
    assert code == 130 and err == "interrupted"


def test_an_os_error_names_the_file_first(capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from instc.cli import _network

    def denied(path: object) -> None:
        raise PermissionError(13, "Permission denied", "/data/nodes.csv")

    monkeypatch.setattr(_network, "load_corridor_arg", denied)
    assert run(capsys, "summary") == (2, "error: /data/nodes.csv: Permission denied")


def test_draws_of_another_seed_or_scenario_are_not_resumed(
        capsys: pytest.CaptureFixture[str], tiny_folder: Path, tmp_path: Path) -> None:
    import yaml

    spec = {"name": "tiny-draws", "corridor": str(tiny_folder), "years": [2024],
            "demand": {"scenario": "base"},
            "uncertain": [{"table": "borders", "column": "hours", "distribution": "uniform",
                           "low": 0.5, "high": 1.5}], "seed": 1}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    out = str(tmp_path / "out")
    assert run(capsys, "scenario", "run", str(path), "--draws", "2", "--out", out)[0] == 0
    code, err = run(capsys, "scenario", "run", str(path), "--draws", "2", "--seed", "2",
                    "--out", out)
    assert code == 2 and "holds the draws of a run with another scenario or seed" in err
    spec["uncertain"][0]["high"] = 3.0
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    assert run(capsys, "scenario", "run", str(path), "--draws", "2", "--out", out)[0] == 2
    spec["uncertain"][0]["high"] = 1.5
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    assert run(capsys, "scenario", "run", str(path), "--draws", "3", "--out", out)[0] == 0
