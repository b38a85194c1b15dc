"""Edge capacities of a compiled corridor graph, what sets them, and fleet constraints.

The compiled graph gives each edge one capacity (t/year): the smallest of
the link's own capacity, its border's, and the summed capacity of the
``limits_links`` services on it (links); of the transfer's and its node's
(transfers); of the node's (origin and destination edges). This module
says, for every edge, *which* of these sets the number, and names it as a
user reads it: a port, a border, a line, a transfer point, a fleet.

A fleet serving several links (a Caspian service on four sea lanes) is
counted in full on each of them by the compiled graph, which over-states
what it can carry. :func:`edge_capacities` therefore keeps, on a
fleet-limited link, only the link's and border's own capacity, and returns
one :class:`FleetConstraint` per service and direction instead: the flows
on all the links the service serves, in one direction, add up to at most
the service's derived capacity (``fleet × unit load × operating days /
round-trip days``, t/year in each direction). Links are taken to be listed
in ``links.csv`` in the direction the service sails outbound (``from`` →
``to``), as they are for the embedded corridor's Caspian services.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from instc.network.corridor import Corridor
from instc.network.graph import (
    EDGE_ACCESS,
    EDGE_EGRESS,
    EDGE_LINK,
    EDGE_TRANSFER,
    CompiledGraph,
    service_capacity,
)

__all__ = ["CATEGORIES", "EdgeCapacities", "FleetConstraint", "edge_capacities"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

CATEGORIES: tuple[str, ...] = ("line", "border", "fleet", "port", "gauge change",
                               "transfer point", "node")
"""What may bind: a line (link), a border, a fleet, a port (port handling or a
port node), a gauge change, another transfer point (terminal, transshipment),
or a node's throughput."""


@dataclass(frozen=True)
class FleetConstraint:
    """The flows on a service's links, one direction, add up to at most its capacity.

    Attributes
    ----------
    service, name : str
        Service id and name.
    direction : str
        ``"outbound"`` (links' ``from`` → ``to``) or ``"return"``.
    capacity_t : float
        Derived capacity of the service (t/year, each direction).
    edges : numpy.ndarray of int64
        Graph edges of the service's links in that direction.
    """

    service: str
    name: str
    direction: str
    capacity_t: float
    edges: IntArray


@dataclass(frozen=True, eq=False)
class EdgeCapacities:
    """Capacities of every edge of one graph, what sets them, and fleet constraints.

    Attributes
    ----------
    graph : CompiledGraph
    capacity_t : numpy.ndarray
        Capacity (t/year; ``inf`` when none is known). Equal to
        ``graph.capacity_t``, except on fleet-limited links when ``fleets``
        is not empty: there, only the link's and border's own capacity.
    bound_by : tuple of str
        What sets ``graph.capacity_t`` on each edge: ``"link"``,
        ``"border"``, ``"service"``, ``"transfer"``, ``"node"``, or ``""``
        (uncapacitated).
    element : tuple of str
        Id of that element (link, border, service(s) joined by ``+``,
        transfer or node id); the edge's own element when uncapacitated.
    category : tuple of str
        One of :data:`CATEGORIES`.
    name : tuple of str
        A readable name of the element.
    fleets : tuple of FleetConstraint
        Shared fleet constraints (empty when ``fleets=False``).
    """

    graph: CompiledGraph
    capacity_t: FloatArray
    bound_by: tuple[str, ...]
    element: tuple[str, ...]
    category: tuple[str, ...]
    name: tuple[str, ...]
    fleets: tuple[FleetConstraint, ...]

    def frame(self) -> pd.DataFrame:
        """Return one row per edge: edge, from/to node and mode, the capacity and its setter."""
        g = self.graph
        return pd.DataFrame({
            "edge": np.arange(g.n_edges),
            "kind": [("link", "transfer", "access", "egress")[k] for k in g.kind],
            "graph_element": list(g.element),
            "from_node": [g.node_ids[g.vertex_node[v]] for v in g.tail],
            "from_mode": [g.vertex_mode[v] for v in g.tail],
            "to_node": [g.node_ids[g.vertex_node[v]] for v in g.head],
            "to_mode": [g.vertex_mode[v] for v in g.head],
            "capacity_t": self.capacity_t,
            "bound_by": list(self.bound_by),
            "element": list(self.element),
            "category": list(self.category),
            "name": list(self.name),
        })


def _f(x: object) -> float:
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return v


