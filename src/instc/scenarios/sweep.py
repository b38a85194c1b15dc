"""Sweeps and Monte Carlo draws: seeded, persisted per draw, resumable.

Each draw ``i`` gets its own random stream, spawned from the sweep's seed
with :meth:`numpy.random.SeedSequence.spawn`, so a draw's result depends
only on ``(seed, i)`` — not on the executor, the number of workers or the
order in which draws finish. Results are written per draw as they finish;
a sweep that is interrupted (even by SIGKILL) and run again skips the draws
already written and ends with the same tables as an uninterrupted run.
Draws are only ever resumed by the same sweep: ``draws/sweep.json`` records
the seed and the caller's ``identity`` (the scenario, the draws per grid
point, the corridor), and draws stored by another sweep are discarded, never
mixed with this one's.

Executors: a local process pool (default), or an existing Dask cluster
through :mod:`dask.distributed` when given its address.

Layout of ``out``::

    draws/sweep.json            seed and identity of the sweep the draws belong to
    draws/<table>/<i>.parquet   each table of each finished draw
    draws/done/<i>              written after all tables of draw i
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from instc._files import write_atomic
from instc.errors import InstcError

__all__ = ["DrawFunction", "SweepError", "collect_draws", "draw_seeds", "run_sweep"]

DrawFunction = Callable[[int, np.random.SeedSequence], Mapping[str, pd.DataFrame]]
"""A draw: ``f(i, seed_sequence) -> {table name: DataFrame}``; must be a
module-level function (it is sent to other processes)."""


class SweepError(RuntimeError, InstcError):
    """A sweep could not run or its stored draws are unusable."""


def draw_seeds(seed: int, n: int) -> list[np.random.SeedSequence]:
    """Return the seed sequences of draws ``0 .. n-1`` of a sweep seeded with ``seed``."""
    return list(np.random.SeedSequence(seed).spawn(n))


def _draw_path(out: Path, table: str, i: int) -> Path:
    return out / "draws" / table / f"{i:06d}.parquet"


def _done_path(out: Path, i: int) -> Path:
    return out / "draws" / "done" / f"{i:06d}"


def _finished(out: Path, n: int) -> set[int]:
    done = out / "draws" / "done"
    if not done.exists():
        return set()
    return {int(p.name) for p in done.iterdir() if p.name.isdigit() and int(p.name) < n}


def _run_one(fn: DrawFunction, i: int, seq: np.random.SeedSequence,
             out: str) -> tuple[int, list[str]]:
    tables = fn(i, seq)
    root = Path(out)
    for name, frame in tables.items():
        write_atomic(_draw_path(root, name, i), frame.to_parquet(index=False))
    write_atomic(_done_path(root, i), ",".join(sorted(tables)).encode())
    return i, sorted(tables)


def _claim(root: Path, seed: int, identity: Mapping[str, Any] | None) -> None:
    """Keep the stored draws only if the same sweep wrote them; record this sweep's key."""
    key = json.dumps({"seed": int(seed), "identity": dict(identity or {})}, sort_keys=True,
                     default=str)
    manifest = root / "draws" / "sweep.json"
    try:
        stored = manifest.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        stored = None
    except (OSError, UnicodeDecodeError):
        stored = ""
    if stored == key:
        return
    if (root / "draws").exists():
        # Another seed, scenario or corridor (or draws from before the manifest):
        # its draws would be mixed with this sweep's, so they go.
        shutil.rmtree(root / "draws")
    write_atomic(manifest, key)


def run_sweep(fn: DrawFunction, n_draws: int, *, seed: int, out: str | os.PathLike[str],
              workers: int = 1, dask_address: str | None = None,
              progress: bool = False,
              identity: Mapping[str, Any] | None = None) -> dict[str, pd.DataFrame]:
    """Run draws ``0 .. n_draws-1`` of ``fn`` not already in ``out``; return all draws.

    Parameters
    ----------
    fn : DrawFunction
        The work of one draw (module-level, picklable).
    n_draws : int
        Number of draws.
    seed : int
        Seed of the sweep; draw ``i`` receives ``SeedSequence(seed).spawn(n_draws)[i]``.
    out : path-like
        Folder where each draw's tables are written as they finish.
    workers : int
        Local worker processes (1 runs in this process); ignored with ``dask_address``.
    dask_address : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``).
    progress : bool
        Show a progress bar with rate and time left.
    identity : mapping, optional
        What else, beside the seed, makes draw ``i`` what it is (JSON-able):
        draws stored in ``out`` by a sweep with another seed or identity are
        discarded before this one starts.

    Returns
    -------
    dict of str to pandas.DataFrame
        Every table of every draw, stacked, with a ``draw`` column, sorted by draw.
    """
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    _claim(root, seed, identity)
    seqs = draw_seeds(seed, n_draws)
    todo = [i for i in range(n_draws) if i not in _finished(root, n_draws)]
    with _progress(progress, n_draws, n_draws - len(todo)) as advance:
        if todo and dask_address is not None:
            _run_dask(fn, todo, seqs, root, dask_address, advance)
        elif todo and workers > 1:
            _run_pool(fn, todo, seqs, root, workers, advance)
        else:
            for i in todo:
                _run_one(fn, i, seqs[i], str(root))
                advance()
    return collect_draws(root, n_draws)


