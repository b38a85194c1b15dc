"""``instc capacity`` on the embedded INSTC corridor: 2024 and 2030 differ as the projects do."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from instc.cli import main


@pytest.fixture(scope="module")
def answers() -> dict[int, dict]:
    out = {}
    for year in (2024, 2030):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            assert main(["capacity", "--year", str(year), "--demand", "target-2030",
                         "--json"]) == 0
        out[year] = json.loads(buf.getvalue())
    return out


def test_capacity_names_bottlenecks(answers):
    a = answers[2030]
    assert a["demand_t"] == pytest.approx(45e6)
    assert a["excluded_branches"] == ["suez", "cape"]
    main_dir = a["ceilings"][0]
    assert main_dir["ceiling_t"] > 0 and main_dir["bottlenecks"]
    categories = {b["category"] for b in main_dir["bottlenecks"]}
    assert {"fleet", "border"} <= categories
    assert all(b["name"] for b in main_dir["bottlenecks"])
    assert main_dir["cut_shown"] == "source-side minimal"


def test_capacity_2024_and_2030_differ_as_the_projects_dictate(answers):
    early, late = answers[2024], answers[2030]
    assert early["ceilings"][0]["ceiling_t"] < late["ceilings"][0]["ceiling_t"]
    assert early["min_cost_flow"]["unserved_t"] > 0 and early["min_cost_flow"]["unserved_by_pair"]
    assert late["min_cost_flow"]["feasible"]
    # 2024: the projects still to come are the candidates; the railway closes the gap.
    assert "rasht_astara" in early["expansion"]["chosen"] and early["expansion"]["sufficient"]
    assert late["expansion"]["chosen"] == []


def test_capacity_tables(capsys):
    assert main(["capacity", "--year", "2030", "--demand", "target-2030", "--top", "3"]) == 0
    text = capsys.readouterr().out
    assert "Throughput ceiling" in text and "Bottlenecks" in text and "Expansion" in text


def test_capacity_unknown_demand(capsys):
    assert main(["capacity", "--year", "2030", "--demand", "nope"]) == 2
