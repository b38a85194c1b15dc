"""The results folder: tidy tables (Parquet and CSV) and ``run.json``.

Layout::

    OUT/
      run.json            inputs, hashes, versions, seed; written last
      tables/NAME.parquet one file per table
      tables/NAME.csv     the same table as CSV

Every file is first written in full under a temporary name next to its own;
only then are they renamed into place, ``run.json`` last, with Ctrl+C held
until the last rename. A run that fails or is interrupted while writing
leaves the folder as it was. ``run.json`` records the SHA-256 of every table
file; :func:`load_results` refuses a folder whose ``run.json`` is missing or
whose tables do not match it, so a run killed outright while renaming never
passes for a finished one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import signal
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from instc._files import write_atomic
from instc.errors import InstcError

__all__ = ["Results", "ResultsError", "load_results", "replace_together", "save_results",
           "stage_file", "write_table"]

RUN_FILE = "run.json"
TABLES_DIR = "tables"


class ResultsError(ValueError, InstcError):
    """A results folder is missing, incomplete or altered."""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _valid_name(name: str) -> bool:
    return name.replace("_", "").replace("-", "").isalnum()


_LISTED = re.compile(r"^tables/(?P<name>[^/\\]+)\.(?:parquet|csv)$")
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


def stage_file(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` in full to a temporary file beside ``path``; return the temporary's path.

    Nothing is visible at ``path`` until :func:`replace_together` renames it
    there. Text is written as UTF-8.
    """
    target = Path(path)
    return write_atomic(target.with_name(f".{target.name}.{secrets.token_hex(4)}.staged"), data)


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl+C (SIGINT) until the block has ended, where this thread can."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            signal.raise_signal(signal.SIGINT)


def replace_together(staged: Mapping[Path, Path]) -> None:
    """Rename each staged file (value) onto its final path (key), Ctrl+C held until all are.

    Renames take microseconds, so files written as a set (a results folder, a
    report) are replaced as a set unless the process is killed outright.
    """
    with _interrupts_held():
        for final, tmp in staged.items():
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)


def _discard(staged: Mapping[Path, Path]) -> None:
    for tmp in staged.values():
        tmp.unlink(missing_ok=True)


def _stage_table(root: Path, name: str, frame: pd.DataFrame) -> dict[Path, Path]:
    if not _valid_name(name):
        raise ResultsError(f"table name {name!r} is not allowed; expected letters, digits, "
                           "'_' or '-'")
    staged: dict[Path, Path] = {}
    try:
        for final, data in (
                (root / TABLES_DIR / f"{name}.parquet", frame.to_parquet(index=False)),
                (root / TABLES_DIR / f"{name}.csv",
                 frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))):
            staged[final] = stage_file(final, data)
    except BaseException:
        _discard(staged)
        raise
    return staged


def write_table(out: str | os.PathLike[str], name: str, frame: pd.DataFrame) -> dict[str, str]:
    """Write one table as Parquet and CSV under ``out/tables``, atomically.

    Returns
    -------
    dict of str to str
        File name (relative to ``out``) -> SHA-256 of its bytes.
    """
    root = Path(out)
    staged = _stage_table(root, name, frame)
    digests = {str(final.relative_to(root)): _sha256(tmp) for final, tmp in staged.items()}
    try:
        replace_together(staged)
    finally:
        _discard(staged)
    return digests


def save_results(out: str | os.PathLike[str], tables: Mapping[str, pd.DataFrame], *,
                 run: Mapping[str, Any]) -> Path:
    """Write a results folder: every table, then ``run.json``.

    Every file is written in full before any is renamed into place (see the
    module's notes), so an error or Ctrl+C while writing leaves a folder
    already there as it was.

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

    Raises
    ------
    ResultsError
        When ``out`` is a file, or a table's name is not letters, digits, '_' or '-'.
    """
    root = Path(out)
    if root.exists() and not root.is_dir():
        raise ResultsError(f"{root} is a file; expected a results folder to write")
    staged: dict[Path, Path] = {}
    try:
        for name, frame in tables.items():
            staged.update(_stage_table(root, name, frame))
        files = {str(final.relative_to(root)): _sha256(tmp) for final, tmp in staged.items()}
        try:
            previous = _read_run(root) if (root / RUN_FILE).exists() else {}
        except ResultsError:  # unreadable or altered: its tables are not vouched for
            previous = {}
        recorded = {**previous.get("files", {}), **files}
        record = {**run, "files": dict(sorted(recorded.items()))}
        staged[root / RUN_FILE] = stage_file(root / RUN_FILE, json.dumps(
            record, indent=2, sort_keys=True, default=str).encode("utf-8"))
        replace_together(staged)  # run.json is the last key, so the last rename
    finally:
        _discard(staged)
    return root


def _read_run(root: Path) -> dict[str, Any]:
    if root.exists() and not root.is_dir():
        raise ResultsError(f"{root} is a file; expected a results folder written by "
                           "`instc scenario run`")
    try:
        data = json.loads((root / RUN_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsError(f"{root} has no {RUN_FILE}: not a results folder, or a run that "
                           "did not finish") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ResultsError(f"{root / RUN_FILE} cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise ResultsError(f"{root / RUN_FILE} does not hold a JSON object")
    files = data.get("files", {})
    if not isinstance(files, dict):
        raise ResultsError(f"{root / RUN_FILE}: 'files' is {type(files).__name__}; expected an "
                           "object of table files and their SHA-256")
    bad = [f"{rel!r}: {digest!r}" for rel, digest in files.items()
           if not (isinstance(digest, str) and _DIGEST.match(digest)
                   and (m := _LISTED.match(rel)) and _valid_name(m["name"]))]
    if bad:
        raise ResultsError(f"{root / RUN_FILE}: 'files' lists " + ", ".join(bad[:5])
                           + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
                           + f"; expected {TABLES_DIR}/NAME.parquet or .csv, each with a "
                           "SHA-256 of 64 hexadecimal digits")
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
            file = self.path / TABLES_DIR / f"{name}.parquet"
            try:
                self._cache[name] = pd.read_parquet(file)
            except (OSError, ValueError) as exc:  # pyarrow's errors derive from these
                raise ResultsError(f"{file} cannot be read as Parquet: {exc}") from None
        return self._cache[name]

    def require_columns(self, columns: Mapping[str, Sequence[str]]) -> None:
        """Check that each table present has the columns a reader needs.

        Parameters
        ----------
        columns : mapping of str to sequence of str
            Table name -> columns it must have; tables not in the folder, or
            without rows (a run may write an empty table without columns), are skipped.

        Raises
        ------
        ResultsError
            Naming every table and column missing, all at once.
        """
        missing = []
        for name, needed in columns.items():
            if name in self.table_names and len(self.table(name)):
                have = set(self.table(name).columns)
                lost = [c for c in needed if c not in have]
                if lost:
                    missing.append(f"{TABLES_DIR}/{name}.parquet has no column "
                                   + ", ".join(repr(c) for c in lost))
        if missing:
            raise ResultsError(f"{self.path}: " + "; ".join(missing) + "; expected the "
                               "tables `instc scenario run` writes (run the scenario again)")


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
        if not file.is_file():
            raise ResultsError(f"{file} is listed in {RUN_FILE} but is not a file")
        if _sha256(file) != digest:
            raise ResultsError(f"{file} differs from what {RUN_FILE} recorded (changed after "
                               "the run, or a run was interrupted while writing it)")
    return Results(root, run)
