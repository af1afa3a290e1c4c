"""The main job on the shipped excerpt of real data, end to end, for ``openphm demo``.

Diagnoses the three CWRU records of ``data/demo`` (inner race, outer race, normal) with the physics
chain and follows the FEMTO Bearing1_1 snapshots from new to failed with time-domain indicators
(r.m.s. and kurtosis, which rise as the bearing wears), then writes a small HTML report folder.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from openphm.acquire import read
from openphm.acquire.datasets.femto import read_femto
from openphm.acquire.datasets.paths import demo_path
from openphm.core.diagnosis import Diagnosis
from openphm.core.errors import ConfigError
from openphm.core.serialize import Serializable
from openphm.diagnose import diagnose_bearing
from openphm.diagnose.report import write_report
from openphm.signal.indicators import time_indicators

__all__ = [
    "CWRU_DEMO_RECORDS",
    "DemoDiagnosis",
    "DemoResult",
    "TrendPoint",
    "diagnose_demo_record",
    "femto_trend",
    "run_demo",
]

#: The CWRU records of the excerpt, in the order the demo shows them.
CWRU_DEMO_RECORDS = ("105", "130", "97")
#: The bearing of the CWRU drive end.
CWRU_BEARING = "6205"
#: Name of the trend plot in the report folder.
TREND_IMAGE = "femto-trend.png"


@dataclass(frozen=True)
class DemoDiagnosis(Serializable):
    """The diagnosis of one CWRU record of the excerpt.

    Parameters
    ----------
    record : str
        CWRU record number.
    label : str
        The labelled condition (``"inner"``, ``"outer"``, ``"healthy"``).
    report : str
        Name of its HTML report in the report folder.
    diagnosis : Diagnosis
        The full diagnosis.
    """

    record: str
    label: str
    report: str
    diagnosis: Diagnosis


@dataclass(frozen=True)
class TrendPoint(Serializable):
    """Indicators of one FEMTO snapshot.

    Parameters
    ----------
    snapshot : int
        Snapshot number.
    time_h : float
        Test time, h.
    rms_g : float
        r.m.s. of the horizontal acceleration, g.
    kurtosis : float
        Its kurtosis (3 for Gaussian noise).
    """

    snapshot: int
    time_h: float
    rms_g: float
    kurtosis: float


@dataclass(frozen=True)
class DemoResult(Serializable):
    """Everything the demo found and wrote.

    Parameters
    ----------
    cwru : tuple of DemoDiagnosis
        The CWRU diagnoses.
    femto_bearing1_1 : tuple of TrendPoint
        FEMTO Bearing1_1 from new to failed.
    report : str
        Path of the report's index page.
    """

    cwru: tuple[DemoDiagnosis, ...]
    femto_bearing1_1: tuple[TrendPoint, ...]
    report: str


def diagnose_demo_record(record: str, out: Path) -> DemoDiagnosis:
    """Diagnose the drive-end channel of a CWRU record of the excerpt and write its report.

    Parameters
    ----------
    record : str
        Record number (one of :data:`CWRU_DEMO_RECORDS`).
    out : pathlib.Path
        Report folder (existing).

    Returns
    -------
    DemoDiagnosis
        The diagnosis, the record's label and the report's name.
    """
    rec = read(demo_path(f"cwru/{record}.mat.xz"))
    wave = rec["DE"]
    diag = diagnose_bearing(wave, CWRU_BEARING)
    report = f"cwru-{record}.html"
    write_report(out / report, wave, diag)
    return DemoDiagnosis(record, str(rec.metadata.get("fault", "")), report, diag)


def femto_trend() -> tuple[str, tuple[TrendPoint, ...]]:
    """r.m.s. and kurtosis of every horizontal snapshot of FEMTO Bearing1_1 in the excerpt.

    Returns
    -------
    str
        The bearing's name.
    tuple of TrendPoint
        One point per snapshot, in test order.
    """
    bearing = read_femto(demo_path("femto/Bearing1_1.zip"))
    points = []
    for k, t_s, x in zip(bearing.snapshot_numbers, bearing.times_s, bearing.horiz, strict=True):
        ind = time_indicators(x)
        points.append(TrendPoint(int(k), float(t_s) / 3600.0, ind["rms"], ind["kurtosis"]))
    return bearing.name, tuple(points)


def _plot_trend(path: Path, name: str, points: tuple[TrendPoint, ...]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_rms, ax_kurt) = plt.subplots(2, 1, figsize=(7, 5), sharex=True)
    hours = [p.time_h for p in points]
    ax_rms.plot(hours, [p.rms_g for p in points], "o:", lw=0.8)
    ax_rms.set_ylabel("RMS (g)")
    ax_rms.set_title(f"FEMTO {name}, horizontal: snapshots from new to failure")
    ax_kurt.plot(hours, [p.kurtosis for p in points], "o:", lw=0.8, color="tab:red")
    ax_kurt.axhline(3.0, color="grey", lw=0.8, ls="--", label="Gaussian (3)")
    ax_kurt.set_ylabel("kurtosis (-)")
    ax_kurt.set_xlabel("test time (h)")
    ax_kurt.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _index_html(cwru: tuple[DemoDiagnosis, ...], points: tuple[TrendPoint, ...]) -> str:
    cwru_rows = "".join(
        f"<tr><td>{r.record}</td><td>{html.escape(r.label)}</td><td><b>"
        f"{html.escape(r.diagnosis.verdict)}</b></td><td>{r.diagnosis.confidence:.2f}</td>"
        f"<td><a href='{r.report}'>report</a></td></tr>"
        for r in cwru
    )
    femto_table = "".join(
        f"<tr><td>{p.snapshot}</td><td>{p.time_h:.2f}</td><td>{p.rms_g:.3f}</td>"
        f"<td>{p.kurtosis:.2f}</td></tr>"
        for p in points
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>openphm demo</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.2em .6em}}</style></head>
<body><h1>openphm demo</h1>
<p>Real data from the excerpt in <code>data/demo</code> (see its ATTRIBUTION.md).</p>
<h2>Bearing diagnosis, CWRU drive-end bearing (SKF 6205)</h2>
<table><tr><th>record</th><th>label</th><th>verdict</th><th>confidence</th><th></th></tr>
{cwru_rows}</table>
<h2>Run to failure, FEMTO/PRONOSTIA Bearing1_1</h2>
<img src="{TREND_IMAGE}" alt="RMS and kurtosis trend">
<table><tr><th>snapshot</th><th>time (h)</th><th>RMS (g)</th><th>kurtosis</th></tr>
{femto_table}</table>
</body></html>
"""


def run_demo(
    out: Path,
    progress: Callable[[Iterable[str]], Iterable[str]] = lambda records: records,
) -> DemoResult:
    """Run the demo and write its report folder: one HTML report per CWRU record, the FEMTO
    trend plot, ``index.html`` and ``summary.json`` (the result as JSON).

    Parameters
    ----------
    out : pathlib.Path
        Report folder (created).
    progress : callable, optional
        Wraps the iteration over the CWRU records (a progress bar).

    Returns
    -------
    DemoResult
        What the demo found.

    Raises
    ------
    ConfigError
        ``out`` is a file (or a device such as ``/dev/null``) or cannot be created.
    """
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out}: exists and is not a folder; the demo writes a report folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{out}: cannot create the report folder ({exc.strerror})") from None
    cwru = tuple(diagnose_demo_record(record, out) for record in progress(CWRU_DEMO_RECORDS))
    name, points = femto_trend()
    _plot_trend(out / TREND_IMAGE, name, points)
    index = out / "index.html"
    index.write_text(_index_html(cwru, points), encoding="utf-8")
    result = DemoResult(cwru, points, str(index))
    (out / "summary.json").write_text(json.dumps(result.to_dict(), indent=2), "utf-8")
    return result
