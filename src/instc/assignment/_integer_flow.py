"""A one-commodity min-cost flow in integer units, as the integer solvers take it.

Our network simplex (:mod:`~instc.assignment._network_simplex`) and OR-Tools
(:mod:`~instc.assignment._ortools_flow`) both work on integers.
:func:`integer_flow` writes a commodity in that form: one arc per edge open
to it, then one arc from the source to each sink for its unserved demand
(capacity ``D_j``, cost ``P``), with supplies at the vertices. Quantities
are counted in units of ``10^a`` t/year, ``a`` the smallest power that keeps
the total demand within 10¹² units; each solver picks its own cost unit
``10^b`` USD/t (:meth:`IntegerFlow.cost_exponent`) from the range its
arithmetic allows. :func:`flow_solution` turns an optimal integer flow and
node potentials back into a :class:`~instc.assignment.min_cost_flow.FlowSolution`
in t/year and USD/t; the choice of units and the dual are described in
:mod:`instc.assignment.min_cost_flow`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from instc.assignment._flow_problem import Commodity, FlowSolution

__all__ = ["IntegerFlow", "flow_solution", "integer_flow", "to_units"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_FLOW_UNITS = 1e12
"""Largest total demand, in flow units."""


def _power_of_ten(value: float, limit: float) -> int:
    """Return the smallest ``a`` with ``value / 10**a <= limit`` (0 for ``value <= 0``)."""
    return math.ceil(math.log10(value / limit)) if value > 0 else 0


def to_units(x: FloatArray, a: int) -> IntArray:
    """Return ``x`` rounded to the nearest multiple of ``10**a``, in those units."""
    return np.rint(x / 10.0**a if a >= 0 else x * 10.0**-a).astype(np.int64)


def _from_units(x: IntArray, a: int) -> FloatArray:
    """Return ``x`` units of ``10**a`` as floats."""
    return np.asarray(x * 10.0**a if a >= 0 else x / 10.0**-a, dtype=np.float64)


@dataclass(frozen=True)
class IntegerFlow:
    """One commodity as an integer min-cost flow: open edges, then unserved-demand arcs.

    Attributes
    ----------
    n_edges : int
        Edges of the graph, open or not.
    edges : numpy.ndarray of int64
        The open edges (finite cost); arc ``i < len(edges)`` is edge ``edges[i]``.
    clipped : numpy.ndarray of bool
        Per open edge: its capacity was unlimited or above the total demand
        and is the total demand instead.
    served : numpy.ndarray of bool
        Per sink: not at the source, so it has an unserved-demand arc (a
        sink at the source is always served).
    flow_exponent : int
        ``a``: flows, capacities and supplies count units of ``10^a`` t/year.
    tail, head, capacity : numpy.ndarray of int64
        The arcs: ends and capacities (flow units).
    cost_usd_t : numpy.ndarray
        Cost of each arc (USD/t), the penalty on the unserved-demand arcs.
    supply : numpy.ndarray of int64
        Per vertex, flow units it sends out (negative: receives).
    """

    n_edges: int
    edges: IntArray
    clipped: BoolArray
    served: BoolArray
    flow_exponent: int
    tail: IntArray
    head: IntArray
    capacity: IntArray
    cost_usd_t: FloatArray
    supply: IntArray

    def cost_exponent(self, limit: float) -> int:
        """Return the smallest ``b`` keeping every arc cost within ``limit`` units of ``10^b``."""
        return _power_of_ten(float(np.abs(self.cost_usd_t).max(initial=0.0)), limit)


def integer_flow(n_vertices: int, tail: IntArray, head: IntArray, capacity_t: FloatArray,
                 k: Commodity, penalty: float) -> IntegerFlow:
    """Write commodity ``k`` as an :class:`IntegerFlow` (module docstring).

    Parameters
    ----------
    n_vertices : int
    tail, head : numpy.ndarray of int64
        Edge ends.
    capacity_t : numpy.ndarray
        Edge capacities (t/year; ``inf`` when unlimited).
    k : Commodity
    penalty : float
        Cost of unserved demand (USD/t).

    Returns
    -------
    IntegerFlow
    """
    op = np.flatnonzero(np.isfinite(k.cost))
    total = float(k.demand_t.sum())
    a = _power_of_ten(total, _FLOW_UNITS)
    demand = to_units(k.demand_t, a)
    total_u = int(demand.sum())
    cap = capacity_t[op]
    clipped = ~np.isfinite(cap) | (cap > total)
    cap_u = np.where(clipped, total_u, to_units(np.where(clipped, 0.0, cap), a))
    served = k.sinks != k.source
    supply = np.zeros(n_vertices, dtype=np.int64)
    supply[k.source] += demand[served].sum()
    np.add.at(supply, k.sinks[served], -demand[served])
    n_u = int(served.sum())
    return IntegerFlow(
        n_edges=tail.shape[0], edges=op, clipped=clipped, served=served, flow_exponent=a,
        tail=np.concatenate([tail[op], np.full(n_u, k.source)]).astype(np.int64),
        head=np.concatenate([head[op], k.sinks[served]]).astype(np.int64),
        capacity=np.concatenate([cap_u, demand[served]]).astype(np.int64),
        cost_usd_t=np.concatenate([k.cost[op], np.full(n_u, penalty)]), supply=supply)


def flow_solution(p: IntegerFlow, k: Commodity, flow: IntArray, potential: IntArray | None,
                  cost_exponent: int, *, status: str, seconds: float,
                  solver: str) -> FlowSolution:
    """Return the :class:`FlowSolution` of an optimal integer flow.

    Parameters
    ----------
    p : IntegerFlow
    k : Commodity
        The commodity ``p`` was written from.
    flow : numpy.ndarray of int64
        Flow on each arc of ``p`` (flow units).
    potential : numpy.ndarray of int64 or None
        Node potentials ``π`` (cost units ``10^b`` USD/t) with a reduced cost
        ``c + π_tail − π_head`` of zero on arcs strictly between their bounds,
        ≥ 0 on empty arcs and ≤ 0 on saturated ones; ``None`` when there are
        none, and then the shadow prices are NaN.
    cost_exponent : int
        ``b``, the cost unit of ``potential``.
    status : str
    seconds : float
        The solver's own time (s).
    solver : str

    Returns
    -------
    FlowSolution
        Shadow prices ``max(0, −(c + π_tail − π_head))`` (USD/t) on the
        saturated edges whose capacity was not clipped, 0 elsewhere.
    """
    n_op = p.edges.shape[0]
    a = p.flow_exponent
    flow_t = np.zeros((1, p.n_edges))
    flow_t[0, p.edges] = _from_units(flow[:n_op], a)
    unserved = np.zeros(len(k.sinks))
    unserved[p.served] = _from_units(flow[n_op:], a)
    price = np.zeros(p.n_edges)
    if potential is None:
        price[p.edges[~p.clipped]] = np.nan
    else:
        cost_u = to_units(p.cost_usd_t[:n_op], cost_exponent)
        t, h = p.tail[:n_op], p.head[:n_op]
        sat = ~p.clipped & (flow[:n_op] >= p.capacity[:n_op])
        reduced = cost_u + potential[t] - potential[h]
        price[p.edges[sat]] = _from_units(np.maximum(-reduced[sat], 0), cost_exponent)
    return FlowSolution(flow_t=flow_t, unserved_t=[unserved], shadow_price=price,
                        shared_shadow_price=np.zeros(0), shared_flow_t=np.zeros(0),
                        cost_usd=float(np.dot(p.cost_usd_t[:n_op], flow_t[0, p.edges])),
                        status=status, seconds=seconds, solver=solver)
