"""``instc assign`` on the embedded INSTC corridor: equilibrium and logit route shares."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from instc.cli import main


def _run(*args: str) -> dict:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["assign", "--year", "2030", "--demand", "target-2030", *args,
                     "--json"]) == 0
    return json.loads(buf.getvalue())


def test_assign_equilibrium_loads_the_whole_demand():
    a = _run("--gap", "1e-4")
    assert a["demand_t"] == pytest.approx(45e6)
    assert a["converged"] and 0.0 <= a["relative_gap"] <= 1e-4
    assert sum(p["demand_t"] for p in a["pairs"]) == pytest.approx(45e6)
    assert all(p["cost_usd_t"] >= p["free_flow_cost_usd_t"] - 1e-6 for p in a["pairs"])
    assert a["saturated"] and a["delay_cost_usd"] > 0
    assert a["convergence"][-1]["relative_gap"] <= 1e-4


def test_assign_logit_shares_sum_to_one():
    a = _run("--logit", "0.05", "--routes", "3")
    assert a["model"] == "path-size logit" and a["theta"] == 0.05
    sums: dict[tuple[str, str, str], float] = {}
    for r in a["routes"]:
        key = (r["origin"], r["destination"], r["cargo"])
        sums[key] = sums.get(key, 0.0) + r["share"]
    assert len(sums) == 15 and all(s == pytest.approx(1.0) for s in sums.values())


def test_assign_rejects_algorithm_b():
    with contextlib.redirect_stderr(io.StringIO()):
        assert main(["assign", "--year", "2030", "--demand", "target-2030",
                     "--algorithm", "algorithm-b"]) != 0


@pytest.mark.parametrize(("args", "option"), [
    (["capacity", "--year", "2030", "--demand", "target-2030", "--scale", "nan"], "--scale"),
    (["capacity", "--year", "2030", "--demand", "target-2030", "--scale", "-1"], "--scale"),
    (["capacity", "--year", "99999", "--demand", "target-2030"], "--year"),
    (["capacity", "--year", "2030", "--demand", "target-2030", "--top", "-1"], "--top"),
    (["assign", "--year", "2030", "--demand", "x", "--peak-factor", "0"], "--peak-factor"),
    (["assign", "--year", "2030", "--demand", "x", "--logit", "nan"], "--logit"),
    (["assign", "--year", "2030", "--demand", "x", "--routes", "0"], "--routes"),
    (["assign", "--year", "2030", "--demand", "x", "--delay-cost", "-5"], "--delay-cost"),
    (["assign", "--year", "2030", "--demand", "x", "--link-function", "bogus"],
     "--link-function"),
    (["assign", "--year", "2030", "--demand", "x", "--gap", "nan"], "--gap"),
    (["assign", "--year", "2030", "--demand", "x", "--max-iterations", "-5"],
     "--max-iterations"),
    (["tntp", "run", "pyproject.toml"], "network_dir"),
    (["tntp", "run", ".", "--time-limit", "inf"], "--time-limit"),
])
def test_bad_option_values_are_named(args, option, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert option in err and "Traceback" not in err
