"""Hostile and malformed requests: every one answered with a 4xx JSON error, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from instc import Corridor

pytest.importorskip("fastapi", reason="the web app needs the 'app' extra")
pytest.importorskip("httpx", reason="the API tests need httpx (test extra)")

from instc.app import AppSettings, create_app
from tests.app.test_api import request

HOSTILE = ["", " ", "a" * 150, "-1", "99999999999999999999999999", "1e309", "NaN", "2024.5",
           "../../etc/passwd", "/etc/passwd", "' OR 1=1 --", "\x00", "\x01\x7f", "💥",
           "\u202e", "A\nB", "<script>"]


@pytest.fixture(scope="module")
def tiny_app() -> Any:
    from instc.testing import tiny_corridor_frames, tiny_corridor_meta

    return create_app(Corridor.from_frames(tiny_corridor_frames(), meta=tiny_corridor_meta()))


def assert_json_error(r: Any, status: int | tuple[int, ...]) -> dict[str, Any]:
    assert r.status_code in ((status,) if isinstance(status, int) else status), r.text
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["x-content-type-options"] == "nosniff"
    body: dict[str, Any] = r.json()
    assert body["error"]
    return body


def test_every_parameter_of_every_endpoint_survives_hostile_values(tiny_app: Any) -> None:
    schema = request(tiny_app, "GET", "/api/openapi.json").json()
    valid = {"origin": "A", "destination": "E", "year": "2027", "q": "alpha"}
    checked = 0
    for path, item in schema["paths"].items():
        names = [p["name"] for p in item["get"].get("parameters", [])]
        for name in names:
            for value in HOSTILE:
                params = {k: v for k, v in valid.items() if k in names} | {name: value}
                r = request(tiny_app, "GET", path, params=params)
                assert r.status_code < 500, (path, name, value, r.text)
                text = r.text
                assert "Traceback" not in text and "root:" not in text
                if r.status_code >= 400:
                    body = assert_json_error(r, (404, 422))
                    if r.status_code == 422:
                        assert name in [f["field"] for f in body["fields"]] or (
                            body["fields"][0]["field"] in names), (path, name, value, body)
                checked += 1
    assert checked > 200


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"])
def test_other_methods_on_get_routes_are_405(tiny_app: Any, method: str) -> None:
    r = request(tiny_app, method, "/api/nodes")
    assert_json_error(r, 405)


@pytest.mark.parametrize("path", ["/api/nodes", "/", "/api/route?origin=A&destination=E"])
def test_head_is_get_without_the_body(tiny_app: Any, path: str) -> None:
    get, head = request(tiny_app, "GET", path), request(tiny_app, "HEAD", path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["content-type"] == get.headers["content-type"]
    assert "content-security-policy" in head.headers


def test_a_parameter_given_twice_is_named(tiny_app: Any) -> None:
    r = request(tiny_app, "GET", "/api/nodes", params=[("year", "2024"), ("year", "2027")])
    body = assert_json_error(r, 422)
    assert body["fields"] == [{"field": "year", "message": "given 2 times; expected once"}]
    r = request(tiny_app, "GET", "/api/route",
                params=[("origin", "A"), ("destination", "E"), ("origin", "B")])
    assert assert_json_error(r, 422)["fields"][0]["field"] == "origin"


def test_a_foreign_or_doubled_host_header_is_a_json_400(tiny_app: Any) -> None:
    body = assert_json_error(request(tiny_app, "GET", "/api/health",
                                     headers={"host": "attacker.example:8000"}), 400)
    assert "'attacker.example:8000' is not served here" in body["error"]
    r = request(tiny_app, "GET", "/api/health",
                headers=[("host", "127.0.0.1"), ("host", "attacker.example")])
    assert "expected one Host header, not 2" in assert_json_error(r, 400)["error"]
    for host in ("[::1]:8000", "localhost", "LOCALHOST:1", "127.0.0.1:8000"):
        assert request(tiny_app, "GET", "/api/health", headers={"host": host}).status_code == 200


def test_any_host_when_told(tiny: Corridor) -> None:
    app = create_app(tiny, settings=AppSettings(allowed_hosts=("*",)))
    r = request(app, "GET", "/api/health", headers={"host": "corridor.example"})
    assert r.status_code == 200


def test_oversized_headers_and_bodies_are_refused(tiny_app: Any) -> None:
    r = request(tiny_app, "GET", "/api/health", headers={"x-big": "a" * 40_000})
    assert "headers larger than 32768 bytes" in assert_json_error(r, 431)["error"]
    r = request(tiny_app, "GET", "/api/health",
                headers={f"x-h{i}": "b" * 100 for i in range(400)})
    assert_json_error(r, 431)
    r = request(tiny_app, "POST", "/api/health", content=b"x" * 20_000)
    assert_json_error(r, 413)
    r = request(tiny_app, "GET", "/api/health", headers={"content-length": "-1"})
    assert_json_error(r, 413)


@pytest.mark.parametrize("url", [
    "/api", "/api/", "/api/nope", "/API/health", "/api/health%00", "/assets/",
    "/assets/app.js%00", "/assets/..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd",
    "/api/nodes.csv/../../../etc/passwd", "/favicon.ico", "/index.html"])
def test_unknown_paths_are_a_json_404_and_read_no_file(tiny_app: Any, url: str) -> None:
    r = request(tiny_app, "GET", url)
    body = assert_json_error(r, 404)
    assert "root:" not in r.text and len(str(body)) < 200
