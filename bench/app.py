"""Load test of the web app's route endpoint on loopback.

Starts the app (embedded INSTC corridor) on a free port of 127.0.0.1, sends
requests from CLIENTS concurrent clients for SECONDS seconds to
``/api/route`` (origin–destination pairs and years in rotation), stops the
server, and prints requests/s, p50 and p99 latency and the count of non-2xx
answers, against the goal: zero 5xx and p99 under 100 ms. It never targets
anything but the server it started.
"""

from __future__ import annotations

import itertools
import socket
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

CLIENTS = 50
SECONDS = 20.0
GOAL_P99_MS = 100.0
PAIRS = [("St Petersburg", "Nhava Sheva"), ("Moscow", "Bandar Abbas"),
         ("Astrakhan", "Tehran"), ("Nhava Sheva", "Moscow"), ("Aktau", "Chabahar")]
YEARS = [2024, 2027, 2030]


def main() -> int:
    import httpx
    import uvicorn

    from instc.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port,
                                           log_level="warning", limit_concurrency=200))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    queries = [{"origin": o, "destination": d, "year": y, "cargo": "container"}
               for (o, d), y in itertools.product(PAIRS, YEARS)]
    with httpx.Client(base_url=base) as warm:  # build the routers once, as a live server would
        for q in queries:
            warm.get("/api/route", params=q).raise_for_status()

    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    stop = time.perf_counter() + SECONDS

    def client(i: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as c:
            for n in itertools.count(i):
                if time.perf_counter() > stop:
                    return
                t = time.perf_counter()
                r = c.get("/api/route", params=queries[n % len(queries)])
                dt = time.perf_counter() - t
                with lock:
                    latencies.append(dt)
                    statuses.append(r.status_code)

    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(client, range(CLIENTS)))
    elapsed = time.perf_counter() - start
    server.should_exit = True
    thread.join(timeout=10)

    ms = sorted(x * 1000 for x in latencies)
    p50 = statistics.median(ms)
    p99 = ms[min(len(ms) - 1, int(0.99 * len(ms)))]
    non2xx = sum(1 for s in statuses if not 200 <= s < 300)
    fives = sum(1 for s in statuses if s >= 500)
    print(f"instc serve, /api/route on the embedded INSTC corridor: {CLIENTS} clients, "
          f"{elapsed:.1f} s on 127.0.0.1")
    print(f"  requests        {len(ms):8d}")
    print(f"  requests/s      {len(ms) / elapsed:8.1f}")
    print(f"  p50 latency     {p50:8.1f} ms")
    print(f"  p99 latency     {p99:8.1f} ms   goal < {GOAL_P99_MS:.0f} ms: "
          + ("met" if p99 < GOAL_P99_MS else "NOT MET"))
    print(f"  non-2xx         {non2xx:8d}   (5xx: {fives}; goal 0)")
    return 0 if fives == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
