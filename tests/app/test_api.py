from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from instc import Corridor, load_corridor

pytest.importorskip("fastapi", reason="the web app needs the 'app' extra")
httpx = pytest.importorskip("httpx", reason="the API tests need httpx (test extra)")

from instc.app import AppSettings, create_app  # noqa: E402


def request(app: Any, method: str, url: str, **kwargs: Any) -> Any:
    async def go() -> Any:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as c:
            return await c.request(method, url, **kwargs)

    # A thread of its own: Playwright's sync API may hold an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, go()).result()


@pytest.fixture(scope="module")
def app() -> Any:
    return create_app(load_corridor())


@pytest.fixture
def tiny_app(tiny: Corridor) -> Any:
    return create_app(tiny)


def test_corridor_and_health(app: Any) -> None:
    assert request(app, "GET", "/api/health").json() == {"status": "ok"}
    meta = request(app, "GET", "/api/corridor").json()
    assert meta["name"] == "instc"
    assert set(meta["branches"]) >= {"west", "trans_caspian"}
    assert meta["tables"]["nodes"] == len(load_corridor().nodes)


def test_nodes_and_links_by_year_follow_the_projects(tiny_app: Any) -> None:
    before = request(tiny_app, "GET", "/api/links", params={"year": 2024}).json()
    after = request(tiny_app, "GET", "/api/links", params={"year": 2027}).json()
    assert "L4" not in {r["id"] for r in before}
    assert "L4" in {r["id"] for r in after}
    everything = request(tiny_app, "GET", "/api/links").json()
    assert len(everything) == 6
    assert everything[0]["branch"] == ["land"]  # lists, not tuples or strings
    nodes = request(tiny_app, "GET", "/api/nodes").json()
    assert {n["id"] for n in nodes} == {"A", "B", "C", "D", "E"}
    assert nodes[1]["capacity_t"] is None  # NaN becomes null


def test_geojson_summary_and_csv(tiny_app: Any) -> None:
    fc = request(tiny_app, "GET", "/api/geojson", params={"year": 2027}).json()
    assert fc["type"] == "FeatureCollection"
    assert sum(f["properties"]["layer"] == "links" for f in fc["features"]) == 6
    s = request(tiny_app, "GET", "/api/summary", params={"year": 2024}).json()
    assert s["year"] == 2024
    assert {r["id"] for r in s["borders"]} == {"X0", "X1"}
    r = request(tiny_app, "GET", "/api/links.csv", params={"year": 2024})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="links-2024.csv"' in r.headers["content-disposition"]
    assert r.text.splitlines()[0].startswith("id,from,to,mode")
    assert len(r.text.splitlines()) == 1 + 5


@pytest.mark.parametrize(("url", "field"), [
    ("/api/summary", "year"),
    ("/api/summary?year=1999", "year"),
    ("/api/summary?year=99999", "year"),
    ("/api/links?year=abc", "year"),
    ("/api/nodes?year=2024.5", "year"),
])
def test_invalid_input_is_a_4xx_json_error_naming_the_field(tiny_app: Any, url: str,
                                                            field: str) -> None:
    r = request(tiny_app, "GET", url)
    assert r.status_code == 422
    body = r.json()
    assert body["fields"][0]["field"] == field
    assert repr(field) in body["error"]


def test_limits_unknown_paths_and_methods(tiny_app: Any) -> None:
    r = request(tiny_app, "GET", "/api/links?year=2024&x=" + "a" * 3000)
    assert r.status_code == 414 and "error" in r.json()
    r = request(tiny_app, "POST", "/api/health", content=b"x" * 20_000)
    assert r.status_code == 413
    r = request(tiny_app, "POST", "/api/health")
    assert r.status_code == 405 and "error" in r.json()
    for url in ("/nope", "/assets/../server.py", "/assets/%2e%2e%2fserver.py",
                "/assets/leaflet.js/../../api.py", "/docs", "/redoc"):
        r = request(tiny_app, "GET", url)
        assert r.status_code == 404, url
        assert r.headers["content-type"].startswith("application/json")


def test_host_header_is_checked(tiny_app: Any) -> None:
    r = request(tiny_app, "GET", "/api/health", headers={"host": "attacker.example"})
    assert r.status_code == 400
    r = request(tiny_app, "GET", "/api/health", headers={"host": "localhost:8000"})
    assert r.status_code == 200


def test_security_headers_and_page(tiny_app: Any) -> None:
    r = request(tiny_app, "GET", "/")
    assert r.status_code == 200
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "Tiny test corridor" in r.text
    assert "http://" not in r.text and "https://" not in r.text  # only this server
    for asset in ("leaflet.js", "leaflet.css", "countries-50m.json", "topojson-client.min.js",
                  "app.js", "app.css"):
        assert request(tiny_app, "GET", f"/assets/{asset}").status_code == 200, asset


