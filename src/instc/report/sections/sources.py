"""The corridor's sources, how much each is cited, and the confidence of its numbers."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from instc.report.model import ReportInput, Section, Table, format_value

__all__ = ["sources_section"]


def citations(inp: ReportInput) -> pd.DataFrame:
    """Count the cells citing each source id, and the tables they are in.

    A citation is a source id in a ``source`` or ``<column>_source`` cell
    (a list of ids counts once per id).
    """
    counts: Counter[str] = Counter()
    tables: dict[str, set[str]] = {}
    for name, frame in inp.corridor.tables().items():
        for column in frame.columns:
            if column != "source" and not str(column).endswith("_source"):
                continue
            for cell in frame[column]:
                if isinstance(cell, str):
                    cell = cell.split(";")
                if not isinstance(cell, tuple | list):
                    continue
                for sid in {str(s).strip() for s in cell if str(s).strip()}:
                    counts[sid] += 1
                    tables.setdefault(sid, set()).add(name)
    ids = list(inp.corridor.sources["id"])
    return pd.DataFrame({"id": ids, "citations": [counts.get(i, 0) for i in ids],
                         "tables": [", ".join(sorted(tables.get(i, ()))) for i in ids]})


def sources_section(inp: ReportInput) -> Section | None:
    """Return the sources with their quality and citations, and numbers by confidence."""
    sources = inp.corridor.sources
    if sources.empty:
        return None
    frame = sources.merge(citations(inp), on="id", how="left")
    columns = [c for c in ("id", "title", "publisher", "year", "quality", "citations",
                           "tables", "url", "note") if c in frame.columns]
    frame = frame[columns]
    confidence = Table("confidence", "Sourced numbers by confidence", inp.summary.confidence,
                       note="measured: an observation or official statistic; "
                            "published_estimate: a figure a source states; computed: derived "
                            "here from a named dataset or tool; assumption: no source gives "
                            "it, the row's note says why the value is reasonable.")
    table = Table("sources", "Sources", frame, {
        "id": "id", "title": "title", "publisher": "publisher",
        "year": lambda r: format_value(r["year"]).replace(",", ""),
        "quality": "quality", "cited by": "citations", "in tables": "tables",
        "address": "url"},
        note="quality: the source's own standing (high, medium, low); cited by: number of "
             "cells in the corridor files naming it. Addresses are given as text; the "
             "report opens none of them.")
    return Section("sources", "Sources and confidence", tables=(confidence, table))
