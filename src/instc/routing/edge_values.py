"""Time, money and emissions of every edge of a compiled graph, with ranges.

The compiled graph holds one central number per edge. Routing needs more:
the parts of each number (line haul, border, transfer, node handling), their
low and high values where the corridor gives a range, the cost per TEU, and
the emissions. :func:`edge_factors` reads them from the corridor tables
behind each edge; :meth:`EdgeFactors.quantities` turns them into per-edge
quantities for one choice of low, central or high inputs.

The inputs are the compiled graph's (:attr:`CompiledGraph.inputs
<instc.network.graph.CompiledGraph>`, read from the tables once, when the
graph is compiled); time and money per tonne follow
:func:`instc.network.edge_inputs.money_and_time`. Here, with ``tpt`` the
tonnes per TEU of the cargo:

- line haul per TEU: ``usd_per_teu + km × usd_per_teu_km`` where a per-TEU
  rate exists (a missing fixed ``usd_per_teu`` is ``usd_per_t × tpt``), else
  the per-tonne cost × ``tpt``;
- border and transfer per TEU: the per-TEU figure where given, else the
  per-tonne one × ``tpt``; node handling × ``tpt`` is added to transfers;
- emissions (kg CO2e/t) = ``km × co2e_g_per_tkm / 1000``, the mode's
  well-to-wheel factor per tonne-km (GLEC Framework v3 / ISO 14083:2023:
  activity in tonne-km times an emission intensity). Transfers and hubs
  carry no emissions: the corridor format has no hub factors.

Low and high inputs: every number's ``_low``/``_high`` companion where the
corridor gives one, the central value otherwise. The *favourable* end of a
speed is its high value; of every other input, its low value.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from instc.network.edge_inputs import FACTORS, FAVOURABLE_HIGH, LEVELS, money_and_time
from instc.network.graph import EDGE_LINK, EDGE_TRANSFER, CompiledGraph

if TYPE_CHECKING:
    from instc.network.corridor import Corridor
    from instc.routing.cargo import CargoClass

__all__ = ["FACTORS", "LEVELS", "EdgeFactors", "EdgeQuantities", "edge_factors"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

@dataclass(frozen=True)
class EdgeQuantities:
    """Per-edge quantities for one choice of inputs (arrays of length ``n_edges``).

    Attributes
    ----------
    km : distance (km).
    run_h, wait_h, border_h, transfer_h : running time, waiting for a departure,
        border dwell and transfer-plus-node time (h).
    hours : total time (h).
    linehaul_usd_t, border_usd_t, transfer_usd_t : money (USD/t) by part.
    usd_t : total money (USD/t).
    linehaul_usd_teu, border_usd_teu, transfer_usd_teu, usd_teu : the same per TEU.
    co2e_kg_t : emissions (kg CO2e/t; NaN where the mode has no factor).
    """

    km: FloatArray
    run_h: FloatArray
    wait_h: FloatArray
    border_h: FloatArray
    transfer_h: FloatArray
    hours: FloatArray
    linehaul_usd_t: FloatArray
    border_usd_t: FloatArray
    transfer_usd_t: FloatArray
    usd_t: FloatArray
    linehaul_usd_teu: FloatArray
    border_usd_teu: FloatArray
    transfer_usd_teu: FloatArray
    usd_teu: FloatArray
    co2e_kg_t: FloatArray


@dataclass(frozen=True, eq=False)
class EdgeFactors:
    """The inputs behind every edge of one compiled graph.

    Build it with :func:`edge_factors` (cached per graph).

    Attributes
    ----------
    graph : CompiledGraph
    values : dict of str to numpy.ndarray
        For each name of :data:`FACTORS`, an array of shape ``(3, n_edges)``:
        low, central and high.
    mode : tuple of str
        Mode of each edge: the link's mode; for a transfer, the mode it
        leads to; for an origin or destination edge, the mode it joins.
    from_node, to_node, from_country, to_country : tuple of str
    branches : tuple of tuple of str
        Branch tags of each link edge (empty for other edges).
    transfer_kind : tuple of str
        Kind of each transfer edge (``gauge_change_reload``, ...), "" elsewhere.
    border_name, border_countries : tuple of str
        Name and ``"RU-AZ"`` of the border each edge crosses, "" elsewhere.
    missing_co2e : tuple of str
        Modes used by links that have no emission factor.
    straits : tuple of tuple of str, or None
        Straits each link edge passes, from a ``straits`` (or ``x_straits``)
        column of ``links.csv``; ``None`` when the corridor has no such column.
    """

    graph: CompiledGraph
    values: dict[str, FloatArray]
    mode: tuple[str, ...]
    from_node: tuple[str, ...]
    to_node: tuple[str, ...]
    from_country: tuple[str, ...]
    to_country: tuple[str, ...]
    branches: tuple[tuple[str, ...], ...]
    transfer_kind: tuple[str, ...]
    border_name: tuple[str, ...]
    border_countries: tuple[str, ...]
    missing_co2e: tuple[str, ...]
    straits: tuple[tuple[str, ...], ...] | None = None
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    def inputs(self, level: str = "central", *,
               overrides: Mapping[str, tuple[BoolArray | None, str]] | None = None
               ) -> dict[str, FloatArray]:
        """Return one value per edge of every input.

        Parameters
        ----------
        level : {"low", "central", "high"}
            ``"low"`` takes every input at its favourable end (low values,
            high speeds), ``"high"`` at its unfavourable end.
        overrides : mapping, optional
            ``{factor: (mask, level)}``: take ``factor`` at ``level`` on the
            edges of ``mask`` (all edges when ``None``), for one-at-a-time
            sensitivity.
        """
        out = {name: self.values[name][_row(name, level)] for name in FACTORS}
        for name, (mask, lvl) in (overrides or {}).items():
            alt = self.values[name][_row(name, lvl)]
            out[name] = alt if mask is None else np.where(mask, alt, out[name])
        return out

    def quantities(self, tonnes_per_teu: float, level: str = "central", *,
                   overrides: Mapping[str, tuple[BoolArray | None, str]] | None = None,
                   per_teu: bool = False) -> EdgeQuantities:
        """Return per-edge km, hours, money and emissions (see the module's formulas).

        Parameters
        ----------
        tonnes_per_teu : float
            Payload of a loaded TEU (t/TEU), to turn per-tonne money into
            per-TEU money where no per-TEU figure is given.
        level, overrides
            As in :meth:`inputs`.
        per_teu : bool
            The cargo is carried in TEU (a container class): it also waits
            for the container services that board on a link (``wait_teu_h``).
        """
        key = (tonnes_per_teu, level, None if overrides is None else id(overrides), per_teu)
        if overrides is None and key in self._cache:
            cached: EdgeQuantities = self._cache[key]
            return cached
        f = self.inputs(level, overrides=overrides)
        if per_teu:
            f = {**f, "wait_h": np.where(np.isnan(f["wait_teu_h"]), f["wait_h"], f["wait_teu_h"])}
        km = f["km"]
        p = money_and_time(f)
        lh_t = p["linehaul_usd_t"]
        fixed_teu = np.where(np.isnan(f["link_usd_teu"]), f["link_usd_t"] * tonnes_per_teu,
                             f["link_usd_teu"])
        lh_teu = np.where(np.isnan(f["rate_teu"]), lh_t * tonnes_per_teu,
                          km * f["rate_teu"] + fixed_teu)
        b_teu = np.where(np.isnan(f["border_usd_teu"]), f["border_usd_t"] * tonnes_per_teu,
                         f["border_usd_teu"])
        x_teu = np.where(np.isnan(f["transfer_usd_teu"]), f["transfer_usd_t"] * tonnes_per_teu,
                         f["transfer_usd_teu"]) + f["node_usd_t"] * tonnes_per_teu
        q = EdgeQuantities(
            km=km, run_h=p["run_h"], wait_h=p["wait_h"], border_h=f["border_h"],
            transfer_h=p["transfer_h"],
            hours=p["hours"], linehaul_usd_t=lh_t, border_usd_t=f["border_usd_t"],
            transfer_usd_t=p["transfer_usd_t"], usd_t=p["usd_t"],
            linehaul_usd_teu=lh_teu, border_usd_teu=b_teu, transfer_usd_teu=x_teu,
            usd_teu=lh_teu + b_teu + x_teu,
            co2e_kg_t=km * f["co2e"] / 1000.0,
        )
        if overrides is None:
            self._cache[key] = q
        return q

    def for_cargo(self, cargo: CargoClass, level: str = "central", *,
                  overrides: Mapping[str, tuple[BoolArray | None, str]] | None = None
                  ) -> EdgeQuantities:
        """Return :meth:`quantities` for a cargo class: its tonnes per TEU and unit at ``level``."""
        return self.quantities(cargo.tonnes_per_teu.pick(level), level, overrides=overrides,
                               per_teu=cargo.per_teu)

    def mask(self, *, kind: str | None = None, mode: str | None = None) -> BoolArray:
        """Return the edges of one kind (``link``, ``transfer``, ``border``) and/or mode."""
        g = self.graph
        m = np.ones(g.n_edges, dtype=bool)
        if kind == "link":
            m &= g.kind == EDGE_LINK
        elif kind == "transfer":
            m &= g.kind == EDGE_TRANSFER
        elif kind == "border":
            m &= np.array([b != "" for b in g.border], dtype=bool)
        if mode is not None:
            m &= np.array([md == mode for md in self.mode], dtype=bool)
        return m


def _row(name: str, level: str) -> int:
    if level == "central":
        return 1
    if level not in ("low", "high"):
        raise ValueError(f"level {level!r}; expected 'low', 'central' or 'high'")
    favourable = level == "low"
    if name in FAVOURABLE_HIGH:
        favourable = not favourable
    return 0 if favourable else 2


_CACHE: weakref.WeakKeyDictionary[CompiledGraph, EdgeFactors] = weakref.WeakKeyDictionary()


def edge_factors(corridor: Corridor, graph: CompiledGraph) -> EdgeFactors:
    """Return the inputs behind every edge of ``graph`` (cached per graph).

    Parameters
    ----------
    corridor : Corridor
        The corridor ``graph`` was compiled from.
    graph : CompiledGraph
        A graph from :meth:`Corridor.graph` or :func:`compile_graph`.
    """
    cached = _CACHE.get(graph)
    if cached is None:
        cached = _build(corridor, graph)
        _CACHE[graph] = cached
    return cached


def _build(corridor: Corridor, graph: CompiledGraph) -> EdgeFactors:
    """Return the graph's inputs with the labels routing shows beside them."""
    links = {r["id"]: r for r in corridor.links.to_dict("records")}
    transfers = {r["id"]: r for r in corridor.transfers.to_dict("records")}
    nodes = {r["id"]: r for r in corridor.nodes.to_dict("records")}
    borders = {r["id"]: r for r in corridor.borders.to_dict("records")}
    mode: list[str] = []
    from_node: list[str] = []
    to_node: list[str] = []
    branches: list[tuple[str, ...]] = []
    tkind: list[str] = []
    bname: list[str] = []
    bcountries: list[str] = []
    for e in range(graph.n_edges):
        u, v = int(graph.tail[e]), int(graph.head[e])
        a, b = graph.node_ids[graph.vertex_node[u]], graph.node_ids[graph.vertex_node[v]]
        kind = int(graph.kind[e])
        tk, tags = "", ()
        if kind == EDGE_LINK:
            link = links[graph.element[e]]
            m = str(link["mode"])
            tags = tuple(link["branch"]) if isinstance(link["branch"], tuple) else ()
        elif kind == EDGE_TRANSFER:
            m = graph.vertex_mode[v]
            tk = str(transfers[graph.element[e]]["kind"])
        else:
            m = graph.vertex_mode[v] if graph.vertex_mode[u] == "origin" else graph.vertex_mode[u]
        bid = graph.border[e]
        bname.append(str(borders[bid].get("name") or bid) if bid else "")
        bcountries.append(f"{nodes[a]['country']}-{nodes[b]['country']}" if bid else "")
        from_node.append(a)
        to_node.append(b)
        mode.append(m)
        branches.append(tags)
        tkind.append(tk)
    co2e = graph.inputs["co2e"][1]
    missing = {m for m, k, c in zip(mode, graph.kind, co2e, strict=True)
               if k == EDGE_LINK and math.isnan(c)}
    straits = None
    column = next((c for c in ("straits", "x_straits") if c in corridor.links.columns), None)
    if column is not None:
        tagged = {lid: _tags(links[lid][column]) for lid in links}
        straits = tuple(tagged[el] if int(k) == EDGE_LINK else ()
                        for el, k in zip(graph.element, graph.kind, strict=True))
    return EdgeFactors(
        graph=graph, values=dict(graph.inputs), mode=tuple(mode), from_node=tuple(from_node),
        to_node=tuple(to_node),
        from_country=tuple(str(nodes[x]["country"]) for x in from_node),
        to_country=tuple(str(nodes[x]["country"]) for x in to_node),
        branches=tuple(branches), transfer_kind=tuple(tkind), border_name=tuple(bname),
        border_countries=tuple(bcountries), missing_co2e=tuple(sorted(missing)),
        straits=straits,
    )


def _tags(value: Any) -> tuple[str, ...]:
    if isinstance(value, (tuple, list)):
        return tuple(str(v) for v in value)
    if isinstance(value, str):
        return tuple(t.strip() for t in value.split(";") if t.strip())
    return ()
