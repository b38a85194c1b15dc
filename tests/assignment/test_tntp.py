from __future__ import annotations

import re
import warnings
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
from instc.assignment.tntp import read_tntp_metadata
from instc.assignment.tntp_folder import _readme_weight, unreachable_trips
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
    total = sum(float(q) for q in re.findall(r"[:,]\s*([-0-9.e]+)", trips))
    (folder / "T_trips.tntp").write_text(
        f"<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> {total}\n<END OF METADATA>\n\n" + trips)
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


def test_metadata_without_end_line(tmp_path):
    (tmp_path / "M_net.tntp").write_text("<NUMBER OF NODES> 3\n<FIRST THRU NODE> 1\n~ init term\n"
                                         "1 3 10 1 1 0.15 4 ;\n3 2 10 1 1 0.15 4 ;\n")
    (tmp_path / "M_trips.tntp").write_text("<NUMBER OF ZONES> 2\nOrigin 1\n 2 : 10.0;\n")
    t = load_tntp(tmp_path)
    assert t.links[["init_node", "term_node"]].values.tolist() == [[1, 3], [3, 2]]
    assert t.trips["demand"].tolist() == [10.0]
    assert t.n_nodes == 3


def test_header_line_without_comment_mark(tmp_path):
    folder = write_net(tmp_path / "t", ["Init Term Capacity Length FFT B Power ;",
                                        "1 3 10 1 1 0.15 4 ;", "3 2 10 1 1 0.15 4 ;"], n=2)
    assert len(read_tntp_net(folder / "T_net.tntp")) == 2


