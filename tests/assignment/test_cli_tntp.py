from __future__ import annotations

import json

from instc.assignment import read_tntp_flow
from instc.cli import main

from .conftest import DATA


def test_tntp_run_writes_flows(tmp_path, capsys):
    out = tmp_path / "flows.tntp"
    code = main(["tntp", "run", str(DATA / "SiouxFalls"), "--gap", "1e-6", "--flows", str(out)])
    text = capsys.readouterr().out
    assert code == 0
    assert "SiouxFalls" in text and "relative gap" in text and "objective" in text
    flows = read_tntp_flow(out)
    assert len(flows) == 76 and flows["volume"].sum() > 0


def test_tntp_run_json_and_algorithm(capsys):
    code = main(["tntp", "run", str(DATA / "SiouxFalls"), "-a", "bfw", "--gap", "1e-3", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["algorithm"] == "bfw" and data["relative_gap"] <= 1e-3
    assert data["convergence"][0]["iteration"] == 1


def test_tntp_run_bad_input(tmp_path, capsys):
    assert main(["tntp", "run", str(tmp_path)]) == 2
    assert "_net.tntp" in capsys.readouterr().err
    assert main(["tntp", "run", str(DATA / "SiouxFalls"), "-a", "nope"]) == 2
