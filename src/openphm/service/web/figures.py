"""Plotly figure specifications (``{"data": [...], "layout": {...}}``) of the dashboard's charts.

The numbers come from :mod:`openphm.service.web.plots`; this module only says how they look
(colours, axes, cursors, zone bands), so that the templates hold no science and no styling of
data. ``static/dashboard.js`` hands each specification to ``Plotly.newPlot``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openphm.service.web.plots import Cursor, Series, TrendData, WaterfallLine

__all__ = [
    "FAULT_COLOURS",
    "ZONE_COLOURS",
    "envelope_figure",
    "line_figure",
    "trend_figure",
    "waterfall_figure",
]

Figure = dict[str, Any]

#: One colour per bearing fault, as in the per-record report.
FAULT_COLOURS = {"outer": "#d62728", "inner": "#1f77b4", "ball": "#2ca02c", "cage": "#9467bd"}
#: Fill of the ISO zones A, B, C, D.
ZONE_COLOURS = ("#c8e6c9", "#f0f4c3", "#ffe0b2", "#ffcdd2")
_LINE = "#37474f"
_ALERT = "#ef8f00"
_DANGER = "#c62828"
_FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12}


def _layout(title: str, xtitle: str, ytitle: str, height: int = 300) -> dict[str, Any]:
    return {
        "title": {"text": title, "font": {"size": 13}, "x": 0.01, "xanchor": "left"},
        "height": height,
        "margin": {"l": 64, "r": 16, "t": 36, "b": 50},
        "font": _FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "xaxis": {
            "title": {"text": xtitle},
            "gridcolor": "#e5e8eb",
            "zeroline": False,
            "showline": True,
            "linecolor": "#9aa5b1",
            "automargin": True,
        },
        "yaxis": {
            "title": {"text": ytitle},
            "gridcolor": "#e5e8eb",
            "zeroline": False,
            "showline": True,
            "linecolor": "#9aa5b1",
            "automargin": True,
        },
        "showlegend": False,
        "hovermode": "closest",
    }


def _ytitle(series: Series) -> str:
    return f"{series.quantity} [{series.unit}]" if series.unit else series.quantity


def line_figure(series: Series, title: str, xtitle: str) -> Figure:
    """One line: a waveform or a spectrum.

    Parameters
    ----------
    series : Series
        The line.
    title : str
        Chart title.
    xtitle : str
        Abscissa title with its unit (``"time [s]"``).

    Returns
    -------
    dict
        The Plotly figure.
    """
    trace = {
        "type": "scatter",
        "mode": "lines",
        "x": series.x,
        "y": series.y,
        "line": {"color": _LINE, "width": 1},
        "name": series.quantity,
    }
    return {"data": [trace], "layout": _layout(title, xtitle, _ytitle(series))}


def envelope_figure(series: Series, cursors: Sequence[Cursor], title: str) -> Figure:
    """A squared-envelope spectrum with the bearings' fault-harmonic cursors.

    The cursors of the bearing the point is placed for are shown, a fault's solid when it is
    the verdict and dashed otherwise; the other bearings' are in the legend, one click away.

    Parameters
    ----------
    series : Series
        The envelope spectrum.
    cursors : sequence of Cursor
        The fault harmonics (see :func:`openphm.service.web.plots.fault_cursors`).
    title : str
        Chart title.

    Returns
    -------
    dict
        The Plotly figure.
    """
    top = max(series.y, default=1.0) or 1.0
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": series.x,
            "y": series.y,
            "line": {"color": _LINE, "width": 1},
            "name": "envelope spectrum",
        }
    ]
    xmax = series.x[-1] if series.x else 0.0
    for c in cursors:
        xs: list[float | None] = []
        ys: list[float | None] = []
        text: list[str | None] = []
        for f, label in zip(c.freqs_hz, c.labels, strict=True):
            if f > xmax:
                continue
            xs += [f, f, None]
            ys += [0.0, top * 1.05, None]
            text += [label, label, None]
        if not xs:
            continue
        verdict = " (verdict)" if c.verdict else ""
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": ys,
                "text": text,
                "hovertemplate": f"{c.bearing} %{{text}}: %{{x:.2f}} Hz<extra></extra>",
                "line": {
                    "color": FAULT_COLOURS.get(c.fault, "#607d8b"),
                    "width": 1.4 if c.verdict else 1,
                    "dash": "solid" if c.verdict else "dash",
                },
                "opacity": 0.8,
                "name": f"{c.bearing}: {c.fault}{verdict}, score {c.score:.1f}",
                "visible": True if c.primary else "legendonly",
            }
        )
    layout = _layout(title, "frequency [Hz]", _ytitle(series), height=380)
    layout["showlegend"] = len(data) > 1
    layout["legend"] = {
        "title": {"text": "fault harmonics (click to show or hide)"},
        "font": {"size": 11},
        "orientation": "v",
    }
    layout["yaxis"]["range"] = [0.0, top * 1.08]
    return {"data": data, "layout": layout}


def waterfall_figure(lines: Sequence[WaterfallLine], title: str) -> Figure:
    """Spectra of successive measurements stacked upwards, oldest at the bottom.

    Each spectrum is lifted by a constant offset (its tick names its acquisition time), the
    two-dimensional waterfall of vibration analysers: a line that grows, or a new one, stands
    out from one measurement to the next.

    Parameters
    ----------
    lines : sequence of WaterfallLine
        The spectra, oldest first.
    title : str
        Chart title.

    Returns
    -------
    dict
        The Plotly figure.
    """
    top = max((max(w.spectrum.y, default=0.0) for w in lines), default=1.0) or 1.0
    step = 0.5 * top
    data = []
    for i, w in enumerate(lines):
        shade = 0.25 + 0.55 * (i / max(len(lines) - 1, 1))
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": w.spectrum.x,
                "y": [v + i * step for v in w.spectrum.y],
                "customdata": w.spectrum.y,
                "hovertemplate": (
                    f"#{w.measurement_id} {w.acquired_at:%Y-%m-%d %H:%M}<br>"
                    "%{x:.1f} Hz: %{customdata:.3g}<extra></extra>"
                ),
                "line": {"color": f"rgba(21,101,192,{shade:.2f})", "width": 1},
                "name": f"#{w.measurement_id}",
            }
        )
    unit = lines[0].spectrum.unit if lines else ""
    layout = _layout(
        title, "frequency [Hz]", f"peak amplitude [{unit}], lifted per measurement", height=420
    )
    layout["yaxis"]["tickvals"] = [i * step for i in range(len(lines))]
    layout["yaxis"]["ticktext"] = [
        f"#{w.measurement_id} {w.acquired_at:%m-%d %H:%M}" for w in lines
    ]
    layout["margin"]["l"] = 110
    return {"data": data, "layout": layout}


def trend_figure(trend: TrendData, title: str, label: str, unit: str) -> Figure:
    """An indicator's trend with its baseline's alert and danger limits and the ISO zone bands.

    Parameters
    ----------
    trend : TrendData
        The values and limits.
    title : str
        Chart title.
    label : str
        The indicator's name for people (``"velocity r.m.s."``), for the trace.
    unit : str
        The indicator's unit (``"mm/s"``, ``"g"``, ``""`` for a ratio).

    Returns
    -------
    dict
        The Plotly figure.
    """
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "x": trend.times,
            "y": trend.values,
            "customdata": trend.measurement_ids,
            "hovertemplate": "#%{customdata} %{x}<br>%{y:.4g}<extra></extra>",
            "line": {"color": "#1565c0", "width": 1.5},
            "marker": {"size": 5},
            "name": label,
        }
    ]
    shapes: list[dict[str, Any]] = []
    values = [*trend.values]
    for name, limit, colour in (("alert", trend.alert, _ALERT), ("danger", trend.danger, _DANGER)):
        if limit is None:
            continue
        values.append(limit)
        shapes.append(
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": limit,
                "y1": limit,
                "line": {"color": colour, "width": 1.5, "dash": "dash"},
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": [None],
                "y": [None],
                "line": {"color": colour, "dash": "dash"},
                "name": f"{name} limit {limit:.3g}",
            }
        )
    if trend.zones_mm_s is not None:
        edges = [0.0, *trend.zones_mm_s]
        # Up to zone C at least, so that the distance to it shows; the values decide beyond.
        top = max(max(values, default=0.0) * 1.3, trend.zones_mm_s[1] * 1.15)
        edges.append(max(top, trend.zones_mm_s[2] * 1.2))
        for letter, lo, hi, colour in zip("ABCD", edges[:-1], edges[1:], ZONE_COLOURS, strict=True):
            shapes.append(
                {
                    "type": "rect",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": lo,
                    "y1": hi,
                    "fillcolor": colour,
                    "opacity": 0.6,
                    "line": {"width": 0},
                    "layer": "below",
                    "label": {
                        "text": f"zone {letter}",
                        "textposition": "top right",
                        "font": {"size": 10, "color": "#546e7a"},
                    },
                }
            )
    # The title names the indicator: the axis keeps to its unit, which fits a small chart.
    layout = _layout(title, "acquired", f"[{unit}]" if unit else "ratio")
    layout["shapes"] = shapes
    layout["height"] = 260
    layout["showlegend"] = len(data) > 1
    layout["legend"] = {"orientation": "h", "y": -0.3, "font": {"size": 11}}
    if trend.zones_mm_s is not None:
        layout["yaxis"]["range"] = [0.0, top]
    layout["xaxis"]["nticks"] = 6
    layout["xaxis"]["automargin"] = True
    return {"data": data, "layout": layout}
