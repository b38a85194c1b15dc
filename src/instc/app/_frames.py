"""Tables as JSON records and CSV text for the API."""

from __future__ import annotations

import pandas as pd

from instc._records import records as to_records

__all__ = ["to_csv", "to_records"]


def to_csv(frame: pd.DataFrame) -> str:
    """Return ``frame`` as CSV text; list cells joined with ``;`` as in the corridor files."""
    flat = frame.map(lambda v: ";".join(v) if isinstance(v, tuple) else v)
    text: str = flat.to_csv(index=False, lineterminator="\n")
    return text
