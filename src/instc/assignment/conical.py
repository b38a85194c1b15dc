r"""Spiess's conical volume-delay function.

H. Spiess, "Conical volume-delay functions", *Transportation Science* 24(2)
(1990) 153-158. With ``x = v / c``:

.. math::

    f(x) = 2 + \sqrt{\alpha^2 (1-x)^2 + \beta^2} - \alpha (1-x) - \beta,
    \qquad \beta = \frac{2\alpha - 1}{2\alpha - 2}, \quad \alpha > 1,

and the link time ``t(v) = t0 f(v/c)``: ``f(0) = 1``, ``f(1) = 2`` (the time
doubles at capacity), and unlike BPR the slope stays finite at every flow
and the time grows only linearly (slope ``2 alpha``) far past capacity.
Here ``alpha`` plays the role of BPR's power (steepness at capacity).
Derivatives and integral, with ``u = 1 - x`` and ``S(u) = sqrt(alpha^2 u^2 + beta^2)``:

.. math::

    t'(v) = \frac{t_0}{c}\left(\alpha - \frac{\alpha^2 u}{S}\right), \quad
    t''(v) = \frac{t_0}{c^2} \frac{\alpha^2 \beta^2}{S^3}, \quad
    \int_0^v t = t_0 c \left((2-\beta) x - \alpha (x - x^2/2) + G(1) - G(1-x)\right),

with ``G(u) = u S(u) / 2 + beta^2 / (2 alpha) asinh(alpha u / beta)``.
Units as for :mod:`instc.assignment.bpr`.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import numpy.typing as npt

__all__ = ["conical"]

FloatArray = npt.NDArray[np.float64]


@numba.njit(cache=True, inline="always")
def _b(alpha: float) -> float:
    return (2.0 * alpha - 1.0) / (2.0 * alpha - 2.0)


@numba.njit(cache=True, inline="always")
def conical_cost(v: float, t0: float, cap: float, alpha: float) -> float:
    """Return ``t0 f(v/c)``."""
    b = _b(alpha)
    u = 1.0 - v / cap
    return t0 * (2.0 + math.sqrt(alpha * alpha * u * u + b * b) - alpha * u - b)


@numba.njit(cache=True, inline="always")
def conical_d1(v: float, t0: float, cap: float, alpha: float) -> float:
    """Return ``dt/dv``."""
    b = _b(alpha)
    u = 1.0 - v / cap
    return t0 / cap * (alpha - alpha * alpha * u / math.sqrt(alpha * alpha * u * u + b * b))


@numba.njit(cache=True, inline="always")
def conical_d2(v: float, t0: float, cap: float, alpha: float) -> float:
    """Return ``d2t/dv2``."""
    b = _b(alpha)
    u = 1.0 - v / cap
    s = math.sqrt(alpha * alpha * u * u + b * b)
    return t0 / (cap * cap) * alpha * alpha * b * b / (s * s * s)


@numba.njit(cache=True, inline="always")
def _g(u: float, alpha: float, b: float) -> float:
    return 0.5 * u * math.sqrt(alpha * alpha * u * u + b * b) \
        + b * b / (2.0 * alpha) * math.asinh(alpha * u / b)


@numba.njit(cache=True, inline="always")
def conical_int(v: float, t0: float, cap: float, alpha: float) -> float:
    """Return ``integral_0^v t``."""
    b = _b(alpha)
    x = v / cap
    return t0 * cap * ((2.0 - b) * x - alpha * (x - 0.5 * x * x)
                       + _g(1.0, alpha, b) - _g(1.0 - x, alpha, b))


def conical(flow: npt.ArrayLike, free_flow_time: npt.ArrayLike, capacity: npt.ArrayLike, *,
            alpha: npt.ArrayLike = 4.0) -> FloatArray:
    """Return the conical link time ``t0 × f(v/c)`` (the unit of ``free_flow_time``).

    Parameters
    ----------
    flow, free_flow_time, capacity : array_like
        Flow and capacity in one flow unit (e.g. t/period); time in any unit.
    alpha : array_like, optional
        Steepness, > 1.

    Examples
    --------
    >>> float(conical(100.0, 10.0, 100.0))
    20.0
    """
    v, t0, c, a = np.broadcast_arrays(*(np.asarray(x, dtype=np.float64) for x in
                                        (flow, free_flow_time, capacity, alpha)))
    b = (2.0 * a - 1.0) / (2.0 * a - 2.0)
    u = 1.0 - v / c
    return np.asarray(t0 * (2.0 + np.sqrt(a * a * u * u + b * b) - a * u - b), dtype=np.float64)
