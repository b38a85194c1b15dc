"""Checks across the corridor tables, every problem reported at once.

Cell-level problems (a bad number, an unknown mode) are found while typing
the tables (``_parse``); this module checks what needs several rows or
tables: unique ids, references, sources, ranges, geometry, the years of
projects, and connectivity.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from instc.errors import Problem
from instc.network._countries import ISO_3166_ALPHA2
from instc.network._geo import great_circle_km
from instc.network._parse import LINE, _suggest, year_from_text
from instc.network.meta import CorridorMeta
from instc.network.schema import MODES, TABLES
from instc.settings import Settings

__all__ = ["LAND_MODES", "check_tables", "life_years"]

LAND_MODES = frozenset({"rail_1520", "rail_1435", "rail_1676", "road"})

Frames = Mapping[str, pd.DataFrame]


def life_years(
    frame: pd.DataFrame, project_years: Mapping[str, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Return the opening and closing year of every row (NaN: always / never).

    A row's ``project`` sets its opening year to that project's year;
    ``opens`` and ``closes`` hold a year or a project id. A project switched
    off (year NaN) keeps what it builds closed and what it replaces open.

    Parameters
    ----------
    frame : pandas.DataFrame
        A typed table with ``opens``, ``closes`` and ``project`` columns.
    project_years : mapping of str to float
        Year of each project (NaN when the project is off).

    Returns
    -------
    opens, closes : numpy.ndarray
        Years as floats; ``-inf`` for always open, ``+inf`` for never closed.
    """
    n = len(frame)
    opens = np.full(n, -np.inf)
    closes = np.full(n, np.inf)
    for i, (o, c, p) in enumerate(zip(frame["opens"], frame["closes"], frame["project"],
                                      strict=True)):
        if p:
            opens[i] = project_years.get(p, np.nan)
        elif o:
            opens[i] = _year_of(o, project_years)
        if c:
            closes[i] = _year_of(c, project_years)
        if np.isnan(opens[i]):
            opens[i] = np.inf
        if np.isnan(closes[i]):
            closes[i] = np.inf
    return opens, closes


def _year_of(value: str, project_years: Mapping[str, float]) -> float:
    if value in project_years:
        return project_years[value]
    year = year_from_text(value)
    return math.nan if year is None else float(year)


