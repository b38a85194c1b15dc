from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from instc import load_corridor
from tests.e2e.conftest import README_IMAGES, Watched

pytest.importorskip("fastapi", reason="the web app needs the 'app' extra")
uvicorn = pytest.importorskip("uvicorn", reason="the web app needs the 'app' extra")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    from instc.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(load_corridor()), host="127.0.0.1", port=port,
                            log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the app did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    srv.should_exit = True
    thread.join(timeout=10)


def _wait_year(page: Any, year: int) -> None:
    # Selectors, not wait_for_function: the app's CSP forbids the eval that one needs.
    page.wait_for_selector(f"#app[data-year='{year}']", state="attached")


def _wait_count(locator: Any, more_than: int, timeout_s: float = 20) -> int:
    deadline = time.monotonic() + timeout_s
    while (n := locator.count()) <= more_than:
        if time.monotonic() > deadline:
            pytest.fail(f"only {n} elements for {locator}")
        time.sleep(0.1)
    return int(n)


def test_app_page_draws_the_map_and_follows_the_year(watched: Watched, server: str) -> None:
    page = watched.page
    page.goto(server, wait_until="load")
    _wait_year(page, 2024)
    # The network and the country outlines arrive separately; wait for both.
    _wait_count(page.locator("#map .leaflet-overlay-pane svg path"), 150)
    links_2024 = int(page.locator("#app").get_attribute("data-links") or 0)
    assert links_2024 == int(load_corridor().open_in("links", 2024).sum())
    assert page.locator("#panel-summary table").count() == 3
    assert "2024" in page.locator("#panel-summary h2").inner_text()
    watched.screenshot("app-2024")

    page.select_option("#year", "2030")
    _wait_year(page, 2030)
    links_2030 = int(page.locator("#app").get_attribute("data-links") or 0)
    assert links_2030 == int(load_corridor().open_in("links", 2030).sum())
    assert links_2030 != links_2024
    assert "year=2030" in (page.locator("#dl-links").get_attribute("href") or "")
    assert "2030" in page.locator("#panel-summary h2").inner_text()
    watched.screenshot("app-2030")
    watched.assert_offline_clean()


def test_app_routes_between_two_nodes_and_follows_the_year(watched: Watched, server: str) -> None:
    page = watched.page
    page.goto(server, wait_until="load")
    _wait_year(page, 2024)
    page.wait_for_selector("#cargo option[value='container']", state="attached")
    page.wait_for_selector("#scenario option[value='baseline']", state="attached")
    # Forgiving names in the search boxes: no id, odd case, "St" for "Saint".
    page.fill("#origin", "st petersburg")
    page.fill("#destination", "Nhava Sheva")
    page.click("#go")
    page.wait_for_selector("#app[data-route-year='2024']", state="attached")
    root = page.locator("#app")
    via_2024 = (root.get_attribute("data-route") or "").split()
    assert via_2024[0] == "RU_SPB_PORT" and via_2024[-1] == "IN_NSA"
    # On the map: the route's legs (thick) over the other branches (thin).
    legs = page.locator("#map path.route-leg")
    assert legs.count() >= int(root.get_attribute("data-route-legs") or 0) > 3
    # In the tables: the itinerary's steps and the comparison of every branch.
    steps_2024 = page.locator("#route-steps tbody tr")
    assert steps_2024.count() >= 8
    text_2024 = page.locator("#route-steps").inner_text()
    assert "St Petersburg" in text_2024 and "Nhava Sheva" in text_2024
    branches = page.locator("#route-compare tbody tr").all_inner_texts()
    assert any("suez" in r for r in branches) and any("west" in r for r in branches)
    assert "2024" in page.locator("#route-totals").inner_text()
    watched.screenshot("app-route-2024")
    if os.environ.get("INSTC_README_SCREENSHOTS"):
        README_IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(README_IMAGES / "app.png"))

    # Another year: the Rasht–Astara railway is open, and the itinerary changes.
    page.select_option("#year", "2030")
    page.wait_for_selector("#app[data-route-year='2030']", state="attached")
    text_2030 = page.locator("#route-steps").inner_text()
    assert text_2030 != text_2024
    assert "2030" in page.locator("#route-totals").inner_text()
    watched.screenshot("app-route-2030")

    # An unknown name: the error names the closest nodes and the route is cleared.
    page.fill("#origin", "Moskow")
    page.click("#go")
    page.wait_for_selector("#app[data-route='']", state="attached")
    assert "Moskow" in page.locator("#route-error").inner_text()
    assert page.locator("#map path.route-leg").count() == 0
    watched.errors[:] = [e for e in watched.errors if "422" not in e]
    watched.assert_offline_clean()


def test_capacity_view_draws_loads_and_bottlenecks_and_follows_the_year(
        watched: Watched, server: str) -> None:
    page = watched.page
    page.goto(server, wait_until="load")
    _wait_year(page, 2024)
    page.click("#tab-capacity")
    page.wait_for_selector("#app[data-capacity-year='2024']", state="attached")
    root = page.locator("#app")
    assert root.get_attribute("data-capacity-scenario") == "baseline"
    lines = int(root.get_attribute("data-capacity-lines") or 0)
    assert page.locator("#map path.load-line").count() == lines > 10
    assert page.locator("#map path.load-over").count() > 0  # demand beyond capacity, in red
    assert page.locator("#capacity-bottlenecks tbody tr").count() == int(
        root.get_attribute("data-capacity-bottlenecks") or 0) > 0
    assert "all or nothing" in page.locator("#capacity-note").inner_text()
    assert page.locator("#view-routes").is_hidden()
    figures_2024 = page.locator("#capacity-throughput").inner_text()
    assert "45" in figures_2024  # the 45 Mt target, held flat before 2030
    watched.screenshot("app-capacity-2024")

    page.select_option("#year", "2040")
    page.wait_for_selector("#app[data-capacity-year='2040']", state="attached")
    assert page.locator("#capacity-throughput").inner_text() != figures_2024
    assert "2040" in page.locator("#capacity-bottlenecks caption").inner_text()
    assert "year=2040" in (page.locator("#dl-capacity-bottlenecks").get_attribute("href") or "")
    watched.screenshot("app-capacity-2040")
    watched.assert_offline_clean()
