"""The report's sections, one module each; :data:`DEFAULT_SECTIONS` orders them.

To add a section (a route comparison, time/cost-distance charts, flows,
bottlenecks), write a function ``ReportInput -> Section | None`` in a new
module here and put it in the order below; it returns ``None`` when its
input has nothing to show.
"""

from __future__ import annotations

from instc.report.model import SectionBuilder
from instc.report.sections.assumptions import assumptions_section
from instc.report.sections.branches import branches_section
from instc.report.sections.capacity import capacity_section
from instc.report.sections.crossings import crossings_section
from instc.report.sections.map import map_section
from instc.report.sections.overview import overview_section
from instc.report.sections.projects import projects_section
from instc.report.sections.sources import sources_section

__all__ = ["DEFAULT_SECTIONS"]

DEFAULT_SECTIONS: tuple[SectionBuilder, ...] = (
    overview_section,
    map_section,
    branches_section,
    crossings_section,
    capacity_section,
    projects_section,
    assumptions_section,
    sources_section,
)
"""The sections of the corridor report, in page order."""
