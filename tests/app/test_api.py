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
