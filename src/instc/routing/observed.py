"""Published door-to-door figures, kept out of the data, set beside the model.

The corridor's numbers are derived leg by leg. Published door-to-door times
and costs of real shipments are *not* inputs: they live in a table of their
own (for the embedded INSTC corridor, ``instc/data/observed/door_to_door.csv``)
and serve only to check the model. For each observation the route it
describes is found on the network of its year (the cheapest by generalized
cost through its ``via`` constraints), and the model's total, central and
low–high, is set beside the published figure. A model tuned to these figures
would agree with all of them; one derived per leg shows where its structure
or its inputs fall short.

The table's columns (one row per published figure):

``id``
    Unique name of the observation.
``origin``, ``destination``
    Node ids, names or aliases of the corridor.
``branch``
    The corridor branch the shipment took (``corridor.yaml``'s
    ``branches``): the route keeps to its links and the shared ones, as in
    :func:`~instc.routing.compare.compare_routes`; empty for any branch.
``via``
    Further constraints separated by ``;``, in order (``RU_SOLYANKA``,
    ``country:AZ``, ``mode:road``...), as ``instc route --via`` takes them.
``year``
    Year of the shipment or statement (the network of that year is used).
``cargo``
    Cargo class id of the corridor's ``cargo.csv``.
``quantity``
    ``days``, ``days_after_departure`` (days from the departure of the first
    scheduled service, as a train's or ship's own run is timed: the model's
    days without its waiting for departures), ``usd_per_teu``, ``usd_per_t``
    or ``km``.
``value``, ``value_low``, ``value_high``
    The published figure and, where the source gives one, its range.
``kind``
    ``measured`` (a shipment timed or a price paid), ``announced`` (an
    operator's or official's figure for a planned or running service) or
    ``estimate`` (a study's or an official's estimate).
``title``, ``publisher``, ``date``, ``url``, ``quote``, ``notes``
    Where the figure comes from, the words that carry it, and caveats.

Examples
--------
>>> import instc
>>> from instc.routing.observed import check_observations, load_observations
>>> table = check_observations(instc.load_corridor(), load_observations())
>>> {"published", "model", "model_low", "model_high", "verdict"} <= set(table.columns)
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from instc.data import instc_observed_path
from instc.errors import CorridorValidationError, InstcError, Problem, UnreachableError
from instc.network._read import RawTable, read_csv_table
from instc.network.corridor import Corridor
from instc.routing.compare import SHARED_BRANCHES
from instc.routing.itinerary import Itinerary
from instc.routing.router import Router
from instc.units import HOURS_PER_DAY

__all__ = [
    "KINDS",
    "OBSERVED_COLUMNS",
    "QUANTITIES",
    "RESULT_COLUMNS",
    "ObservationsError",
    "check_observations",
    "load_observations",
]

QUANTITIES: dict[str, str] = {
    "days": "days",
    "days_after_departure": "days",
    "usd_per_teu": "USD/TEU",
    "usd_per_t": "USD/t",
    "km": "km",
}
"""Quantities an observation may give, with their units."""

KINDS: dict[str, str] = {
    "measured": "a shipment timed or a price paid",
    "announced": "an operator's or official's figure for a planned or running service",
    "estimate": "a study's or an official's estimate",
}
"""Kinds of published figure, from the firmest to the loosest."""

OBSERVED_COLUMNS: tuple[str, ...] = (
    "id", "origin", "destination", "branch", "via", "year", "cargo", "quantity", "value",
    "value_low", "value_high", "kind", "title", "publisher", "date", "url", "quote", "notes",
)
"""Columns of an observations table, in order."""

_REQUIRED = ("id", "origin", "destination", "year", "cargo", "quantity", "value", "kind",
             "title", "publisher", "date")

RESULT_COLUMNS: tuple[str, ...] = (
    "id", "origin", "destination", "branch", "via", "year", "cargo", "quantity", "unit",
    "kind", "published", "published_low", "published_high", "model", "model_low",
    "model_high", "ratio", "verdict", "route", "source", "url", "line",
)
"""Columns of :func:`check_observations`' table."""


class ObservationsError(ValueError, InstcError):
    """No table of published figures is known for a corridor."""


def _number(text: str, label: str, line: int, column: str,
            problems: list[Problem]) -> float | None:
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        problems.append(Problem(label, line, column,
                                f"{text!r} is not a number above 0; expected e.g. 24 or 3400"))
        return None
    return value


