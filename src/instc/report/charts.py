"""Charts: plotly figures as plain dicts, and their static PNG/SVG export.

A chart is a plotly figure written as a plain ``{"data": [...], "layout":
{...}}`` dict, so building one needs no plotly Python objects; the page draws
it with the inlined plotly.js. For slide decks the same dict is drawn again
with matplotlib (:func:`save_static`), which needs no browser — plotly's own
static export (kaleido) drives a headless Chromium, too heavy for ``make
run``. The static export understands the trace and layout keys the report
uses: ``scatter`` (lines, markers, step lines, dashes, error bars) and
``bar`` (vertical or horizontal, stacked, with a ``base``, error bars).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from instc._optional import import_optional
from instc.report.model import Chart

__all__ = ["BRANCH_COLORS", "MODE_COLORS", "figure", "figure_json", "save_static"]

MODE_COLORS: dict[str, str] = {
    "rail_1520": "#b2182b",
    "rail_1435": "#e08214",
    "rail_1676": "#8c510a",
    "road": "#636363",
    "caspian_sea": "#2166ac",
    "deep_sea": "#4393c3",
    "inland_water": "#1b7837",
}
"""Colour of each mode on maps and charts."""

BRANCH_COLORS: tuple[str, ...] = (
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666",
)
"""Colours given to branches in the order ``corridor.yaml`` lists them."""

_DASH = {"solid": "-", "dash": "--", "dot": ":", "dashdot": "-."}
_SYMBOL = {"circle": "o", "diamond": "D", "square": "s", "x": "x", "triangle-up": "^",
           "line-ns": "|", "star": "*"}


def figure(data: Sequence[Mapping[str, Any]], *, title: str = "", x_title: str = "",
           y_title: str = "", height: int = 420, **layout: Any) -> dict[str, Any]:
    """Return a plotly figure dict with the report's layout defaults.

    Parameters
    ----------
    data : sequence of dict
        Plotly traces.
    title, x_title, y_title : str
        Chart and axis titles.
    height : int
        Height in pixels.
    **layout
        More layout keys, merged over the defaults (``xaxis``/``yaxis``
        dicts are merged key by key).
    """
    base: dict[str, Any] = {
        "title": {"text": title},
        "height": height,
        "margin": {"l": 60, "r": 20, "t": 50 if title else 20, "b": 50},
        "xaxis": {"title": {"text": x_title}, "automargin": True},
        "yaxis": {"title": {"text": y_title}, "automargin": True},
        "legend": {"orientation": "v"},
        "template": "plotly_white",
        "font": {"family": "system-ui, sans-serif", "size": 12},
    }
    for key, value in layout.items():
        if key in ("xaxis", "yaxis") and isinstance(value, Mapping):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return {"data": [dict(trace) for trace in data], "layout": base}


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, tuple | set):
        return list(value)
    raise TypeError(f"not JSON-serialisable: {type(value).__name__}")


def figure_json(fig: Mapping[str, Any]) -> str:
    """Return ``fig`` as JSON safe to place inside an HTML ``<script>`` element.

    NaN becomes ``null`` (plotly draws a gap) and ``</`` is escaped.
    """
    def clean(value: Any) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            return None
        if isinstance(value, Mapping):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        if isinstance(value, np.ndarray):
            return clean(value.tolist())
        return value

    text = json.dumps(clean(fig), default=_plain, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":"))
    return text.replace("</", "<\\/")


# -- static export -----------------------------------------------------------

def _text(value: Any) -> str:
    if isinstance(value, Mapping):
        return str(value.get("text", ""))
    return str(value or "")


def _error(trace: Mapping[str, Any], axis: str, n: int) -> Any:
    spec = trace.get(f"error_{axis}")
    if not spec or not spec.get("visible", True) or "array" not in spec:
        return None
    plus = np.asarray([np.nan if v is None else v for v in spec["array"]], dtype=float)
    minus = spec.get("arrayminus", spec["array"])
    minus = np.asarray([np.nan if v is None else v for v in minus], dtype=float)
    return np.nan_to_num(np.vstack([minus[:n], plus[:n]]))


def _positions(values: Sequence[Any], categories: Sequence[Any] | None) -> list[Any]:
    """Return ``values`` as numbers: positions in ``categories`` when the axis has them."""
    if categories is None:
        return [np.nan if v is None else v for v in values]
    index = {c: i for i, c in enumerate(categories)}
    return [index.get(v, np.nan) for v in values]


def _draw_scatter(ax: Any, trace: Mapping[str, Any], xcats: Sequence[Any] | None,
                  ycats: Sequence[Any] | None) -> None:
    x = _positions(list(trace.get("x", [])), xcats)
    y = _positions(list(trace.get("y", [])), ycats)
    mode = trace.get("mode", "lines+markers")
    line = trace.get("line", {})
    marker = trace.get("marker", {})
    color = line.get("color") or marker.get("color")
    color = color if isinstance(color, str) else None
    label = trace.get("name") if trace.get("showlegend", True) else None
    kwargs: dict[str, Any] = {"label": label, "color": color}
    if "lines" in mode:
        kwargs["linestyle"] = _DASH.get(line.get("dash", "solid"), "-")
        kwargs["linewidth"] = line.get("width", 2) * 0.75
        if line.get("shape") == "hv":
            kwargs["drawstyle"] = "steps-post"
    else:
        kwargs["linestyle"] = "none"
    if "markers" in mode:
        symbol = str(marker.get("symbol", "circle"))
        kwargs["marker"] = _SYMBOL.get(symbol.removesuffix("-open"), "o")
        if symbol.endswith("-open"):
            kwargs["markerfacecolor"] = "none"
        kwargs["markersize"] = marker.get("size", 6) * 0.8
    xerr, yerr = _error(trace, "x", len(x)), _error(trace, "y", len(y))
    if xerr is not None or yerr is not None:
        ax.errorbar(x, y, xerr=xerr, yerr=yerr, capsize=2, **kwargs)
    else:
        ax.plot(x, y, **kwargs)
    if "text" in mode:
        for xi, yi, label in zip(x, y, trace.get("text", []), strict=False):
            ax.annotate(str(label), (xi, yi), xytext=(6, 0), textcoords="offset points",
                        fontsize=7, va="center")


def _draw_bar(ax: Any, trace: Mapping[str, Any], stacks: dict[Any, float],
              stacked: bool, categories: Sequence[Any] | None) -> None:
    horizontal = trace.get("orientation") == "h"
    cats = _positions(list(trace.get("y" if horizontal else "x", [])), categories)
    values = np.asarray([0.0 if v is None else v for v in
                         trace.get("x" if horizontal else "y", [])], dtype=float)
    base = trace.get("base")
    if base is not None:
        bases = np.broadcast_to(np.asarray(base, dtype=float), values.shape)
    elif stacked:
        bases = np.asarray([stacks.get(c, 0.0) for c in cats], dtype=float)
        for c, v in zip(cats, values, strict=True):
            stacks[c] = stacks.get(c, 0.0) + v
    else:
        bases = np.zeros_like(values)
    color = trace.get("marker", {}).get("color")
    kwargs: dict[str, Any] = {
        "label": trace.get("name") if trace.get("showlegend", True) else None,
        "color": color if isinstance(color, str | list) else None,
    }
    err = _error(trace, "x" if horizontal else "y", len(values))
    if horizontal:
        ax.barh(cats, values, left=bases, xerr=err, **kwargs)
    else:
        ax.bar(cats, values, bottom=bases, yerr=err, **kwargs)


def _categories(traces: Sequence[Mapping[str, Any]], axis: str,
                spec: Mapping[str, Any]) -> list[Any] | None:
    """Return the category order of an axis holding text values, or ``None`` if numeric."""
    if "categoryarray" in spec:
        return list(spec["categoryarray"])
    seen: dict[Any, None] = {}
    for trace in traces:
        for value in trace.get(axis, []):
            if isinstance(value, str):
                seen.setdefault(value, None)
    return list(seen) if seen else None


def save_static(chart: Chart, folder: str | Path, *,
                formats: Sequence[str] = ("png", "svg")) -> list[Path]:
    """Draw ``chart`` with matplotlib and write ``<folder>/<name>.<format>``.

    Needs the ``report`` extra (matplotlib). Traces other than ``scatter``
    and ``bar`` are not drawn.

    Returns
    -------
    list of Path
        The files written.
    """
    import_optional("matplotlib", extra="report")
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    fig_dict = chart.figure
    layout = fig_dict.get("layout", {})
    xaxis, yaxis = layout.get("xaxis", {}), layout.get("yaxis", {})
    traces = list(fig_dict.get("data", []))
    xcats, ycats = _categories(traces, "x", xaxis), _categories(traces, "y", yaxis)
    n_legend = sum(1 for t in traces if t.get("name") and t.get("showlegend", True))
    many = n_legend > 12
    height_in = max(3.0, layout.get("height", 420) / 100) + (0.16 * n_legend / 2 if many else 0)
    fig = Figure(figsize=(11, height_in), dpi=120, layout="constrained")
    ax = fig.add_subplot()
    stacks: dict[Any, float] = {}
    stacked = layout.get("barmode") == "stack"
    ax2 = None
    for trace in traces:
        kind = trace.get("type", "scatter")
        if kind == "scatter" and trace.get("yaxis") == "y2":
            if ax2 is None:
                ax2 = ax.twinx()
                ax2.set_ylabel(_text(layout.get("yaxis2", {}).get("title")))
            _draw_scatter(ax2, trace, xcats, None)
        elif kind == "scatter":
            _draw_scatter(ax, trace, xcats, ycats)
        elif kind == "bar":
            horizontal = trace.get("orientation") == "h"
            _draw_bar(ax, trace, stacks, stacked, ycats if horizontal else xcats)
    for shape in layout.get("shapes", []):
        line = shape.get("line", {})
        style = {"color": line.get("color", "#333333"),
                 "linestyle": _DASH.get(line.get("dash", "solid"), "-"), "linewidth": 1}
        if shape.get("type") == "line" and shape.get("yref") == "paper":
            ax.axvline(shape["x0"], **style)
        elif shape.get("type") == "line" and shape.get("xref") == "paper":
            ax.axhline(shape["y0"], **style)
    if xcats is not None:
        ax.set_xticks(range(len(xcats)), [str(c) for c in xcats])
    if ycats is not None:
        ax.set_yticks(range(len(ycats)), [str(c) for c in ycats])
    ax.set_title(_text(layout.get("title")) or chart.title, loc="left", fontsize=11)
    ax.set_xlabel(_text(xaxis.get("title")))
    ax.set_ylabel(_text(yaxis.get("title")))
    if yaxis.get("type") == "log":
        ax.set_yscale("log")
    if xaxis.get("type") == "log":
        ax.set_xscale("log")
    if yaxis.get("autorange") == "reversed":
        ax.invert_yaxis()
    if yaxis.get("scaleanchor") == "x":
        ax.set_aspect(yaxis.get("scaleratio", 1.0))
    if "range" in yaxis and yaxis.get("type") != "log":
        ax.set_ylim(*yaxis["range"])
    if "range" in xaxis and xaxis.get("type") != "log":
        ax.set_xlim(*xaxis["range"])
    if "dtick" in xaxis and xaxis.get("type") != "log":
        ax.xaxis.set_major_locator(MultipleLocator(xaxis["dtick"]))
    for axis, spec in ((ax.xaxis, xaxis), (ax.yaxis, yaxis)):
        if spec.get("type") == "log":
            axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.grid(True, alpha=0.3)
    handles, labels = ax.get_legend_handles_labels()
    if ax2 is not None:
        ax2.set_ylim(bottom=0)
        more = ax2.get_legend_handles_labels()
        handles, labels = handles + more[0], labels + more[1]
    if many:
        fig.legend(handles, labels, loc="outside lower center", ncols=2, fontsize=7,
                   frameon=False)
    elif labels:
        ax.legend(handles, labels, fontsize=7, loc="center left",
                  bbox_to_anchor=(1.08 if ax2 is not None else 1.01, 0.5), frameon=False)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = out / f"{chart.name}.{fmt}"
        tmp = out / f".{chart.name}.{fmt}.tmp"
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        # A fixed salt makes the SVG's element ids, and so the file, reproducible.
        with rc_context({"svg.hashsalt": "instc"}):
            fig.savefig(tmp, format=fmt, metadata=metadata)
        os.replace(tmp, path)
        written.append(path)
    return written
