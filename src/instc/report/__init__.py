"""The corridor report: one self-contained HTML page, CSV tables and chart images.

The page works with no network: plotly.js, Leaflet and the Natural Earth
country outlines are inlined from packages (``report`` extra: jinja2,
plotly, matplotlib). A report is a list of sections, each a function
``ReportInput -> Section | None`` (see :mod:`instc.report.model`).

Examples
--------
>>> import instc
>>> from instc.report import build_report
>>> report = build_report(instc.load_corridor(), year=2024)  # doctest: +SKIP
>>> report.save("instc-report")                               # doctest: +SKIP
"""

from instc.report.build import Report, build_report, build_results_report, save_report
from instc.report.model import Chart, ReportInput, RoutePair, Section, SectionBuilder, Table

__all__ = [
    "Chart",
    "Report",
    "ReportInput",
    "RoutePair",
    "Section",
    "SectionBuilder",
    "Table",
    "build_report",
    "build_results_report",
    "save_report",
]
