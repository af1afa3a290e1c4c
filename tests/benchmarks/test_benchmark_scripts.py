"""Small runs of the benchmark scripts, so that they cannot rot between full runs.

``benchmarks/cwru_physics.py`` is ``openphm bench cwru-physics``, run by the CLI tests.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_other_bearings_one_seed() -> None:
    rows = _script("other_bearings").run(1)
    assert len(rows) >= 6
    for row in rows:
        # No healthy record is called faulty, and every -5 dB record is right (docs/benchmarks.md).
        assert row["correct"]["healthy"] == row["per_condition"], row
        assert row["correct_by_snr"]["-5 dB"] == row["per_snr"], row


def test_variable_speed_one_seed() -> None:
    out = _script("variable_speed").run(1)
    # Order tracking gets every record right (docs/benchmarks.md, 120/120 with 5 seeds).
    for method in ("profile", "tacho"):
        assert out["total_correct"][method] == out["records"], out


def test_several_bearings_gearbox_one_seed() -> None:
    out = _script("several_bearings").gearbox(1)
    counts = out["counts"]
    for key in ("healthy", "input fault", "output fault"):
        assert counts[f"{key}: both right"] == counts[f"{key}: records"], counts


def test_diagnose_time_runs() -> None:
    rows = _script("diagnose_time").run(1)
    assert rows and all(r["verdict"] == "outer" and float(r["ratio"]) > 0 for r in rows)


def test_speed_estimate_on_three_records(refdata: Path) -> None:
    counts = _script("speed_estimate").run(str(refdata), (97, 105, 130))["counts"]
    assert counts["channels"] == 6
    assert counts["within 1 %, both bearings"] == 6  # all three are right in the full run
    assert counts["DE right, speed stated"] == 3


def test_dm_throughput_prints_its_ratio_to_the_baseline() -> None:
    # Speed is measured by the script, never asserted here: --max-ratio inf turns its gate off.
    # A subprocess, because the script pins its process to one core and BLAS to one thread.
    args = ["--windows", "4", "--repeats", "1", "--synthetic", "--max-ratio", "inf", "--json"]
    script = str(BENCHMARKS / "dm_throughput.py")
    done = subprocess.run([sys.executable, script, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["windows"] == 4
    assert figures["cost_ratio_to_rfft"] > 0.0 and figures["windows_per_s"] > 0.0
    assert figures["within_ratio"] and figures["max_cost_ratio"] is None


def test_snapshots_one_seed() -> None:
    out = _script("snapshots").simulated(1)
    for counts in out["by_snr"].values():
        # Averaging never costs a record and never calls a healthy one faulty (docs/benchmarks.md).
        assert counts["ten averaged"] >= counts["one snapshot"], counts
        assert counts["healthy called faulty"] == 0, counts
    assert out["by_snr"]["-10 dB"]["ten averaged"] == 4  # 20/20 with 5 seeds


def test_snapshots_on_three_records(refdata: Path) -> None:
    counts = _script("snapshots").cwru(str(refdata), (97, 105, 130))["counts"]
    assert counts["baseline 97: snapshots averaged"] == 1
    assert counts["fault records: snapshots averaged"] == 2
    assert counts["fault records: whole record"] == 2


def test_calibration_one_draw() -> None:
    out = _script("calibration").run(1, seed=7, real=False, progress=False, max_samples=200_000)
    table = out["tables"]["condition"]
    assert set(table) >= {"outer", "inner", "ball", "wrong-bearing", "noise", "gear"}
    # No simulated healthy machine is called faulty at the default threshold
    # (docs/benchmarks.md: 0 of 200 with 40 draws).
    for kind in ("noise", "gear", "electrical", "resonance", "speed-off"):
        assert "false alarm" not in table[kind], (kind, table[kind])
    assert (
        out["curves"]["false_alarm"]["all healthy"][out["curves"]["thresholds"]["t"].index(3.0)]
        == 0.0
    )
