"""Applying a scenario to a corridor: overrides, draws, disruptions, demand.

Each function returns a new :class:`~instc.network.Corridor` (or table); the
corridor given is never changed. Applied tables are not re-validated: the
scenario was checked against the corridor by :func:`check_scenario`, and
overrides only change numbers.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from instc.errors import Problem
from instc.network import Corridor
from instc.network.schema import TABLES
from instc.scenarios.spec import (
    DemandPath,
    Disruption,
    GridAxis,
    Override,
    Scenario,
    Selector,
    Uncertain,
)

__all__ = [
    "apply_disruptions",
    "apply_overrides",
    "check_scenario",
    "demand_for_year",
    "draw_overrides",
    "overrides_for",
    "select_rows",
]


def _matches(cell: object, wanted: Sequence[object]) -> bool:
    if isinstance(cell, tuple):
        return any(str(w) in cell for w in wanted)
    if isinstance(cell, float):
        return any(_as_float(w) == cell for w in wanted)
    return any(str(w) == str(cell) for w in wanted)


def _as_float(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def select_rows(frame: pd.DataFrame, where: Selector) -> pd.Series:
    """Return a boolean mask of the rows of ``frame`` matching every condition.

    Parameters
    ----------
    frame : pandas.DataFrame
        A corridor table.
    where : mapping of str to value or list of values
        Column -> wanted value(s); a list-valued column (``branch``) matches
        when it contains a wanted value. An empty selector selects every row.
    """
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        wanted = value if isinstance(value, list) else [value]
        mask &= frame[column].map(lambda cell, w=wanted: _matches(cell, w))
    return mask


def _numeric_columns(table: str) -> set[str]:
    return {c.name for c in TABLES[table].columns if c.sourced}


def check_scenario(scenario: Scenario, corridor: Corridor, *,
                   label: str = "scenario") -> list[Problem]:
    """Return every way ``scenario`` does not fit ``corridor`` (empty when it fits).

    Checks project ids, tables, columns, selectors (each must select at least
    one row), the branches left out of capacities and the demand scenario's name.
    """
    problems: list[Problem] = []

    def bad(key: str, message: str) -> None:
        problems.append(Problem(label, None, None, f"key {key!r}: {message}"))

    projects = set(corridor.projects["id"])
    for pid in scenario.projects:
        if pid not in projects:
            bad(f"projects.{pid}", f"{pid!r} is not a project of the corridor; expected one "
                f"of {', '.join(sorted(projects))}")
    groups: list[tuple[str, Iterable[Override | Uncertain | Disruption | GridAxis]]] = [
        ("overrides", scenario.overrides), ("uncertain", scenario.uncertain),
        ("disruptions", scenario.disruptions), ("grid", scenario.grid)]
    for name, items in groups:
        for i, item in enumerate(items):
            frame = getattr(corridor, item.table)
            column = getattr(item, "column", None)
            if column is not None and column not in _numeric_columns(item.table):
                bad(f"{name}.{i}.column", f"{column!r} is not a numeric parameter of "
                    f"{item.table}.csv; expected one of "
                    + ", ".join(sorted(_numeric_columns(item.table))))
                continue
            unknown = [c for c in item.where if c not in frame.columns]
            for c in unknown:
                bad(f"{name}.{i}.where.{c}", f"{item.table}.csv has no column {c!r}")
            if not unknown and not select_rows(frame, item.where).any():
                bad(f"{name}.{i}.where", f"{dict(item.where)!r} selects no row of "
                    f"{item.table}.csv")
            if (isinstance(item, Uncertain) and item.distribution == "data_range"
                    and column is not None and column + "_low" not in frame.columns
                    and column + "_high" not in frame.columns):
                bad(f"{name}.{i}.distribution", f"{item.table}.csv gives no range for "
                    f"{column!r} ({column}_low, {column}_high)")
    tagged = {b for tags in corridor.links["branch"] if isinstance(tags, tuple) for b in tags}
    for b in scenario.capacity_exclude_branches:
        if b not in tagged:
            bad("capacity_exclude_branches", f"no link of the corridor is tagged {b!r}; "
                f"expected one of {', '.join(sorted(tagged)) or '(none: no link has a branch)'}")
    if scenario.demand is not None:
        names = set(corridor.demand["scenario"])
        for name in scenario.demand.names():
            if name not in names:
                bad("demand.scenario", f"{name!r} is not a demand scenario of the corridor; "
                    f"expected one of {', '.join(sorted(names))}")
    return problems


def apply_overrides(corridor: Corridor, overrides: Iterable[Override]) -> Corridor:
    """Return a copy of ``corridor`` with every override applied, in order.

    ``multiply`` scales the column and its ``_low``/``_high`` companions;
    ``set`` replaces the value and drops the range (the value is now certain).
    """
    tables = corridor.tables()
    copied: set[str] = set()
    for o in overrides:
        if o.table not in copied:
            tables[o.table] = tables[o.table].copy()
            copied.add(o.table)
        frame = tables[o.table]
        mask = select_rows(frame, o.where).to_numpy()
        cols = [c for c in (o.column, o.column + "_low", o.column + "_high") if c in frame]
        for c in cols:
            values = frame[c].to_numpy(dtype=float, copy=True)
            if o.multiply is not None:
                values[mask] = values[mask] * o.multiply
            elif c == o.column:
                values[mask] = o.set
            else:
                values[mask] = math.nan
            frame[c] = values
    return dataclasses.replace(corridor, **tables)


def draw_overrides(corridor: Corridor, uncertain: Iterable[Uncertain],
                   rng: np.random.Generator) -> list[Override]:
    """Draw every uncertain parameter once and return the draws as overrides.

    Draws are made in the order the parameters are declared, so a seed gives
    the same overrides on any machine.
    """
    out: list[Override] = []
    for u in uncertain:
        if u.distribution == "data_range":
            frame = getattr(corridor, u.table)
            key = TABLES[u.table].key
            for row in frame[select_rows(frame, u.where)].to_dict("records"):
                central = row[u.column]
                if isinstance(central, float) and math.isnan(central):
                    continue
                low = _or(row.get(u.column + "_low"), central)
                high = _or(row.get(u.column + "_high"), central)
                value = central if low == high else float(rng.triangular(low, central, high))
                out.append(Override(table=u.table, column=u.column,
                                    where={key: row[key]}, set=value))
            continue
        # The spec's validator guarantees the parameters each distribution needs.
        low, mode, high = _nz(u.low), _nz(u.mode), _nz(u.high)
        if u.distribution == "uniform":
            factor = float(rng.uniform(low, high))
        elif u.distribution == "triangular":
            factor = float(rng.triangular(low, mode, high)) if low < high else low
        else:
            factor = float(rng.lognormal(_nz(u.mu), _nz(u.sigma)))
        out.append(Override(table=u.table, column=u.column, where=u.where, multiply=factor))
    return out


def _nz(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _or(value: object, fallback: float) -> float:
    v = _as_float(value)
    return fallback if math.isnan(v) else v


def apply_disruptions(corridor: Corridor, disruptions: Iterable[Disruption],
                      year: int) -> Corridor:
    """Return ``corridor`` as the disruptions leave it in ``year``.

    A window overlapping ``year`` by a fraction ``f`` multiplies the
    capacity (t/year) of the selected elements by ``1 - f × (1 - factor)``;
    an element closed for the whole year is taken out of service that year.
    Services lose capacity through ``operating_days``.
    """
    tables = corridor.tables()
    for d in disruptions:
        overlap = max(0.0, min(d.end, year + 1.0) - max(d.start, float(year)))
        if overlap <= 0:
            continue
        frame = tables[d.table].copy()
        mask = select_rows(frame, d.where).to_numpy()
        keep = 1.0 - overlap * (1.0 - d.factor)
        column = "operating_days" if d.table == "services" else "capacity_t"
        if keep <= 0.0 and d.table == "borders":
            # A border closed all year closes the link that crosses it.
            links = tables["links"].copy()
            links.loc[links["id"].isin(frame.loc[mask, "link"]), "closes"] = str(year)
            tables["links"] = links
        elif keep <= 0.0:
            # The returned corridor describes this year only, so "closes this
            # year" takes the element out of this year's network.
            frame.loc[mask, "closes"] = str(year)
        else:
            values = frame[column].to_numpy(dtype=float, copy=True)
            if d.table == "services":
                values[mask] = values[mask] * keep
            else:
                # An element with no stated capacity gets one only if closed outright.
                values[mask] = np.where(np.isnan(values[mask]),
                                        0.0 if keep <= 0.0 else math.nan,
                                        values[mask] * keep)
            frame[column] = values
        tables[d.table] = frame
    return dataclasses.replace(corridor, **tables)


def demand_for_year(corridor: Corridor, path: DemandPath, year: int) -> pd.DataFrame:
    """Return the demand of ``year`` on ``path``: origin, destination, cargo, tonnes.

    Tonnes (t/year) are interpolated linearly between the years the demand
    scenario gives for each origin, destination and cargo class, held flat
    before the first and after the last, and multiplied by ``path.scale``.
    """
    d = corridor.demand[corridor.demand["scenario"].isin(path.names())]
    rows = []
    for (o, t, c), group in d.groupby(["origin", "destination", "cargo"], sort=True):
        g = group.groupby("year")["tonnes"].sum().sort_index()
        tonnes = float(np.interp(year, g.index.to_numpy(dtype=float), g.to_numpy(dtype=float)))
        rows.append({"origin": o, "destination": t, "cargo": c,
                     "tonnes": tonnes * path.scale})
    return pd.DataFrame(rows, columns=["origin", "destination", "cargo", "tonnes"])


def overrides_for(scenario: Scenario, corridor: Corridor, *,
                  rng: np.random.Generator | None = None) -> list[Override]:
    """Return the scenario's fixed overrides, followed by one draw if ``rng`` is given."""
    out = list(scenario.overrides)
    if rng is not None:
        out += draw_overrides(corridor, scenario.uncertain, rng)
    return out
