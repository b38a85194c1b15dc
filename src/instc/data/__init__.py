"""The embedded INSTC corridor, shipped as package data.

``instc/data/instc/`` is a corridor folder like any other (see
``docs/corridor-format.md``); ``docs/data.md`` describes its contents and
sources.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["instc_corridor_path"]


def instc_corridor_path() -> Path:
    """Return the folder of the embedded INSTC corridor."""
    return Path(str(files("instc.data") / "instc"))
