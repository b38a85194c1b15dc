r"""The BPR link performance function, with per-link alpha and beta.

Bureau of Public Roads, *Traffic Assignment Manual*, U.S. Department of
Commerce (1964):

.. math::

    t(v) = t_0 \left(1 + \alpha \left(\frac{v}{c}\right)^{\beta}\right)

with ``t0`` the free-flow time (any time unit: h on the corridor, the
network's unit on TNTP files), ``v`` the flow and ``c`` the capacity in the
same flow unit (t per assignment period on the corridor, vehicles per
period on TNTP files), ``alpha`` (TNTP's ``b``, classically 0.15) and
``beta`` (TNTP's ``power``, classically 4). Its derivatives and integral:

.. math::

    t'(v) = t_0 \alpha \beta v^{\beta-1} / c^{\beta}, \qquad
    \int_0^v t = t_0 \left(v + \frac{\alpha c}{\beta+1}
                  \left(\frac{v}{c}\right)^{\beta+1}\right).

The scalar kernels are compiled with numba so the assignment algorithms
can call them inside their own compiled loops.
"""

from __future__ import annotations

import numba
import numpy as np
import numpy.typing as npt

__all__ = ["bpr", "bpr_derivative", "bpr_integral"]

FloatArray = npt.NDArray[np.float64]


@numba.njit(cache=True, inline="always")
def _pow(x: float, p: float) -> float:
    # x ** 4 by multiplication is exact to the last bit and several times faster.
    if p == 4.0:
        x2 = x * x
        return x2 * x2
    if p == 1.0:
        return x
    if p == 0.0:
        return 1.0
    return float(x ** p)


@numba.njit(cache=True, inline="always")
def bpr_cost(v: float, t0: float, cap: float, alpha: float, beta: float) -> float:
    """Return the BPR time ``t0 (1 + alpha (v/c)^beta)``."""
    return t0 * (1.0 + alpha * _pow(v / cap, beta))


@numba.njit(cache=True, inline="always")
def bpr_d1(v: float, t0: float, cap: float, alpha: float, beta: float) -> float:
    """Return ``dt/dv = t0 alpha beta (v/c)^(beta-1) / c`` (0 where it is 0 × inf)."""
    if beta == 0.0 or alpha == 0.0 or (v <= 0.0 and beta < 1.0):
        return 0.0
    return t0 * alpha * beta * _pow(v / cap, beta - 1.0) / cap


@numba.njit(cache=True, inline="always")
def bpr_d2(v: float, t0: float, cap: float, alpha: float, beta: float) -> float:
    """Return ``d2t/dv2 = t0 alpha beta (beta-1) (v/c)^(beta-2) / c^2`` (0 where infinite at 0)."""
    if beta == 0.0 or beta == 1.0 or alpha == 0.0 or (v <= 0.0 and beta < 2.0):
        return 0.0
    return t0 * alpha * beta * (beta - 1.0) * _pow(v / cap, beta - 2.0) / (cap * cap)


@numba.njit(cache=True, inline="always")
def bpr_int(v: float, t0: float, cap: float, alpha: float, beta: float) -> float:
    """Return ``integral_0^v t = t0 (v + alpha c / (beta+1) (v/c)^(beta+1))``."""
    return t0 * (v + alpha * cap / (beta + 1.0) * _pow(v / cap, beta + 1.0))


def bpr(flow: npt.ArrayLike, free_flow_time: npt.ArrayLike, capacity: npt.ArrayLike, *,
        alpha: npt.ArrayLike = 0.15, beta: npt.ArrayLike = 4.0) -> FloatArray:
    """Return the BPR link time ``t0 × (1 + alpha × (v/c)^beta)``.

    Parameters
    ----------
    flow : array_like
        Link flow ``v`` (flow units per assignment period, e.g. t/period).
    free_flow_time : array_like
        ``t0`` (time units, e.g. h).
    capacity : array_like
        ``c`` (same unit as ``flow``), positive.
    alpha, beta : array_like, optional
        Per-link parameters (0.15 and 4 by default).

    Returns
    -------
    numpy.ndarray
        Link time (the unit of ``free_flow_time``).

    Examples
    --------
    >>> float(bpr(100.0, 10.0, 100.0))
    11.5
    """
    v, t0, c, a, b = np.broadcast_arrays(*(np.asarray(x, dtype=np.float64) for x in
                                           (flow, free_flow_time, capacity, alpha, beta)))
    return np.asarray(t0 * (1.0 + a * (v / c) ** b), dtype=np.float64)


def bpr_derivative(flow: npt.ArrayLike, free_flow_time: npt.ArrayLike,
                   capacity: npt.ArrayLike, *, alpha: npt.ArrayLike = 0.15,
                   beta: npt.ArrayLike = 4.0) -> FloatArray:
    """Return ``dt/dv = t0 × alpha × beta × v^(beta-1) / c^beta`` (time per flow unit)."""
    v, t0, c, a, b = np.broadcast_arrays(*(np.asarray(x, dtype=np.float64) for x in
                                           (flow, free_flow_time, capacity, alpha, beta)))
    with np.errstate(divide="ignore", invalid="ignore"):
        d = t0 * a * b * (v / c) ** (b - 1.0) / c
    return np.asarray(np.where(b == 0.0, 0.0, d), dtype=np.float64)


def bpr_integral(flow: npt.ArrayLike, free_flow_time: npt.ArrayLike,
                 capacity: npt.ArrayLike, *, alpha: npt.ArrayLike = 0.15,
                 beta: npt.ArrayLike = 4.0) -> FloatArray:
    """Return ``∫0^v t = t0 × (v + alpha × c / (beta+1) × (v/c)^(beta+1))`` (time × flow)."""
    v, t0, c, a, b = np.broadcast_arrays(*(np.asarray(x, dtype=np.float64) for x in
                                           (flow, free_flow_time, capacity, alpha, beta)))
    return np.asarray(t0 * (v + a * c / (b + 1.0) * (v / c) ** (b + 1.0)), dtype=np.float64)
