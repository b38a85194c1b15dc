"""Commands that present results: report (and, with the ``app`` extra, serve)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from instc.cli._app import app, console, load_corridor_arg

__all__ = ["report", "serve"]


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the report into.")] = Path(
        "instc-report"),
    year: Annotated[int, typer.Option(help="Year the map and the summary tables show.")] = 2024,
    corridor_folder: Annotated[Path | None, typer.Option(
        "--corridor", help="Corridor folder; the embedded INSTC corridor by default.")] = None,
    static_charts: Annotated[bool, typer.Option(
        "--charts/--no-charts", help="Also write the charts as PNG and SVG (matplotlib).")] = True,
) -> None:
    """Write the corridor report: one self-contained HTML page, CSV tables, PNG/SVG charts."""
    from instc.report import save_report

    start = time.perf_counter()
    corridor = load_corridor_arg(corridor_folder)
    page = save_report(corridor, out, year=year, static_charts=static_charts)
    console.print(f"wrote {page} (tables in {out / 'tables'}"
                  + (f", charts in {out / 'charts'}" if static_charts else "")
                  + f") in {time.perf_counter() - start:.1f} s")


@app.command()
def serve(
    host: Annotated[str, typer.Option(
        help="Address to listen on; only this machine can connect to the default.")] = (
        "127.0.0.1"),
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    corridor_folder: Annotated[Path | None, typer.Option(
        "--corridor", help="Corridor folder; the embedded INSTC corridor by default.")] = None,
    timeout: Annotated[float, typer.Option(
        min=0.1, max=600, help="Longest a request's computation may run (s).")] = 10.0,
) -> None:
    """Serve the web app: the corridor map and the JSON API under /api/."""
    from instc._optional import import_optional
    from instc.app import AppSettings, create_app
    from instc.app.server import LOOPBACK_HOSTS

    uvicorn = import_optional("uvicorn", extra="app")
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
    uvicorn.run(web, host=host, port=port, log_level="warning", server_header=False,
                proxy_headers=False, limit_concurrency=200, timeout_keep_alive=5)
