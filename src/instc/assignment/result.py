"""Results of an equilibrium assignment: link flows and the convergence log."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from instc.assignment.network import AssignmentNetwork

__all__ = ["AssignmentResult", "ConvergenceLog"]


class ConvergenceLog:
    """Rows of a convergence log, collected while an algorithm runs."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, **row: Any) -> None:
        """Append one iteration's row."""
        self.rows.append(row)

    def frame(self) -> pd.DataFrame:
        """Return the rows as a table."""
        return pd.DataFrame(self.rows, columns=list(self.rows[0]) if self.rows else
                            ["iteration", "relative_gap", "objective", "step", "seconds"])


@dataclass(frozen=True)
class AssignmentResult:
    """Link flows, costs and convergence of a static assignment.

    Attributes
    ----------
    links : pandas.DataFrame
        One row per link, in the network's link order: ``init_node``,
        ``term_node``, ``flow`` (flow units per period), ``cost`` (routing
        cost at that flow: generalized cost for UE, marginal cost for SO;
        time units), ``time`` (link time without fixed cost), ``voc``
        (flow over capacity).
    convergence : pandas.DataFrame
        One row per iteration: ``iteration``, ``relative_gap`` (see
        :mod:`instc.assignment.gap`), ``objective`` (Beckmann's for UE,
        total cost for SO), ``step`` (the step size, NaN where the
        algorithm has none), ``seconds`` (since the start).
    algorithm : str
        Algorithm name (``"bfw"``, ``"algorithm-b"``, ...).
    system_optimum : bool
        Whether the problem solved is the system optimum (else user equilibrium).
    relative_gap, objective : float
        Final values (from the independent gap computation).
    iterations : int
        Iterations done.
    converged : bool
        Whether the target gap was reached.
    seconds : float
        Wall-clock time (s), including compilation on a first call.
    settings : dict
        The options the algorithm ran with.
    """

    links: pd.DataFrame
    convergence: pd.DataFrame
    algorithm: str
    system_optimum: bool
    relative_gap: float
    objective: float
    iterations: int
    converged: bool
    seconds: float
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def flow(self) -> np.ndarray:
        """Link flows in link order (flow units per period)."""
        return np.asarray(self.links["flow"].to_numpy(), dtype=np.float64)

    def to_frame(self) -> pd.DataFrame:
        """Return the link table (a copy)."""
        return self.links.copy()

    def to_parquet(self, path: str | os.PathLike[str]) -> Path:
        """Write the link table to a Parquet file and return its path."""
        p = Path(path)
        self.links.to_parquet(p, index=False)
        return p

    def summary(self) -> dict[str, Any]:
        """Return the scalar results as a dict (for JSON output)."""
        return {"algorithm": self.algorithm,
                "problem": "system optimum" if self.system_optimum else "user equilibrium",
                "iterations": self.iterations, "relative_gap": self.relative_gap,
                "objective": self.objective, "converged": self.converged,
                "seconds": self.seconds}


def result_from_edge_flows(net: AssignmentNetwork, flow: np.ndarray, log: ConvergenceLog, *,
                           algorithm: str, system_optimum: bool, target_gap: float,
                           seconds: float, settings: dict[str, Any]) -> AssignmentResult:
    """Return the :class:`AssignmentResult` of edge flows in CSR order.

    The final gap and objective are recomputed here from the flows alone
    (:func:`~instc.assignment.gap.gap_of_edge_flows`).
    """
    from instc.assignment.gap import gap_of_edge_flows

    g = gap_of_edge_flows(net, flow, system_optimum=system_optimum)
    cost = net.costs.cost(flow, system_optimum=system_optimum)
    time = net.costs.cost(flow) - net.costs.params[4]
    links = pd.DataFrame({
        "init_node": net.links["init_node"].to_numpy(),
        "term_node": net.links["term_node"].to_numpy(),
        "flow": net.to_links(flow),
        "cost": net.to_links(cost),
        "time": net.to_links(time),
        "voc": net.to_links(flow / net.costs.params[1]),
    })
    return AssignmentResult(links=links, convergence=log.frame(), algorithm=algorithm,
                            system_optimum=system_optimum, relative_gap=g.relative_gap,
                            objective=g.objective, iterations=len(log.rows),
                            converged=bool(g.relative_gap <= target_gap), seconds=seconds,
                            settings=settings)
