from __future__ import annotations

import json
from pathlib import Path

import pytest

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


def write_folder(folder: Path, links: list[str], trips: str, meta: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "X_net.tntp").write_text(meta + "<END OF METADATA>\n" + "\n".join(links) + "\n")
    (folder / "X_trips.tntp").write_text("<END OF METADATA>\n" + trips)
    return folder


LINKS = ["1 3 10 1 1 0.15 4 ;", "3 2 10 1 1 0.15 4 ;", "1 2 10 1 3 0.15 4 ;"]


@pytest.mark.parametrize(("links", "trips", "message"), [
    (["1 2 nan 1 1 0.15 4 ;"], "Origin 1\n2 : 5;\n", "X_net.tntp:2: capacity is 'nan'"),
    (["1 2 10 1 -1 0.15 4 ;"], "Origin 1\n2 : 5;\n", "X_net.tntp:2: free_flow_time is -1.0"),
    (["1 2 10 1 1 0.15 -1 ;"], "Origin 1\n2 : 5;\n", "X_net.tntp:2: power is -1.0"),
    (["1 2 10 1 1 0.15 4 ;"], "Origin 1\n2 : -5;\n", "X_trips.tntp:3: demand from 1 to 2"),
    (["1 3 10 1 1 0.15 4 ;"], "Origin 1\n2 : 5;\n", "X_trips.tntp:3: destination zone 2"),
    (["2 1 10 1 1 0.15 4 ;"], "Origin 1\n2 : 5;\n", "no path serves 1 origin-destination"),
])
def test_tntp_run_bad_input_names_file_and_line(tmp_path, capsys, links, trips, message):
    assert main(["tntp", "run", str(write_folder(tmp_path / "x", links, trips))]) == 2
    err = capsys.readouterr().err
    assert message in err and "internal error" not in err


def test_tntp_run_leaves_out_unreachable_pairs(tmp_path, capsys):
    folder = write_folder(tmp_path / "x", LINKS, "Origin 1\n2 : 10;\nOrigin 2\n1 : 3;\n")
    out = tmp_path / "flows.tntp"
    assert main(["tntp", "run", str(folder), "--flows", str(out), "--json"]) == 0
    captured = capsys.readouterr()
    assert "warning: " in captured.err and "(2->1) with demand 3.0 of 13.0" in captured.err
    data = json.loads(captured.out)
    assert data["unreachable_pairs"] == 1 and data["unreachable_demand"] == 3.0
    flows = read_tntp_flow(out)
    assert flows["volume"].iloc[0] == pytest.approx(flows["volume"].iloc[1])
    assert flows["volume"].iloc[0] + flows["volume"].iloc[2] == pytest.approx(10.0)


def test_tntp_run_without_metadata_end_and_with_warnings(tmp_path, capsys):
    folder = write_folder(tmp_path / "x", LINKS, "Origin 1\n2 : 10;\n")
    (folder / "X_net.tntp").write_text("<NUMBER OF LINKS> 4\n" + "\n".join(LINKS) + "\n")
    assert main(["tntp", "run", str(folder), "-a", "aon"]) == 0
    captured = capsys.readouterr()
    assert "warning: " in captured.err and "<NUMBER OF LINKS> is 4" in captured.err
    assert "user equilibrium, aon" in captured.out


def test_tntp_run_compares_with_the_best_known_flows(capsys):
    assert main(["tntp", "run", str(DATA / "SiouxFalls"), "--gap", "1e-8", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["best_known_relative_gap"] < 1e-12
    assert data["objective"] == pytest.approx(data["best_known_objective"], rel=1e-9)


def test_tntp_run_matches_reordered_best_flows_and_skips_a_bad_node_file(tmp_path, capsys):
    folder = tmp_path / "sf"
    folder.mkdir()
    for kind in ("net", "trips"):
        name = f"SiouxFalls_{kind}.tntp"
        (folder / name).write_text((DATA / "SiouxFalls" / name).read_text())
    rows = (DATA / "SiouxFalls" / "SiouxFalls_flow.tntp").read_text().splitlines()
    (folder / "SiouxFalls_flow.tntp").write_text("\n".join([rows[0], *rows[:0:-1]]) + "\n")
    (folder / "SiouxFalls_node.tntp").write_text("Node X Y ;\n1 2 ;\n")
    assert main(["tntp", "run", str(folder), "--gap", "1e-8", "--json"]) == 0
    captured = capsys.readouterr()
    assert "SiouxFalls_node.tntp is left out" in captured.err
    assert json.loads(captured.out)["best_known_relative_gap"] < 1e-12
