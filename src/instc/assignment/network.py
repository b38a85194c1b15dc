"""The network an assignment runs on: CSR arrays, link costs, zones and demand.

Links are kept in the caller's order in :attr:`AssignmentNetwork.links`
and in tail order (compressed sparse row, as the routing kernels need)
inside; ``edge_link[e]`` maps CSR edge ``e`` back to its link.

A zone that trips may start and end at but not pass through (TNTP's zones
below ``<FIRST THRU NODE>``, or an origin/destination node of the corridor)
is split in two vertices: the node keeps the links that enter it, and a new
origin vertex takes the links that leave it, so no shortest path can
traverse the zone and any Dijkstra works unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from instc.assignment.link_costs import LinkCosts
from instc.assignment.tntp import TntpFormatError
from instc.assignment.tntp_folder import TntpNetwork

__all__ = ["AssignmentNetwork", "network_from_tntp"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _ro(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
    a = np.ascontiguousarray(a)
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class AssignmentNetwork:
    """An immutable network with demand, ready for assignment.

    Attributes
    ----------
    name : str
        Label used in results.
    links : pandas.DataFrame
        One row per link, in the caller's order; at least ``init_node`` and
        ``term_node`` (node labels).
    costs : LinkCosts
        Cost functions in CSR edge order.
    n_vertices : int
        Vertices of the CSR graph (nodes plus split zone origins).
    indptr, tail, head : numpy.ndarray of int64
        The CSR graph; ``edge_link[e]`` is the row of ``links`` of edge ``e``.
    origins : numpy.ndarray of int64
        Origin vertex of each origin with demand.
    od_indptr, od_dest, od_demand : numpy.ndarray
        Demand in CSR form: for origin ``k``, entries
        ``od_indptr[k]:od_indptr[k+1]`` give destination vertices and demand
        (flow units per period).
    origin_zone, od_dest_zone : numpy.ndarray of int64
        Zone labels of those origins and destinations.
    """

    name: str
    links: pd.DataFrame
    costs: LinkCosts
    n_vertices: int
    indptr: IntArray
    tail: IntArray
    head: IntArray
    edge_link: IntArray
    origins: IntArray
    od_indptr: IntArray
    od_dest: IntArray
    od_demand: FloatArray
    origin_zone: IntArray
    od_dest_zone: IntArray
    vertex_node: IntArray = field(repr=False)
    _rev: tuple[IntArray, IntArray] = field(repr=False, default=(np.zeros(1, np.int64),
                                                                  np.zeros(0, np.int64)))

    @property
    def n_edges(self) -> int:
        """Number of links (edges)."""
        return int(self.head.shape[0])

    @property
    def total_demand(self) -> float:
        """Sum of all demand (flow units per period)."""
        return float(self.od_demand.sum())

    @property
    def reverse(self) -> tuple[IntArray, IntArray]:
        """Return ``(rindptr, redge)``: the edges entering each vertex."""
        return self._rev

    def to_links(self, edge_values: FloatArray) -> FloatArray:
        """Return per-edge values (CSR order) in the order of :attr:`links`."""
        out = np.empty_like(edge_values)
        out[self.edge_link] = edge_values
        return out

    def demand_frame(self) -> pd.DataFrame:
        """Return the demand as a tidy table: origin, destination zone and demand."""
        counts = np.diff(self.od_indptr)
        return pd.DataFrame({"origin": np.repeat(self.origin_zone, counts),
                             "destination": self.od_dest_zone, "demand": self.od_demand})

    @classmethod
    def from_links(cls, init_node: npt.ArrayLike, term_node: npt.ArrayLike, costs: LinkCosts,
                   demand: pd.DataFrame, *, through: npt.ArrayLike | None = None,
                   links: pd.DataFrame | None = None, name: str = "network"
                   ) -> AssignmentNetwork:
        """Build a network from links (in any order), their costs and an OD table.

        Parameters
        ----------
        init_node, term_node : array_like of int
            Node label at each link's tail and head (non-negative integers).
        costs : LinkCosts
            One cost function per link, in the same order.
        demand : pandas.DataFrame
            Columns ``origin``, ``destination`` (node labels) and ``demand``
            (flow units per period); zero and intrazonal rows are ignored.
        through : array_like of int, optional
            Node labels of the origins/destinations that trips may pass
            through; by default every node. Other demand nodes are split
            (see the module docstring).
        links : pandas.DataFrame, optional
            Extra link columns to keep in results.
        name : str, optional
            Label for results.

        Raises
        ------
        ValueError
            If a demand row names a node no link touches, or the arrays differ in length.
        """
        a = np.asarray(init_node, dtype=np.int64)
        b = np.asarray(term_node, dtype=np.int64)
        if a.shape != b.shape or a.shape[0] != costs.n_links:
            raise ValueError(f"{a.shape[0]} tails, {b.shape[0]} heads and {costs.n_links} "
                             "cost functions; expected one of each per link")
        d = demand[(demand["demand"] > 0) & (demand["origin"] != demand["destination"])]
        o_lab = d["origin"].to_numpy(np.int64)
        d_lab = d["destination"].to_numpy(np.int64)
        labels = np.unique(np.concatenate([a, b, o_lab, d_lab]))
        index = {int(x): i for i, x in enumerate(labels)}
        known = set(np.concatenate([a, b]).tolist())
        missing = sorted(set(np.concatenate([o_lab, d_lab]).tolist()) - known)
        if missing:
            raise ValueError(f"demand names node(s) {missing[:5]!r} that no link touches")
        n = len(labels)
        ta = np.fromiter((index[int(x)] for x in a), np.int64, len(a))
        hb = np.fromiter((index[int(x)] for x in b), np.int64, len(b))
        vertex_node = labels.copy()
        origin_vertex = {int(z): index[int(z)] for z in np.unique(o_lab)}
        if through is not None:
            # Each node that may not be traversed gets an origin vertex that takes
            # its out-links; trips from it start there, trips to it end at the node.
            thru = set(np.asarray(through, dtype=np.int64).tolist())
            blocked = [int(x) for x in labels if int(x) not in thru]
            split = {index[z]: n + k for k, z in enumerate(blocked)}
            ta = np.fromiter((split.get(t, t) for t in ta.tolist()), np.int64, len(ta))
            for z in origin_vertex:
                origin_vertex[z] = split.get(index[z], index[z])
            vertex_node = np.concatenate([labels, np.asarray(blocked, dtype=np.int64)])
            n = len(vertex_node)
        order = np.argsort(ta, kind="stable")
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(ta, minlength=n), out=indptr[1:])
        tail, head = ta[order], hb[order]
        rorder = np.argsort(head, kind="stable")
        rindptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(head, minlength=n), out=rindptr[1:])

        od = pd.DataFrame({"o": o_lab, "d": d_lab, "q": d["demand"].to_numpy(np.float64)})
        od = od.groupby(["o", "d"], sort=True, as_index=False)["q"].sum()
        zones = od["o"].unique()
        counts = od.groupby("o", sort=True).size().to_numpy()
        od_indptr = np.zeros(len(zones) + 1, dtype=np.int64)
        np.cumsum(counts, out=od_indptr[1:])
        frame = links.reset_index(drop=True).copy() if links is not None else pd.DataFrame()
        frame["init_node"] = a
        frame["term_node"] = b
        return cls(
            name=name, links=frame, costs=costs.take(order), n_vertices=n,
            indptr=_ro(indptr), tail=_ro(tail), head=_ro(head), edge_link=_ro(order),
            origins=_ro(np.asarray([origin_vertex[int(z)] for z in zones], dtype=np.int64)),
            od_indptr=_ro(od_indptr),
            od_dest=_ro(np.asarray([index[int(z)] for z in od["d"]], dtype=np.int64)),
            od_demand=_ro(od["q"].to_numpy(np.float64)),
            origin_zone=_ro(zones.astype(np.int64)),
            od_dest_zone=_ro(od["d"].to_numpy(np.int64)),
            vertex_node=_ro(vertex_node),
            _rev=(_ro(rindptr), _ro(rorder.astype(np.int64))),
        )


def network_from_tntp(tntp: TntpNetwork, *, demand_factor: float = 1.0) -> AssignmentNetwork:
    """Return the assignment network of a TNTP benchmark, with BPR costs.

    Link cost: ``fft × (1 + b × (v/capacity)^power) + toll_factor × toll +
    distance_factor × length`` (the network's time unit). Zones below
    ``<FIRST THRU NODE>`` are not traversed.

    Parameters
    ----------
    tntp : TntpNetwork
        From :func:`~instc.assignment.tntp_folder.load_tntp`.
    demand_factor : float, optional
        Multiplies every trip (e.g. 2 for ChicagoSketch's recommended doubling).

    Raises
    ------
    TntpFormatError
        If a congestible link (``b > 0``) has no positive capacity.
    """
    links = tntp.links
    cap = links["capacity"].to_numpy(np.float64).copy()
    b = links["b"].to_numpy(np.float64)
    power = links["power"].to_numpy(np.float64)
    bad = (cap <= 0) & (b != 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise TntpFormatError(f"{tntp.files.get('net', tntp.name)}: link {i + 1} "
                              f"({links['init_node'].iat[i]}->{links['term_node'].iat[i]}) has "
                              f"capacity {cap[i]!r} and b {b[i]!r}; expected a positive "
                              "capacity on a congestible link")
    cap[cap <= 0] = 1.0  # b == 0 there: the capacity does not enter the cost
    costs = LinkCosts.bpr(links["free_flow_time"].to_numpy(np.float64), cap, alpha=b,
                          beta=power, fixed=tntp.fixed_cost())
    trips = tntp.trips.copy()
    trips["demand"] = trips["demand"] * demand_factor
    through = np.arange(tntp.first_thru_node, tntp.n_nodes + 1) \
        if tntp.first_thru_node > 1 else None
    return AssignmentNetwork.from_links(links["init_node"], links["term_node"], costs, trips,
                                        through=through, links=links, name=tntp.name)
