"""``openphm telemetry`` as a user runs it: a roof support's leg pressures from a CSV table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openphm.cli.main import app
from openphm.store import Store

runner = CliRunner()


@pytest.fixture(autouse=True)
def _no_store_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENPHM_HOME", raising=False)
    monkeypatch.delenv("OPENPHM_DATABASE_URL", raising=False)


def test_table_stored_then_skipped_and_a_bad_table_refused(tmp_path: Path) -> None:
    home = tmp_path / "store"
    with Store.open(home) as store:
        store.add_site("face")
        store.add_machine("face", "shield-7", profile="hydraulic_roof_support")
        store.add_point("face/shield-7", "P-LEFT", sensor="pressure", unit="MPa", fs_hz=1.0)
    table = tmp_path / "legs.csv"
    rows = [f"2026-01-01T00:{i:02d}:00Z,{30 + 0.01 * (i % 3):.2f}" for i in range(30)]
    table.write_text("time,pressure\n" + "\n".join(rows) + "\n")
    args = ["telemetry", str(table), "--point", "face/shield-7/P-LEFT", "--home", str(home)]
    first = runner.invoke(app, [*args, "--json"])
    assert first.exit_code == 0, first.output
    (out,) = json.loads(first.stdout)
    assert (out["stored"], out["duplicates"]) == (30, 0)
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and "30" in again.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("pressure\n30\n")
    refused = runner.invoke(
        app, ["telemetry", str(bad), "--point", "face/shield-7/P-LEFT", "--home", str(home)]
    )
    assert refused.exit_code == 1 and "no time column" in refused.stdout
    trend = runner.invoke(
        app,
        ["trend", "face/shield-7/P-LEFT", "--indicator", "pressure", "--home", str(home), "--json"],
    )
    assert trend.exit_code == 0, trend.output
    shown = json.loads(trend.stdout)
    assert len(shown["values"]) == 30 and shown["limits"]


def test_support_finds_a_leak_in_a_simulated_leg(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    import numpy as np

    from openphm.simulate.support_pressure import SupportScenario, simulate_support

    start = datetime(2026, 1, 1, tzinfo=UTC)
    healthy = simulate_support(SupportScenario(n_cycles=3), np.random.default_rng(0))
    leaking = simulate_support(
        SupportScenario(n_cycles=3, leak_per_h=1.0), np.random.default_rng(0)
    )
    for name, rec, code in (("ok.csv", healthy, 0), ("leak.csv", leaking, 1)):
        path = tmp_path / name
        lines = ["time,P-LEFT"] + [
            f"{(start + timedelta(seconds=float(t))).isoformat()},{p:.3f}"
            for t, p in zip(rec.t_s, rec.pressure_mpa, strict=True)
        ]
        path.write_text("\n".join(lines) + "\n")
        res = runner.invoke(app, ["support", str(path), "--column", "P-LEFT", "--json"])
        assert res.exit_code == code, res.output
        out = json.loads(res.stdout)
        assert len(out["periods"]) == 3
        assert (out["leaking"] == 3) == (code == 1)
