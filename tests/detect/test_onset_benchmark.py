"""Small runs of ``benchmarks/onset_femto.py`` so that it cannot rot between full runs."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "onset_femto.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_onset_femto", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_episodes_merge_short_silences(bench: ModuleType) -> None:
    alarm = np.zeros(100, dtype=bool)
    alarm[[10, 12, 50, 51, 90]] = True
    assert bench.episodes(alarm, 5) == [(10, 12), (50, 51), (90, 90)]
    assert bench.episodes(alarm, 38) == [(10, 51), (90, 90)]  # silences of 37 and 38
    assert bench.episodes(alarm, 39) == [(10, 90)]
    assert bench.episodes(np.zeros(5, dtype=bool), 5) == []


def test_simulated_histories(bench: ModuleType) -> None:
    out = bench.simulated(20, seed=1)
    for method in ("cusum", "ewma"):
        s = out[method]
        assert s["detected"] == 20 and s["missed"] == 0
        # The charts see the growth before the fixed 4-sigma limit does (docs/benchmarks.md).
        assert s["median_delay"] < out["limit"]["median_delay"]
    assert out["limit"]["false_alarms"] == 0


def test_main_prints_json_without_data(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OPENPHM_DATA", "")
    assert bench.main(["--json", "--histories", "3"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["femto"] == [] and out["simulated"]["histories"] == 3


def test_one_femto_bearing(bench: ModuleType, refdata: Path) -> None:
    rows = bench.femto_bearing("Bearing3_1", str(refdata), 50, 30)
    assert {(r["indicator"], r["method"]) for r in rows} == {
        (i, m) for i in bench.INDICATORS for m in bench.METHODS
    }
    rms = [r for r in rows if r["indicator"] == "rms"]
    for r in rms:
        # The r.m.s. of Bearing3_1 rises in its last minutes only (docs/benchmarks.md).
        assert r["snapshots"] == 515 and r["false_alarms"] == 0
        assert 90.0 < r["detection_pct"] < 100.0 and r["lead_time_s"] > 0
