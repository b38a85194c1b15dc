"""A thin wrapper over HiGHS (``highspy``): pass a model in CSC form, solve, read it back."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float64]
_quiet = False


def new_highs() -> highspy.Highs:
    """Return a silent HiGHS instance.

    HiGHS prints a banner to the C-level standard output when the first
    instance of a process is made, before any option can turn output off;
    it would corrupt ``--json`` output, so that first construction runs
    with file descriptor 1 pointed at the null device.
    """
    global _quiet
    if _quiet:
        h = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 1)
            h = highspy.Highs()  # type: ignore[no-untyped-call]
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(null)
        _quiet = True
    h.setOptionValue("output_flag", False)
    return h


@dataclass(frozen=True)
class LpSolution:
    """Primal values, row duals, status and times of one HiGHS solve."""

    x: FloatArray
    row_dual: FloatArray
    status: str
    optimal: bool
    objective: float
    seconds: float
    mip_gap: float


class LpBuilder:
    """Columns and rows collected in coordinate form, then solved by HiGHS."""

    def __init__(self) -> None:
        self.cost: list[FloatArray] = []
        self.lower: list[FloatArray] = []
        self.upper: list[FloatArray] = []
        self.integer: list[npt.NDArray[np.bool_]] = []
        self.n_cols = 0
        self.n_rows = 0
        self.rows: list[npt.NDArray[np.int64]] = []
        self.cols: list[npt.NDArray[np.int64]] = []
        self.vals: list[FloatArray] = []
        self.row_lower: list[FloatArray] = []
        self.row_upper: list[FloatArray] = []

    def add_cols(self, cost: npt.ArrayLike, lower: npt.ArrayLike, upper: npt.ArrayLike, *,
                 integer: bool = False) -> int:
        """Add columns; return the index of the first."""
        c = np.atleast_1d(np.asarray(cost, dtype=np.float64))
        n = c.shape[0]
        self.cost.append(c)
        self.lower.append(np.broadcast_to(np.asarray(lower, dtype=np.float64), (n,)).copy())
        self.upper.append(np.broadcast_to(np.asarray(upper, dtype=np.float64), (n,)).copy())
        self.integer.append(np.full(n, integer))
        first = self.n_cols
        self.n_cols += n
        return first

    def add_rows(self, lower: npt.ArrayLike, upper: npt.ArrayLike) -> int:
        """Add rows with bounds; return the index of the first."""
        lo = np.atleast_1d(np.asarray(lower, dtype=np.float64))
        hi = np.broadcast_to(np.asarray(upper, dtype=np.float64), lo.shape).copy()
        self.row_lower.append(lo)
        self.row_upper.append(hi)
        first = self.n_rows
        self.n_rows += lo.shape[0]
        return first

    def add_entries(self, rows: npt.ArrayLike, cols: npt.ArrayLike, vals: npt.ArrayLike) -> None:
        """Add matrix coefficients (duplicates are summed)."""
        r = np.asarray(rows, dtype=np.int64).ravel()
        self.rows.append(r)
        self.cols.append(np.asarray(cols, dtype=np.int64).ravel())
        self.vals.append(np.broadcast_to(np.asarray(vals, dtype=np.float64), r.shape).copy())

    def solve(self, *, time_limit: float | None = None, mip_rel_gap: float = 1e-6) -> LpSolution:
        """Solve with HiGHS (simplex or branch-and-cut when integers are present)."""
        cat = np.concatenate
        a = sp.csc_array((cat(self.vals) if self.vals else np.zeros(0),
                          (cat(self.rows) if self.rows else np.zeros(0, np.int64),
                           cat(self.cols) if self.cols else np.zeros(0, np.int64))),
                         shape=(self.n_rows, self.n_cols))
        a.sum_duplicates()
        lp = highspy.HighsLp()
        lp.num_col_ = self.n_cols
        lp.num_row_ = self.n_rows
        lp.col_cost_ = cat(self.cost)
        lp.col_lower_ = cat(self.lower)
        lp.col_upper_ = cat(self.upper)
        lp.row_lower_ = cat(self.row_lower) if self.row_lower else np.zeros(0)
        lp.row_upper_ = cat(self.row_upper) if self.row_upper else np.zeros(0)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = a.indptr.astype(np.int32)
        lp.a_matrix_.index_ = a.indices.astype(np.int32)
        lp.a_matrix_.value_ = a.data
        integer = cat(self.integer)
        if integer.any():
            lp.integrality_ = [highspy.HighsVarType.kInteger if i else
                               highspy.HighsVarType.kContinuous for i in integer]
        h = new_highs()
        h.setOptionValue("mip_rel_gap", mip_rel_gap)
        if time_limit is not None:
            h.setOptionValue("time_limit", float(time_limit))
        h.passModel(lp)
        start = time.perf_counter()
        h.run()
        seconds = time.perf_counter() - start
        status = h.getModelStatus()
        sol = h.getSolution()
        info = h.getInfo()
        x = np.asarray(sol.col_value, dtype=np.float64)
        duals = np.asarray(sol.row_dual, dtype=np.float64) if sol.dual_valid \
            else np.zeros(self.n_rows)
        return LpSolution(x=x if x.size else np.zeros(self.n_cols), row_dual=duals,
                          status=h.modelStatusToString(status),
                          optimal=status == highspy.HighsModelStatus.kOptimal,
                          objective=float(info.objective_function_value), seconds=seconds,
                          mip_gap=float(info.mip_gap) if integer.any() else 0.0)
