"""Scenario files: what a scenario may say, checked with pydantic.

A scenario is a YAML file naming a corridor, the years to run, projects
moved or switched off, parameter overrides, a demand path, disruptions and
uncertain parameters with their distributions, and a seed::

    name: rasht-astara-late
    corridor: instc                 # the embedded corridor, or a folder path
    years: {start: 2024, end: 2035} # or a list: [2024, 2030]
    projects: {rasht_astara: 2032, samur2_yalama2: off}
    overrides:
      - {table: borders, column: hours, where: {id: B03}, multiply: 0.5}
    demand: {scenario: target-2030, scale: 1.0}
    disruptions:
      - {table: links, where: {branch: suez}, start: 2024.0, end: 2024.5, action: close}
    uncertain:
      - {table: borders, column: hours, distribution: data_range}
    seed: 20261127

Every error names the key path (``overrides.0.table``), the bad value and
the allowed values.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from instc.errors import InstcError, Problem

__all__ = [
    "ComparePair",
    "DemandPath",
    "Disruption",
    "GridAxis",
    "Override",
    "Scenario",
    "ScenarioError",
    "Uncertain",
    "YearRange",
    "load_scenario",
    "scenario_from_mapping",
]

Selector = dict[str, str | int | float | list[str | int | float]]
"""Rows to act on: column -> value or list of values (all must match; a
list-valued column such as ``branch`` matches when it contains the value)."""

TABLES_WITH_PARAMETERS = ("nodes", "modes", "links", "transfers", "borders", "services",
                          "projects", "demand", "cargo")


class ScenarioError(ValueError, InstcError):
    """A scenario file is invalid; every problem is in ``problems``."""

    def __init__(self, problems: list[Problem], *, where: str) -> None:
        self.problems = tuple(problems)
        self.where = where
        lines = [f"{len(problems)} problem(s) in {where}:"] + [f"  {p}" for p in problems]
        super().__init__("\n".join(lines))


class _Model(BaseModel):
    # NaN and infinity are never a scenario's intent (YAML spells them .nan and .inf).
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _out_of_bounds(table: str, column: str, value: float) -> str | None:
    """Return why ``value`` cannot stand in ``table.column`` (its schema's bounds), or ``None``.

    Columns the schema does not know are left to :func:`instc.scenarios.apply.check_scenario`.
    """
    from instc.network.schema import TABLES
    from instc.settings import Settings

    try:
        col = TABLES[table].column(column)
    except KeyError:
        return None
    if col.kind == "year":
        s = Settings()
        low, high, positive = float(s.min_year), float(s.max_year), False
    else:
        low = col.minimum if col.minimum is not None else -math.inf
        high = col.maximum if col.maximum is not None else math.inf
        positive = col.positive
    if (value > 0 if positive else value >= low) and value <= high:
        return None
    bounds = (["greater than 0"] if positive else
              [f"at least {low:g}"] if math.isfinite(low) else [])
    bounds += [f"at most {high:g}"] if math.isfinite(high) else []
    unit = f" in {col.unit}" if col.unit else ""
    return (f"{value!r} is out of range for {table}.csv column {column!r}; expected a "
            f"number{unit} " + " and ".join(bounds))


class YearRange(_Model):
    """Years ``start`` to ``end`` inclusive, every ``step`` years."""

    start: int = Field(ge=1900, le=2100)
    end: int = Field(ge=1900, le=2100)
    step: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _ordered(self) -> YearRange:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    def years(self) -> list[int]:
        """Return the years as a list."""
        return list(range(self.start, self.end + 1, self.step))


class Override(_Model):
    """Set or multiply a numeric column on the selected rows.

    ``multiply`` scales the central value and its ``_low``/``_high`` range;
    ``set`` replaces the central value and removes the range.
    """

    table: Literal["nodes", "modes", "links", "transfers", "borders", "services", "projects",
                   "demand", "cargo"]
    column: str
    where: Selector = Field(default_factory=dict)
    set: float | None = None
    multiply: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_action(self) -> Override:
        if (self.set is None) == (self.multiply is None):
            raise ValueError("give exactly one of 'set' or 'multiply'")
        if self.set is not None and (why := _out_of_bounds(self.table, self.column,
                                                            self.set)):
            raise ValueError(f"set {why}")
        return self


class DemandPath(_Model):
    """Which rows of ``demand.csv`` to load, and a scale on their tonnes.

    ``scenario`` names one demand scenario or several, whose rows are pooled
    into one path (``[target-2030, long-term-100]`` grows from the 2030
    target to the long-term figure); between the years given, tonnes are
    interpolated linearly per origin, destination and cargo class, and held
    flat outside them.
    """

    scenario: str | list[str]
    scale: float = Field(default=1.0, ge=0)

    def names(self) -> list[str]:
        """Return the demand scenarios of the path."""
        return [self.scenario] if isinstance(self.scenario, str) else list(self.scenario)


class Disruption(_Model):
    """Close or derate the selected elements from ``start`` to ``end``.

    Times are decimal years (``2026.25`` is 1 April 2026). In a year the
    window overlaps by a fraction ``f``, capacity is multiplied by
    ``1 - f × (1 - factor)`` (``factor`` = 0 for ``close``); an element closed
    for a whole year is removed from that year's network.
    """

    table: Literal["nodes", "links", "transfers", "borders", "services"]
    where: Selector
    start: float = Field(ge=1900, le=2101)
    end: float = Field(ge=1900, le=2101)
    action: Literal["close", "derate"] = "close"
    factor: float = Field(default=0.0, ge=0, le=1)

    @model_validator(mode="after")
    def _window(self) -> Disruption:
        if self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        if self.action == "close" and self.factor != 0.0:
            raise ValueError("'factor' applies to action 'derate' only")
        return self


class GridAxis(_Model):
    """One axis of a grid sweep: the values a numeric column takes, one run each.

    ``action: multiply`` scales the selected rows (and their ranges) by each
    value; ``set`` replaces the value. Runs cover every combination of the
    axes' values (their Cartesian product).
    """

    table: Literal["nodes", "modes", "links", "transfers", "borders", "services", "projects",
                   "demand", "cargo"]
    column: str
    where: Selector = Field(default_factory=dict)
    values: list[float] = Field(min_length=1)
    action: Literal["multiply", "set"] = "multiply"

    @model_validator(mode="after")
    def _values(self) -> GridAxis:
        for v in self.values:
            if self.action == "multiply" and v < 0:
                raise ValueError(f"value {v!r} would multiply by a negative number; expected "
                                 "multipliers of at least 0")
            if self.action == "set" and (why := _out_of_bounds(self.table, self.column, v)):
                raise ValueError(f"value {why}")
        return self

    def override(self, value: float) -> Override:
        """Return the override of this axis at ``value``."""
        if self.action == "set":
            return Override(table=self.table, column=self.column, where=self.where, set=value)
        return Override(table=self.table, column=self.column, where=self.where,
                        multiply=value)


class ComparePair(_Model):
    """An origin and destination whose routes are compared every year."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    origin: str = Field(alias="from")
    destination: str = Field(alias="to")
    cargo: str = "container"


Distribution = Literal["uniform", "triangular", "lognormal", "data_range"]


class Uncertain(_Model):
    """An uncertain parameter, drawn once per Monte Carlo draw.

    - ``uniform``: a multiplier between ``low`` and ``high``;
    - ``triangular``: a multiplier with ``low``, ``mode``, ``high``;
    - ``lognormal``: a multiplier exp(N(mu, sigma)), median exp(mu);
    - ``data_range``: each selected row drawn from a triangular distribution
      on its own ``<column>_low``, ``<column>``, ``<column>_high``.

    One draw applies to every selected row (they move together), except for
    ``data_range``, where rows are drawn independently.
    """

    table: Literal["nodes", "modes", "links", "transfers", "borders", "services", "projects",
                   "demand", "cargo"]
    column: str
    where: Selector = Field(default_factory=dict)
    distribution: Distribution
    low: float | None = None
    mode: float | None = None
    high: float | None = None
    mu: float | None = None
    sigma: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _parameters(self) -> Uncertain:
        need = {"uniform": ("low", "high"), "triangular": ("low", "mode", "high"),
                "lognormal": ("mu", "sigma"), "data_range": ()}[self.distribution]
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            raise ValueError(f"distribution {self.distribution!r} needs "
                             + ", ".join(repr(m) for m in missing))
        if self.distribution in ("uniform", "triangular"):
            lo, hi = self.low, self.high
            assert lo is not None and hi is not None
            if lo > hi or (self.mode is not None and not lo <= self.mode <= hi):
                raise ValueError("expected low <= mode <= high")
            if lo < 0:
                raise ValueError(f"low {lo!r} is negative; a multiplier is at least 0, so "
                                 "expected 0 <= low <= mode <= high")
        return self


class Scenario(_Model):
    """A scenario: corridor, years, projects, overrides, demand, disruptions, draws."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    description: str = ""
    corridor: str = "instc"
    years: list[Annotated[int, Field(ge=1900, le=2100)]] | YearRange = Field(
        default_factory=lambda: [2024])
    projects: dict[str, int | str] = Field(default_factory=dict)
    overrides: list[Override] = Field(default_factory=list)
    demand: DemandPath | None = None
    disruptions: list[Disruption] = Field(default_factory=list)
    uncertain: list[Uncertain] = Field(default_factory=list)
    compare: list[ComparePair] = Field(default_factory=list)
    grid: list[GridAxis] = Field(default_factory=list)
    capacity_exclude_branches: list[str] = Field(default_factory=list)
    seed: int = Field(default=0, ge=0)

    @field_validator("projects")
    @classmethod
    def _project_years(cls, value: dict[str, int | str]) -> dict[str, int | str]:
        bad = [f"{k}: {v!r}" for k, v in value.items()
               if not (v == "off" or (isinstance(v, int) and 1900 <= v <= 2100))]
        if bad:
            raise ValueError(f"{', '.join(bad)}; expected a year between 1900 and 2100 or "
                             "'off'")
        return value

    def year_list(self) -> list[int]:
        """Return the scenario's years in order."""
        years = self.years.years() if isinstance(self.years, YearRange) else self.years
        return sorted(set(years))

    def grid_points(self) -> list[list[Override]]:
        """Return the overrides of every grid point (one empty point without a grid)."""
        import itertools

        return [[axis.override(v) for axis, v in zip(self.grid, combo, strict=True)]
                for combo in itertools.product(*(axis.values for axis in self.grid))]

    def project_years(self) -> dict[str, float | None]:
        """Return the project overrides in the form ``Corridor.graph`` takes."""
        return {k: (None if v == "off" else float(v)) for k, v in self.projects.items()}


# Union members and validators in an error's location; a bare "set" is the Override field.
_TYPE_TAG = re.compile(r"^(list|dict|tuple|function-\w+|literal|constrained-\w+|int|float|str|"
                       r"bool|none)(\[.*\])?$|^set\[.*\]$|^[A-Z][A-Za-z]+$")
_PREFERRED = {"value_error": 0, "literal_error": 1, "extra_forbidden": 1, "missing": 1}


def _problems(exc: ValidationError, label: str) -> list[Problem]:
    # A union (e.g. a year or 'off') reports one error per member; keep the
    # most telling error per key path.
    best: dict[str, tuple[int, str, str]] = {}
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]
                       if isinstance(p, int) or not _TYPE_TAG.match(str(p)))
        got = err.get("input")
        kind = err["type"]
        if kind == "extra_forbidden":
            msg = "unknown key; remove it or check its spelling"
        elif kind == "literal_error":
            msg = f"{got!r} is not allowed; expected {err['ctx']['expected']}"
        elif kind == "missing":
            msg = "is required"
        elif kind == "value_error":
            msg = str(err["msg"]).removeprefix("Value error, ")
        else:
            shown = "" if isinstance(got, dict | list) else f" (got {got!r})"
            msg = f"{err['msg'][0].lower()}{err['msg'][1:]}{shown}"
        rank = _PREFERRED.get(kind, 2)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, msg, kind)
    # A union (a list of years or a range) also reports "not a valid dict" for a list
    # whose items are wrong; the items' own errors say more.
    kept = {key: msg for key, (_, msg, kind) in best.items()
            if not (kind.endswith("_type") and any(k.startswith(f"{key}.") for k in best))}
    return [Problem(label, None, None, f"key {key!r}: {msg}" if key else msg)
            for key, msg in kept.items()]


