from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from instc import Corridor, CorridorValidationError
from instc.network.gmns import corridor_from_gmns, corridor_to_gmns


def test_gmns_round_trip(tiny: Corridor, tmp_path: Path) -> None:
    folder = corridor_to_gmns(tiny, tmp_path / "gmns")
    node = pd.read_csv(folder / "node.csv")
    link = pd.read_csv(folder / "link.csv")
    assert {"node_id", "x_coord", "y_coord"} <= set(node.columns)
    assert {"link_id", "from_node_id", "to_node_id", "directed", "length"} <= set(link.columns)
    back = corridor_from_gmns(folder)
    assert back.links["id"].tolist() == tiny.links["id"].tolist()
    assert back.links["mode"].tolist() == tiny.links["mode"].tolist()
    assert back.links["distance_km"].tolist() == tiny.links["distance_km"].tolist()
    assert back.nodes["country"].tolist() == tiny.nodes["country"].tolist()


def test_gmns_in_miles(tmp_path: Path) -> None:
    (tmp_path / "node.csv").write_text(
        "node_id,x_coord,y_coord\n1,0.0,0.0\n2,0.0,1.0\n", encoding="utf-8")
    (tmp_path / "link.csv").write_text(
        "link_id,from_node_id,to_node_id,directed,length,free_speed\n"
        "a,1,2,true,100,50\n", encoding="utf-8")
    (tmp_path / "config.csv").write_text("long_length,speed\nmi,mph\n", encoding="utf-8")
    c = corridor_from_gmns(tmp_path, default_country="US")
    assert c.links.loc[0, "distance_km"] == pytest.approx(160.9344)
    assert c.links.loc[0, "bidirectional"] is False or not c.links.loc[0, "bidirectional"]
    assert c.links.loc[0, "mode"] == "road"


def test_gmns_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CorridorValidationError, match=r"node\.csv: file is missing"):
        corridor_from_gmns(tmp_path)
