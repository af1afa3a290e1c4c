"""The RUL benchmarks run on the reference data (small subsets) and give sane figures."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from openphm.evaluate.cmapss_bench import run_cmapss_bench
from openphm.evaluate.femto_bench import run_femto_bench
from openphm.prognose.telemetry import TelemetrySettings

pytestmark = pytest.mark.slow


def test_femto_leave_one_out_on_three_bearings(refdata: Path) -> None:
    r = run_femto_bench(refdata, bearings=("Bearing1_2", "Bearing2_2", "Bearing3_1"))
    assert set(r.onsets_s) == {"Bearing1_2", "Bearing2_2", "Bearing3_1"}
    assert set(r.scores) <= {"exponential", "exponential+iso281"}
    for p in r.predictions:
        assert p.true_s == pytest.approx(r.lives_s[p.bearing] - p.t_s)
        assert p.q05_s <= p.median_s <= p.q95_s
    for s in r.scores.values():
        assert 0.0 <= s["phm2012"] <= 1.0 and 0.0 <= s["coverage_90"] <= 1.0


def test_cmapss_fd001_small_model(refdata: Path) -> None:
    settings = TelemetrySettings(setting_columns=(0, 1, 2), max_iter=40, n_folds=2)
    (row,) = run_cmapss_bench(refdata, subsets=("FD001",), settings=settings)
    assert row.n_test == 100
    assert row.rmse < 25 and math.isfinite(row.nasa_score)
    assert 0.6 <= row.coverage_90 <= 1.0
