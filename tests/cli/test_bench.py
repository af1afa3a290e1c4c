"""``openphm bench cwru-physics`` on a few records."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from openphm.cli.main import app

runner = CliRunner()


def test_bench_json(refdata: Path) -> None:
    args = [
        "bench",
        "cwru-physics",
        "--root",
        str(refdata),
        "--json",
        "--record",
        "105",
        "--record",
        "97",
    ]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    payload = json.loads(res.output)
    assert payload["summary"]["correct"] == 1
    assert payload["summary"]["total"] == 1
    assert payload["summary"]["baseline_97"] == "healthy"


def test_bench_table(refdata: Path) -> None:
    res = runner.invoke(app, ["bench", "cwru-physics", "--root", str(refdata), "--record", "130"])
    assert res.exit_code == 0, res.output
    assert "1/1" in res.output
