"""Comparing two results folders of scenario runs, table by table."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from instc.results import load_results

__all__ = ["KEYS", "diff_results"]

KEYS: dict[str, list[str]] = {
    "routes": ["year", "origin", "destination", "cargo"],
    "comparison": ["year", "origin", "destination", "cargo", "route"],
    "loads": ["year", "kind", "element", "from_node", "to_node"],
    "bottlenecks": ["year", "kind", "element", "from_node", "to_node"],
    "throughput": ["year"],
    "ceilings": ["year", "direction"],
    "carried": ["year"],
    "cut": ["year", "direction", "element"],
}
"""The columns that identify a row of each scenario table."""

_VALUES: dict[str, list[str]] = {
    "routes": ["branches", "km", "days", "usd_per_t", "usd_per_teu", "generalized_cost"],
    "comparison": ["status", "km", "days", "usd_per_t", "usd_per_teu", "generalized_cost",
                   "rank"],
    "loads": ["tonnes", "capacity_t", "utilisation"],
    "bottlenecks": ["tonnes", "capacity_t", "utilisation"],
    "throughput": ["demand_t", "routed_t", "unrouted_t", "overloaded_elements"],
    "ceilings": ["ceiling_t"],
    "carried": ["demand_t", "carried_t", "unserved_t", "mean_cost_usd_t"],
    "cut": ["category", "name", "capacity_t"],
}


def _changed(a: pd.Series, b: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
        x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
        same = np.isclose(x, y, rtol=1e-9, atol=1e-9, equal_nan=True)
        return pd.Series(~same, index=a.index)
    return a.fillna("").astype(str) != b.fillna("").astype(str)


def diff_results(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> dict[str, pd.DataFrame]:
    """Return, per table, the rows that differ between results folders ``a`` and ``b``.

    Each table has the key columns, a ``change`` column (``added`` in b,
    ``removed`` from a, or ``changed``) and, for each compared value, its
    value in a (``<col>_a``), in b (``<col>_b``) and, for numbers, the
    difference b − a (``<col>_delta``). Rows that are the same are left out.
    """
    ra, rb = load_results(a), load_results(b)
    out: dict[str, pd.DataFrame] = {}
    for name, keys in KEYS.items():
        if name not in ra.table_names or name not in rb.table_names:
            continue
        ta, tb = ra.table(name), rb.table(name)
        values = [c for c in _VALUES[name] if c in ta.columns and c in tb.columns]
        merged = ta[keys + values].merge(tb[keys + values], on=keys, how="outer",
                                         suffixes=("_a", "_b"), indicator=True)
        change = merged["_merge"].map({"left_only": "removed", "right_only": "added",
                                       "both": "same"}).astype(str)
        differs = pd.Series(False, index=merged.index)
        for c in values:
            differs |= _changed(merged[f"{c}_a"], merged[f"{c}_b"])
        change[(change == "same") & differs] = "changed"
        merged.insert(len(keys), "change", change)
        for c in values:
            if pd.api.types.is_numeric_dtype(merged[f"{c}_a"]):
                merged[f"{c}_delta"] = merged[f"{c}_b"] - merged[f"{c}_a"]
        kept = merged[merged["change"] != "same"].drop(columns="_merge")
        out[name] = kept.sort_values(keys, ignore_index=True)
    return out
