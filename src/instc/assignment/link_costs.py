"""Link cost functions of a whole network: one function and its parameters per link.

Each link ``a`` has a volume-delay function ``t_a(v)`` (BPR, conical or
Davidson; see :mod:`~instc.assignment.bpr`, :mod:`~instc.assignment.conical`,
:mod:`~instc.assignment.davidson`) plus a fixed, flow-independent cost
``k_a`` (tolls or distance converted to time), so the generalized cost is
``c_a(v) = t_a(v) + k_a``.

User equilibrium (UE) routes on ``c_a`` and minimizes Beckmann's objective
``Z(v) = Σ_a (∫_0^{v_a} t_a + k_a v_a)``. System optimum (SO) routes on the
marginal cost ``c_a(v) + v t_a'(v)`` and minimizes the total cost
``Σ_a v_a c_a(v_a)``. The compiled kernels below take a ``so`` flag and
return, for either, the cost that routes, its derivative, and the
objective, so every algorithm solves both problems unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
import numpy.typing as npt

from instc.assignment.bpr import bpr_cost, bpr_d1, bpr_d2, bpr_int
from instc.assignment.conical import conical_cost, conical_d1, conical_d2, conical_int
from instc.assignment.davidson import davidson_cost, davidson_d1, davidson_d2, davidson_int

__all__ = ["FUNCTIONS", "LinkCosts"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

BPR, CONICAL, DAVIDSON = 0, 1, 2
FUNCTIONS: tuple[str, ...] = ("bpr", "conical", "davidson")
"""Names of the volume-delay functions, indexed by their code."""

# Rows of the parameter matrix P (shape 5 × n_links).
T0, CAP, A, B, FIXED = 0, 1, 2, 3, 4


@numba.njit(cache=True, inline="always")
def _time(f: int, v: float, P: FloatArray, e: int) -> float:
    if f == BPR:
        return bpr_cost(v, P[T0, e], P[CAP, e], P[A, e], P[B, e])
    if f == CONICAL:
        return conical_cost(v, P[T0, e], P[CAP, e], P[A, e])
    return davidson_cost(v, P[T0, e], P[CAP, e], P[A, e], P[B, e])


@numba.njit(cache=True, inline="always")
def _d1(f: int, v: float, P: FloatArray, e: int) -> float:
    if f == BPR:
        return bpr_d1(v, P[T0, e], P[CAP, e], P[A, e], P[B, e])
    if f == CONICAL:
        return conical_d1(v, P[T0, e], P[CAP, e], P[A, e])
    return davidson_d1(v, P[T0, e], P[CAP, e], P[A, e], P[B, e])


@numba.njit(cache=True, inline="always")
def _d2(f: int, v: float, P: FloatArray, e: int) -> float:
    if f == BPR:
        return bpr_d2(v, P[T0, e], P[CAP, e], P[A, e], P[B, e])
    if f == CONICAL:
        return conical_d2(v, P[T0, e], P[CAP, e], P[A, e])
    return davidson_d2(v, P[T0, e], P[CAP, e], P[A, e], P[B, e])


@numba.njit(cache=True, inline="always")
def _v_d2(f: int, v: float, P: FloatArray, e: int) -> float:
    """Return ``v t''(v)``.

    For BPR it is ``(beta − 1) t'(v)``, which stays finite where ``t''``
    overflows at tiny flows with ``beta < 2`` (``v × inf`` would be NaN).
    """
    if f == BPR:
        return float(P[B, e] - 1.0) * _d1(f, v, P, e)
    return v * _d2(f, v, P, e)


@numba.njit(cache=True, inline="always")
def _int(f: int, v: float, P: FloatArray, e: int) -> float:
    if f == BPR:
        return bpr_int(v, P[T0, e], P[CAP, e], P[A, e], P[B, e])
    if f == CONICAL:
        return conical_int(v, P[T0, e], P[CAP, e], P[A, e])
    return davidson_int(v, P[T0, e], P[CAP, e], P[A, e], P[B, e])


@numba.njit(cache=True, inline="always")
def edge_cost(e: int, v: float, fn: npt.NDArray[np.int8], P: FloatArray, so: bool) -> float:
    """Return the routing cost of edge ``e`` at flow ``v``: ``c(v)``, or ``c(v) + v t'(v)`` (SO)."""
    c: float = _time(fn[e], v, P, e) + P[FIXED, e]
    if so:
        c += v * _d1(fn[e], v, P, e)
    return c


