"""Load test of the web app's route endpoint on loopback.

Starts the app (embedded INSTC corridor) in its own process on a free port
of 127.0.0.1, as `instc serve` runs it, then sends requests from CLIENTS
concurrent connections for SECONDS seconds to ``/api/route``
(origin–destination pairs and years in rotation), stops the server, and
prints requests/s, p50 and p99 latency and the count of non-2xx answers,
against the goal: zero 5xx and p99 under 100 ms. It never targets anything
but the server it started.

The load comes from ``wrk`` (Debian package ``wrk``) when it is installed:
a Python client cannot send more than a few hundred requests a second on
this machine and would measure itself. Without ``wrk``, asyncio clients in
this process are used, and the figures say so.

Two query mixes are sent, one after the other, to the same server:

- ``repeated``: 5 origin-destination pairs x 3 years (15 queries), as users
  clicking the same corridor ends; after the first, each is answered from
  the server's cache of encoded answers.
- ``distinct``: every reachable pair of nodes x 3 years (about 6,000
  queries, sent in order, more than the 512 answers the server keeps), so
  nearly every request searches a route and builds its itinerary: the
  figure for a server that cannot lean on its cache.

Run: python bench/app.py [--clients 50] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import socket
import statistics
import subprocess
import sys
import time

import numpy as np

GOAL_P99_MS = 100.0
PAIRS = [("St Petersburg", "Nhava Sheva"), ("Moscow", "Bandar Abbas"),
         ("Astrakhan", "Tehran"), ("Nhava Sheva", "Moscow"), ("Aktau", "Chabahar")]
YEARS = [2024, 2027, 2030]


def start_server(port: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "uvicorn", "--factory", "instc.app:create_app",
           "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
           "--no-server-header"]
    return subprocess.Popen(cmd)


async def run(base: str, clients: int, seconds: float,
              queries: list[dict[str, object]]) -> tuple[list[float], list[int], float]:
    import httpx

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as c:
        for q in queries[:15]:  # build the routers once, as a live server would have
            (await c.get("/api/route", params=q)).raise_for_status()
        latencies: list[float] = []
        statuses: list[int] = []
        stop = time.perf_counter() + seconds

        async def client(i: int) -> None:
            for n in itertools.count(i):
                if time.perf_counter() > stop:
                    return
                t = time.perf_counter()
                r = await c.get("/api/route", params=queries[n % len(queries)])
                latencies.append(time.perf_counter() - t)
                statuses.append(r.status_code)

        start = time.perf_counter()
        await asyncio.gather(*(client(i) for i in range(clients)))
        return latencies, statuses, time.perf_counter() - start


def distinct_queries() -> list[dict[str, object]]:
    """Return every reachable (origin, destination, year) of the embedded corridor."""
    from instc.network.corridor import load_corridor
    from instc.routing import Router

    corridor = load_corridor()
    queries: list[dict[str, object]] = []
    for year in YEARS:
        router = Router(corridor, year)
        for o in corridor.nodes["id"]:
            costs = router.costs_from(str(o))
            for d in costs.loc[np.isfinite(costs["cost"]), "destination"]:
                queries.append({"origin": o, "destination": d, "year": year,
                                "cargo": "container"})
    return queries


def repeated_queries() -> list[dict[str, object]]:
    """Return the 15 queries of the repeated mix."""
    return [{"origin": o, "destination": d, "year": y, "cargo": "container"}
            for (o, d), y in itertools.product(PAIRS, YEARS)]


WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def run_wrk(base: str, clients: int, seconds: float,
            queries: list[dict[str, object]]) -> tuple[float, float, float, int, int]:
    """Return requests/s, p50 ms, p99 ms, requests and non-2xx answers from wrk."""
    import re
    import shutil
    import tempfile
    from urllib.parse import urlencode

    paths = [f'"/api/route?{urlencode(q)}"' for q in queries]
    wrk = shutil.which("wrk")
    assert wrk is not None
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(WRK_SCRIPT % ", ".join(paths))
    warm = [wrk, "-t1", f"-c{clients}", "-d3s", "-s", fh.name, base]
    subprocess.run(warm, capture_output=True, check=True)
    cmd = [wrk, "-t1", f"-c{clients}", f"-d{int(seconds)}s", "--latency", "-s", fh.name, base]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout

    def ms(label: str) -> float:
        m = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        if m is None:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, ms("50"), ms("99"), total, int(bad.group(1)) if bad else 0


def report(mix: str, n_queries: int, clients: int, seconds: float, rps: float, p50: float,
           p99: float, total: int, non2xx: int, client: str) -> None:
    """Print one mix's figures against the goal."""
    goal = "met" if p99 < GOAL_P99_MS else "NOT MET"
    print(f"{mix} queries ({n_queries:,} in rotation), /api/route on the embedded INSTC "
          f"corridor: {clients} connections, {seconds:.0f} s from {client} on 127.0.0.1")
    print(f"  requests        {total:8d}")
    print(f"  requests/s      {rps:8.1f}")
    print(f"  p50 latency     {p50:8.1f} ms")
    print(f"  p99 latency     {p99:8.1f} ms   goal < {GOAL_P99_MS:.0f} ms: {goal}")
    print(f"  non-2xx         {non2xx:8d}   (goal 0 5xx)")


def measure(base: str, clients: int, seconds: float,
            queries: list[dict[str, object]]) -> tuple[float, float, float, int, int, str]:
    """Return requests/s, p50, p99 (ms), requests, non-2xx and the client used."""
    import shutil

    if shutil.which("wrk"):
        return (*run_wrk(base, clients, seconds, queries), "wrk")
    latencies, statuses, elapsed = asyncio.run(run(base, clients, seconds, queries))
    ms = sorted(x * 1000 for x in latencies)
    p99 = ms[min(len(ms) - 1, int(0.99 * len(ms)))]
    non2xx = sum(1 for s in statuses if not 200 <= s < 300)
    return (len(ms) / elapsed, statistics.median(ms), p99, len(ms), non2xx,
            "Python clients (wrk is not installed, so the figures measure the clients "
            "as much as the server)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    mixes = {"repeated": repeated_queries(), "distinct": distinct_queries()}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    failed = False
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        for mix, queries in mixes.items():
            rps, p50, p99, total, non2xx, client = measure(base, args.clients, args.seconds,
                                                           queries)
            report(mix, len(queries), args.clients, args.seconds, rps, p50, p99, total,
                   non2xx, client)
            failed |= non2xx > 0
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
