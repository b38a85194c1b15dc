"""The web app: one page with the corridor map, and the JSON API, on localhost.

Hardening (issue 7): no request reads or writes a path the client gives
(the corridor is chosen when the server starts; assets are fixed files);
request bodies, URLs and parameters are bounded; every computation runs
under a time limit; invalid input is answered with a 4xx JSON error naming
the field; clients never see a stack trace; the server listens on
127.0.0.1 unless told otherwise, and then checks the Host header so that a
page elsewhere cannot reach it through DNS rebinding.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from instc._optional import import_optional

if TYPE_CHECKING:

    from fastapi import FastAPI

    from instc.network.corridor import Corridor

__all__ = ["AppSettings", "create_app"]

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")

_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'none'")

# Fixed files the page loads: URL -> (package, path parts, media type). Leaflet and the
# Natural Earth outlines are the report's vendored copies (one copy in the wheel).
_ASSETS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "leaflet.js": ("instc", ("report", "assets", "leaflet", "leaflet.js"),
                   "text/javascript; charset=utf-8"),
    "leaflet.css": ("instc", ("report", "assets", "leaflet", "leaflet.css"),
                    "text/css; charset=utf-8"),
    "countries-50m.json": ("instc", ("report", "assets", "world-atlas", "countries-50m.json"),
                           "application/json"),
    "topojson-client.min.js": ("instc.app", ("assets", "topojson-client.min.js"),
                               "text/javascript; charset=utf-8"),
    "app.js": ("instc.app", ("assets", "app.js"), "text/javascript; charset=utf-8"),
    "app.css": ("instc.app", ("assets", "app.css"), "text/css; charset=utf-8"),
}


@dataclass(frozen=True)
class AppSettings:
    """Limits and options of the web app.

    Attributes
    ----------
    timeout_s : float
        Longest a computation may run before the request is answered 503 (s).
    max_body_bytes : int
        Largest request body accepted (bytes); the API reads none.
    max_url_chars : int
        Longest request target (path and query) accepted (characters).
    max_header_bytes : int
        Largest total size of the request's header names and values (bytes);
        cookies of other local servers count too, hence the room.
    allowed_hosts : tuple of str
        Host header values accepted (without the port; an IPv6 address
        without its brackets); ``("*",)`` accepts any. Defaults to the
        loopback names, which protects a local server from DNS rebinding.
    """

    timeout_s: float = 10.0
    max_body_bytes: int = 16 * 1024
    max_url_chars: int = 2048
    max_header_bytes: int = 32 * 1024
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS


def _read_asset(name: str) -> bytes:
    package, parts, _ = _ASSETS[name]
    return resources.files(package).joinpath(*parts).read_bytes()


def _host_name(value: str) -> str:
    """Return the host of a Host header value, without the port or an IPv6 address's brackets."""
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _error(status: int, message: str, field: str | None = None) -> Any:
    from starlette.responses import JSONResponse

    body: dict[str, Any] = {"error": message if field is None else
                            f"invalid value for {field!r}: {message}"}
    if field is not None:
        body["fields"] = [{"field": field, "message": message}]
    return JSONResponse(body, status_code=status)


class _LimitsAndHeaders:
    """Refuse requests that break a limit; add the security headers to every answer.

    Checks, in order: one Host header naming this server, the target's
    length, the headers' size, the body's size, parameters given twice.
    Every refusal is a JSON answer, like the API's own errors. A plain ASGI
    middleware (not ``BaseHTTPMiddleware``, which costs a task group per
    request) so that it adds almost nothing to a request's time.
    """

    _HEADERS = (
        (b"content-security-policy", _CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    )

    def __init__(self, app: Any, *, settings: AppSettings) -> None:
        self.app = app
        self.settings = settings
        self.hosts = None if "*" in settings.allowed_hosts else {
            h.lower().strip("[]") for h in settings.allowed_hosts}

    def _refusal(self, scope: Any) -> Any:
        """Return the error answer to a request that breaks a limit, or ``None``."""
        limits = self.settings
        raw = scope.get("headers", [])
        hosts = [v for k, v in raw if k == b"host"]
        if self.hosts is not None:
            if len(hosts) != 1:
                return _error(400, f"expected one Host header, not {len(hosts)}")
            host = hosts[0].decode("latin-1")
            if _host_name(host).lower() not in self.hosts:
                return _error(400, f"Host header {host[:100]!r} is not served here; expected "
                                   "one of " + ", ".join(sorted(self.hosts)))
        query = scope.get("query_string", b"")
        if len(scope["path"]) + (len(query) + 1 if query else 0) > limits.max_url_chars:
            return _error(414, f"request target longer than {limits.max_url_chars} characters")
        if sum(len(k) + len(v) for k, v in raw) > limits.max_header_bytes:
            return _error(431, f"request headers larger than {limits.max_header_bytes} bytes")
        headers = dict(raw)
        length = headers.get(b"content-length")
        if b"transfer-encoding" in headers or (
                length is not None and (not length.isdigit()
                                        or int(length) > limits.max_body_bytes)):
            return _error(413, f"request body larger than {limits.max_body_bytes} bytes (or of "
                               "unknown length)")
        if b"&" in query:  # no parameter takes several values: a repeat is a mistake
            counts = Counter(k for k, _ in parse_qsl(query.decode("latin-1"),
                                                     keep_blank_values=True))
            repeated = [k for k, n in counts.items() if n > 1]
            if repeated:
                return _error(422, f"given {counts[repeated[0]]} times; expected once",
                              repeated[0])
        return None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self._HEADERS]
            await send(message)

        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
        elif scope["method"] == "HEAD":
            # HEAD is GET without the body (RFC 9110, 9.3.2): the same status and
            # headers, Content-Length included, for every GET route.
            async def send_head(message: Any) -> None:
                if message["type"] == "http.response.body":
                    if message.get("more_body", False):
                        return
                    message = {"type": "http.response.body", "body": b""}
                await send_with_headers(message)

            await self.app({**scope, "method": "GET"}, receive, send_head)
        else:
            await self.app(scope, receive, send_with_headers)


