r"""Multi-class user equilibrium: classes with their own fixed costs sharing congestion.

Class ``k`` (a cargo class) pays on link ``a`` the generalized cost
``g_ka(v) = m_ka + w_k t_a(v)``: a fixed part ``m_ka`` (money, and the
value of the free-flow time) and its value of time ``w_k`` times a time
``t_a(v)`` that depends on the total flow ``v_a = Σ_k x_ka`` of all
classes (they share capacity). Route choice of class ``k`` does not change
when all its costs are divided by ``w_k > 0``, so each class routes on

.. math::

    \hat c_{ka}(v) = F_{ka} + t_a(v), \qquad F_{ka} = m_{ka} / w_k

(hours-equivalent). The Jacobian of ``ĉ`` with respect to the class flows
is then symmetric (``∂ĉ_ka/∂x_la = t_a'`` for every ``k, l``), so the
multi-class equilibrium is the minimum of the convex program

.. math::

    Z(x) = \sum_a \int_0^{v_a} t_a(s)\,ds + \sum_k \sum_a F_{ka} x_{ka}

over the class flows of each class's demand (Dafermos, "The traffic
assignment problem for multiclass-user transportation networks",
*Transp. Sci.* 6(1), 1972, in its symmetric case). The Frank–Wolfe family
of :mod:`~instc.assignment.frank_wolfe` solves it unchanged in the stacked
space of class flows: each class does its own all-or-nothing at its own
costs, the line search runs on ``Z`` along the stacked direction, and the
conjugate directions use the Hessian ``H`` of ``Z``, for which
``⟨d, d'⟩_H = Σ_a t_a'(v) D_a D'_a`` depends on the total flows ``D`` of
the directions only.

The relative gap is that of :mod:`~instc.assignment.gap` in the classes'
own money units: with ``g_k = w_k ĉ_k``,
``(Σ_k x_k·g_k − Σ_k Σ_od q_kod κ_kod) / Σ_k x_k·g_k``, ``κ`` the class's
shortest-path cost at the current flows; it is recomputed from the class
flows alone by :func:`multiclass_gap`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from instc.assignment.all_or_nothing import all_or_nothing, shortest_costs
from instc.assignment.frank_wolfe import METHODS, newton_line_search, next_direction
from instc.assignment.gap import Gap
from instc.assignment.link_costs import FIXED, LinkCosts
from instc.assignment.network import AssignmentNetwork
from instc.assignment.result import ConvergenceLog

__all__ = ["MulticlassSolution", "multiclass_equilibrium", "multiclass_gap"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class MulticlassSolution:
    """Class flows at a multi-class equilibrium, and how the solver got there.

    Attributes
    ----------
    flows : numpy.ndarray, shape (n_classes, n_edges)
        Flow of each class on each edge, CSR order (flow units per period).
    convergence : pandas.DataFrame
        ``iteration``, ``relative_gap``, ``objective`` (``Z``, hours-equivalent
        × flow), ``step``, ``seconds``.
    gap : Gap
        Final measures from :func:`multiclass_gap` (money units).
    method : str
    seconds : float
    """

    flows: FloatArray
    convergence: pd.DataFrame
    gap: Gap
    method: str
    seconds: float


class _Classes:
    """The shared time functions and each class's fixed costs and demand."""

    def __init__(self, nets: list[AssignmentNetwork], scale: npt.ArrayLike) -> None:
        if not nets:
            raise ValueError("no class networks; expected at least one")
        w = np.asarray(scale, dtype=np.float64)
        if w.shape != (len(nets),) or not (w > 0).all():
            raise ValueError(f"scale {w!r}; expected one positive value of time per class")
        base = nets[0]
        for net in nets[1:]:
            if not (np.array_equal(net.indptr, base.indptr)
                    and np.array_equal(net.head, base.head)
                    and np.array_equal(net.costs.function, base.costs.function)
                    and np.array_equal(net.costs.params[:FIXED], base.costs.params[:FIXED])):
                raise ValueError("the class networks differ in links or time functions; "
                                 "expected the same network with other fixed costs and demand")
        params = np.array(base.costs.params)
        params[FIXED] = 0.0
        self.time = LinkCosts(np.array(base.costs.function), params)
        self.nets = nets
        self.scale = w
        fixed = [np.asarray(n.costs.params[FIXED]) for n in nets]
        # Closed edges (infinite fixed cost) never carry the class's flow:
        # their fixed cost counts as 0 in the objective's sums, avoiding inf × 0.
        self.fixed = [np.where(np.isfinite(f), f, 0.0) for f in fixed]
        self.cost_fixed = fixed

    def costs(self, v: FloatArray) -> tuple[FloatArray, list[FloatArray]]:
        t = self.time.cost(v)
        return t, [t + f for f in self.cost_fixed]

    def objective(self, x: FloatArray) -> float:
        return self.time.objective(x.sum(axis=0)) + sum(
            float(np.dot(f, xk)) for f, xk in zip(self.fixed, x, strict=True))

    def line_search(self, x: FloatArray, d: FloatArray) -> float:
        v, dv = x.sum(axis=0), d.sum(axis=0)
        lin = sum(float(np.dot(f, dk)) for f, dk in zip(self.fixed, d, strict=True))
        return float(newton_line_search(v, dv, self.time.function, self.time.params, False,
                                        lin))


