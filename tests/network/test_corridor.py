from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from instc import Corridor, CorridorValidationError, load_corridor
from instc.testing import assert_corridors_equal, tiny_corridor_frames, tiny_corridor_meta


def test_folder_and_frames_give_the_same_corridor(tiny: Corridor, tiny_folder: Path) -> None:
    assert_corridors_equal(load_corridor(tiny_folder), tiny)
    assert Corridor.from_folder(tiny_folder).fingerprint == tiny.fingerprint


def test_typed_columns(tiny: Corridor) -> None:
    links = tiny.links
    assert links["distance_km"].dtype == float
    assert links["bidirectional"].tolist() == [True] * 6  # the default
    assert links.loc[0, "branch"] == ("land",)
    assert links.loc[0, "source"] == ("S1",)
    assert tiny.nodes.loc[0, "aliases"] == ("Alfa",)
    # optional tables absent from the frames are empty, with their columns
    assert tiny.services.empty and "round_trip_days" in tiny.services


def test_to_folder_round_trips(tiny: Corridor, tmp_path: Path) -> None:
    out = tiny.to_folder(tmp_path / "copy")
    assert_corridors_equal(load_corridor(out), tiny)
    assert not list(out.glob(".*.tmp"))


def test_open_in_follows_projects(tiny: Corridor) -> None:
    assert not tiny.open_in("links", 2026).iloc[3]
    assert tiny.open_in("links", 2027).iloc[3]
    assert tiny.open_in("links", 2026, {"P1": 2026}).iloc[3]


def test_unknown_project_override_is_named(tiny: Corridor) -> None:
    with pytest.raises(KeyError, match="unknown project 'P9'"):
        tiny.graph(2024, projects={"P9": 2020})


def test_closes_with_a_project_replaces_an_element() -> None:
    frames = tiny_corridor_frames()
    links = frames["links"]
    upgraded = links.iloc[[0]].assign(id="L1b", capacity_t=2e7, project="P1")
    frames["links"] = pd.concat([links.assign(closes=["P1", "", "", "", "", ""]), upgraded])
    c = Corridor.from_frames(frames, meta=tiny_corridor_meta())
    assert "L1" in c.graph(2026).link_ids() and "L1b" not in c.graph(2026).link_ids()
    assert "L1b" in c.graph(2027).link_ids() and "L1" not in c.graph(2027).link_ids()


def test_from_frames_reports_all_problems() -> None:
    frames = tiny_corridor_frames()
    frames["links"].loc[0, "mode"] = "rail"
    frames["nodes"].loc[1, "lat"] = 123.0
    with pytest.raises(CorridorValidationError) as info:
        Corridor.from_frames(frames, meta=tiny_corridor_meta())
    text = [str(p) for p in info.value.problems]
    assert any("links (DataFrame), row 2, column 'mode': 'rail' is not allowed" in t
               for t in text)
    assert any("nodes (DataFrame), row 3, column 'lat': '123.0' is out of range" in t
               for t in text)


def test_unknown_table_in_frames() -> None:
    frames = tiny_corridor_frames()
    frames["nodez"] = frames["nodes"]
    with pytest.raises(CorridorValidationError, match="unknown table 'nodez'"):
        Corridor.from_frames(frames, meta=tiny_corridor_meta())
