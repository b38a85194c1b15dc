"""Time the corridor report on the embedded INSTC corridor, phase by phase.

Prints the seconds spent loading the corridor, building the sections,
rendering the page, drawing the static charts, and the total, against the
issue's goal (`make run` finishes the report in under 30 s). Writes into a
temporary folder it removes afterwards.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

GOAL_S = 30.0


def main() -> int:
    start = time.perf_counter()
    phases: list[tuple[str, float]] = []

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        phases.append((name, now - since))
        return now

    t = time.perf_counter()
    import instc
    from instc.report import build_report
    from instc.report._assets import plotly_js
    from instc.report.charts import save_static

    t = lap("import", t)
    corridor = instc.load_corridor()
    t = lap("load corridor", t)
    report = build_report(corridor, year=2024)
    t = lap("build sections", t)
    plotly_js()
    t = lap("read plotly.js", t)
    html = report.to_html()
    t = lap("render page", t)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        (out / "index.html").write_text(html, encoding="utf-8")
        t = lap("write page", t)
        charts = [c for s in report.sections for c in (*s.charts, *s.exports)]
        for chart in charts:
            save_static(chart, out / "charts")
        t = lap(f"static charts ({len(charts)} × PNG+SVG)", t)
    total = time.perf_counter() - start
    width = max(len(name) for name, _ in phases)
    print(f"instc report on the embedded INSTC corridor, year 2024 "
          f"(page {len(html) / 1e6:.1f} MB, {len(report.sections)} sections)")
    for name, seconds in phases:
        print(f"  {name:<{width}}  {seconds:7.2f} s")
    print(f"  {'total':<{width}}  {total:7.2f} s   goal < {GOAL_S:.0f} s: "
          + ("met" if total < GOAL_S else "NOT MET"))
    return 0 if total < GOAL_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
