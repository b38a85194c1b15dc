"""Cargo classes: how a class is priced and what its time in transit is worth.

A cargo class comes from the corridor's ``cargo.csv``: the unit it is priced
in (``t`` or ``TEU``), tonnes per loaded TEU (t/TEU), value (USD/t), value of
time (USD per tonne-hour) and the annual cost of capital tied up in transit
(1/year). Each number carries its low and high value where the data give a
range (the central value otherwise).
"""

from __future__ import annotations

import difflib
import math
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from instc.network.edge_inputs import triple
from instc.routing._errors import RoutingOptionError
from instc.units import HOURS_PER_DAY

if TYPE_CHECKING:
    from instc.network.corridor import Corridor

__all__ = ["DAYS_PER_YEAR", "HOURS_PER_YEAR", "CargoClass", "Range", "cargo_class",
           "return_share"]

DAYS_PER_YEAR = 365.0
"""Days in the year of the inventory-cost formula (days / 365)."""

HOURS_PER_YEAR = DAYS_PER_YEAR * HOURS_PER_DAY
"""Hours in that year (8,760 h)."""


@dataclass(frozen=True)
class Range:
    """A number with its low and high value (``low <= central <= high``)."""

    central: float
    low: float
    high: float

    @classmethod
    def of(cls, row: dict[str, Any], column: str, default: float = math.nan) -> Range:
        """Read ``column`` and its ``_low``/``_high`` companions from a table row."""
        low, central, high = triple(row, column, default)
        return cls(central, low, high)

    def pick(self, level: str) -> float:
        """Return the ``"low"``, ``"central"`` or ``"high"`` value."""
        return float(getattr(self, level))


@dataclass(frozen=True)
class CargoClass:
    """A cargo class and the numbers its generalized cost needs.

    Attributes
    ----------
    id, name : str
        Id in ``cargo.csv`` and the name shown to users.
    unit : str
        ``"TEU"`` when the class is priced per twenty-foot equivalent unit
        (containers), ``"t"`` when priced per tonne.
    tonnes_per_teu : Range
        Payload of a loaded TEU (t/TEU); the corridor's settings default
        where the class gives none.
    value_usd_per_t : Range
        Value of the goods (USD/t); NaN when not given.
    value_of_time_usd_per_t_h : Range
        Value of time of the goods (USD per tonne-hour); 0 when not given.
    inventory_rate : Range
        Annual cost of capital on the goods in transit (1/year); 0 when not given.
    empty_return_share : Range
        Empty moves per loaded move where the trade is unbalanced, charged as
        that share of the line haul; 0 when not given.
    given : frozenset of str
        The columns the corridor gives for this class (the others use defaults).
    """

    id: str
    name: str
    unit: str
    tonnes_per_teu: Range
    value_usd_per_t: Range
    value_of_time_usd_per_t_h: Range
    inventory_rate: Range
    given: frozenset[str] = frozenset()
    empty_return_share: Range = Range(0.0, 0.0, 0.0)

    @property
    def per_teu(self) -> bool:
        """Whether the class is priced per TEU."""
        return self.unit == "TEU"

    def time_value(self, level: str = "central") -> float:
        """Return the cost of one hour in transit, per tonne (USD/(t h)).

        ``value_of_time + value × inventory_rate / 8,760 h``: the value of
        time plus the inventory cost of the goods (cargo value × annual rate ×
        days / 365, here per hour). A missing value of the goods counts as 0.
        """
        value = self.value_usd_per_t.pick(level)
        inventory = 0.0 if math.isnan(value) else value * self.inventory_rate.pick(level)
        return self.value_of_time_usd_per_t_h.pick(level) + inventory / HOURS_PER_YEAR


def return_share(cargo: CargoClass, share: float | None, level: str = "central") -> float:
    """Return the empty-return share to charge: ``share``, or the class's own (at ``level``)."""
    return cargo.empty_return_share.pick(level) if share is None else float(share)


def _default_class(cargo: str, tonnes_per_teu: float) -> CargoClass:
    zero = Range(0.0, 0.0, 0.0)
    unit = "TEU" if cargo == "container" else "t"
    return CargoClass(cargo, cargo, unit, Range(tonnes_per_teu, tonnes_per_teu, tonnes_per_teu),
                      Range(math.nan, math.nan, math.nan), zero, zero)


def cargo_class(corridor: Corridor, cargo: str | CargoClass = "container") -> CargoClass:
    """Return the cargo class ``cargo`` of ``corridor``.

    Parameters
    ----------
    corridor : Corridor
        The corridor whose ``cargo.csv`` describes the classes.
    cargo : str or CargoClass
        A class id of ``cargo.csv`` (``"container"``, ``"grain"``, ...). A
        corridor without ``cargo.csv`` accepts ``"container"`` (per TEU) and
        ``"t"`` (per tonne), with no value of time.

    Returns
    -------
    CargoClass

    Raises
    ------
    RoutingOptionError
        If the corridor has no such class; the message lists the closest ids.
    """
    if isinstance(cargo, CargoClass):
        return cargo
    classes = _CLASSES.get(corridor)
    if classes is None:
        classes = _CLASSES[corridor] = _classes(corridor)
    if cargo in classes:
        return classes[cargo]
    if corridor.cargo.empty:
        raise RoutingOptionError(f"unknown cargo class {cargo!r}; this corridor has no "
                                 "cargo.csv, so expected 'container' (per TEU) or 't'")
    close = difflib.get_close_matches(cargo, list(classes), n=3, cutoff=0.4)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    raise RoutingOptionError(f"unknown cargo class {cargo!r}{hint}; expected one of "
                             + ", ".join(map(repr, classes)))


# Classes by corridor, built once: routes and app requests ask for a class
# many times a second, and reading cargo.csv's rows each time cost more than
# a route search. A changed corridor (dataclasses.replace) is a new key.
_CLASSES: weakref.WeakKeyDictionary[Corridor, dict[str, CargoClass]] = (
    weakref.WeakKeyDictionary())


def _classes(corridor: Corridor) -> dict[str, CargoClass]:
    """Return every cargo class of ``corridor`` by id."""
    tpt_default = float(corridor.settings.tonnes_per_teu)
    if corridor.cargo.empty:
        return {c: _default_class(c, tpt_default) for c in ("container", "t")}
    return {str(row["id"]): _from_row(row, tpt_default)
            for row in corridor.cargo.to_dict("records")}


def _from_row(row: dict[str, Any], tpt_default: float) -> CargoClass:
    """Return the cargo class of one row of ``cargo.csv``."""
    cargo = str(row["id"])
    given = frozenset(k for k in ("tonnes_per_teu", "value_usd_per_t",
                                  "value_of_time_usd_per_t_h", "inventory_rate")
                      if not math.isnan(triple(row, k)[1]))
    unit = str(row.get("unit") or "t")
    return CargoClass(
        id=cargo, name=str(row.get("name") or cargo), unit=unit,
        tonnes_per_teu=Range.of(row, "tonnes_per_teu", tpt_default),
        value_usd_per_t=Range.of(row, "value_usd_per_t"),
        value_of_time_usd_per_t_h=Range.of(row, "value_of_time_usd_per_t_h", 0.0),
        inventory_rate=Range.of(row, "inventory_rate", 0.0),
        given=given,
        empty_return_share=Range.of(row, "empty_return_share", 0.0),
    )
