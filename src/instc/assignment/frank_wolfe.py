"""The Frank–Wolfe family: MSA, Frank–Wolfe, conjugate and bi-conjugate Frank–Wolfe.

Each iteration loads all demand on shortest paths at the current costs
(all-or-nothing, giving ``y``), forms a search direction ``s``, and moves
``x ← x + λ (s − x)``:

- ``msa`` (method of successive averages): ``s = y``, ``λ_k = 1 / (k + 1)``;
- ``fw`` (M. Frank and P. Wolfe, *Naval Res. Logist. Q.* 3, 1956; LeBlanc,
  Morlok and Pierskalla, *Transp. Res.* 9, 1975): ``s = y``, ``λ`` from an
  exact line search;
- ``cfw`` (conjugate FW, M. Mitradjieva and P. O. Lindberg, "The stiff is
  moving — conjugate direction Frank–Wolfe methods with applications to
  traffic assignment", *Transp. Sci.* 47(2), 2013): ``s_k = α s_{k−1} +
  (1 − α) y`` with ``α = (s̄ᵀH(y − x)) / (s̄ᵀH(y − s_{k−1}))``,
  ``s̄ = s_{k−1} − x``, ``H = diag(c'(x))``, clipped to ``[0, 0.99999]``;
- ``bfw`` (bi-conjugate FW, same paper): ``s_k = β0 y + β1 s_{k−1} +
  β2 s_{k−2}``, the βs making ``s_k − x`` conjugate to the two previous
  directions with respect to ``H`` (formulas in :func:`_bfw_betas`).

The line search finds ``λ ∈ [0, 1]`` with ``g(λ) = Σ_a c_a(x + λd) d_a = 0``,
``d = s − x`` (``g`` is the derivative of the objective along ``d``), by
Newton steps kept inside a bisection bracket. The gap of each iterate is
computed from its flows (:mod:`instc.assignment.gap`); the all-or-nothing
flows of that same computation give the next direction.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numba
import numpy as np
import numpy.typing as npt

from instc.assignment.all_or_nothing import all_or_nothing
from instc.assignment.link_costs import directional_derivative
from instc.assignment.network import AssignmentNetwork
from instc.assignment.result import AssignmentResult, ConvergenceLog, result_from_edge_flows

__all__ = ["METHODS", "frank_wolfe", "newton_line_search", "next_direction"]

FloatArray = npt.NDArray[np.float64]
METHODS: tuple[str, ...] = ("msa", "fw", "cfw", "bfw")
_CONJUGATE_MAX = 0.99999


@numba.njit(cache=True)
def newton_line_search(x: FloatArray, d: FloatArray, fn: npt.NDArray[np.int8], P: FloatArray,
                       so: bool, offset: float) -> float:
    """Return the step in [0, 1] along ``d`` that zeroes the objective's derivative.

    Safeguarded Newton on ``g(λ) = Σ_a t_a(x_a + λ d_a) d_a + offset``
    (``offset``: the derivative of any linear part of the objective), from a
    secant start, falling back to bisection when a Newton step leaves the
    bracket.
    """
    g0 = directional_derivative(x, d, 0.0, fn, P, so)[0] + offset
    if g0 >= 0.0:
        return 0.0
    g1 = directional_derivative(x, d, 1.0, fn, P, so)[0] + offset
    if g1 <= 0.0:
        return 1.0
    lo, hi = 0.0, 1.0
    lam = g0 / (g0 - g1)  # secant start
    for _ in range(100):
        g, h = directional_derivative(x, d, lam, fn, P, so)
        g += offset
        if g == 0.0:
            return lam
        if g < 0.0:
            lo = lam
        else:
            hi = lam
        nxt = lam - g / h if h > 0.0 else 0.5 * (lo + hi)
        if not (lo < nxt < hi):
            nxt = 0.5 * (lo + hi)
        if hi - lo <= 1e-15 or abs(nxt - lam) <= 1e-16:
            return nxt
        lam = nxt
    return lam


def _cfw_alpha(x: FloatArray, s: FloatArray, y: FloatArray, h: FloatArray) -> float:
    sbar = s - x
    num = float(np.dot(sbar * h, y - x))
    den = float(np.dot(sbar * h, y - s))
    alpha = num / den if den != 0.0 else 0.0
    return min(max(alpha, 0.0), _CONJUGATE_MAX)


def _bfw_betas(x: FloatArray, s: FloatArray, s_prev: FloatArray, y: FloatArray,
               h: FloatArray, tau: float) -> tuple[float, float, float]:
    """Return ``(β0, β1, β2)`` of Mitradjieva and Lindberg's bi-conjugate direction.

    With ``x̄ = τ s_{k−1} + (1 − τ) s_{k−2} − x``, ``z = s_{k−1} − x``,
    ``w = s_{k−2} − s_{k−1}``, ``ȳ = y − x`` and ``⟨a, b⟩ = Σ a c'(x) b``:
    ``μ = max(0, −⟨x̄, ȳ⟩ / ⟨x̄, w⟩)``,
    ``ν = max(0, −⟨z, ȳ⟩ / ⟨z, z⟩ + μ τ / (1 − τ))``,
    ``β0 = 1 / (1 + μ + ν)``, ``β1 = ν β0``, ``β2 = μ β0``.
    """
    xb = tau * s + (1.0 - tau) * s_prev - x
    yb = y - x
    z = s - x
    w = s_prev - s
    mu_den = float(np.dot(xb * h, w))
    mu = max(0.0, -float(np.dot(xb * h, yb)) / mu_den) if mu_den != 0.0 else 0.0
    nu_den = float(np.dot(z * h, z))
    nu = max(0.0, -float(np.dot(z * h, yb)) / nu_den + mu * tau / (1.0 - tau)) \
        if nu_den != 0.0 else 0.0
    b0 = 1.0 / (1.0 + mu + nu)
    return b0, nu * b0, mu * b0


def next_direction(method: str, direction: str, x: FloatArray, s: FloatArray,
                   s_prev: FloatArray, y: FloatArray,
                   derivative: Callable[[FloatArray], FloatArray],
                   tau: float) -> tuple[tuple[float, float, float], str]:
    """Return the weights of ``y``, ``s_{k−1}``, ``s_{k−2}`` in ``s_k``, and the next kind.

    ``direction`` is this iteration's kind (``"fw"`` after a restart);
    ``derivative`` gives the cost derivatives at a flow, asked for only by
    the conjugate directions. Conjugate FW restarts when ``α`` reaches its cap: ``s_k`` is
    then all but ``s_{k−1}``, along which the line search already stopped,
    and the steps collapse (jamming). Both the single-class and the
    multi-class solvers choose their directions here.
    """
    if method in ("fw", "msa") or direction == "fw":
        return (1.0, 0.0, 0.0), "cfw" if method in ("cfw", "bfw") else "fw"
    if method == "cfw" or direction == "cfw":
        a = _cfw_alpha(x, s, y, derivative(x))
        after = "fw" if a >= _CONJUGATE_MAX else "bfw" if method == "bfw" else "cfw"
        return (1.0 - a, a, 0.0), after
    return _bfw_betas(x, s, s_prev, y, derivative(x), tau), direction


def frank_wolfe(net: AssignmentNetwork, *, method: str = "bfw", gap: float = 1e-4,
                max_iterations: int = 10_000, time_limit: float | None = None,
                system_optimum: bool = False) -> AssignmentResult:
    """Solve the static assignment with a method of the Frank–Wolfe family.

    Parameters
    ----------
    net : AssignmentNetwork
        Network, link costs and demand.
    method : {"msa", "fw", "cfw", "bfw"}, optional
        See the module docstring; bi-conjugate FW by default.
    gap : float, optional
        Stop when the relative gap is at most this.
    max_iterations : int, optional
        Stop after this many iterations (the first all-or-nothing counts as 1).
    time_limit : float, optional
        Stop after about this many seconds.
    system_optimum : bool, optional
        Solve the system optimum (route on marginal costs) instead of the
        user equilibrium.

    Returns
    -------
    AssignmentResult
    """
    if method not in METHODS:
        raise ValueError(f"method {method!r} is not one of {', '.join(METHODS)}")
    start = time.perf_counter()
    costs = net.costs
    fn, P = costs.function, costs.params
    so = system_optimum

    def derivative(v: FloatArray) -> FloatArray:
        return costs.derivative(v, system_optimum=so)

    log = ConvergenceLog()
    x, _ = all_or_nothing(net, costs.cost(np.zeros(net.n_edges), system_optimum=so))
    s = s_prev = x
    tau = 1.0
    direction = "fw"
    step = float("nan")
    for k in range(1, max_iterations + 1):
        c = costs.cost(x, system_optimum=so)
        y, sptt = all_or_nothing(net, c)
        tstt = float(np.dot(x, c))
        rgap = (tstt - sptt) / tstt if tstt > 0 else 0.0
        log.add(iteration=k, relative_gap=rgap, objective=costs.objective(x, system_optimum=so),
                step=step, seconds=time.perf_counter() - start)
        if rgap <= gap or k == max_iterations or (
                time_limit is not None and time.perf_counter() - start > time_limit):
            break
        w, direction = next_direction(method, direction, x, s, s_prev, y, derivative, tau)
        new_s = y if w == (1.0, 0.0, 0.0) else w[0] * y + w[1] * s + w[2] * s_prev
        d = new_s - x
        if method == "msa":
            step = 1.0 / (k + 1)
        else:
            step = float(newton_line_search(x, d, fn, P, so, 0.0))
            if step <= 0.0 and new_s is not y:
                new_s, d = y, y - x  # not a descent direction: fall back to FW
                step = float(newton_line_search(x, d, fn, P, so, 0.0))
        s_prev, s = s, new_s
        x = x + step * d
        np.maximum(x, 0.0, out=x)
        tau = step
        if step >= 1.0 - 1e-12 or step <= 0.0:
            direction = "fw"  # the direction replaced the solution: restart conjugacy
    settings: dict[str, Any] = {"method": method, "gap": gap,
                                "max_iterations": max_iterations, "time_limit": time_limit}
    return result_from_edge_flows(net, x, log, algorithm=method, system_optimum=so,
                                  target_gap=gap, seconds=time.perf_counter() - start,
                                  settings=settings)
