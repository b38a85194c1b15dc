r"""The relative gap, computed from link flows alone.

With link flows ``v``, costs ``c(v)`` (marginal costs for the system
optimum), demand ``q_od`` and shortest-path costs ``κ_od`` at ``c(v)``:

.. math::

    \text{relative gap} = \frac{\sum_a v_a c_a(v_a) - \sum_{od} q_{od} \kappa_{od}}
                                 {\sum_a v_a c_a(v_a)}

(total cost minus shortest-path total cost, over total cost; Boyce,
Ralevic-Dekic and Bar-Gera, "Convergence of traffic assignment: how much
is enough?", *J. Transp. Eng.* 130(1), 2004). It is non-negative for any
feasible flow and zero exactly at equilibrium. The average excess cost is
the same numerator divided by total demand.

This module recomputes costs and shortest paths from the flows it is given,
sharing nothing with the algorithms' own bookkeeping, so it can judge any
solution (including a TNTP best-known flow file).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from instc.assignment.all_or_nothing import shortest_costs
from instc.assignment.network import AssignmentNetwork

__all__ = ["Gap", "relative_gap"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Gap:
    """Convergence measures of one flow vector.

    Attributes
    ----------
    relative_gap : float
        ``(TSTT - SPTT) / TSTT`` (dimensionless).
    tstt : float
        Total cost ``Σ v c(v)`` (time × flow per period).
    sptt : float
        Shortest-path total cost ``Σ q κ``.
    average_excess_cost : float
        ``(TSTT - SPTT) / Σ q`` (time units per trip).
    objective : float
        Beckmann's objective (UE) or total cost (SO) at these flows.
    """

    relative_gap: float
    tstt: float
    sptt: float
    average_excess_cost: float
    objective: float


def gap_of_edge_flows(net: AssignmentNetwork, flow: FloatArray, *,
                      system_optimum: bool = False) -> Gap:
    """Return the :class:`Gap` of edge flows given in CSR order."""
    cost = net.costs.cost(flow, system_optimum=system_optimum)
    sp = shortest_costs(net, cost)
    tstt = float(np.dot(flow, cost))
    sptt = float(np.dot(sp, net.od_demand))
    return Gap(relative_gap=(tstt - sptt) / tstt if tstt > 0 else 0.0, tstt=tstt, sptt=sptt,
               average_excess_cost=(tstt - sptt) / net.total_demand if net.total_demand
               else 0.0,
               objective=net.costs.objective(flow, system_optimum=system_optimum))


def relative_gap(net: AssignmentNetwork, link_flow: npt.ArrayLike, *,
                 system_optimum: bool = False) -> Gap:
    """Return the relative gap and related measures of link flows.

    Parameters
    ----------
    net : AssignmentNetwork
        Network, costs and demand.
    link_flow : array_like
        Flow on each link, in the order of ``net.links`` (flow units per period).
    system_optimum : bool, optional
        Measure against the system optimum (marginal costs) instead of the
        user equilibrium.

    Returns
    -------
    Gap
    """
    v = np.asarray(link_flow, dtype=np.float64)
    if v.shape != (net.n_edges,):
        raise ValueError(f"link_flow has shape {v.shape}; expected ({net.n_edges},)")
    return gap_of_edge_flows(net, np.ascontiguousarray(v[net.edge_link]),
                             system_optimum=system_optimum)
