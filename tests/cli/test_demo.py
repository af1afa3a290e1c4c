"""``openphm demo``: the served demo fleet, and the static report with ``--report-only``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from openphm.cli.main import app
from openphm.evaluate.demo import DemoResult
from openphm.store import Store
from openphm.store.engine import SQLITE_NAME


def test_report_only_writes_the_report_and_diagnoses_the_excerpt(tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["demo", "--report-only", "--out", str(out), "--json"])
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


def test_demo_builds_the_fleet_and_serves_it_while_replaying(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service itself is stood in for: its call is recorded, and returning from it (as
    Ctrl-C does) stops the replay."""
    import openphm.cli.serve

    served: list[dict[str, Any]] = []
    monkeypatch.setattr(openphm.cli.serve, "serve", lambda **kw: served.append(kw))
    home = tmp_path / "demo-home"
    url = f"sqlite:///{home / SQLITE_NAME}"
    args = ["demo", "--home", str(home), "--database-url", url, "--port", "8123"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert served == [{"host": "127.0.0.1", "port": 8123, "home": home, "database_url": url}]
    assert "http://127.0.0.1:8123/" in result.stdout
    assert "replay stopped" in result.stdout
    store = Store.open(home, url)
    try:
        machines = {m.name: m.description for m in store.machines("demo")}
    finally:
        store.close()
    assert set(machines) == {"shield-tbm", "shearer-arm", "cwru-rig-ir", "cwru-rig-or"}
    assert "replays CWRU record 105" in machines["cwru-rig-ir"]


def test_json_needs_report_only() -> None:
    result = CliRunner().invoke(app, ["demo", "--json"])
    assert result.exit_code == 2
    assert "--report-only" in result.output
