"""Cargo classes read from cargo.csv, once per corridor."""

from __future__ import annotations

import dataclasses

import pytest

from instc.routing import RoutingOptionError, cargo_class


def test_classes_of_a_changed_corridor_are_its_own(instc_corridor) -> None:
    grain = cargo_class(instc_corridor, "grain")
    assert cargo_class(instc_corridor, "grain") is grain  # read once
    table = instc_corridor.cargo.copy()
    table.loc[table["id"] == "grain", "value_usd_per_t"] = 1234.0
    changed = dataclasses.replace(instc_corridor, cargo=table)
    assert cargo_class(changed, "grain").value_usd_per_t.central == 1234.0
    assert cargo_class(instc_corridor, "grain").value_usd_per_t.central != 1234.0


def test_unknown_class_names_the_closest(instc_corridor) -> None:
    with pytest.raises(RoutingOptionError, match="did you mean 'grain'"):
        cargo_class(instc_corridor, "grian")


def test_corridor_without_cargo_table_has_container_and_t(tiny_corridor) -> None:
    assert cargo_class(tiny_corridor, "container").unit == "TEU"
    assert cargo_class(tiny_corridor, "t").unit == "t"
    with pytest.raises(RoutingOptionError, match=r"has no cargo\.csv"):
        cargo_class(tiny_corridor, "grain")
