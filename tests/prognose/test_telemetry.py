"""Telemetry regressor: regimes, trailing features without look-ahead, intervals on simulated
fleets."""

from __future__ import annotations

import numpy as np
import pytest

from openphm.core.errors import DataError, ModelError
from openphm.prognose.interface import History, Observation
from openphm.prognose.telemetry import (
    TelemetryRegressor,
    TelemetrySettings,
    fit_regimes,
    trailing_features,
)


def fleet(rng: np.random.Generator, n: int) -> list[History]:
    """Units with one regime setting (0 or 10) and two sensors that drift before failure."""
    out = []
    for i in range(n):
        life = int(rng.integers(120, 260))
        t = np.arange(1.0, life + 1)
        regime = rng.choice([0.0, 10.0], life)
        wear = np.exp((t - life) / 30.0)
        s1 = 100 + 5 * regime + wear + rng.normal(0, 0.2, life)
        s2 = 50 - 2 * regime - 0.5 * wear + rng.normal(0, 0.2, life)
        out.append(History(t, np.column_stack([regime, s1, s2]), name=str(i)))
    return out


def test_regimes_remove_the_operating_point() -> None:
    rng = np.random.default_rng(0)
    h = fleet(rng, 5)
    v = np.vstack([x.values for x in h])
    model = fit_regimes(v[:, :1], v[:, 1:])
    assert model.centres.shape[0] == 2
    z = model.standardise(v[:, :1], v[:, 1:])
    assert np.allclose(z.mean(axis=0), 0, atol=1e-9)


def test_trailing_features_use_only_the_past() -> None:
    x = np.random.default_rng(1).normal(size=(50, 2))
    full = trailing_features(np.arange(50.0), x)
    part = trailing_features(np.arange(30.0), x[:30])
    assert np.allclose(full[:30], part)


def test_fit_predict_and_coverage_on_a_simulated_fleet() -> None:
    rng = np.random.default_rng(2)
    settings = TelemetrySettings(setting_columns=(0,), cap=100.0, max_iter=60, n_folds=3)
    model = TelemetryRegressor(settings).fit(fleet(rng, 30))
    tests, truths = [], []
    for h in fleet(rng, 40):
        cut = int(rng.integers(20, h.n))
        tests.append(h.until(float(h.times_s[cut - 1])))
        truths.append(min(h.times_s[-1] - h.times_s[cut - 1], 100.0))
    preds = model.predict_histories(tests)
    med = np.array([d.median() for d in preds])
    lo = np.array([d.quantile(0.05) for d in preds])
    hi = np.array([d.quantile(0.95) for d in preds])
    y = np.array(truths)
    assert np.sqrt(np.mean((med - y) ** 2)) < 25
    assert np.mean((lo <= y) & (y <= hi)) >= 0.75
    assert preds[0].unit == "cycle"
    one = TelemetryRegressor(settings)
    with pytest.raises(ModelError):
        one.predict_histories(tests[:1])
    for t, row in zip(tests[0].times_s, tests[0].values, strict=True):
        model.update(Observation(float(t), row))
    assert model.predict(float(tests[0].times_s[-1])).median() == pytest.approx(med[0])


def test_fit_refuses_censored_or_too_few_histories() -> None:
    rng = np.random.default_rng(3)
    h = fleet(rng, 4)
    with pytest.raises(DataError):
        TelemetryRegressor(TelemetrySettings(setting_columns=(0,))).fit(h[:1])
    with pytest.raises(DataError):
        TelemetryRegressor(TelemetrySettings(setting_columns=(0,))).fit([x.until(50) for x in h])