def test_openapi_schema_lists_the_api(tiny_app: Any) -> None:
    schema = request(tiny_app, "GET", "/api/openapi.json").json()
    assert {"/api/corridor", "/api/nodes", "/api/links", "/api/geojson",
            "/api/summary"} <= set(schema["paths"])
    assert "/assets/{name}" not in schema["paths"]


def test_no_stack_trace_reaches_the_client(tiny: Corridor) -> None:
    app = create_app(tiny)

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret detail /etc/passwd")

    r = request(app, "GET", "/api/boom")
    assert r.status_code == 500
    assert r.json() == {"error": "internal error"}
    assert "secret" not in r.text and "Traceback" not in r.text


def test_a_slow_computation_is_answered_503(tiny: Corridor, monkeypatch: Any) -> None:
    import time

    from instc.app import api

    app = create_app(tiny, settings=AppSettings(timeout_s=0.2))
    monkeypatch.setattr(api, "_summary", lambda c, y: time.sleep(2) or {})
    start = time.perf_counter()
    r = request(app, "GET", "/api/summary", params={"year": 2024})
    assert r.status_code == 503 and "0.2 s" in r.json()["error"]
    assert time.perf_counter() - start < 1.5


def test_cli_serve_has_host_and_port_options(capsys: pytest.CaptureFixture[str]) -> None:
    from instc.cli import main

    assert main(["serve", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--host" in out and "--port" in out and "127.0.0.1" in out
    assert main(["serve", "--port", "0"]) == 2  # out of range: a usage error, no server


def test_route_answers_an_itinerary_with_totals_and_geometry(tiny_app: Any) -> None:
    r = request(tiny_app, "GET", "/api/route",
                params={"origin": "alfa", "destination": "Echo Port", "year": 2027})
    assert r.status_code == 200
    it = r.json()
    assert it["origin"] == "A" and it["destination"] == "E" and it["unit"] == "TEU"
    assert it["via"][0] == "A" and it["via"][-1] == "E"
    totals = {t["quantity"]: t for t in it["totals"]}
    assert totals["days"]["low"] <= totals["days"]["central"] <= totals["days"]["high"]
    legs = it["geometry"]["features"]
    assert legs and all(f["geometry"]["type"] == "LineString" for f in legs)


def test_compare_ranks_every_branch(tiny_app: Any) -> None:
    r = request(tiny_app, "GET", "/api/compare", params={"origin": "A", "destination": "E"})
    assert r.status_code == 200
    body = r.json()
    assert {row["branch"] for row in body["routes"]} == {"land", "sea"}
    assert set(body["geometry"]) >= {"land", "sea"}


@pytest.mark.parametrize(("params", "field"), [
    ({"origin": "Alpah", "destination": "E"}, "origin"),
    ({"origin": "A", "destination": "Zulu"}, "destination"),
    ({"origin": "A", "destination": "E", "cargo": "bananas"}, "cargo"),
    ({"origin": "A", "destination": "E", "cargo": "../etc"}, "cargo"),
    ({"origin": "A", "destination": "E", "year": 1999}, "year"),
    ({"origin": "A", "destination": "E", "scenario": "baseline"}, "scenario"),
    ({"origin": "A", "destination": "A"}, "destination"),
    ({"origin": "x" * 101, "destination": "E"}, "origin"),
    ({"destination": "E"}, "origin"),
])
def test_route_rejects_bad_input_naming_the_field(tiny_app: Any, params: dict[str, Any],
                                                  field: str) -> None:
    r = request(tiny_app, "GET", "/api/route", params=params)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["fields"][0]["field"] == field
    assert repr(field) in body["error"]


def test_unknown_node_is_answered_with_the_closest_matches(tiny_app: Any) -> None:
    body = request(tiny_app, "GET", "/api/compare",
                   params={"origin": "Alpah Port", "destination": "E"}).json()
    assert body["fields"][0]["closest"][0] == {"id": "A", "name": "Alpha Port"}


def test_match_cargo_and_scenarios(app: Any, tiny_app: Any) -> None:
    hits = request(app, "GET", "/api/match", params={"q": "sankt peterburg"}).json()
    assert hits[0]["id"] == "RU_SPB_PORT" or "Petersburg" in hits[0]["name"]
    assert request(app, "GET", "/api/match", params={"q": ""}).status_code == 422
    assert {c["id"] for c in request(app, "GET", "/api/cargo").json()} >= {"container", "grain"}
    names = {s["name"] for s in request(app, "GET", "/api/scenarios").json()}
    assert {"baseline", "rasht-astara-late"} <= names
    assert request(tiny_app, "GET", "/api/scenarios").json() == []  # not the INSTC corridor


def test_a_shipped_scenario_changes_the_route(app: Any) -> None:
    params = {"origin": "St Petersburg", "destination": "Nhava Sheva", "year": 2030}
    central = request(app, "GET", "/api/route", params=params).json()
    late = request(app, "GET", "/api/route",
                   params={**params, "scenario": "rasht-astara-late"}).json()
    assert late["scenario"] == "rasht-astara-late"
    assert central["via"] != late["via"] or central["totals"] != late["totals"]


def test_route_computation_is_bounded_in_time(tiny: Corridor) -> None:
    slow = create_app(tiny, settings=AppSettings(timeout_s=0.000001))
    r = request(slow, "GET", "/api/compare", params={"origin": "A", "destination": "E"})
    assert r.status_code == 503 and "longer than" in r.json()["error"]


def test_capacity_answers_loads_bottlenecks_and_throughput(app: Any) -> None:
    r = request(app, "GET", "/api/capacity", params={"year": 2030})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["scenario"] == "baseline" and body["year"] == 2030
    t = body["throughput"]
    assert t["demand_t"] == pytest.approx(45e6)  # the 2030 target
    assert t["routed_t"] + t["unrouted_t"] == pytest.approx(t["demand_t"])
    loads = body["loads"]
    assert {r["kind"] for r in loads} >= {"link", "transfer"}
    for row in loads:  # utilisation only where a capacity is declared
        assert (row["capacity_t"] is None) == (row["utilisation"] is None)
        assert (row["class"] == "no_capacity") == (row["capacity_t"] is None)
    util = [b["utilisation"] for b in body["bottlenecks"]]
    assert util and min(util) >= 0.9 and util == sorted(util, reverse=True)
    assert t["overloaded_elements"] == len({(r["kind"], r["element"], r["from_node"])
                                            for r in loads if (r["utilisation"] or 0) > 1})
    lines = [f for f in body["geometry"]["features"] if f["geometry"]["type"] == "LineString"]
    assert lines and all(f["properties"]["width"] > 0 and f["properties"]["color"]
                         for f in lines)
    assert "all or nothing" in body["note"]
    if "carried_t" in t:  # the runner's min-cost flow under hard capacities
        assert t["carried_t"] + t["unserved_t"] == pytest.approx(t["demand_t"])
    later = request(app, "GET", "/api/capacity", params={"year": 2040}).json()
    assert later["throughput"]["demand_t"] > t["demand_t"]  # on the way to 100 Mt

    csv = request(app, "GET", "/api/capacity/bottlenecks.csv", params={"year": 2030})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert 'filename="bottlenecks-baseline-2030.csv"' in csv.headers["content-disposition"]
    assert csv.text.startswith("year,scenario,kind,element,label")
    assert len(csv.text.splitlines()) == 1 + len(util)
    loads_csv = request(app, "GET", "/api/capacity/loads.csv",
                        params={"year": 2030, "scenario": "baseline"})
    assert len(loads_csv.text.splitlines()) == 1 + len(loads)


@pytest.mark.parametrize(("params", "field"), [
    ({}, "year"),
    ({"year": 1999}, "year"),
    ({"year": "soon"}, "year"),
    ({"year": 2030, "scenario": "nope"}, "scenario"),
    ({"year": 2030, "scenario": "../baseline"}, "scenario"),
])
def test_capacity_rejects_bad_input_naming_the_field(app: Any, params: dict[str, Any],
                                                     field: str) -> None:
    for url in ("/api/capacity", "/api/capacity/loads.csv"):
        r = request(app, "GET", url, params=params)
        assert r.status_code == 422, r.text
        body = r.json()
        assert body["fields"][0]["field"] == field and repr(field) in body["error"]
    if params.get("scenario") == "nope":  # the allowed scenarios are listed
        assert {"baseline", "long-term-100"} <= set(body["fields"][0]["allowed"])


def test_capacity_without_shipped_scenarios_and_under_a_time_limit(tiny: Corridor) -> None:
    r = request(create_app(tiny), "GET", "/api/capacity", params={"year": 2030})
    assert r.status_code == 422 and r.json()["fields"][0]["allowed"] == []
    slow = create_app(load_corridor(), settings=AppSettings(timeout_s=0.000001))
    r = request(slow, "GET", "/api/capacity", params={"year": 2030})
    assert r.status_code == 503 and "longer than" in r.json()["error"]


def test_utilisation_classes_and_widths() -> None:
    from instc.app.capacity import line_width, utilisation_class

    assert [utilisation_class(u, 1e6) for u in (0.0, 0.49, 0.5, 0.9, 1.0, 1.01)] == [
        "under_50", "under_50", "50_90", "90_100", "90_100", "over"]
    assert utilisation_class(None, None) == utilisation_class(0.0, float("inf")) == "no_capacity"
    assert line_width(0) < line_width(5e6) < line_width(25e6) <= line_width(1e9) == 16


def test_observed_figures_only_for_the_instc(tiny_app: Any) -> None:
    r = request(tiny_app, "GET", "/api/observed")
    assert r.status_code == 404 and "no published door-to-door figures" in r.json()["error"]


def test_observed_figures_of_the_instc(app: Any) -> None:
    from instc.routing.observed import load_observations

    rows = request(app, "GET", "/api/observed").json()["observations"]
    assert [r["id"] for r in rows] == list(load_observations()["id"])
    assert all(r["model"] > 0 and r["published"] > 0 for r in rows)
    assert request(app, "GET", "/api/observed").json()["observations"] == rows  # cached
