"""``openphm demo``: the main job on the shipped excerpt of real data, end to end.

The job itself is :func:`openphm.evaluate.demo.run_demo`; this module runs it and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from openphm.cli.output import console, print_json, print_table, track
from openphm.evaluate.demo import run_demo


def demo(
    out: Annotated[Path, typer.Option(help="Folder for the report (created).")] = Path(
        "demo-report"
    ),
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Run the main job on the shipped real-data excerpt and write an HTML report folder."""
    result = run_demo(
        out, progress=lambda records: track(list(records), "diagnosing CWRU records", not as_json)
    )
    if as_json:
        print_json(result.to_dict())
        return
    print_table(
        "CWRU drive-end bearing diagnosis",
        ("record", "label", "verdict", "confidence", "report"),
        (
            (r.record, r.label, r.diagnosis.verdict, r.diagnosis.confidence, out / r.report)
            for r in result.cwru
        ),
    )
    print_table(
        "FEMTO Bearing1_1 (horizontal), new to failed",
        ("snapshot", "time h", "RMS g", "kurtosis"),
        ((p.snapshot, p.time_h, p.rms_g, p.kurtosis) for p in result.femto_bearing1_1),
    )
    console.print(f"report: {result.report}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``demo`` command to the CLI application ``app``."""
    app.command("demo")(demo)
