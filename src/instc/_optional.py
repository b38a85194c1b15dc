"""Lazy import of optional dependencies, naming the extra that provides them."""

from __future__ import annotations

import importlib
from types import ModuleType

from instc.errors import MissingExtraError

__all__ = ["import_optional"]


def import_optional(module: str, *, extra: str) -> ModuleType:
    """Import ``module`` or raise an error that says which extra installs it.

    Raises
    ------
    MissingExtraError
        When the module is not installed.
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(
            f"{module!r} is needed for this; install it with: pip install 'instc[{extra}]'"
        ) from exc
