"""Commands on scenarios: run one, compare two results folders."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer
from rich.table import Table

from instc.cli._app import app, check_output_folder, console

if TYPE_CHECKING:
    from instc.scenarios.spec import Scenario

__all__ = ["scenario_app"]

MAX_WORKERS = 4 * (os.cpu_count() or 1)
"""Most local worker processes ``scenario run`` starts; draws are computation, so more
than one per CPU only waits, and thousands would exhaust the machine."""

_DASK_ADDRESS = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:\[[0-9A-Fa-f:.]+\]|[^\s/:\[\]]+)"
                           r":\d{1,5}$")

scenario_app = typer.Typer(help="Run scenarios and compare their results.",
                           no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")


def _shipped(name: str) -> Path:
    from instc.data import instc_corridor_path

    return instc_corridor_path() / "scenarios" / f"{name}.yaml"


@scenario_app.command("list")
def list_scenarios() -> None:
    """List the scenarios shipped with the embedded INSTC corridor."""
    from instc.scenarios.spec import load_scenario

    table = Table(title="Shipped scenarios", title_justify="left")
    table.add_column("name")
    table.add_column("years")
    table.add_column("description")
    for path in sorted(_shipped("x").parent.glob("*.yaml")):
        s = load_scenario(path)
        years = s.year_list()
        table.add_row(s.name, f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]),
                      s.description)
    console.print(table)


@scenario_app.command("run")
def run(
    file: Annotated[str, typer.Argument(help="Scenario YAML file, or the name of a shipped "
                                             "scenario (see `instc scenario list`).")],
    out: Annotated[Path | None, typer.Option(help="Results folder (default: "
                                                   "results/<scenario name>).")] = None,
    draws: Annotated[int, typer.Option(min=0, help="Monte Carlo draws.")] = 0,
    seed: Annotated[int | None, typer.Option(help="Seed of the draws (default: the "
                                                  "scenario's).")] = None,
    workers: Annotated[int, typer.Option(min=1, max=MAX_WORKERS,
                                         help="Local worker processes.")] = 1,
    dask: Annotated[str | None, typer.Option("--dask", help="Address of a running Dask "
                                                            "scheduler (tcp://host:8786).")]
    = None,
) -> None:
    """Run a scenario for each of its years and write its results folder."""
    from instc.results import load_results
    from instc.scenarios.runner import run_scenario
    from instc.scenarios.spec import load_scenario

    if dask is not None and not _DASK_ADDRESS.match(dask):
        raise typer.BadParameter(f"{dask!r} is not a scheduler address; expected "
                                 "SCHEME://HOST:PORT such as tcp://10.0.0.5:8786",
                                 param_hint="--dask")
    path = Path(file)
    if not path.exists() and not file.endswith((".yaml", ".yml")) and _shipped(file).exists():
        path = _shipped(file)
    scenario = load_scenario(path)
    target = check_output_folder(out if out is not None else Path("results") / scenario.name,
                                 "--out")
    _check_draws_belong(target, scenario, scenario.seed if seed is None else seed)
    folder = run_scenario(scenario, out=target, base=path.parent, draws=draws, seed=seed,
                          workers=workers, dask_address=dask, progress=draws > 0)
    res = load_results(folder)
    console.print(f"wrote {folder}: " + ", ".join(res.table_names))
    if "throughput" in res.table_names:
        t = res.table("throughput")
        table = Table(title="Demand routed and overloaded elements by year",
                      title_justify="left")
        for col in ("year", "demand Mt", "routed Mt", "unrouted Mt", "overloaded"):
            table.add_column(col)
        for r in t.to_dict("records"):
            table.add_row(str(r["year"]), f"{r['demand_t'] / 1e6:.1f}",
                          f"{r['routed_t'] / 1e6:.1f}", f"{r['unrouted_t'] / 1e6:.1f}",
                          str(r["overloaded_elements"]))
        console.print(table)


def _check_draws_belong(folder: Path, scenario: Scenario, seed: int) -> None:
    """Refuse a results folder whose stored draws come from another scenario or seed.

    A run resumes the draws already in ``folder/sweep``; those of a finished
    run with a different scenario or seed would pass for this run's.
    """
    import json

    previous = folder / "run.json"
    if not (folder / "sweep").is_dir() or not previous.is_file():
        return
    try:
        run = json.loads(previous.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        run = None
    same = isinstance(run, dict) and run.get("seed") == seed and run.get("scenario") == (
        json.loads(scenario.model_dump_json(by_alias=True)))
    if not same:
        raise typer.BadParameter(
            f"{str(folder)!r} holds the draws of a run with another scenario or seed, which "
            "this run would take as its own; expected a new folder, or that one after "
            f"removing {str(folder / 'sweep')!r}", param_hint="--out")


@scenario_app.command("diff")
def diff(
    a: Annotated[Path, typer.Argument(help="First results folder.")],
    b: Annotated[Path, typer.Argument(help="Second results folder.")],
    out: Annotated[Path | None, typer.Option(help="Also write the differences as CSV files "
                                                   "in this folder.")] = None,
) -> None:
    """Show how two results folders differ: routes, comparisons, loads, throughput."""
    from instc._files import write_atomic
    from instc.results import load_results
    from instc.scenarios.diff import KEYS, diff_results

    if out is not None:
        check_output_folder(out, "--out")
    for folder in (a, b):
        load_results(folder).require_columns(KEYS)
    tables = diff_results(a, b)
    for name, frame in tables.items():
        counts = frame["change"].value_counts().to_dict() if len(frame) else {}
        summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) or "no difference"
        console.rule(f"{name}: {summary}")
        if len(frame):
            shown = frame.head(40)
            deltas = [c for c in shown.columns if c.endswith("_delta")]
            words = [c for c in shown.columns if c.endswith(("_a", "_b"))
                     and f"{c[:-2]}_delta" not in shown.columns]
            cols = [*KEYS[name], "change", *words, *deltas][:12]
            console.print(_rich(shown[cols]))
            if len(frame) > 40:
                console.print(f"... {len(frame) - 40} more rows")
        if out is not None:
            write_atomic(out / f"diff_{name}.csv", frame.to_csv(index=False,
                                                                lineterminator="\n"))


def _rich(frame: pd.DataFrame) -> Table:
    table = Table()
    for c in frame.columns:
        table.add_column(str(c))
    for row in frame.itertuples(index=False):
        table.add_row(*[f"{v:,.4g}" if isinstance(v, float) else str(v) for v in row])
    return table
