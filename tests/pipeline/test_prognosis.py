"""The RUL the monitoring chain keeps per point: read back from the store, and by the CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from openphm.cli.main import app
from openphm.pipeline.ingest import IngestSettings, ingest
from openphm.pipeline.monitor import MonitorSettings
from openphm.pipeline.prognosis import point_rul_history
from openphm.pipeline.transport import IncomingSamples
from openphm.prognose.point_rul import PointRulSettings
from openphm.store import Store
from tests.helpers.bearing_sim import simulate_bearing

START = datetime(2026, 3, 1, tzinfo=UTC)
SETTINGS = IngestSettings(
    monitor=MonitorSettings(baseline_count=6, rul=PointRulSettings(n_baseline=6))
)


def _fan(store: Store) -> str:
    store.add_site("plant")
    store.add_machine("plant", "fan", profile="electric_motor", iso_group=2)
    store.add_component("plant/fan", "DE", kind="bearing", designation="6205")
    store.add_point(
        "plant/fan", "DE-H", sensor="accelerometer", unit="g", fs_hz=12000.0, components=["DE"]
    )
    return "plant/fan/DE-H"


def _history(store: Store, levels: list[float]) -> str:
    point = _fan(store)
    rng = np.random.default_rng(11)
    for i, level in enumerate(levels):
        wave = simulate_bearing("healthy", rng=rng, duration_s=0.5)
        item = IncomingSamples(
            point, START + timedelta(hours=i), 12000.0, "g", level * wave.samples, speed_hz=29.95
        )
        assert ingest(store, item, SETTINGS).status == "stored"
    return point


def test_history_follows_each_measurement(store: Store) -> None:
    point = _history(store, [0.05] * 8 + [0.05 * 1.3**k for k in range(1, 7)])
    history = point_rul_history(store, point)
    assert history.point == point and history.component == "DE"
    assert len(history.ruls) == 14
    assert list(history.acquired_at) == sorted(history.acquired_at)
    assert history.ruls[0].status == "no_degradation"
    latest = history.latest
    assert latest is not None and latest.status == "condition" and latest.onset_s is not None
    assert latest.median() < 30 * 3600


def test_a_point_without_components_has_no_history(store: Store) -> None:
    _fan(store)
    store.add_point("plant/fan", "frame", sensor="accelerometer", unit="g", fs_hz=12000.0)
    history = point_rul_history(store, "plant/fan/frame")
    assert history.ruls == () and history.latest is None


@pytest.mark.parametrize("as_json", [True, False])
def test_openphm_rul_reads_a_store_point(tmp_path: Path, as_json: bool) -> None:
    home = tmp_path / "store"
    with Store.open(home) as store:
        point = _history(store, [0.05] * 8 + [0.05 * 1.3**k for k in range(1, 7)])
    plot = tmp_path / "rul.png"
    args = ["rul", point, "--home", str(home), "--plot", str(plot)]
    res = CliRunner().invoke(app, [*args, "--json"] if as_json else args)
    assert res.exit_code == 0, res.output
    assert plot.stat().st_size > 0
    if as_json:
        out = json.loads(res.stdout)
        assert out["source"] == point and out["status"] == "condition"
        assert 0 < out["rul_s"]["median"] < 30 * 3600
        assert out["provenance"]["settings"]["failure_ratio"] == 5.0
    else:
        assert "RUL median" in res.stdout and "DE" in res.stdout