def edge_capacities(corridor: Corridor, graph: CompiledGraph, *,
                    fleets: bool = True) -> EdgeCapacities:
    """Return the capacities of ``graph``'s edges, what sets each, and fleet constraints.

    Parameters
    ----------
    corridor : Corridor
        The corridor the graph was compiled from.
    graph : CompiledGraph
        A graph of one year (and project set).
    fleets : bool, optional
        Replace the per-link capacity of ``limits_links`` services by shared
        :class:`FleetConstraint` rows (see the module docstring). With
        ``False``, capacities are the graph's, as routing sees them.

    Returns
    -------
    EdgeCapacities
    """
    nodes = {r["id"]: r for r in corridor.nodes.to_dict("records")}
    links = {r["id"]: r for r in corridor.links.to_dict("records")}
    transfers = {r["id"]: r for r in corridor.transfers.to_dict("records")}
    borders = {r["link"]: r for r in corridor.borders.to_dict("records")}
    services = corridor.services[corridor.open_in("services", graph.year,
                                                  dict(graph.projects) or None)]
    limiting = services[services["limits_links"]]
    svc_caps = service_capacity(limiting) if len(limiting) else pd.Series(dtype=float)
    on_link: dict[str, list[tuple[str, str, float]]] = {}
    for sid, sname, lids, cap in zip(limiting["id"], limiting["name"], limiting["links"],
                                     svc_caps, strict=True):
        for lid in lids:
            on_link.setdefault(lid, []).append((sid, str(sname or sid), float(cap)))

    def node_name(nid: str) -> str:
        return str(nodes[nid]["name"]).split(" (")[0] if nid in nodes else nid

    n = graph.n_edges
    cap_out = np.array(graph.capacity_t, dtype=np.float64)
    bound_by: list[str] = []
    element: list[str] = []
    category: list[str] = []
    name: list[str] = []
    for e in range(n):
        el = graph.element[e]
        kind = int(graph.kind[e])
        cap = float(graph.capacity_t[e])
        by, eid, cat, nm = "", el, "", el
        if kind == EDGE_LINK:
            r = links[el]
            b = borders.get(el)
            own = _f(r["capacity_t"])
            bcap = _f(b["capacity_t"]) if b is not None else math.nan
            svc = on_link.get(el, [])
            scap = sum(s[2] for s in svc) if svc else math.nan
            label = f"{node_name(r['from'])}–{node_name(r['to'])} {r['mode']}"
            cat, nm = "line", label
            if math.isfinite(cap):
                if not math.isnan(scap) and cap == scap and not (own <= scap or bcap <= scap):
                    by, eid, cat = "service", "+".join(s[0] for s in svc), "fleet"
                    nm = " + ".join(s[1] for s in svc)
                elif b is not None and not math.isnan(bcap) and cap == bcap:
                    by, eid, cat, nm = "border", str(b["id"]), "border", str(b["name"] or label)
                else:
                    by = "link"
            if fleets and svc:
                cap_out[e] = min((v for v in (own, bcap) if not math.isnan(v)), default=math.inf)
        elif kind == EDGE_TRANSFER:
            r = transfers[el]
            own = _f(r["capacity_t"])
            tkind = str(r["kind"])
            cat = ("port" if tkind == "port_handling" else
                   "gauge change" if tkind.startswith("gauge_change") else "transfer point")
            nm = f"{node_name(r['node'])} {r['from_mode']}↔{r['to_mode']} ({tkind})"
            if math.isfinite(cap):
                if not math.isnan(own) and cap == own:
                    by = "transfer"
                else:
                    by, eid, nm = "node", str(r["node"]), node_name(r["node"])
                    cat = "port" if nodes[r["node"]]["kind"] == "port" else "node"
        elif kind in (EDGE_ACCESS, EDGE_EGRESS):
            cat = "port" if el in nodes and nodes[el]["kind"] == "port" else "node"
            nm = node_name(el) + (" (loading)" if kind == EDGE_ACCESS else " (unloading)")
            if math.isfinite(cap):
                by = "node"
        bound_by.append(by)
        element.append(eid)
        category.append(cat)
        name.append(nm)

    constraints: list[FleetConstraint] = []
    if fleets and len(limiting):
        link_edges: dict[str, tuple[list[int], list[int]]] = {}
        for e in range(n):
            if int(graph.kind[e]) != EDGE_LINK:
                continue
            r = links[graph.element[e]]
            out = graph.node_ids[graph.vertex_node[graph.tail[e]]] == r["from"]
            pair = link_edges.setdefault(graph.element[e], ([], []))
            pair[0 if out else 1].append(e)
        for sid, sname, lids, cap in zip(limiting["id"], limiting["name"], limiting["links"],
                                         svc_caps, strict=True):
            for d, direction in enumerate(("outbound", "return")):
                edges = [e for lid in lids for e in link_edges.get(lid, ([], []))[d]]
                if edges:
                    constraints.append(FleetConstraint(str(sid), str(sname or sid), direction,
                                                       float(cap),
                                                       np.asarray(edges, dtype=np.int64)))
    return EdgeCapacities(graph=graph, capacity_t=cap_out, bound_by=tuple(bound_by),
                          element=tuple(element), category=tuple(category), name=tuple(name),
                          fleets=tuple(constraints))


def excluded_edges(corridor: Corridor, graph: CompiledGraph,
                   branches: tuple[str, ...] | list[str] = ()) -> npt.NDArray[np.bool_]:
    """Return a mask of the link edges whose link belongs only to excluded ``branches``.

    A link tagged with several branches stays usable if any of its branches
    is not excluded (a shared section).
    """
    drop = set(branches)
    if not drop:
        return np.zeros(graph.n_edges, dtype=bool)
    tags = dict(zip(corridor.links["id"], corridor.links["branch"], strict=True))
    return np.array([int(k) == EDGE_LINK and bool(tags.get(el)) and set(tags[el]) <= drop
                     for k, el in zip(graph.kind, graph.element, strict=True)], dtype=bool)
