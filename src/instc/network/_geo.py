"""Great-circle distances."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["great_circle_km"]


def great_circle_km(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike,
    *, radius_km: float = 6371.0088,
) -> float:
    """Return the great-circle distance (km) between two points (degrees, WGS 84).

    Uses the haversine formula on a sphere of radius ``radius_km``:
    ``d = 2 R asin(sqrt(sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2)))``.
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(lon2) - np.radians(lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return float(2 * radius_km * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))