def _year(text: str, label: str, line: int, problems: list[Problem]) -> int | None:
    try:
        year = int(text)
    except ValueError:
        year = 0
    if not 1900 <= year <= 2100:
        problems.append(Problem(label, line, "year",
                                f"{text!r} is not a year; expected a whole year such as 2022"))
        return None
    return year


def _check_row(raw: RawTable, i: int, seen: set[str],
               problems: list[Problem]) -> dict[str, object] | None:
    label, line = raw.label, raw.lines[i]
    cell = {c: raw.rows[i][raw.header.index(c)] if c in raw.header else ""
            for c in OBSERVED_COLUMNS}
    before = len(problems)
    for c in _REQUIRED:
        if cell[c] == "":
            problems.append(Problem(label, line, c, "is empty; expected a value"))
    if cell["id"] and cell["id"] in seen:
        problems.append(Problem(label, line, "id", f"{cell['id']!r} is used by an earlier "
                                                   "row; expected a unique id"))
    seen.add(cell["id"])
    if cell["quantity"] and cell["quantity"] not in QUANTITIES:
        problems.append(Problem(label, line, "quantity", f"{cell['quantity']!r} is not a "
                                "quantity; expected one of " + ", ".join(QUANTITIES)))
    if cell["kind"] and cell["kind"] not in KINDS:
        problems.append(Problem(label, line, "kind", f"{cell['kind']!r} is not a kind; "
                                "expected one of " + ", ".join(KINDS)))
    year = _year(cell["year"], label, line, problems) if cell["year"] else None
    value = _number(cell["value"], label, line, "value", problems)
    low = _number(cell["value_low"], label, line, "value_low", problems)
    high = _number(cell["value_high"], label, line, "value_high", problems)
    if value is not None:
        if low is not None and low > value:
            problems.append(Problem(label, line, "value_low", f"{low:g} is above value "
                                    f"{value:g}; expected low ≤ value"))
        if high is not None and high < value:
            problems.append(Problem(label, line, "value_high", f"{high:g} is below value "
                                    f"{value:g}; expected value ≤ high"))
    if len(problems) > before:
        return None
    assert value is not None and year is not None
    via = tuple(t.strip() for t in cell["via"].split(";") if t.strip())
    return {**cell, "via": via, "year": year, "value": value,
            "value_low": value if low is None else low,
            "value_high": value if high is None else high, "line": line}


