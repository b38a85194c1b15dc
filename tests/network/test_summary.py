from __future__ import annotations

from instc import Corridor
from instc.network.summary import summarize_corridor


def test_summary_counts_and_km(tiny: Corridor) -> None:
    s = summarize_corridor(tiny, 2024)
    overview = dict(zip(s.overview["item"], s.overview["count"], strict=True))
    assert overview["links"] == 5 and overview["km of links"] == 5630.0
    land_rail = s.by_mode_branch.query("branch == 'land' and mode == 'rail_1520'")
    assert land_rail["km"].iloc[0] == 310.0 and land_rail["links"].iloc[0] == 3
    assert s.gauge_changes.empty  # T1 needs rail_1435 at D, which opens in 2027
    assert len(summarize_corridor(tiny, 2028).gauge_changes) == 1
    assert set(s.borders["countries"]) == {"RU-AZ", "AZ-IR"}


def test_confidence_counts_every_sourced_number(tiny: Corridor) -> None:
    s = summarize_corridor(tiny, 2024)
    counts = dict(zip(s.confidence["confidence"], s.confidence["numbers"], strict=True))
    assert counts["(none)"] == 0 and counts["assumption"] > 0
