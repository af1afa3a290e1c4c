"""``openphm demo`` runs the main job on the shipped excerpt from a source checkout."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from openphm.cli.main import app
from openphm.evaluate.demo import DemoResult


def test_demo_writes_report_and_diagnoses_the_excerpt(tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    verdicts = {row["record"]: row["diagnosis"]["verdict"] for row in summary["cwru"]}
    assert verdicts == {"105": "inner", "130": "outer", "97": "healthy"}
    assert (out / "index.html").read_text().count("report</a>") == 3
    assert (out / "femto-trend.png").stat().st_size > 10_000
    femto = summary["femto_bearing1_1"]
    assert femto[-1]["rms_g"] > 5 * femto[0]["rms_g"]  # the failed bearing vibrates far more
    assert DemoResult.from_dict(summary).cwru[0].diagnosis.verdict == "inner"
    assert json.loads(result.stdout) == summary
