"""The scenarios shipped with the embedded INSTC corridor."""

from __future__ import annotations

from pathlib import Path

import pytest

from instc import load_corridor
from instc.data import instc_corridor_path
from instc.scenarios.apply import check_scenario
from instc.scenarios.spec import load_scenario

SHIPPED = sorted((instc_corridor_path() / "scenarios").glob("*.yaml"))


def test_the_shipped_set() -> None:
    names = {p.stem for p in SHIPPED}
    assert {"baseline", "rasht-astara-2027", "rasht-astara-late", "long-term-100",
            "red-sea-closure", "caspian-low-water", "border-closure"} <= names
    assert any("2030" in n and "target" in n for n in names)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_each_scenario_fits_the_corridor(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.name == path.stem
    assert check_scenario(scenario, load_corridor(), label=path.name) == []
