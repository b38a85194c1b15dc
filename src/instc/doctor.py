"""Versions of Python, instc and the libraries it uses, for bug reports."""

from __future__ import annotations

import platform
import sys
from importlib import metadata

__all__ = ["versions"]

_PACKAGES = ("numpy", "scipy", "pandas", "pydantic", "typer", "rich", "pyyaml",
             "geopandas", "pyogrio", "shapely", "pyproj", "highspy", "ortools", "simpy",
             "plotly", "jinja2", "fastapi", "dask", "distributed")


def versions() -> dict[str, str]:
    """Return component names and their versions ("not installed" where absent).

    Includes GDAL and PROJ when pyogrio and pyproj are installed.
    """
    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    try:
        out["instc"] = metadata.version("instc")
    except metadata.PackageNotFoundError:
        out["instc"] = "not installed (running from source)"
    for name in _PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    try:
        import pyogrio

        out["GDAL"] = pyogrio.__gdal_version_string__
    except ImportError:
        out["GDAL"] = "not installed (pip install 'instc[geo]')"
    try:
        import pyproj

        out["PROJ"] = pyproj.proj_version_str
    except ImportError:
        out["PROJ"] = "not installed (pip install 'instc[geo]')"
    return out
