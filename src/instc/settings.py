"""Typed settings: every default instc uses, documented in one place.

Settings are passed explicitly; there is no global configuration. Unknown
keys are rejected, so a typo never silently falls back to a default.

Examples
--------
>>> from instc.settings import Settings
>>> s = Settings(circuity_tolerance=1.02)
>>> s.circuity_tolerance
1.02
>>> Settings(circuity_tolerence=1.0)  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
pydantic_core._pydantic_core.ValidationError: ...
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Settings"]


class Settings(BaseModel):
    """Defaults of the model, each with its unit and reason.

    Attributes
    ----------
    circuity_tolerance : float
        A link's stated distance (km) may be shorter than the great-circle
        distance between its end nodes by at most this factor before
        validation reports it (coordinates are approximate for some border
        stations): stated >= great_circle / circuity_tolerance. Dimensionless.
    great_circle_slack_km : float
        Absolute slack (km) added to that check, so that short links between
        approximate coordinates (a border bridge of 1 km) are not reported.
    earth_radius_km : float
        Mean Earth radius (km) used for great-circle distances (IUGG mean
        radius R1 = 6371.0088 km).
    tonnes_per_teu : float
        Average payload of a loaded TEU (t/TEU), used to turn TEU-priced
        costs into USD per tonne and back when a corridor gives no figure
        of its own.
    hours_per_year : float
        Hours in a year of operation (h/year), used to turn annual
        capacities (t/year) into hourly rates.
    graph_cache_size : int
        How many compiled graphs (one per year and project set) a corridor
        keeps in memory.
    min_year, max_year : int
        The years a corridor file may mention; anything outside is a typo.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    circuity_tolerance: float = Field(default=1.0, gt=0.5, le=2.0)
    great_circle_slack_km: float = Field(default=5.0, ge=0.0)
    earth_radius_km: float = Field(default=6371.0088, gt=0)
    tonnes_per_teu: float = Field(default=10.0, gt=0)
    hours_per_year: float = Field(default=8760.0, gt=0)
    graph_cache_size: int = Field(default=16, ge=0)
    min_year: int = 1900
    max_year: int = 2100
