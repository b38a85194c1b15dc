"""The corridor in the report's year: what it holds, km by branch and mode."""

from __future__ import annotations

from instc.report.model import ReportInput, Section, Table, format_value, ranged

__all__ = ["overview_section"]


def overview_section(inp: ReportInput) -> Section:
    """Return the overview: size of the network and km by branch and mode in the year."""
    corridor, s = inp.corridor, inp.summary
    meta = corridor.meta
    intro = [meta.description] if meta.description else []
    graph = corridor.graph(inp.year)
    intro.append(f"In {inp.year} the compiled network has {graph.n_vertices:,} vertices "
                 f"(node × mode) and {graph.n_edges:,} edges."
                 + (f" Money is in US dollars of {meta.price_year}." if meta.price_year else ""))
    overview = Table("overview", f"Elements in service in {inp.year}", s.overview,
                     {"": "item", "count": lambda r: format_value(r["count"])})
    by_mode = Table("km_by_branch_mode", "Links and km by branch and mode",
                    s.by_mode_branch,
                    {"branch": "branch", "mode": "mode", "links": "links",
                     "km": lambda r: ranged(r, "km")},
                    note="km: sum of the links tagged with the branch, alternatives included "
                         "(not the length of one route); central value with low–high in "
                         "brackets where sources disagree.")
    return Section("overview", f"{meta.title or meta.name} in {inp.year}",
                   intro=tuple(intro), tables=(overview, by_mode))
