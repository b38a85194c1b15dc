r"""Route choice with dispersion: multinomial and path-size logit over alternative routes.

Freight models such as NODUS share an origin–destination flow over several
routes instead of loading it all on the cheapest: shippers differ in what
they weigh, and the model's costs are uncertain. For each origin,
destination and cargo class, up to ``k`` distinct routes are generated
(Yen's k shortest loopless paths on the class's generalized cost,
:func:`instc.routing.alternatives.k_shortest_paths`; routes differing by
fewer than ``min_distinct_km`` of links are merged), and the demand is
shared among them by

.. math::

    P_r = \frac{\exp(V_r)}{\sum_s \exp(V_s)}, \qquad
    V_r = -\theta\, C_r + \beta_{PS} \ln PS_r,

with ``C_r`` the route's generalized cost per tonne (USD/t; per TEU
classes converted with their tonnes per TEU) and ``θ`` the **scale
parameter, in 1/USD per tonne**: two routes whose costs differ by ``Δ``
USD/t share the flow in the ratio ``exp(θΔ)`` (``θ = 0.05``: a 20 USD/t
difference is a factor ``e``; ``θ → ∞`` is all-or-nothing, ``θ → 0`` an
equal split). The multinomial logit (MNL) has ``β_PS = 0``.

The **path size** (Ben-Akiva and Bierlaire, "Discrete choice methods and
their applications to short term travel decisions", 1999) corrects MNL's
over-counting of routes that share links:

.. math::

    PS_r = \sum_{a \in r} \frac{l_a}{L_r} \frac{1}{\sum_{s} \delta_{as}},

with ``l_a`` the km of link edge ``a``, ``L_r`` the route's km and
``δ_as = 1`` when route ``s`` uses ``a``. A route sharing nothing has
``PS = 1``; two identical routes would have ``PS = 1/2`` each and together
the share of one. ``β_PS = 1`` by default.

The loading is at free-flow costs (no congestion feedback): it spreads
flow, it does not equilibrate it (see :mod:`~instc.assignment.corridor`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from instc.assignment.capacities import excluded_edges
from instc.assignment.min_cost_flow import cargo_costs
from instc.errors import UnreachableError
from instc.network.corridor import Corridor
from instc.network.graph import EDGE_KINDS, EDGE_LINK, CompiledGraph
from instc.routing.alternatives import k_shortest_paths

__all__ = ["RouteChoice", "logit_shares", "path_size", "route_choice"]

FloatArray = npt.NDArray[np.float64]


def logit_shares(cost: npt.ArrayLike, theta: float, *, path_size: npt.ArrayLike | None = None,
                 beta: float = 1.0) -> FloatArray:
    """Return the logit shares of routes of generalized cost ``cost``.

    Parameters
    ----------
    cost : array_like
        Generalized cost of each route (USD/t).
    theta : float
        Scale parameter (1/USD per tonne), >= 0.
    path_size : array_like, optional
        Path size of each route (0 < PS <= 1); multinomial logit without it.
    beta : float, optional
        Weight of ``ln PS`` in the utility.

    Returns
    -------
    numpy.ndarray
        ``P_r = exp(V_r) / Σ exp(V_s)``, ``V = −θ C + β ln PS``; sums to 1.
    """
    if not theta >= 0:
        raise ValueError(f"theta {theta!r}; expected a scale parameter >= 0 (1/USD per tonne)")
    c = np.asarray(cost, dtype=np.float64)
    v = -theta * (c - c.min()) if len(c) else c
    if path_size is not None:
        v = v + beta * np.log(np.asarray(path_size, dtype=np.float64))
    e = np.exp(v - v.max()) if len(v) else v
    out: FloatArray = e / e.sum() if len(e) else e
    return out


def path_size(routes: Sequence[Sequence[int]], length: npt.ArrayLike) -> FloatArray:
    """Return the path size of each route (Ben-Akiva and Bierlaire, 1999).

    Parameters
    ----------
    routes : sequence of sequences of int
        The edges of each route.
    length : array_like
        Length of every edge (km); edges of zero length (transfers) do not count.

    Returns
    -------
    numpy.ndarray
        ``PS_r = Σ_{a∈r} (l_a / L_r) / (number of routes using a)``; 1 for a
        route of zero length.
    """
    km = np.asarray(length, dtype=np.float64)
    count: dict[int, int] = {}
    for r in routes:
        for a in set(r):
            count[a] = count.get(a, 0) + 1
    out = np.ones(len(routes))
    for i, r in enumerate(routes):
        edges = list(dict.fromkeys(r))
        total = float(km[edges].sum()) if edges else 0.0
        if total > 0:
            out[i] = sum(float(km[a]) / count[a] for a in edges) / total
    return out


@dataclass(frozen=True)
class RouteChoice:
    """Demand shared over alternative routes by a logit model.

    Attributes
    ----------
    year : int
    routes : pandas.DataFrame
        One row per origin, destination, cargo class and route: ``route``
        (rank by cost, 1 = cheapest), ``via`` (legs that set it apart from
        the cheapest, or from the second for the cheapest), ``km``,
        ``hours``, ``cost_usd_t`` (generalized cost, USD/t), ``path_size``,
        ``share`` (sums to 1 per pair and class), ``demand_t`` and
        ``flow_t`` (t/year).
    edges : pandas.DataFrame
        Edge flows by class: ``edge``, ``cargo``, ``kind``, ``element``,
        ``from_node``, ``from_mode``, ``to_node``, ``to_mode``, ``flow_t``.
    theta : float
        Scale parameter (1/USD per tonne).
    model : str
        ``"path-size logit"`` or ``"multinomial logit"``.
    settings : dict
    """

    year: int
    routes: pd.DataFrame
    edges: pd.DataFrame
    theta: float
    model: str
    settings: dict[str, Any] = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """Return the route table (a copy)."""
        return self.routes.copy()

    def summary(self) -> dict[str, Any]:
        """Return the settings and the route table as plain data (for JSON)."""
        return {"year": self.year, "model": self.model, "theta": self.theta,
                "settings": self.settings, "routes": self.routes.to_dict("records")}


def _names(corridor: Corridor) -> dict[str, str]:
    return {str(i): str(n).split(" (")[0] for i, n in
            zip(corridor.nodes["id"], corridor.nodes["name"], strict=True)}


def _legs(graph: CompiledGraph, edges: Sequence[int], names: dict[str, str]
          ) -> list[tuple[str, str]]:
    out = []
    for e in edges:
        if int(graph.kind[e]) == EDGE_LINK:
            a = graph.node_ids[int(graph.vertex_node[graph.tail[e]])]
            b = graph.node_ids[int(graph.vertex_node[graph.head[e]])]
            out.append((graph.element[e], f"{names.get(a, a)}–{names.get(b, b)} "
                        f"{graph.vertex_mode[int(graph.tail[e])]}"))
    return out


def _via(graph: CompiledGraph, routes: list[tuple[int, ...]], names: dict[str, str],
         most: int = 2) -> list[str]:
    out = []
    for i, r in enumerate(routes):
        other = routes[1] if i == 0 and len(routes) > 1 else routes[0]
        if other is r:
            out.append("")
            continue
        theirs = {el for el, _ in _legs(graph, other, names)}
        own = [label for el, label in _legs(graph, r, names) if el not in theirs]
        out.append("; ".join(own[:most]) + (" …" if len(own) > most else ""))
    return out


def route_choice(corridor: Corridor, year: int, demand: pd.DataFrame, *, theta: float,
                 k: int = 5, path_size_logit: bool = True, beta: float = 1.0,
                 min_distinct_km: float = 25.0, exclude_branches: Sequence[str] = (),
                 projects: Mapping[str, float | None] | None = None) -> RouteChoice:
    """Share each pair's demand over its ``k`` best routes by (path-size) logit.

    Parameters
    ----------
    corridor : Corridor
    year : int
        Year of the network.
    demand : pandas.DataFrame
        ``origin``, ``destination``, ``tonnes`` (t/year) and ``cargo``.
    theta : float
        Scale parameter (1/USD per tonne; see the module docstring).
    k : int, optional
        Routes generated per pair and class.
    path_size_logit : bool, optional
        Use the path-size logit (else the multinomial logit).
    beta : float, optional
        Weight of the path-size term.
    min_distinct_km : float, optional
        Routes differing by fewer link km are merged (km).
    exclude_branches : sequence of str, optional
        Leave out links tagged only with these branches.
    projects : mapping, optional
        Project years to use instead of the corridor's.

    Returns
    -------
    RouteChoice

    Raises
    ------
    UnreachableError
        When a pair with demand has no open route.
    """
    if k < 1:
        raise ValueError(f"k {k!r}; expected at least one route per pair")
    graph = corridor.graph(year, projects=projects)
    d = demand.copy()
    if "cargo" not in d:
        classes = list(corridor.cargo["id"]) if len(corridor.cargo) else ["t"]
        d["cargo"] = "mixed" if "mixed" in classes else classes[0]
    d = d[(d["tonnes"] > 0) & (d["origin"] != d["destination"])]
    d = d.groupby(["origin", "destination", "cargo"], sort=True, as_index=False)["tonnes"].sum()
    costs = cargo_costs(corridor, graph, list(d["cargo"].unique()))
    closed = excluded_edges(corridor, graph, tuple(exclude_branches))
    km = np.asarray(graph.km, dtype=np.float64)
    link_km = np.where(np.asarray(graph.kind) == EDGE_LINK, km, 0.0)
    names = _names(corridor)
    rows: list[dict[str, Any]] = []
    flow: dict[str, FloatArray] = {}
    for o, t, c, q in d.itertuples(index=False):
        w = np.where(closed, np.inf, costs[c])
        try:
            paths = k_shortest_paths(graph, w, graph.origin(str(o)), graph.destination(str(t)),
                                     k, km=km, min_distinct_km=min_distinct_km)
        except UnreachableError:
            raise UnreachableError(f"no open route from {o!r} to {t!r} for {c!r} in "
                                   f"{graph.year}") from None
        edges = [p.edges for p in paths]
        cost = np.array([float(w[list(e)].sum()) for e in edges])
        ps = path_size(edges, link_km)
        share = logit_shares(cost, theta, path_size=ps if path_size_logit else None,
                             beta=beta)
        acc = flow.setdefault(str(c), np.zeros(graph.n_edges))
        for e, s in zip(edges, share, strict=True):
            np.add.at(acc, list(e), s * q)
        for rank, (e, via, cr, p, s) in enumerate(zip(edges, _via(graph, edges, names), cost,
                                                      ps, share, strict=True), 1):
            ix = list(e)
            rows.append({"origin": o, "destination": t, "cargo": c, "route": rank, "via": via,
                         "km": float(km[ix].sum()), "hours": float(graph.hours[ix].sum()),
                         "cost_usd_t": float(cr), "path_size": float(p), "share": float(s),
                         "demand_t": float(q), "flow_t": float(s * q)})
    edge_rows = []
    for c, f in flow.items():
        for ei in np.flatnonzero(f > 1e-9):
            x = int(ei)
            edge_rows.append({
                "edge": x, "cargo": c, "kind": EDGE_KINDS[int(graph.kind[x])],
                "element": graph.element[x],
                "from_node": graph.node_ids[int(graph.vertex_node[graph.tail[x]])],
                "from_mode": graph.vertex_mode[int(graph.tail[x])],
                "to_node": graph.node_ids[int(graph.vertex_node[graph.head[x]])],
                "to_mode": graph.vertex_mode[int(graph.head[x])], "flow_t": float(f[x])})
    model = "path-size logit" if path_size_logit else "multinomial logit"
    return RouteChoice(year=graph.year, routes=pd.DataFrame(rows), edges=pd.DataFrame(edge_rows),
                       theta=float(theta), model=model,
                       settings={"k": k, "beta": beta if path_size_logit else 0.0,
                                 "min_distinct_km": min_distinct_km,
                                 "exclude_branches": list(exclude_branches)})
