"""A tiny run of ``benchmarks/api_latency.py``: it runs and reports every figure (never a time)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "api_latency.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_api_latency", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_api_latency_tiny_run() -> None:
    script = _script()
    out = script.measure(None, clients=2, requests=4, route_timeout_s=30.0, alarm_points=1)
    assert out["backend"] == "sqlite"
    assert set(out["routes"]) == set(script.ROUTES)
    for row in out["routes"].values():
        assert row["n"] == 4
        assert {"median_ms", "p95_ms", "p99_ms", "ratio_median", "per_s"} <= set(row)
    (run,) = out["upload_to_alarm"]["runs"]
    # The alarm rules need three bad measurements in a row (MonitorSettings.min_count).
    assert run["faulty_uploads"] >= 1
    assert {"post_ms", "upload_to_alarm_ms", "alarm"} <= set(run)
    assert "median_ms" in out["upload_to_alarm"]
