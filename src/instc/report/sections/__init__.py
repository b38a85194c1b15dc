"""The report's sections, one module each; :data:`DEFAULT_SECTIONS` orders them.

To add a section, write a function ``ReportInput -> Section | None`` in a
new module here and put it in the order below; it returns ``None`` when its
input has nothing to show. The sections that read a scenario's results
(scenario, flows, throughput, bottlenecks, routes by year, Monte Carlo)
return ``None`` in a report without results.
"""

from __future__ import annotations

from instc.report.model import SectionBuilder
from instc.report.sections.assumptions import assumptions_section
from instc.report.sections.branches import branches_section
from instc.report.sections.capacity import capacity_section
from instc.report.sections.comparison import comparison_section
from instc.report.sections.crossings import crossings_section
from instc.report.sections.flows import flows_section
from instc.report.sections.map import map_section
from instc.report.sections.monte_carlo import monte_carlo_section
from instc.report.sections.observed import observed_section
from instc.report.sections.overview import overview_section
from instc.report.sections.projects import projects_section
from instc.report.sections.scenario import (
    bottlenecks_section,
    route_years_section,
    scenario_section,
    throughput_section,
)
from instc.report.sections.sources import sources_section
from instc.report.sections.time_cost_distance import time_cost_distance_section

__all__ = ["DEFAULT_SECTIONS"]

DEFAULT_SECTIONS: tuple[SectionBuilder, ...] = (
    overview_section,
    scenario_section,
    map_section,
    flows_section,
    comparison_section,
    time_cost_distance_section,
    observed_section,
    throughput_section,
    bottlenecks_section,
    route_years_section,
    monte_carlo_section,
    branches_section,
    crossings_section,
    capacity_section,
    projects_section,
    assumptions_section,
    sources_section,
)
"""The sections of the corridor report, in page order."""
