"""Itineraries: a path read as legs, transfers, border crossings and totals with ranges.

An itinerary is built from a path of the compiled graph and the edge inputs
of :mod:`instc.routing.edge_values`. Each step is one edge of the path
(a link, a transfer, or the dwell and handling at the origin or
destination); totals are sums over the steps. The low and high totals take
every input at the favourable or unfavourable end of its range at once (so
they bound the total; they are not a confidence interval).

Emissions follow the GLEC Framework / ISO 14083 approach: tonne-km of each
leg times the mode's well-to-wheel emission intensity (g CO2e/t-km); per
TEU, times the cargo's tonnes per TEU.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from instc._records import plain
from instc.network.graph import EDGE_KINDS, EDGE_LINK, EDGE_TRANSFER
from instc.routing.cargo import CargoClass, return_share
from instc.routing.cost import generalized_cost
from instc.routing.edge_values import EdgeFactors, EdgeQuantities
from instc.routing.paths import Path
from instc.units import HOURS_PER_DAY

__all__ = ["TOTALS", "Itinerary", "build_itinerary"]

FloatArray = npt.NDArray[np.float64]

TOTALS: dict[str, str] = {
    "km": "km",
    "hours": "h",
    "days": "days",
    "usd_per_t": "USD/t",
    "usd_per_teu": "USD/TEU",
    "co2e_kg_per_t": "kg CO2e/t",
    "co2e_kg_per_teu": "kg CO2e/TEU",
    "generalized_cost": "USD/unit",
    "wait_hours": "h",
    "border_hours": "h",
    "transfer_hours": "h",
}
"""Totals of an itinerary and their units (``USD/unit``: per TEU or per tonne)."""

TOTAL_COLUMNS: tuple[str, ...] = ("quantity", "unit", "low", "central", "high")
"""Columns of :attr:`Itinerary.totals`."""


@dataclass(frozen=True)
class Itinerary:
    """A route from an origin to a destination for one cargo class and year.

    Attributes
    ----------
    origin, destination : str
        Node ids.
    origin_name, destination_name : str
    year : int
    cargo : str
        Cargo class id; ``unit`` is ``"TEU"`` or ``"t"``, the unit of
        ``generalized_cost`` and ``cost`` columns.
    unit : str
    cost : str
        What the route minimises (a name of :data:`~instc.routing.cost.COSTS`
        or the name of a cost function).
    steps : pandas.DataFrame
        One row per step, in order: ``seq``, ``kind`` (link, transfer, access,
        egress), ``element``, ``from_node``, ``from_name``, ``to_node``,
        ``to_name``, ``mode``, ``from_mode``, ``to_mode``, ``transfer_kind``,
        ``border``, ``border_name``, ``countries``; ``km``, ``hours``,
        ``usd_t`` (USD/t), ``usd_teu`` (USD/TEU), ``co2e_kg_t``
        (kg CO2e/t), each with ``_low``/``_high``; ``cost`` (the
        generalized cost, USD/unit) and ``weight`` (what was minimised).
        Origin and destination steps with no time and no cost are left out.
    totals : pandas.DataFrame
        ``quantity``, ``unit``, ``low``, ``central``, ``high`` for each
        name of :data:`TOTALS`, plus counts of ``transfers``,
        ``gauge_changes`` and ``border_crossings``.
    edges : tuple of int
        The path's edges in the compiled graph.
    notes : tuple of str
        What the figures leave out (missing emission factors, ...).
    """

    origin: str
    destination: str
    origin_name: str
    destination_name: str
    year: int
    cargo: str
    unit: str
    cost: str
    edges: tuple[int, ...]
    notes: tuple[str, ...] = ()
    # The tables as built (columns of the steps, rows of the totals, and the
    # time/cost-distance series to compute); the DataFrames are made on
    # first use, so an answer that only needs records (the web app's) makes none.
    _steps: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)
    _totals: tuple[tuple[str, str, float, float, float], ...] = field(
        repr=False, compare=False, default=())
    _series: Callable[[], pd.DataFrame] = field(repr=False, compare=False,
                                                default=pd.DataFrame)

    @cached_property
    def steps(self) -> pd.DataFrame:
        """The steps as a table (see the class's attributes)."""
        return pd.DataFrame(dict(self._steps))

    @cached_property
    def totals(self) -> pd.DataFrame:
        """The totals as a table (see the class's attributes)."""
        return pd.DataFrame(list(self._totals), columns=list(TOTAL_COLUMNS))

    @cached_property
    def _series_frame(self) -> pd.DataFrame:
        return self._series()

    @property
    def legs(self) -> pd.DataFrame:
        """The line-haul legs: from, to, mode, km, hours, USD, CO2e (one row per link)."""
        return self.steps[self.steps["kind"] == "link"].reset_index(drop=True)

    @property
    def transfers(self) -> pd.DataFrame:
        """The transfers: transshipments, gauge changes, port handling."""
        return self.steps[self.steps["kind"] == "transfer"].reset_index(drop=True)

    @property
    def gauge_changes(self) -> pd.DataFrame:
        """The transfers that change track gauge."""
        t = self.transfers
        return t[t["transfer_kind"].str.startswith("gauge_change")].reset_index(drop=True)

    @property
    def border_crossings(self) -> pd.DataFrame:
        """The legs that cross a border."""
        return self.steps[self.steps["border"] != ""].reset_index(drop=True)

    def total(self, quantity: str, level: str = "central") -> float:
        """Return one total (``"days"``, ``"usd_per_teu"``, ...) at ``level``."""
        column = TOTAL_COLUMNS.index(level) if level in TOTAL_COLUMNS[2:] else -1
        if column < 0:
            raise KeyError(f"unknown level {level!r}; expected 'low', 'central' or 'high'")
        for row in self._totals:
            if row[0] == quantity:
                return float(row[column])
        raise KeyError(f"unknown total {quantity!r}; expected one of "
                       + ", ".join(r[0] for r in self._totals))

    @property
    def via(self) -> tuple[str, ...]:
        """The nodes passed, origin and destination included, without repeats."""
        out: list[str] = []
        for a, b in zip(self._steps["from_node"], self._steps["to_node"], strict=True):
            for n in (a, b):
                if not out or out[-1] != n:
                    out.append(n)
        return tuple(out)

    def time_cost_distance(self) -> pd.DataFrame:
        """Return the cumulative time and cost against distance (UNESCAP method).

        One row per point: ``point``, ``node``, ``name``, ``event`` (start,
        waiting (for a departure, before a scheduled link), link, border,
        transfer, terminal, end), ``km`` (cumulative, km), ``hours``,
        ``days`` and ``usd`` (cumulative, USD per unit), ``hours_low``,
        ``hours_high``, ``usd_low``, ``usd_high``. Line haul rises along the
        distance axis; border dwell and fees (placed at the end of the link
        that crosses) and transfers rise at a fixed distance, so delays and
        charges at borders and transshipments stand out as vertical steps
        (UNESCAP, *Time/Cost-Distance Methodology*, 2003).
        """
        return self._series_frame.copy()

    def to_frame(self) -> pd.DataFrame:
        """Return the steps as a tidy table."""
        return self.steps.copy()

    def step_records(self) -> list[dict[str, Any]]:
        """Return the steps as JSON-ready records (NaN as ``None``), without a DataFrame."""
        columns = {k: _json_column(v) for k, v in self._steps.items()}
        return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(),
                                                                     strict=True)]

    def to_dict(self) -> dict[str, Any]:
        """Return the itinerary as plain Python objects, for JSON."""
        totals = [dict(zip(TOTAL_COLUMNS, map(plain, row), strict=True))
                  for row in self._totals]
        return {"origin": self.origin, "origin_name": self.origin_name,
                "destination": self.destination, "destination_name": self.destination_name,
                "year": self.year, "cargo": self.cargo, "unit": self.unit, "cost": self.cost,
                "via": list(self.via), "totals": totals, "steps": self.step_records(),
                "notes": list(self.notes)}


