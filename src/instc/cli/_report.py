"""Commands that present results: report (and, with the ``app`` extra, serve)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from instc.cli._app import (
    MAX_YEAR,
    MIN_YEAR,
    CorridorOpt,
    app,
    check_output_folder,
    console,
    load_corridor_arg,
)

if TYPE_CHECKING:
    from instc.results import Results

__all__ = ["report", "serve"]


DEFAULT_SCENARIO = "baseline"
"""Shipped scenario the report of the embedded corridor runs first (about 4 s), so that
``make run``'s page has loads, bottlenecks and routes by year."""


@app.command()
def report(
    results: Annotated[Path | None, typer.Argument(
        help="A results folder written by `instc scenario run`; the report of the corridor "
             "when omitted.")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the report into.")] = Path(
        "instc-report"),
    year: Annotated[int | None, typer.Option(
        min=MIN_YEAR, max=MAX_YEAR,
        help="Year of the map and the route comparison (default 2024, or the results' "
             "first year).")] = None,
    corridor_folder: CorridorOpt = None,
    scenario: Annotated[str | None, typer.Option(
        help="Without RESULTS: run this scenario (a shipped name or a YAML file) into "
             "OUT/results/NAME first and report it; 'none' skips. Default: "
             f"'{DEFAULT_SCENARIO}' for the embedded corridor, none for a corridor folder.")]
    = None,
    static_charts: Annotated[bool, typer.Option(
        "--charts/--no-charts", help="Also write the charts as PNG and SVG (matplotlib).")] = True,
) -> None:
    """Write the report: one self-contained HTML page, CSV tables, PNG/SVG charts."""
    from instc.report import save_report
    from instc.results import load_results

    start = time.perf_counter()
    check_output_folder(out, "--out")
    res = None
    if results is not None:
        if corridor_folder is not None or scenario is not None:
            raise typer.BadParameter("RESULTS already names its corridor and scenario; "
                                     "leave out --corridor and --scenario")
        res = load_results(results)
        corridor = None
    else:
        corridor = load_corridor_arg(corridor_folder)
        chosen = scenario if scenario is not None else (
            DEFAULT_SCENARIO if corridor_folder is None else "none")
        if chosen.lower() != "none":
            res = _run_scenario(chosen, out / "results")
    page = save_report(corridor, out, year=year, static_charts=static_charts, results=res)
    console.print(f"wrote {page} (tables in {out / 'tables'}"
                  + (f", charts in {out / 'charts'}" if static_charts else "")
                  + (f", scenario results in {res.path}" if res is not None else "")
                  + f") in {time.perf_counter() - start:.1f} s")


def _run_scenario(name: str, folder: Path) -> Results:
    from instc.data import instc_corridor_path
    from instc.results import load_results
    from instc.scenarios.runner import run_scenario
    from instc.scenarios.spec import load_scenario

    path = Path(name)
    shipped = instc_corridor_path() / "scenarios" / f"{name}.yaml"
    if not path.exists() and shipped.exists():
        path = shipped
    spec = load_scenario(path)
    return load_results(run_scenario(spec, out=folder / spec.name, base=path.parent))


@app.command()
def serve(
    host: Annotated[str, typer.Option(
        help="Address to listen on; only this machine can connect to the default.")] = (
        "127.0.0.1"),
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    corridor_folder: CorridorOpt = None,
    timeout: Annotated[float, typer.Option(
        min=0.1, max=600, help="Longest a request's computation may run (s).")] = 10.0,
) -> None:
    """Serve the web app: the corridor map and the JSON API under /api/."""
    from instc._optional import import_optional
    from instc.app import AppSettings, create_app
    from instc.app.server import LOOPBACK_HOSTS

    uvicorn = import_optional("uvicorn", extra="app")
    _check_listen(host, port)
    corridor = load_corridor_arg(corridor_folder)
    loopback = host in LOOPBACK_HOSTS or host.startswith("127.")
    settings = AppSettings(timeout_s=timeout,
                           allowed_hosts=(*LOOPBACK_HOSTS, host) if loopback else ("*",))
    if not loopback:
        console.print(f"warning: listening on {host}, so other machines can connect; the app "
                      "has no authentication")
    web = create_app(corridor, settings=settings)
    console.print(f"serving {corridor.meta.title or corridor.meta.name} on "
                  f"http://{host}:{port}/ (API under /api/, schema at /api/openapi.json); "
                  "Ctrl+C stops")
    try:
        uvicorn.run(web, host=host, port=port, log_level="warning", server_header=False,
                    proxy_headers=False, limit_concurrency=200, timeout_keep_alive=5)
    except SystemExit as exc:  # uvicorn has logged why it could not start
        if exc.code not in (None, 0):
            raise typer.Exit(2) from None


def _check_listen(host: str, port: int) -> None:
    """Check that the server can listen on ``host:port``, naming the option when it cannot."""
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise typer.BadParameter(f"{host!r} is not an address of this machine ({exc}); "
                                 "expected one such as 127.0.0.1", param_hint="--host") from None
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            sock.bind(address)
        except OSError as exc:
            raise typer.BadParameter(f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                                     "expected a free port on an address of this machine",
                                     param_hint="--host/--port") from None