_WORKER_FN: list[DrawFunction] = []
"""The draw function of this worker process, sent once when the pool starts."""


def _init_worker(fn: DrawFunction) -> None:
    _WORKER_FN[:] = [fn]


def _run_in_worker(i: int, seq: np.random.SeedSequence, out: str) -> tuple[int, list[str]]:
    return _run_one(_WORKER_FN[0], i, seq, out)


def _run_pool(fn: DrawFunction, todo: list[int], seqs: list[np.random.SeedSequence],
              root: Path, workers: int, advance: Callable[[], None]) -> None:
    # The function (which may hold a whole corridor) is pickled once per
    # worker, not once per draw.
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                             initargs=(fn,)) as pool:
        pending: set[Future[tuple[int, list[str]]]] = {
            pool.submit(_run_in_worker, i, seqs[i], str(root)) for i in todo}
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in finished:
                f.result()
                advance()


DASK_CONNECT_S = 30.0
"""Longest wait for a Dask scheduler to answer (s)."""


def _connect(distributed: Any, address: str) -> Any:
    """Return a Dask client of the scheduler at ``address``, or raise :class:`SweepError`.

    The client is made in a daemon thread: a server that is not a Dask
    scheduler may accept the connection and never answer Dask's handshake,
    which no Dask timeout covers, and the run would hang.
    """
    out: list[Any] = []

    def connect() -> None:
        try:
            out.append(distributed.Client(address, timeout=f"{DASK_CONNECT_S:g}s"))
        except Exception as exc:  # Dask's protocol fails in many ways against other servers
            out.append(exc)

    thread = threading.Thread(target=connect, daemon=True)
    thread.start()
    thread.join(DASK_CONNECT_S + 1.0)
    if not out:
        raise SweepError(f"{address!r} did not answer as a Dask scheduler within "
                         f"{DASK_CONNECT_S:g} s; expected tcp://HOST:PORT of 'dask scheduler'")
    if isinstance(out[0], OSError):
        raise SweepError(f"cannot reach the Dask scheduler at {address!r}: {out[0]}")
    if isinstance(out[0], Exception):
        raise SweepError(f"{address!r} does not answer as a Dask scheduler "
                         f"({type(out[0]).__name__}: {out[0]}); expected tcp://HOST:PORT of "
                         "'dask scheduler'")
    return out[0]


def _run_dask(fn: DrawFunction, todo: list[int], seqs: list[np.random.SeedSequence],
              root: Path, address: str, advance: Callable[[], None]) -> None:
    from instc._optional import import_optional

    distributed = import_optional("distributed", extra="cluster")
    client = _connect(distributed, address)
    with client:
        # Each draw carries the function itself (no scattered copy a dying worker
        # could take with it), so Dask can rerun the draws of a lost worker anywhere.
        futures = [client.submit(_run_one, fn, i, seqs[i], str(root), pure=False,
                                 key=f"instc-draw-{root.name}-{i}", retries=3)
                   for i in todo]
        for f in distributed.as_completed(futures):
            f.result()
            advance()


def collect_draws(out: str | os.PathLike[str], n_draws: int) -> dict[str, pd.DataFrame]:
    """Read every finished draw below ``n_draws`` from ``out``, stacked by table.

    Raises
    ------
    SweepError
        If a draw is missing (the sweep did not finish).
    """
    root = Path(out)
    done = _finished(root, n_draws)
    missing = sorted(set(range(n_draws)) - done)
    if missing:
        raise SweepError(f"{len(missing)} draw(s) of {n_draws} are not finished in {root} "
                         f"(first: {missing[0]}); run the sweep again to complete it")
    names: set[str] = set()
    for i in range(n_draws):
        text = _done_path(root, i).read_text()
        names.update(t for t in text.split(",") if t)
    tables: dict[str, pd.DataFrame] = {}
    for name in sorted(names):
        parts = [pd.read_parquet(_draw_path(root, name, i)).assign(draw=i)
                 for i in range(n_draws) if _draw_path(root, name, i).exists()]
        tables[name] = pd.concat(parts, ignore_index=True)
    return tables


class _progress:
    """A rich progress bar with rate and time left, or nothing."""

    def __init__(self, show: bool, total: int, completed: int) -> None:
        self.show, self.total, self.completed = show, total, completed
        self.bar: Any = None

    def __enter__(self) -> Callable[[], None]:
        if not self.show:
            return lambda: None
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            Task,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task: Task) -> Text:
                return Text(f"{task.speed:.1f} draws/s" if task.speed else "- draws/s")

        self.bar = Progress(TextColumn("draws"), BarColumn(), MofNCompleteColumn(), Rate(),
                            TimeRemainingColumn())
        self.bar.start()
        task = self.bar.add_task("draws", total=self.total, completed=self.completed)
        return lambda: self.bar.advance(task)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()
