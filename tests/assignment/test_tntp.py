from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from instc.assignment import (
    TntpFormatError,
    TntpWarning,
    load_tntp,
    read_tntp_flow,
    read_tntp_net,
    read_tntp_trips,
    write_tntp_flow,
)
from instc.assignment.tntp import _readme_weight, read_tntp_metadata
from instc.errors import InstcError

NET = """<NUMBER OF ZONES> 2
<NUMBER OF NODES> 4
<FIRST THRU NODE> 3
<NUMBER OF LINKS> {n}
<END OF METADATA>
~ init term cap len fft b power speed toll type ;
{links}"""


def write_net(folder: Path, links: list[str], *, n: int | None = None,
              trips: str = "Origin 1\n 2 : 10.0;\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "T_net.tntp").write_text(
        NET.format(n=len(links) if n is None else n, links="\n".join(links)))
    (folder / "T_trips.tntp").write_text(
        "<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 10.0\n<END OF METADATA>\n\n" + trips)
    return folder


def test_sioux_falls_files(sioux_falls_tntp):
    t = sioux_falls_tntp
    assert (t.n_nodes, t.n_zones, t.first_thru_node) == (24, 24, 1)
    assert len(t.links) == 76
    assert t.links.iloc[0][["init_node", "term_node"]].tolist() == [1, 2]
    assert t.links["capacity"].iloc[0] == pytest.approx(25900.20064)
    assert t.trips["demand"].sum() == pytest.approx(360600.0)
    assert len(t.trips) == 24 * 24
    assert t.best_objective == pytest.approx(42.31335287107440)
    assert t.best_flows is not None and len(t.best_flows) == 76
    assert t.nodes is not None and len(t.nodes) == 24
    assert (t.toll_factor, t.distance_factor) == (0.0, 0.0)


def test_comments_terminators_and_metadata(tmp_path):
    folder = write_net(tmp_path / "t", ["1\t3\t10\t1\t1\t0.15\t4\t0\t0\t1\t; ~ a comment",
                                        "~ a whole comment line",
                                        "3 2 10 1 1 0.15 4 ;"], n=2)
    net = read_tntp_net(folder / "T_net.tntp")
    assert net[["init_node", "term_node"]].values.tolist() == [[1, 3], [3, 2]]
    assert net["toll"].tolist() == [0.0, 0.0]  # missing trailing fields default to 0
    meta = read_tntp_metadata(folder / "T_net.tntp")
    assert meta["FIRST THRU NODE"] == "3"


def test_bad_field_names_file_and_line(tmp_path):
    folder = write_net(tmp_path / "t", ["1 3 10 1 1 0.15 4 0 0 1 ;", "3 2 ten 1 1 0.15 4 ;"])
    with pytest.raises(TntpFormatError, match=r"T_net.tntp:8: capacity is 'ten'"):
        read_tntp_net(folder / "T_net.tntp")


def test_short_line_is_an_error(tmp_path):
    folder = write_net(tmp_path / "t", ["1 3 10 ;"])
    with pytest.raises(InstcError, match=r"T_net.tntp:7: a link has 3 field"):
        read_tntp_net(folder / "T_net.tntp")


def test_trips_garbage_and_counts(tmp_path):
    folder = write_net(tmp_path / "t", ["1 3 10 1 1 0.15 4 ;", "3 2 10 1 1 0.15 4 ;"],
                       trips="Origin 1\n 2 : 10.0; oops\n")
    with pytest.raises(TntpFormatError, match="cannot read 'oops'"):
        read_tntp_trips(folder / "T_trips.tntp")
    folder = write_net(tmp_path / "u", ["1 3 10 1 1 0.15 4 ;"], n=5)
    with pytest.warns(TntpWarning, match="NUMBER OF LINKS"):
        read_tntp_net(folder / "T_net.tntp")


def test_flow_file_round_trip(tmp_path, sioux_falls_tntp):
    best = sioux_falls_tntp.best_flows
    out = write_tntp_flow(tmp_path / "f.tntp", best.rename(columns={"volume": "flow"}))
    back = read_tntp_flow(out)
    np.testing.assert_array_equal(back["volume"].to_numpy(), best["volume"].to_numpy())
    np.testing.assert_array_equal(back["init_node"].to_numpy(), best["init_node"].to_numpy())


def test_readme_generalized_cost_weights():
    readme = "## Generalized Cost Weights\nToll: 0.02 minutes/cent\nDistance: 0.04 minutes/mile\n\n"
    assert _readme_weight(readme, "Toll") == 0.02
    assert _readme_weight(readme, "Distance") == 0.04
    assert _readme_weight("# nothing", "Toll") is None


def test_missing_trips_file(tmp_path):
    (tmp_path / "X_net.tntp").write_text("<END OF METADATA>\n1 2 1 1 1 0 1 ;\n")
    with pytest.raises(FileNotFoundError, match=r"_trips\.tntp"):
        load_tntp(tmp_path)


def test_chicago_generalized_cost(shared_tntp):
    t = shared_tntp("ChicagoSketch")
    assert (t.toll_factor, t.distance_factor) == (0.02, 0.04)
    fixed = t.fixed_cost()
    assert fixed[0] == pytest.approx(0.04 * 0.86267)
