"""The inputs behind every edge of a compiled graph, with their low and high values.

:func:`~instc.network.graph.compile_graph` reads, for every edge it adds,
the numbers of the corridor tables that make its time and money — the
link's distance, speed, charges and rates (the mode's where the link has
none), the border crossed, the transfer and the node's dwell and handling,
the port call of a trip starting or ending at sea — each as low, central
and high (its ``_low``/``_high`` companions where the corridor gives them,
the central value otherwise). The graph's own time and money are the
central row through :func:`money_and_time`; routing takes any row, with a
cargo's tonnes per TEU, through the same function
(:mod:`instc.routing.edge_values`). One reading of the tables, one formula.

Formulas per edge (``km`` distance):

- running time (h) = the link's ``hours`` if given, else ``km / speed``;
- waiting (h), on a scheduled link = half the interval between its
  departures, ``84 / departures_per_week`` (the mean wait of cargo ready at
  a random time); cargo carried in TEU also counts the departures of a
  container service on the link where it boards (``wait_teu_h``);
- line haul (USD/t) = ``usd_per_t + km × usd_per_tkm``;
- border (h, USD/t): the crossing's dwell and fees, on the link that crosses;
- transfer (h, USD/t): the transfer's time and cost plus the node's dwell
  and handling; origin and destination (access and egress) edges carry the
  node's dwell and handling and, on a water mode at a port, the port's
  cheapest ``port_handling`` transfer onto that mode.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["FACTORS", "FAVOURABLE_HIGH", "LEVELS", "InputColumns", "money_and_time", "triple"]

FloatArray = npt.NDArray[np.float64]

LEVELS: tuple[str, ...] = ("low", "central", "high")
"""Rows of every input array: low, central, high."""

FACTORS: dict[str, str] = {
    "km": "distance (km)",
    "link_h": "running time given on the link (h; NaN where the link gives none)",
    "speed": "speed (km/h)",
    "link_usd_t": "fixed charge of the link (USD/t)",
    "link_usd_teu": "fixed charge of the link (USD/TEU; NaN where none is given)",
    "rate_t": "line-haul rate (USD/t-km)",
    "rate_teu": "line-haul rate (USD/TEU-km; NaN where none is given)",
    "wait_h": "waiting for a departure on a scheduled link: half the interval (h)",
    "wait_teu_h": "waiting for a departure, for cargo carried in TEU where a container "
                  "service boards (h; NaN where the same as wait_h)",
    "border_h": "border dwell (h)",
    "border_usd_t": "border fees (USD/t)",
    "border_usd_teu": "border fees (USD/TEU; NaN where none is given)",
    "transfer_h": "transfer time (h)",
    "transfer_usd_t": "transfer cost (USD/t)",
    "transfer_usd_teu": "transfer cost (USD/TEU; NaN where none is given)",
    "node_h": "node dwell added to transfers, origins and destinations (h)",
    "node_usd_t": "node handling added to transfers, origins and destinations (USD/t)",
    "co2e": "well-to-wheel emission factor (g CO2e/t-km; NaN where none is given)",
}
"""The inputs of every edge, by name, with their units."""

FAVOURABLE_HIGH = frozenset({"speed"})
"""Inputs whose favourable end is their high value (every other: its low value)."""

_DEFAULTS: dict[str, float] = {
    **dict.fromkeys(FACTORS, 0.0),
    **dict.fromkeys(("link_h", "link_usd_teu", "rate_teu", "border_usd_teu",
                     "transfer_usd_teu", "co2e", "wait_teu_h"), math.nan),
    "speed": math.inf,
}

Triple = tuple[float, float, float]


def _float(value: Any, default: float) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(out) else out


def triple(row: Mapping[str, Any] | None, column: str, default: float = math.nan) -> Triple:
    """Return ``column`` of a table row as (low, central, high).

    The companions ``column_low`` and ``column_high`` where given, else the
    central value; ``default`` when the row or the value is missing.
    """
    if row is None:
        return (default, default, default)
    central = _float(row.get(column), default)
    low = _float(row.get(column + "_low"), central)
    high = _float(row.get(column + "_high"), central)
    return (min(low, central), central, max(high, central))


class InputColumns:
    """The inputs of the edges added so far, one (low, central, high) per input and edge."""

    def __init__(self) -> None:
        self._columns: dict[str, list[Triple]] = {name: [] for name in FACTORS}

    def add(self, given: Mapping[str, Triple]) -> None:
        """Append one edge: the inputs ``given``, every other input at its default."""
        for name, column in self._columns.items():
            d = _DEFAULTS[name]
            column.append(given.get(name, (d, d, d)))

    def arrays(self, order: npt.NDArray[np.int64]) -> dict[str, FloatArray]:
        """Return each input as a read-only array of shape (3, n_edges), edges in ``order``."""
        out = {}
        for name, column in self._columns.items():
            a = np.ascontiguousarray(np.asarray(column, dtype=np.float64).reshape(-1, 3)[order].T)
            a.flags.writeable = False
            out[name] = a
        return out


def money_and_time(f: Mapping[str, FloatArray]) -> dict[str, FloatArray]:
    """Return per-edge time (h) and money (USD/t) of one row of inputs, by part.

    Keys: ``run_h``, ``wait_h`` (waiting for a departure), ``transfer_h``
    (transfer plus node dwell), ``hours`` (with the waiting and the border's
    dwell), ``linehaul_usd_t``, ``transfer_usd_t`` (transfer plus node
    handling), ``usd_t`` (with the border's fees).
    """
    km = f["km"]
    with np.errstate(divide="ignore", invalid="ignore"):
        run_h = np.where(np.isnan(f["link_h"]), km / f["speed"], f["link_h"])
    run_h = np.where(np.isfinite(run_h), run_h, 0.0)
    transfer_h = f["transfer_h"] + f["node_h"]
    linehaul = f["link_usd_t"] + km * f["rate_t"]
    transfer = f["transfer_usd_t"] + f["node_usd_t"]
    return {"run_h": run_h, "wait_h": f["wait_h"], "transfer_h": transfer_h,
            "hours": run_h + f["wait_h"] + f["border_h"] + transfer_h,
            "linehaul_usd_t": linehaul, "transfer_usd_t": transfer,
            "usd_t": linehaul + f["border_usd_t"] + transfer}