def create_app(corridor: Corridor | None = None, *,
               settings: AppSettings | None = None) -> FastAPI:
    """Return the web app serving ``corridor`` (the embedded INSTC corridor by default).

    Needs the ``app`` extra (fastapi, uvicorn). The API's OpenAPI schema is
    at ``/api/openapi.json``; the interactive docs pages are off, since
    FastAPI serves them from a CDN.
    """
    import_optional("fastapi", extra="app")
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import HTMLResponse, JSONResponse, Response
    from starlette.exceptions import HTTPException as StarletteHTTPException

    import instc
    from instc.app.api import MAX_YEAR, MIN_YEAR, router
    from instc.app.capacity import CapacityCache
    from instc.app.routes_api import NodeError, RouterCache
    from instc.app.routes_api import router as routing_router
    from instc.app.routes_capacity import router as capacity_router
    from instc.network import load_corridor

    settings = settings or AppSettings()
    app = FastAPI(
        title="instc", version=instc.__version__, debug=False,
        description="The corridor, its network by year and its summary, as JSON.",
        openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,
    )
    app.state.corridor = corridor if corridor is not None else load_corridor()
    app.state.settings = settings
    app.state.routers = RouterCache(app.state.corridor)
    app.state.capacity = CapacityCache(app.state.corridor)
    app.include_router(router)
    app.include_router(routing_router)
    app.include_router(capacity_router)
    assets = {name: _read_asset(name) for name in _ASSETS}

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body")]
            fields.append({"field": ".".join(loc) or "request", "message": err.get("msg", ""),
                           "input": err.get("input") if isinstance(
                               err.get("input"), str | int | float | None) else None})
        names = ", ".join(repr(f["field"]) for f in fields)
        return JSONResponse({"error": f"invalid value for {names}", "fields": fields},
                            status_code=422)

    @app.exception_handler(NodeError)
    async def bad_node(request: Request, exc: NodeError) -> JSONResponse:
        return JSONResponse({"error": f"invalid value for {exc.field!r}: {exc.message}",
                             "fields": [{"field": exc.field, "message": exc.message,
                                         "closest": exc.closest}]}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc.detail, dict):  # {"field": ..., "message": ...} from a check
            return JSONResponse({"error": f"invalid value for {exc.detail['field']!r}: "
                                          f"{exc.detail['message']}", "fields": [exc.detail]},
                                status_code=exc.status_code)
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        # The trace goes to the server's log (uvicorn), never to the client.
        return JSONResponse({"error": "internal error"}, status_code=500)

    app.add_middleware(_LimitsAndHeaders, settings=settings)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> HTMLResponse:
        return HTMLResponse(_page(app.state.corridor, MIN_YEAR, MAX_YEAR))

    @app.get("/assets/{name}", include_in_schema=False)
    def asset(name: str) -> Response:
        # A fixed table of files: the name is a key, never a path.
        if name not in assets:
            raise StarletteHTTPException(404, "no such asset")
        return Response(assets[name], media_type=_ASSETS[name][2],
                        headers={"Cache-Control": "max-age=3600"})

    return app


def _page(corridor: Corridor, min_year: int, max_year: int) -> str:
    jinja2 = import_optional("jinja2", extra="app")
    env = jinja2.Environment(loader=jinja2.PackageLoader("instc.app", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    text: str = env.get_template("index.html.j2").render(
        title=corridor.meta.title or corridor.meta.name, corridor=corridor.meta.name,
        years=list(range(2022, 2041)), default_year=2024,
        min_year=min_year, max_year=max_year)
    return text
