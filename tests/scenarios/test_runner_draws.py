"""Monte Carlo runs of a scenario: the same tables locally, on Dask, and after SIGKILL."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from instc.results import load_results
from instc.scenarios.runner import run_scenario
from instc.scenarios.spec import load_scenario

MC_TABLES = ("draw_routes", "draw_parameters", "mc_percentiles", "mc_ranking", "mc_tornado")


def write_scenario(path: Path, corridor: Path) -> Path:
    path.write_text(yaml.safe_dump({
        "name": "tiny-mc", "corridor": str(corridor), "years": [2024, 2028],
        "compare": [{"from": "A", "to": "E", "cargo": "container"}],
        "uncertain": [
            {"table": "borders", "column": "hours", "distribution": "uniform",
             "low": 0.5, "high": 3.0},
            {"table": "modes", "column": "usd_per_tkm", "distribution": "lognormal",
             "mu": 0.0, "sigma": 0.3}],
        "seed": 42}), encoding="utf-8")
    return path


def assert_same_tables(a: Path, b: Path) -> None:
    ra, rb = load_results(a), load_results(b)
    for name in MC_TABLES:
        pd.testing.assert_frame_equal(ra.table(name), rb.table(name))


def test_200_draws_locally_and_on_dask_are_identical(tiny_folder: Path, tmp_path: Path,
                                                     dask_cluster) -> None:
    address, _ = dask_cluster
    scenario = load_scenario(write_scenario(tmp_path / "s.yaml", tiny_folder))
    local = run_scenario(scenario, out=tmp_path / "local", draws=200, workers=2)
    remote = run_scenario(scenario, out=tmp_path / "dask", draws=200, dask_address=address)
    assert_same_tables(local, remote)
    assert load_results(local).table("draw_parameters")["draw"].nunique() == 200


def test_sigkill_during_draws_then_rerun(tiny_folder: Path, tmp_path: Path) -> None:
    path = write_scenario(tmp_path / "s.yaml", tiny_folder)
    reference = run_scenario(load_scenario(path), out=tmp_path / "ref", draws=80)
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "instc.cli", "scenario", "run", str(path), "--out", str(out),
           "--draws", "80"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done = out / "sweep" / "draws" / "done"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if done.exists() and len(list(done.iterdir())) >= 10:
            break
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not (out / "run.json").exists()  # the interrupted run does not pass for finished
    assert 0 < len(list(done.iterdir())) < 80
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert_same_tables(reference, out)


def test_a_server_that_is_not_dask_is_named_not_waited_for(tmp_path: Path, monkeypatch) -> None:
    import socket

    import instc.scenarios.sweep as sweep

    pytest.importorskip("distributed")
    monkeypatch.setattr(sweep, "DASK_CONNECT_S", 1.0)
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        address = f"tcp://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.raises(sweep.SweepError, match="did not answer as a Dask scheduler"):
            sweep._run_dask(lambda *a: None, [0], [np.random.SeedSequence(1)], tmp_path,
                            address, lambda: None)