def load_observations(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check a table of published door-to-door figures.

    Parameters
    ----------
    path : str or Path, optional
        A CSV file with :data:`OBSERVED_COLUMNS`; the embedded INSTC
        corridor's by default.

    Returns
    -------
    pandas.DataFrame
        One row per observation: the columns above (``via`` as a tuple of
        constraints; ``value_low``/``value_high`` equal to ``value`` where the
        source gives no range) and ``line``, the row's line in the file.

    Raises
    ------
    CorridorValidationError
        With every problem found, each naming the file, row and column.
    """
    file = instc_observed_path() if path is None else Path(path)
    label = file.name
    problems: list[Problem] = []
    raw = read_csv_table(file, label, problems)
    if raw is not None:
        missing = [c for c in _REQUIRED if c not in raw.header]
        if missing:
            problems.append(Problem(label, 1, None, "missing column(s) " + ", ".join(missing)
                                    + "; expected " + ", ".join(OBSERVED_COLUMNS)))
    if problems or raw is None:
        raise CorridorValidationError(problems, where=str(file))
    seen: set[str] = set()
    rows = [_check_row(raw, i, seen, problems) for i in range(len(raw.rows))]
    if problems:
        raise CorridorValidationError(problems, where=str(file))
    return pd.DataFrame([r for r in rows if r is not None],
                        columns=[*OBSERVED_COLUMNS, "line"])


def _verdict(model: tuple[float, float, float], published: tuple[float, float, float]) -> str:
    m_low, _, m_high = model
    p_low, _, p_high = published
    if m_high < p_low:
        return "model below"
    if m_low > p_high:
        return "model above"
    return "ranges overlap"


def _route_label(names: dict[str, str], via: tuple[str, ...]) -> str:
    return " – ".join(names[n] for n in via)


def check_observations(corridor: Corridor, observations: pd.DataFrame | None = None, *,
                       label: str = "door_to_door.csv") -> pd.DataFrame:
    """Set the model's door-to-door totals beside published figures.

    Parameters
    ----------
    corridor : Corridor
    observations : pandas.DataFrame, optional
        As :func:`load_observations` returns it; by default the embedded
        INSTC corridor's (for a corridor named ``instc``).
    label : str
        File name that problems name.

    Returns
    -------
    pandas.DataFrame
        :data:`RESULT_COLUMNS`: the observation (``published``,
        ``published_low``, ``published_high``), the model's total on the
        route it describes (``model``, ``model_low``, ``model_high``), their
        ``ratio`` (model central / published central), a ``verdict``
        (``ranges overlap``, ``model below``, ``model above`` or ``no route:
        ...``), the nodes of the model's ``route``, and the ``source``.

    Raises
    ------
    ObservationsError
        Without ``observations``, for a corridor other than the INSTC.
    CorridorValidationError
        When an observation names a node, cargo class or constraint the
        corridor does not have (file, row and column named).
    """
    if observations is None:
        if corridor.meta.name != "instc":
            raise ObservationsError(
                f"no published door-to-door figures are known for corridor "
                f"{corridor.meta.name!r}; give a CSV file of them (columns "
                + ", ".join(OBSERVED_COLUMNS) + ")")
        obs = load_observations()
    else:
        obs = observations
    routers: dict[int, Router] = {}
    problems: list[Problem] = []
    out: list[dict[str, object]] = []
    for r in obs.to_dict("records"):
        year = int(r["year"])
        line = int(r.get("line", 0)) or None
        router = routers.get(year)
        if router is None:
            router = routers[year] = Router(corridor, year)
        published = (float(r["value_low"]), float(r["value"]), float(r["value_high"]))
        row: dict[str, object] = {
            "id": r["id"], "origin": r["origin"], "destination": r["destination"],
            "branch": r["branch"], "via": ";".join(r["via"]), "year": year, "cargo": r["cargo"],
            "quantity": r["quantity"], "unit": QUANTITIES[str(r["quantity"])],
            "kind": r["kind"], "published": published[1], "published_low": published[0],
            "published_high": published[2], "model": math.nan, "model_low": math.nan,
            "model_high": math.nan, "ratio": math.nan, "verdict": "", "route": "",
            "source": f"{r['publisher']} ({r['date']}): {r['title']}", "url": r.get("url", ""),
            "line": line,
        }
        via, branches = _branch_constraints(str(r["branch"]), tuple(r["via"]),
                                            corridor.meta.branches)
        try:
            it = router.route(str(r["origin"]), str(r["destination"]), cargo=str(r["cargo"]),
                              via=via, branches=branches)
        except UnreachableError as exc:
            row["verdict"] = f"no route: {exc}"
            out.append(row)
            continue
        except (InstcError, KeyError, ValueError) as exc:
            column = _blame(exc, r)
            problems.append(Problem(label, line, column, str(exc).strip("'\"")))
            continue
        q = str(r["quantity"])
        model = (_total(it, q, "low"), _total(it, q, "central"), _total(it, q, "high"))
        row.update(model=model[1], model_low=model[0], model_high=model[2],
                   ratio=model[1] / published[1], verdict=_verdict(model, published),
                   route=_route_label(router.matcher.names, it.via))
        out.append(row)
    if problems:
        raise CorridorValidationError(problems, where=label)
    return pd.DataFrame(out, columns=list(RESULT_COLUMNS))


def _total(it: Itinerary, quantity: str, level: str) -> float:
    """Return the itinerary's total of an observation's quantity at one level."""
    if quantity == "days_after_departure":
        return it.total("days", level) - it.total("wait_hours", level) / HOURS_PER_DAY
    return it.total(quantity, level)


def _branch_constraints(branch: str, via: tuple[str, ...], declared: Mapping[str, str]
                        ) -> tuple[tuple[str, ...], tuple[str, ...] | None]:
    """Return the ``via`` and ``branches`` of a route that keeps to ``branch``.

    The route keeps to the branch's links and the shared ones; without other
    waypoints it must also use one of the branch's own links (waypoints are
    ordered, so a branch token among them would be one more stop).
    """
    if not branch:
        return via, None
    shared = tuple(b for b in SHARED_BRANCHES if b in declared and b != branch)
    return via or (f"branch:{branch}",), (branch, *shared)


def _blame(exc: Exception, row: dict[str, object]) -> str:
    """Return the column an error of :meth:`Router.route` is about."""
    text = str(exc)
    for column in ("origin", "destination", "branch"):
        if repr(str(row[column])) in text:
            return column
    if "cargo" in text:
        return "cargo"
    return "via"