def multiclass_gap(nets: list[AssignmentNetwork], scale: npt.ArrayLike,
                   flows: npt.ArrayLike) -> Gap:
    """Return the relative gap of class flows, in the classes' money units.

    Parameters
    ----------
    nets : list of AssignmentNetwork
        One per class: the same links and time functions ``t_a`` (hours),
        the class's fixed cost ``F_ka`` (hours-equivalent, ``inf`` = closed
        to the class) and its demand.
    scale : array_like
        Value of time of each class ``w_k`` (money per flow unit and hour).
    flows : array_like, shape (n_classes, n_edges)
        Class flows in CSR order.

    Returns
    -------
    Gap
        ``relative_gap = (TSTT − SPTT) / TSTT`` with ``TSTT = Σ_k w_k x_k·ĉ_k``
        and ``SPTT = Σ_k w_k Σ_od q κ`` (money per period);
        ``average_excess_cost`` per flow unit; ``objective`` is ``Z``.
    """
    cl = _Classes(nets, scale)
    x = np.asarray(flows, dtype=np.float64)
    _, costs = cl.costs(x.sum(axis=0))
    tstt = sptt = 0.0
    for k, net in enumerate(nets):
        c = np.where(x[k] > 0, costs[k], 0.0)
        tstt += cl.scale[k] * float(np.dot(x[k], c))
        sptt += cl.scale[k] * float(np.dot(shortest_costs(net, costs[k]), net.od_demand))
    demand = sum(n.total_demand for n in nets)
    return Gap(relative_gap=(tstt - sptt) / tstt if tstt > 0 else 0.0, tstt=tstt, sptt=sptt,
               average_excess_cost=(tstt - sptt) / demand if demand else 0.0,
               objective=cl.objective(x))


def multiclass_equilibrium(nets: list[AssignmentNetwork], scale: npt.ArrayLike, *,
                           method: str = "bfw", gap: float = 1e-6,
                           max_iterations: int = 10_000,
                           time_limit: float | None = None) -> MulticlassSolution:
    """Find the multi-class user equilibrium with a method of the Frank–Wolfe family.

    Parameters
    ----------
    nets : list of AssignmentNetwork
        One per class, as for :func:`multiclass_gap`.
    scale : array_like
        Each class's value of time (money per flow unit and hour, > 0).
    method : {"msa", "fw", "cfw", "bfw"}, optional
        As in :func:`~instc.assignment.frank_wolfe.frank_wolfe`.
    gap : float, optional
        Stop at this relative gap (money units, see the module docstring).
    max_iterations : int, optional
    time_limit : float, optional
        Seconds.

    Returns
    -------
    MulticlassSolution
    """
    if method not in METHODS:
        raise ValueError(f"method {method!r} is not one of {', '.join(METHODS)}")
    start = time.perf_counter()
    cl = _Classes(nets, scale)
    n_e = nets[0].n_edges
    _, c0 = cl.costs(np.zeros(n_e))
    x = np.stack([all_or_nothing(net, c)[0] for net, c in zip(nets, c0, strict=True)])
    s = s_prev = x
    tau = 1.0
    direction = "fw"
    step = float("nan")
    log = ConvergenceLog()
    for k in range(1, max_iterations + 1):
        v = x.sum(axis=0)
        _, costs = cl.costs(v)
        y = np.empty_like(x)
        tstt = sptt = 0.0
        for i, net in enumerate(nets):
            y[i], sp = all_or_nothing(net, costs[i])
            c = np.where(x[i] > 0, costs[i], 0.0)
            tstt += cl.scale[i] * float(np.dot(x[i], c))
            sptt += cl.scale[i] * sp
        rgap = (tstt - sptt) / tstt if tstt > 0 else 0.0
        log.add(iteration=k, relative_gap=rgap, objective=cl.objective(x), step=step,
                seconds=time.perf_counter() - start)
        if rgap <= gap or k == max_iterations or (
                time_limit is not None and time.perf_counter() - start > time_limit):
            break
        w, direction = next_direction(method, direction, v, s.sum(axis=0),
                                      s_prev.sum(axis=0), y.sum(axis=0),
                                      cl.time.derivative, tau)
        new_s = y if w == (1.0, 0.0, 0.0) else w[0] * y + w[1] * s + w[2] * s_prev
        d = new_s - x
        if method == "msa":
            step = 1.0 / (k + 1)
        else:
            step = cl.line_search(x, d)
            if step <= 0.0 and new_s is not y:
                new_s, d = y, y - x
                step = cl.line_search(x, d)
        s_prev, s = s, new_s
        x = x + step * d
        np.maximum(x, 0.0, out=x)
        tau = step
        if step >= 1.0 - 1e-12 or step <= 0.0:
            direction = "fw"
    g = multiclass_gap(nets, cl.scale, x)
    return MulticlassSolution(flows=x, convergence=log.frame(), gap=g, method=method,
                              seconds=time.perf_counter() - start)
