"""The embedded INSTC corridor, shipped as package data.

``instc/data/instc/`` is a corridor folder like any other (see
``docs/corridor-format.md``); ``docs/data.md`` describes its contents and
sources. ``instc/data/observed/`` holds published door-to-door figures that
are kept out of the corridor and used only to check the model.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["instc_corridor_path", "instc_observed_path"]


def instc_corridor_path() -> Path:
    """Return the folder of the embedded INSTC corridor."""
    return Path(str(files("instc.data") / "instc"))


def instc_observed_path() -> Path:
    """Return the table of published door-to-door figures kept out of the INSTC corridor.

    They are not inputs of the model; :mod:`instc.routing.observed` sets the
    model's totals beside them.
    """
    return Path(str(files("instc.data") / "observed" / "door_to_door.csv"))