def _json_column(values: Any) -> list[Any]:
    """Return a column as JSON-ready values: NaN and infinities as ``None``."""
    if isinstance(values, np.ndarray):
        out: list[Any] = values.tolist()
        if values.dtype.kind == "f":
            return [x if math.isfinite(x) else None for x in out]
        return out
    return [plain(v) for v in values]


def _unit_money(q: EdgeQuantities, cargo: CargoClass, share: float) -> FloatArray:
    if cargo.per_teu:
        return q.usd_teu + share * q.linehaul_usd_teu
    return q.usd_t + share * q.linehaul_usd_t


def build_itinerary(factors: EdgeFactors, path: Path, cargo: CargoClass, *,
                    names: dict[str, str], weight: FloatArray, cost: str,
                    empty_return_share: float | None = None) -> Itinerary:
    """Read ``path`` as an itinerary (see :class:`Itinerary`).

    Parameters
    ----------
    factors : EdgeFactors
        Edge inputs of the graph the path was found on.
    path : Path
        A path from an origin vertex to a destination vertex.
    cargo : CargoClass
    names : dict of str to str
        Node id to display name.
    weight : numpy.ndarray
        The weights the path was found with (for the ``weight`` column).
    cost : str
        Label of the cost that was minimised.
    empty_return_share : float, optional
        Empty moves per loaded move (0 to 1), charged as that share of the
        line haul; by default the cargo class's, with its range in the low
        and high totals.
    """
    g = factors.graph
    e = np.asarray(path.edges, dtype=np.int64)
    levels = ("low", "central", "high")
    tpt = {lvl: cargo.tonnes_per_teu.pick(lvl) for lvl in levels}
    shares = {lvl: return_share(cargo, empty_return_share, lvl) for lvl in levels}
    qs = {lvl: factors.for_cargo(cargo, lvl) for lvl in levels}
    q = qs["central"]
    gcs = {lvl: generalized_cost(qs[lvl], cargo, level=lvl,
                                 empty_return_share=shares[lvl])[e]
           for lvl in qs}
    kinds = g.kind[e]
    keep = ~(((kinds != EDGE_LINK) & (kinds != EDGE_TRANSFER))
             & (q.hours[e] == 0.0) & (q.usd_t[e] == 0.0))
    ke = e[keep]
    fn = [factors.from_node[i] for i in ke]
    tn = [factors.to_node[i] for i in ke]
    cols: dict[str, Any] = {
        "seq": np.arange(1, len(ke) + 1),
        "kind": [EDGE_KINDS[int(g.kind[i])] for i in ke],
        "element": [g.element[i] for i in ke],
        "from_node": fn, "from_name": [names.get(n, n) for n in fn],
        "to_node": tn, "to_name": [names.get(n, n) for n in tn],
        "mode": [factors.mode[i] for i in ke],
        "from_mode": [g.vertex_mode[int(g.tail[i])] for i in ke],
        "to_mode": [g.vertex_mode[int(g.head[i])] for i in ke],
        "transfer_kind": [factors.transfer_kind[i] for i in ke],
        "border": [g.border[i] for i in ke],
        "border_name": [factors.border_name[i] for i in ke],
        "countries": [factors.border_countries[i] for i in ke],
    }
    for name in ("km", "hours", "usd_t", "usd_teu", "co2e_kg_t"):
        for lvl, suffix in (("central", ""), ("low", "_low"), ("high", "_high")):
            cols[name + suffix] = getattr(qs[lvl], name)[ke]
    cols["cost"] = gcs["central"][keep]
    cols["weight"] = weight[ke]

    n_transfers = int((kinds == EDGE_TRANSFER).sum())
    n_gauge = sum(factors.transfer_kind[i].startswith("gauge_change") for i in e)
    n_borders = sum(1 for i in e if g.border[i])
    rows: list[tuple[str, str, float, float, float]] = []
    for quantity, unit in TOTALS.items():
        vals = [_total(quantity, qs[lvl], e, cargo, tpt[lvl], shares[lvl], gcs[lvl])
                for lvl in levels]
        lo, c, hi = vals
        if not math.isnan(c):
            lo, hi = min(lo, c, hi), max(lo, c, hi)
        rows.append((quantity, unit.replace("unit", cargo.unit), lo, c, hi))
    for quantity, count in (("transfers", n_transfers), ("gauge_changes", n_gauge),
                            ("border_crossings", n_borders)):
        rows.append((quantity, "count", count, count, count))

    notes = []
    used_modes = {factors.mode[i] for i in e if g.kind[i] == EDGE_LINK}
    missing = sorted(used_modes & set(factors.missing_co2e))
    if missing:
        notes.append("no emission factor for " + ", ".join(missing)
                     + " in modes.csv: CO2e totals are incomplete (NaN)")
    if cargo.per_teu and shares["central"] == 0.0 and shares["high"] == 0.0:
        notes.append("empty-container repositioning not included (no empty_return_share for "
                     "this cargo class in cargo.csv; set empty_return_share)")
    elif shares["central"] > 0.0:
        source = "cargo.csv" if empty_return_share is None else "given"
        notes.append(f"empty moves: {shares['central']:.0%} of the line haul "
                     f"({shares['low']:.0%}–{shares['high']:.0%}; {source}) for boxes or "
                     "vehicles hauled back empty")
    return Itinerary(
        origin=factors.from_node[int(e[0])], destination=factors.to_node[int(e[-1])],
        origin_name=names.get(factors.from_node[int(e[0])], ""),
        destination_name=names.get(factors.to_node[int(e[-1])], ""),
        year=g.year, cargo=cargo.id, unit=cargo.unit, cost=cost, edges=path.edges,
        notes=tuple(notes), _steps=cols, _totals=tuple(rows),
        _series=partial(_series, factors, e, qs, cargo, shares, names),
    )