@numba.njit(cache=True, inline="always")
def edge_derivative(e: int, v: float, fn: npt.NDArray[np.int8], P: FloatArray,
                    so: bool) -> float:
    """Return the derivative of :func:`edge_cost` with respect to ``v``."""
    d = _d1(fn[e], v, P, e)
    if so:
        d = 2.0 * d + _v_d2(fn[e], v, P, e)
    return d


@numba.njit(cache=True)
def costs_into(v: FloatArray, fn: npt.NDArray[np.int8], P: FloatArray, so: bool,
               out: FloatArray) -> None:
    """Write :func:`edge_cost` of every edge into ``out``."""
    for e in range(v.shape[0]):
        out[e] = edge_cost(e, v[e], fn, P, so)


@numba.njit(cache=True)
def derivatives_into(v: FloatArray, fn: npt.NDArray[np.int8], P: FloatArray, so: bool,
                     out: FloatArray) -> None:
    """Write :func:`edge_derivative` of every edge into ``out``."""
    for e in range(v.shape[0]):
        out[e] = edge_derivative(e, v[e], fn, P, so)


@numba.njit(cache=True)
def objective(v: FloatArray, fn: npt.NDArray[np.int8], P: FloatArray, so: bool) -> float:
    """Return Beckmann's objective (UE) or the total cost ``Σ v c(v)`` (SO)."""
    z = 0.0
    for e in range(v.shape[0]):
        if so:
            z += v[e] * (_time(fn[e], v[e], P, e) + P[FIXED, e])
        else:
            z += _int(fn[e], v[e], P, e) + P[FIXED, e] * v[e]
    return z


@numba.njit(cache=True)
def directional_derivative(v: FloatArray, d: FloatArray, lam: float,
                           fn: npt.NDArray[np.int8], P: FloatArray,
                           so: bool) -> tuple[float, float]:
    """Return ``g(λ) = Σ c(v + λd) d`` and ``g'(λ) = Σ c'(v + λd) d²`` for line searches."""
    g = 0.0
    h = 0.0
    for e in range(v.shape[0]):
        if d[e] == 0.0:
            continue
        x = v[e] + lam * d[e]
        g += edge_cost(e, x, fn, P, so) * d[e]
        h += edge_derivative(e, x, fn, P, so) * d[e] * d[e]
    return g, h


def _arr(x: npt.ArrayLike, n: int, name: str) -> FloatArray:
    a = np.broadcast_to(np.asarray(x, dtype=np.float64), (n,))
    return np.ascontiguousarray(a)


