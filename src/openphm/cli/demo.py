"""``openphm demo``: the main job on the shipped excerpt of real data, end to end.

Diagnoses the three CWRU records of ``data/demo`` (inner race, outer race, normal) with the physics
chain and follows the FEMTO Bearing1_1 snapshots from new to failed with time-domain indicators,
then writes a small HTML report folder.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from openphm.acquire import read
from openphm.acquire.datasets.femto import read_femto
from openphm.acquire.datasets.paths import demo_path
from openphm.cli.output import console, print_json, print_table, track
from openphm.diagnose import diagnose_bearing
from openphm.diagnose.report import write_report
from openphm.signal.indicators import time_indicators

#: The CWRU records of the excerpt, in the order the demo shows them.
CWRU_DEMO_RECORDS = ("105", "130", "97")


@dataclass(frozen=True)
class _CwruResult:
    record: str
    label: str
    verdict: str
    confidence: float
    report: str
    payload: dict[str, Any]


def _diagnose_cwru(record: str, out: Path) -> _CwruResult:
    rec = read(demo_path(f"cwru/{record}.mat.xz"))
    wave = rec["DE"]
    diag = diagnose_bearing(wave, "6205")
    report = f"cwru-{record}.html"
    write_report(out / report, wave, diag)
    return _CwruResult(
        record=record,
        label=str(rec.metadata.get("fault", "")),
        verdict=diag.verdict,
        confidence=diag.confidence,
        report=report,
        payload=diag.to_dict(),
    )


def _femto_trend(out: Path) -> tuple[list[dict[str, float]], str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bearing = read_femto(demo_path("femto/Bearing1_1.zip"))
    rows = []
    for k, t_s, x in zip(bearing.snapshot_numbers, bearing.times_s, bearing.horiz, strict=True):
        ind = time_indicators(x)
        rows.append(
            {
                "snapshot": int(k),
                "time_h": float(t_s) / 3600.0,
                "rms_g": ind["rms"],
                "kurtosis": ind["kurtosis"],
            }
        )
    fig, (ax_rms, ax_kurt) = plt.subplots(2, 1, figsize=(7, 5), sharex=True)
    hours = [r["time_h"] for r in rows]
    ax_rms.plot(hours, [r["rms_g"] for r in rows], "o:", lw=0.8)
    ax_rms.set_ylabel("RMS (g)")
    ax_rms.set_title(f"FEMTO {bearing.name}, horizontal: snapshots from new to failure")
    ax_kurt.plot(hours, [r["kurtosis"] for r in rows], "o:", lw=0.8, color="tab:red")
    ax_kurt.axhline(3.0, color="grey", lw=0.8, ls="--", label="Gaussian (3)")
    ax_kurt.set_ylabel("kurtosis (-)")
    ax_kurt.set_xlabel("test time (h)")
    ax_kurt.legend(loc="upper left")
    fig.tight_layout()
    image = "femto-trend.png"
    fig.savefig(out / image, dpi=110)
    plt.close(fig)
    return rows, image


def _index_html(cwru: list[_CwruResult], femto_rows: list[dict[str, float]], image: str) -> str:
    cwru_rows = "".join(
        f"<tr><td>{r.record}</td><td>{html.escape(r.label)}</td><td><b>{html.escape(r.verdict)}"
        f"</b></td><td>{r.confidence:.2f}</td><td><a href='{r.report}'>report</a></td></tr>"
        for r in cwru
    )
    femto_table = "".join(
        f"<tr><td>{int(r['snapshot'])}</td><td>{r['time_h']:.2f}</td><td>{r['rms_g']:.3f}</td>"
        f"<td>{r['kurtosis']:.2f}</td></tr>"
        for r in femto_rows
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
<img src="{image}" alt="RMS and kurtosis trend">
<table><tr><th>snapshot</th><th>time (h)</th><th>RMS (g)</th><th>kurtosis</th></tr>
{femto_table}</table>
</body></html>
"""


def demo(
    out: Annotated[Path, typer.Option(help="Folder for the report (created).")] = Path(
        "demo-report"
    ),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Run the main job on the shipped real-data excerpt and write an HTML report folder."""
    out.mkdir(parents=True, exist_ok=True)
    cwru = [
        _diagnose_cwru(record, out)
        for record in track(CWRU_DEMO_RECORDS, "diagnosing CWRU records", enabled=not as_json)
    ]
    femto_rows, image = _femto_trend(out)
    (out / "index.html").write_text(_index_html(cwru, femto_rows, image), encoding="utf-8")
    summary = {
        "cwru": [
            {"record": r.record, "label": r.label, "report": r.report, **r.payload} for r in cwru
        ],
        "femto_bearing1_1": femto_rows,
        "report": str(out / "index.html"),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2, default=str), "utf-8")
    if as_json:
        print_json(summary)
        return
    print_table(
        "CWRU drive-end bearing diagnosis",
        ("record", "label", "verdict", "confidence", "report"),
        ((r.record, r.label, r.verdict, r.confidence, out / r.report) for r in cwru),
    )
    print_table(
        "FEMTO Bearing1_1 (horizontal), new to failed",
        ("snapshot", "time h", "RMS g", "kurtosis"),
        ((int(r["snapshot"]), r["time_h"], r["rms_g"], r["kurtosis"]) for r in femto_rows),
    )
    console.print(f"report: {out / 'index.html'}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``demo`` command to the CLI application ``app``."""
    app.command("demo")(demo)
