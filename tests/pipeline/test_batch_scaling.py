"""A small run of ``benchmarks/batch_scaling.py``'s parts, so that the script cannot rot between
full runs (the full run starts five executors: it is the benchmark, not a test)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

from openphm.pipeline import BatchItem, ProcessingContext, run_batch
from tests.helpers.bearing_sim import simulate_bearing

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "batch_scaling.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmark_batch_scaling", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_store_writes_and_digest(tmp_path: Path) -> None:
    script = _script()
    found = script.store_writes(3, None)
    assert found["backend"] == "sqlite" and found["measurements"] == 3
    assert found["store_write_ms_per_measurement"] > 0 and found["chain_ms_per_measurement"] > 0
    path = tmp_path / "a.csv"
    np.savetxt(
        path, simulate_bearing("outer", rng=np.random.default_rng(0), duration_s=1.2).samples
    )
    item = BatchItem(path, window_s=1.0)
    context = ProcessingContext(fs_hz=12000.0, speed_hz=29.95, bearing="6205")
    one = run_batch([item], context, strict=False)
    assert script._digest(one) == script._digest(run_batch([item], context, strict=False))
    other = run_batch([item], ProcessingContext(fs_hz=12000.0, speed_hz=30.0), strict=False)
    assert script._digest(one) != script._digest(other)
    assert script._by_set([item, BatchItem(path, snapshots=(1,))])["femto"][0].snapshots == (1,)