def scenario_from_mapping(data: Any, *, label: str = "scenario") -> Scenario:
    """Validate a mapping (parsed YAML) as a scenario.

    Raises
    ------
    ScenarioError
        Naming every bad key path and what is expected.
    """
    if not isinstance(data, dict):
        raise ScenarioError([Problem(label, None, None, "must hold a mapping of keys to "
                                     f"values, not {type(data).__name__}")], where=label)
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_problems(exc, label), where=label) from None


def _yaml_loader() -> Any:
    import yaml

    class UniqueKeyLoader(yaml.SafeLoader):
        """A safe loader that refuses a key given twice in one mapping (YAML keeps the last)."""

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    first = seen.setdefault(key, key_node.start_mark.line)
                except TypeError:  # an unhashable key; the base class says so
                    break
                if first != key_node.start_mark.line:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {key!r} is given twice (first on line {first + 1}); "
                        "expected each key once", key_node.start_mark)
            return super().construct_mapping(node, deep=deep)

    return UniqueKeyLoader


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read and validate a scenario YAML file.

    Raises
    ------
    ScenarioError
        If the file is missing, not UTF-8, not YAML (or gives a key twice), or not
        a valid scenario.
    """
    import yaml

    file = Path(path)
    label = file.name

    def fail(message: str, line: int | None = None, name: str = str(file)) -> ScenarioError:
        return ScenarioError([Problem(name, line, None, message)], where=str(file))

    if file.is_dir():
        raise fail("is a folder; expected a scenario YAML file")
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise fail("file does not exist") from None
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise fail(f"byte {raw[exc.start:exc.start + 1]!r} is not valid UTF-8; save the file "
                   "as UTF-8", line) from None
    try:
        data = yaml.load(text, Loader=_yaml_loader())  # a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise fail(f"is not valid YAML: {getattr(exc, 'problem', exc)}",
                   mark.line + 1 if mark else None, label) from None
    return scenario_from_mapping(data, label=label)
