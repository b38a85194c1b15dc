"""Commands on assignment: ``instc tntp run`` (TNTP benchmark networks)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from instc.cli._app import JsonOpt, app, console

__all__ = ["tntp_run"]

tntp_app = typer.Typer(help="Solve TNTP traffic-assignment benchmark networks.",
                       no_args_is_help=True)
app.add_typer(tntp_app, name="tntp")


@tntp_app.command("run")
def tntp_run(
    network_dir: Annotated[Path, typer.Argument(
        help="TNTP network folder (a *_net.tntp and a *_trips.tntp file).", show_default=False)],
    algorithm: Annotated[str, typer.Option(
        "--algorithm", "-a",
        help="aon, msa, fw, cfw, bfw or algorithm-b.")] = "algorithm-b",
    gap: Annotated[float, typer.Option("--gap", "-g", help="Target relative gap.")] = 1e-6,
    flows: Annotated[Path | None, typer.Option(
        "--flows", help="Write link flows here in the TNTP flow format (from, to, volume, cost).",
        show_default=False)] = None,
    max_iterations: Annotated[int | None, typer.Option(
        "--max-iterations", help="Iteration cap.", show_default=False)] = None,
    time_limit: Annotated[float | None, typer.Option(
        "--time-limit", help="Stop after about this many seconds.", show_default=False)] = None,
    system_optimum: Annotated[bool, typer.Option(
        "--system-optimum", help="Minimize total cost instead of the user equilibrium.")] = False,
    demand_factor: Annotated[float, typer.Option(
        "--demand-factor", help="Multiply every trip by this.")] = 1.0,
    log: Annotated[bool, typer.Option("--log", help="Print every iteration.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Solve a TNTP network to the relative gap; print iterations, gap, objective and time."""
    from instc.assignment import (
        ALGORITHMS,
        assign_equilibrium,
        load_tntp,
        network_from_tntp,
        write_tntp_flow,
    )

    if algorithm not in ALGORITHMS:
        raise typer.BadParameter(f"{algorithm!r} is not one of {', '.join(ALGORITHMS)}",
                                 param_hint="--algorithm")
    tntp = load_tntp(network_dir)
    net = network_from_tntp(tntp, demand_factor=demand_factor)
    result = assign_equilibrium(net, algorithm=algorithm, gap=gap,
                                max_iterations=max_iterations, time_limit=time_limit,
                                system_optimum=system_optimum)
    if flows is not None:
        write_tntp_flow(flows, result.links)
    summary = {"network": tntp.name, "links": net.n_edges, "zones": tntp.n_zones,
               **result.summary()}
    if tntp.best_objective is not None and not system_optimum and demand_factor == 1.0:
        summary["best_known_objective_readme"] = tntp.best_objective
    if as_json:
        summary["convergence"] = result.convergence.to_dict("records")
        print(json.dumps(summary, indent=2, default=float))
        return
    if log:
        table = Table(title="convergence", title_justify="left")
        for col in ("iteration", "relative gap", "objective", "step", "seconds"):
            table.add_column(col, justify="right")
        for row in result.convergence.to_dict("records"):
            table.add_row(str(row["iteration"]), f"{row['relative_gap']:.3e}",
                          f"{row['objective']:.10g}", f"{row['step']:.4g}",
                          f"{row['seconds']:.3f}")
        console.print(table)
    console.print(f"{tntp.name}: {net.n_edges} links, {tntp.n_zones} zones, "
                  f"{summary['problem']}, {result.algorithm}")
    console.print(f"iterations {result.iterations}  relative gap {result.relative_gap:.3e}  "
                  f"objective {result.objective:.12g}  time {result.seconds:.2f} s"
                  + ("" if result.converged else "  (target gap not reached)"))
    if "best_known_objective_readme" in summary:
        console.print(f"best-known objective in the README: {tntp.best_objective!r}")
    if flows is not None:
        console.print(f"flows written to {flows}")
