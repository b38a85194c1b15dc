"""The results folder: tidy tables (Parquet and CSV) and ``run.json``.

Layout::

    OUT/
      run.json            inputs, hashes, versions, seed; written last
      tables/NAME.parquet one file per table
      tables/NAME.csv     the same table as CSV

Every file is written to a temporary name and renamed into place, so a table
is either complete or absent. ``run.json`` is written last and records the
SHA-256 of every table file; :func:`load_results` refuses a folder whose
``run.json`` is missing or whose tables do not match it, so an interrupted
run never passes for a finished one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from instc._files import write_atomic
from instc.errors import InstcError

__all__ = ["Results", "ResultsError", "load_results", "save_results", "write_table"]

RUN_FILE = "run.json"
TABLES_DIR = "tables"


class ResultsError(ValueError, InstcError):
    """A results folder is missing, incomplete or altered."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_table(out: str | os.PathLike[str], name: str, frame: pd.DataFrame) -> dict[str, str]:
    """Write one table as Parquet and CSV under ``out/tables``, atomically.

    Returns
    -------
    dict of str to str
        File name (relative to ``out``) -> SHA-256 of its bytes.
    """
    if not name.replace("_", "").replace("-", "").isalnum():
        raise ResultsError(f"table name {name!r} is not allowed; expected letters, digits, "
                           "'_' or '-'")
    root = Path(out)
    parquet = root / TABLES_DIR / f"{name}.parquet"
    csv = root / TABLES_DIR / f"{name}.csv"
    write_atomic(parquet, frame.to_parquet(index=False))
    write_atomic(csv, frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    return {str(p.relative_to(root)): _sha256(p) for p in (parquet, csv)}


def save_results(out: str | os.PathLike[str], tables: Mapping[str, pd.DataFrame], *,
                 run: Mapping[str, Any]) -> Path:
    """Write a results folder: every table, then ``run.json``.

    Parameters
    ----------
    out : path-like
        Folder to write (created if needed). Tables already there under
        other names are kept and listed.
    tables : mapping of str to pandas.DataFrame
        Tables by name.
    run : mapping
        What to record in ``run.json`` (inputs, hashes, versions, seed, ...);
        must be JSON-serialisable.
    """
    root = Path(out)
    files: dict[str, str] = {}
    for name, frame in tables.items():
        files.update(write_table(root, name, frame))
    previous = _read_run(root) if (root / RUN_FILE).exists() else {}
    recorded = {**previous.get("files", {}), **files}
    record = {**run, "files": dict(sorted(recorded.items()))}
    write_atomic(root / RUN_FILE, json.dumps(record, indent=2, sort_keys=True,
                                              default=str).encode("utf-8"))
    return root


def _read_run(root: Path) -> dict[str, Any]:
    try:
        data = json.loads((root / RUN_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsError(f"{root} has no {RUN_FILE}: not a results folder, or a run that "
                           "did not finish") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResultsError(f"{root / RUN_FILE} cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise ResultsError(f"{root / RUN_FILE} does not hold a JSON object")
    return data


@dataclass(frozen=True)
class Results:
    """A finished results folder: its ``run.json`` and its tables (read on demand)."""

    path: Path
    run: Mapping[str, Any]
    _cache: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)

    @property
    def table_names(self) -> list[str]:
        """Names of the tables in the folder."""
        files = self.run.get("files", {})
        return sorted({Path(f).stem for f in files if f.endswith(".parquet")})

    def table(self, name: str) -> pd.DataFrame:
        """Return table ``name`` (read from its Parquet file)."""
        if name not in self.table_names:
            raise ResultsError(f"no table {name!r} in {self.path}; it has "
                               + (", ".join(self.table_names) or "none"))
        if name not in self._cache:
            self._cache[name] = pd.read_parquet(self.path / TABLES_DIR / f"{name}.parquet")
        return self._cache[name]


def load_results(path: str | os.PathLike[str]) -> Results:
    """Open a results folder, checking every table against ``run.json``.

    Raises
    ------
    ResultsError
        If ``run.json`` is missing or unreadable, or a table is missing or
        differs from what ``run.json`` recorded.
    """
    root = Path(path)
    run = _read_run(root)
    for rel, digest in run.get("files", {}).items():
        file = root / rel
        if not file.exists():
            raise ResultsError(f"{file} is listed in {RUN_FILE} but missing")
        if _sha256(file) != digest:
            raise ResultsError(f"{file} differs from what {RUN_FILE} recorded (changed after "
                               "the run, or a run was interrupted while writing it)")
    return Results(root, run)