def test_demand_multiplier(tmp_path):
    folder = write_net(tmp_path / "t", ["1 3 10 1 1 0.15 4 ;", "3 2 10 1 1 0.15 4 ;"])
    (folder / "T_trips.tntp").write_text("<TOTAL OD FLOW> 10\n<DEMAND MULTIPLIER> 2.5\n"
                                         "<END OF METADATA>\nOrigin 1\n 2 : 10.0;\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the total is the entries' sum before the multiplier
        assert read_tntp_trips(folder / "T_trips.tntp")["demand"].tolist() == [25.0]


def test_files_found_by_a_word_of_their_name_in_any_case(tmp_path):
    folder = write_net(tmp_path / "t", ["1 3 10 1 1 0.15 4 ;", "3 2 10 1 1 0.15 4 ;"])
    (folder / "T_net.tntp").rename(folder / "Town_Net.tntp")
    (folder / "T_trips.tntp").rename(folder / "Town_trips_am.tntp")
    t = load_tntp(folder)
    assert t.name == "Town" and t.files["trips"].name == "Town_trips_am.tntp"
    assert load_tntp(folder / "Town_Net.tntp").files["net"].name == "Town_Net.tntp"


def test_several_trips_files_warn_and_prefer_the_plain_name(tmp_path):
    folder = write_net(tmp_path / "t", ["1 3 10 1 1 0.15 4 ;", "3 2 10 1 1 0.15 4 ;"])
    (folder / "T_trips_pm.tntp").write_text("<END OF METADATA>\nOrigin 1\n 2 : 99.0;\n")
    with pytest.warns(TntpWarning, match="2 trips files"):
        t = load_tntp(folder)
    assert t.files["trips"].name == "T_trips.tntp"


def test_every_bad_link_value_is_reported_with_line_and_field(tmp_path):
    folder = write_net(tmp_path / "t", ["1 3 nan 1 1 0.15 4 ;", "3 2 inf 1 1 0.15 4 ;",
                                        "1.5 2 10 1 1 0.15 4 ;", "1 2 10 1 -1 0.15 4 ;",
                                        "1 2 10 1 1 -0.15 4 ;", "1 2 10 1 1 0.15 -4 ;",
                                        "1 2 0 1 1 0.15 4 ;", "1 2 0 1 1 0 4 ;"])
    with pytest.raises(TntpFormatError) as err:
        read_tntp_net(folder / "T_net.tntp")
    text = str(err.value)
    for expected in ("T_net.tntp:7: capacity is 'nan'", "T_net.tntp:8: capacity is 'inf'",
                     "T_net.tntp:9: init_node is '1.5'", "T_net.tntp:10: free_flow_time is -1.0",
                     "T_net.tntp:11: b is -0.15", "T_net.tntp:12: power is -4.0",
                     "T_net.tntp:13: capacity is 0 but b is 0.15"):
        assert expected in text
    assert "T_net.tntp:14" not in text  # no capacity and no congestion: a fixed cost


def test_bad_trips_are_reported_with_line(tmp_path):
    folder = write_net(tmp_path / "t", ["1 3 10 1 1 0.15 4 ;", "3 2 10 1 1 0.15 4 ;"],
                       trips="Origin 1\n 2 : -1; 3 : nan;\n x : 4;\nOrigin 2.5\n 1 : 1;\n")
    with pytest.raises(TntpFormatError) as err:
        read_tntp_trips(folder / "T_trips.tntp")
    text = str(err.value)
    for expected in ("T_trips.tntp:6: demand from 1 to 2 is '-1'",
                     "T_trips.tntp:6: demand from 1 to 3 is 'nan'",
                     "T_trips.tntp:7: destination is 'x'", "T_trips.tntp:8: 'Origin 2.5'"):
        assert expected in text


def test_trip_to_a_node_no_link_touches(tmp_path):
    folder = write_net(tmp_path / "t", ["1 3 10 1 1 0.15 4 ;", "3 5 10 1 1 0.15 4 ;"],
                       trips="Origin 1\n 5 : 1; 4 : 0; 2 : 3;\n")
    with pytest.raises(TntpFormatError, match=r"T_trips.tntp:6: destination zone 2 has demand"):
        load_tntp(folder)


def test_negative_fixed_cost_is_an_error(tmp_path):
    folder = write_net(tmp_path / "t", ["1 3 10 1 1 0.15 4 0 -5 1 ;", "3 2 10 1 1 0.15 4 ;"])
    assert load_tntp(folder).fixed_cost()[0] == 0.0  # no toll factor: the toll does not count
    with pytest.raises(TntpFormatError, match=r"T_net.tntp:7: toll -5.0 and length 1.0 give a "
                                              "negative fixed cost"):
        load_tntp(folder, toll_factor=1.0)


@pytest.mark.filterwarnings("ignore:.*past <NUMBER OF ZONES>")
def test_unreachable_trips(tmp_path):
    # Nothing leaves zone 2; once node 3 is a zone too, no path passes through it.
    folder = write_net(tmp_path / "t", ["1 3 10 1 1 0.15 4 ;", "3 2 10 1 1 0.15 4 ;",
                                        "3 4 10 1 1 0.15 4 ;"],
                       trips="Origin 1\n 2 : 10; 4 : 2;\nOrigin 2\n 1 : 3; 2 : 7;\n")
    t = load_tntp(folder)
    gone = unreachable_trips(t)
    assert gone[["origin", "destination"]].values.tolist() == [[2, 1]]
    meta = (folder / "T_net.tntp").read_text().replace("<FIRST THRU NODE> 3", "<FIRST THRU NODE> 4")
    (folder / "T_net.tntp").write_text(meta.replace("<NUMBER OF ZONES> 2", "<NUMBER OF ZONES> 3"))
    gone = unreachable_trips(load_tntp(folder))
    assert gone[["origin", "destination"]].values.tolist() == [[1, 2], [1, 4], [2, 1]]


def test_trips_with_commas_as_the_readme_writes_them(tmp_path):
    folder = write_net(tmp_path / "t", ["1 3 10 1 1 0.15 4 ;", "3 2 10 1 1 0.15 4 ;"],
                       trips="Origin 1\n 2 , 10.5 ; 3 ,2;\nOrigin 2\n1 : 4;\n")
    trips = read_tntp_trips(folder / "T_trips.tntp")
    assert trips.values.tolist() == [[1, 2, 10.5], [1, 3, 2.0], [2, 1, 4.0]]
