r"""Davidson's queueing delay, for capacitated nodes and transfers.

K. B. Davidson, "A flow-travel time relationship for use in transportation
planning", *Proc. Australian Road Research Board* 3 (1966) 183-194, in the
modified form of R. Akçelik, "Travel time functions for transport planning
purposes: Davidson's function, its time-dependent form and an alternative
travel time function", *Australian Road Research* 21(3) (1991) 49-59.
With ``x = v / c`` the degree of saturation:

.. math::

    t(v) = t_0 \left(1 + J \frac{x}{1 - x}\right) \quad (x \le \mu),

the delay of a single-server queue whose mean wait grows like
``x / (1 - x)``, with ``J`` the delay parameter (the ratio of queueing
delay to ``t0`` when ``x = 1/2``). Past ``x = mu`` (0.95 by default) the time
continues along its tangent, so it stays finite above capacity as the
equilibrium algorithms need:
``t(v) = t(mu c) + t'(mu c) (v - mu c)``. Derivatives and integral:

.. math::

    t'(v) = \frac{t_0 J}{c (1-x)^2}, \quad t''(v) = \frac{2 t_0 J}{c^2 (1-x)^3}, \quad
    \int_0^v t = t_0 \left(v + J c (-x - \ln(1-x))\right) \quad (x \le \mu).

Use it on ports, borders and gauge-change transfers, with ``t0`` the dwell
without queue (h) and ``c`` the handling capacity in t per assignment period.
"""

from __future__ import annotations

import math

import numba

__all__: list[str] = []


@numba.njit(cache=True, inline="always")
def _base(x: float, t0: float, cap: float, j: float) -> tuple[float, float, float]:
    return (t0 * (1.0 + j * x / (1.0 - x)), t0 * j / (cap * (1.0 - x) ** 2),
            2.0 * t0 * j / (cap * cap * (1.0 - x) ** 3))


@numba.njit(cache=True, inline="always")
def davidson_cost(v: float, t0: float, cap: float, j: float, mu: float) -> float:
    """Return the (tangent-extended) Davidson time."""
    x = v / cap
    if x <= mu:
        return _base(x, t0, cap, j)[0]
    t, d, _ = _base(mu, t0, cap, j)
    return t + d * (v - mu * cap)


@numba.njit(cache=True, inline="always")
def davidson_d1(v: float, t0: float, cap: float, j: float, mu: float) -> float:
    """Return ``dt/dv``."""
    x = v / cap
    return _base(min(x, mu), t0, cap, j)[1]


@numba.njit(cache=True, inline="always")
def davidson_d2(v: float, t0: float, cap: float, j: float, mu: float) -> float:
    """Return ``d2t/dv2`` (zero on the tangent)."""
    x = v / cap
    return _base(x, t0, cap, j)[2] if x <= mu else 0.0


@numba.njit(cache=True, inline="always")
def davidson_int(v: float, t0: float, cap: float, j: float, mu: float) -> float:
    """Return ``integral_0^v t``."""
    x = v / cap
    if x <= mu:
        return t0 * (v + j * cap * (-x - math.log1p(-x)))
    vm = mu * cap
    base = t0 * (vm + j * cap * (-mu - math.log1p(-mu)))
    t, d, _ = _base(mu, t0, cap, j)
    return base + t * (v - vm) + 0.5 * d * (v - vm) ** 2
