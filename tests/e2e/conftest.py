"""Browser tests: Debian's Chromium driven by Playwright, with the network cut off.

Every request that leaves file://, data:, blob: or this machine's loopback is
aborted and recorded, and the page's Content-Security-Policy violations are
recorded too; the tests assert that neither list has anything in it.
Screenshots go to ``tests/e2e/artifacts/`` (git-ignored). ``playwright
install`` is never used: the browser is Debian's (``apt-get install -y
chromium``; ``make test`` does it where it can).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path(os.environ.get("INSTC_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).parent / "artifacts"
README_IMAGES = Path(__file__).parents[2] / "docs" / "images"
"""Where the README's screenshots go, written only with INSTC_README_SCREENSHOTS=1 so a
test run leaves the tracked images alone."""
LOCAL_SCHEMES = {"file", "data", "blob", "about"}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

_CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.blockedURI + ' (' + e.violatedDirective + ')');
});
"""


def is_local(url: str) -> bool:
    """Return whether ``url`` stays on this machine."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws"} and (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class Watched:
    """A page and what it tried to do that it should not have."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return list(self.page.evaluate("window.__cspViolations || []"))

    def assert_offline_clean(self) -> None:
        assert self.blocked == [], f"requests left the machine: {self.blocked}"
        assert self.csp_violations() == [], "the page tried to load something"
        assert self.errors == [], f"errors in the page: {self.errors}"

    def screenshot(self, name: str, selector: str | None = None) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        if selector is None:
            self.page.screenshot(path=str(path), full_page=False)
        else:
            self.page.locator(selector).first.screenshot(path=str(path))
        return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install -y "
                    "chromium; `make test` does it as root) to run the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (test extra)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  service_workers="block")
    page = context.new_page()
    page.set_default_timeout(30_000)
    watched = Watched(page)

    def route(r: Any) -> None:
        if is_local(r.request.url):
            r.continue_()
        else:
            watched.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    context.add_init_script(_CSP_LISTENER)
    page.on("pageerror", lambda e: watched.errors.append(str(e)))
    page.on("console", lambda m: watched.errors.append(m.text) if m.type == "error" else None)
    yield watched
    context.close()
