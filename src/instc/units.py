"""Units used across instc and their conversions.

instc stores quantities in one unit each: tonnes (t), twenty-foot equivalent
units (TEU), kilometres (km), hours (h), US dollars (USD), and capacities in
tonnes per year (t/year). Conversions go through the constants here so that
one number is never written twice.
"""

from __future__ import annotations

__all__ = [
    "HOURS_PER_DAY",
    "KM_PER_NAUTICAL_MILE",
    "MT",
    "km_from_nautical_miles",
    "kmh_from_knots",
    "mt_from_tonnes",
    "tonnes_from_mt",
]

KM_PER_NAUTICAL_MILE = 1.852
"""Kilometres in one international nautical mile (exact)."""

HOURS_PER_DAY = 24.0
"""Hours in one day."""

MT = 1_000_000.0
"""Tonnes in one million tonnes (Mt)."""


def km_from_nautical_miles(nm: float) -> float:
    """Return a distance in km from nautical miles (1 nm = 1.852 km)."""
    return nm * KM_PER_NAUTICAL_MILE


def kmh_from_knots(knots: float) -> float:
    """Return a speed in km/h from knots (nautical miles per hour)."""
    return knots * KM_PER_NAUTICAL_MILE


def tonnes_from_mt(mt: float) -> float:
    """Return tonnes from million tonnes (Mt)."""
    return mt * MT


def mt_from_tonnes(tonnes: float) -> float:
    """Return million tonnes (Mt) from tonnes."""
    return tonnes / MT