class _Checker:
    def __init__(self, frames: Frames, meta: CorridorMeta, settings: Settings,
                 labels: Mapping[str, str]) -> None:
        self.f = frames
        self.meta = meta
        self.settings = settings
        self.labels = labels
        self.problems: list[Problem] = []

    def bad(self, table: str, line: int | None, column: str | None, message: str,
            severity: str = "error") -> None:
        self.problems.append(Problem(self.labels.get(table, f"{table}.csv"), line, column,
                                     message, severity))

    def rows(self, table: str) -> Iterable[dict[str, Any]]:
        frame = self.f.get(table)
        if frame is None:
            return []
        records: list[dict[str, Any]] = frame.to_dict("records")
        return records

    def ids(self, table: str) -> set[str]:
        frame = self.f.get(table)
        if frame is None:
            return set()
        key = TABLES[table].key
        return set(frame[key])

    # -- single-table checks ------------------------------------------------
    def unique_keys(self) -> None:
        for name, frame in self.f.items():
            key = TABLES[name].key
            first: dict[str, int] = {}
            for value, line in zip(frame[key], frame[LINE], strict=True):
                if not value:
                    continue
                if value in first:
                    self.bad(name, int(line), key, f"{value!r} is used twice (first on row "
                                                   f"{first[value]}); expected a unique {key}")
                else:
                    first[value] = int(line)

    def references(self) -> None:
        known = {t: self.ids(t) for t in TABLES}
        for name, frame in self.f.items():
            for col in TABLES[name].columns:
                targets = [col.name]
                if col.sourced:
                    targets.append(col.name + "_source")
                for target in targets:
                    if target not in frame:
                        continue
                    ref = "sources" if target.endswith("_source") or target == "source" else (
                        col.ref)
                    if col.kind not in ("ref", "refs", "opens") and target == col.name:
                        continue
                    self._check_refs(name, frame, target, ref, known, col.kind == "opens")

    def _check_refs(self, name: str, frame: pd.DataFrame, column: str, ref: str,
                    known: Mapping[str, set[str]], year_ok: bool) -> None:
        pool = known.get(ref, set())
        target = self.f.get(ref)
        if TABLES[ref].required and (target is None or target.empty):
            return  # the missing, unreadable or empty table is reported already
        names = self._node_names() if ref == "nodes" else {}
        for value, line in zip(frame[column], frame[LINE], strict=True):
            values = value if isinstance(value, tuple) else ((value,) if value else ())
            for v in values:
                if v in pool:
                    continue
                year = year_from_text(v) if year_ok else None
                if year is not None:
                    if not self.settings.min_year <= year <= self.settings.max_year:
                        self.bad(name, int(line), column,
                                 f"{v!r} is not a plausible year; expected a year between "
                                 f"{self.settings.min_year} and {self.settings.max_year} "
                                 "or a project id")
                    continue
                what = f"a year or an id in {ref}.csv" if year_ok else f"an id in {ref}.csv"
                if target is None:
                    # One problem per column, not one per row, for a table that is not there.
                    self.bad(name, int(line), column,
                             f"{v!r} does not resolve; expected {what}, but {ref}.csv is "
                             "missing or could not be read (other rows are not checked)")
                    return
                hint = (f" (did you mean {names[v]!r}, the id of node {v!r}?)" if v in names
                        else _suggest(v, sorted(pool)))
                self.bad(name, int(line), column,
                         f"{v!r} does not resolve{hint}; expected {what}")

    def _node_names(self) -> dict[str, str]:
        """Map each node name and alias to its id, for did-you-mean hints."""
        names: dict[str, str] = {}
        for r in self.rows("nodes"):
            for label in (r["name"], *r["aliases"]):
                if label and r["id"]:
                    names.setdefault(label, r["id"])
        return names

    def sources_and_ranges(self) -> None:
        for name, frame in self.f.items():
            for col in TABLES[name].columns:
                if not col.sourced:
                    continue
                self._ranges(name, frame, col.name)
                if self.meta.sourced:
                    self._sourced(name, frame, col.name)

    def _ranges(self, name: str, frame: pd.DataFrame, column: str) -> None:
        low = frame.get(column + "_low")
        high = frame.get(column + "_high")
        for i, line in enumerate(frame[LINE]):
            central = frame[column].iat[i]
            lo = low.iat[i] if low is not None else math.nan
            hi = high.iat[i] if high is not None else math.nan
            if not math.isnan(lo) and not math.isnan(central) and lo > central:
                self.bad(name, int(line), column + "_low",
                         f"{lo:g} is above the central value {central:g}; expected "
                         f"{column}_low <= {column} <= {column}_high")
            if not math.isnan(hi) and not math.isnan(central) and hi < central:
                self.bad(name, int(line), column + "_high",
                         f"{hi:g} is below the central value {central:g}; expected "
                         f"{column}_low <= {column} <= {column}_high")
            if not math.isnan(lo) and not math.isnan(hi) and lo > hi:
                self.bad(name, int(line), column + "_low",
                         f"{lo:g} is above {column}_high {hi:g}; expected low <= high")
            if (not math.isnan(lo) or not math.isnan(hi)) and math.isnan(central):
                self.bad(name, int(line), column,
                         f"is empty but a range is given; expected a central value between "
                         f"{column}_low and {column}_high")

    def _sourced(self, name: str, frame: pd.DataFrame, column: str) -> None:
        own_src = frame.get(column + "_source")
        own_conf = frame.get(column + "_confidence")
        row_src = frame.get("source")
        row_conf = frame.get("confidence")
        values = [frame[column]] + [frame[column + s] for s in ("_low", "_high")
                                    if column + s in frame]
        for i, line in enumerate(frame[LINE]):
            if all(math.isnan(v.iat[i]) for v in values):
                continue
            shown = next(v.iat[i] for v in values if not math.isnan(v.iat[i]))
            src = (own_src.iat[i] if own_src is not None else ()) or (
                row_src.iat[i] if row_src is not None else ())
            conf = (own_conf.iat[i] if own_conf is not None else "") or (
                row_conf.iat[i] if row_conf is not None else "")
            if not src:
                self.bad(name, int(line), column,
                         f"{shown:g} has no source; this corridor is marked sourced in "
                         f"corridor.yaml, so give a source id in 'source' or '{column}_source'")
            if not conf:
                self.bad(name, int(line), column,
                         f"{shown:g} has no confidence; give one of measured, "
                         f"published_estimate, computed, assumption in 'confidence' or "
                         f"'{column}_confidence'")

    def branches(self) -> None:
        if not self.meta.branches:
            return
        allowed = sorted(self.meta.branches)
        for table, column in (("nodes", "branches"), ("links", "branch")):
            for row in self.rows(table):
                for b in row[column]:
                    if b not in self.meta.branches:
                        self.bad(table, row[LINE], column,
                                 f"branch {b!r} is not declared in corridor.yaml"
                                 f"{_suggest(b, allowed)}; expected one of "
                                 + ", ".join(repr(a) for a in allowed))

    # -- cross-table checks -------------------------------------------------
    def project_years(self) -> dict[str, float]:
        return {r["id"]: r["year"] for r in self.rows("projects") if r["id"]}

    def by_key(self, table: str) -> dict[str, dict[str, Any]]:
        """Rows of ``table`` by key; a duplicated key keeps its first row."""
        out: dict[str, dict[str, Any]] = {}
        for r in self.rows(table):
            out.setdefault(r[TABLES[table].key], r)
        return out

    def geometry_and_links(self) -> None:
        nodes = self.by_key("nodes")
        modes = self.by_key("modes")
        years = self.project_years()
        node_open: dict[str, float] = {}
        if "nodes" in self.f:
            opens, _ = life_years(self.f["nodes"], years)
            for nid, year in zip(self.f["nodes"]["id"], opens, strict=True):
                node_open.setdefault(nid, float(year))
        links = self.f.get("links")
        if links is None:
            return
        l_opens, l_closes = life_years(links, years)
        s = self.settings
        for i, row in enumerate(links.to_dict("records")):
            line = row[LINE]
            a, b = nodes.get(row["from"]), nodes.get(row["to"])
            if row["from"] and row["from"] == row["to"]:
                self.bad("links", line, "to", f"{row['to']!r} is the link's own start; "
                                              "expected a link between two different nodes")
            if a is not None and b is not None and not math.isnan(row["distance_km"]):
                gc = great_circle_km(a["lat"], a["lon"], b["lat"], b["lon"],
                                     radius_km=s.earth_radius_km)
                limit = gc / s.circuity_tolerance - s.great_circle_slack_km
                if row["distance_km"] < limit:
                    self.bad("links", line, "distance_km",
                             f"{row['distance_km']:g} km is shorter than the great-circle "
                             f"distance {gc:.1f} km between {row['from']!r} and {row['to']!r}; "
                             "check the distance or the nodes' coordinates")
            if row["opens"] and row["project"]:
                want = years.get(row["project"])
                got = _year_of(row["opens"], years)
                if want is not None and not math.isnan(want) and got != want:
                    self.bad("links", line, "opens",
                             f"{row['opens']!r} disagrees with project {row['project']!r} "
                             f"(year {want:g}); leave 'opens' empty to follow the project")
            if l_closes[i] <= l_opens[i] and np.isfinite(l_closes[i]):
                self.bad("links", line, "closes",
                         f"{row['closes']!r} (year {l_closes[i]:g}) is not after the opening "
                         f"year {l_opens[i]:g}; expected closes > opens")
            for end in ("from", "to"):
                n_open = node_open.get(row[end], -np.inf)
                if np.isfinite(n_open) and n_open > l_opens[i]:
                    when = (f"opens in {l_opens[i]:g}" if np.isfinite(l_opens[i])
                            else "is open from the start")
                    self.bad("links", line, "opens",
                             f"link {row['id']!r} {when} but its node "
                             f"{row[end]!r} opens only in {n_open:g}; expected the node to "
                             "exist first")
            mode = modes.get(row["mode"], {})
            if (row["mode"] in MODES and math.isnan(row["hours"]) and math.isnan(row["speed_kmh"])
                    and math.isnan(mode.get("speed_kmh", math.nan))):
                self.bad("links", line, "hours",
                         f"link {row['id']!r} has no 'hours' or 'speed_kmh' and mode "
                         f"{row['mode']!r} has no speed in modes.csv; expected one of them")
            if (row["mode"] in LAND_MODES and a is not None and b is not None
                    and a["country"] != b["country"] and row["id"] not in self._border_links()):
                self.bad("links", line, "id",
                         f"link {row['id']!r} crosses from {a['country']} to {b['country']} "
                         "but no row of borders.csv names it; border dwell and fees are "
                         "counted as zero", severity="warning")

    def _border_links(self) -> set[str]:
        return {r["link"] for r in self.rows("borders")}

    def transfers_and_borders(self) -> None:
        node_modes: dict[str, set[str]] = {}
        # Nodes whose modes are not known for sure (a link there has a bad mode).
        unsure: set[str] = set()
        for r in self.rows("links"):
            for end in (r["from"], r["to"]):
                node_modes.setdefault(end, set()).add(r["mode"])
                if r["mode"] not in MODES:
                    unsure.add(end)
        node_ids = self.ids("nodes")
        for r in self.rows("transfers"):
            if r["from_mode"] == r["to_mode"] and r["kind"] not in ("port_handling",):
                self.bad("transfers", r[LINE], "to_mode",
                         f"{r['to_mode']!r} equals from_mode; a transfer joins two different "
                         "modes")
            if "links" not in self.f or r["node"] not in node_ids or r["node"] in unsure:
                continue  # reported already: no links, an unknown node or a bad mode
            present = node_modes.get(r["node"], set())
            for col in ("from_mode", "to_mode"):
                if r["node"] and r[col] and r[col] not in present:
                    have = ", ".join(sorted(present)) or "none"
                    self.bad("transfers", r[LINE], col,
                             f"mode {r[col]!r} has no link at node {r['node']!r} (modes there: "
                             f"{have}); expected a mode of a link touching the node")
        nodes = self.by_key("nodes")
        links = self.by_key("links")
        for r in self.rows("borders"):
            link = links.get(r["link"])
            if link is None:
                continue
            if link["from"] not in nodes or link["to"] not in nodes:
                continue
            ends = {nodes[n]["country"] for n in (link["from"], link["to"])}
            pair = {r["from_country"], r["to_country"]}
            if not (ends | pair) <= ISO_3166_ALPHA2:
                continue  # a bad country code is reported where it is written
            if len(ends) == 2 and ends != pair:
                self.bad("borders", r[LINE], "link",
                         f"link {r['link']!r} joins {' and '.join(sorted(ends))}, not "
                         f"{r['from_country']} and {r['to_country']}; expected the link that "
                         "crosses this frontier")
            elif len(ends) == 1:
                self.bad("borders", r[LINE], "link",
                         f"link {r['link']!r} lies within {ends.pop()}; expected a link whose "
                         "ends are in two countries")

    def services_and_demand(self) -> None:
        links = {r["id"]: r for r in self.rows("links")}
        for r in self.rows("services"):
            for lid in r["links"]:
                link = links.get(lid)
                if link is not None and link["mode"] != r["mode"]:
                    self.bad("services", r[LINE], "links",
                             f"link {lid!r} is {link['mode']!r} but the service is "
                             f"{r['mode']!r}; expected links of the service's mode")
            for lid in r.get("boarding_links") or ():
                if lid not in r["links"]:
                    self.bad("services", r[LINE], "boarding_links",
                             f"{lid!r} is not one of the service's links; expected one of "
                             + ", ".join(map(repr, r["links"])))
                elif r.get("limits_links"):
                    self.bad("services", r[LINE], "boarding_links",
                             "the service limits its links, so cargo already waits before "
                             "each of them; expected boarding_links empty")
        cargo = self.ids("cargo")
        for r in self.rows("demand"):
            if r["origin"] and r["origin"] == r["destination"]:
                self.bad("demand", r[LINE], "destination",
                         f"{r['destination']!r} is also the origin; expected two different "
                         "nodes")
            if cargo and r["cargo"] and r["cargo"] not in cargo:
                self.bad("demand", r[LINE], "cargo",
                         f"{r['cargo']!r} is not a cargo class{_suggest(r['cargo'], sorted(cargo))}"
                         "; expected an id in cargo.csv")

    def connectivity(self) -> None:
        nodes = self.f.get("nodes")
        links = self.f.get("links")
        if nodes is None or links is None or len(nodes) == 0:
            return
        # Unique, non-empty ids only: duplicates and blanks are reported elsewhere.
        index: dict[str, int] = {}
        for nid in nodes["id"]:
            if nid:
                index.setdefault(nid, len(index))
        pairs = [(index[a], index[b]) for a, b in zip(links["from"], links["to"], strict=True)
                 if a in index and b in index]
        n = len(index)
        if n == 0:
            return
        if pairs:
            rows, cols = zip(*pairs, strict=True)
        else:
            rows, cols = (), ()
        adj = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        count, labels = connected_components(adj, directed=False)
        if count <= 1:
            return
        main = np.bincount(labels).argmax()
        lines: dict[str, int] = {}
        for nid, line in zip(nodes["id"], nodes[LINE], strict=True):
            lines.setdefault(nid, int(line))
        for comp in range(count):
            if comp == main:
                continue
            members = [nid for nid, i in index.items() if labels[i] == comp]
            shown = ", ".join(repr(m) for m in members[1:6]) + (" ..." if len(members) > 6 else "")
            what = ("has no link" if len(members) == 1 else
                    f"and {len(members) - 1} other node(s) ({shown}) are")
            first = members[0]
            if len(members) == 1:
                msg = f"node {first!r} {what}; expected every node to be joined to the network"
            else:
                msg = (f"node {first!r} {what} cut off from the rest of the network; expected "
                       "one connected network")
            self.bad("nodes", int(lines[first]), "id", msg)


def check_tables(frames: Frames, meta: CorridorMeta, settings: Settings,
                 labels: Mapping[str, str]) -> list[Problem]:
    """Run every cross-table check; return the problems found.

    Parameters
    ----------
    frames : mapping of str to pandas.DataFrame
        Typed tables by name (``_parse.parse_table`` output, ``_line`` included).
    meta : CorridorMeta
        The corridor's metadata (``sourced`` turns on the source rule).
    settings : Settings
        Tolerances of the geometry check and the year range.
    labels : mapping of str to str
        File label of each table, used in problems.
    """
    c = _Checker(frames, meta, settings, labels)
    c.unique_keys()
    c.references()
    c.sources_and_ranges()
    c.branches()
    c.geometry_and_links()
    c.transfers_and_borders()
    c.services_and_demand()
    c.connectivity()
    return c.problems