def _total(quantity: str, q: EdgeQuantities, e: npt.NDArray[np.int64], cargo: CargoClass,
           tpt: float, share: float, gc: FloatArray) -> float:
    hours = float(q.hours[e].sum())
    if quantity == "km":
        return float(q.km[e].sum())
    if quantity == "hours":
        return hours
    if quantity == "days":
        return hours / HOURS_PER_DAY
    if quantity == "wait_hours":
        return float(q.wait_h[e].sum())
    if quantity == "border_hours":
        return float(q.border_h[e].sum())
    if quantity == "transfer_hours":
        return float(q.transfer_h[e].sum())
    if quantity == "generalized_cost":
        return float(gc.sum())
    co2 = float(q.co2e_kg_t[e].sum())
    if quantity == "co2e_kg_per_t":
        return co2
    if quantity == "co2e_kg_per_teu":
        return co2 * tpt
    teu = float((q.usd_teu + share * q.linehaul_usd_teu)[e].sum())
    per_t = float((q.usd_t + share * q.linehaul_usd_t)[e].sum())
    if cargo.per_teu:
        return teu if quantity == "usd_per_teu" else teu / tpt
    if quantity == "usd_per_t":
        return per_t
    return teu if cargo.given >= {"tonnes_per_teu"} else math.nan


