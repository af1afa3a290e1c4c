"""Gear benchmarks: the SpectraQuest loader on the reference data, and simulator cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from openphm.acquire.datasets.gear import gear_records, load_gear_record
from openphm.core.waveform import Waveform
from openphm.diagnose.gear import common_teeth, unknown_train
from openphm.evaluate.gear_bench import WINDOW, run_gear_simulation, window_features


@pytest.mark.refdata
def test_spectraquest_records_load_exactly(refdata: Path) -> None:
    records = gear_records(refdata)
    assert len(records) == 20
    assert {r.condition for r in records} == {"healthy", "broken_tooth"}
    assert sorted({r.load_pct for r in records}) == list(range(0, 100, 10))
    chans = load_gear_record(records[0], refdata)
    assert [w.channel for w in chans] == ["a1", "a2", "a3", "a4"]
    assert chans[0].samples.size == records[0].n_rows and chans[0].fs == 1.0


@pytest.mark.refdata
def test_spectraquest_mesh_and_shaft_found_without_tooth_counts(refdata: Path) -> None:
    """The README's observation: the strongest line family near 0.0743 cycles/sample."""
    rec = next(r for r in gear_records(refdata) if r.file.endswith("h30hz0.parquet"))
    a1 = load_gear_record(rec, refdata)[0]
    window = Waveform(a1.samples[:WINDOW], fs=1.0, channel="a1")
    mesh, _ = unknown_train(window)
    assert mesh == pytest.approx(0.0743, abs=5e-4)
    teeth = common_teeth([window])
    feats, variances = window_features((window,), teeth)
    assert feats and all(np.isfinite(v) for v in feats.values())
    assert variances


def test_simulator_cases_known_answers() -> None:
    cases = run_gear_simulation(seeds=(0,))
    healthy = [c for c in cases if c.fault == "healthy"]
    assert healthy and all(c.correct for c in healthy)
    first_stage_teeth = [c for c in cases if c.fault in ("tooth on s1 pinion", "tooth on s1 wheel")]
    assert all(c.correct for c in first_stage_teeth)
    assert sum(c.correct for c in cases) >= len(cases) // 2
