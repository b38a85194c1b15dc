"""The min-cost flow problem's commodities and shared capacities, and its solution.

Kept apart from :mod:`~instc.assignment.min_cost_flow`, which states the
formulation and chooses a solver, so that the solvers
(:mod:`~instc.assignment._network_simplex`,
:mod:`~instc.assignment._ortools_flow`, the HiGHS LP) share these types
without importing the module that calls them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Commodity", "FlowSolution", "SharedCapacity"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Commodity:
    """One commodity: a source vertex, sink vertices with demand, and edge costs.

    Attributes
    ----------
    source : int
    sinks : numpy.ndarray of int64
    demand_t : numpy.ndarray
        Demand to each sink (t/year).
    cost : numpy.ndarray
        Cost of each edge (USD/t); ``inf`` closes the edge to the commodity.
    """

    source: int
    sinks: IntArray
    demand_t: FloatArray
    cost: FloatArray


@dataclass(frozen=True)
class SharedCapacity:
    """A capacity shared by several edges: their total flow is at most ``capacity_t``."""

    edges: IntArray
    capacity_t: float


@dataclass(frozen=True)
class FlowSolution:
    """The solution of :func:`solve_min_cost_flow`, on arrays.

    Attributes
    ----------
    flow_t : numpy.ndarray, shape (n_commodities, n_edges)
        Flow of each commodity on each edge (t/year).
    unserved_t : list of numpy.ndarray
        Per commodity, demand left unserved to each sink (t/year).
    shadow_price : numpy.ndarray
        Per edge, the shadow price of its capacity (USD/t per t/year; 0 where
        it has none or does not bind).
    shared_shadow_price : numpy.ndarray
        Per shared constraint, its shadow price (USD/t).
    shared_flow_t : numpy.ndarray
        Per shared constraint, the flow it carries (t/year).
    cost_usd : float
        Cost of the carried flow, ``Σ c x`` (USD/year), penalty excluded.
    status : str
        The solver's status: HiGHS's model status, or ``"Optimal"`` when the
        network simplex or OR-Tools solved it.
    seconds : float
        The solver's own time (s): HiGHS's run, the network simplex's pivots
        (with arc and tree setup; its first call in a process also loads the
        compiled code, about 0.2 s), or OR-Tools' ``solve()``.
    solver : str
        ``"simplex"``, ``"highs"`` or ``"ortools"``.
    """

    flow_t: FloatArray
    unserved_t: list[FloatArray]
    shadow_price: FloatArray
    shared_shadow_price: FloatArray
    shared_flow_t: FloatArray
    cost_usd: float
    status: str
    seconds: float
    solver: str = "highs"
