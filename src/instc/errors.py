"""One exception tree for instc.

Every error raised on purpose by instc derives from :class:`InstcError` and
also from the matching built-in exception, so callers may catch either
(``except KeyError`` keeps working for an unknown node).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "CorridorValidationError",
    "InstcError",
    "MissingExtraError",
    "Problem",
    "UnknownNodeError",
    "UnreachableError",
]


class InstcError(Exception):
    """Base class of every error instc raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a corridor.

    Parameters
    ----------
    file : str
        File name inside the corridor folder (``"links.csv"``), or the
        table name when the corridor came from DataFrames.
    row : int or None
        1-based line number in the file, counting the header as line 1, so
        it matches what a text editor or spreadsheet shows; ``None`` when the
        problem concerns the whole file.
    column : str or None
        Column name, or ``None`` when the problem concerns a whole row or file.
    message : str
        What is wrong and what is expected, naming the bad value with ``!r``.
    severity : str
        ``"error"`` (the corridor cannot be used) or ``"warning"``.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    severity: str = "error"

    def location(self) -> str:
        """Return ``file:row:column`` with the parts that are known."""
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"


class CorridorValidationError(ValueError, InstcError):
    """A corridor has one or more problems; all of them are in ``problems``."""

    def __init__(self, problems: Iterable[Problem], *, where: str = "corridor") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.where = where
        errors = [p for p in self.problems if p.severity == "error"]
        lines = [f"{len(errors)} problem(s) in {where}:"]
        lines += [f"  {p}" for p in errors]
        super().__init__("\n".join(lines))


class UnknownNodeError(KeyError, InstcError):
    """A node id or name is not in the corridor."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "unknown node"


class UnreachableError(ValueError, InstcError):
    """No path joins an origin and a destination in the compiled graph."""


class MissingExtraError(ImportError, InstcError):
    """An optional dependency is needed; the message names the extra to install."""
