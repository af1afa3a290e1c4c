"""``openphm diagnose`` on a real CWRU record."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from openphm.cli.main import app

runner = CliRunner()


def test_diagnose_json_and_report(refdata: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.html"
    path = refdata / "cwru" / "12k_drive_end" / "105.mat"
    res = runner.invoke(
        app,
        [
            "diagnose",
            str(path),
            "--bearing",
            "6205",
            "--rpm",
            "1797",
            "--json",
            "--report",
            str(report),
        ],
    )
    assert res.exit_code == 0, res.output
    payload = json.loads(res.output)
    assert payload["verdict"] == "inner"
    assert payload["speed_source"].startswith("given")
    assert payload["unexplained_series"] is None
    inner = next(e for e in payload["evidence"] if e["fault"] == "inner")
    assert inner["peaks"][0]["label"] == "1xBPFI"
    html = report.read_text()
    assert html.count("data:image/png;base64,") >= 3
    assert "http" not in html.replace("http-equiv", "")


def test_diagnose_table(refdata: Path) -> None:
    path = refdata / "cwru" / "12k_drive_end" / "130.mat"
    res = runner.invoke(app, ["diagnose", str(path), "--rpm", "1797"])
    assert res.exit_code == 0, res.output
    assert "outer" in res.output and "BPFO" in res.output
