"""One entry point for static equilibrium assignment, whatever the algorithm."""

from __future__ import annotations

import dataclasses

from instc.assignment.algorithm_b import algorithm_b
from instc.assignment.frank_wolfe import METHODS, frank_wolfe
from instc.assignment.network import AssignmentNetwork
from instc.assignment.result import AssignmentResult

__all__ = ["ALGORITHMS", "assign_equilibrium"]

ALGORITHMS: tuple[str, ...] = ("aon", *METHODS, "algorithm-b")
"""Algorithm names: all-or-nothing, the Frank–Wolfe family, and Algorithm B."""


def assign_equilibrium(net: AssignmentNetwork, *, algorithm: str = "algorithm-b",
                       gap: float = 1e-6, max_iterations: int | None = None,
                       time_limit: float | None = None,
                       system_optimum: bool = False) -> AssignmentResult:
    """Load the demand onto the network at user equilibrium or system optimum.

    Parameters
    ----------
    net : AssignmentNetwork
        Network, link costs and demand.
    algorithm : str, optional
        One of :data:`ALGORITHMS`: ``"aon"`` (all-or-nothing at free-flow
        costs, one iteration), ``"msa"``, ``"fw"``, ``"cfw"``, ``"bfw"``
        (:mod:`~instc.assignment.frank_wolfe`) or ``"algorithm-b"``
        (:mod:`~instc.assignment.algorithm_b`, the default: the fastest and
        the only one that reaches gaps of 1e-8 and below in practice).
    gap : float, optional
        Target relative gap (see :mod:`~instc.assignment.gap`).
    max_iterations : int, optional
        Iteration cap (default 10,000 for the FW family, 1,000 for Algorithm B).
    time_limit : float, optional
        Stop after about this many seconds.
    system_optimum : bool, optional
        Minimize total cost (routing on marginal costs) instead of finding
        the user equilibrium.

    Returns
    -------
    AssignmentResult
        Link flows and costs, and the convergence log.

    Raises
    ------
    ValueError
        If ``algorithm`` is unknown.
    """
    if algorithm == "algorithm-b":
        return algorithm_b(net, gap=gap, max_iterations=max_iterations or 1000,
                           time_limit=time_limit, system_optimum=system_optimum)
    if algorithm == "aon":
        result = frank_wolfe(net, method="fw", gap=gap, max_iterations=1,
                             system_optimum=system_optimum)
        return dataclasses.replace(result, algorithm="aon",
                                   settings={**result.settings, "method": "aon"})
    if algorithm in METHODS:
        return frank_wolfe(net, method=algorithm, gap=gap,
                           max_iterations=max_iterations or 10_000, time_limit=time_limit,
                           system_optimum=system_optimum)
    raise ValueError(f"algorithm {algorithm!r} is not one of {', '.join(ALGORITHMS)}")
