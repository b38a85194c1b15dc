from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from instc.scenarios.sweep import SweepError, collect_draws, draw_seeds, run_sweep
from tests.scenarios.draws import noisy_draw


def test_seeds_are_spawned_from_the_sweep_seed() -> None:
    a, b = draw_seeds(7, 3), draw_seeds(7, 5)
    assert [s.spawn_key for s in a] == [(0,), (1,), (2,)]
    assert np.random.default_rng(a[2]).random() == np.random.default_rng(b[2]).random()


def test_local_pool_equals_serial(tmp_path: Path) -> None:
    serial = run_sweep(noisy_draw, 12, seed=3, out=tmp_path / "s")
    pooled = run_sweep(noisy_draw, 12, seed=3, out=tmp_path / "p", workers=2)
    for name in ("values", "summary"):
        pd.testing.assert_frame_equal(serial[name], pooled[name])
    assert serial["summary"]["draw"].tolist() == list(range(12))


def test_resume_skips_finished_draws(tmp_path: Path) -> None:
    first = run_sweep(noisy_draw, 5, seed=1, out=tmp_path)
    done = sorted((tmp_path / "draws" / "done").iterdir())
    (done[3]).unlink()  # as if the run had died while writing draw 3
    stamp = (tmp_path / "draws" / "values" / "000001.parquet").stat().st_mtime_ns
    again = run_sweep(noisy_draw, 5, seed=1, out=tmp_path)
    assert (tmp_path / "draws" / "values" / "000001.parquet").stat().st_mtime_ns == stamp
    pd.testing.assert_frame_equal(first["values"], again["values"])


def test_draws_of_another_sweep_are_discarded_not_mixed(tmp_path: Path) -> None:
    run_sweep(noisy_draw, 5, seed=1, out=tmp_path, identity={"scenario": "a"})
    (tmp_path / "draws" / "done" / "000004").unlink()  # interrupted
    fresh = run_sweep(noisy_draw, 5, seed=2, out=tmp_path / "fresh", identity={"scenario": "a"})
    for seed, identity in ((2, {"scenario": "a"}), (2, {"scenario": "b"})):
        again = run_sweep(noisy_draw, 5, seed=seed, out=tmp_path, identity=identity)
        pd.testing.assert_frame_equal(again["values"], fresh["values"])
    # A sweep with the same key resumes: finished draws are not rewritten.
    stamp = (tmp_path / "draws" / "values" / "000001.parquet").stat().st_mtime_ns
    run_sweep(noisy_draw, 6, seed=2, out=tmp_path, identity={"scenario": "b"})
    assert (tmp_path / "draws" / "values" / "000001.parquet").stat().st_mtime_ns == stamp


def test_collect_refuses_an_unfinished_sweep(tmp_path: Path) -> None:
    run_sweep(noisy_draw, 3, seed=1, out=tmp_path)
    with pytest.raises(SweepError, match="1 draw\\(s\\) of 4 are not finished"):
        collect_draws(tmp_path, 4)


ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from instc.scenarios.sweep import run_sweep
from tests.scenarios.draws import slow_draw
run_sweep(slow_draw, 40, seed=9, out={out!r})
"""


def test_sigkill_then_rerun_gives_the_same_tables(tmp_path: Path) -> None:
    reference = run_sweep(noisy_draw, 40, seed=9, out=tmp_path / "ref")
    out = tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT.format(root=str(ROOT), out=str(out))])
    deadline = time.monotonic() + 60
    done = out / "draws" / "done"
    while time.monotonic() < deadline:
        if done.exists() and len(list(done.iterdir())) >= 5:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished = len(list(done.iterdir()))
    assert 0 < finished < 40
    resumed = run_sweep(noisy_draw, 40, seed=9, out=out)
    for name in ("values", "summary"):
        pd.testing.assert_frame_equal(reference[name], resumed[name])


def test_dask_equals_local_and_survives_a_killed_worker(tmp_path: Path, dask_cluster) -> None:
    address, procs = dask_cluster
    local = run_sweep(noisy_draw, 60, seed=11, out=tmp_path / "local")
    import threading

    def kill_worker() -> None:
        time.sleep(0.5)
        procs[1].send_signal(signal.SIGKILL)

    killer = threading.Thread(target=kill_worker)
    killer.start()
    from tests.scenarios.draws import slow_draw

    remote = run_sweep(slow_draw, 60, seed=11, out=tmp_path / "dask", dask_address=address)
    killer.join()
    assert procs[1].poll() is not None  # the worker really died mid-sweep
    for name in ("values", "summary"):
        pd.testing.assert_frame_equal(local[name], remote[name])
