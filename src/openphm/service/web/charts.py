"""Static charts for printable pages: matplotlib drawings as SVG data URIs, no JavaScript.

The machine report (:func:`openphm.service.web.pagedata.machine_report`) must read on paper and
in a browser with scripts off, so its trends are drawn here rather than by Plotly.js. They show
what :func:`openphm.service.web.figures.trend_figure` shows, in the same colours: the values,
the baseline's alert and danger limits dashed, and for velocity the ISO zone bands. matplotlib
is imported when the first chart is drawn, never with the service.
"""

from __future__ import annotations

import base64
import functools
import io
from datetime import UTC, datetime

import numpy as np

from openphm.service.web.figures import ZONE_COLOURS
from openphm.service.web.plots import TrendData

__all__ = ["trend_svg"]

_VALUES = "#1565c0"
_ALERT = "#ef8f00"
_DANGER = "#c62828"
#: Size of one trend chart, inches (two fit across an A4 page).
SIZE_IN = (4.6, 2.4)


@functools.cache
def _use_agg() -> None:
    """Select matplotlib's off-screen Agg backend, once, before pyplot is first imported."""
    import matplotlib

    matplotlib.use("Agg")


def trend_svg(trend: TrendData, title: str, unit: str) -> str:
    """Draw an indicator's trend with its limits (and ISO zones) as an SVG data URI.

    Parameters
    ----------
    trend : TrendData
        The values, the baseline's upper alert and danger limits and, for velocity, the ISO
        10816 / 20816 zone boundaries A/B, B/C, C/D in mm/s
        (:func:`openphm.service.web.plots.trend_data`).
    title : str
        The chart's title.
    unit : str
        The indicator's unit (``"mm/s"``, ``"g"``; ``""`` for a ratio).

    Returns
    -------
    str
        ``data:image/svg+xml;base64,...``, for an ``<img src>`` (an image keeps the ids of one
        drawing apart from another's on the same page).

    Examples
    --------
    >>> t = TrendData("kurtosis", ["2024-05-01T08:00:00+00:00"], [3.1], [1], 4.0, 6.0, None)
    >>> trend_svg(t, "DE: kurtosis", "").startswith("data:image/svg+xml;base64,")
    True
    """
    _use_agg()
    import matplotlib.pyplot as plt

    # numpy's datetime64 carries no zone: the times are drawn in UTC, as the pages show them.
    utc = [datetime.fromisoformat(t).astimezone(UTC).replace(tzinfo=None) for t in trend.times]
    times = np.array(utc, dtype="datetime64[ms]")
    fig, ax = plt.subplots(figsize=SIZE_IN, layout="constrained")
    tops = [*trend.values]
    for name, limit, colour in (("alert", trend.alert, _ALERT), ("danger", trend.danger, _DANGER)):
        if limit is not None:
            tops.append(limit)
            ax.axhline(limit, color=colour, ls="--", lw=1.2, label=f"{name} limit {limit:.3g}")
    if trend.zones_mm_s is not None:
        top = max(max(tops, default=0.0) * 1.3, trend.zones_mm_s[1] * 1.15)
        edges = [0.0, *trend.zones_mm_s, max(top, trend.zones_mm_s[2] * 1.2)]
        for letter, lo, hi, colour in zip("ABCD", edges[:-1], edges[1:], ZONE_COLOURS, strict=True):
            ax.axhspan(lo, hi, color=colour, alpha=0.6, lw=0, zorder=0)
            if lo < top:
                ax.text(
                    0.99,
                    min(hi, top) * 0.98,
                    f"zone {letter}",
                    transform=ax.get_yaxis_transform(),
                    va="top",
                    ha="right",
                    fontsize=7,
                    color="#546e7a",
                )
        ax.set_ylim(0.0, top)
    ax.plot(times, trend.values, "o-", color=_VALUES, lw=1.4, ms=3.5)
    ax.set_title(title, fontsize=9, loc="left")
    ax.set_ylabel(f"[{unit}]" if unit else "ratio", fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(color="#e5e8eb", lw=0.6)
    fig.autofmt_xdate()
    if trend.alert is not None or trend.danger is not None:
        ax.legend(fontsize=7, loc="upper left")
    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
