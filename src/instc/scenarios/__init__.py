"""Scenarios: scenario files, year timelines, distributions and sweeps."""
