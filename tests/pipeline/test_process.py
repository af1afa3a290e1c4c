"""The chain in the library: one measurement, a batch on an executor, results that travel."""

from __future__ import annotations

import json
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from openphm.core import Recording, Waveform
from openphm.core.errors import ConfigError, DataError
from openphm.diagnose.settings import DiagnosisSettings
from openphm.pipeline import (
    BatchItem,
    ProcessingContext,
    Results,
    SeveritySettings,
    StageInput,
    process,
    process_file,
    register_stage,
    run_batch,
)
from openphm.pipeline.stages import STAGES
from tests.helpers.bearing_sim import simulate_bearing


@pytest.fixture(scope="module")
def inner_fault() -> Recording:
    wave = simulate_bearing("inner", rng=np.random.default_rng(3), snr_db=-5.0, duration_s=2.0)
    return Recording((Waveform(wave.samples, wave.fs, unit="g", channel="DE", source="sim.csv"),))


def _context(**kwargs: object) -> ProcessingContext:
    return ProcessingContext(bearing="6205", speed_hz=29.95, **kwargs)  # type: ignore[arg-type]


def test_process_runs_the_stages_and_finds_the_fault(inner_fault: Recording) -> None:
    ctx = _context(stages=("indicators", "severity", "diagnosis"))
    results = process(inner_fault, ctx, measurement_id=7)
    assert results.diagnoses is not None and results.diagnoses.main.verdict == "inner"
    assert results.indicators is not None
    assert results.indicators.values["kurtosis"] > 3.0
    assert results.indicators.values["velocity_rms_mm_s"] > 0.0
    assert results.severity is not None and results.severity.iso10816_3 is None
    assert results.provenance.input.measurement_id == 7
    assert results.provenance.input.channel == "DE"
    assert results.provenance.settings_type == "ProcessingContext"
    assert results.diagnoses.main.provenance is not None


def test_results_round_trip_through_json_and_pickle(inner_fault: Recording) -> None:
    ctx = _context(stages=("indicators", "severity", "diagnosis"))
    results = process(inner_fault, ctx)
    text = json.dumps(results.to_dict())
    back = Results.from_dict(json.loads(text))
    assert back == pickle.loads(pickle.dumps(results))
    assert back.diagnoses is not None and results.diagnoses is not None
    assert back.diagnoses.main == results.diagnoses.main
    assert back.to_dict() == results.to_dict()
    assert ProcessingContext.from_dict(back.provenance.settings) == ctx


def test_a_stage_error_is_kept_when_not_strict() -> None:
    short = Recording((Waveform(np.random.default_rng(0).normal(size=600), 12000.0, unit="g"),))
    ctx = _context()
    with pytest.raises(DataError, match="too short"):
        process(short, ctx)
    results = process(short, ctx, strict=False)
    assert results.indicators is not None
    assert "diagnosis" in results.errors and results.diagnoses is None


def test_unknown_stage_and_bad_settings_are_config_errors(inner_fault: Recording) -> None:
    with pytest.raises(ConfigError, match="unknown processing stage 'no_such_stage'"):
        process(inner_fault, _context(stages=("no_such_stage",)))
    with pytest.raises(ConfigError, match="n_harmonics"):
        DiagnosisSettings(n_harmonics=0)
    with pytest.raises(ConfigError, match="foundation"):
        SeveritySettings(foundation="soft")
    with pytest.raises(ConfigError, match="speed_hz"):
        ProcessingContext(speed_hz=-1.0)


def test_a_registered_stage_plugs_in_without_touching_the_pipeline(
    inner_fault: Recording,
) -> None:
    @register_stage("test_peak_count", None)
    def count(item: StageInput) -> dict[str, int]:
        return {"n": int(item.wave.n_samples), "after_indicators": "indicators" in item.done}

    try:
        results = process(inner_fault, _context(stages=("indicators", "test_peak_count")))
        assert results.outputs["test_peak_count"] == {"n": 24000, "after_indicators": True}
    finally:
        del STAGES["test_peak_count"]


def _write_csv(path: Path, wave: Waveform) -> Path:
    np.savetxt(path, wave.samples)
    return path


def test_run_batch_same_results_serial_and_in_worker_processes(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    files = [
        _write_csv(tmp_path / f"{fault}.csv", simulate_bearing(fault, rng=rng, duration_s=1.5))
        for fault in ("outer", "healthy")
    ]
    broken = tmp_path / "broken.csv"
    broken.write_text("not,a,number\n")
    ctx = _context(fs_hz=12000.0)
    items = [*files, BatchItem(broken)]
    serial = run_batch(items, ctx)
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = run_batch(items, ctx, executor=pool)
    verdicts = [o.results.diagnoses.main.verdict for o in serial[:2]]  # type: ignore[union-attr]
    assert verdicts == ["outer", "healthy"]
    assert [o.results for o in serial[:2]] == [o.results for o in parallel[:2]]
    assert serial[2].results is None and "broken.csv" in serial[2].error
    assert process_file(files[0], ctx) == serial[0].results