@dataclass(frozen=True, eq=False)
class LinkCosts:
    """The volume-delay function and parameters of every link, in one table.

    Attributes
    ----------
    function : numpy.ndarray of int8
        Code of each link's function, an index into :data:`FUNCTIONS`.
    params : numpy.ndarray of float64, shape (5, n_links)
        Rows: free-flow time ``t0`` (time units), capacity ``c`` (flow units
        per period), ``alpha``, ``beta`` (BPR's ``alpha, beta``; conical's
        ``alpha``; Davidson's ``J, mu``), and the fixed cost ``k`` (time units).

    Use the constructors :meth:`bpr`, :meth:`conical`, :meth:`davidson`
    and :meth:`concat`.
    """

    function: npt.NDArray[np.int8]
    params: FloatArray

    def __post_init__(self) -> None:
        for a in (self.function, self.params):
            a.flags.writeable = False

    @property
    def n_links(self) -> int:
        """Number of links."""
        return int(self.function.shape[0])

    @classmethod
    def _make(cls, code: int, t0: npt.ArrayLike, cap: npt.ArrayLike, a: npt.ArrayLike,
              b: npt.ArrayLike, fixed: npt.ArrayLike) -> LinkCosts:
        t0a = np.atleast_1d(np.asarray(t0, dtype=np.float64))
        n = t0a.shape[0]
        params = np.vstack([_arr(x, n, k) for k, x in
                            (("t0", t0a), ("capacity", cap), ("alpha", a), ("beta", b),
                             ("fixed", fixed))])
        bad = ~(params[CAP] > 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"capacity of link {i} is {params[CAP, i]!r}; expected a "
                             "positive number (use a very large one for no congestion)")
        if (params[T0] < 0).any() or (params[FIXED] < 0).any():
            i = int(np.flatnonzero((params[T0] < 0) | (params[FIXED] < 0))[0])
            raise ValueError(f"link {i} has a negative free-flow time or fixed cost; "
                             "costs must be >= 0")
        return cls(np.full(n, code, dtype=np.int8), params)

    @classmethod
    def bpr(cls, free_flow_time: npt.ArrayLike, capacity: npt.ArrayLike, *,
            alpha: npt.ArrayLike = 0.15, beta: npt.ArrayLike = 4.0,
            fixed: npt.ArrayLike = 0.0) -> LinkCosts:
        """Return BPR costs ``t0 (1 + alpha (v/c)^beta) + fixed``, parameters per link."""
        b = np.asarray(beta, dtype=np.float64)
        if (b < 0).any():
            raise ValueError("a BPR beta (power) is negative; expected beta >= 0")
        return cls._make(BPR, free_flow_time, capacity, alpha, beta, fixed)

    @classmethod
    def conical(cls, free_flow_time: npt.ArrayLike, capacity: npt.ArrayLike, *,
                alpha: npt.ArrayLike = 4.0, fixed: npt.ArrayLike = 0.0) -> LinkCosts:
        """Return Spiess's conical costs ``t0 f(v/c) + fixed``, ``alpha > 1`` per link."""
        if (np.asarray(alpha, dtype=np.float64) <= 1.0).any():
            raise ValueError("a conical alpha is <= 1; Spiess's function needs alpha > 1")
        return cls._make(CONICAL, free_flow_time, capacity, alpha, 0.0, fixed)

    @classmethod
    def davidson(cls, free_flow_time: npt.ArrayLike, capacity: npt.ArrayLike, *,
                 j: npt.ArrayLike = 0.25, mu: npt.ArrayLike = 0.95,
                 fixed: npt.ArrayLike = 0.0) -> LinkCosts:
        """Return Davidson queueing costs ``t0 (1 + J x/(1-x)) + fixed``, tangent past ``mu``."""
        m = np.asarray(mu, dtype=np.float64)
        if ((m <= 0) | (m >= 1)).any():
            raise ValueError("a Davidson mu is outside (0, 1); expected e.g. 0.95")
        return cls._make(DAVIDSON, free_flow_time, capacity, j, mu, fixed)

    @classmethod
    def concat(cls, parts: list[LinkCosts]) -> LinkCosts:
        """Return the links of ``parts`` one after the other."""
        return cls(np.concatenate([p.function for p in parts]),
                   np.hstack([p.params for p in parts]))

    def take(self, order: npt.ArrayLike) -> LinkCosts:
        """Return the links in the order of the index array ``order``."""
        idx = np.asarray(order, dtype=np.int64)
        return LinkCosts(np.ascontiguousarray(self.function[idx]),
                         np.ascontiguousarray(self.params[:, idx]))

    def _flow(self, flow: npt.ArrayLike) -> FloatArray:
        v = np.ascontiguousarray(flow, dtype=np.float64)
        if v.shape != (self.n_links,):
            raise ValueError(f"flow has shape {v.shape}; expected ({self.n_links},)")
        return v

    def cost(self, flow: npt.ArrayLike, *, system_optimum: bool = False) -> FloatArray:
        """Return each link's generalized cost ``t(v) + k`` (or marginal cost, SO), time units."""
        out = np.empty(self.n_links)
        costs_into(self._flow(flow), self.function, self.params, system_optimum, out)
        return out

    def derivative(self, flow: npt.ArrayLike, *, system_optimum: bool = False) -> FloatArray:
        """Return the derivative of :meth:`cost` with respect to each link's own flow."""
        out = np.empty(self.n_links)
        derivatives_into(self._flow(flow), self.function, self.params, system_optimum, out)
        return out

    def objective(self, flow: npt.ArrayLike, *, system_optimum: bool = False) -> float:
        """Return Beckmann's ``Σ (∫0^v t + k v)`` (UE) or total cost ``Σ v (t + k)`` (SO)."""
        return float(objective(self._flow(flow), self.function, self.params, system_optimum))

    def to_frame(self) -> dict[str, npt.NDArray[np.generic]]:
        """Return the table as columns: function name, t0, capacity, alpha, beta, fixed."""
        names = np.asarray(FUNCTIONS, dtype=object)[self.function]
        return {"function": names, "free_flow_time": self.params[T0],
                "capacity": self.params[CAP], "alpha": self.params[A], "beta": self.params[B],
                "fixed_cost": self.params[FIXED]}