def _series(factors: EdgeFactors, e: npt.NDArray[np.int64], qs: dict[str, EdgeQuantities],
            cargo: CargoClass, shares: dict[str, float], names: dict[str, str]) -> pd.DataFrame:
    g = factors.graph
    money = {lvl: _unit_money(q, cargo, shares[lvl]) for lvl, q in qs.items()}
    border_money = {lvl: (q.border_usd_teu if cargo.per_teu else q.border_usd_t)
                    for lvl, q in qs.items()}
    levels = ("central", "low", "high")
    km = 0.0
    h = dict.fromkeys(levels, 0.0)
    usd = dict.fromkeys(levels, 0.0)
    rows: list[tuple[Any, ...]] = []

    def point(node: str, event: str) -> None:
        rows.append((len(rows), node, names.get(node, node), event, km,
                     h["central"], h["central"] / HOURS_PER_DAY, usd["central"],
                     h["low"], h["high"], usd["low"], usd["high"]))

    point(factors.from_node[int(e[0])], "start")
    for i in e:
        kind = int(g.kind[i])
        node = factors.to_node[i]
        if kind == EDGE_LINK:
            if qs["central"].wait_h[i] > 0.0 or qs["high"].wait_h[i] > 0.0:
                for lvl in levels:
                    h[lvl] += float(qs[lvl].wait_h[i])
                point(factors.from_node[i], "waiting")
            km += float(qs["central"].km[i])
            for lvl in levels:
                q = qs[lvl]
                h[lvl] += float(q.run_h[i])
                usd[lvl] += float(money[lvl][i] - border_money[lvl][i])
            point(node, "link")
            if g.border[i]:
                for lvl in levels:
                    h[lvl] += float(qs[lvl].border_h[i])
                    usd[lvl] += float(border_money[lvl][i])
                point(node, "border")
        else:
            if qs["central"].hours[i] == 0.0 and money["central"][i] == 0.0:
                continue
            for lvl in levels:
                h[lvl] += float(qs[lvl].hours[i])
                usd[lvl] += float(money[lvl][i])
            point(node, "transfer" if kind == EDGE_TRANSFER else "terminal")
    point(factors.to_node[int(e[-1])], "end")
    return pd.DataFrame(rows, columns=["point", "node", "name", "event", "km", "hours", "days",
                                       "usd", "hours_low", "hours_high", "usd_low",
                                       "usd_high"])
